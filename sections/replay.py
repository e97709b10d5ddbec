"""A take played again in place: another tempo, instrument, feel, band or key for the same notes (re-rolled
bars kept), a new MIDI and new audio, no new take. Each take has its own small form; a click is acted on before
the takes are drawn (as Re-roll is), so the page shows the new sound at once."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from jazz_core.errors import JazzError
from jazz_core.labels import INSTRUMENTS
from jazz_core.session import TakeRecord, drawn, sound_of, with_take
from jazz_core.settings import SWINGS
from jazz_core.transpose import MOST_SEMITONES, key_name, transposed_take

FIELDS = ("tempo_bpm", "instrument", "swing", "chords", "comping", "bass", "drums", "humanize")


def key(record: TakeRecord, field: str) -> str:
    return f"replay_{field}_{record.number}"


def replay_form(record: TakeRecord) -> None:
    """The take's playback settings, to change and play again."""
    playback, number = record.take.playback, record.number
    with st.form(f"replay_form_{number}", border=False):
        c1, c2, c3, c4 = st.columns(4)
        c1.number_input("Tempo (bpm)", value=round(playback.tempo_bpm), step=5, key=key(record, "tempo_bpm"),
                        help="20 to 400 beats a minute.")
        names = list(INSTRUMENTS)
        program = next((i for i, n in enumerate(names) if n == record.instrument), 0)
        c2.selectbox("Solo instrument", names, index=program, key=key(record, "instrument"))
        c3.selectbox("Swing", SWINGS, index=SWINGS.index(playback.swing), key=key(record, "swing"))
        c4.number_input("Transpose (semitones)", -MOST_SEMITONES, MOST_SEMITONES, value=record.transposed, step=1,
                        key=key(record, "transpose"),
                        help="Up or down from the key it was made in: notes and chords move together, the MIDI "
                             "stays at concert pitch.")
        boxes = st.columns(5)
        for column, (field, label) in zip(boxes, (("chords", "Chords"), ("comping", "Comping"), ("bass", "Bass"),
                                                  ("drums", "Drums"), ("humanize", "Humanize")), strict=True):
            column.checkbox(label, value=getattr(playback, field), key=key(record, field))
        st.form_submit_button("Play it this way", key=key(record, "go"), icon=":material/replay:",
                              help="The same notes, re-rolled bars and all, with these settings: new audio, no new "
                                   "take.")


def apply_replays(takes: list[TakeRecord], most: int) -> None:
    """Play again the take whose 'Play it this way' was clicked in the last run, if any."""
    for record in takes:
        if st.session_state.get(key(record, "go")):
            replay(record, most)
            return


def replay(record: TakeRecord, most: int) -> None:
    fields = {field: st.session_state.get(key(record, field)) for field in FIELDS}
    instrument = fields.pop("instrument")
    semitones = int(st.session_state.get(key(record, "transpose")) or 0)
    try:
        with st.spinner("Playing the take again with FluidSynth…"):
            playback = replace(record.take.playback, **{**fields, "tempo_bpm": float(fields["tempo_bpm"])},
                               solo_program=INSTRUMENTS[instrument])
            take = transposed_take(record.take, semitones - record.transposed, playback)
            chart = drawn(take, record.bundle.corpus, record.copied or None)[0]  # same values: same copied flags
            updated = replace(record, take=take, sound=sound_of(take), chart=chart,
                              instrument=instrument, transposed=semitones, notice=None)
    except JazzError as error:  # a SettingsError names the value and the range
        updated = replace(record, notice=f"Not played again: {error}.")
    st.session_state["takes"] = with_take(takes_of(), updated, most)


def takes_of() -> list[TakeRecord]:
    return st.session_state.get("takes", [])


def transposition_text(record: TakeRecord) -> str:
    """'transposed up 2 semitones: now in G', or '' for a take in the key it was made in."""
    if not record.transposed:
        return ""
    steps = abs(record.transposed)
    return (f"transposed {'up' if record.transposed > 0 else 'down'} {steps} semitone{'s' if steps > 1 else ''}: "
            f"now in {key_name(record.take.progression)}")
