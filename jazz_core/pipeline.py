"""The whole story in two calls: `learn` (pieces -> trained bundle) and `generate` (bundle -> a take).

Each stage lives in its own module; this one only wires them, for the CLI, the page and the
benchmarks alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from jazz_core.bundle import Bundle
from jazz_core.dataset import Dataset, make_dataset
from jazz_core.errors import RerollError, SettingsError
from jazz_core.grammar import decode_values, encode_measures, format_value, parse_value
from jazz_core.midi_writer import write_midi
from jazz_core.model import LstmWeights
from jazz_core.music import Measure, Note, Piece, snap
from jazz_core.progression import Timeline, bar_starts
from jazz_core.sampling import sample_values, stand_in, value_stream
from jazz_core.settings import (
    MAX_VALUES,
    DatasetSettings,
    GenerateSettings,
    ModelSettings,
    PlaybackSettings,
    TrainSettings,
)
from jazz_core.steps import step_features

if TYPE_CHECKING:
    from jazz_core.training import EpochReport


def corpus_values(pieces: Sequence[Piece]) -> list[str]:
    """All pieces' grammar values, one piece after another (a piece's own values when its reading fixed them)."""
    return [value for piece in pieces for value in (piece.values or encode_measures(piece.measures))]


def chords_only(pieces: Sequence[Piece]) -> tuple[Measure, ...]:
    """The pieces' bars without their melody: the progression a solo is played over, bar for bar."""
    return tuple(Measure(m.length, (), m.chords, m.meter) for piece in pieces for m in piece.measures)


def source_hash(sources: Sequence[bytes]) -> str:
    digest = hashlib.sha256()
    for data in sources:
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def prepare(pieces: Sequence[Piece], dataset: DatasetSettings = DatasetSettings()) -> tuple[list[str], Dataset]:
    """The pieces' values and the training windows cut from them (with each step's chord and place)."""
    per_piece = [list(piece.values or encode_measures(piece.measures)) for piece in pieces]
    features = [step_features(values, piece.measures) for values, piece in zip(per_piece, pieces, strict=True)]
    values = [value for piece_values in per_piece for value in piece_values]
    return values, make_dataset(values, dataset, features=np.concatenate(features),
                                lengths=[len(v) for v in per_piece])


def pack(pieces: Sequence[Piece], values: Sequence[str], windows: Dataset, weights: LstmWeights,
         history: Sequence[EpochReport], dataset: DatasetSettings, model: ModelSettings, training: TrainSettings,
         source_sha256: str = "") -> Bundle:
    """Everything generation needs in one bundle; also used for a model kept when training is stopped."""
    from jazz_core.training import kept_epoch  # no TensorFlow at import

    kept = kept_epoch(history, training.keep_best or model.family == "studio") or 0
    settings = {"dataset": asdict(dataset), "model": asdict(model), "training": asdict(training),
                "epochs_done": len(history), "kept_epoch": kept, "windows": len(windows.starts)}
    return Bundle(weights, windows.vocabulary, chords_only(pieces), tuple(values),
                  " + ".join(p.title for p in pieces), pieces[0].tempo_bpm, source_sha256, settings,
                  tuple(r.loss for r in history), weights.family, windows.split,
                  tuple(len(p.measures) for p in pieces))


def learn(pieces: Sequence[Piece], dataset: DatasetSettings = DatasetSettings(),
          model: ModelSettings = ModelSettings(), training: TrainSettings = TrainSettings(),
          on_epoch: Callable[[EpochReport], None] | None = None, should_stop: Callable[[], bool] | None = None,
          source_sha256: str = "") -> Bundle:
    """Encode the pieces, cut windows, train the LSTM and pack everything generation needs."""
    from jazz_core.training import train  # imports TensorFlow: only on this path

    values, windows = prepare(pieces, dataset)
    trained = train(windows, model, training, on_epoch, should_stop)
    return pack(pieces, values, windows, trained.weights, trained.history, dataset, model, training, source_sha256)


@dataclass(frozen=True)
class Take:
    """One generated solo: the values the model chose, the notes they became, and the MIDI file."""

    values: tuple[str, ...]
    notes: tuple[Note, ...]  # one per value, timed from the start of the solo
    midi: bytes
    seconds: float  # length of the solo at its tempo
    settings: GenerateSettings
    playback: PlaybackSettings
    progression: tuple[Measure, ...] = ()  # the chords it was played over (looped)


def _take(values: Sequence[str], notes: Sequence[Note], settings: GenerateSettings, playback: PlaybackSettings,
          measures: tuple[Measure, ...]) -> Take:
    midi = write_midi(notes, measures, playback, seed=settings.seed)
    end = max((n.offset + n.duration for n in notes), default=0.0)
    return Take(tuple(values), tuple(notes), midi, end * 60.0 / playback.tempo_bpm, settings, playback, measures)


def generate(bundle: Bundle, settings: GenerateSettings = GenerateSettings(),
             playback: PlaybackSettings = PlaybackSettings(), progression: Sequence[Measure] | None = None) -> Take:
    """Sample N values, play them over the chords (the source's own by default) and write the MIDI."""
    measures = tuple(progression or bundle.progression)
    indices = sample_values(bundle.weights, bundle.vocabulary, bundle.corpus, measures, settings.values,
                            settings.temperature, settings.seed, settings.copy_guard)
    values = bundle.vocabulary.decode(indices)
    notes = decode_values(values, measures, seed=settings.seed)
    check_take_length(notes, measures)
    return _take(values, notes, settings, playback, measures)


MAX_TAKE_BARS = 4000  # as for scores: a take longer than this is refused before it is written


def check_take_length(notes: Sequence[Note], measures: Sequence[Measure]) -> None:
    """Refuse a take too long to write (a model of very long values): the values setting says how long."""
    end = notes[-1].offset + notes[-1].duration if notes else 0.0
    bars = end * len(measures) / sum(m.length for m in measures)
    if bars > MAX_TAKE_BARS:
        raise SettingsError(f"These {len(notes)} values would last {bars:,.0f} bars; a take of at most "
                            f"{MAX_TAKE_BARS:,} bars is written. Ask for fewer values.")


def generate_bars(bundle: Bundle, bars: int, settings: GenerateSettings = GenerateSettings(),
                  playback: PlaybackSettings = PlaybackSettings(),
                  progression: Sequence[Measure] | None = None) -> Take:
    """Sample values until the solo fills exactly `bars` bars of the looped progression and ends on the last
    bar line (2 choruses of a 12-bar blues: 24 bars); the last value is cut to fit. The take's settings say how
    many values that took (at most MAX_VALUES)."""
    measures = tuple(progression or bundle.progression)
    length = Timeline(measures).bar_start(bars)
    values = fill(bundle, [], length, settings.temperature, settings.seed, most=MAX_VALUES, progression=measures)
    notes = decode_values(values, measures, seed=settings.seed)
    return _take(values, notes, replace(settings, values=len(values)), playback, measures)


def replayed(take: Take, playback: PlaybackSettings) -> Take:
    """The same notes written again with another tempo, instrument, feel or band: a new MIDI, nothing re-sampled."""
    return _take(take.values, take.notes, take.settings, playback, take.progression)


def reroll(bundle: Bundle, take: Take, bar: int, seed: int) -> Take:
    """Play bar `bar` (0-based) again, the LSTM state carried in from the bars before, keeping every other bar.

    The notes that start in the bar are replaced by new values that start in it too: they fill the
    time from the bar's first onset to the bar line, and when the old last note was held over the
    bar line the new last one is held over exactly as long. So every note that starts outside the
    bar stays as it was. A take made at temperature 0 is re-rolled at 0.5, since argmax would only
    play the same bar again.
    """
    starts = bar_starts(take.progression, take.notes[-1].offset if take.notes else 0.0)
    if not 0 <= bar < len(starts) - 1:
        raise RerollError(f"bar {bar + 1} is not in this take, which has {len(starts) - 1} bars")
    inside = [i for i, n in enumerate(take.notes) if starts[bar] <= n.offset < starts[bar + 1]]
    if not inside:
        raise RerollError(f"bar {bar + 1} has no notes of its own: a note from the bar before is held through it")
    first, last = inside[0], inside[-1]
    span_start, bar_line = take.notes[first].offset, starts[bar + 1]
    span_end = snap(take.notes[last].offset + take.notes[last].duration)
    primer = _primer(bundle, take.values[:first])
    new_values = fill(bundle, primer, snap(min(span_end, bar_line) - span_start), max(take.settings.temperature, 0.5),
                      seed, progression=take.progression)
    if span_end > bar_line:  # held over the bar line: the new last note holds over as long
        kind, duration, window = parse_value(new_values[-1])
        new_values[-1] = _value(kind, snap(duration + span_end - bar_line), window)
    previous = next((n.pitch for n in reversed(take.notes[:first]) if n.pitch is not None), None)
    new_notes = decode_values(new_values, take.progression, seed=seed, previous=previous, start=span_start)
    values = [*take.values[:first], *new_values, *take.values[last + 1:]]
    notes = [*take.notes[:first], *new_notes, *take.notes[last + 1:]]
    return _take(values, notes, take.settings, take.playback, take.progression)


def _primer(bundle: Bundle, values: Sequence[str]) -> list[int]:
    """Indices of earlier values; one cut to fit an earlier re-roll stands as its nearest vocabulary value
    (`sampling.stand_in`, as a primed phrase's)."""
    lookup = {value: index for index, value in enumerate(bundle.vocabulary.values)}
    return [lookup[value if value in lookup else stand_in(bundle.vocabulary, value)] for value in values]


def fill(bundle: Bundle, primer: list[int], length: float, temperature: float, seed: int,
         most: int = 1000, progression: Sequence[Measure] = (), state=None) -> list[str]:
    """Sampled values whose durations add up to exactly `length` (at most `most` of them); the last is cut to fit.
    From `state` (a sampling.SamplerState, see `sampling.prime`) when given, else after `primer`."""
    values, total = [], 0.0
    for index in value_stream(bundle.weights, bundle.vocabulary, progression or bundle.progression, temperature,
                              seed, primer, state=state):
        kind, duration, window = parse_value(bundle.vocabulary.values[index])
        duration = min(duration, snap(length - total))
        values.append(_value(kind, duration, window))
        total = snap(total + duration)
        if total >= length - 1e-9 or len(values) >= most:
            return values
    return values


def _value(kind: str, duration: float, window: tuple[int, int] | None) -> str:
    """A value of another duration, keeping its type and leap window."""
    return format_value(kind, duration, None if window is None else (window[0] + window[1]) // 2)


def take_bar_count(take: Take) -> int:
    """How many bars a take spans, as `reroll` counts them (bar k of the looped progression)."""
    if not take.notes or not take.progression:
        return 0
    return len(bar_starts(take.progression, take.notes[-1].offset)) - 1


def reroll_seed(seed: int, count: int) -> int:
    """The seed of a take's `count`-th re-rolled bar (1, 2, …): a new one every time, the same for the same
    take seed and count, in 0 … 2**31 - 2."""
    digest = hashlib.sha256(f"reroll:{seed}:{count}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % (2**31 - 1)
