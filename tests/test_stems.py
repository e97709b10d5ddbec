"""Stems: a take's parts as separate MIDI files and as audio played by FluidSynth, all the same length."""

from __future__ import annotations

import io
import zipfile

import pretty_midi
import pytest
import soundfile

from jazz_core.errors import SynthesizerError
from jazz_core.midi_writer import write_midi
from jazz_core.music import Measure, Note
from jazz_core.settings import PlaybackSettings
from jazz_core.stems import part_midis, stems_zip
from tests.conftest import C7, F7

BAND = PlaybackSettings(bass=True, drums=True, comping=True, swing="medium", tempo_bpm=160)


@pytest.fixture(scope="module")
def take_midi() -> bytes:
    notes = [Note(i * 0.5, 0.5, 60 + i % 7, "C") for i in range(16)]
    return write_midi(notes, (Measure(4.0, (), (C7, F7)),), BAND, seed=1)


def test_each_part_is_its_own_midi_file_with_the_same_notes(take_midi):
    whole = pretty_midi.PrettyMIDI(io.BytesIO(take_midi))
    parts = part_midis(take_midi)
    assert list(parts) == ["solo", "chords", "bass", "drums"]
    for track, data in zip(whole.instruments, parts.values(), strict=True):
        (alone,) = pretty_midi.PrettyMIDI(io.BytesIO(data)).instruments
        assert (alone.name, alone.program, alone.is_drum) == (track.name, track.program, track.is_drum)
        assert [(n.pitch, round(n.start, 3), round(n.end, 3)) for n in alone.notes] == \
            [(n.pitch, round(n.start, 3), round(n.end, 3)) for n in track.notes]


def test_stems_zip_holds_audio_of_equal_length_and_the_midi(take_midi):
    archive = zipfile.ZipFile(io.BytesIO(stems_zip(take_midi)))
    names = sorted(archive.namelist())
    assert names == sorted([f"audio/{p}.flac" for p in ("solo", "chords", "bass", "drums")] +
                           [f"midi/{p}.mid" for p in ("solo", "chords", "bass", "drums")])
    lengths = set()
    for name in names:
        if name.endswith(".flac"):
            samples, rate = soundfile.read(io.BytesIO(archive.read(name)))
            assert rate == 44100 and abs(samples).max() > 0.5  # each stem sounds, normalised on its own
            lengths.add(len(samples))
    assert max(lengths) - min(lengths) <= 441  # lined up to within 10 ms


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(SynthesizerError, match="not a MIDI file"):
        part_midis(b"hello")
    with pytest.raises(ValueError, match="'mp3'"):
        stems_zip(write_midi([Note(0.0, 1.0, 60)], (Measure(4.0, (), (C7,)),)), audio_format="mp3")
