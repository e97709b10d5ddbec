"""What a file holds before any musical choice: tracks of timed notes, chord symbols, bar lines.

Both readers (`midi.py`, `music21.py`) produce a `RawScore`; `parts.py` and `harmony.py` choose
from it. Times are quarter notes, quantised to the course's grid of sixteenths and triplets.
"""

from __future__ import annotations

from dataclasses import dataclass

from jazz_core.errors import BadScoreError
from jazz_core.music import snap

MAX_SCORE_BYTES = 20 * 1024 * 1024  # larger uploads are refused before parsing
MAX_BARS = 4000  # a score longer than this (about three hours of 4/4 at 120 bpm) is refused
MAX_NOTE_QUARTERS = 64.0  # a note held longer (a stuck note, a billion-tick note) is cut to this


@dataclass(frozen=True)
class Track:
    """One part of a score as timed notes: (offset, duration, pitch) in quarter notes."""

    name: str
    notes: tuple[tuple[float, float, int], ...]
    is_drum: bool = False
    program: int | None = None


@dataclass(frozen=True)
class RawScore:
    """What a file holds, before choosing melody and harmony."""

    title: str
    tracks: tuple[Track, ...]
    bars: tuple[tuple[float, float], ...]  # (start, length) of every bar, in quarters
    chord_symbols: tuple[tuple[float, tuple[int, ...], str], ...] = ()  # (offset, pitches, figure)
    tempo_bpm: float = 120.0  # the first tempo: the one used for playback
    meters: tuple[str, ...] = ()  # every time signature, in order, e.g. ("4/4", "3/4")
    tempos: tuple[float, ...] = ()  # every tempo marking in bpm, in order


def quantize(quarters: float) -> float:
    """Nearest multiple of 1/4 or 1/3 of a quarter, whichever is closer (the course's grid; a tie goes to 1/4)."""
    sixteenth, triplet = round(quarters * 4) / 4, round(quarters * 3) / 3
    return snap(sixteenth if abs(sixteenth - quarters) <= abs(triplet - quarters) + 1e-9 else triplet)


def bar_lines(meters: list[tuple[float, float]], end: float) -> tuple[tuple[float, float], ...]:
    """Bar lines from meter changes (start in quarters, bar length) up to `end`."""
    shortest = min(length for _, length in meters if length > 0) if any(m[1] > 0 for m in meters) else 4.0
    if end / shortest > MAX_BARS:
        raise BadScoreError(f"This score runs for more than {MAX_BARS} bars; split it into shorter files.")
    meters = [(tick, length if length > 0 else 4.0) for tick, length in meters]
    bars, start = [], 0.0
    meter_index, length = 0, meters[0][1]
    while start < end:
        while meter_index + 1 < len(meters) and meters[meter_index + 1][0] <= start + 1e-9:
            meter_index += 1
            length = meters[meter_index][1]
        bars.append((snap(start), snap(length)))
        start += length
    return tuple(bars)
