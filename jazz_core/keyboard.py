"""A phrase played on a MIDI keyboard in the browser (Web MIDI), made the MIDI file an upload would be.

The page receives the notes as plain numbers: (pitch, start, end, velocity), seconds from the downbeat of bar 1
(the recorder counts one bar in first, so a note played in the count-in's last beat, a pickup, comes negative).
They come from a browser, so they are checked as untrusted data; a pickup is moved onto beat 1 (a phrase to
answer starts on its bar 1); then they are written at the tempo they were played to, so trading fours reads them
exactly as it reads an uploaded phrase (`trading.answered` via the reading of MIDI files, which quantizes them).
Never imports Streamlit.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from jazz_core.errors import BadScoreError

MAX_NOTES = 512  # a phrase of 8 bars played fast is far fewer
MAX_SECONDS = 120.0  # 8 bars at 20 bpm is 96 s
SHORTEST = 0.01  # seconds: a note shorter than this is a key bounce, left out


def _number(value: object) -> float:
    """A finite number from the browser's message, else the sentence for garbled notes."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise BadScoreError("The keyboard's notes came garbled: play the phrase again.")
    return float(value)


def checked_notes(notes: object) -> list[tuple[int, float, float, int]]:
    """The notes as (pitch, start, end, velocity), in order of their start, or a BadScoreError saying what is wrong."""
    if not isinstance(notes, list | tuple) or len(notes) > MAX_NOTES:
        raise BadScoreError(f"The keyboard sent no phrase of at most {MAX_NOTES} notes: play a shorter phrase.")
    kept = []
    for note in notes:
        if not isinstance(note, list | tuple) or len(note) != 4:
            raise BadScoreError("The keyboard's notes came garbled: play the phrase again.")
        pitch, start, end, velocity = (_number(part) for part in note)
        if not (0 <= pitch <= 127 and -MAX_SECONDS <= start < end <= MAX_SECONDS and 0 < velocity <= 127):
            raise BadScoreError("The keyboard's notes came garbled: play the phrase again.")
        if end - start >= SHORTEST:
            kept.append((int(pitch), start, end, int(velocity)))
    if not kept:
        raise BadScoreError("No notes came from the keyboard: press Record, play your phrase, then Done.")
    return sorted(kept, key=lambda note: (note[1], note[0]))


def on_bar_one(notes: Sequence[tuple[int, float, float, int]], tempo_bpm: float
               ) -> list[tuple[int, float, float, int]]:
    """The notes from the downbeat of bar 1: a pickup (begun in the beat before it) moved onto beat 1, its length
    kept; a note begun earlier, in the count-in, left out."""
    beat = 60.0 / tempo_bpm
    kept = []
    for pitch, start, end, velocity in notes:
        if start >= 0:
            kept.append((pitch, start, end, velocity))
        elif start >= -beat:
            kept.append((pitch, 0.0, end - start, velocity))
    if not kept:
        raise BadScoreError("No notes came after the count-in: press Record, play your phrase from bar 1, then Done.")
    return sorted(kept, key=lambda note: (note[1], note[0]))


def phrase_midi(notes: object, tempo_bpm: float) -> bytes:
    """The played notes as a one-track MIDI file at `tempo_bpm`, time 0 the downbeat of bar 1."""
    import pretty_midi

    if not 20 <= tempo_bpm <= 400:
        raise BadScoreError(f"The phrase cannot be read at {tempo_bpm:g} bpm: choose a tempo of 20 to 400.")
    played = on_bar_one(checked_notes(notes), tempo_bpm)
    midi = pretty_midi.PrettyMIDI(initial_tempo=float(tempo_bpm))
    track = pretty_midi.Instrument(program=0, name="Keyboard")
    track.notes.extend(pretty_midi.Note(velocity, pitch, start, end) for pitch, start, end, velocity in played)
    midi.instruments.append(track)
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()


def phrase_of(message: object) -> tuple[Sequence, float]:
    """(notes, tempo) from the keyboard component's message {"notes": [...], "tempo": bpm}."""
    if not isinstance(message, dict):
        raise BadScoreError("The keyboard's notes came garbled: play the phrase again.")
    return message.get("notes"), _number(message.get("tempo"))
