"""Real TensorFlow training: the loss falls, every epoch is reported, stopping keeps the model, seeds repeat."""

from __future__ import annotations

import numpy as np

from jazz_core.dataset import make_dataset
from jazz_core.grammar import encode_measures
from jazz_core.settings import DatasetSettings, ModelSettings, TrainSettings
from jazz_core.training import train


def _windows(pieces):
    values = [v for p in pieces for v in encode_measures(p.measures)]
    return make_dataset(values, DatasetSettings(windows=60, sequence_length=30))


def test_loss_falls_and_every_epoch_is_reported(builtin_pieces):
    reports = []
    trained = train(_windows(builtin_pieces), ModelSettings(hidden_units=32), TrainSettings(epochs=25),
                    on_epoch=reports.append)
    assert [r.epoch for r in reports] == list(range(1, 26))
    assert reports[-1].loss < 0.75 * reports[0].loss
    assert reports[-1].accuracy > reports[0].accuracy
    assert all(r.validation_loss is not None for r in reports)
    assert trained.weights.hidden_units == 32 and len(trained.history) == 25


def test_stop_on_request_keeps_the_model_as_it_stands(builtin_pieces):
    reports = []
    trained = train(_windows(builtin_pieces), settings=TrainSettings(epochs=50), on_epoch=reports.append,
                    should_stop=lambda: len(reports) >= 3)
    assert len(trained.history) == 3  # stopped after the third of 50 epochs
    assert np.array_equal(reports[-1].weights().kernel, trained.weights.kernel)


def test_same_seed_same_weights(builtin_pieces):
    data = _windows(builtin_pieces)
    first = train(data, ModelSettings(hidden_units=16), TrainSettings(epochs=3, seed=7))
    second = train(data, ModelSettings(hidden_units=16), TrainSettings(epochs=3, seed=7))
    other = train(data, ModelSettings(hidden_units=16), TrainSettings(epochs=3, seed=8))
    assert np.array_equal(first.weights.kernel, second.weights.kernel)
    assert not np.array_equal(first.weights.kernel, other.weights.kernel)


def test_keep_best_returns_the_epoch_with_the_lowest_validation_loss(builtin_pieces):
    reports, snapshots = [], {}

    def keep(report):
        reports.append(report)
        snapshots[report.epoch] = report.weights()

    trained = train(_windows(builtin_pieces), settings=TrainSettings(epochs=30, keep_best=True), on_epoch=keep)
    best = min(reports, key=lambda r: r.validation_loss)
    assert best.epoch < 30  # this corpus overfits: the held-out loss turns up well before the end
    assert np.array_equal(trained.weights.kernel, snapshots[best.epoch].kernel)
    assert not np.array_equal(trained.weights.kernel, snapshots[30].kernel)


def test_kept_epoch_is_the_last_or_the_best_validation_loss():
    from jazz_core.training import EpochReport, kept_epoch

    def report(epoch, validation):
        return EpochReport(epoch, 4, 1.0 / epoch, 0.5, validation, None, float(epoch))

    history = [report(1, 4.3), report(2, 4.1), report(3, 4.1), report(4, 4.6)]
    assert kept_epoch(history, keep_best=False) == 4
    assert kept_epoch(history, keep_best=True) == 2  # the first of two equal losses, as training keeps
    assert kept_epoch(history[:1], keep_best=True) == 1
    assert kept_epoch([report(1, None), report(2, None)], keep_best=True) == 2  # nothing held out
    assert kept_epoch([], keep_best=True) is None
