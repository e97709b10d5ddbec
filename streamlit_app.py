"""Jazz LSTM Studio, the page: choose music, train the LSTM on it, improvise and listen.

Thin on purpose: widgets wired to `jazz_core` calls; everything musical lives in the package
(the rows for charts and tables in `jazz_core.pianoroll`). TensorFlow is imported only when
Train is clicked; generating a solo runs the model in NumPy.

Stopping training: a click on Stop makes Streamlit start the script again while the old run
is still inside an epoch. Every epoch stores the model as it stands in the session (under a
lock) before touching the page, so the new run packs that snapshot into a bundle and the old
run, at its next epoch or page call, sees the run closed and gives up without a word.
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
from jazz_core.errors import JazzError
from jazz_core.scores import METHENY, builtin_corpus, read_raw, read_score
from jazz_core.settings import (
    MAX_EPOCHS,
    MAX_HIDDEN_UNITS,
    MAX_SEQUENCE_LENGTH,
    MAX_VALUES,
    MAX_WINDOWS,
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
SEED_MAX = 2**31 - 1
UI_EVERY = 0.25  # seconds between page updates while training (every epoch is still recorded)

st.set_page_config(page_title="Jazz LSTM Studio", page_icon="🎷", layout="centered")


def plain(text: str) -> str:
    """Text from a file (names, titles) shown as is inside Markdown, never as formatting or links."""
    return re.sub(r"([\\`*_\[\]<>#|~$])", r"\\\1", text)


# --- cached work ----------------------------------------------------------------------------

@st.cache_resource(show_spinner=False)
def default_bundle() -> Bundle:
    return load_bundle(DEFAULT_MODEL)


@st.cache_resource(show_spinner="Reading the built-in corpus…")
def corpus() -> tuple[tuple, tuple]:
    pieces = tuple(builtin_corpus())
    return pieces, tuple(tuple(pipeline.corpus_values([p])) for p in pieces)


@st.cache_data(max_entries=16, show_spinner=False)
def raw_tracks(data: bytes, title: str):
    return read_raw(data, title).tracks


@st.cache_data(max_entries=16, show_spinner="Reading the score…")
def read_piece(data: bytes, preset: str | None, melody: int | None, title: str):
    piece = read_score(data, preset=preset, melody=melody, title=title)
    return piece, tuple(pipeline.corpus_values([piece]))


@st.cache_resource(show_spinner=False)
def warm_up_audio() -> None:
    """Load FluidSynth and its soundfont in the background once, so the first Generate is quick."""
    try:
        bundle = default_bundle()
    except JazzError:
        return

    def work() -> None:
        from jazz_core.audio import AudioSettings, render

        try:
            take = pipeline.generate(bundle, GenerateSettings(values=4), PlaybackSettings(chords=False))
            render(take.midi, AudioSettings(chords=False, tail_seconds=0.0))
        except JazzError:
            pass  # the first real render will say what is wrong

    threading.Thread(target=work, name="warm-up-audio", daemon=True).start()


def render_audio(midi: bytes, chords: bool) -> tuple[bytes, float]:
    """The take as OGG (small, for the player) and its length in seconds."""
    from jazz_core.audio import AudioSettings, render

    rendered = render(midi, AudioSettings(chords=chords))
    return rendered.to_ogg(), rendered.seconds


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


def activate(bundle: Bundle, kind: str, source: str) -> None:
    st.session_state["model"] = {"bundle": bundle, "kind": kind, "source": source}


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
        activate(bundle, "trained", f"trained here on {run['title']}")
        last = run["history"][-1]
        if stopped_by == "stop":
            text = f"Stopped after epoch {epochs_done}; the model is kept (loss {last.loss:.3f})."
        elif stopped_by == "page":
            text = (f"Training was interrupted after epoch {epochs_done} by a change on the page; "
                    f"the model is kept (loss {last.loss:.3f}).")
        else:
            text = (f"Trained for {epochs_done} epochs in {last.seconds:.1f} s; final loss {last.loss:.3f}. "
                    "The new model is now in use.")
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
            run["snapshot"] = report.weights()
            run["history"].append(replace(report, weights=_no_weights))
        now = time.perf_counter()
        if report.epoch == report.epochs or now - shown[0] >= UI_EVERY:
            shown[0] = now
            progress_slot.progress(report.epoch / report.epochs,
                                   text=f"Epoch {report.epoch} of {report.epochs} · loss {report.loss:.3f} · "
                                        + pianoroll.time_left(report.seconds, report.epoch, report.epochs,
                                                              run["history"][0].seconds))
            chart_slot.altair_chart(loss_chart(run["history"]), width="stretch")

    trained = train(windows, model, training, on_epoch, lambda: run["closed"])
    with run["lock"]:
        if run["closed"]:  # a newer run of the page has already kept the model
            return
        finish_run(run, trained.weights, None)
    st.rerun()  # draw the whole page again with the new model in use


# --- charts ---------------------------------------------------------------------------------

def loss_chart(history):
    import altair as alt

    rows = pianoroll.loss_rows(history)
    curves = [c for c in ("training loss", "validation loss") if any(r[c] is not None for r in rows)]
    return (alt.Chart(alt.Data(values=rows))
            .transform_fold(curves, as_=["curve", "loss"])
            .mark_line(point=len(rows) <= 30)
            .encode(x=alt.X("epoch:Q", title="epoch", axis=alt.Axis(tickMinStep=1, format="d")),
                    y=alt.Y("loss:Q", title="loss (cross-entropy)", scale=alt.Scale(zero=False)),
                    color=alt.Color("curve:N", title=None, legend=alt.Legend(orient="top")),
                    tooltip=["epoch:Q", "curve:N", alt.Tooltip("loss:Q", format=".4f")])
            .properties(height=220))


def roll_chart(roll: pianoroll.PianoRoll, bars_shown: int = 8):
    import altair as alt

    x_end = min(roll.bars, 1 + bars_shown)
    x = alt.X("start:Q", title="bar", scale=alt.Scale(domain=[1, x_end], nice=False),
              axis=alt.Axis(tickMinStep=1, format="d", grid=True))
    y_scale = alt.Scale(domain=[roll.lowest - 1.5, roll.highest + 4], nice=False)
    octaves = [p for p in range(roll.lowest - 1, roll.highest + 4) if p % 12 == 0]
    names = "['" + "','".join(pianoroll.NAMES) + "']"
    y = alt.Y("low:Q", title=None, scale=y_scale,
              axis=alt.Axis(values=octaves, labelExpr=f"{names}[datum.value % 12] + (floor(datum.value / 12) - 1)"))
    chords = (alt.Chart(alt.Data(values=roll.chords)).mark_rect(clip=True, opacity=0.10, color="#5b6b8c")
              .encode(x=x, x2="end:Q", y=y, y2="high:Q", tooltip=[alt.Tooltip("chord:N", title="chord")]))
    tones = (alt.Chart(alt.Data(values=roll.tones)).mark_rect(clip=True, opacity=0.35, color="#7d8799")
             .encode(x=x, x2="end:Q", y=y, y2="high:Q",
                     tooltip=[alt.Tooltip("chord:N", title="chord"), alt.Tooltip("note:N", title="plays")]))
    labels = (alt.Chart(alt.Data(values=[r for r in roll.chords if r["label"]]))
              .mark_text(clip=True, align="left", baseline="middle", dx=3, fontSize=12, fontWeight="bold",
                         color="#3d4a63")
              .encode(x=x, y=alt.Y("top:Q", scale=y_scale), text="label:N"))
    kinds = list(pianoroll.KINDS.values())
    notes = (alt.Chart(alt.Data(values=roll.notes)).mark_rect(clip=True, cornerRadius=2, stroke="white",
                                                              strokeWidth=0.5)
             .encode(x=x, x2="end:Q", y=y, y2="high:Q",
                     color=alt.Color("type:N", title=None, legend=alt.Legend(orient="top", direction="horizontal"),
                                     scale=alt.Scale(domain=kinds, range=list(pianoroll.KIND_COLOURS.values()))),
                     tooltip=[alt.Tooltip("note:N", title="note"), alt.Tooltip("type:N", title="type"),
                              alt.Tooltip("bar:Q", title="bar"), alt.Tooltip("beat:Q", title="beat"),
                              alt.Tooltip("quarters:Q", title="length (quarters)", format=".3g")]))
    return alt.layer(chords, tones, notes, labels).properties(height=320).interactive(bind_y=False)


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
    course = pianoroll.looks_like_course_file(tracks, data)
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
    try:
        piece, values = read_piece(data, METHENY if use_preset else None, None if use_preset else melody, title)
        melody_index = pianoroll.melody_part(tracks, METHENY if use_preset else None, melody)
    except JazzError as error:
        st.error(str(error))
        return None
    if course and use_preset:
        st.caption("Recognised the course's file (19 parts, the guitar solo as part 5).")
    with st.expander(f"Parts found in {plain(title)} ({len(tracks)})", expanded=len(tracks) <= 8):
        st.dataframe(pianoroll.parts_rows(tracks, melody_index), hide_index=True, width="stretch",
                     column_config={"drums": st.column_config.CheckboxColumn("drums")})
    show_summary((piece,), (values,))
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
    return epochs, hidden, length, rate, windows, seed


def train_section(music) -> None:
    st.header("2 · Train", divider="gray")
    st.caption("Fit the course's LSTM to the music above: it learns which grammar value tends to come next. "
               "The default model is already trained, so you can skip to 3.")
    with st.form("train_form", border=False):
        epochs, hidden, length, rate, windows, seed = training_settings()
        clicked = st.form_submit_button("Train", type="primary", key="train", disabled=music is None,
                                        icon=":material/model_training:")
    progress_slot, stop_slot, chart_slot = st.empty(), st.empty(), st.empty()
    if clicked and music is not None:
        st.session_state.pop("train_notice", None)
        pieces, sources, title = music
        try:
            settings = (DatasetSettings(windows=int(windows), sequence_length=int(length), seed=int(seed)),
                        ModelSettings(hidden_units=int(hidden)),
                        TrainSettings(epochs=int(epochs), learning_rate=float(rate), seed=int(seed)))
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
        chart_slot.altair_chart(loss_chart(run["history"]), width="stretch")
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
               f"approach or other tone) over the chords of the music it learnt from. Playing the **{kind}** "
               "model.")
    with st.form("generate_form", border=False):
        c1, c2, c3 = st.columns(3)
        values = c1.number_input("Values to generate", 1, MAX_VALUES, 200, key="values",
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
        clicked = st.form_submit_button("Generate", type="primary", key="generate", disabled=bundle is None,
                                        icon=":material/music_note:")
    if clicked and bundle is not None:
        make_take(bundle, kind, values, temperature, seed, tempo, instrument, chords)
    takes = st.session_state.get("takes", [])
    if not takes:
        st.info("Click **Generate** to hear the model improvise.")
    for index, take in enumerate(takes):
        if index == 0:
            with st.container(border=True):
                st.subheader(take["label"])
                show_take(take)
        else:
            with st.expander(take["label"]):
                show_take(take)


def make_take(bundle, kind, values, temperature, seed, tempo, instrument, chords) -> None:
    try:
        settings = GenerateSettings(values=int(values), temperature=float(temperature), seed=int(seed))
        playback = PlaybackSettings(tempo_bpm=float(tempo), solo_program=pianoroll.INSTRUMENTS[instrument],
                                    chords=bool(chords))
        with st.spinner("Improvising…"):
            take = pipeline.generate(bundle, settings, playback)
    except (JazzError, ValueError) as error:
        st.error(f"No solo this time: {error}")
        return
    ogg, seconds, audio_error = None, take.seconds, None
    try:
        with st.spinner("Rendering the audio with FluidSynth…"):
            ogg, seconds = render_audio(take.midi, playback.chords)
    except JazzError as error:
        audio_error = f"The solo was written, but it could not be played: {error} The MIDI file is below."
    number = st.session_state.get("take_count", 0) + 1
    st.session_state["take_count"] = number
    record = {"number": number, "label": pianoroll.take_label(number, len(take.values), settings.temperature,
                                                               settings.seed),
              "take": take, "measures": bundle.progression, "model": kind, "instrument": instrument,
              "ogg": ogg, "seconds": seconds, "audio_error": audio_error}
    st.session_state["takes"] = [record, *st.session_state.get("takes", [])][:MAX_TAKES]


def show_take(record: dict) -> None:
    take = record["take"]
    notes = sum(n.pitch is not None for n in take.notes)
    st.caption(f"{notes} notes · {record['seconds']:.0f} s · {record['instrument']} at "
               f"{take.playback.tempo_bpm:g} bpm · chords {'on' if take.playback.chords else 'off'} · "
               f"{record['model']} model")
    if record["ogg"]:
        st.audio(record["ogg"], format="audio/ogg")
    else:
        st.warning(record["audio_error"])
    roll = pianoroll.piano_roll(take.notes, record["measures"])
    st.altair_chart(roll_chart(roll), width="stretch")
    under = "the chords as the piano plays them" if take.playback.chords else "the chords (not played in this take)"
    st.caption(f"The solo's notes coloured by grammar type, over {under} in grey: {roll.bar_count} bars. "
               "Drag the picture to scroll, use the wheel to zoom.")
    c1, c2, _ = st.columns([1, 1, 1])
    base = f"jazz-take-{record['number']}"
    c1.download_button("MIDI", take.midi, file_name=f"{base}.mid", mime="audio/midi", on_click="ignore",
                       key=f"midi_{record['number']}", icon=":material/download:")
    if record["ogg"]:
        c2.download_button("Audio (WAV)", wav_of(take.midi, take.playback.chords), file_name=f"{base}.wav",
                           mime="audio/wav", on_click="ignore", key=f"wav_{record['number']}",
                           icon=":material/download:")


# --- the page -------------------------------------------------------------------------------

keep_interrupted_run()
warm_up_audio()
st.title("Jazz LSTM Studio")
st.markdown("Teach an LSTM the phrasing of a jazz solo from a score, then let it improvise new solos over "
            "the same chord changes.")
# Sections are laid out in reading order but filled Generate first, so the page can play at once
# while the built-in corpus is still being read on the first visit.
music_box, train_box, generate_box = st.container(), st.container(), st.container()
with generate_box:
    generate_section()
with music_box:
    music = music_section()
with train_box:
    train_section(music)
