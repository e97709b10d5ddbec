"""Vocabulary, blocks and windows: sorted, seeded, Y shifted by one step, three blocks that never overlap."""

from __future__ import annotations

import numpy as np
import pytest

from jazz_core.dataset import Vocabulary, make_dataset, split_corpus, training_window_count
from jazz_core.errors import BadScoreError
from jazz_core.settings import DatasetSettings

VALUES = [f"C,0.{i % 7 + 1}00" for i in range(200)]


def test_vocabulary_is_sorted_and_round_trips():
    vocabulary = Vocabulary.from_values(["S,0.500", "C,0.250", "S,0.500", "A,1.000"])
    assert vocabulary.values == ("A,1.000", "C,0.250", "S,0.500") and vocabulary.start == 3
    assert vocabulary.decode(vocabulary.encode(["S,0.500", "A,1.000"])) == ["S,0.500", "A,1.000"]


def test_windows_have_the_course_shape_and_y_is_the_next_value():
    data = make_dataset(VALUES, DatasetSettings(windows=60, sequence_length=30))
    assert data.x.shape == (60, 30, 7) and data.y.shape == (60, 30, 7)
    assert np.array_equal(data.x[:, 1:], data.y[:, :-1])
    assert np.all(data.y.sum(axis=-1) == 1)
    starting = data.starts == 0  # a window from the piece's start begins with START, the zero input
    assert np.all(data.x[starting, 0].sum(axis=-1) == 0) and np.all(data.x[~starting, 0].sum(axis=-1) == 1)
    assert data.x_validation.shape[1:] == (30, 7) and len(data.x_validation) > 0


def test_same_seed_same_windows_other_seed_others():
    first = make_dataset(VALUES, DatasetSettings(seed=4))
    assert np.array_equal(first.x, make_dataset(VALUES, DatasetSettings(seed=4)).x)
    assert not np.array_equal(first.x, make_dataset(VALUES, DatasetSettings(seed=5)).x)


def test_one_piece_is_cut_into_train_validation_and_test_at_its_end():
    split = split_corpus([200], DatasetSettings(sequence_length=20))
    assert split.train == ((0, 140),) and split.validation == ((140, 170),) and split.test == ((170, 200),)
    assert split_corpus([50], DatasetSettings(sequence_length=30)).validation == ()  # too short to spare any


def test_with_several_pieces_whole_pieces_are_held_out():
    split = split_corpus([100] * 20, DatasetSettings())
    held = {r for r in split.validation + split.test}
    assert len(split.test) == 3 and len(split.validation) == 3 and len(split.train) == 14
    assert all(r in split.pieces for r in held) and not held & set(split.train)
    data = make_dataset([f"C,{i % 9 + 1}.000" for i in range(2000)], lengths=[100] * 20)
    train_values = {i for a, b in split.train for i in range(a, b)}
    assert set((data.starts[:, None] + np.arange(30)).ravel()) <= train_values


def test_a_big_corpus_gets_windows_in_proportion_within_the_cap():
    assert training_window_count(600, DatasetSettings()) == 60  # the course's 60 on small corpora
    assert training_window_count(30_000, DatasetSettings()) == 2000
    assert training_window_count(10 ** 7, DatasetSettings()) == 5000


def test_too_little_music_says_so():
    with pytest.raises(BadScoreError, match="only 12 values"):
        make_dataset(VALUES[:12], DatasetSettings(sequence_length=30))


@pytest.mark.parametrize("bad", [{"windows": 0}, {"sequence_length": 1}, {"validation_fraction": 0.9},
                                 {"sequence_length": 2.5}, {"test_fraction": 0.6}])
def test_absurd_settings_are_refused(bad):
    with pytest.raises(ValueError, match="must be"):
        DatasetSettings(**bad)
