"""Shared fixtures: small real scores, the course's file when present, one short trained model."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pretty_midi
import pytest

from jazz_core.music import Chord, Measure, Note

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # keep TensorFlow's start-up chatter out of test logs

ROOT = Path(__file__).resolve().parent.parent
METHENY = ROOT.parent / "shared" / "data" / "original_metheny.mid"


@pytest.fixture(scope="session")
def metheny_bytes() -> bytes:
    if not METHENY.is_file():
        pytest.skip(f"the course's MIDI is not at {METHENY}")
    return METHENY.read_bytes()


@pytest.fixture(scope="session")
def builtin_pieces():
    from jazz_core.scores import builtin_corpus

    return builtin_corpus()


def midi_bytes(tracks: dict[str, list[tuple[float, float, int]]], tempo: float = 120.0, drums: tuple[str, ...] = (),
               time_signatures: tuple[tuple[int, int, float], ...] = ()) -> bytes:
    """A small MIDI file: track name -> notes as (start beat, length in beats, pitch)."""
    midi = pretty_midi.PrettyMIDI(initial_tempo=tempo)
    beat = 60.0 / tempo
    for numerator, denominator, at in time_signatures:
        midi.time_signature_changes.append(pretty_midi.TimeSignature(numerator, denominator, at * beat))
    for name, notes in tracks.items():
        track = pretty_midi.Instrument(program=0, name=name, is_drum=name in drums)
        for start, length, pitch in notes:
            track.notes.append(pretty_midi.Note(90, pitch, start * beat, (start + length) * beat))
        midi.instruments.append(track)
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()


C7 = Chord(0.0, (48, 52, 55, 58), (), "C7")
F7 = Chord(2.0, (53, 57, 60, 63), (), "F7")


@pytest.fixture
def two_bars() -> tuple[Measure, ...]:
    """Two bars of 4/4 over C7 then C7/F7: eighths, a triplet, a rest, a note held over the bar line."""
    first = Measure(4.0, (Note(0.0, 0.5, 64), Note(0.5, 0.5, 67), Note(1.0, 1 / 3, 70), Note(4 / 3, 1 / 3, 69),
                          Note(5 / 3, 1 / 3, 68), Note(2.0, 1.0, 61), Note(3.5, 1.0, 66)), (C7,))
    second = Measure(4.0, (Note(0.5, 0.25, 60), Note(0.75, 0.25, 62), Note(2.0, 2.0, 63)), (C7, F7))
    return first, second


@pytest.fixture(scope="session")
def small_bundle(builtin_pieces):
    """A model trained for a few real epochs on the built-in corpus."""
    from jazz_core.pipeline import learn
    from jazz_core.settings import DatasetSettings, TrainSettings

    return learn(builtin_pieces, DatasetSettings(windows=40), training=TrainSettings(epochs=5))


@pytest.fixture(scope="session")
def course_bundle(builtin_pieces):
    """A model of the course's family trained for a few real epochs on the built-in corpus."""
    from jazz_core.pipeline import learn
    from jazz_core.settings import DatasetSettings, ModelSettings, TrainSettings

    return learn(builtin_pieces, DatasetSettings(windows=40), ModelSettings(family="course"), TrainSettings(epochs=5))
