"""The jazz grammar: values from measures and back, on literal bars and on real scores."""

from __future__ import annotations

import pytest

from jazz_core.grammar import (
    Timeline,
    chord_quality,
    chord_scale,
    decode_values,
    encode_measures,
    format_value,
    interval_name,
    interval_semitones,
    melody_line,
    note_type,
    parse_value,
)
from jazz_core.music import Chord, Measure
from tests.conftest import C7


def test_interval_names_follow_music21_and_read_back():
    assert [interval_name(s) for s in (0, 2, -5, 6, 13, -12)] == ["P1", "M2", "P-4", "d5", "m9", "P-8"]
    for semitones in range(-30, 31):
        assert interval_semitones(interval_name(semitones)) == semitones


def test_course_spellings_read_too():
    assert interval_semitones("A4") == 6
    assert interval_semitones("d-3") == -2
    assert interval_semitones("d1") == -1
    with pytest.raises(ValueError, match="not an interval"):
        interval_semitones("Q7")


def test_a_value_is_written_as_in_the_course():
    assert format_value("C", 0.25, -2) == "C,0.250,<m2,P-4>"
    assert format_value("R", 1.0, 5) == "R,1.000"
    assert parse_value("C,0.250,<m2,P-4>") == ("C", 0.25, (-5, 1))
    assert parse_value("S,0.333") == ("S", pytest.approx(1 / 3), None)


def test_note_types_against_a_dominant_seventh():
    chord = Chord(0.0, C7.pitches, chord_scale(C7.pitches))
    assert chord_scale(C7.pitches) == (0, 2, 4, 5, 7, 9, 10)  # C mixolydian
    assert [note_type(p, chord) for p in (64, 62, 63, 66)] == ["C", "S", "A", "A"]  # F# leans on G
    triad = Chord(0.0, (60, 64, 67))
    assert note_type(70, triad) == "X"  # B-flat: not in C major, a whole step from any chord tone
    assert note_type(64, None) == "X"


def test_chord_scales_follow_chord_quality():
    assert chord_scale((62, 65, 69, 72)) == (0, 2, 4, 5, 7, 9, 11)  # Dm7: D dorian = C major's notes
    assert chord_scale((59, 62, 65, 69)) == (0, 2, 4, 5, 7, 9, 11)  # Bm7b5: B locrian
    assert chord_scale((60, 64, 67, 71)) == (0, 2, 4, 5, 7, 9, 11)  # Cmaj7: C ionian


def test_encoding_two_bars(two_bars):
    values = encode_measures(two_bars)
    assert values[:3] == ["C,0.500", "C,0.500,<d5,P1>", "C,0.333,<d5,P1>"]  # E, G, B-flat: up a minor third twice
    assert sum(parse_value(v)[1] for v in values) == pytest.approx(8.0)  # the values fill both bars exactly
    assert "R,0.500" in values  # the real rest at the end of bar 1 stays a rest


def test_round_trip_keeps_onsets_durations_and_types(two_bars):
    values = encode_measures(two_bars)
    line = melody_line(two_bars)
    decoded = decode_values(values, two_bars, seed=3)
    assert [(n.offset, n.duration) for n in decoded] == [(n.offset, n.duration) for n in line]
    assert [n.pitch is None for n in decoded] == [n.pitch is None for n in line]
    timeline = Timeline(two_bars)
    for note, value in zip(decoded, values, strict=True):
        assert note.kind == value[0]
        if note.pitch is not None:
            assert note_type(note.pitch, timeline.chord_at(note.offset)) == note.kind


@pytest.mark.parametrize("index", [0, 1])
def test_round_trip_on_real_scores(builtin_pieces, index):
    measures = builtin_pieces[index].measures
    values = encode_measures(measures)
    decoded = decode_values(values, measures, seed=index)
    line = melody_line(measures)
    assert [(n.offset, n.duration) for n in decoded] == [(n.offset, n.duration) for n in line]
    timeline = Timeline(measures)
    agree = [note_type(n.pitch, timeline.chord_at(n.offset)) == n.kind for n in decoded if n.pitch is not None]
    assert all(agree)


def test_leaps_stay_inside_their_windows(builtin_pieces):
    measures = builtin_pieces[0].measures
    values = encode_measures(measures)
    decoded = [n for n in decode_values(values, measures, seed=0) if n.pitch is not None]
    windows = [parse_value(v)[2] for v in values if not v.startswith("R")]
    inside = sum(low <= b.pitch - a.pitch <= high
                 for a, b, (low, high) in zip(decoded, decoded[1:], windows[1:], strict=False))
    assert inside / (len(decoded) - 1) > 0.9  # only widened where no pitch of the type fits


def test_decoding_never_places_notes_late():
    bar = (Measure(3.0, (), (C7,)),)  # 3/4
    notes = decode_values(["C,1.000", "R,0.500", "S,0.500,<M2,M-3>", "A,1.000,<M2,M-3>"], bar, seed=1)
    assert [n.offset for n in notes] == [0.0, 1.0, 1.5, 2.0]
    assert [n.kind for n in notes] == ["C", "R", "S", "A"]


def test_decoding_odd_values_never_fails():
    bar = (Measure(4.0, (), ()),)  # no chord at all
    notes = decode_values(["X,0.500,<P8,P1>", "R,4.000", "C,0.000", "A,0.083"], bar, seed=0)
    assert [n.kind for n in notes] == ["X", "R", "A"]
    assert all(n.pitch is None or 0 <= n.pitch <= 127 for n in notes)


def test_chord_quality_from_notes():
    assert [chord_quality(p) for p in ((48, 52, 55, 58), (50, 53, 57, 60), (47, 50, 53, 57), (48, 51, 54, 57))] == \
        ["7", "m7", "m7b5", "dim7"]
    assert chord_quality((48, 51, 55, 59)) == "m(maj7)" and chord_quality((48, 50, 55)) == "sus2"
