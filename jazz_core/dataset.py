"""The vocabulary of values, the three blocks of the corpus, and the training windows.

The corpus is cut into train / validation / test blocks, each used for one job only: training,
choosing the epoch (early stopping, keep-best), and the loss that is reported. With three or
more pieces whole pieces are held out; otherwise the end of the corpus is (validation, then test).
A window is `sequence_length` targets in a row inside one block of one piece; the input of each
target is the value before it, or START at the beginning of a piece (a zero one-hot for the course
model, which starts from zero input just as its sampling does). Y is X shifted by one step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from jazz_core.errors import BadScoreError
from jazz_core.settings import MAX_WINDOWS, DatasetSettings
from jazz_core.steps import FEATURES

VALIDATION_WINDOWS = 1000  # at most this many validation windows, evenly spread, for the per-epoch loss
Ranges = tuple[tuple[int, int], ...]  # (start, end) indices into the corpus, end excluded


@dataclass(frozen=True)
class Vocabulary:
    """Every distinct value, sorted, so that indices are the same in every process."""

    values: tuple[str, ...]

    @classmethod
    def from_values(cls, values: Sequence[str]) -> Vocabulary:
        return cls(tuple(sorted(set(values))))

    def __len__(self) -> int:
        return len(self.values)

    @property
    def start(self) -> int:
        """The index that stands for "the piece begins" as an input (one past the last value)."""
        return len(self.values)

    def encode(self, values: Sequence[str]) -> np.ndarray:
        """Values to indices; a value outside the vocabulary is a KeyError naming it."""
        lookup = {value: index for index, value in enumerate(self.values)}
        return np.array([lookup[value] for value in values], dtype=np.int64)

    def decode(self, indices: Sequence[int]) -> list[str]:
        """Indices back to values."""
        return [self.values[int(i)] for i in indices]


@dataclass(frozen=True)
class Split:
    """Which values train the model, which choose its epoch and which are reported."""

    pieces: Ranges  # each piece's values
    train: Ranges
    validation: Ranges
    test: Ranges

    def to_dict(self) -> dict[str, list[list[int]]]:
        return {name: [list(r) for r in getattr(self, name)] for name in ("pieces", "train", "validation", "test")}

    @classmethod
    def from_dict(cls, data: dict) -> Split:
        return cls(*(tuple((int(a), int(b)) for a, b in data[name])
                     for name in ("pieces", "train", "validation", "test")))


def _piece_ranges(lengths: Sequence[int]) -> Ranges:
    ends = np.cumsum(lengths)
    return tuple((int(end - n), int(end)) for n, end in zip(lengths, ends, strict=True))


def _spread(count: int, among: Sequence[int]) -> list[int]:
    """`count` items of `among`, evenly spread (deterministic)."""
    step = len(among) / count if count else 0
    return [among[int((k + 0.5) * step)] for k in range(count)]


def _by_pieces(pieces: Ranges, settings: DatasetSettings) -> Split | None:
    """Whole pieces held out, when there are enough pieces to spare one for each held-out block."""
    count = len(pieces)
    tests = max(1, round(count * settings.test_fraction)) if settings.test_fraction else 0
    validations = max(1, round(count * settings.validation_fraction)) if settings.validation_fraction else 0
    if count < 3 or count - tests - validations < 1:
        return None
    test = _spread(tests, range(count))
    validation = _spread(validations, [i for i in range(count) if i not in test])
    train = [i for i in range(count) if i not in test and i not in validation]
    return Split(pieces, *(tuple(pieces[i] for i in chosen) for chosen in (train, validation, test)))


def _block(pieces: Ranges, start: int, end: int) -> Ranges:
    """The corpus range [start, end) cut at piece boundaries."""
    cut = ((max(a, start), min(b, end)) for a, b in pieces)
    return tuple((a, b) for a, b in cut if b > a)


def split_corpus(lengths: Sequence[int], settings: DatasetSettings = DatasetSettings()) -> Split:
    """Cut a corpus of pieces (their numbers of values) into the three blocks."""
    pieces = _piece_ranges(lengths)
    found = _by_pieces(pieces, settings)
    if found:
        return found
    total, needed = int(sum(lengths)), settings.sequence_length
    test = max(round(total * settings.test_fraction), needed) if settings.test_fraction else 0
    validation = max(round(total * settings.validation_fraction), needed) if settings.validation_fraction else 0
    if total - test - validation < needed + 1:
        test = validation = 0
    train_end, validation_end = total - test - validation, total - test
    return Split(pieces, _block(pieces, 0, train_end), _block(pieces, train_end, validation_end),
                 _block(pieces, validation_end, total))


def window_positions(ranges: Ranges, length: int) -> np.ndarray:
    """Every first target of a window of `length` targets that fits inside one range."""
    found = [np.arange(a, b - length + 1) for a, b in ranges if b - a >= length]
    return np.concatenate(found) if found else np.zeros(0, dtype=np.int64)


def training_window_count(train_values: int, settings: DatasetSettings) -> int:
    """The asked windows, or more on a big corpus: enough to cover it twice, within the cap."""
    return max(settings.windows, min(MAX_WINDOWS, -(-2 * train_values // settings.sequence_length)))


@dataclass(frozen=True)
class Dataset:
    """Per corpus position: the input token, the target and the step's features; and the windows' starts."""

    tokens: np.ndarray  # (n,) the input for target i: value i-1, or START at a piece's beginning
    targets: np.ndarray  # (n,) value indices
    features: np.ndarray  # (n, FEATURES) chord and place of each target (zeros when the music is not known)
    starts: np.ndarray  # first targets of the training windows (drawn once, seeded)
    validation_starts: np.ndarray
    sequence_length: int
    vocabulary: Vocabulary
    split: Split
    positions: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # every training window

    def rows(self, starts: np.ndarray) -> np.ndarray:
        return starts[:, None] + np.arange(self.sequence_length)[None, :]

    def _one_hot(self, indices: np.ndarray) -> np.ndarray:
        return np.eye(len(self.vocabulary) + 1, dtype=np.float32)[indices][..., :-1]  # START is all zeros

    @property
    def x(self) -> np.ndarray:
        """One-hot training windows (windows, sequence_length, vocabulary), as the course's model takes them."""
        return self._one_hot(self.tokens[self.rows(self.starts)])

    @property
    def y(self) -> np.ndarray:
        return self._one_hot(self.targets[self.rows(self.starts)])

    @property
    def x_validation(self) -> np.ndarray:
        return self._one_hot(self.tokens[self.rows(self.validation_starts)])

    @property
    def y_validation(self) -> np.ndarray:
        return self._one_hot(self.targets[self.rows(self.validation_starts)])


def input_tokens(targets: np.ndarray, pieces: Ranges, start: int) -> np.ndarray:
    """The input before each target: the previous value of its piece, else START."""
    tokens = np.concatenate([[start], targets[:-1]]).astype(np.int64)
    tokens[[a for a, b in pieces if b > a]] = start
    return tokens


def make_dataset(values: Sequence[str], settings: DatasetSettings = DatasetSettings(),
                 vocabulary: Vocabulary | None = None, features: np.ndarray | None = None,
                 lengths: Sequence[int] | None = None) -> Dataset:
    """Cut the corpus (pieces of `lengths` values, one after another) into blocks and seeded windows."""
    needed = settings.sequence_length + 1
    if len(values) < needed:
        raise BadScoreError(
            f"This music gives only {len(values)} values, but a training window needs {needed} "
            f"(sequence length {settings.sequence_length} + 1). Choose a longer piece, several pieces, "
            "or a shorter sequence length.")
    vocabulary = vocabulary or Vocabulary.from_values(values)
    split = split_corpus(lengths or [len(values)], settings)
    targets = vocabulary.encode(values)
    positions = window_positions(split.train, settings.sequence_length)
    if not positions.size:
        raise BadScoreError(f"No piece gives {settings.sequence_length} values in a row to learn from. Choose longer "
                            "pieces or a shorter sequence length.")
    rng = np.random.default_rng(settings.seed)
    count = training_window_count(sum(b - a for a, b in split.train), settings)
    starts = positions[rng.integers(0, len(positions), size=count)]
    held = window_positions(split.validation, settings.sequence_length)
    if len(held) > VALIDATION_WINDOWS:
        held = held[np.linspace(0, len(held) - 1, VALIDATION_WINDOWS).round().astype(np.int64)]
    features = np.zeros((len(values), FEATURES), np.float32) if features is None else np.asarray(features, np.float32)
    return Dataset(input_tokens(targets, split.pieces, vocabulary.start), targets, features, starts, held,
                   settings.sequence_length, vocabulary, split, positions)
