"""MIDI writing: a solo track and a chord track that pretty_midi reads back with the right length."""

from __future__ import annotations

import io

import pretty_midi

from jazz_core.midi_writer import chord_spans, voice_chord, write_midi
from jazz_core.music import Measure, Note
from jazz_core.settings import PlaybackSettings
from tests.conftest import C7, F7


def test_voicing_is_compact_and_keeps_every_pitch_class():
    voiced = voice_chord((36, 52, 58, 67))
    assert {p % 12 for p in voiced} == {0, 4, 10, 7}
    assert all(48 <= p < 72 for p in voiced)


def test_chords_loop_to_cover_the_solo():
    bars = (Measure(4.0, (), (C7, F7)),)
    assert [(s, e) for s, e, _ in chord_spans(bars, 7.0)] == [(0.0, 2.0), (2.0, 4.0), (4.0, 6.0), (6.0, 8.0)]


def test_written_midi_reads_back():
    notes = [Note(0.0, 1.0, 64, "C"), Note(1.0, 1.0, None, "R"), Note(2.0, 2.0, 67, "C")]
    data = write_midi(notes, (Measure(4.0, (), (C7,)),), PlaybackSettings(tempo_bpm=120, solo_program=56))
    midi = pretty_midi.PrettyMIDI(io.BytesIO(data))
    solo, chords = midi.instruments
    assert (solo.name, solo.program, chords.name) == ("Solo", 56, "Chords")
    assert [(n.pitch, round(n.start, 3), round(n.end, 3)) for n in solo.notes] == [(64, 0.0, 0.5), (67, 1.0, 2.0)]
    assert midi.get_end_time() == 2.0


def test_chords_can_be_left_out():
    data = write_midi([Note(0.0, 1.0, 64)], (Measure(4.0, (), (C7,)),), PlaybackSettings(chords=False))
    assert [i.name for i in pretty_midi.PrettyMIDI(io.BytesIO(data)).instruments] == ["Solo"]
