"""The page's words: chord and note names, training and take labels, parts and metrics tables."""

from __future__ import annotations

from dataclasses import replace

import pytest

from jazz_core import labels, music, reading
from jazz_core.bundle import load_bundle
from jazz_core.changes import PRESETS, parse_changes
from jazz_core.music import Chord
from jazz_core.reading import Track, read_raw
from jazz_core.report import PartReport, preflight
from jazz_core.settings import PlaybackSettings
from tests.conftest import ROOT

C7 = Chord(0.0, (48, 52, 55, 58), (), "C7")


def test_pitch_names_use_flats_and_middle_c_is_c4():
    assert [music.pitch_name(p) for p in (60, 61, 70, 21, 108)] == ["C4", "Db4", "Bb4", "A0", "C8"]


@pytest.mark.parametrize(("pitches", "name"), [
    ((48, 52, 55, 58), "C7"), ((50, 53, 57, 60), "Dm7"), ((43, 47, 50, 53), "G7"), ((48, 52, 55, 59), "Cmaj7"),
    ((57, 60, 64), "Am"), ((53, 57, 60), "F"), ((47, 50, 53, 57), "Bm7b5"), ((59, 62, 65, 68), "Bdim7"),
    ((48, 55), "C5"), ((), ""),
])
def test_chord_names_read_from_pitches(pitches, name):
    assert labels.chord_name(Chord(0.0, pitches)) == name


def test_a_chord_symbol_wins_and_music21_flats_become_b():
    assert labels.chord_name(Chord(0.0, (46, 50, 53), (), "B-")) == "Bb"
    assert labels.chord_name(Chord(0.0, (51, 55, 58, 61), (), "E-7")) == "Eb7"
    assert labels.chord_name(C7) == "C7"


def test_time_left_takes_the_pace_after_the_first_epoch():
    assert labels.time_left(1.0, 2, 3) == "less than a second left"
    assert labels.time_left(10.0, 1, 5) == "about 40 s left"
    assert labels.time_left(60.0, 1, 11) == "about 10 min left"


def test_time_left_with_early_stopping_gives_both_ends():
    assert labels.time_left(10.0, 1, 5, early_stop=3) == \
        "about 40 s left, about 20 s if the validation loss does not improve again"
    assert labels.time_left(10.0, 1, 5, early_stop=5) == "about 40 s left"  # stops at the last epoch anyway
    assert labels.time_left(0.0, 0, 5) == "estimating the time left"
    # the first epoch also traces the graph: the pace comes from the epochs after it
    assert labels.time_left(12.0, 5, 25, first_epoch_seconds=4.0) == "about 40 s left"


def _tracks(names: list[str]) -> tuple[Track, ...]:
    return tuple(Track(name, ((0.0, 1.0, 60),), name == "Kick") for name in names)


def test_the_course_file_is_recognised_by_its_parts():
    # reading.is_course_file (moved from here); its callers are the page and the parts table
    nineteen = _tracks(["Piano", "Bass", "Organ", "String", "Piano Elec.", "Guitar", *(["Kick"] * 13)])
    assert reading.METHENY_MELODY_PART == 5
    assert reading.is_course_file(nineteen)
    assert reading.is_course_file(nineteen[:8], b"MThd...AND THEN I KNEW...")
    assert not reading.is_course_file(nineteen[:8], b"MThd...")
    assert not reading.is_course_file(_tracks(["Piano", "Guitar"]), b"AND THEN I KNEW")
    assert not reading.is_course_file(_tracks(["Piano"] * 19))
    assert not reading.is_course_file(nineteen[:5], b"AND THEN I KNEW")


def test_the_real_course_file_is_recognised_from_its_tracks_or_its_preflight_parts(metheny_bytes):
    assert reading.is_course_file(read_raw(metheny_bytes).tracks, metheny_bytes)
    assert reading.is_course_file(preflight(metheny_bytes).parts, metheny_bytes)


def test_the_melody_part_follows_the_preset_the_choice_or_the_score():
    tracks = (Track("Piano", tuple((i * 1.0, 4.0, 48 + i % 3) for i in range(8))), *_tracks(["Bass"] * 4),
              Track("Guitar", tuple((i * 0.5, 0.5, 64 + i % 5) for i in range(32))), *_tracks(["Kick"]))
    assert labels.melody_part(tracks, None, None) == 5
    assert labels.melody_part(tracks, None, 2) == 2
    assert labels.melody_part(tracks, "metheny", 2) == 5
    assert labels.melody_part(tracks, None, "piano") == 0


def test_parts_rows_come_from_the_preflight_report_and_mark_the_melody_and_the_drums():
    parts = (PartReport(0, "Piano", "Piano", 12, "C3", "G5", False, "12 notes, 25% one at a time, around E4"),
             PartReport(1, "Guitar", "Guitar", 40, "E4", "A5", False, "40 notes, 100% one at a time, around C5"),
             PartReport(2, "Kick", "Drums", 8, "C2", "C2", True, "drums"),
             PartReport(3, "Empty", "", 0, "", "", False, "no notes"))
    rows = labels.parts_rows(parts, 1)
    assert rows[:3] == [
        {"part": 0, "name": "Piano", "instrument": "Piano", "notes": 12, "range": "C3–G5", "drums": False,
         "role": "", "looks like": "12 notes, 25% one at a time, around E4"},
        {"part": 1, "name": "Guitar", "instrument": "Guitar", "notes": 40, "range": "E4–A5", "drums": False,
         "role": "melody", "looks like": "40 notes, 100% one at a time, around C5"},
        {"part": 2, "name": "Kick", "instrument": "Drums", "notes": 8, "range": "C2–C2", "drums": True,
         "role": "drums (not used)", "looks like": "drums"}]
    assert rows[3]["range"] == "" and rows[3]["role"] == ""


def test_values_summary_counts_types():
    summary = labels.values_summary(["C,0.500", "C,0.500,<m3,m-3>", "S,0.250,<M2,M-3>", "R,1.000", "C,0.500"])
    assert summary == {"values": 5, "unique": 4, "types": {"C": 3, "S": 1, "A": 0, "X": 0, "R": 1}}


def test_model_summary_of_the_shipped_model():
    bundle = load_bundle(ROOT / "assets" / "default_model")
    text = labels.model_summary(bundle)
    assert text == (f"learnt from {bundle.title}, {bundle.settings['epochs_done']} epochs, "
                    f"{bundle.weights.hidden_units} hidden units, {len(bundle.vocabulary)} distinct values, "
                    f"final loss {bundle.history[-1]:.3f}")
    assert labels.model_summary(replace(bundle, title="", settings={"epochs_done": 1}, history=())) == (
        f"learnt from an unnamed corpus, 1 epoch, {bundle.weights.hidden_units} hidden units, "
        f"{len(bundle.vocabulary)} distinct values")


def test_instruments_are_general_midi_programs():
    assert labels.INSTRUMENTS["Electric guitar (jazz)"] == 26
    assert labels.INSTRUMENTS["Trumpet"] == 56
    assert labels.INSTRUMENTS["Tenor sax"] == 66
    assert labels.INSTRUMENTS["Vibraphone"] == 11
    assert labels.INSTRUMENTS["Acoustic piano"] == 0
    assert all(0 <= p <= 127 for p in labels.INSTRUMENTS.values())
    assert len(set(labels.INSTRUMENTS.values())) == len(labels.INSTRUMENTS)


def test_take_label_names_the_bars_played_again():
    assert labels.take_label(3, 200, 0.7, 1) == "Take 3 · N = 200 · temperature 0.7 · seed 1"
    assert labels.take_label(3, 200, 0.7, 1, (5, 3, 5)) == (
        "Take 3 · N = 200 · temperature 0.7 · seed 1 · re-rolled bars 3, 5")
    assert labels.take_label(1, 60, 0, 2, [4]) == "Take 1 · N = 60 · temperature 0 · seed 2 · re-rolled bar 4"
    assert labels.rerolled_text([5, 3]) == "re-rolled bars 3, 5" and labels.rerolled_text(()) == ""


def test_take_details_say_the_changes_the_feel_and_the_band():
    band = PlaybackSettings(tempo_bpm=150, swing="medium", bass=True, drums=True, comping=True, humanize=True)
    assert labels.take_details(97, 31.6, "Tenor sax", band, "12-bar blues in F", "default") == (
        "97 notes · 32 s · Tenor sax at 150 bpm · over 12-bar blues in F · medium swing, humanized · "
        "comping piano, walking bass, drums · default model")
    plain = PlaybackSettings()
    assert labels.take_details(10, 4.0, "Trumpet", plain, "the changes it learnt from", "trained") == (
        "10 notes · 4 s · Trumpet at 130 bpm · over the changes it learnt from · straight eighths · piano chords · "
        "trained model")
    assert labels.band_summary(PlaybackSettings(chords=False)) == "solo only"
    assert labels.band_summary(PlaybackSettings(chords=False, comping=True, drums=True)) == "drums"
    assert set(labels.SWING_NAMES) == set(("straight", "light", "medium", "hard"))


def test_changes_preview_shows_the_first_bars_and_counts_them():
    assert labels.changes_preview(PRESETS["12-bar blues in F"]) == (
        "| F7 | Bb7 | F7 | F7 | Bb7 | Bb7 | F7 | D7 | … (12 bars)")
    assert labels.changes_preview("|Dm7   G7|\n| Cmaj7 |%|", bars=4) == "| Dm7 G7 | Cmaj7 | % | (3 bars)"
    assert labels.changes_preview("| C |") == "| C | (1 bar)"
    # the count is the parser's: rhythm changes' doubled bar lines make no empty bars
    rhythm = PRESETS["Rhythm changes in B-flat"]
    assert labels.changes_preview(rhythm).endswith(f"({len(parse_changes(rhythm))} bars)")


def test_comparison_columns_put_the_take_first_then_one_take_per_other_temperature():
    takes = [(5, 1.0, {"H1": 5}), (4, 0.7, {"H1": 4}), (3, 1.0, {"H1": 3}), (2, 0.0, {"H1": 2}), (1, 1.5, {"H1": 1})]
    assert labels.comparison_columns(takes, 3) == [
        ("this take (T 1)", {"H1": 3}), ("take 4 (T 0.7)", {"H1": 4}), ("take 2 (T 0)", {"H1": 2})]
    assert labels.comparison_columns(takes, 1, most=2) == [("this take (T 1.5)", {"H1": 1}),
                                                              ("take 5 (T 1)", {"H1": 5})]
    assert labels.comparison_columns(takes[:1], 5) == [("this take (T 1)", {"H1": 5})]


def test_chords_typed_without_bar_lines_are_said_to_make_one_bar():
    assert labels.bar_lines_note("Dm7 G7 Cmaj7 A7") == (
        "No bar lines: the 4 chords are read as one bar, sharing it evenly. Put | between bars to give each its "
        "own, e.g. | Dm7 | G7 | Cmaj7 |.")
    assert labels.bar_lines_note("| Dm7 G7 | Cmaj7 |") is None and labels.bar_lines_note("C7") is None


def test_the_source_caption_says_one_stretch_not_the_mean_of_one():
    from types import SimpleNamespace

    one = SimpleNamespace(what="the melody it learnt from", windows=1, values=60)
    assert "The source is the melody it learnt from: one stretch of 60 values." in labels.source_caption(one)
    five = SimpleNamespace(what="the melody it learnt from", windows=5, values=100)
    assert ": the mean of 5 stretches of 100 values." in labels.source_caption(five)
