"""A take moved up or down by semitones: its notes, its chords (pitches, scales and symbols) and so its MIDI,
all at concert pitch; the grammar values stay as they are (they are relative to the chords), so a re-roll
of a transposed take plays in the new key. Also the name of the key a progression sits in.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from jazz_core import pipeline
from jazz_core.errors import SettingsError
from jazz_core.music import NOTE_NAMES, Chord, Measure, Note
from jazz_core.spelling import estimate_key

MOST_SEMITONES = 12  # an octave either way
MAJOR_KEYS = {-6: "Gb", -5: "Db", -4: "Ab", -3: "Eb", -2: "Bb", -1: "F", 0: "C", 1: "G", 2: "D", 3: "A", 4: "E",
              5: "B", 6: "F#"}  # by key signature (fifths)
_ROOT = re.compile(r"([A-G])([b#-]?)")
_LETTERS = {"C": 0, "D": 2, "E": 4, "F": 5, "G": 7, "A": 9, "B": 11}


def _moved_root(match: re.Match, semitones: int) -> str:
    pitch = _LETTERS[match.group(1)] + {"b": -1, "-": -1, "#": 1}.get(match.group(2), 0)
    return NOTE_NAMES[(pitch + semitones) % 12]


def transposed_symbol(symbol: str, semitones: int) -> str:
    """'Bb7' up 2 -> 'C7'; the bass of a slash chord moves too ('C/E' up 1 -> 'Db/F'); spelt with flats."""
    head, slash, bass = symbol.partition("/")
    moved = _ROOT.sub(lambda m: _moved_root(m, semitones), head, count=1)
    if slash:
        moved += "/" + _ROOT.sub(lambda m: _moved_root(m, semitones), bass, count=1)
    return moved


def _chord(chord: Chord, semitones: int) -> Chord:
    return replace(chord, pitches=tuple(p + semitones for p in chord.pitches),
                   scale=tuple((c + semitones) % 12 for c in chord.scale),
                   symbol=transposed_symbol(chord.symbol, semitones) if chord.symbol else "")


def _note(note: Note, semitones: int) -> Note:
    return note if note.pitch is None else replace(note, pitch=note.pitch + semitones)


def transposed_measures(measures: Sequence[Measure], semitones: int) -> tuple[Measure, ...]:
    return tuple(replace(m, notes=tuple(_note(n, semitones) for n in m.notes),
                         chords=tuple(_chord(c, semitones) for c in m.chords)) for m in measures)


def transposed_notes(notes: Sequence[Note], semitones: int) -> tuple[Note, ...]:
    """The notes moved by `semitones` (-12..12); SettingsError when one would leave MIDI's 0-127."""
    if not -MOST_SEMITONES <= semitones <= MOST_SEMITONES or semitones != int(semitones):
        raise SettingsError(f"transpose must be a whole number of semitones from -{MOST_SEMITONES} to "
                            f"{MOST_SEMITONES}, not {semitones:g}")
    moved = tuple(_note(n, int(semitones)) for n in notes)
    if any(n.pitch is not None and not 0 <= n.pitch <= 127 for n in moved):
        raise SettingsError(f"moved {semitones:+d} semitones some notes would leave the MIDI range (0 to 127)")
    return moved


def key_name(measures: Sequence[Measure]) -> str:
    """The major key whose signature fits the progression's chords best: 'F', 'Bb', 'C'."""
    return MAJOR_KEYS[estimate_key(measures)]


def transposed_take(take, semitones: int, playback=None):
    """The take moved by `semitones`, notes and chords, written again (with `playback` if given): a new MIDI,
    nothing re-sampled. The values are kept: they are relative to the chords, which moved with the notes."""
    moved = replace(take, notes=transposed_notes(take.notes, semitones),
                    progression=transposed_measures(take.progression, semitones))
    return pipeline.replayed(moved, playback or take.playback)
