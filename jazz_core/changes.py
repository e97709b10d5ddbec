"""Chord changes typed as musicians write them, e.g. ``| Dm7 G7 | Cmaj7 | % | A7b9 |``.

Bars are separated by ``|``; several chords in a bar share it evenly; ``%`` repeats the bar
before. Symbols are read by music21's chord symbols after spelling fixes (``Bb7`` -> ``B-7``,
``C-7`` -> ``Cm7``, ``alt`` -> ``7#9b13``). Errors point at the bar and the symbol.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jazz_core.errors import BadScoreError
from jazz_core.grammar import chord_scale
from jazz_core.music import Chord, Measure

PRESETS = {
    "12-bar blues in F": "| F7 | Bb7 | F7 | F7 | Bb7 | Bb7 | F7 | D7 | Gm7 | C7 | F7 D7 | Gm7 C7 |",
    "Rhythm changes in B-flat": (
        "| Bb6 G7 | Cm7 F7 | Bb6 G7 | Cm7 F7 | Bb7 | Eb7 Edim7 | Bb6 F7 | Bb6 |"
        "| Bb6 G7 | Cm7 F7 | Bb6 G7 | Cm7 F7 | Bb7 | Eb7 Edim7 | Bb6 F7 | Bb6 |"
        "| D7 | % | G7 | % | C7 | % | F7 | % |"
        "| Bb6 G7 | Cm7 F7 | Bb6 G7 | Cm7 F7 | Bb7 | Eb7 Edim7 | Bb6 F7 | Bb6 |"),
    "ii-V-I in all keys": " ".join(
        f"| {two}m7 {five}7 | {one}maj7 |" for one, two, five in (
            ("C", "D", "G"), ("F", "G", "C"), ("Bb", "C", "F"), ("Eb", "F", "Bb"), ("Ab", "Bb", "Eb"),
            ("Db", "Eb", "Ab"), ("Gb", "Ab", "Db"), ("B", "C#", "F#"), ("E", "F#", "B"), ("A", "B", "E"),
            ("D", "E", "A"), ("G", "A", "D"))),
    "Autumn Leaves-style changes": (
        "| Cm7 | F7 | Bbmaj7 | Ebmaj7 | Am7b5 | D7b9 | Gm6 | % |"
        "| Cm7 | F7 | Bbmaj7 | Ebmaj7 | Am7b5 | D7b9 | Gm6 | % |"
        "| Am7b5 | D7b9 | Gm6 | % | Cm7 | F7 | Bbmaj7 | Ebmaj7 |"
        "| Am7b5 | D7b9 | Gm7 C7 | Fm7 Bb7 | Am7b5 | D7b9 | Gm6 | % |"),
}

_SYMBOL = re.compile(r"^([A-G])([b#]?)([^/]*)(?:/([A-G])([b#]?))?$")
_QUALITY_FIXES = (("ø7", "m7b5"), ("ø", "m7b5"),
                  ("°7", "dim7"), ("o7", "dim7"), ("°", "dim"), ("Δ7", "maj7"), ("Δ", "maj7"), ("min", "m"))


def music21_figure(symbol: str) -> str:
    """Spell a typed symbol the way music21 reads it."""
    match = _SYMBOL.match(symbol)
    if not match:
        raise ValueError(symbol)
    root, accidental, quality, bass, bass_accidental = match.groups()
    if quality.startswith("-"):
        quality = "m" + quality[1:]
    if quality in ("alt", "7alt"):
        quality = "7#9b13"  # an altered dominant: sharp nine, flat thirteen
    for old, new in _QUALITY_FIXES:
        quality = quality.replace(old, new)
    figure = root + accidental.replace("b", "-") + quality
    if bass:
        figure += "/" + bass + bass_accidental.replace("b", "-")
    return figure


@lru_cache(maxsize=512)
def chord_pitches(symbol: str) -> tuple[int, ...]:
    """MIDI pitches of a chord symbol such as 'Bb7' or 'F#m7b5'; ValueError if it cannot be read."""
    from music21 import harmony

    try:
        pitches = tuple(p.midi for p in harmony.ChordSymbol(music21_figure(symbol)).pitches)
    except Exception:  # music21 raises several kinds for bad figures
        raise ValueError(symbol) from None
    if not pitches:
        raise ValueError(symbol)
    return pitches


MAX_CHANGES_CHARACTERS = 10_000  # typed changes: far more than the longest tune's form
MAX_CHANGES_BARS = 512
MAX_CHORDS_PER_BAR = 16  # as a bundle's bars allow
MAX_SYMBOL_CHARACTERS = 24


def _bars(text: str) -> list[list[str]]:
    """The typed bars, each a list of symbols, refused past the caps (quoted in the sentence)."""
    if len(text) > MAX_CHANGES_CHARACTERS:
        raise BadScoreError(f"The chord changes are {len(text):,} characters long; at most "
                            f"{MAX_CHANGES_CHARACTERS:,} are read. Write the form once: it is looped.")
    bars = [bar for bar in (bar.split() for bar in text.replace("\n", " ").split("|")) if bar]
    if len(bars) > MAX_CHANGES_BARS:
        raise BadScoreError(f"The chord changes have {len(bars)} bars; at most {MAX_CHANGES_BARS} are read. "
                            "Write the form once: it is looped.")
    for number, symbols in enumerate(bars, start=1):
        if len(symbols) > MAX_CHORDS_PER_BAR:
            raise BadScoreError(f"Bar {number} has {len(symbols)} chords; at most {MAX_CHORDS_PER_BAR} fit in a bar.")
        long = next((symbol for symbol in symbols if len(symbol) > MAX_SYMBOL_CHARACTERS), None)
        if long:
            raise BadScoreError(f"Bar {number}: the chord {long[:MAX_SYMBOL_CHARACTERS]!r}... is longer than "
                                f"{MAX_SYMBOL_CHARACTERS} characters; write chords like C7, Bbmaj7 or G7alt.")
    return bars


def parse_changes(text: str, beats_per_bar: float = 4.0) -> tuple[Measure, ...]:
    """Bars of chords from text like '| Dm7 G7 | Cmaj7 | % |'."""
    bars = _bars(text)
    if not bars:
        raise BadScoreError("No chords found: write bars between | signs, e.g. | Dm7 G7 | Cmaj7 |.")
    measures: list[Measure] = []
    for number, symbols in enumerate(bars, start=1):
        if symbols == ["%"]:
            if not measures:
                raise BadScoreError("Bar 1 is %, but there is no bar before it to repeat.")
            measures.append(measures[-1])
            continue
        share = beats_per_bar / len(symbols)
        chords = []
        for position, symbol in enumerate(symbols):
            try:
                pitches = chord_pitches(symbol)
            except ValueError:
                raise BadScoreError(f"Bar {number}: cannot read the chord {symbol!r}. Write chords like "
                                    "C, Cm7, F7, Bbmaj7, Am7b5, Bdim7, G7b9, D7#11, Gsus4 or G7alt.") from None
            chords.append(Chord(position * share, pitches, chord_scale(pitches), symbol))
        measures.append(Measure(beats_per_bar, (), tuple(chords)))
    return tuple(measures)
