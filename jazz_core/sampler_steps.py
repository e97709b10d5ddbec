"""What each model family puts into the sampler's LSTM step, and how it scores and picks the next value.

`sampling` runs one loop for both families; a family's `Steps` object holds its weights folded
once for that loop (gate scalings from `model.gate_scale`, temperatures divided in), says what
goes into the gates after a value (`gates`) and picks the next value from the hidden state
(`choose`). The course's input is a one-hot value (or zero at the start); the studio's is the
value's factored embedding plus the features of the time the next value starts (`steps`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jazz_core.dataset import Vocabulary
from jazz_core.model import LstmWeights, gate_scale
from jazz_core.music import Measure, snap
from jazz_core.steps import FEATURES, StepFeatures
from jazz_core.studio import HEADS, StudioWeights


def value_duration(value: str) -> float:
    """A grammar value's duration in quarters ('C,0.250,<m2,P-4>' -> 0.25), as grammar.parse_value reads it."""
    return snap(float(value.split(",", 2)[1]))


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
        scale = gate_scale(weights.hidden_units)
        self.recurrent = weights.recurrent_kernel * scale
        self.inputs = (weights.kernel + weights.bias) * scale
        self.zero_input = weights.bias * scale
        self.sampled = temperature > 0
        self.dense = weights.dense_kernel / _divisor(temperature)
        self.dense_bias = weights.dense_bias / _divisor(temperature)
        self.durations = ([value_duration(v) for v in vocabulary.values] if vocabulary is not None
                          else [0.0] * weights.vocabulary_size)

    def gates(self, last: int | None, time: float) -> np.ndarray:
        """The input's share of the gates after value `last` (the course's model ignores time)."""
        return self.zero_input if last is None else self.inputs[last]

    def choose(self, hidden: np.ndarray, uniform: float | None, banned: Sequence[int]) -> int:
        return choose(hidden @ self.dense + self.dense_bias, uniform, banned)


class StudioSteps:
    """The studio model: a value's parts and the next step's chord and place in, three heads out."""

    def __init__(self, weights: StudioWeights, vocabulary: Vocabulary, measures: Sequence[Measure],
                 temperature: float | Sequence[float]) -> None:
        if not measures:
            raise ValueError("the studio family plays over chords: give the measures")
        temperatures = tuple(temperature) if isinstance(temperature, Sequence) else (temperature,) * 3
        self.weights, self.first = weights, vocabulary.start
        scale = gate_scale(weights.hidden_units)
        self.token_gates = (weights.embed(np.arange(len(vocabulary) + 1), np.zeros(FEATURES)) @ weights.kernel
                            + weights.bias) * scale
        self.feature_gates = _FeatureGates((weights.chord_kernel @ weights.kernel) * scale)
        self.recurrent = weights.recurrent_kernel * scale
        self.sampled = any(t > 0 for t in temperatures)
        self.dense, self.dense_bias = _folded_heads(weights, temperatures)
        self.durations = [value_duration(v) for v in vocabulary.values]
        self.walker = StepFeatures(measures)

    @property
    def chord(self) -> tuple[int, frozenset[int]] | None:
        """The chord under the last value (the walker's memory, for the root-motion and change features)."""
        return self.walker.previous

    @chord.setter
    def chord(self, chord: tuple[int, frozenset[int]] | None) -> None:
        self.walker.previous = chord

    def gates(self, last: int, time: float) -> np.ndarray:
        """The input's share of the gates: value `last`'s parts and the features of a step starting at `time`."""
        return self.token_gates[last] + self.feature_gates[tuple(self.walker.active(time))]

    def choose(self, hidden: np.ndarray, uniform: float | None, banned: Sequence[int]) -> int:
        return choose(hidden @ self.dense + self.dense_bias, uniform, banned)


class _FeatureGates(dict):
    """Active feature indices -> the sum of their rows of the folded gate matrix, computed once per set."""

    def __init__(self, rows: np.ndarray) -> None:
        super().__init__()
        self.rows = rows

    def __missing__(self, active: tuple[int, ...]) -> np.ndarray:
        self[active] = found = self.rows[list(active)].sum(axis=0)
        return found


def _folded_heads(weights: StudioWeights, temperatures: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """The three heads as one (hidden, vocabulary) matrix and bias, each head divided by its temperature."""
    dense, bias = 0.0, 0.0
    for head, temperature in zip(HEADS, temperatures, strict=True):
        table = getattr(weights, f"{head}_of")[:-1]
        dense = dense + getattr(weights, f"{head}_kernel")[:, table] / _divisor(temperature)
        bias = bias + getattr(weights, f"{head}_bias")[table] / _divisor(temperature)
    return dense, bias
