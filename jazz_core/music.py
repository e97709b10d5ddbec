"""Plain data passed between the pipeline's stages: notes, chords, measures, pieces.

Times are in quarter notes on a grid of twelfths, which holds both sixteenths (3/12) and
eighth-note triplets (4/12) exactly. No music21 objects ever leave the reading module.
Pitches are named by `pitch_name` alone, with flats for the black keys (Db4, Eb4, Gb4, Ab4, Bb4) as
lead sheets in the horn keys spell them, so every table, chart and message names a note the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

GRID = 12  # grid steps per quarter note
NOTE_NAMES = ("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B")  # pitch classes, spelt with flats


def pitch_name(pitch: int) -> str:
    """A MIDI number as a note name with its octave, middle C being C4: 60 -> 'C4', 70 -> 'Bb4'."""
    return f"{NOTE_NAMES[pitch % 12]}{pitch // 12 - 1}"


def snap(quarters: float) -> float:
    """Round a time in quarter notes to the nearest twelfth, so sums stay exact."""
    return round(quarters * GRID) / GRID


@dataclass(frozen=True)
class Note:
    """A note (pitch is a MIDI number) or a rest (pitch is None), timed from the start of its measure."""

    offset: float
    duration: float
    pitch: int | None = None
    kind: str = ""  # grammar type C/S/A/X/R once known, as the model chose it


@dataclass(frozen=True)
class Chord:
    """A chord sounding from `offset` (quarters into its measure) until the next chord or the bar line."""

    offset: float
    pitches: tuple[int, ...]  # MIDI numbers as voiced
    scale: tuple[int, ...] = ()  # pitch classes of the scale that goes with it (filled by the grammar)
    symbol: str = ""  # e.g. "Dm7", when known

    @property
    def pitch_classes(self) -> frozenset[int]:
        return frozenset(p % 12 for p in self.pitches)


@dataclass(frozen=True)
class Measure:
    """One bar: its length in quarters, the melody's notes and rests, and the chords under them."""

    length: float
    notes: tuple[Note, ...]
    chords: tuple[Chord, ...]
    meter: str = ""  # the source's time signature, e.g. "3/4" or "6/8"; "" = read from the length (notation.meter_of)

    def chord_at(self, offset: float) -> Chord | None:
        """The chord sounding at `offset`: the last one starting at or before it, else the first."""
        current = self.chords[0] if self.chords else None
        for chord in self.chords:
            if chord.offset <= offset + 1e-9:
                current = chord
        return current


@dataclass(frozen=True)
class Piece:
    """A score reduced to what the grammar needs: measures of melody over chords, and its tempo."""

    title: str
    measures: tuple[Measure, ...]
    tempo_bpm: float = 120.0
    origin: str = ""  # where the melody and the harmony came from, in words
    values: tuple[str, ...] = ()  # the grammar values, when a reading fixes them (the course's own); else encoded
