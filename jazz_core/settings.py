"""Settings: one frozen dataclass per concern, with the course's defaults, shared by the CLI and the page.

Each class checks itself on creation and raises `SettingsError` (a ValueError) quoting the bad
value, so a page widget or a command-line flag can never smuggle an absurd setting into the pipeline.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from jazz_core.errors import SettingsError

# Caps that keep one request from taking the whole machine.
MAX_EPOCHS = 2000
MAX_HIDDEN_UNITS = 512
MAX_SEQUENCE_LENGTH = 200
MAX_WINDOWS = 5000
MAX_VALUES = 5000
MAX_COMPARED_SEEDS = 20  # solos per system in an evaluation (evaluate --seeds)
MAX_SEED = 2**32 - 1  # NumPy's and TensorFlow's seeds are unsigned 32-bit numbers
SWINGS = ("straight", "light", "medium", "hard")
FAMILIES = ("studio", "course")  # studio: factored values + chords, early stopping; course: the course's LSTM
MAX_COPY_GUARD = 64


def _check_number(name: str, value: object, low: float, high: float, whole: bool = False) -> None:
    """SettingsError quoting `value` unless it is a number (a whole one if `whole`) from `low` to `high`."""
    kinds = int if whole else int | float
    if isinstance(value, bool) or not isinstance(value, kinds):
        raise SettingsError(f"{name} must be {'a whole number' if whole else 'a number'}, not {value!r}")
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low} and {high}, not {value!r}")


def _check_whole(name: str, value: object, low: int, high: int) -> None:
    _check_number(name, value, low, high, whole=True)


def _check_choice(name: str, value: object, choices: Sequence[str]) -> None:
    if value not in choices:
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, not {value!r}")


@dataclass(frozen=True)
class DatasetSettings:
    """How the corpus of values is cut into training windows."""

    windows: int = 60  # m: training windows drawn from the corpus (the course: 60)
    sequence_length: int = 30  # Tx: values per window (the course: 30)
    validation_fraction: float = 0.15  # share held out for the validation loss (whole pieces when there are 3+)
    test_fraction: float = 0.15  # share held out for the reported test loss, never used in training
    seed: int = 0  # where the windows start; same seed, same windows

    def __post_init__(self) -> None:
        _check_whole("windows", self.windows, 2, MAX_WINDOWS)
        _check_whole("sequence length", self.sequence_length, 2, MAX_SEQUENCE_LENGTH)
        _check_number("validation fraction", self.validation_fraction, 0.0, 0.5)
        _check_number("test fraction", self.test_fraction, 0.0, 0.4)
        _check_whole("seed", self.seed, 0, MAX_SEED)


@dataclass(frozen=True)
class ModelSettings:
    """The shape of the LSTM."""

    hidden_units: int = 64  # n_a: size of the LSTM state (the course: 64)
    family: str = "studio"  # studio (factored values, chords as inputs, early stopping) or course (as taught)
    embedding_size: int = 32  # studio: size of the type, duration, window and chord embeddings (summed)
    dropout: float = 0.2  # studio: share of inputs and states dropped while training

    def __post_init__(self) -> None:
        _check_whole("hidden units", self.hidden_units, 1, MAX_HIDDEN_UNITS)
        _check_choice("model family", self.family, FAMILIES)
        _check_whole("embedding size", self.embedding_size, 1, MAX_HIDDEN_UNITS)
        _check_number("dropout", self.dropout, 0.0, 0.8)


@dataclass(frozen=True)
class TrainSettings:
    """How the model is fitted."""

    epochs: int = 100  # passes over the windows (the course: 100)
    learning_rate: float = 0.01  # Adam's step size (the course: 0.01)
    batch_size: int = 32  # windows per gradient step (Keras' default, as in the course)
    seed: int = 0  # initial weights and batch order; same seed, same model
    keep_best: bool = False  # return the weights of the epoch with the lowest validation loss (the course: the last)
    patience: int = 8  # studio: stop after this many epochs without a better validation loss (it always keeps
    # the best epoch); the course family runs every epoch

    def __post_init__(self) -> None:
        _check_whole("epochs", self.epochs, 1, MAX_EPOCHS)
        _check_number("learning rate", self.learning_rate, 1e-6, 1.0)
        _check_whole("batch size", self.batch_size, 1, MAX_WINDOWS)
        _check_whole("seed", self.seed, 0, MAX_SEED)
        _check_whole("patience", self.patience, 1, MAX_EPOCHS)


@dataclass(frozen=True)
class GenerateSettings:
    """How a solo is sampled from a trained model."""

    values: int = 200  # N: how many grammar values to generate
    temperature: float = 0.7  # 0 plays the most likely value (the course's argmax); higher is freer
    seed: int = 1  # same seed, same solo
    copy_guard: int = 0  # 0: off; else never copy more than this many values in a row from the corpus (resampled)

    def __post_init__(self) -> None:
        _check_whole("values to generate", self.values, 1, MAX_VALUES)
        _check_number("temperature", self.temperature, 0.0, 5.0)
        _check_whole("seed", self.seed, 0, MAX_SEED)
        if self.copy_guard != 0:
            _check_whole("copy guard", self.copy_guard, 2, MAX_COPY_GUARD)


@dataclass(frozen=True)
class PlaybackSettings:
    """How the solo is written to MIDI: tempo and instruments (General MIDI programs, 0-127)."""

    tempo_bpm: float = 130.0  # the course plays at 130 beats per minute
    solo_program: int = 26  # 26 = electric guitar (jazz), as in the course
    chord_program: int = 0  # 0 = acoustic grand piano for the comping
    chords: bool = True  # write the chord track under the solo
    comping: bool = False  # chords in a rootless jazz voicing on the Charleston rhythm (else held whole)
    bass: bool = False  # a walking bass track
    drums: bool = False  # ride cymbal, hi-hat on 2 and 4
    bass_program: int = 32  # 32 = acoustic (double) bass
    swing: str = "straight"  # straight, light (3:2), medium (2:1) or hard (3:1) eighth notes
    accents: bool = True  # lean on the off-beats a little
    humanize: bool = False  # small seeded timing and velocity variations

    def __post_init__(self) -> None:
        _check_number("tempo", self.tempo_bpm, 20.0, 400.0)
        _check_choice("swing", self.swing, SWINGS)
        for name, program in (("solo instrument", self.solo_program), ("chord instrument", self.chord_program),
                              ("bass instrument", self.bass_program)):
            _check_whole(name, program, 0, 127)


@dataclass(frozen=True)
class AudioSettings:
    """How a MIDI file is played: soundfont, sample rate, instruments (General MIDI programs) and tail."""

    soundfont: str | None = None  # .sf2 file; None picks one (see audio.choose_soundfont)
    sample_rate: int = 44100  # samples per second of the WAV
    solo_program: int | None = None  # GM program for the "Solo" track; None keeps the MIDI's
    chord_program: int | None = None  # GM program for the "Chords" track; None keeps the MIDI's
    chords: bool = True  # False leaves the "Chords" track out
    tail_seconds: float = 1.0  # release and reverb kept after the last note ends

    def __post_init__(self) -> None:
        if not (self.soundfont is None or isinstance(self.soundfont, str | os.PathLike)):
            raise SettingsError(f"soundfont must be a file path, not {self.soundfont!r}")
        _check_whole("sample rate", self.sample_rate, 8000, 192000)
        for name, program in (("solo instrument", self.solo_program), ("chord instrument", self.chord_program)):
            if program is not None:
                _check_whole(name, program, 0, 127)
        _check_number("tail", self.tail_seconds, 0.0, 10.0)
