"""The whole story in two calls: `learn` (pieces -> trained bundle) and `generate` (bundle -> a take).

Each stage lives in its own module; this one only wires them, for the CLI, the page and the
benchmarks alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from jazz_core.bundle import Bundle
from jazz_core.dataset import Dataset, make_dataset
from jazz_core.grammar import decode_values, encode_measures
from jazz_core.midi import write_midi
from jazz_core.model import LstmWeights
from jazz_core.music import Measure, Note, Piece
from jazz_core.sampling import sample_indices
from jazz_core.settings import DatasetSettings, GenerateSettings, ModelSettings, PlaybackSettings, TrainSettings

if TYPE_CHECKING:
    from jazz_core.training import EpochReport


def corpus_values(pieces: Sequence[Piece]) -> list[str]:
    """All pieces' grammar values, one piece after another."""
    return [value for piece in pieces for value in encode_measures(piece.measures)]


def chords_only(pieces: Sequence[Piece]) -> tuple[Measure, ...]:
    """The pieces' bars without their melody: the progression a solo is played over."""
    return tuple(Measure(m.length, (), m.chords) for piece in pieces for m in piece.measures if m.chords)


def source_hash(sources: Sequence[bytes]) -> str:
    digest = hashlib.sha256()
    for data in sources:
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def prepare(pieces: Sequence[Piece], dataset: DatasetSettings = DatasetSettings()) -> tuple[list[str], Dataset]:
    """The pieces' values and the training windows cut from them."""
    values = corpus_values(pieces)
    return values, make_dataset(values, dataset)


def pack(pieces: Sequence[Piece], values: Sequence[str], windows: Dataset, weights: LstmWeights,
         history: Sequence[EpochReport], dataset: DatasetSettings, model: ModelSettings, training: TrainSettings,
         source_sha256: str = "") -> Bundle:
    """Everything generation needs in one bundle; also used for a model kept when training is stopped."""
    settings = {"dataset": asdict(dataset), "model": asdict(model), "training": asdict(training),
                "epochs_done": len(history)}
    return Bundle(weights, windows.vocabulary, chords_only(pieces), tuple(values),
                  " + ".join(p.title for p in pieces), pieces[0].tempo_bpm, source_sha256, settings,
                  tuple(r.loss for r in history))


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
    notes: tuple[Note, ...]
    midi: bytes
    seconds: float  # length of the solo at its tempo
    settings: GenerateSettings
    playback: PlaybackSettings


def generate(bundle: Bundle, settings: GenerateSettings = GenerateSettings(),
             playback: PlaybackSettings = PlaybackSettings(), progression: Sequence[Measure] | None = None) -> Take:
    """Sample N values, play them over the chords (the source's own by default) and write the MIDI."""
    measures = tuple(progression or bundle.progression)
    indices = sample_indices(bundle.weights, settings.values, settings.temperature, settings.seed)
    values = bundle.vocabulary.decode(indices)
    notes = decode_values(values, measures, seed=settings.seed)
    midi = write_midi(notes, measures, playback)
    end = max((n.offset + n.duration for n in notes), default=0.0)
    return Take(tuple(values), tuple(notes), midi, end * 60.0 / playback.tempo_bpm, settings, playback)

