"""What one person's session of the page holds, as typed objects: training runs and takes.

Never imports Streamlit: the page keeps these objects in `st.session_state` and draws them; everything
they do is tested here without a browser.

A `TrainingRun` trains in a worker thread of its own, so the page's script runs stay short and every
control stays usable while it trains. Its states: running -> finished (all epochs), stopped (Stop was
clicked; the model as it stands is kept) or failed (an unexpected error, logged with its traceback).
The page reads its history and state on a timer and never waits for it.

A `TakeRecord` is one take as the page shows it: the take, its audio, its piano roll (a Vega-Lite
dict) and its metrics, made once when the take is made or re-rolled, so drawing it again costs no
rendering, encoding or chart building.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from jazz_core import evaluation, pipeline, roll
from jazz_core.bundle import Bundle
from jazz_core.errors import JazzError
from jazz_core.grammar import parse_value
from jazz_core.labels import time_left
from jazz_core.music import Measure, Piece
from jazz_core.progression import Timeline
from jazz_core.settings import AudioSettings, DatasetSettings, ModelSettings, TrainSettings
from jazz_core.training import EpochReport, kept_epoch

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
        """Train in a worker thread; `train` is `training.train` (imported here, so TensorFlow only now)."""
        self.thread = threading.Thread(target=self.run, args=(train,), name="training", daemon=True)
        self.thread.start()

    def run(self, train: Callable | None = None) -> None:
        """Train to the end or to a Stop, then pack the model; the thread's whole work."""
        try:
            if train is None:
                from jazz_core.training import train
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
            return 0.0, "Starting TensorFlow (a few seconds the first time)…"
        last = history[-1]
        text = f"Epoch {last.epoch} of {epochs} · loss {last.loss:.3f}"
        if last.epoch > TIMED_EPOCHS and last.epoch < epochs:
            text += " · " + time_left(last.seconds, last.epoch, epochs, history[0].seconds)
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
        else:
            text = (f"Trained for {done} epochs in {last.seconds:.1f} s; final loss {last.loss:.3f}. "
                    "The new model is now in use.")
        return "success", text + self._kept_text()

    def _kept_text(self) -> str:
        if not self.training.keep_best:
            return ""
        kept = kept_epoch(self.history, True)
        best = self.history[kept - 1]
        if best.validation_loss is None:
            return " No music was held out for a validation loss, so it holds the last epoch's weights."
        return f" It holds the weights of epoch {kept}, the lowest validation loss ({best.validation_loss:.3f})."


# --- takes ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SourceProfile:
    """The source measured as `evaluation.compare` measures it: the mean of each metric over windows of N values."""

    metrics: dict  # metric key -> mean over the windows (None when no window has it)
    windows: int  # how many windows were measured
    values: int  # values per window (N, capped at the corpus length)
    what: str  # what the source is, in words


def source_key(bundle: Bundle, pieces: Sequence[Piece] | None) -> str:
    """A digest naming a bundle's source (its training values and chords, and the scores when known), for caching."""
    digest = hashlib.sha256()
    for value in bundle.corpus:
        digest.update(value.encode() + b"\n")
    digest.update(repr(bundle.progression).encode())
    for piece in pieces or ():
        digest.update(piece.title.encode() + repr(piece.measures).encode())
    return digest.hexdigest()


def source_profile(bundle: Bundle, pieces: Sequence[Piece] | None, values: int,
                   windows: int = 5) -> SourceProfile | None:
    """The source beside which a take of `values` values is shown, as `evaluation.compare` builds it.

    With the scores the bundle learnt from (when their values are exactly its training values) the
    source is their melody as written; otherwise the bundle's training values played over its own
    chords (rhythm and types exact, pitches chosen again). None when the bundle keeps no training values.
    """
    if not bundle.corpus or values < 1:
        return None
    length = min(values, len(bundle.corpus))
    line = evaluation.source_line(pieces) if pieces else None
    if line is not None and line.values == tuple(bundle.corpus):
        solos, what = evaluation.source_solos(line, length, windows), "the melody it learnt from, as written"
    else:
        solos, what = evaluation.corpus_solos(bundle, length, windows), "its training values over their own chords"
    summary = evaluation.summarize([evaluation.measure(solo, bundle.corpus) for solo in solos])
    means = {key: None if stats is None else stats["mean"] for key, stats in summary.items()}
    return SourceProfile(means, len(solos), length, what)


def take_metrics(take: pipeline.Take, corpus: Sequence[str]) -> dict:
    """Every metric of `evaluation.METRICS` for a take, over the chords it was played on."""
    return evaluation.measure(evaluation.Solo(take.notes, take.values, take.progression), corpus)


@dataclass(frozen=True)
class Sound:
    """A take's audio for the player (FLAC) and its length, or why it could not be played."""

    audio: bytes | None
    seconds: float
    error: str | None = None
    format: str = "audio/flac"  # the player's MIME type: FLAC for the newest take, OGG once kept

    def kept(self) -> Sound:
        """This sound once its take is not the newest: a small OGG (audio.kept_ogg; bench/audio_session.py)."""
        from jazz_core import audio
        flac = self.audio is not None and self.format == "audio/flac"
        return replace(self, audio=audio.kept_ogg(self.audio), format="audio/ogg") if flac else self


def sound_of(take: pipeline.Take) -> Sound:
    """The take rendered by FluidSynth as FLAC (lossless and quick to encode: about 0.04 s for 30 s of music)."""
    from jazz_core import audio

    try:
        rendered = audio.render(take.midi, AudioSettings(chords=take.playback.chords))
        return Sound(rendered.to_flac(), rendered.seconds)
    except JazzError as error:
        return Sound(None, take.seconds, f"The solo was written, but it could not be played: {error} "
                                         "The MIDI file is below.")


def wav_of(take: pipeline.Take) -> bytes:
    """The take as WAV, for the download button (rendered only when it is clicked)."""
    from jazz_core import audio

    return audio.render(take.midi, AudioSettings(chords=take.playback.chords)).wav


@dataclass(frozen=True)
class TakeRecord:
    """One take as the page shows it, with everything drawn from it made once."""

    number: int  # counted per session, from 1
    take: pipeline.Take
    bundle: Bundle  # the model that played it (re-rolls use it again)
    pieces: tuple[Piece, ...] | None  # the scores that model learnt from, when known
    model: str  # default, trained or uploaded
    instrument: str
    changes: str  # what it was played over, in words
    sound: Sound
    chart: dict  # the piano roll's data for the page's roll component (jazz_core.roll)
    roll_bars: int
    metrics: dict
    source: SourceProfile | None = None
    rerolled: tuple[int, ...] = ()  # bars (1-based) played again since it was made
    rerolls: int = 0  # re-rolled bars so far, successful or not: counts the seeds used
    notice: str | None = None  # what the last re-roll could not do
    length: str = ""  # the length asked for, when in choruses or bars: '2 choruses', '24 bars'
    batch: int = 0  # the click of Generate that made it (variants of one click share it)
    transposed: int = 0  # semitones the take was moved from how it was made (the MIDI stays at concert pitch)


def drawn(take: pipeline.Take) -> tuple[dict, int]:
    """The take's piano roll as plain data, and how many bars it covers."""
    drawing = roll.piano_roll(take.notes, take.progression, take.playback.tempo_bpm)
    return drawing.data(), drawing.bar_count


def take_record(number: int, take: pipeline.Take, bundle: Bundle, pieces, model: str, instrument: str,
                changes: str, source: SourceProfile | None = None, length: str = "") -> TakeRecord:
    """A new take's record: rendered, drawn and measured."""
    chart, bars = drawn(take)
    return TakeRecord(number, take, bundle, tuple(pieces) if pieces else None, model, instrument, changes,
                      sound_of(take), chart, bars, take_metrics(take, bundle.corpus), source, length=length)


# --- how long a take may be -----------------------------------------------------------------

def _player_seconds() -> float:
    from jazz_core.audio import MAX_SECONDS

    return MAX_SECONDS


def most_bars(measures: Sequence[Measure], tempo_bpm: float) -> int:
    """How many bars of the looped progression the player can play at this tempo (it renders at most 10 minutes)."""
    quarters = _player_seconds() * tempo_bpm / 60.0
    timeline, bars = Timeline(measures), 0
    while timeline.bar_start(bars + 1) <= quarters + 1e-9:
        bars += 1
    return bars


def mean_quarters(bundle: Bundle) -> float:
    """The mean length of the values the model learnt from, in quarters (a quarter when it keeps none)."""
    lengths = [parse_value(v)[1] for v in bundle.corpus]
    return sum(lengths) / len(lengths) if lengths else 1.0


def length_problem(unit: str, count: int, values: int, tempo_bpm: float, measures: Sequence[Measure],
                   bundle: Bundle) -> str | None:
    """Why a take of this length cannot be played at this tempo (the player renders at most 10 minutes), else
    None: `count` choruses or bars, or `values` values (judged by the mean length of the model's values)."""
    minutes = f"{_player_seconds() / 60:g} minutes"
    if unit in ("choruses", "bars"):
        per = len(measures) if unit == "choruses" else 1
        most = most_bars(measures, tempo_bpm) // per
        if not 1 <= count <= most or count != int(count):
            return (f"{count:g} {unit} cannot be played: at {tempo_bpm:g} bpm the player plays at most {minutes}, "
                    f"which is 1 to {most} {unit}. Choose a number in that range, or a faster tempo.")
        return None
    most = int(_player_seconds() * tempo_bpm / 60.0 / mean_quarters(bundle))
    if values > most:
        return (f"{values} values would last about {values * mean_quarters(bundle) * 60 / tempo_bpm / 60:.0f} "
                f"minutes at {tempo_bpm:g} bpm; the player plays at most {minutes}. Choose at most {most} values, "
                "or a faster tempo.")
    return None


def rerolled(record: TakeRecord, bars: Sequence[int]) -> TakeRecord:
    """The take with the chosen bars (1-based) played again, a new seed each (from the take's seed and a
    count), every other bar kept; bars that cannot be played again are named in the notice."""
    take, count, done, problems = record.take, record.rerolls, [], []
    for bar in sorted(bars):
        count += 1
        try:
            take = pipeline.reroll(record.bundle, take, bar - 1, pipeline.reroll_seed(take.settings.seed, count))
            done.append(bar)
        except JazzError as error:
            problems.append(str(error)[:1].upper() + str(error)[1:].rstrip(".") + ".")
    updated = replace(record, rerolls=count, notice=" ".join(problems) or None,
                      rerolled=tuple(sorted({*record.rerolled, *done})))
    if not done:
        return updated
    chart, roll_bars = drawn(take)
    return replace(updated, take=take, sound=sound_of(take), chart=chart, roll_bars=roll_bars,
                   metrics=take_metrics(take, record.bundle.corpus))


def with_take(takes: Sequence[TakeRecord], record: TakeRecord, most: int) -> list[TakeRecord]:
    """The takes with `record` in place of the one of its number, or on top when new (the others' sound kept)."""
    if any(r.number == record.number for r in takes):
        return [record if r.number == record.number else r for r in takes]
    return [record, *(replace(r, sound=r.sound.kept()) for r in takes[:most - 1])]
