"""Spelling as musicians write it, on the line of fifths (C = 0, G = 1, F = -1, Bb = -2 ...), and the key.

A note over a chord is spelled from the chord's root by its interval (a dominant's flat nine is a
flat, its major third a sharp where it must be: F# over D7 in F), else from the key (flats in flat
keys). Places beyond Gb..A# (Cb, Fb, E#, B#, doubles) become their enharmonic. The key is the
major key whose scale holds most of the chords' notes, time-weighted, with a bonus for chords on
its tonic or its relative minor's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from jazz_core.grammar import chord_root
from jazz_core.music import Chord, Measure

LETTERS = "FCGDAEB"  # the naturals along the line of fifths, F = -1 ... B = 5
_MAJOR = (0, 2, 4, 5, 7, 9, 11)
# Line-of-fifths step from the chord root to each interval (semitones above it): b9 = -5, #11 = +6, b13 = -4.
_FROM_ROOT = {0: 0, 1: -5, 2: 2, 3: -3, 4: 4, 5: -1, 6: 6, 7: 1, 8: -4, 9: 3, 10: -2, 11: 5}
@dataclass(frozen=True)
class Spelling:
    """A written pitch: letter, alteration in semitones (-1 flat, +1 sharp) and octave, e.g. ('B', -1, 4)."""

    step: str
    alter: int
    octave: int



def _name(position: int) -> tuple[str, int]:
    """Letter and alteration at a place on the line of fifths (C = 0, G = 1, F = -1, Bb = -2...)."""
    sharps, letter = divmod(position + 1, 7)
    return LETTERS[letter], sharps


def place(pitch_class: int, centre: float) -> int:
    """The place on the line of fifths of this pitch class nearest `centre`, kept inside Gb..A# where it can be."""
    base = (pitch_class * 7) % 12
    position = min((base + 12 * k for k in range(-2, 2)), key=lambda p: (abs(p - centre), p))
    if position > 10:
        position -= 12
    elif position < -6:
        position += 12
    return position


def root_place(text: str) -> int:
    """The place on the line of fifths of a written root such as 'Bb', 'F#', 'B-' or 'C'."""
    shift = {"": 0, "b": -7, "-": -7, "#": 7}[text[1:2] if len(text) > 1 and text[1] in "b-#" else ""]
    return LETTERS.index(text[0].upper()) - 1 + shift


def spell(pitch: int, chord_root_position: int | None, key_fifths: int) -> Spelling:
    """A MIDI pitch written over a chord (its root's place on the line of fifths) or, with none, in the key."""
    if chord_root_position is None:
        position = place(pitch % 12, key_fifths + 0.5)
    else:
        interval = (pitch - chord_root_position * 7) % 12  # semitones above the root
        position = place(pitch % 12, chord_root_position + _FROM_ROOT[interval])
    step, alter = _name(position)
    natural = (LETTERS.index(step) - 1) * 7 % 12
    return Spelling(step, alter, (pitch - alter - natural) // 12 - 1)


def root_name(position: int) -> str:
    """A root as chord symbols write it ('Bb', 'F#', 'C'), kept inside Gb..A# like notes."""
    step, alter = _name(place(position * 7 % 12, position))
    return step + ("b" * -alter if alter < 0 else "#" * alter)


# --- chords and key ---------------------------------------------------------------------------------


def split_symbol(symbol: str) -> tuple[str, str]:
    """('Bb', '7b9') from 'Bb7b9'; music21's 'B-7' is read the same way."""
    length = 2 if len(symbol) > 1 and symbol[1] in "b-#" else 1
    return symbol[:length].replace("-", "b"), symbol[length:]


def chord_root_place(chord: Chord, key_fifths: int) -> int:
    """The chord's root on the line of fifths: from its symbol, else its notes spelled in the key."""
    if chord.symbol:
        return root_place(split_symbol(chord.symbol)[0])
    return place(chord_root(chord.pitches), key_fifths + 0.5)


def estimate_key(measures: Sequence[Measure]) -> int:
    """Key signature (fifths, -6..6) that best fits the progression's chords; C major when there are none."""
    scores = dict.fromkeys(range(-6, 7), 0.0)
    for measure in measures:
        ends = [c.offset for c in measure.chords[1:]] + [measure.length]
        for chord, end in zip(measure.chords, ends, strict=True):
            weight = max(end - chord.offset, 0.0)
            classes = {p % 12 for p in chord.pitches}
            root = chord_root(chord.pitches) if chord.pitches else None
            for fifths in scores:
                tonic = fifths * 7 % 12
                inside = sum((c - tonic) % 12 in _MAJOR for c in classes) / max(len(classes), 1)
                scores[fifths] += weight * (inside + 0.75 * (root in (tonic, (tonic + 9) % 12)))
    return max(scores, key=lambda f: (round(scores[f], 6), -abs(f)))


def normal_key(fifths: int) -> int:
    """A key signature kept within six sharps or flats."""
    return fifths - 12 if fifths > 6 else fifths + 12 if fifths < -6 else fifths
