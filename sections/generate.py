"""Section 3, Generate: what to play over, how many values, temperature, seed, tempo, instrument, feel and band;
Generate makes a take (see `sections.takes` for how takes are shown), Practice plays chorus after chorus
(`sections.practice`) and trading fours answers a phrase (`sections.trading`)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from jazz_core import pipeline
from jazz_core.changes import PRESETS, parse_changes
from jazz_core.errors import JazzError
from jazz_core.labels import INSTRUMENTS, bar_lines_note, changes_preview, length_words
from jazz_core.session import length_problem, take_record, with_take
from jazz_core.settings import SWINGS, GenerateSettings, PlaybackSettings
from sections.boundary import plain
from sections.cache import DEFAULT_VALUES, source_of
from sections.form import MY_CHANGES, OWN_CHANGES, Asked, changes_words, last_used, progression_of
from sections.model import ModelInUse, active_model, source_pieces
from sections.practice import practice_box
from sections.practice import start as start_practice
from sections.takes import MAX_TAKES, show_takes
from sections.trading import answer_box

UNITS = ("choruses", "bars", "values")
CHANGES_EXAMPLE = "| Dm7 G7 | Cmaj7 | % | A7b9 |"
ONE_BAR_SAID = "one_bar_said"  # st.session_state: the typed changes whose one-bar note was said at a click


def generate_section() -> None:
    st.header("Generate", divider="gray")
    model = active_model()
    st.caption("The model improvises value after value; each value becomes a note of its type (chord, scale, "
               "approach or other tone) over the chords it plays over. Playing the "
               f"**{model.kind if model else 'missing'}** model.")
    changes = changes_choice(model)
    unit = st.radio("Length in", UNITS, index=1, horizontal=True, key="length_unit",
                    help="Choruses: times through the changes, ending on the last bar of the form. Bars: any "
                         "number of bars, also ending on a bar line. Values: a number of notes and rests.")
    with st.form("generate_form", border=False):
        typed = changes_field() if changes == MY_CHANGES else None
        held = one_bar_held(typed)
        length = length_fields(unit, model)
        sampling = sampling_fields()
        playback, instrument = playback_fields()
        clicked = st.form_submit_button("Generate", type="primary", key="generate", disabled=model is None,
                                        icon=":material/music_note:")
        practise = st.form_submit_button("Practice", key="practice", disabled=model is None,
                                         icon=":material/autorenew:",
                                         help="Chorus after chorus over these changes with these settings, a "
                                              "fresh solo each time, until Stop (no take is kept).")
    if clicked and model is not None and not held:
        make_take(model, Asked(changes, typed, unit, *length), sampling, playback, instrument)
    if practise and model is not None and not held:
        problem = start_practice(model, lambda: practice_settings(model, changes))
        if problem:
            st.error(plain(problem))
    practice_box()
    answer_box(model, changes)
    show_takes()


def one_bar_held(typed: str | None) -> bool:
    """Chords typed without bar lines are read as one bar, and the sentence saying so is under the field; the
    first Generate or Practice with such text plays nothing (True), so nothing is made before it is read; the
    next click plays them as one bar."""
    note = bar_lines_note(typed) if typed else None
    if note is None:
        return False
    clicking = st.session_state.get("generate") or st.session_state.get("practice")
    if clicking and st.session_state.get(ONE_BAR_SAID) != typed:
        st.session_state[ONE_BAR_SAID] = typed
        st.warning(plain(f"Not played yet. {note} Click again to play them as one bar."), icon=":material/info:")
        return True
    st.caption(plain(note))
    return False


def length_fields(unit: str, model: ModelInUse | None) -> tuple[float, float]:
    """(choruses or bars, values to generate): no bounds on the fields, so nothing typed is silently replaced;
    Generate checks them and says what is wrong."""
    left, right = st.columns(2)
    count = 0
    if unit == "choruses":
        count = left.number_input("Choruses", value=2, step=1, key="choruses",
                                  help="Times through the changes; the solo ends on the last bar of the form.")
    elif unit == "bars":
        count = left.number_input("Bars", value=16, step=1, key="bars",
                                  help="The solo ends on this bar line (16 bars: about 30 s at 130 bpm).")
    vocabulary = f" ({len(model.bundle.vocabulary)} for this model)" if model else ""
    values = right.number_input(
        "Values to generate", value=DEFAULT_VALUES, step=10, key="values", disabled=unit != "values",
        help="N: how many notes and rests the model plays, one grammar value each (used when the length is in "
             "values). Not the vocabulary size, the course's n_values: the distinct values the model knows"
             f"{vocabulary}.")
    if unit != "values":
        left.caption("The number of values follows from the length.")
    return count, values


def changes_choice(model: ModelInUse | None) -> str:
    """What to play over: the model's own changes, a preset, or the user's own (typed in the form)."""
    choice = st.selectbox("Play over", [OWN_CHANGES, *PRESETS, MY_CHANGES], key="changes",
                          help="The chords the solo is improvised over: the ones of the music the model learnt "
                               "from, a standard progression, or your own. The style stays the model's.")
    if choice == OWN_CHANGES and model is not None:
        st.caption(f"{len(model.bundle.progression)} bars of {plain(model.bundle.title or 'the training music')}, "
                   "as the model learnt them.")
    elif choice in PRESETS:
        st.caption(plain(changes_preview(PRESETS[choice])))
    return choice


def changes_field() -> str:
    return st.text_area(
        "Your chord changes", key="my_changes", placeholder=CHANGES_EXAMPLE, height=68,
        help="Bars between | signs; several chords in one bar share it evenly; % repeats the bar before. "
             "Chords like C, Cm7, F7, Bbmaj7, Am7b5, Bdim7, G7b9, D7#11, Gsus4 or G7alt.")


def sampling_fields() -> tuple:
    """(temperature, seed, variants) as the form holds them."""
    left, middle, right = st.columns([2, 1, 1])
    temperature = left.slider("Temperature", 0.0, 2.0, 0.7, 0.05, key="temperature",
                              help="0 always plays the most likely next value (the course's argmax, often "
                                   "repetitive); 1 follows the model's own odds; higher is freer.")
    seed = middle.number_input("Seed", value=1, step=1, key="generate_seed", help="Same seed and settings, same solo.")
    variants = right.selectbox("Variants", (1, 2, 3, 4), key="variants",
                               help="Takes from one click, with seeds counted up from Seed: pick the one you like.")
    return temperature, seed, variants


def playback_fields() -> tuple[dict, str]:
    """PlaybackSettings fields as the form holds them, and the solo instrument's name."""
    c4, c5, c6 = st.columns(3, vertical_alignment="bottom")
    tempo = c4.number_input("Tempo (bpm)", value=130, step=5, key="tempo", help="20 to 400 beats a minute.")
    instrument = c5.selectbox("Solo instrument", list(INSTRUMENTS), key="instrument",
                              help="A General MIDI instrument for the solo line.")
    chords = c6.checkbox("Play the chords", value=True, key="chords",
                         help="The chord progression on piano under the solo.")
    playback = dict(tempo_bpm=float(tempo), solo_program=INSTRUMENTS[instrument], chords=bool(chords),
                    **feel_and_band())
    return playback, instrument


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


def make_take(model: ModelInUse, asked: Asked, sampling: tuple, playback: dict, instrument: str) -> None:
    """Improvise a take with the form's settings and put it on top of the session's takes; or say, under the
    form, why not (nothing typed is replaced by another value: no take with other settings than shown)."""
    temperature, seed, variants = sampling
    try:
        progression = None if asked.changes == OWN_CHANGES else parse_changes(PRESETS.get(asked.changes,
                                                                                          asked.typed or ""))
    except JazzError as error:  # the parser names the bar and the chord it cannot read
        st.error(plain(error))
        return
    try:
        values = asked.values if asked.unit == "values" else DEFAULT_VALUES
        settings = GenerateSettings(values=values, temperature=float(temperature), seed=seed)
        sound = PlaybackSettings(**playback)
    except JazzError as error:  # a SettingsError names the value and the range
        st.error(f"Nothing was generated: {plain(error)}.")
        return
    measures = progression or model.bundle.progression
    problem = length_problem(asked.unit, asked.count, settings.values, sound.tempo_bpm, measures, model.bundle)
    if problem:
        st.error(f"Nothing was generated: {problem}")
        return
    bars = int(asked.count * (len(measures) if asked.unit == "choruses" else 1))
    batch = st.session_state.get("batch_count", 0) + 1
    st.session_state["batch_count"] = batch
    for variant in range(variants):
        try:
            seeded = replace(settings, seed=settings.seed + variant)
        except JazzError as error:
            st.error(f"No more variants: {plain(error)}.")
            return
        try:
            add_take(model, asked, seeded, sound, instrument, bars, len(measures), batch)
        except JazzError as error:  # a take too long to write (a model of very long values) says so
            st.error(f"Nothing was generated: {plain(error)}")
            return


def add_take(model: ModelInUse, asked: Asked, settings: GenerateSettings, sound: PlaybackSettings,
             instrument: str, bars: int, form_bars: int, batch: int) -> None:
    """One take improvised, rendered and measured, on top of the session's takes."""
    with st.spinner(f"Improvising (seed {settings.seed})…"):
        if asked.unit == "values":
            take = pipeline.generate(model.bundle, settings, sound, None if asked.changes == OWN_CHANGES else
                                     progression_of(asked))
        else:
            take = pipeline.generate_bars(model.bundle, bars, settings, sound, None if asked.changes == OWN_CHANGES
                                          else progression_of(asked))
    number = st.session_state.get("take_count", 0) + 1
    st.session_state["take_count"] = number
    pieces = source_pieces(model.bundle)
    with st.spinner("Rendering the audio with FluidSynth…"):
        record = take_record(number, take, model.bundle, pieces, model.kind, instrument,
                             changes_words(asked.changes, asked.typed), source_of(model.bundle, pieces,
                                                                                  len(take.values)),
                             length_words(asked.unit, int(asked.count), form_bars))
    record = replace(record, batch=batch)
    st.session_state["takes"] = with_take(st.session_state.get("takes", []), record, MAX_TAKES)


def practice_settings(model: ModelInUse, changes: str) -> tuple:
    """What practice mode plays: (measures, GenerateSettings, PlaybackSettings, what it plays over in words)."""
    measures, settings, sound, _ = last_used(model, changes)
    return measures, settings, sound, changes_words(changes, st.session_state.get("my_changes"))
