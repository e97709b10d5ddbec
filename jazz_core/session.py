"""What one person's session of the page holds, as typed objects: training runs (here) and takes
(`jazz_core.takes`, whose names are importable from here too).

Never imports Streamlit: the page keeps these objects in `st.session_state` and draws them; everything
they do is tested here without a browser.

A `TrainingRun` trains in a worker thread of its own, which follows a child process that runs TensorFlow
(`jazz_core.training_worker`), so the page's script runs stay short and every control stays usable while
it trains. Its states: running -> finished (all epochs), stopped (Stop was
clicked; the model as it stands is kept) or failed (an unexpected error, logged with its traceback).
The page reads its history and state on a timer and never waits for it.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from jazz_core import pipeline
from jazz_core.bundle import Bundle
from jazz_core.labels import time_left
from jazz_core.music import Piece
from jazz_core.settings import DatasetSettings, ModelSettings, TrainSettings
from jazz_core.takes import (  # noqa: F401 - the page and tests import the take names from here too
    Sound,
    SourceProfile,
    TakeRecord,
    drawn,
    length_problem,
    mean_quarters,
    most_bars,
    rerolled,
    retaken,
    sound_of,
    source_key,
    source_profile,
    take_metrics,
    take_record,
    wav_of,
    with_take,
)
from jazz_core.training import EpochReport, early_stop_epoch, kept_epoch

log = logging.getLogger(__name__)

RUNNING, FINISHED, STOPPED, FAILED = "running", "finished", "stopped", "failed"
TIMED_EPOCHS = 3  # epochs timed (after the first, which also builds the graph) before the time left is guessed
_no_weights = type(None)  # a recorded report's weights: none kept (calling it gives None)


@dataclass(eq=False)
class TrainingRun:
    """One run of training on some music, with its settings, history so far and outcome."""

    pieces: tuple[Piece, ...]
    title: str  # the music, in words
    source: str  # pipeline.source_hash of the uploaded bytes ('' of none: the built-in corpus)
    dataset: DatasetSettings
    model: ModelSettings
    training: TrainSettings
    values: list[str] | None = None  # the training values and windows: dropped when the run ends
    windows: object = None
    history: list[EpochReport] = field(default_factory=list)
    state: str = RUNNING
    bundle: Bundle | None = None  # the model the run made, once it has ended with at least one epoch
    stop_requested: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    thread: threading.Thread | None = field(default=None, repr=False)

    @classmethod
    def prepare(cls, pieces: Sequence[Piece], sources: Sequence[bytes], title: str, dataset: DatasetSettings,
                model: ModelSettings, training: TrainSettings) -> TrainingRun:
        """Encode the music and cut the windows (a JazzError says why it cannot be trained on)."""
        values, windows = pipeline.prepare(pieces, dataset)
        return cls(tuple(pieces), title, pipeline.source_hash(sources), dataset, model, training, values, windows)

    # --- the worker's side ---

    def start(self, train: Callable | None = None) -> None:
        """Train in a worker thread; `train` is `training_worker.train_in_child` unless given (TensorFlow runs in
        a child process, out of the server's way: see that module)."""
        self.thread = threading.Thread(target=self.run, args=(train,), name="training", daemon=True)
        self.thread.start()

    def run(self, train: Callable | None = None) -> None:
        """Train to the end or to a Stop, then pack the model; the thread's whole work."""
        try:
            if train is None:
                from jazz_core.training_worker import train_in_child as train
            trained = train(self.windows, self.model, self.training, self.record, self.should_stop)
            self._end(trained.weights, STOPPED if trained.stopped else FINISHED)  # early stopping is finishing
        except Exception:  # a bug, not the user's doing: the traceback goes to the log, the page says sorry
            log.exception("training failed")
            self._end(None, FAILED)

    def record(self, report: EpochReport) -> None:
        """Keep an epoch's report (without its weights) for the chart and the progress bar."""
        with self._lock:
            self.history.append(replace(report, weights=_no_weights))

    def should_stop(self) -> bool:
        return self.stop_requested

    def _end(self, weights, state: str) -> None:
        with self._lock:
            if weights is not None and self.history:
                self.bundle = pipeline.pack(self.pieces, self.values, self.windows, weights, self.history,
                                            self.dataset, self.model, self.training, self.source)
            self.state = state
            self.values = self.windows = None

    # --- the page's side ---

    def request_stop(self) -> None:
        """Stop after the epoch in progress, keeping the model as it stands."""
        self.stop_requested = True

    @property
    def running(self) -> bool:
        return self.state == RUNNING

    def epochs(self) -> list[EpochReport]:
        """The history so far, copied (the worker keeps appending)."""
        with self._lock:
            return list(self.history)

    def wait(self, timeout: float | None = None) -> None:
        if self.thread is not None:
            self.thread.join(timeout)

    def progress(self) -> tuple[float, str]:
        """(fraction done, the text beside the bar): the epoch, the loss and, once timed, the time left."""
        history, epochs = self.epochs(), self.training.epochs
        if not history:
            return 0.0, "Starting TensorFlow (a few seconds)…"
        last = history[-1]
        text = f"Epoch {last.epoch} of {epochs} · loss {last.loss:.3f}"
        if last.epoch > TIMED_EPOCHS and last.epoch < epochs:
            early_stop = early_stop_epoch(history, self.training.patience) if self.model.family == "studio" else None
            text += " · " + time_left(last.seconds, last.epoch, epochs, history[0].seconds, early_stop)
        elif last.epoch < epochs:
            text += " · timing the first epochs"
        if self.stop_requested and self.running:
            text += " · stopping after this epoch"
        return last.epoch / epochs, text

    def notice(self) -> tuple[str, str] | None:
        """How the run ended, as (kind, sentence) with kind success, warning or error; None while running."""
        if self.running:
            return None
        if self.bundle is None:  # failed: training always ends an epoch before it stops
            return "error", ("Training stopped: something went wrong on our side (the server log has the details). "
                             "The model in use is unchanged.")
        last, done = self.history[-1], len(self.history)
        if self.state == STOPPED:
            text = f"Stopped after epoch {done}; the model is kept (loss {last.loss:.3f})."
        elif done < self.training.epochs:  # the studio family's early stop
            text = (f"Stopped early after epoch {done} of {self.training.epochs}: the validation loss had not "
                    f"improved for {self.training.patience} epochs (Patience). Trained in {last.seconds:.1f} s; "
                    "the new model is now in use.")
        else:
            text = (f"Trained for {done} epochs in {last.seconds:.1f} s; final loss {last.loss:.3f}. "
                    "The new model is now in use.")
        return "success", text + self._kept_text()

    def _kept_text(self) -> str:
        studio = " The studio family always keeps its best epoch." if self.model.family == "studio" else ""
        if not (studio or self.training.keep_best):
            return ""
        kept = kept_epoch(self.history, True)
        best = self.history[kept - 1]
        if best.validation_loss is None:
            return studio + " No music was held out for a validation loss, so it holds the last epoch's weights."
        return studio + f" It holds the weights of epoch {kept}, the lowest validation loss " \
                        f"({best.validation_loss:.3f})."
