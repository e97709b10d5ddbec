"""Sampling: run the trained LSTM one value at a time, in NumPy, carrying its state all the way.

The course restarted every measure from zero state with argmax, so every measure played the
same phrase; here the state flows on from value to value, so the solo goes somewhere.
Temperature 0 is the course's argmax; 1 samples the model's own probabilities; higher is freer.

Both families run the same loop (`_stream`) over the same LSTM cell step (`_Cell`); a family
says only what goes into the gates and how the next value is scored (`sampler_steps`). A stream
can start from a `SamplerState`: `prime` feeds given values (a user's phrase, a take) through the
model, and `sample_values(..., start=state)` goes on from there. Each value is drawn with one
uniform number, the n-th value of a stream with the n-th number of its seed, so a take primed on
its own first N values and continued with its seed goes on exactly as the take itself went on.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from itertools import islice

import numpy as np

from jazz_core.dataset import Vocabulary
from jazz_core.errors import BadScoreError
from jazz_core.grammar import parse_value
from jazz_core.model import LstmWeights
from jazz_core.music import Measure, snap
from jazz_core.sampler_steps import CourseSteps, StudioSteps, value_duration

DRAW_BLOCK = 256  # uniform numbers drawn this many values at a time


@dataclass(frozen=True)
class StandIn:
    """A given value outside the vocabulary, and the vocabulary value the model was fed in its place."""

    position: int  # which of the given values (0-based)
    value: str
    stand_in: str


@dataclass(frozen=True, eq=False)
class SamplerState:
    """Where a stream stands after some values; the next value is sampled from here.

    `hidden` and `cell` are the LSTM's state before `last` goes in: the next step feeds `last`
    with the features of `time`, where the next value starts (quarters from the first bar line of
    the measures, looped). Build one with `prime`; `dataclasses.replace(state, time=...)` moves it.
    """

    hidden: np.ndarray
    cell: np.ndarray
    last: int | None  # the last value fed (None: the course's zero input; the studio's START index)
    time: float = 0.0
    chord: tuple[int, frozenset[int]] | None = None  # the chord under the last value (studio: root motion)
    recent: tuple[int, ...] = ()  # every value fed, for the copy guard
    position: int = 0  # values fed: sampling goes on with the draws from this one on
    stand_ins: tuple[StandIn, ...] = ()  # given values the vocabulary lacks, and what stood in for each


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


@functools.lru_cache(maxsize=4)
def _copy_guard(vocabulary: Vocabulary, corpus: tuple[str, ...], longest: int) -> CopyGuard:
    """The guard over a corpus, indexed once (a big corpus takes a third of a second) and kept for the next take."""
    known = set(vocabulary.values)
    return CopyGuard(vocabulary.encode([v for v in corpus if v in known]), longest)


class _Draws:
    """The stream's uniform numbers in [0, 1), from its seed, starting at the `position`-th."""

    def __init__(self, seed: int, position: int = 0) -> None:
        self.rng = np.random.default_rng(seed)
        self.rng.random(position - position % DRAW_BLOCK)  # skip whole blocks: the same numbers as a fresh stream
        self.block = self.rng.random(DRAW_BLOCK).tolist()
        self.next_index = position % DRAW_BLOCK

    def next(self) -> float:
        if self.next_index == DRAW_BLOCK:
            self.block, self.next_index = self.rng.random(DRAW_BLOCK).tolist(), 0
        self.next_index += 1
        return self.block[self.next_index - 1]


class _Cell:
    """One stream's LSTM arrays, laid out once so that a step is a fixed run of ufuncs into them, no new arrays.

    The weights come folded by `model.fold_gates`: gate sums halved for the sigmoid gates, columns in the
    order input, forget, output, cell candidate; the cell state is kept right after them. So the three
    sigmoid gates are one slice (sigmoid(z) = (1 + tanh(z / 2)) / 2: one tanh serves all four), and
    (input, forget) times (candidate, cell) is one product.
    """

    def __init__(self, fused: np.ndarray, hidden: np.ndarray, cell: np.ndarray) -> None:
        h = len(cell)
        self.fused, self.hidden = fused, np.array(hidden, dtype=fused.dtype)
        self.work, self.products, self.squashed = (np.empty(n, dtype=fused.dtype) for n in (5 * h, 2 * h, h))
        self.work[4 * h:] = cell
        self.gates, self.sigmoids, self.output = self.work[:4 * h], self.work[:3 * h], self.work[2 * h:3 * h]
        self.left, self.right, self.cell = self.work[:2 * h], self.work[3 * h:], self.work[4 * h:]
        self.projected = self.hidden @ fused  # the recurrent share of the next gates, then the scores
        self.recurrent, self.scores = self.projected[:4 * h], self.projected[4 * h:]

    def step(self, inputs: np.ndarray) -> np.ndarray:
        """Feed the input's share of the gates; returns the scores of the next value (overwritten by the next step)."""
        np.add(self.recurrent, inputs, out=self.gates)
        np.tanh(self.gates, out=self.gates)
        self.sigmoids *= 0.5
        self.sigmoids += 0.5
        np.multiply(self.left, self.right, out=self.products)  # input * candidate, forget * cell
        np.add(self.products[:len(self.cell)], self.products[len(self.cell):], out=self.cell)
        np.tanh(self.cell, out=self.squashed)
        np.multiply(self.output, self.squashed, out=self.hidden)
        np.matmul(self.hidden, self.fused, out=self.projected)  # the next step's recurrent share and these scores
        return self.scores

    def state(self) -> tuple[np.ndarray, np.ndarray]:
        """Copies of the hidden and cell state."""
        return self.hidden.copy(), self.cell.copy()


def _stream(steps: CourseSteps | StudioSteps, state: SamplerState, draws: _Draws | None,
            guard: CopyGuard | None) -> Iterator[int]:
    """Value indices sampled from `state` on (argmax when `draws` is None), forever."""
    last, time, recent = state.last, state.time, list(state.recent)
    steps.chord = state.chord
    step, gates, choose, durations = _Cell(steps.fused, state.hidden, state.cell).step, steps.gates, steps.choose, \
        steps.durations
    while True:
        scores = step(gates(last, time))
        last = choose(scores, None if draws is None else draws.next(), guard.after(recent) if guard else ())
        recent.append(last)
        time = snap(time + durations[last])
        yield last


def _fed(steps: CourseSteps | StudioSteps, state: SamplerState, indices: Sequence[int],
         durations: Sequence[float]) -> SamplerState:
    """The state after feeding `indices` (lasting `durations`) from `state`, as `_stream` would have."""
    last, time, lstm = state.last, state.time, _Cell(steps.fused, state.hidden, state.cell)
    steps.chord = state.chord
    for index, duration in zip(indices, durations, strict=True):
        lstm.step(steps.gates(last, time))
        last, time = int(index), snap(time + duration)
    return SamplerState(*lstm.state(), last, time, steps.chord, (*state.recent, *map(int, indices)),
                        state.position + len(indices), state.stand_ins)


def _steps(weights, vocabulary: Vocabulary, measures: Sequence[Measure], temperature: float | Sequence[float]
           ) -> CourseSteps | StudioSteps:
    if getattr(weights, "family", "course") == "studio":
        return StudioSteps(weights, vocabulary, measures, temperature)
    return CourseSteps(weights, vocabulary, temperature)


def _start(steps: CourseSteps | StudioSteps, time: float = 0.0) -> SamplerState:
    hidden, cell = steps.weights.start_state()
    return SamplerState(hidden, cell, steps.first, snap(time))


def stand_in(vocabulary: Vocabulary, value: str) -> str:
    """The vocabulary value nearest to `value`: the same type and window if any, else the same type, else
    any; among those the nearest duration, then the nearest window. Raises BadScoreError if not a value."""
    try:
        kind, duration, window = parse_value(value)
    except ValueError as error:
        raise BadScoreError(f"{value!r} is not a value of the jazz grammar (like 'C,0.250,<m2,P-4>').") from error
    centre = None if window is None else sum(window) / 2

    def distance(candidate: str) -> tuple[float, ...]:
        other_kind, other_duration, other_window = parse_value(candidate)
        other_centre = None if other_window is None else sum(other_window) / 2
        window_gap = 0.0 if other_centre == centre else abs((other_centre or 0) - (centre or 0)) + 1
        return (other_kind != kind, other_window != window, abs(other_duration - duration), window_gap)

    return min(vocabulary.values, key=distance)


def prime(weights, vocabulary: Vocabulary, values: Sequence[str], measures: Sequence[Measure] = (),
          start: float = 0.0) -> SamplerState:
    """The state after the model has heard `values` (grammar values, e.g. a user's phrase or a take) played
    from `start` quarters over `measures` (looped; the course's family ignores them), ready to go on.

    A value outside the vocabulary is fed as its nearest vocabulary value (`stand_in`) and listed in the
    state's `stand_ins`; time always follows the given values' own durations.
    """
    steps = _steps(weights, vocabulary, measures, 1.0)
    lookup = {value: index for index, value in enumerate(vocabulary.values)}
    indices, stand_ins = [], []
    for position, value in enumerate(values):
        if value not in lookup:
            stand_ins.append(StandIn(position, value, stand_in(vocabulary, value)))
            value = stand_ins[-1].stand_in
        indices.append(lookup[value])
    durations = [value_duration(v) for v in values]
    return replace(_fed(steps, _start(steps, start), indices, durations), stand_ins=tuple(stand_ins))


def value_stream(weights, vocabulary: Vocabulary, measures: Sequence[Measure], temperature: float = 0.7,
                 seed: int = 1, primer: Sequence[int] = (), guard: CopyGuard | None = None,
                 state: SamplerState | None = None) -> Iterator[int]:
    """Value indices from either family, forever: the studio model plays over `measures`, the course's ignores them.

    From `state` when given (see `prime`); else from the start, after `primer` indices when given (fed
    first, from the first bar line, their outputs not kept; the draws start afresh after them, as a
    re-rolled bar wants). `temperature` may be (type, duration, window) for the studio family.
    """
    steps = _steps(weights, vocabulary, measures, temperature)
    if state is None:
        state = replace(_fed(steps, _start(steps), primer, [steps.durations[i] for i in primer]), position=0)
    draws = _Draws(seed, state.position) if steps.sampled else None
    return _stream(steps, state, draws, guard)


def studio_stream(weights, vocabulary: Vocabulary, measures: Sequence[Measure],
                  temperature: float | Sequence[float] = 0.7, seed: int = 1, primer: Sequence[int] = (),
                  guard: CopyGuard | None = None) -> Iterator[int]:
    """Value indices from the studio model over `measures` (looped); see `value_stream`."""
    return value_stream(weights, vocabulary, measures, temperature, seed, primer, guard)


def sample_stream(weights: LstmWeights, temperature: float = 0.7, seed: int = 1,
                  primer: Sequence[int] = (), restart_every: int | None = None) -> Iterator[int]:
    """Value indices from the course's model, forever. `restart_every` mimics the course: zero state
    every that many values (the draws go on)."""
    steps = CourseSteps(weights, None, temperature)  # no vocabulary: every value lasts 0 (time is not used)
    primed = replace(_fed(steps, _start(steps), primer, [0.0] * len(primer)), position=0)
    draws = _Draws(seed) if steps.sampled else None
    if not restart_every:
        yield from _stream(steps, primed, draws, None)
        return
    while True:
        yield from islice(_stream(steps, primed, draws, None), restart_every)
        primed = _start(steps)


def sample_indices(weights: LstmWeights, count: int, temperature: float = 0.7, seed: int = 1,
                   restart_every: int | None = None, primer: Sequence[int] = ()) -> list[int]:
    """Exactly `count` value indices from the course's model, the LSTM state carried from each value to the next."""
    return list(islice(sample_stream(weights, temperature, seed, primer, restart_every), count))


def sample_values(weights, vocabulary: Vocabulary, corpus: Sequence[str], measures: Sequence[Measure], count: int,
                  temperature: float = 0.7, seed: int = 1, copy_guard: int = 0,
                  start: SamplerState | None = None) -> list[int]:
    """Exactly `count` value indices from either family, from `start` when given (see `prime`);
    `copy_guard` > 0 never copies a longer run of `corpus` (counting the primed values)."""
    guard = _copy_guard(vocabulary, tuple(corpus), copy_guard) if copy_guard else None
    return list(islice(value_stream(weights, vocabulary, measures, temperature, seed, (), guard, start), count))
