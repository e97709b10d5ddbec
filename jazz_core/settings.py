"""Settings: one frozen dataclass per concern, with the course's defaults, shared by the CLI and the page.

Each class checks itself on creation and raises ``ValueError`` quoting the bad value, so a
page widget or a command-line flag can never smuggle an absurd setting into the pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass

# Caps that keep one request from taking the whole machine (2 cores, 24 GB).
MAX_EPOCHS = 2000
MAX_HIDDEN_UNITS = 512
MAX_SEQUENCE_LENGTH = 200
MAX_WINDOWS = 5000
MAX_VALUES = 5000
SWINGS = ("straight", "light", "medium", "hard")


def _check_range(name: str, value: float, low: float, high: float) -> None:
    if not (low <= value <= high):
        raise ValueError(f"{name} must be between {low} and {high}, not {value!r}")


def _check_int(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, not {value!r}")


@dataclass(frozen=True)
class DatasetSettings:
    """How the corpus of values is cut into training windows."""

    windows: int = 60  # m: training windows drawn from the corpus (the course: 60)
    sequence_length: int = 30  # Tx: values per window (the course: 30)
    validation_fraction: float = 0.15  # share of the corpus (its last values) held out for the validation loss
    seed: int = 0  # where the windows start; same seed, same windows

    def __post_init__(self) -> None:
        _check_int("windows", self.windows)
        _check_range("windows", self.windows, 2, MAX_WINDOWS)
        _check_int("sequence length", self.sequence_length)
        _check_range("sequence length", self.sequence_length, 2, MAX_SEQUENCE_LENGTH)
        _check_range("validation fraction", self.validation_fraction, 0.0, 0.5)
        _check_int("seed", self.seed)


@dataclass(frozen=True)
class ModelSettings:
    """The shape of the LSTM."""

    hidden_units: int = 64  # n_a: size of the LSTM state (the course: 64)

    def __post_init__(self) -> None:
        _check_int("hidden units", self.hidden_units)
        _check_range("hidden units", self.hidden_units, 1, MAX_HIDDEN_UNITS)


@dataclass(frozen=True)
class TrainSettings:
    """How the model is fitted."""

    epochs: int = 100  # passes over the windows (the course: 100)
    learning_rate: float = 0.01  # Adam's step size (the course: 0.01)
    batch_size: int = 32  # windows per gradient step (Keras' default, as in the course)
    seed: int = 0  # initial weights and batch order; same seed, same model
    keep_best: bool = False  # return the weights of the epoch with the lowest validation loss (the course: the last)

    def __post_init__(self) -> None:
        _check_int("epochs", self.epochs)
        _check_range("epochs", self.epochs, 1, MAX_EPOCHS)
        _check_range("learning rate", self.learning_rate, 1e-6, 1.0)
        _check_int("batch size", self.batch_size)
        _check_range("batch size", self.batch_size, 1, MAX_WINDOWS)
        _check_int("seed", self.seed)


@dataclass(frozen=True)
class GenerateSettings:
    """How a solo is sampled from a trained model."""

    values: int = 200  # N: how many grammar values to generate
    temperature: float = 0.7  # 0 plays the most likely value (the course's argmax); higher is freer
    seed: int = 1  # same seed, same solo

    def __post_init__(self) -> None:
        _check_int("values to generate", self.values)
        _check_range("values to generate", self.values, 1, MAX_VALUES)
        _check_range("temperature", self.temperature, 0.0, 5.0)
        _check_int("seed", self.seed)


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
        _check_range("tempo", self.tempo_bpm, 20.0, 400.0)
        if self.swing not in SWINGS:
            raise ValueError(f"swing must be one of {', '.join(SWINGS)}, not {self.swing!r}")
        for name, program in (("solo instrument", self.solo_program), ("chord instrument", self.chord_program),
                              ("bass instrument", self.bass_program)):
            _check_int(name, program)
            _check_range(name, program, 0, 127)
