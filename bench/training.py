"""Part 1, training side by side: the course's unrolled model, a plain fused LSTM, and ours, on the same windows.

Each run is a fresh Python process that imports TensorFlow first (timed apart), reads the data,
then builds and trains one model for 100 epochs with the course's settings (60 windows of 30
values, n_a = 64, Adam 0.01, batch 32, seed 0). Keras' `fit` runs silently (verbose=0) so that
printing costs nothing. Runs of the three kinds are interleaved, so a busy spell hits all alike.
"""

from __future__ import annotations

import statistics
import time
from argparse import Namespace

from bench.common import PartResult, Stats, Table, Target, course_source, fmt, read_values, run_child, show

KINDS = {
    "course": "course: unrolled Lambda/LSTM-cell loop + fit",
    "fused": "plain fused LSTM(return_sequences) + fit",
    "ours": "ours: jazz_core.training.train",
    "numpy": "sketch, not in the app: NumPy BPTT + Adam (bench/numpy_lstm.py)",
}
# one course run (about 40 s), two fused, three of ours, three of the NumPy sketch, interleaved
ORDER = ("ours", "fused", "course", "numpy", "ours", "fused", "numpy", "ours", "numpy")
OURS_LIMIT, SPEEDUP_GOAL = 3.0, 15.0


# --- in the child process -------------------------------------------------------------------------------------

def child_train(kind: str, windows: int = 60, epochs: int = 100, path: str | None = None) -> dict:
    """Import TensorFlow (not for the NumPy sketch), cut the windows and train one kind of model;
    every epoch's end time and the final loss."""
    started = time.perf_counter()
    keras = None
    if kind != "numpy":
        import keras
        import tensorflow  # noqa: F401 - imported here to time it apart from the work

    imported = time.perf_counter()
    from jazz_core.dataset import make_dataset
    from jazz_core.settings import DatasetSettings

    dataset = make_dataset(read_values(path), DatasetSettings(windows=windows))
    prepared = time.perf_counter()
    fit = {"course": _fit_course, "fused": _fit_fused, "ours": _fit_ours, "numpy": _fit_numpy}[kind]
    result = fit(keras, dataset, epochs)
    return {"import_seconds": imported - started, "data_seconds": prepared - imported,
            "shape": list(dataset.x.shape), **result}


def _clock(keras):
    """A Keras callback noting when each epoch ends."""

    class EpochClock(keras.callbacks.Callback):
        def __init__(self) -> None:
            super().__init__()
            self.ends: list[float] = []

        def on_epoch_end(self, epoch, logs=None) -> None:
            self.ends.append(time.perf_counter())

    return EpochClock()


def _fit_course(keras, dataset, epochs: int) -> dict:
    """The course's model and call: fit([X, a0, c0], list(Y)) with Y as Tx arrays of shape (m, n_values)."""
    import numpy as np

    from bench.course import djmodel

    keras.utils.set_random_seed(0)
    m, tx, n_values = dataset.x.shape
    n_a = 64
    started = time.perf_counter()
    model, _, _ = djmodel(tx, n_values, n_a)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy")
    built = time.perf_counter()
    a0 = c0 = np.zeros((m, n_a), dtype=np.float32)
    clock = _clock(keras)
    history = model.fit([dataset.x, a0, c0], list(np.swapaxes(dataset.y, 0, 1)), epochs=epochs, verbose=0,
                        callbacks=[clock])
    finished = time.perf_counter()
    return {"build_seconds": built - started, "epoch_ends": [t - built for t in clock.ends],
            "total_seconds": finished - started, "loss": history.history["loss"][-1] / tx}  # Keras sums Tx losses


def _fit_fused(keras, dataset, epochs: int) -> dict:
    """One fused LSTM layer over the whole window, trained with fit(X, Y)."""
    from bench.course import fused_model

    keras.utils.set_random_seed(0)
    _, tx, n_values = dataset.x.shape
    started = time.perf_counter()
    model = fused_model(tx, n_values, 64)
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="categorical_crossentropy")
    built = time.perf_counter()
    clock = _clock(keras)
    history = model.fit(dataset.x, dataset.y, epochs=epochs, batch_size=32, verbose=0, callbacks=[clock])
    finished = time.perf_counter()
    return {"build_seconds": built - started, "epoch_ends": [t - built for t in clock.ends],
            "total_seconds": finished - started, "loss": history.history["loss"][-1]}


def _fit_ours(keras, dataset, epochs: int) -> dict:
    """jazz_core.training.train with the default settings; its build time is the time before its clock starts."""
    from jazz_core.settings import ModelSettings, TrainSettings
    from jazz_core.training import train

    ends: list[tuple[float, float]] = []
    started = time.perf_counter()
    trained = train(dataset, ModelSettings(family="course"), TrainSettings(epochs=epochs),
                    on_epoch=lambda report: ends.append((time.perf_counter(), report.seconds)))
    finished = time.perf_counter()
    clock_start = ends[0][0] - ends[0][1]  # train() starts its clock once the model is built
    return {"build_seconds": clock_start - started, "epoch_ends": [t - clock_start for t, _ in ends],
            "total_seconds": finished - started, "loss": trained.history[-1].loss}


def _fit_numpy(keras, dataset, epochs: int) -> dict:
    """The NumPy sketch: no TensorFlow, nothing to build or trace."""
    from bench.numpy_lstm import train

    ends: list[float] = []
    started = time.perf_counter()
    _, history = train(dataset.x, dataset.y, epochs=epochs, on_epoch=lambda loss: ends.append(time.perf_counter()))
    finished = time.perf_counter()
    return {"build_seconds": 0.0, "epoch_ends": [t - started for t in ends], "total_seconds": finished - started,
            "loss": history[-1]}


# --- in the bench process -------------------------------------------------------------------------------------

def summarise(runs: list[dict]) -> dict:
    """Statistics over the runs of one kind: import, build, first epoch, later epochs, total, loss."""
    later = [b - a for run in runs for a, b in zip(run["epoch_ends"], run["epoch_ends"][1:], strict=False)]
    return {"import": Stats.of([r["import_seconds"] for r in runs]),
            "build": Stats.of([r["build_seconds"] for r in runs]),
            "first": Stats.of([r["epoch_ends"][0] for r in runs]),
            "later": Stats.of(later), "total": Stats.of([r["total_seconds"] for r in runs]),
            "process": Stats.of([r["process_seconds"] for r in runs]),
            "loss": statistics.median(r["loss"] for r in runs), "runs": len(runs)}


def run(options: Namespace) -> PartResult:
    """Train the three kinds, interleaved, and compare them."""
    label, path = course_source()
    result = PartResult("training", "1. Training, side by side")
    runs: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for kind in ORDER:
        print(f"  training {kind} (fresh process)...", flush=True)
        runs[kind].append(run_child("train", kind=kind, path=path))
    summary = {kind: summarise(found) for kind, found in runs.items()}
    m, tx, n_values = runs["ours"][0]["shape"]
    table = Table(f"Training for 100 epochs on {label}: X of shape ({m}, {tx}, {n_values}), n_a 64, Adam 0.01, "
                  "batch 32, seed 0", ["model", "runs", "import TF+Keras", "build", "first epoch",
                                       "later epochs, each", "100 epochs (build + fit)", "whole process",
                                       "final loss", "course / this"],
                  note="Medians, range in brackets. 'Later epochs' pools epochs 2-100 of every run. The loss is "
                       "the mean cross-entropy per step (the course's Keras loss is the sum of its Tx outputs' "
                       "losses, divided here by Tx). Import time is excluded from build and training times; the "
                       "NumPy sketch imports no TensorFlow. 'Whole process' is a fresh Python from start to exit.")
    course_total = summary["course"]["total"].median
    for kind, name in KINDS.items():
        s = summary[kind]
        ratio = course_total / s["total"].median
        imports, build = ("none", "none") if kind == "numpy" else (s["import"].text(), s["build"].text())
        table.add(name, s["runs"], imports, build, s["first"].text(), s["later"].text(),
                  s["total"].text(), s["process"].text(), f"{s['loss']:.3f}", f"{ratio:.1f}x")
    result.tables.append(table)
    ours = summary["ours"]["total"].median
    result.targets += [
        Target("training, ours, 100 epochs (imports aside)", f"< {OURS_LIMIT:g} s", fmt(ours), ours < OURS_LIMIT),
        Target("training, course's model / ours, same run", f">= {SPEEDUP_GOAL:g}x", f"{course_total / ours:.1f}x",
               course_total / ours >= SPEEDUP_GOAL)]
    result.notes.append(f"Reference numbers from the issue: the course's model 42-49 s for 100 epochs, a plain fused "
                        f"LSTM 7-12 s. Here: course {fmt(course_total)}, fused "
                        f"{fmt(summary['fused']['total'].median)}, ours {fmt(ours)}, the NumPy sketch "
                        f"{fmt(summary['numpy']['total'].median)} (final loss {summary['numpy']['loss']:.3f}).")
    for item in [*result.tables, *result.targets, *result.notes]:
        show(item)
    return result
