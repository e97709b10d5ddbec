"""Training in a child process: `train_in_child` has `training.train`'s contract, but TensorFlow runs elsewhere.

Why a child and not a thread of the server: Streamlit calls `keras.backend.clear_session()` (which clears
TensorFlow's kernel cache and runs the garbage collector) and `gc.collect(2)` after every script run of
every session once Keras is imported, 0.3-0.6 s holding the GIL each time, so a run timed by the page's
own progress fragment (every 0.5 s) trained 8 times slower (0.30 s an epoch against 0.036 s) and every
other session's clicks waited behind it. In a child, Keras is never imported by the server, TensorFlow's
thread pools cannot take the GIL from the page, and the child runs at a lower priority (`NICENESS`), so a
take clicked while someone trains is served first.

The child gets the windows and settings, sends one message per epoch (the report without its weights),
takes "stop" between epochs, and ends with the kept weights or the traceback of what went wrong. The
pipe is between the server and its own child (plain arrays and dataclasses it made), never a user's file.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable
from dataclasses import fields

from jazz_core.errors import JazzError
from jazz_core.settings import ModelSettings, TrainSettings

NICENESS = 10  # added to the child's nice value: the page's takes come first, training gets what is left
POLL_SECONDS = 0.1  # how often the parent looks for a Stop while waiting for the next epoch


class TrainingCrashed(RuntimeError):
    """The child ended without a result (an error in training, or killed): the server log has why."""


def train_in_child(dataset, model_settings: ModelSettings, settings: TrainSettings,
                   on_epoch: Callable | None = None, should_stop: Callable[[], bool] | None = None):
    """Train as `training.train` does, in a spawned child at a lower priority; reports come back per epoch."""
    context = multiprocessing.get_context("spawn")  # a fresh interpreter: no threads or locks of the server
    parent, child = context.Pipe()
    process = context.Process(target=_child_main, args=(child, dataset, model_settings, settings),
                              name="training", daemon=True)
    process.start()
    child.close()
    try:
        return _follow(parent, process, on_epoch, should_stop)
    except EOFError as error:  # the child is gone: its exit code says how (-9: killed, e.g. out of memory)
        process.join(5)
        raise TrainingCrashed(f"the training process ended with exit code {process.exitcode}") from error
    finally:
        parent.close()
        threading.Thread(target=_reap, args=(process,), name="training-reaper", daemon=True).start()


def _reap(process) -> None:
    """Wait for the child's exit (TensorFlow takes a second or two to wind down) without holding up the result."""
    process.join(30)
    if process.is_alive():
        process.kill()
        process.join()


def _follow(parent, process, on_epoch: Callable | None, should_stop: Callable[[], bool] | None):
    """Pass the child's epochs on and its Stop in, until it sends its result (a TrainedModel) or fails."""
    from jazz_core.training import EpochReport, TrainedModel

    history, stop_sent = [], False
    while True:
        if not stop_sent and should_stop is not None and should_stop():  # every turn: epochs may come fast
            parent.send("stop")
            stop_sent = True
        if not parent.poll(POLL_SECONDS):
            if not process.is_alive() and not parent.poll():
                raise TrainingCrashed(f"the training process ended with exit code {process.exitcode}")
            continue
        kind, body = parent.recv()
        if kind == "epoch":
            history.append(EpochReport(**body))
            if on_epoch:
                on_epoch(history[-1])
        elif kind == "done":
            weights, stopped, kept = body
            return TrainedModel(weights, tuple(history), stopped, kept)
        else:  # a JazzError keeps its sentence; anything else is a bug, its traceback for the log
            raise JazzError(body) if kind == "jazz" else TrainingCrashed(f"training failed in its process:\n{body}")


def _child_main(connection, dataset, model_settings: ModelSettings, settings: TrainSettings) -> None:
    """The child's whole work: train, sending each epoch's report, and send the result or the traceback."""
    with contextlib.suppress(OSError):  # not allowed here: train at the server's priority
        os.nice(NICENESS)
    try:
        from jazz_core.training import train

        def report(epoch_report) -> None:
            plain = {f.name: getattr(epoch_report, f.name) for f in fields(epoch_report) if f.name != "weights"}
            connection.send(("epoch", plain))

        def stop_requested() -> bool:
            return connection.poll() and connection.recv() == "stop"

        trained = train(dataset, model_settings, settings, report, stop_requested)
        connection.send(("done", (trained.weights, trained.stopped, trained.kept)))
    except JazzError as error:
        connection.send(("jazz", str(error)))
    except Exception:  # sent to the parent, which logs it
        connection.send(("error", traceback.format_exc()))
    finally:
        connection.close()
