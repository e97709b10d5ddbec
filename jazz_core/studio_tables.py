"""The studio sampler's tables, built once per model and vocabulary: what does not change from take to take.

A value's score is the sum of its type's, duration's and window's scores; the sampler scores each
(type, duration) pair of the vocabulary (its type's and duration's score, folded into one output
column) and each window, so a value's odds are its pair's odds times its window's. A draw first
picks a pair by the pairs' total odds (each pair's windows' odds summed by one small matrix
product), then a window among the pair's own: the same distribution as softmax over the whole
vocabulary, with one uniform number, at the cost of a few hundred numbers a step instead of every value's.
The tables are float32 (`DTYPE`), as Keras trained the model: the state stayed within 1e-6 of float64's
over 300 values (tests/test_sampling.py), and each step reads half the bytes.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jazz_core.dataset import Vocabulary
from jazz_core.model import fold_gates
from jazz_core.music import Measure, snap
from jazz_core.steps import FEATURES
from jazz_core.studio import StudioWeights

CACHED = 8  # models whose tables are kept
DTYPE = np.float32  # the sampler's arithmetic: the model was trained in float32, and half the bytes a step to read


def value_duration(value: str) -> float:
    """A grammar value's duration in quarters ('C,0.250,<m2,P-4>' -> 0.25), as grammar.parse_value reads it."""
    return snap(float(value.split(",", 2)[1]))


class FeatureGates(dict):
    """Active feature indices -> the sum of their rows of the folded gate matrix, computed once per set."""

    def __init__(self, rows: np.ndarray) -> None:
        super().__init__()
        self.rows = rows

    def __missing__(self, active: tuple[int, ...]) -> np.ndarray:
        self[active] = found = self.rows[list(active)].sum(axis=0)
        return found


@dataclass(eq=False)
class StudioTables:
    """Folded gate tables and the pair/window layout of the vocabulary for one studio model."""

    token_gates: np.ndarray  # (vocabulary + 1, 4 * hidden): each value's (and START's) share of the gates
    feature_gates: FeatureGates
    recurrent: np.ndarray  # (hidden, 4 * hidden), folded
    durations: list[float]
    pair_type: np.ndarray  # per (type, duration) pair of the vocabulary: its type's index
    pair_duration: np.ndarray  # and its duration's
    pair_windows: np.ndarray  # (pairs, windows) 0/1: which windows each pair has in the vocabulary
    windows_of_pair: list[np.ndarray]  # per pair: its windows, in order
    values_of_pair: list[np.ndarray]  # per pair: the value index of each of those windows
    pair_of_value: np.ndarray  # per value: its pair
    window_of_value: np.ndarray  # per value: its window

    def __post_init__(self) -> None:
        self.pairs = len(self.pair_type)  # read at every step: an attribute, not a property
        self.single = [int(v[0]) if len(v) == 1 else -1 for v in self.values_of_pair]  # a pair's one value, or -1
        self.progressions: dict[tuple, dict] = {}  # progression -> the sampler's feature lookups over it
        self.lock = threading.Lock()  # sessions and practice runs sample from one model's tables at once

    def features_seen(self, measures: Sequence[Measure]) -> dict:
        """The sampler's lookups of the features' gates over this progression, kept from take to take
        (they depend only on the model and the chords), for the last CACHED progressions. Streams share
        them: an entry is the same whoever writes it."""
        key = tuple(measures)
        with self.lock:
            found = self.progressions.pop(key, None)
            self.progressions[key] = found = {} if found is None else found
            while len(self.progressions) > CACHED:
                self.progressions.pop(next(iter(self.progressions)))
        return found

    def value_scores(self, scores: np.ndarray) -> np.ndarray:
        """Every value's score from the scores of the pairs, then of the windows."""
        return scores[self.pair_of_value] + scores[self.pairs + self.window_of_value]

    def draw(self, scores: np.ndarray, uniform: float) -> int | None:
        """The value at `uniform` of softmax over the values, from the scores of the pairs, then of the
        windows: by pair, then window (None: the odds underflowed). One maximum serves both: a value whose
        odds underflow is below 1e-300 of the likeliest one's."""
        pairs = self.pairs
        odds = np.exp(scores - np.maximum.reduce(scores))
        windows = odds[pairs:]
        cumulative = np.add.accumulate(odds[:pairs] * (self.pair_windows @ windows))
        total = cumulative[-1]
        if not 0 < total < np.inf:
            return None
        target = uniform * total
        pair = min(int(cumulative.searchsorted(target, side="right")), pairs - 1)
        if self.single[pair] >= 0:  # a pair with one window: nothing more to draw
            return self.single[pair]
        if pair:
            target -= cumulative[pair - 1]
        inner = np.add.accumulate(windows[self.windows_of_pair[pair]])
        index = int(inner.searchsorted(target / odds[pair], side="right"))
        return int(self.values_of_pair[pair][min(index, len(inner) - 1)])


def _build(weights: StudioWeights, vocabulary: Vocabulary) -> StudioTables:
    token_gates = fold_gates(weights.embed(np.arange(len(vocabulary) + 1), np.zeros(FEATURES)) @ weights.kernel
                             + weights.bias).astype(DTYPE)
    kind, duration, window = (table[:-1] for table in (weights.type_of, weights.duration_of, weights.window_of))
    pairs: dict[tuple[int, int], list[int]] = {}
    for index, key in enumerate(zip(kind.tolist(), duration.tolist(), strict=True)):
        pairs.setdefault(key, []).append(index)
    members = [sorted(indices, key=lambda i: window[i]) for indices in pairs.values()]
    layout = np.zeros((len(pairs), weights.window_kernel.shape[1]), dtype=DTYPE)
    pair_of_value = np.zeros(len(vocabulary), dtype=np.int64)
    for row, indices in enumerate(members):
        layout[row, window[indices]] = 1.0
        pair_of_value[indices] = row
    return StudioTables(
        token_gates, FeatureGates(fold_gates(weights.chord_kernel @ weights.kernel).astype(DTYPE)),
        fold_gates(weights.recurrent_kernel).astype(DTYPE), [value_duration(v) for v in vocabulary.values],
        np.array([k for k, _ in pairs]), np.array([d for _, d in pairs]), layout,
        [window[np.array(i)] for i in members], [np.array(i) for i in members], pair_of_value, window)


_cache: dict[tuple[int, Vocabulary], tuple[weakref.ref, StudioTables]] = {}
_cache_lock = threading.Lock()  # page sessions and practice runs ask for tables from several threads


def studio_tables(weights: StudioWeights, vocabulary: Vocabulary) -> StudioTables:
    """The tables of this model and vocabulary, built on first use and kept for the last CACHED models."""
    key = (id(weights), vocabulary)
    with _cache_lock:  # built once even when two threads ask at once; eviction never races another thread's
        found = _cache.get(key)
        if found is not None and found[0]() is weights:
            return found[1]
        tables = _build(weights, vocabulary)
        _cache[key] = (weakref.ref(weights), tables)
        while len(_cache) > CACHED:
            _cache.pop(next(iter(_cache)))
        return tables
