"""Sampling: run the trained LSTM one value at a time, in NumPy, carrying its state all the way.

The course restarted every measure from zero state with argmax, so every measure played the
same phrase; here the state flows on from value to value, so the solo goes somewhere.
Temperature 0 is the course's argmax; 1 samples the model's own probabilities; higher is freer.

Sampling uses the Gumbel-max trick (argmax of scores/T plus Gumbel noise is a draw from
softmax(scores/T)), with the noise drawn in blocks, and the gate and temperature scalings folded
into the weights once, so a step is a dozen small NumPy calls (timings: docs/benchmarks.md).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from itertools import islice

import numpy as np

from jazz_core.dataset import Vocabulary
from jazz_core.grammar import parse_value
from jazz_core.model import LstmWeights, gate_scale
from jazz_core.music import Measure, snap
from jazz_core.steps import FEATURES, StepFeatures
from jazz_core.studio import StudioWeights

NOISE_BLOCK = 256  # Gumbel noise drawn this many steps at a time


def sample_stream(weights: LstmWeights, temperature: float = 0.7, seed: int = 1,
                  primer: Sequence[int] = (), restart_every: int | None = None) -> Iterator[int]:
    """Value indices from the model, one at a time, for as long as the caller wants.

    `primer` indices are fed first (their outputs are not kept) to carry the state in from
    earlier values, e.g. when re-rolling one bar of a take. `restart_every` mimics the course:
    zero state every that many values.
    """
    h = weights.hidden_units
    scale = gate_scale(h)
    recurrent = weights.recurrent_kernel * scale
    inputs = (weights.kernel + weights.bias) * scale
    zero_input = weights.bias * scale
    divisor = temperature if temperature > 0 else 1.0
    dense, dense_bias = weights.dense_kernel / divisor, weights.dense_bias / divisor
    rng = np.random.default_rng(seed)
    n = weights.vocabulary_size
    noise = np.zeros((NOISE_BLOCK, n))

    hidden, cell = weights.start_state()
    current: int | None = None
    step = -len(primer)
    while True:
        if restart_every and step >= 0 and step % restart_every == 0:
            hidden, cell = weights.start_state()
            current = None
        squashed = np.tanh(hidden @ recurrent + (zero_input if current is None else inputs[current]))
        gates = 0.5 + 0.5 * squashed
        cell = gates[h: 2 * h] * cell + gates[:h] * squashed[2 * h: 3 * h]
        hidden = gates[3 * h:] * np.tanh(cell)
        if step < 0:
            current = primer[step + len(primer)]
        else:
            if temperature > 0 and step % NOISE_BLOCK == 0:
                noise = rng.gumbel(size=(NOISE_BLOCK, n))
            current = int(np.argmax(hidden @ dense + dense_bias + noise[step % NOISE_BLOCK]))
            yield current
        step += 1


def sample_indices(weights: LstmWeights, count: int, temperature: float = 0.7, seed: int = 1,
                   restart_every: int | None = None, primer: Sequence[int] = ()) -> list[int]:
    """Exactly `count` value indices, the LSTM state carried from each value to the next."""
    return list(islice(sample_stream(weights, temperature, seed, primer, restart_every), count))


# --- the studio family ------------------------------------------------------------------------

class CopyGuard:
    """Which values may not come next, so that no run of more than `longest` values is copied from the corpus."""

    def __init__(self, corpus: Sequence[int], longest: int) -> None:
        self.longest = longest
        self.banned: dict[tuple[int, ...], list[int]] = {}
        for i in range(len(corpus) - longest):
            self.banned.setdefault(tuple(corpus[i:i + longest]), []).append(int(corpus[i + longest]))

    def after(self, recent: Sequence[int]) -> list[int]:
        """The values that would make the last `longest` values plus one a run of the corpus."""
        if len(recent) < self.longest:
            return []
        return self.banned.get(tuple(recent[-self.longest:]), [])


def _durations(vocabulary: Vocabulary) -> list[float]:
    return [parse_value(v)[1] for v in vocabulary.values]


def _pick(scores: np.ndarray, banned: Sequence[int]) -> int:
    """The best-scoring value that is not banned (all banned: the best one)."""
    if banned:
        scores = scores.copy()
        scores[list(banned)] = -np.inf
        if not np.isfinite(scores).any():  # every value would copy: nothing better to do than the model's choice
            return _pick(scores, ())
    return int(np.argmax(scores))


def studio_stream(weights: StudioWeights, vocabulary: Vocabulary, measures: Sequence[Measure],
                  temperature: float | Sequence[float] = 0.7, seed: int = 1, primer: Sequence[int] = (),
                  guard: CopyGuard | None = None) -> Iterator[int]:
    """Value indices from the studio model over `measures` (looped), carrying state and time along.

    `temperature` is one for all three heads or (type, duration, window). `primer` values are fed
    first, played from the first bar line, so the stream goes on where they end. As for the course's
    model, gate scalings and temperatures are folded into the weights once and the Gumbel noise is
    drawn in blocks; the features' share of the gates is summed once per distinct set of features.
    """
    temperatures = tuple(temperature) if isinstance(temperature, Sequence) else (temperature,) * 3
    h = weights.hidden_units
    scale = gate_scale(h)  # sigmoid(z) = (1 + tanh(z / 2)) / 2 for the three gates
    token_gates = (weights.embed(np.arange(len(vocabulary) + 1), np.zeros(FEATURES)) @ weights.kernel
                   + weights.bias) * scale
    feature_gates = _FeatureGates((weights.chord_kernel @ weights.kernel) * scale)
    recurrent = weights.recurrent_kernel * scale
    dense, dense_bias = _folded_heads(weights, temperatures)
    durations, walker = _durations(vocabulary), StepFeatures(measures)
    rng = np.random.default_rng(seed)
    noise = np.zeros((NOISE_BLOCK, len(vocabulary)))
    sampled = any(t > 0 for t in temperatures)
    hidden, cell = weights.start_state()
    current, time, recent = vocabulary.start, 0.0, list(primer)
    for step in itertools.count(-len(primer)):
        squashed = np.tanh(hidden @ recurrent + token_gates[current] + feature_gates[tuple(walker.active(time))])
        gates = 0.5 + 0.5 * squashed
        cell = gates[h: 2 * h] * cell + gates[:h] * squashed[2 * h: 3 * h]
        hidden = gates[3 * h:] * np.tanh(cell)
        if step < 0:
            current = primer[step + len(primer)]
        else:
            if sampled and step % NOISE_BLOCK == 0:
                noise = rng.gumbel(size=noise.shape)
            current = _pick(hidden @ dense + dense_bias + noise[step % NOISE_BLOCK],
                            guard.after(recent) if guard else ())
            recent.append(current)
            yield current
        time = snap(time + durations[current])


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
    for head, temperature in zip(("type", "duration", "window"), temperatures, strict=True):
        table = getattr(weights, f"{head}_of")[:-1]
        divisor = temperature if temperature > 0 else 1.0
        dense = dense + getattr(weights, f"{head}_kernel")[:, table] / divisor
        bias = bias + getattr(weights, f"{head}_bias")[table] / divisor
    return dense, bias


def value_stream(weights, vocabulary: Vocabulary, measures: Sequence[Measure], temperature: float = 0.7,
                 seed: int = 1, primer: Sequence[int] = (), guard: CopyGuard | None = None) -> Iterator[int]:
    """Value indices from either family: the studio model plays over `measures`, the course's ignores them."""
    if getattr(weights, "family", "course") == "studio":
        return studio_stream(weights, vocabulary, measures, temperature, seed, primer, guard)
    if guard is None:
        return sample_stream(weights, temperature, seed, primer)
    return _guarded_course(weights, temperature, seed, primer, guard)


def _guarded_course(weights: LstmWeights, temperature: float, seed: int, primer: Sequence[int],
                    guard: CopyGuard) -> Iterator[int]:
    """The course's model, with values that would copy too long a run replaced by its next choice."""
    rng = np.random.default_rng(seed)
    hidden, cell = weights.start_state()
    current, recent = None, list(primer)
    for step in itertools.count(-len(primer)):
        scores, hidden, cell = weights.step(current, hidden, cell)
        if step < 0:
            current = primer[step + len(primer)]
            continue
        if temperature > 0:
            scores = scores / temperature + rng.gumbel(size=scores.shape)
        current = _pick(scores, guard.after(recent))
        recent.append(current)
        yield current


def sample_values(weights, vocabulary: Vocabulary, corpus: Sequence[str], measures: Sequence[Measure], count: int,
                  temperature: float = 0.7, seed: int = 1, copy_guard: int = 0) -> list[int]:
    """Exactly `count` value indices from either family; `copy_guard` > 0 never copies a longer run of `corpus`."""
    known = set(vocabulary.values)
    guard = CopyGuard(vocabulary.encode([v for v in corpus if v in known]), copy_guard) if copy_guard else None
    return list(islice(value_stream(weights, vocabulary, measures, temperature, seed, (), guard), count))
