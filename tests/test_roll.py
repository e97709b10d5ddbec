"""The piano roll's data: notes, bars and chords in quarters over the looped progression, copied flags."""

from __future__ import annotations

import json

import pytest

from jazz_core import roll
from jazz_core.music import Chord, Measure, Note

C7 = Chord(0.0, (48, 52, 55, 58), (), "C7")
DM7 = Chord(0.0, (50, 53, 57, 60))
G7 = Chord(2.0, (43, 47, 50, 53))
BARS = (Measure(4.0, (), (DM7, G7)), Measure(2.0, (), (C7,)))  # a 4/4 bar then a 2/4 bar


def test_notes_are_in_quarters_with_their_bar_and_beat_and_rests_left_out():
    notes = [Note(0.0, 1.0, 62, "C"), Note(1.0, 1.0, None, "R"), Note(2.0, 2.0, 65, "S"),
             Note(4.0, 1.0, 61, "A"), Note(5.0, 1.5, 66, "")]
    drawing = roll.piano_roll(notes, BARS, tempo_bpm=120)
    assert [(n["start"], n["end"], n["note"], n["kind"], n["bar"], n["beat"]) for n in drawing.notes] == [
        (0.0, 1.0, "D4", "C", 1, 1.0), (2.0, 4.0, "F4", "S", 1, 3.0), (4.0, 5.0, "Db4", "A", 2, 1.0),
        (5.0, 6.5, "Gb4", "X", 2, 2.0)]  # a note of no known type is drawn as X
    assert drawing.seconds_per_quarter == 0.5  # the playhead's one multiplication: 120 bpm
    # bars: every bar begun, the one the solo ends in whole (the looped 4/4 bar), each with its own length
    assert drawing.bars == ({"number": 1, "start": 0.0, "length": 4.0}, {"number": 2, "start": 4.0, "length": 2.0},
                            {"number": 3, "start": 6.0, "length": 4.0})
    assert drawing.bar_count == 3
    # chords: spans in quarters, named where they change, with the tones the piano plays (voiced from C3)
    assert [(c["start"], c["end"], c["chord"], c["label"]) for c in drawing.chords] == [
        (0.0, 2.0, "Dm7", "Dm7"), (2.0, 4.0, "G7", "G7"), (4.0, 6.0, "C7", "C7"), (6.0, 8.0, "Dm7", "Dm7"),
        (8.0, 10.0, "G7", "G7")]
    assert drawing.chords[0]["tones"] == [48, 50, 53, 57]
    assert (drawing.lowest, drawing.highest) == (48, 66)
    assert not any(n["copied"] for n in drawing.notes)  # nothing marked copied unless said


def test_repeated_chords_are_named_once():
    drawing = roll.piano_roll([Note(0.0, 12.0, 64, "C")], (Measure(4.0, (), (C7,)),), 130)
    assert [c["label"] for c in drawing.chords] == ["C7", "", ""]


def test_copied_flags_come_one_per_note_rests_included():
    notes = [Note(0.0, 1.0, 62, "C"), Note(1.0, 1.0, None, "R"), Note(2.0, 1.0, 64, "C")]
    drawing = roll.piano_roll(notes, BARS, 100, copied=[False, True, True])  # as copied_mask gives, per value
    assert [n["copied"] for n in drawing.notes] == [False, True]
    with pytest.raises(ValueError, match="one copied flag per note is needed: 2 flags for 3 notes"):
        roll.piano_roll(notes, BARS, 100, copied=[True, False])


def test_the_data_is_plain_json_with_the_legend():
    drawing = roll.piano_roll([Note(0.0, 1.0, 62, "C")], BARS, 130, copied=[True])
    data = drawing.data()
    assert json.loads(json.dumps(data)) == data
    assert data["notes"] == list(drawing.notes) and data["bars"] == list(drawing.bars)
    assert [k["kind"] for k in data["kinds"]] == ["C", "S", "A", "X"]
    assert data["kinds"][0] == {"kind": "C", "name": "C · chord tone", "colour": "#1f77b4"}


def test_an_empty_solo_still_has_a_bar_and_a_roll_needs_measures():
    drawing = roll.piano_roll([Note(0.0, 4.0, None, "R")], BARS, 130)
    assert drawing.notes == () and drawing.bar_count == 1
    assert (drawing.lowest, drawing.highest) == (48, 59)  # the chord tones still shown
    with pytest.raises(ValueError, match="measures"):
        roll.piano_roll([Note(0.0, 1.0, 60, "C")], (), 130)


def test_the_component_page_escapes_the_data():
    from sections.roll import roll_html

    data = roll.piano_roll([Note(0.0, 1.0, 62, "C")], BARS, 130).data()
    data["chords"][0]["chord"] = "</script><script>alert(1)</script>"
    page = roll_html(data)
    assert "</script><script>alert" not in page and "<\\/script><script>alert(1)<\\/script>" in page
    assert page.count("</script>") == 2 and "/*SCRIPT*/" not in page and "/*ROLL*/" not in page
