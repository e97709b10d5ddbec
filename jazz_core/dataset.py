"""The vocabulary of values and the training windows, as the course builds them (but seeded and sorted).

X holds windows of `sequence_length` one-hot values; Y holds the same windows shifted by one
step, so Y[t] is the value that follows X[t] (the course rolled the window instead, so its last
target was the window's first value). The end of the corpus is held out for a validation loss.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jazz_core.errors import BadScoreError
from jazz_core.settings import DatasetSettings


@dataclass(frozen=True)
class Vocabulary:
    """Every distinct value, sorted, so that indices are the same in every process."""

    values: tuple[str, ...]

    @classmethod
    def from_values(cls, values: Sequence[str]) -> Vocabulary:
        return cls(tuple(sorted(set(values))))

    def __len__(self) -> int:
        return len(self.values)

    def encode(self, values: Sequence[str]) -> np.ndarray:
        """Values to indices; a value outside the vocabulary is a KeyError naming it."""
        lookup = {value: index for index, value in enumerate(self.values)}
        return np.array([lookup[value] for value in values], dtype=np.int64)

    def decode(self, indices: Sequence[int]) -> list[str]:
        """Indices back to values."""
        return [self.values[int(i)] for i in indices]


@dataclass(frozen=True)
class Dataset:
    """One-hot training and validation windows: x and y have shape (windows, sequence_length, vocabulary)."""

    x: np.ndarray
    y: np.ndarray
    x_validation: np.ndarray
    y_validation: np.ndarray
    vocabulary: Vocabulary


def _one_hot(indices: np.ndarray, size: int) -> np.ndarray:
    return np.eye(size, dtype=np.float32)[indices]


def _windows(indices: np.ndarray, starts: np.ndarray, length: int, size: int) -> tuple[np.ndarray, np.ndarray]:
    rows = starts[:, None] + np.arange(length + 1)[None, :]
    chunk = indices[rows]
    return _one_hot(chunk[:, :-1], size), _one_hot(chunk[:, 1:], size)


def validation_size(corpus_length: int, settings: DatasetSettings) -> int:
    """How many values at the end of the corpus are held out (0 when the corpus is too short to spare them)."""
    needed = settings.sequence_length + 1
    held = max(round(corpus_length * settings.validation_fraction), needed)
    if settings.validation_fraction == 0 or corpus_length - held < needed:
        return 0
    return held


def make_dataset(values: Sequence[str], settings: DatasetSettings = DatasetSettings(),
                 vocabulary: Vocabulary | None = None) -> Dataset:
    """Cut the corpus into seeded windows for training and for validation."""
    needed = settings.sequence_length + 1
    if len(values) < needed:
        raise BadScoreError(
            f"This music gives only {len(values)} values, but a training window needs {needed} "
            f"(sequence length {settings.sequence_length} + 1). Choose a longer piece, several pieces, "
            "or a shorter sequence length.")
    vocabulary = vocabulary or Vocabulary.from_values(values)
    indices = vocabulary.encode(values)
    held = validation_size(len(values), settings)
    train, validation = indices[: len(indices) - held], indices[len(indices) - held:]
    rng = np.random.default_rng(settings.seed)
    starts = rng.integers(0, len(train) - settings.sequence_length, size=settings.windows)
    x, y = _windows(train, starts, settings.sequence_length, len(vocabulary))
    if held:
        every = np.arange(len(validation) - settings.sequence_length)
        x_val, y_val = _windows(validation, every, settings.sequence_length, len(vocabulary))
    else:
        x_val = y_val = np.zeros((0, settings.sequence_length, len(vocabulary)), dtype=np.float32)
    return Dataset(x, y, x_val, y_val, vocabulary)
