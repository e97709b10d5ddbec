"""The progression a solo is played over, looped for as long as the solo lasts: the one walker of it.

Where each bar starts, which chord sounds at a time, and each chord's span, in quarter notes from
the start of the solo. The grammar, the re-roll, the MIDI writer and the charts all ask here, so
they agree on every bar line. A solo that ends inside a bar gets that whole bar's chords: the band
plays the bar out, and the chart shows what the band plays.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate
from typing import NamedTuple

from jazz_core.music import Chord, Measure, snap

EPSILON = 1e-9  # times are snapped to the grid; this only absorbs float rounding


class ChordSpan(NamedTuple):
    """One chord of the looped progression, from its start to the next chord or the bar line."""

    start: float  # quarters from the start of the solo
    end: float
    chord: Chord


class Timeline:
    """Bar lines of a run of measures, looped forever."""

    def __init__(self, measures: Sequence[Measure]) -> None:
        if not measures:
            raise ValueError("a timeline needs at least one measure")
        self.measures = tuple(measures)
        self.starts = list(accumulate((m.length for m in self.measures), initial=0.0))
        self.length = self.starts.pop()

    def measure(self, bar: int) -> Measure:
        """Bar `bar` (0-based, counted from the start of the solo) of the looped progression."""
        return self.measures[bar % len(self.measures)]

    def bar_start(self, bar: int) -> float:
        """Where bar `bar` (0-based) starts, in quarters."""
        cycle, index = divmod(bar, len(self.measures))
        return snap(cycle * self.length + self.starts[index])

    def locate(self, time: float) -> tuple[int, float]:
        """(bar number counted from the start, offset inside that bar) of a time in quarters."""
        cycle, within = divmod(snap(time), self.length)
        index = bisect_right(self.starts, within + EPSILON) - 1
        return int(cycle) * len(self.measures) + index, snap(within - self.starts[index])

    def chord_at(self, time: float) -> Chord | None:
        """The chord sounding at `time`, or None in a bar without chords."""
        bar, offset = self.locate(time)
        return self.measure(bar).chord_at(offset)

    def bar_starts(self, until: float) -> list[float]:
        """Where each bar starts, up to the bar holding `until`, then where that bar ends."""
        last = self.locate(until)[0] if until >= 0 else -1
        return [self.bar_start(bar) for bar in range(last + 2)]

    def chord_spans(self, until: float) -> list[ChordSpan]:
        """Every chord of every bar that starts before `until`, each to the next chord or the bar line."""
        spans, bar = [], 0
        while (start := self.bar_start(bar)) < until - EPSILON:
            measure = self.measure(bar)
            ends = [c.offset for c in measure.chords[1:]] + [measure.length]
            spans += [ChordSpan(snap(start + c.offset), snap(start + end), c)
                      for c, end in zip(measure.chords, ends, strict=True)]
            bar += 1
        return spans


def bar_starts(measures: Sequence[Measure], until: float) -> list[float]:
    """Where each bar of the looped progression starts, up to the bar holding `until`, then its end."""
    return Timeline(measures).bar_starts(until)


def chord_spans(measures: Sequence[Measure], until: float) -> list[ChordSpan]:
    """The looped progression's chords up to `until` quarters, the last bar played out (none without measures)."""
    return Timeline(measures).chord_spans(until) if measures else []
