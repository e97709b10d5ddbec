"""The page's data shaping: piano-roll rows, chord names, loss rows, parts tables and labels."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from jazz_core import evaluation, pianoroll, pipeline, scores
from jazz_core.bundle import load_bundle
from jazz_core.changes import PRESETS, parse_changes
from jazz_core.errors import RerollError
from jazz_core.music import Chord, Measure, Note
from jazz_core.report import PartReport, preflight
from jazz_core.scores import Track, read_raw
from jazz_core.settings import GenerateSettings, PlaybackSettings
from jazz_core.training import EpochReport
from tests.conftest import ROOT

DEFAULT = ROOT / "assets" / "default_model"

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


def test_the_piano_roll_spec_is_vega_lite_coloured_by_type_over_grey_chords_and_scrolls_along_the_bars():
    import altair as alt  # only to check the spec against its copy of the Vega-Lite schema: the page never imports it

    bars = (Measure(4.0, (), (DM7, G7)), Measure(2.0, (), (C7,)))
    roll = pianoroll.piano_roll([Note(0.0, 1.0, 62, "C"), Note(2.0, 2.0, 65, "S"), Note(4.0, 1.0, 61, "A"),
                                 Note(5.0, 20.0, 66, "X")], bars)
    spec = pianoroll.roll_spec(roll)
    alt.LayerChart.from_dict(spec)  # raises unless the spec is valid Vega-Lite
    assert json.loads(json.dumps(spec)) == spec  # plain JSON, ready for st.vega_lite_chart
    chords, tones, notes, labels = spec["layer"]
    assert [layer["data"]["values"] for layer in spec["layer"]] == [
        roll.chords, roll.tones, roll.notes, [r for r in roll.chords if r["label"]]]
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "rect", "rect", "text"]
    assert chords["mark"]["color"] == "#5b6b8c" and tones["mark"]["color"] == "#7d8799"  # greys under the solo
    assert notes["encoding"]["color"]["field"] == "type"
    assert notes["encoding"]["color"]["scale"] == {"domain": list(pianoroll.KINDS.values()),
                                                   "range": list(pianoroll.KIND_COLOURS.values())}
    assert labels["encoding"]["text"]["field"] == "label"
    # the first 8 bars in view, the pitch range with room for the chord names; octaves labelled C3, C4, ...
    assert roll.bars > 9 and notes["encoding"]["x"]["scale"]["domain"] == [1, 9]
    assert notes["encoding"]["y"]["scale"]["domain"] == [roll.lowest - 1.5, roll.highest + 4]
    assert notes["encoding"]["y"]["axis"]["values"] == [48, 60]
    assert "['C','Db','D'," in notes["encoding"]["y"]["axis"]["labelExpr"]
    # dragged and zoomed along the bars only
    assert spec["params"] == [{"name": "scroll", "select": {"type": "interval", "encodings": ["x"]},
                               "bind": "scales", "views": [chords["name"]]}]
    short = pianoroll.piano_roll([Note(0.0, 1.0, 62, "C")], bars)  # shorter than 8 bars: all of it in view
    assert pianoroll.roll_spec(short)["layer"][2]["encoding"]["x"]["scale"]["domain"] == [1, short.bars] == [1, 1.5]


def test_the_loss_spec_draws_the_curves_there_are():
    import altair as alt

    both = [EpochReport(e, 40, 2.0 / e, 0.1, 2.2 / e, 0.1, e) for e in range(1, 4)]
    spec = pianoroll.loss_spec(both)
    alt.Chart.from_dict(spec)
    assert spec["data"]["values"] == pianoroll.loss_rows(both)
    assert spec["transform"] == [{"fold": ["training loss", "validation loss"], "as": ["curve", "loss"]}]
    assert spec["mark"] == {"type": "line", "point": True}
    alone = [EpochReport(e, 40, 2.0 / e, 0.1, None, None, e) for e in range(1, 41)]
    spec = pianoroll.loss_spec(alone)
    alt.Chart.from_dict(spec)
    assert spec["transform"][0]["fold"] == ["training loss"] and spec["mark"]["point"] is False


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
    # scores.is_course_file (moved from here); its callers are the page and the parts table
    nineteen = _tracks(["Piano", "Bass", "Organ", "String", "Piano Elec.", "Guitar", *(["Kick"] * 13)])
    assert scores.METHENY_MELODY_PART == 5
    assert scores.is_course_file(nineteen)
    assert scores.is_course_file(nineteen[:8], b"MThd...AND THEN I KNEW...")
    assert not scores.is_course_file(nineteen[:8], b"MThd...")
    assert not scores.is_course_file(_tracks(["Piano", "Guitar"]), b"AND THEN I KNEW")
    assert not scores.is_course_file(_tracks(["Piano"] * 19))
    assert not scores.is_course_file(nineteen[:5], b"AND THEN I KNEW")


def test_the_real_course_file_is_recognised_from_its_tracks_or_its_preflight_parts(metheny_bytes):
    assert scores.is_course_file(read_raw(metheny_bytes).tracks, metheny_bytes)
    assert scores.is_course_file(preflight(metheny_bytes).parts, metheny_bytes)


def test_the_melody_part_follows_the_preset_the_choice_or_the_score():
    tracks = (Track("Piano", tuple((i * 1.0, 4.0, 48 + i % 3) for i in range(8))), *_tracks(["Bass"] * 4),
              Track("Guitar", tuple((i * 0.5, 0.5, 64 + i % 5) for i in range(32))), *_tracks(["Kick"]))
    assert pianoroll.melody_part(tracks, None, None) == 5
    assert pianoroll.melody_part(tracks, None, 2) == 2
    assert pianoroll.melody_part(tracks, "metheny", 2) == 5
    assert pianoroll.melody_part(tracks, None, "piano") == 0


def test_parts_rows_come_from_the_preflight_report_and_mark_the_melody_and_the_drums():
    parts = (PartReport(0, "Piano", "Piano", 12, "C3", "G5", False, "12 notes, 25% one at a time, around E4"),
             PartReport(1, "Guitar", "Guitar", 40, "E4", "A5", False, "40 notes, 100% one at a time, around C5"),
             PartReport(2, "Kick", "Drums", 8, "C2", "C2", True, "drums"),
             PartReport(3, "Empty", "", 0, "", "", False, "no notes"))
    rows = pianoroll.parts_rows(parts, 1)
    assert rows[:3] == [
        {"part": 0, "name": "Piano", "instrument": "Piano", "notes": 12, "range": "C3–G5", "drums": False,
         "role": "", "looks like": "12 notes, 25% one at a time, around E4"},
        {"part": 1, "name": "Guitar", "instrument": "Guitar", "notes": 40, "range": "E4–A5", "drums": False,
         "role": "melody", "looks like": "40 notes, 100% one at a time, around C5"},
        {"part": 2, "name": "Kick", "instrument": "Drums", "notes": 8, "range": "C2–C2", "drums": True,
         "role": "drums (not used)", "looks like": "drums"}]
    assert rows[3]["range"] == "" and rows[3]["role"] == ""


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


def test_take_label_names_the_bars_played_again():
    assert pianoroll.take_label(3, 200, 0.7, 1) == "Take 3 · N = 200 · temperature 0.7 · seed 1"
    assert pianoroll.take_label(3, 200, 0.7, 1, (5, 3, 5)) == (
        "Take 3 · N = 200 · temperature 0.7 · seed 1 · re-rolled bars 3, 5")
    assert pianoroll.take_label(1, 60, 0, 2, [4]) == "Take 1 · N = 60 · temperature 0 · seed 2 · re-rolled bar 4"
    assert pianoroll.rerolled_text([5, 3]) == "re-rolled bars 3, 5" and pianoroll.rerolled_text(()) == ""


def test_take_details_say_the_changes_the_feel_and_the_band():
    band = PlaybackSettings(tempo_bpm=150, swing="medium", bass=True, drums=True, comping=True, humanize=True)
    assert pianoroll.take_details(97, 31.6, "Tenor sax", band, "12-bar blues in F", "default") == (
        "97 notes · 32 s · Tenor sax at 150 bpm · over 12-bar blues in F · medium swing, humanized · "
        "comping piano, walking bass, drums · default model")
    plain = PlaybackSettings()
    assert pianoroll.take_details(10, 4.0, "Trumpet", plain, "the changes it learnt from", "trained") == (
        "10 notes · 4 s · Trumpet at 130 bpm · over the changes it learnt from · straight eighths · piano chords · "
        "trained model")
    assert pianoroll.band_summary(PlaybackSettings(chords=False)) == "solo only"
    assert pianoroll.band_summary(PlaybackSettings(chords=False, comping=True, drums=True)) == "drums"
    assert set(pianoroll.SWING_NAMES) == set(("straight", "light", "medium", "hard"))


def test_changes_preview_shows_the_first_bars_and_counts_them():
    assert pianoroll.changes_preview(PRESETS["12-bar blues in F"]) == (
        "| F7 | Bb7 | F7 | F7 | Bb7 | Bb7 | F7 | D7 | … (12 bars)")
    assert pianoroll.changes_preview("|Dm7   G7|\n| Cmaj7 |%|", bars=4) == "| Dm7 G7 | Cmaj7 | % | (3 bars)"
    assert pianoroll.changes_preview("| C |") == "| C | (1 bar)"
    # the count is the parser's: rhythm changes' doubled bar lines make no empty bars
    rhythm = PRESETS["Rhythm changes in B-flat"]
    assert pianoroll.changes_preview(rhythm).endswith(f"({len(parse_changes(rhythm))} bars)")


def test_kept_epoch_is_the_last_or_the_best_validation_loss():
    def report(epoch, validation):
        return EpochReport(epoch, 4, 1.0 / epoch, 0.5, validation, None, float(epoch))

    history = [report(1, 4.3), report(2, 4.1), report(3, 4.1), report(4, 4.6)]
    assert pianoroll.kept_epoch(history, keep_best=False) == 4
    assert pianoroll.kept_epoch(history, keep_best=True) == 2  # the first of two equal losses, as training keeps
    assert pianoroll.kept_epoch(history[:1], keep_best=True) == 1
    assert pianoroll.kept_epoch([report(1, None), report(2, None)], keep_best=True) == 2  # nothing held out
    assert pianoroll.kept_epoch([], keep_best=True) is None


def test_reroll_seeds_are_new_every_time_and_repeatable():
    seeds = [pianoroll.reroll_seed(1, count) for count in range(1, 201)]
    assert len(set(seeds)) == len(seeds)
    assert all(0 <= s < 2**31 - 1 for s in seeds)
    assert seeds[:3] == [pianoroll.reroll_seed(1, c) for c in (1, 2, 3)]
    assert pianoroll.reroll_seed(2, 1) != pianoroll.reroll_seed(1, 1)


def test_take_bar_count_is_the_bars_reroll_accepts():
    bundle = load_bundle(DEFAULT)
    take = pipeline.generate(bundle, GenerateSettings(values=80), progression=parse_changes("| C7 | F7 |"))
    bars = pianoroll.take_bar_count(take)
    assert bars == len(pipeline.bar_starts(take.progression, take.notes[-1].offset)) - 1 > 2
    with pytest.raises(RerollError, match="is not in this take"):
        pipeline.reroll(bundle, take, bars, 1)
    assert pianoroll.take_bar_count(replace(take, notes=())) == 0


def test_source_profile_is_the_melody_as_written_when_the_scores_are_known(builtin_pieces):
    bundle = load_bundle(DEFAULT)
    profile = pianoroll.source_profile(bundle, builtin_pieces, 200)
    # the same numbers as evaluation.compare's source column
    line = evaluation.source_line(builtin_pieces)
    expected = evaluation.summarize([evaluation.measure(solo, bundle.corpus)
                                     for solo in evaluation.source_solos(line, 200, 5)])
    assert profile.metrics == {key: stats["mean"] for key, stats in expected.items()}
    assert (profile.windows, profile.values, profile.what) == (5, 200, "the melody it learnt from, as written")
    assert set(profile.metrics) == set(evaluation.METRICS)
    # longer than the corpus: capped at its length, as compare does
    assert pianoroll.source_profile(bundle, builtin_pieces, 5000).values == len(bundle.corpus)


def test_source_profile_without_the_scores_plays_the_training_values_over_their_chords(builtin_pieces):
    bundle = load_bundle(DEFAULT)
    profile = pianoroll.source_profile(bundle, None, 100)
    expected = evaluation.summarize([evaluation.measure(s, bundle.corpus)
                                     for s in evaluation.corpus_solos(bundle, 100, 5)])
    assert profile.metrics == {key: stats["mean"] for key, stats in expected.items()}
    assert profile.what == "its training values over their own chords"
    # scores that are not what the model learnt from are not taken for its source
    other = pianoroll.source_profile(bundle, builtin_pieces[:1], 100)
    assert other.what == "its training values over their own chords"
    assert pianoroll.source_profile(replace(bundle, corpus=()), None, 100) is None
    # the cache key tells sources apart
    keys = {pianoroll.source_key(bundle, None), pianoroll.source_key(bundle, builtin_pieces),
            pianoroll.source_key(bundle, builtin_pieces[:1]), pianoroll.source_key(replace(bundle, corpus=()), None)}
    assert len(keys) == 4 and pianoroll.source_key(bundle, None) == pianoroll.source_key(load_bundle(DEFAULT), None)


def test_take_metrics_and_the_comparison_table():
    bundle = load_bundle(DEFAULT)
    take = pipeline.generate(bundle, GenerateSettings(values=120, temperature=0.0))
    metrics = pianoroll.take_metrics(take, bundle.corpus)
    assert metrics == evaluation.measure(evaluation.Solo(take.notes, take.values, take.progression), bundle.corpus)
    source = pianoroll.source_profile(bundle, None, 120)
    rows = pianoroll.metrics_rows(source, [("this take (T 0)", metrics), ("take 1 (T 1)", metrics)])
    assert [r["measure"] for r in rows] == [name for _, name in pianoroll.METRIC_ROWS]
    assert {key for key, _ in pianoroll.METRIC_ROWS} <= set(evaluation.METRICS)
    assert list(rows[0]) == ["measure", "source", "this take (T 0)", "take 1 (T 1)"]
    by_key = {key: row for (key, _), row in zip(pianoroll.METRIC_ROWS, rows, strict=True)}
    assert by_key["longest_copy"]["source"] == "–"  # the source is the training music itself
    assert by_key["longest_copy"]["this take (T 0)"] == str(metrics["longest_copy"])
    assert by_key["C"]["this take (T 0)"] == f"{100 * metrics['C']:.0f}%"
    assert by_key["H1"]["source"] == f"{source.metrics['H1']:.2f}"
    assert by_key["notes_per_bar"]["source"] == f"{source.metrics['notes_per_bar']:.1f}"
    assert pianoroll.metric_cell("GS", None) == "–"
    assert "source" not in pianoroll.metrics_rows(None, [("t", metrics)])[0]


def test_comparison_columns_put_the_take_first_then_one_take_per_other_temperature():
    takes = [(5, 1.0, {"H1": 5}), (4, 0.7, {"H1": 4}), (3, 1.0, {"H1": 3}), (2, 0.0, {"H1": 2}), (1, 1.5, {"H1": 1})]
    assert pianoroll.comparison_columns(takes, 3) == [
        ("this take (T 1)", {"H1": 3}), ("take 4 (T 0.7)", {"H1": 4}), ("take 2 (T 0)", {"H1": 2})]
    assert pianoroll.comparison_columns(takes, 1, most=2) == [("this take (T 1.5)", {"H1": 1}),
                                                              ("take 5 (T 1)", {"H1": 5})]
    assert pianoroll.comparison_columns(takes[:1], 5) == [("this take (T 1)", {"H1": 5})]


def test_read_only_bundles_refuse_writes_and_still_play():
    bundle = pianoroll.read_only(load_bundle(DEFAULT))
    for array in bundle.weights.arrays().values():
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 0
    take = pipeline.generate(bundle, GenerateSettings(values=40))
    assert take.midi == pipeline.generate(load_bundle(DEFAULT), GenerateSettings(values=40)).midi
    assert pipeline.reroll(bundle, take, 1, 5).notes[0] == take.notes[0]
