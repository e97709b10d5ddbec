"""The page's data shaping: piano-roll rows, chord names, loss rows, parts tables and labels."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jazz_core import pianoroll
from jazz_core.bundle import load_bundle
from jazz_core.music import Chord, Measure, Note
from jazz_core.scores import Track, read_raw
from jazz_core.training import EpochReport
from tests.conftest import ROOT

C7 = Chord(0.0, (48, 52, 55, 58), (), "C7")
DM7 = Chord(0.0, (50, 53, 57, 60))
G7 = Chord(2.0, (43, 47, 50, 53))


def test_pitch_names_use_flats_and_middle_c_is_c4():
    assert [pianoroll.pitch_name(p) for p in (60, 61, 70, 21, 108)] == ["C4", "Db4", "Bb4", "A0", "C8"]


@pytest.mark.parametrize(("pitches", "name"), [
    ((48, 52, 55, 58), "C7"), ((50, 53, 57, 60), "Dm7"), ((43, 47, 50, 53), "G7"), ((48, 52, 55, 59), "Cmaj7"),
    ((57, 60, 64), "Am"), ((53, 57, 60), "F"), ((47, 50, 53, 57), "Bm7b5"), ((59, 62, 65, 68), "Bdim7"),
    ((48, 55), "C5"), ((), ""),
])
def test_chord_names_read_from_pitches(pitches, name):
    assert pianoroll.chord_name(Chord(0.0, pitches)) == name


def test_a_chord_symbol_wins_and_music21_flats_become_b():
    assert pianoroll.chord_name(Chord(0.0, (46, 50, 53), (), "B-")) == "Bb"
    assert pianoroll.chord_name(Chord(0.0, (51, 55, 58, 61), (), "E-7")) == "Eb7"
    assert pianoroll.chord_name(C7) == "C7"


def test_chord_spans_loop_the_progression_until_the_solo_ends():
    bars = (Measure(4.0, (), (DM7, G7)), Measure(4.0, (), (C7,)))
    spans = pianoroll.chord_spans(bars, 10.0)  # two and a half bars: the progression loops once
    assert [(start, end, pianoroll.chord_name(chord)) for start, end, chord in spans] == [
        (0.0, 2.0, "Dm7"), (2.0, 4.0, "G7"), (4.0, 8.0, "C7"), (8.0, 10.0, "Dm7")]
    assert pianoroll.chord_spans(bars, 0.0) == []


def test_piano_roll_places_notes_in_bars_and_leaves_rests_out():
    bars = (Measure(4.0, (), (DM7, G7)), Measure(2.0, (), (C7,)))  # a 4/4 bar then a 2/4 bar
    notes = [Note(0.0, 1.0, 62, "C"), Note(1.0, 1.0, None, "R"), Note(2.0, 2.0, 65, "S"),
             Note(4.0, 1.0, 61, "A"), Note(5.0, 1.5, 66, "X")]
    roll = pianoroll.piano_roll(notes, bars)
    assert [(r["start"], r["end"], r["note"], r["kind"]) for r in roll.notes] == [
        (1.0, 1.25, "D4", "C"), (1.5, 2.0, "F4", "S"), (2.0, 2.5, "Db4", "A"), (2.5, 3.125, "Gb4", "X")]
    fourth = roll.notes[3]
    assert (fourth["bar"], fourth["beat"], fourth["quarters"]) == (2, 2.0, 1.5)
    assert fourth["type"] == "X · other" and fourth["low"] < 66 < fourth["high"]
    # chords: Dm7, G7, C7 and the looped Dm7 under the last note; names written only where they change
    assert [(r["start"], r["end"], r["chord"], r["label"]) for r in roll.chords] == [
        (1.0, 1.5, "Dm7", "Dm7"), (1.5, 2.0, "G7", "G7"), (2.0, 3.0, "C7", "C7"), (3.0, 3.5, "Dm7", "Dm7")]
    assert roll.bars == 3.5 and roll.bar_count == 3
    assert all(r["top"] > roll.highest for r in roll.chords)
    # the comping as played: each chord voiced upwards from C3, one row per tone
    dm7_tones = sorted(r["pitch"] for r in roll.tones if r["start"] == 1.0)
    assert dm7_tones == [48, 50, 53, 57]
    assert roll.lowest == 48 and roll.highest == 66


def test_repeated_chords_are_named_once():
    bars = (Measure(4.0, (), (C7,)),)
    roll = pianoroll.piano_roll([Note(0.0, 12.0, 64, "C")], bars)
    assert [r["label"] for r in roll.chords] == ["C7", "", ""]


def test_piano_roll_needs_measures():
    with pytest.raises(ValueError, match="measures"):
        pianoroll.piano_roll([Note(0.0, 1.0, 60, "C")], ())


def test_loss_rows_and_time_left():
    history = [EpochReport(1, 3, 2.5, 0.1, 2.7, 0.1, 0.5), EpochReport(2, 3, 1.25, 0.3, None, None, 1.0)]
    assert pianoroll.loss_rows(history) == [
        {"epoch": 1, "training loss": 2.5, "validation loss": 2.7},
        {"epoch": 2, "training loss": 1.25, "validation loss": None}]
    assert pianoroll.time_left(1.0, 2, 3) == "less than a second left"
    assert pianoroll.time_left(10.0, 1, 5) == "about 40 s left"
    assert pianoroll.time_left(60.0, 1, 11) == "about 10 min left"
    assert pianoroll.time_left(0.0, 0, 5) == "estimating the time left"
    # the first epoch also traces the graph: the pace comes from the epochs after it
    assert pianoroll.time_left(12.0, 5, 25, first_epoch_seconds=4.0) == "about 40 s left"


def _tracks(names: list[str]) -> tuple[Track, ...]:
    return tuple(Track(name, ((0.0, 1.0, 60),), name == "Kick") for name in names)


def test_the_course_file_is_recognised_by_its_parts():
    nineteen = _tracks(["Piano", "Bass", "Organ", "String", "Piano Elec.", "Guitar", *(["Kick"] * 13)])
    assert pianoroll.looks_like_course_file(nineteen)
    assert pianoroll.looks_like_course_file(nineteen[:8], b"MThd...AND THEN I KNEW...")
    assert not pianoroll.looks_like_course_file(nineteen[:8], b"MThd...")
    assert not pianoroll.looks_like_course_file(_tracks(["Piano", "Guitar"]), b"AND THEN I KNEW")
    assert not pianoroll.looks_like_course_file(_tracks(["Piano"] * 19))


def test_the_real_course_file_is_recognised(metheny_bytes):
    assert pianoroll.looks_like_course_file(read_raw(metheny_bytes).tracks, metheny_bytes)


def test_the_melody_part_follows_the_preset_the_choice_or_the_score():
    tracks = (Track("Piano", tuple((i * 1.0, 4.0, 48 + i % 3) for i in range(8))), *_tracks(["Bass"] * 4),
              Track("Guitar", tuple((i * 0.5, 0.5, 64 + i % 5) for i in range(32))), *_tracks(["Kick"]))
    assert pianoroll.melody_part(tracks, None, None) == 5
    assert pianoroll.melody_part(tracks, None, 2) == 2
    assert pianoroll.melody_part(tracks, "metheny", 2) == 5
    assert pianoroll.melody_part(tracks, None, "piano") == 0


def test_parts_rows_mark_the_melody_and_the_drums():
    rows = pianoroll.parts_rows(_tracks(["Piano", "Guitar", "Kick"]), 1)
    assert rows == [
        {"part": 0, "name": "Piano", "notes": 1, "drums": False, "role": ""},
        {"part": 1, "name": "Guitar", "notes": 1, "drums": False, "role": "melody"},
        {"part": 2, "name": "Kick", "notes": 1, "drums": True, "role": "drums (not used)"}]


def test_values_summary_counts_types():
    summary = pianoroll.values_summary(["C,0.500", "C,0.500,<m3,m-3>", "S,0.250,<M2,M-3>", "R,1.000", "C,0.500"])
    assert summary == {"values": 5, "unique": 4, "types": {"C": 3, "S": 1, "A": 0, "X": 0, "R": 1}}


def test_model_summary_of_the_shipped_model():
    bundle = load_bundle(ROOT / "assets" / "default_model")
    text = pianoroll.model_summary(bundle)
    assert text == (f"learnt from {bundle.title}, {bundle.settings['epochs_done']} epochs, "
                    f"{bundle.weights.hidden_units} hidden units, {len(bundle.vocabulary)} distinct values, "
                    f"final loss {bundle.history[-1]:.3f}")
    assert pianoroll.model_summary(replace(bundle, title="", settings={"epochs_done": 1}, history=())) == (
        f"learnt from an unnamed corpus, 1 epoch, {bundle.weights.hidden_units} hidden units, "
        f"{len(bundle.vocabulary)} distinct values")


def test_instruments_are_general_midi_programs():
    assert pianoroll.INSTRUMENTS["Electric guitar (jazz)"] == 26
    assert pianoroll.INSTRUMENTS["Trumpet"] == 56
    assert pianoroll.INSTRUMENTS["Tenor sax"] == 66
    assert pianoroll.INSTRUMENTS["Vibraphone"] == 11
    assert pianoroll.INSTRUMENTS["Acoustic piano"] == 0
    assert all(0 <= p <= 127 for p in pianoroll.INSTRUMENTS.values())
    assert len(set(pianoroll.INSTRUMENTS.values())) == len(pianoroll.INSTRUMENTS)
    assert pianoroll.instrument_name(66) == "Tenor sax" and pianoroll.instrument_name(120) == "program 120"


def test_take_label():
    assert pianoroll.take_label(3, 200, 0.7, 1) == "Take 3 · N = 200 · temperature 0.7 · seed 1"
