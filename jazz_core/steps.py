"""What the studio model knows about each step besides the values: the chord under it and where it falls.

For the value about to be played at time t (quarters from the first bar line), the features are:
the chord's pitch classes relative to its root (12), the root's motion from the chord under the
previous value (12, one-hot; 0 when it stays), a chord-change flag (1), the place inside the
beat on the grid of twelfths (12, one-hot) and the beat of the bar (8, one-hot; later beats
share the last). The same `StepFeatures` walker serves training (over a piece's values) and
sampling (one value at a time), so both see exactly the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jazz_core.grammar import Timeline, chord_root, parse_value
from jazz_core.music import GRID, Chord, Measure, snap

CHORD, MOTION, CHANGE, IN_BEAT, BEAT = 0, 12, 24, 25, 37  # where each group of features starts
BEATS = 8
FEATURES = BEAT + BEATS  # 45


class StepFeatures:
    """Walks a progression (looped) and names the active features of each step, in order."""

    def __init__(self, measures: Sequence[Measure]) -> None:
        self.timeline = Timeline(measures)
        self.previous: tuple[int, frozenset[int]] | None = None
        self._chords: dict[int, tuple[int, frozenset[int], tuple[int, ...]]] = {}

    def _chord(self, chord: Chord) -> tuple[int, frozenset[int], tuple[int, ...]]:
        key = id(chord)
        if key not in self._chords:
            root = chord_root(chord.pitches)
            classes = chord.pitch_classes
            self._chords[key] = (root, classes, tuple(CHORD + (c - root) % 12 for c in sorted(classes)))
        return self._chords[key]

    def active(self, time: float) -> list[int]:
        """Indices of the features that are 1 for a value starting at `time`; advances the walker."""
        bar, offset = self.timeline.locate(time)
        chord = self.timeline.measures[bar % len(self.timeline.measures)].chord_at(offset)
        grid = round(offset * GRID)
        found = [IN_BEAT + grid % GRID, BEAT + min(grid // GRID, BEATS - 1)]
        if chord is None or not chord.pitches:
            changed = self.previous is not None
            self.previous = None
            return [*found, CHANGE] if changed else found
        root, classes, relative = self._chord(chord)
        motion = 0 if self.previous is None else (root - self.previous[0]) % 12
        changed = self.previous is None or self.previous != (root, classes)
        self.previous = (root, classes)
        return [*relative, MOTION + motion, *([CHANGE] if changed else []), *found]


def onsets(values: Sequence[str], start: float = 0.0) -> list[float]:
    """When each value starts, in quarters, values played one after another from `start`."""
    times, time = [], snap(start)
    for value in values:
        times.append(time)
        time = snap(time + parse_value(value)[1])
    return times


def step_features(values: Sequence[str], measures: Sequence[Measure]) -> np.ndarray:
    """(len(values), FEATURES) 0/1 array: the features of each value of one piece over its measures."""
    walker = StepFeatures(measures)
    rows = np.zeros((len(values), FEATURES), dtype=np.float32)
    for row, time in zip(rows, onsets(values), strict=True):
        row[walker.active(time)] = 1.0
    return rows
