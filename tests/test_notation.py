"""Lead sheets as plain data: values on the grammar's grid, ties where a reader expects them, parts transposed."""

from __future__ import annotations

import pytest

from jazz_core.changes import parse_changes
from jazz_core.music import Measure, Note
from jazz_core.notation import PARTS, beat_of, lead_sheet, meter_of, note_lengths
from tests.conftest import C7, F7

BLUES_START = parse_changes("| F7 | Bb7 | F7 | F7 |")


def test_values_from_the_beat_use_the_fewest_notes_that_show_beat_three():
    assert note_lengths(0, 48) == [48]  # a whole note
    assert note_lengths(0, 18) == [18]  # dotted quarter on beat 1
    assert note_lengths(12, 36) == [12, 12]  # a half note from beat 2 is two tied quarters
    assert note_lengths(24, 48) == [24]
    assert note_lengths(12, 30) == [12, 6]


def test_a_note_off_the_beat_is_cut_at_the_next_beat():
    assert note_lengths(6, 18) == [6, 6]  # off-beat eighth tied to an eighth
    assert note_lengths(6, 30) == [6, 12, 6]
    assert note_lengths(3, 12) == [9]  # sixteenth, then a dotted eighth to the beat


def test_triplets_stay_triplets():
    assert note_lengths(0, 4) == [4]
    assert note_lengths(4, 12) == [8]  # a triplet eighth and a triplet quarter make one beat
    assert note_lengths(8, 16) == [4, 4]  # across the beat: tied


def test_meter_comes_from_the_bar_length_until_measures_carry_one():
    assert [meter_of(Measure(q, (), ())) for q in (4.0, 3.0, 2.5, 1.75)] == ["4/4", "3/4", "5/8", "7/16"]
    assert [beat_of(m) for m in ("4/4", "3/4", "6/8", "5/8")] == [12, 12, 18, 6]


def test_bars_hold_the_notes_ties_over_the_bar_line_and_rests_in_the_gaps():
    notes = [Note(0.0, 1.0, 65, "C"), Note(3.5, 1.0, 69, "C"), Note(6.0, 1.0, 72, "S")]
    sheet = lead_sheet(notes, BLUES_START, 140, swing=True, title="Test")
    first, second = sheet.bars
    assert [(n.start, n.length, n.pitch, n.tie) for n in first.notes] == [
        (0, 12, 65, ""), (12, 12, None, ""), (24, 18, None, ""), (42, 6, 69, "start")]
    assert [(n.start, n.length, n.pitch, n.tie) for n in second.notes] == [
        (0, 6, 69, "stop"), (6, 6, None, ""), (12, 12, None, ""), (24, 12, 72, ""), (36, 12, None, "")]
    assert [c.text for c in first.chords + second.chords] == ["F7", "Bb7"]
    assert (sheet.fifths, sheet.tempo_bpm, sheet.swing, first.meter) == (-2, 140, True, "4/4")  # F7 Bb7: V-I in Bb


def test_an_empty_bar_is_one_rest_and_the_sheet_ends_with_the_solo():
    sheet = lead_sheet([Note(4.0, 4.0, 60)], (Measure(4.0, (), (C7,)),))
    assert len(sheet.bars) == 2  # the progression loops as long as the solo
    assert [(n.start, n.length, n.pitch) for n in sheet.bars[0].notes] == [(0, 48, None)]


def test_chords_without_symbols_are_named_from_their_notes():
    sheet = lead_sheet([Note(0.0, 4.0, 60)], (Measure(4.0, (), (C7.__class__(0.0, C7.pitches), F7)),))
    assert [c.text for c in sheet.bars[0].chords] == ["C7", "F7"]


@pytest.mark.parametrize(("part", "semitones", "fifths"), [
    ("bb-tenor", 14, 1),  # a major ninth up; F (one flat) is written in G (one sharp)
    ("bb", 2, 1),  # trumpet: a major second up
    ("eb-alto", 9, 2),  # a major sixth up: F is written in D
    ("eb-baritone", 21, 2),
    ("bass", -12, -1),
])
def test_parts_are_transposed_with_their_key_and_chords(part, semitones, fifths):
    notes = [Note(0.0, 4.0, 65, "C")]
    concert, written = lead_sheet(notes, BLUES_START), lead_sheet(notes, BLUES_START, part=part)
    assert written.bars[0].notes[0].pitch - concert.bars[0].notes[0].pitch == semitones
    assert (written.fifths, written.clef) == (fifths, PARTS[part].clef)
    expected = {"bb-tenor": "G7", "bb": "G7", "eb-alto": "D7", "eb-baritone": "D7", "bass": "F7"}[part]
    assert written.bars[0].chords[0].text == expected


def test_a_part_never_gets_more_than_six_sharps():
    b_major = parse_changes("| Bmaj7 | E7 | F#7 | Bmaj7 |")
    sheet = lead_sheet([Note(0.0, 4.0, 71)], b_major, part="eb-alto")
    assert sheet.fifths == -4  # B major for an E-flat player: A-flat, not G-sharp
    assert (sheet.bars[0].chords[0].text, sheet.bars[0].notes[0].spelling.step) == ("Abmaj7", "A")


def test_unknown_part_is_refused_by_name():
    with pytest.raises(ValueError, match="'alto'"):
        lead_sheet([], BLUES_START, part="alto")


def test_accidentals_print_where_the_key_or_the_bar_does_not_already_say_so():
    notes = [Note(0.0, 1.0, 71), Note(1.0, 1.0, 70), Note(2.0, 1.0, 70), Note(3.0, 2.0, 71)]
    first, second = lead_sheet(notes, parse_changes("| C | C |"), key_fifths=-1).bars  # F major: B is flat
    assert [(n.spelling.alter, n.accidental) for n in first.notes] == [(0, True), (-1, True), (-1, False), (0, True)]
    assert [(n.tie, n.accidental) for n in second.notes if n.pitch] == [("stop", False)]  # tied over: none


def test_the_key_is_that_of_the_bars_the_solo_covers():
    two_keys = parse_changes("| F | Bb | C7 | F | E | A | B7 | E |")  # a corpus of pieces in F and in E
    assert lead_sheet([Note(0.0, 16.0, 65)], two_keys).fifths == -1
    assert lead_sheet([Note(0.0, 16.0, 65)], two_keys, key_fifths=4).fifths == 4  # the source's, when known
