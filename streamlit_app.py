"""Jazz LSTM Studio, the page: choose music, train the LSTM on it, improvise and listen.

Thin on purpose: widgets wired to `jazz_core` calls; everything musical lives in the package
(the rows for tables, and the charts as Vega-Lite specs, in `jazz_core.pianoroll`). TensorFlow is
imported only when Train is clicked; generating a solo runs the model in NumPy, and Altair is
never imported.

Stopping training: a click on Stop makes Streamlit start the script again while the old run
is still inside an epoch. Every epoch stores the model as it stands in the session (under a
lock) before touching the page, so the new run packs that snapshot into a bundle and the old
run, at its next epoch or page call, sees the run closed and gives up without a word.

Generating: the Generate section (its form and the takes) is a fragment, so a click on Generate or
Re-roll runs that section again, not the whole page. Each take keeps its audio (FLAC) and its piano
roll (a Vega-Lite dict), made once when the take is made or re-rolled, so drawing it again costs
no rendering, encoding or chart building. A fragment's run waits for a run of the whole
page in progress instead of interrupting it, so in the run that trains the section is drawn as a
plain part of the page: a click on Generate then stops training as any other click does (the model
is kept), and the take comes at once rather than when training ends.

Sessions: everything a person changes (music, model, takes, training runs) lives in their own
`st.session_state`. What `st.cache_resource` shares between sessions is read-only: the default
bundle (frozen dataclasses, weight arrays write-protected) and the built-in corpus (frozen
dataclasses of tuples); FluidSynth's cached synths are locked inside `jazz_core.audio`.
`st.cache_data` hands every caller its own copy.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import replace
from pathlib import Path

import streamlit as st

from jazz_core import pianoroll, pipeline
from jazz_core.bundle import Bundle, bundle_from_bytes, bundle_to_bytes, load_bundle
from jazz_core.changes import PRESETS, parse_changes
from jazz_core.errors import JazzError, RerollError
from jazz_core.report import preflight
from jazz_core.scores import METHENY, builtin_corpus, is_course_file, read_raw, read_score
from jazz_core.settings import (
    MAX_EPOCHS,
    MAX_HIDDEN_UNITS,
    MAX_SEQUENCE_LENGTH,
    MAX_VALUES,
    MAX_WINDOWS,
    SWINGS,
    DatasetSettings,
    GenerateSettings,
    ModelSettings,
    PlaybackSettings,
    TrainSettings,
)

DEFAULT_MODEL = Path(__file__).resolve().parent / "assets" / "default_model"
SCORE_TYPES = ["mid", "midi", "kar", "xml", "musicxml", "mxl", "abc"]
BUILTIN, UPLOAD = "The built-in corpus", "A score of mine"
MAX_TAKES = 24  # takes kept in the session, newest first
DEFAULT_VALUES = 200  # values to generate, as the page opens
SEED_MAX = 2**31 - 1
UI_EVERY = 0.25  # seconds between page updates while training (every epoch is still recorded)
OWN_CHANGES, MY_CHANGES = "The changes it learnt from", "My own changes"
CHANGES_EXAMPLE = "| Dm7 G7 | Cmaj7 | % | A7b9 |"
BUILTIN_SOURCE = pipeline.source_hash([])  # a model learnt from the built-in corpus: no bytes of anyone's

st.set_page_config(page_title="Jazz LSTM Studio", page_icon="🎷", layout="centered")


def plain(text: str) -> str:
    """Text from a file (names, titles) shown as is inside Markdown, never as formatting or links."""
    return re.sub(r"([\\`*_\[\]<>#|~$])", r"\\\1", text)


# --- cached work ----------------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def default_bundle() -> Bundle:
    return pianoroll.read_only(load_bundle(DEFAULT_MODEL))  # shared by every session: nobody may write to it


@st.cache_resource(show_spinner=False)  # no spinner of its own: the warm-up thread reads it too (see music_section)
def corpus() -> tuple[tuple, tuple]:
    pieces = tuple(builtin_corpus())
    return pieces, tuple(tuple(pipeline.corpus_values([p])) for p in pieces)


@st.cache_data(max_entries=16, show_spinner="Reading the score…")
def raw_score(data: bytes, title: str):
    """The upload read once (music21 files in a child process); the two readings below reuse it."""
    return read_raw(data, title)


def raw_tracks(data: bytes, title: str):
    return raw_score(data, title).tracks


@st.cache_data(max_entries=16, show_spinner=False)
def read_piece(data: bytes, preset: str | None, melody: int | None, title: str):
    piece = read_score(data, preset=preset, melody=melody, title=title, raw=raw_score(data, title))
    return piece, tuple(pipeline.corpus_values([piece]))


@st.cache_data(max_entries=16, show_spinner="Checking what the score gives to learn from…")
def check_score(data: bytes, preset: str | None, melody: int | None, title: str, sequence_length: int):
    return preflight(data, preset, melody, DatasetSettings(sequence_length=sequence_length), title,
                     raw=raw_score(data, title))


@st.cache_data(max_entries=64, show_spinner=False)
def measure_source(key: str, values: int, _bundle: Bundle, _pieces) -> pianoroll.SourceProfile | None:
    """The source measured at N values, once per source (named by `key`) and N for every session."""
    return pianoroll.source_profile(_bundle, _pieces, values)


@st.cache_resource(show_spinner=False)
def warm_up() -> None:
    """Pay the first Generate's one-off costs in the background, once per server, in two threads side by side:
    FluidSynth, its soundfont and the FLAC encoder; the built-in corpus (music21, about a second, which the
    first run of the page waits for before a click can be answered) and the source's metrics at the default N."""
    try:
        bundle = default_bundle()
    except JazzError:
        return

    def audio() -> None:
        from jazz_core.audio import AudioSettings, render

        try:
            take = pipeline.generate(bundle, GenerateSettings(values=4), PlaybackSettings(chords=False))
            render(take.midi, AudioSettings(chords=False, tail_seconds=0.0)).to_flac()
        except JazzError:
            pass  # the first real render will say what is wrong

    def music() -> None:
        try:
            pieces = corpus()[0]  # the page's own caches: the script's calls wait for these, never read twice
        except JazzError:
            return  # the Music section will say what is wrong
        pieces = pieces if bundle.source_sha256 == BUILTIN_SOURCE else None  # as source_pieces sees it
        measure_source(pianoroll.source_key(bundle, pieces), DEFAULT_VALUES, bundle, pieces)

    for work in (music, audio):
        threading.Thread(target=work, name=f"warm-up-{work.__name__}", daemon=True).start()


def render_audio(midi: bytes, chords: bool) -> tuple[bytes, float]:
    """The take as FLAC for the player (lossless and quick to encode: about 0.04 s for 30 s of music, where
    OGG takes 0.25 s; 2.6 MB instead of 0.5 MB, nothing on localhost or a LAN) and its length in seconds."""
    from jazz_core.audio import AudioSettings, render

    rendered = render(midi, AudioSettings(chords=chords))
    return rendered.to_flac(), rendered.seconds


def wav_of(midi: bytes, chords: bool):
    """A callable for the WAV download: rendered only when the button is clicked."""
    def make() -> bytes:
        from jazz_core.audio import AudioSettings, render

        return render(midi, AudioSettings(chords=chords)).wav
    return make


# --- the model in use -----------------------------------------------------------------------

def active_model() -> tuple[Bundle | None, str, str]:
    """(bundle, kind, where it came from); kind is default, trained or uploaded."""
    chosen = st.session_state.get("model")
    if chosen:
        return chosen["bundle"], chosen["kind"], chosen["source"]
    try:
        return default_bundle(), "default", "shipped with the app"
    except JazzError as error:
        st.error(f"The default model could not be loaded: {error}")
        return None, "none", ""


def activate(bundle: Bundle, kind: str, source: str, pieces=None) -> None:
    """Make a model the one in use in this session; `pieces` are the scores it learnt from, when known."""
    st.session_state["model"] = {"bundle": bundle, "kind": kind, "source": source, "pieces": pieces}


def use_default_model() -> None:
    st.session_state.pop("model", None)


# --- training runs --------------------------------------------------------------------------

def _no_weights():
    return None


def finish_run(run: dict, weights, stopped_by: str | None) -> None:
    """Pack the run's model into a bundle and make it the active one (caller holds run['lock'])."""
    run["closed"] = True
    epochs_done = len(run["history"])
    dataset, model, training = run["settings"]
    if weights is None or not epochs_done:
        st.session_state["train_notice"] = (
            "warning", "Stopped before the first epoch ended; the model in use is unchanged.")
    else:
        bundle = pipeline.pack(run["pieces"], run["values"], run["windows"], weights, run["history"],
                               dataset, model, training, run["source"])
        activate(bundle, "trained", f"trained here on {run['title']}", run["pieces"])
        last = run["history"][-1]
        if stopped_by == "stop":
            text = f"Stopped after epoch {epochs_done}; the model is kept (loss {last.loss:.3f})."
        elif stopped_by == "page":
            text = (f"Training was interrupted after epoch {epochs_done} by a change on the page; "
                    f"the model is kept (loss {last.loss:.3f}).")
        else:
            text = (f"Trained for {epochs_done} epochs in {last.seconds:.1f} s; final loss {last.loss:.3f}. "
                    "The new model is now in use.")
        kept = pianoroll.kept_epoch(run["history"], training.keep_best)
        if training.keep_best and kept is not None:
            best = run["history"][kept - 1]
            text += (f" It holds the weights of epoch {kept}, the lowest validation loss "
                     f"({best.validation_loss:.3f})." if best.validation_loss is not None else
                     " No music was held out for a validation loss, so it holds the last epoch's weights.")
        st.session_state["train_notice"] = ("success", text)
    for heavy in ("pieces", "values", "windows", "snapshot"):
        run[heavy] = None


def keep_interrupted_run() -> None:
    """On the rerun after Stop (or any click during training): keep the model as it stood."""
    run = st.session_state.get("run")
    if not run or run["closed"]:
        return
    with run["lock"]:
        if not run["closed"]:
            stopped_by = "stop" if st.session_state.pop("stop_requested", False) else "page"
            finish_run(run, run["snapshot"], stopped_by)


def request_stop() -> None:
    st.session_state["stop_requested"] = True


def train_model(pieces, sources: list[bytes], title: str, settings, slots) -> None:
    """Train on the pieces, showing progress and the loss every epoch; the Stop button ends it early."""
    dataset, model, training = settings
    progress_slot, stop_slot, chart_slot = slots
    values, windows = pipeline.prepare(pieces, dataset)
    run = {"lock": threading.Lock(), "closed": False, "pieces": pieces, "values": values, "windows": windows,
           "settings": settings, "source": pipeline.source_hash(sources), "title": title,
           "history": [], "snapshot": None, "epochs": training.epochs}
    st.session_state.pop("stop_requested", None)
    st.session_state["run"] = run
    progress_slot.progress(0.0, text="Starting TensorFlow (a few seconds the first time)…")
    stop_slot.button("Stop", key="stop_training", on_click=request_stop, icon=":material/stop_circle:",
                     help="End training after the current epoch and keep the model as it stands.")
    from jazz_core.training import train  # TensorFlow is imported here, and only here

    shown = [0.0]

    def on_epoch(report) -> None:
        with run["lock"]:  # the session first: a Stop click interrupts at the next page call
            if run["closed"]:
                return
            run["history"].append(replace(report, weights=_no_weights))
            if pianoroll.kept_epoch(run["history"], training.keep_best) == report.epoch:
                run["snapshot"] = report.weights()  # the weights training would return if it ended now
        now = time.perf_counter()
        if report.epoch == report.epochs or now - shown[0] >= UI_EVERY:
            shown[0] = now
            progress_slot.progress(report.epoch / report.epochs,
                                   text=f"Epoch {report.epoch} of {report.epochs} · loss {report.loss:.3f} · "
                                        + pianoroll.time_left(report.seconds, report.epoch, report.epochs,
                                                              run["history"][0].seconds))
            chart_slot.vega_lite_chart(pianoroll.loss_spec(run["history"]), width="stretch")

    trained = train(windows, model, training, on_epoch, lambda: run["closed"])
    with run["lock"]:
        if run["closed"]:  # a newer run of the page has already kept the model
            return
        finish_run(run, trained.weights, None)
    st.rerun()  # draw the whole page again with the new model in use


# --- page parts -----------------------------------------------------------------------------

def music_section():
    """The music to learn from: (pieces, source bytes, title), or None when there is none yet."""
    st.header("1 · Music", divider="gray")
    choice = st.radio("Learn from", [BUILTIN, UPLOAD], horizontal=True, key="music_source",
                      help="The built-in corpus needs nothing from you. Your own score can be MIDI, "
                           "MusicXML or ABC: the page finds the melody and the chords under it.")
    if choice == BUILTIN:
        st.caption("Ragtime shipped inside music21: Irving Berlin's *Alexander's Ragtime Band* (a lead sheet "
                   "with chord symbols) and Scott Joplin's *Maple Leaf Rag*. The default model learnt from it.")
        try:
            with st.spinner("Reading the built-in corpus…"):  # shown only if it takes more than half a second
                pieces, values = corpus()
        except JazzError as error:
            st.error(f"The built-in corpus could not be read: {error}")
            return None
        show_summary(pieces, values)
        return list(pieces), [], "the built-in corpus"

    upload = st.file_uploader("Your score: MIDI, MusicXML or ABC", type=SCORE_TYPES, key="score_upload",
                              help="Read in memory, never saved. At most 20 MB. A solo over chords works "
                                   "best: a lead sheet, or a band arrangement with a clear solo part.")
    if upload is None:
        st.info("Choose a file to learn from, or switch back to the built-in corpus.")
        return None
    data = upload.getvalue()
    title = upload.name.rsplit(".", 1)[0][:80] or "Uploaded score"
    digest = pipeline.source_hash([data])[:16]
    try:
        tracks = raw_tracks(data, title)
    except JazzError as error:
        st.error(str(error))
        return None
    course = is_course_file(tracks, data)
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    use_preset = left.checkbox(
        "Read as the course does (metheny preset)", value=course, key=f"preset_{digest}",
        help="For the course's original_metheny.mid: melody from part 5 (the guitar, both voices), chords "
             "from the piano (part 0), bars 120-137 only, exactly as the assignment reads it."
             + (" This file looks like it, so the preset is on." if course else ""))
    melody_options = [None, *range(len(tracks))]
    melody = right.selectbox(
        "Melody part", melody_options, key=f"melody_{digest}", disabled=use_preset,
        format_func=lambda i: "Chosen automatically" if i is None else f"{i}: {tracks[i].name}",
        help="Which part is the solo to learn from. Automatic picks the busiest single line in a solo register.")
    preset, chosen = (METHENY, None) if use_preset else (None, melody)
    try:
        report = check_score(data, preset, chosen, title, int(st.session_state.get("sequence_length", 30)))
        if not report.measures:  # no melody to read: the report says why and what to do
            st.error(report.verdict)
            return None
        piece, values = read_piece(data, preset, chosen, title)
        melody_index = pianoroll.melody_part(tracks, preset, melody)
    except JazzError as error:
        st.error(str(error))
        return None
    if course and use_preset:
        st.caption("Recognised the course's file (19 parts, the guitar solo as part 5).")
    with st.expander(f"Parts found in {plain(title)} ({len(report.parts)})", expanded=len(report.parts) <= 8):
        st.dataframe(pianoroll.parts_rows(report.parts, melody_index), hide_index=True, width="stretch",
                     column_config={"drums": st.column_config.CheckboxColumn("drums"),
                                    "looks like": st.column_config.TextColumn("looks like", width="large")})
    show_summary((piece,), (values,))
    (st.success if report.enough else st.warning)(report.verdict, icon=":material/check_circle:" if report.enough
                                                  else ":material/warning:")
    for warning in report.warnings:
        st.warning(warning, icon=":material/info:")
    return [piece], [data], title


def show_summary(pieces, values_per_piece) -> None:
    """What the music gives to learn from: per piece, and in total."""
    values = [v for vs in values_per_piece for v in vs]
    summary = pianoroll.values_summary(values)
    cols = st.columns(4)
    cols[0].metric("Measures", sum(len(p.measures) for p in pieces))
    cols[1].metric("Values", summary["values"], help="Notes and rests of the melody, each written as a "
                   "grammar value: type, duration and the leap from the note before.")
    cols[2].metric("Unique values", summary["unique"], help="The model's vocabulary: it learns which of "
                   "these tends to follow which.")
    if len(pieces) == 1:
        cols[3].metric("Tempo", f"{pieces[0].tempo_bpm:g} bpm")
    else:
        cols[3].metric("Pieces", len(pieces))
    types = summary["types"]
    st.caption(f"Chord tones {types['C']} · scale tones {types['S']} · approach tones {types['A']} · "
               f"other {types['X']} · rests {types['R']}")
    for piece in pieces:
        st.caption(f"**{plain(piece.title)}**: {len(piece.measures)} measures; {plain(piece.origin)}.")


def training_settings():
    with st.expander("Training settings", icon=":material/tune:"):
        c1, c2, c3 = st.columns(3)
        epochs = c1.number_input("Epochs", 1, MAX_EPOCHS, 100, key="epochs",
                                 help="Passes over the training windows (the course: 100).")
        hidden = c2.number_input("Hidden units", 1, MAX_HIDDEN_UNITS, 64, key="hidden_units",
                                 help="n_a, the size of the LSTM's memory (the course: 64).")
        length = c3.number_input("Sequence length", 2, MAX_SEQUENCE_LENGTH, 30, key="sequence_length",
                                 help="Tx, values in each training window (the course: 30).")
        rate = c1.number_input("Learning rate", 0.00001, 1.0, 0.01, step=0.001, format="%g", key="learning_rate",
                               help="Adam's step size (the course: 0.01).")
        windows = c2.number_input("Training windows", 2, MAX_WINDOWS, 60, key="windows",
                                  help="m, how many windows are cut from the music (the course: 60).")
        seed = c3.number_input("Seed", 0, SEED_MAX, 0, key="train_seed",
                               help="Same seed and settings, same windows and starting weights: the same model.")
        keep_best = st.checkbox(
            "Keep the epoch with the best validation loss", value=False, key="keep_best",
            help="The course keeps the last epoch: the model that follows the training music most closely. "
                 "On is the epoch that best predicted the music held out for validation, often an early one: "
                 "less copying of the source, but less of its style learnt too.")
    return epochs, hidden, length, rate, windows, seed, keep_best


def train_section(music) -> None:
    st.header("2 · Train", divider="gray")
    st.caption("Fit the course's LSTM to the music above: it learns which grammar value tends to come next. "
               "The default model is already trained, so you can skip to 3.")
    with st.form("train_form", border=False):
        epochs, hidden, length, rate, windows, seed, keep_best = training_settings()
        clicked = st.form_submit_button("Train", type="primary", key="train", disabled=music is None,
                                        icon=":material/model_training:")
    progress_slot, stop_slot, chart_slot = st.empty(), st.empty(), st.empty()
    if clicked and music is not None:
        st.session_state.pop("train_notice", None)
        pieces, sources, title = music
        try:
            settings = (DatasetSettings(windows=int(windows), sequence_length=int(length), seed=int(seed)),
                        ModelSettings(hidden_units=int(hidden)),
                        TrainSettings(epochs=int(epochs), learning_rate=float(rate), seed=int(seed),
                                      keep_best=bool(keep_best)))
            train_model(pieces, sources, title, settings, (progress_slot, stop_slot, chart_slot))
        except (JazzError, ValueError) as error:
            progress_slot.empty()
            stop_slot.empty()
            st.session_state.pop("run", None)
            st.error(f"Training did not start: {error}")
    notice = st.session_state.get("train_notice")
    if notice:
        (st.success if notice[0] == "success" else st.warning)(notice[1])
    run = st.session_state.get("run")
    if run and run["closed"] and run["history"]:
        chart_slot.vega_lite_chart(pianoroll.loss_spec(run["history"]), width="stretch")
    model_box()


def load_uploaded_bundle() -> None:
    """When a bundle is uploaded (a callback, so the whole page sees the new model in this run)."""
    st.session_state.pop("bundle_error", None)
    upload = st.session_state.get("bundle_upload")
    if upload is None:
        return
    try:
        activate(bundle_from_bytes(upload.getvalue()), "uploaded", f"loaded from {upload.name}")
    except JazzError as error:
        st.session_state["bundle_error"] = str(error)


def model_box() -> None:
    """Which model is in use; download it, load a saved one, or go back to the default."""
    with st.container(border=True):
        bundle, kind, source = active_model()
        if bundle is not None:
            st.markdown(f"**Model in use: {kind}** ({plain(source)})")
            st.caption(pianoroll.model_summary(bundle))
        left, right = st.columns(2, vertical_alignment="top")
        upload = right.file_uploader("Load a saved model (.zip)", type=["zip"], key="bundle_upload",
                                     on_change=load_uploaded_bundle,
                                     help="A model bundle downloaded from this page earlier.")
        if upload is not None and st.session_state.get("bundle_error"):
            right.error(st.session_state["bundle_error"])
        if bundle is None:
            return
        left.download_button("Download this model (.zip)", data=lambda: bundle_to_bytes(bundle),
                             file_name=f"jazz-model-{kind}.zip", mime="application/zip", on_click="ignore",
                             icon=":material/download:", help="Keep the model: load it here again later.")
        if kind != "default":
            left.button("Use the default model again", on_click=use_default_model)


def generate_section() -> None:
    st.header("3 · Generate", divider="gray")
    bundle, kind, _ = active_model()
    st.caption("The model improvises value after value; each value becomes a note of its type (chord, scale, "
               f"approach or other tone) over the chords it plays over. Playing the **{kind}** model.")
    changes = changes_choice(bundle)
    with st.form("generate_form", border=False):
        typed = None
        if changes == MY_CHANGES:
            typed = st.text_area(
                "Your chord changes", key="my_changes", placeholder=CHANGES_EXAMPLE, height=68,
                help="Bars between | signs; several chords in one bar share it evenly; % repeats the bar before. "
                     "Chords like C, Cm7, F7, Bbmaj7, Am7b5, Bdim7, G7b9, D7#11, Gsus4 or G7alt.")
        c1, c2, c3 = st.columns(3)
        values = c1.number_input("Values to generate", 1, MAX_VALUES, DEFAULT_VALUES, key="values",
                                 help="N: how many notes and rests the model plays, one grammar value each.")
        temperature = c2.slider("Temperature", 0.0, 2.0, 0.7, 0.05, key="temperature",
                                help="0 always plays the most likely next value (the course's argmax, often "
                                     "repetitive); 1 follows the model's own odds; higher is freer.")
        seed = c3.number_input("Seed", 0, SEED_MAX, 1, key="generate_seed",
                               help="Same seed and settings, same solo.")
        c4, c5, c6 = st.columns(3, vertical_alignment="bottom")
        tempo = c4.number_input("Tempo (bpm)", 20, 400, 130, step=5, key="tempo")
        instrument = c5.selectbox("Solo instrument", list(pianoroll.INSTRUMENTS), key="instrument",
                                  help="A General MIDI instrument for the solo line.")
        chords = c6.checkbox("Play the chords", value=True, key="chords",
                             help="The chord progression on piano under the solo.")
        feel = feel_and_band()
        clicked = st.form_submit_button("Generate", type="primary", key="generate", disabled=bundle is None,
                                        icon=":material/music_note:")
    if clicked and bundle is not None:
        make_take(bundle, kind, changes, typed, (values, temperature, seed),
                  dict(tempo_bpm=float(tempo), solo_program=pianoroll.INSTRUMENTS[instrument], chords=bool(chords),
                       **feel), instrument)
    for record in st.session_state.get("takes", []):  # Re-roll clicked in the last run: play the bars again first
        bars = st.session_state.get(f"reroll_bars_{record['number']}")
        if bars and st.session_state.get(f"reroll_{record['number']}"):
            reroll(record, bars)
            break
    takes = st.session_state.get("takes", [])
    if not takes:
        st.info("Click **Generate** to hear the model improvise.")
    for index, record in enumerate(takes):
        if index == 0:
            with st.container(border=True):
                st.subheader(take_label(record, rerolled=False))
                if record["rerolled"]:  # on a line of its own, so the heading stays on one line
                    st.badge(pianoroll.rerolled_text(record["rerolled"]), icon=":material/casino:", color="orange")
                show_take(record, takes)
        else:
            with st.expander(take_label(record), key=f"take_{record['number']}"):
                show_take(record, takes)


def changes_choice(bundle: Bundle | None) -> str:
    """What to play over: the model's own changes, a preset, or the user's own (typed in the form)."""
    choice = st.selectbox("Play over", [OWN_CHANGES, *PRESETS, MY_CHANGES], key="changes",
                          help="The chords the solo is improvised over: the ones of the music the model learnt "
                               "from, a standard progression, or your own. The style stays the model's.")
    if choice == OWN_CHANGES and bundle is not None:
        st.caption(f"{len(bundle.progression)} bars of {plain(bundle.title or 'the training music')}, as the model "
                   "learnt them.")
    elif choice in PRESETS:
        st.caption(plain(pianoroll.changes_preview(PRESETS[choice])))
    return choice


def feel_and_band() -> dict:
    """Swing, humanising and the rhythm section, as PlaybackSettings fields."""
    with st.expander("Feel and band", icon=":material/graphic_eq:"):
        left, right = st.columns([3, 2], vertical_alignment="center", gap="large")
        swing = left.select_slider("Swing", SWINGS, value="straight", key="swing",
                                   help="How late the off-beat eighths land: straight (even), light (3:2), "
                                        "medium (2:1, a triplet feel) or hard (3:1).")
        humanize = right.checkbox("Humanize", key="humanize",
                                  help="Small seeded variations in timing and loudness, as a player would make.")
        c1, c2, c3 = st.columns(3)
        bass = c1.checkbox("Walking bass", key="bass", help="A bass line in quarter notes through the chords.")
        drums = c2.checkbox("Drums", key="drums", help="Ride cymbal, with the hi-hat on 2 and 4.")
        comping = c3.checkbox("Jazz comping", key="comping",
                              help="The piano plays rootless voicings on the Charleston rhythm instead of holding "
                                   "each chord (with Play the chords on).")
    return {"swing": swing, "humanize": bool(humanize), "bass": bool(bass), "drums": bool(drums),
            "comping": bool(comping)}


def take_label(record: dict, rerolled: bool = True) -> str:
    settings = record["take"].settings
    return pianoroll.take_label(record["number"], settings.values, settings.temperature, settings.seed,
                                record["rerolled"] if rerolled else ())


def make_take(bundle, kind, changes, typed, sampling, playback, instrument) -> None:
    values, temperature, seed = sampling
    try:
        progression = None if changes == OWN_CHANGES else parse_changes(PRESETS.get(changes, typed or ""))
    except JazzError as error:  # the parser names the bar and the chord it cannot read
        st.error(str(error))
        return
    try:
        settings = GenerateSettings(values=int(values), temperature=float(temperature), seed=int(seed))
        playback = PlaybackSettings(**playback)
        with st.spinner("Improvising…"):
            take = pipeline.generate(bundle, settings, playback, progression)
    except (JazzError, ValueError) as error:
        st.error(f"No solo this time: {error}")
        return
    over = ("the changes it learnt from" if changes == OWN_CHANGES else changes if changes in PRESETS
            else "your changes " + pianoroll.changes_preview(typed or "", bars=4))
    number = st.session_state.get("take_count", 0) + 1
    st.session_state["take_count"] = number
    pieces = source_pieces(bundle)
    record = {"number": number, "take": take, "bundle": bundle, "pieces": pieces, "model": kind,
              "instrument": instrument, "changes": over, "rerolled": (), "rerolls": 0, "notice": None,
              **played(take), **drawn(take), **measured(bundle, pieces, take)}
    st.session_state["takes"] = [record, *st.session_state.get("takes", [])][:MAX_TAKES]


def played(take: pipeline.Take) -> dict:
    """The take's audio for the player (FLAC), its length, or why it could not be played; made once per take
    (and per re-roll) and kept in the record, so drawing the page again encodes nothing."""
    try:
        with st.spinner("Rendering the audio with FluidSynth…"):
            audio, seconds = render_audio(take.midi, take.playback.chords)
        return {"audio": audio, "seconds": seconds, "audio_error": None}
    except JazzError as error:
        return {"audio": None, "seconds": take.seconds, "audio_error": f"The solo was written, but it could not be "
                f"played: {error} The MIDI file is below."}


def drawn(take: pipeline.Take) -> dict:
    """The take's piano roll as a Vega-Lite spec, built once per take (and per re-roll) and kept in the
    record: drawing it again on every run of the page costs no chart building or validation."""
    roll = pianoroll.piano_roll(take.notes, take.progression)
    return {"chart": pianoroll.roll_spec(roll), "roll_bars": roll.bar_count}


def source_pieces(bundle: Bundle):
    """The scores a model learnt from, when this session knows them: trained here, or the built-in corpus."""
    chosen = st.session_state.get("model")
    if chosen and chosen["bundle"] is bundle and chosen.get("pieces"):
        return chosen["pieces"]
    if bundle.source_sha256 == BUILTIN_SOURCE:
        try:
            return corpus()[0]
        except JazzError:
            return None
    return None


def measured(bundle: Bundle, pieces, take: pipeline.Take) -> dict:
    """The take's metrics, and the source's at the same number of values (see `evaluation.compare`)."""
    source = measure_source(pianoroll.source_key(bundle, pieces), len(take.values), bundle, pieces)
    return {"metrics": pianoroll.take_metrics(take, bundle.corpus), "source": source}


def reroll(record: dict, bars: list[int]) -> None:
    """Play the chosen bars again (a new seed each, from the take's seed and a count), keeping every other bar.

    Called before any take is drawn, in the run that follows the click, so the page shows the new take at
    once: no second run of the page."""
    take, count, done, problems = record["take"], record["rerolls"], [], []
    with st.spinner(f"Playing bar{'s' if len(bars) > 1 else ''} {', '.join(map(str, sorted(bars)))} again…"):
        for bar in sorted(bars):
            count += 1
            try:
                seed = pianoroll.reroll_seed(take.settings.seed, count)
                take = pipeline.reroll(record["bundle"], take, bar - 1, seed)
                done.append(bar)
            except RerollError as error:
                problems.append(str(error)[:1].upper() + str(error)[1:] + ".")
        updated = {**record, "take": take, "rerolls": count, "notice": " ".join(problems) or None,
                   "rerolled": tuple(sorted({*record["rerolled"], *done}))}
        if done:
            updated.update(played(take), **drawn(take), **measured(record["bundle"], record["pieces"], take))
    st.session_state["takes"] = [updated if r["number"] == record["number"] else r
                                 for r in st.session_state.get("takes", [])]


def show_take(record: dict, takes: list[dict]) -> None:
    take, number = record["take"], record["number"]
    notes = sum(n.pitch is not None for n in take.notes)
    st.caption(pianoroll.take_details(notes, record["seconds"], record["instrument"], take.playback,
                                      plain(record["changes"]), record["model"]))
    if record["audio"]:
        st.audio(record["audio"], format="audio/flac")
    else:
        st.warning(record["audio_error"])
    st.vega_lite_chart(record["chart"], width="stretch")
    under = ("the chords in grey (not played in this take)" if not take.playback.chords else
             "the chords in grey (the piano comps them in rootless voicings)" if take.playback.comping else
             "the chords as the piano plays them in grey")
    st.caption(f"The solo's notes coloured by grammar type, over {under}: {record['roll_bars']} bars. "
               "Drag the picture to scroll, use the wheel to zoom.")
    left, right = st.columns([4, 1], vertical_alignment="bottom")
    bars = left.multiselect("Bars to play again", range(1, pianoroll.take_bar_count(take) + 1),
                            key=f"reroll_bars_{number}", placeholder="Choose the bars you would like played again",
                            help="Re-roll plays these bars again, carrying on from the bars before; every other "
                                 "bar stays exactly as it is. Click again for another try.")
    right.button("Re-roll", key=f"reroll_{number}", disabled=not bars, icon=":material/casino:",
                 width="stretch")  # a click is acted on before the takes are drawn (see generate_section)
    if record["notice"]:
        st.warning(record["notice"])
    c1, c2, _ = st.columns([1, 1, 1])
    base = f"jazz-take-{number}"
    c1.download_button("MIDI", take.midi, file_name=f"{base}.mid", mime="audio/midi", on_click="ignore",
                       key=f"midi_{number}", icon=":material/download:")
    if record["audio"]:
        c2.download_button("Audio (WAV)", wav_of(take.midi, take.playback.chords), file_name=f"{base}.wav",
                           mime="audio/wav", on_click="ignore", key=f"wav_{number}", icon=":material/download:")
    compare_with_source(record, takes)


def compare_with_source(record: dict, takes: list[dict]) -> None:
    """The take's metrics beside the source's, and beside takes of the same model at other temperatures."""
    same_model = [(r["number"], r["take"].settings.temperature, r["metrics"]) for r in takes
                  if r["bundle"] is record["bundle"]]
    columns = pianoroll.comparison_columns(same_model, record["number"])
    source = record["source"]
    with st.expander("How does this take compare with the source?", icon=":material/compare_arrows:"):
        if source is None:
            st.caption("This model keeps no training values, so there is no source to compare with.")
        else:
            st.caption(f"Each row is measured from the notes, the same way for every column. The source is "
                       f"{source.what}: the mean of {source.windows} stretches of {source.values} values. Low "
                       "temperatures repeat themselves (more bars repeated, longer copied runs, less phrase "
                       "variety); high ones stray further from the source's habits.")
        st.table(pianoroll.metrics_rows(source, columns), hide_index=True)


# --- the page -------------------------------------------------------------------------------

keep_interrupted_run()
warm_up()
st.title("Jazz LSTM Studio")
st.markdown("Teach an LSTM the phrasing of a jazz solo from a score, then let it improvise new solos over "
            "the same chord changes.")
# Sections are laid out in reading order but filled Generate first, so its button shows while the
# built-in corpus is still being read on the first visit (by the warm-up, from the start of this run);
# a click is answered as soon as this first run ends.
music_box, train_box, generate_box = st.container(), st.container(), st.container()
with generate_box:
    if st.session_state.get("train"):  # this run trains: see "Generating" above
        generate_section()
    else:
        st.fragment(generate_section)()
with music_box:
    music = music_section()
with train_box:
    train_section(music)
