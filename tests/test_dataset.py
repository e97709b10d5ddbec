"""Vocabulary and windows: sorted, seeded, Y shifted by one step, with held-out validation windows."""

from __future__ import annotations

import numpy as np
import pytest

from jazz_core.dataset import Vocabulary, make_dataset, validation_size
from jazz_core.errors import BadScoreError
from jazz_core.settings import DatasetSettings

VALUES = [f"C,0.{i % 7 + 1}00" for i in range(200)]


def test_vocabulary_is_sorted_and_round_trips():
    vocabulary = Vocabulary.from_values(["S,0.500", "C,0.250", "S,0.500", "A,1.000"])
    assert vocabulary.values == ("A,1.000", "C,0.250", "S,0.500")
    assert vocabulary.decode(vocabulary.encode(["S,0.500", "A,1.000"])) == ["S,0.500", "A,1.000"]


def test_windows_have_the_course_shape_and_y_is_the_next_value():
    data = make_dataset(VALUES, DatasetSettings(windows=60, sequence_length=30))
    assert data.x.shape == (60, 30, 7) and data.y.shape == (60, 30, 7)
    assert np.array_equal(data.x[:, 1:], data.y[:, :-1])
    assert np.all(data.x.sum(axis=-1) == 1)
    assert data.x_validation.shape[1:] == (30, 7) and len(data.x_validation) > 0


def test_same_seed_same_windows_other_seed_others():
    first = make_dataset(VALUES, DatasetSettings(seed=4))
    assert np.array_equal(first.x, make_dataset(VALUES, DatasetSettings(seed=4)).x)
    assert not np.array_equal(first.x, make_dataset(VALUES, DatasetSettings(seed=5)).x)


def test_validation_is_skipped_when_the_corpus_is_short():
    assert validation_size(50, DatasetSettings(sequence_length=30)) == 0
    assert validation_size(200, DatasetSettings(sequence_length=30)) == 31


def test_too_little_music_says_so():
    with pytest.raises(BadScoreError, match="only 12 values"):
        make_dataset(VALUES[:12], DatasetSettings(sequence_length=30))


@pytest.mark.parametrize("bad", [{"windows": 0}, {"sequence_length": 1}, {"validation_fraction": 0.9},
                                 {"sequence_length": 2.5}])
def test_absurd_settings_are_refused(bad):
    with pytest.raises(ValueError, match="must be"):
        DatasetSettings(**bad)
