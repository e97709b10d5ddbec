"""What each model family puts into the sampler's LSTM step, and how it scores and picks the next value.

`sampling` runs one loop for both families; a family's `Steps` object holds its weights folded
once for that loop (gates scaled and ordered by `model.fold_gates`, temperatures divided in), says what
goes into the gates after a value (`gates`) and picks the next value (`choose`) from the hidden
state's projection through `fused` (the recurrent kernel and the output side by side, so one
matrix product a step serves both). The course's input is a one-hot value (or zero at the start);
the studio's is the value's factored embedding plus the features of the time the next value
starts (`steps`), and its draws go by (type, duration) pairs, then windows (`studio_tables`),
so a step never touches every value of a big vocabulary.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jazz_core.dataset import Vocabulary
from jazz_core.model import LstmWeights, fold_gates
from jazz_core.music import GRID, Measure
from jazz_core.steps import StepFeatures
from jazz_core.studio import StudioWeights
from jazz_core.studio_tables import DTYPE, StudioTables, studio_tables, value_duration

__all__ = ["CourseSteps", "StudioSteps", "choose", "value_duration"]


def choose(scores: np.ndarray, uniform: float | None, banned: Sequence[int] = ()) -> int:
    """The next value: a draw from softmax(scores) by the inverse of its cumulative sum at `uniform`,
    or the best-scoring one when `uniform` is None; never a `banned` one unless all are."""
    if banned:
        allowed = scores.copy()
        allowed[list(banned)] = -np.inf
        if np.isfinite(allowed).any():  # every value would copy: nothing better to do than the model's choice
            scores = allowed
    if uniform is None:
        return int(np.argmax(scores))
    cumulative = np.cumsum(np.exp(scores - scores.max()))
    return int(cumulative.searchsorted(uniform * cumulative[-1], side="right"))


def _divisor(temperature: float) -> float:
    return temperature if temperature > 0 else 1.0


class CourseSteps:
    """The course's model: a one-hot value in (zero input at the start), one softmax over the values out."""

    first = None  # the input before the first value: zero
    chord = None  # the course's model knows no chords

    def __init__(self, weights: LstmWeights, vocabulary: Vocabulary | None, temperature: float) -> None:
        self.weights = weights
        self.inputs = fold_gates(weights.kernel + weights.bias)
        self.zero_input = fold_gates(weights.bias)
        self.sampled = temperature > 0
        self.fused = np.ascontiguousarray(np.hstack([fold_gates(weights.recurrent_kernel),
                                                     weights.dense_kernel / _divisor(temperature)]))
        self.output_bias = weights.dense_bias / _divisor(temperature)
        self.durations = ([value_duration(v) for v in vocabulary.values] if vocabulary is not None
                          else [0.0] * weights.vocabulary_size)

    def gates(self, last: int | None, time: float) -> np.ndarray:
        """The input's share of the gates after value `last` (the course's model ignores time)."""
        return self.zero_input if last is None else self.inputs[last]

    def choose(self, projected: np.ndarray, uniform: float | None, banned: Sequence[int]) -> int:
        """The next value from the hidden state's projection through the output kernel."""
        return choose(projected + self.output_bias, uniform, banned)


class StudioSteps:
    """The studio model: a value's parts and the next step's chord and place in, three heads out."""

    def __init__(self, weights: StudioWeights, vocabulary: Vocabulary, measures: Sequence[Measure],
                 temperature: float | Sequence[float]) -> None:
        if not measures:
            raise ValueError("the studio family plays over chords: give the measures")
        temperatures = tuple(temperature) if isinstance(temperature, Sequence) else (temperature,) * 3
        self.weights, self.first = weights, vocabulary.start
        self.tables: StudioTables = studio_tables(weights, vocabulary)
        self.token_gates, self.durations = self.tables.token_gates, self.tables.durations
        self.sampled = any(t > 0 for t in temperatures)
        kind, duration, window = (_divisor(t) for t in temperatures)
        tables = self.tables
        pairs = (weights.type_kernel[:, tables.pair_type] / kind + weights.duration_kernel[:, tables.pair_duration]
                 / duration)
        self.fused = np.hstack([tables.recurrent, pairs, weights.window_kernel / window], dtype=DTYPE)
        self.output_bias = np.concatenate([weights.type_bias[tables.pair_type] / kind
                                           + weights.duration_bias[tables.pair_duration] / duration,
                                           weights.window_bias / window], dtype=DTYPE)
        self.walker = StepFeatures(measures)
        loop = self.walker.timeline.length * GRID
        self.loop = round(loop) if abs(loop - round(loop)) < 1e-6 else 0  # grid steps a chorus (0: off the grid)
        self.seen: dict[tuple, tuple[np.ndarray, tuple | None]] = self.tables.features_seen(measures)

    @property
    def chord(self) -> tuple[int, frozenset[int]] | None:
        """The chord under the last value (the walker's memory, for the root-motion and change features)."""
        return self.walker.previous

    @chord.setter
    def chord(self, chord: tuple[int, frozenset[int]] | None) -> None:
        self.walker.previous = chord

    def gates(self, last: int, time: float) -> np.ndarray:
        """The input's share of the gates: value `last`'s parts and the features of a step starting at `time`."""
        return self.token_gates[last] + self._features(time)

    def _features(self, time: float) -> np.ndarray:
        """The features' share of the gates at `time`; the same place in the chorus after the same chord is
        looked up, not walked again (the walker's memory moves on just the same)."""
        key = (round(time * GRID) % self.loop, self.walker.previous) if self.loop else None
        found = self.seen.get(key) if key else None
        if found is None:
            found = self.tables.feature_gates[tuple(self.walker.active(time))], self.walker.previous
            if key:
                self.seen[key] = found
        self.walker.previous = found[1]
        return found[0]

    def choose(self, projected: np.ndarray, uniform: float | None, banned: Sequence[int]) -> int:
        """The next value from the hidden state's projection through the pairs' and the windows' scores."""
        scores = projected + self.output_bias
        if uniform is not None and not banned:
            drawn = self.tables.draw(scores, uniform)
            if drawn is not None:
                return drawn
        return choose(self.tables.value_scores(scores), uniform, banned)
