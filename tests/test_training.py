"""Real TensorFlow training of both families: the loss falls, every epoch is reported, the best epoch is kept."""

from __future__ import annotations

import numpy as np
import pytest

from jazz_core.pipeline import prepare
from jazz_core.settings import DatasetSettings, ModelSettings, TrainSettings
from jazz_core.training import EpochReport, early_stop_epoch, kept_epoch, train

COURSE = ModelSettings(hidden_units=32, family="course")


@pytest.fixture(scope="module")
def windows(builtin_pieces):
    return prepare(builtin_pieces, DatasetSettings(windows=60, sequence_length=30))[1]


def test_course_loss_falls_and_every_epoch_is_reported(windows):
    reports = []
    trained = train(windows, COURSE, TrainSettings(epochs=25), on_epoch=reports.append)
    assert [r.epoch for r in reports] == list(range(1, 26))
    assert reports[-1].loss < 0.75 * reports[0].loss
    assert reports[-1].accuracy > reports[0].accuracy
    assert all(r.validation_loss is not None for r in reports)
    assert trained.weights.hidden_units == 32 and not trained.stopped and trained.kept == 25


def test_studio_loss_falls_and_it_stops_early_keeping_its_best_epoch(windows):
    reports, snapshots = [], {}

    def keep(report):
        reports.append(report)
        snapshots[report.epoch] = report.weights()

    trained = train(windows, ModelSettings(hidden_units=32), TrainSettings(epochs=80, patience=4), on_epoch=keep)
    assert trained.weights.family == "studio"
    assert reports[-1].loss < 0.8 * reports[0].loss
    best = min(reports, key=lambda r: r.validation_loss)
    assert len(reports) == best.epoch + 4 < 80  # four epochs without a better validation loss, then it stops
    assert trained.kept == best.epoch == kept_epoch(reports, keep_best=True) and not trained.stopped
    for name, array in trained.weights.arrays().items():
        assert np.array_equal(array, getattr(snapshots[best.epoch], name)), name
    assert not np.array_equal(trained.weights.kernel, snapshots[reports[-1].epoch].kernel)


def test_stop_on_request_keeps_the_model_as_it_stands(windows):
    reports = []
    trained = train(windows, COURSE, settings=TrainSettings(epochs=50), on_epoch=reports.append,
                    should_stop=lambda: len(reports) >= 3)
    assert trained.stopped and len(trained.history) == 3
    assert np.array_equal(reports[-1].weights().kernel, trained.weights.kernel)


@pytest.mark.parametrize("family", ["course", "studio"])
def test_same_seed_same_weights(windows, family):
    model = ModelSettings(hidden_units=16, family=family)
    first = train(windows, model, TrainSettings(epochs=2, seed=7))
    second = train(windows, model, TrainSettings(epochs=2, seed=7))
    other = train(windows, model, TrainSettings(epochs=2, seed=8))
    assert np.array_equal(first.weights.kernel, second.weights.kernel)
    assert not np.array_equal(first.weights.kernel, other.weights.kernel)


def test_course_keep_best_returns_the_epoch_with_the_lowest_validation_loss(windows):
    reports, snapshots = [], {}

    def keep(report):
        reports.append(report)
        snapshots[report.epoch] = report.weights()

    trained = train(windows, COURSE, settings=TrainSettings(epochs=30, keep_best=True), on_epoch=keep)
    best = min(reports, key=lambda r: r.validation_loss)
    assert best.epoch < 30  # this corpus overfits: the held-out loss turns up well before the end
    assert np.array_equal(trained.weights.kernel, snapshots[best.epoch].kernel)
    assert not np.array_equal(trained.weights.kernel, snapshots[30].kernel)


def _report(epoch: int, validation: float | None) -> EpochReport:
    return EpochReport(epoch, 5, 1.0, 0.5, validation, None, 0.0)


def test_kept_epoch_is_the_best_validation_epoch_or_the_last():
    history = [_report(1, 3.0), _report(2, 2.0), _report(3, 2.5), _report(4, 2.0)]
    assert kept_epoch(history, keep_best=True) == 2  # the first of equal losses
    assert kept_epoch(history, keep_best=False) == 4
    assert kept_epoch([_report(1, None), _report(2, None)], keep_best=True) == 2
    assert kept_epoch([], keep_best=True) is None


def test_early_stopping_ends_a_run_patience_epochs_after_its_best():
    history = [_report(1, 3.0), _report(2, 2.0), _report(3, 2.5)]
    assert early_stop_epoch(history, patience=8) == 10
    assert early_stop_epoch([*history, _report(4, 1.5)], patience=8) == 12  # a new best moves the end
    assert early_stop_epoch([_report(1, None)], patience=8) is None  # nothing held out: no early stop
