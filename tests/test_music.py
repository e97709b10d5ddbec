"""The plain data between stages, and the one pitch speller everyone names notes with."""

from __future__ import annotations

from jazz_core.music import Chord, Measure, pitch_name, snap


def test_pitch_names_use_flats_and_middle_c_is_c4():
    assert [pitch_name(p) for p in range(60, 72)] == [
        "C4", "Db4", "D4", "Eb4", "E4", "F4", "Gb4", "G4", "Ab4", "A4", "Bb4", "B4"]
    assert [pitch_name(p) for p in (0, 21, 108, 127)] == ["C-1", "A0", "C8", "G9"]


def test_the_parts_table_and_the_piano_roll_spell_alike():
    from jazz_core import reading, roll

    assert reading.pitch_name is pitch_name is roll.pitch_name


def test_times_snap_to_twelfths():
    assert snap(0.333) == snap(1 / 3) and snap(0.26) == 0.25


def test_the_chord_at_an_offset_is_the_last_one_started():
    bar = Measure(4.0, (), (Chord(0.0, (50, 53, 57, 60), symbol="Dm7"), Chord(2.0, (43, 47, 50, 53), symbol="G7")))
    assert [bar.chord_at(t).symbol for t in (0.0, 1.99, 2.0, 3.5)] == ["Dm7", "Dm7", "G7", "G7"]
