"""The page's charts: piano-roll rows over the looped progression, and the Vega-Lite specs of the roll and the loss."""

from __future__ import annotations

import json

import pytest

from jazz_core import charts
from jazz_core.music import Chord, Measure, Note
from jazz_core.training import EpochReport

C7 = Chord(0.0, (48, 52, 55, 58), (), "C7")
DM7 = Chord(0.0, (50, 53, 57, 60))
G7 = Chord(2.0, (43, 47, 50, 53))


def test_piano_roll_places_notes_in_bars_and_leaves_rests_out():
    bars = (Measure(4.0, (), (DM7, G7)), Measure(2.0, (), (C7,)))  # a 4/4 bar then a 2/4 bar
    notes = [Note(0.0, 1.0, 62, "C"), Note(1.0, 1.0, None, "R"), Note(2.0, 2.0, 65, "S"),
             Note(4.0, 1.0, 61, "A"), Note(5.0, 1.5, 66, "X")]
    roll = charts.piano_roll(notes, bars)
    assert [(r["start"], r["end"], r["note"], r["kind"]) for r in roll.notes] == [
        (1.0, 1.25, "D4", "C"), (1.5, 2.0, "F4", "S"), (2.0, 2.5, "Db4", "A"), (2.5, 3.125, "Gb4", "X")]
    fourth = roll.notes[3]
    assert (fourth["bar"], fourth["beat"], fourth["quarters"]) == (2, 2.0, 1.5)
    assert fourth["type"] == "X · other" and fourth["low"] < 66 < fourth["high"]
    # chords: Dm7, G7, C7, then the looped bar the last note ends in, played out whole as the band plays it
    # (its G7 too: the MIDI writer plays it); names written only where they change
    assert [(r["start"], r["end"], r["chord"], r["label"]) for r in roll.chords] == [
        (1.0, 1.5, "Dm7", "Dm7"), (1.5, 2.0, "G7", "G7"), (2.0, 3.0, "C7", "C7"), (3.0, 3.5, "Dm7", "Dm7"),
        (3.5, 4.0, "G7", "G7")]
    assert roll.bars == 4.0 and roll.bar_count == 3
    assert all(r["top"] > roll.highest for r in roll.chords)
    # the comping as played: each chord voiced upwards from C3, one row per tone
    dm7_tones = sorted(r["pitch"] for r in roll.tones if r["start"] == 1.0)
    assert dm7_tones == [48, 50, 53, 57]
    assert roll.lowest == 48 and roll.highest == 66


def test_repeated_chords_are_named_once():
    bars = (Measure(4.0, (), (C7,)),)
    roll = charts.piano_roll([Note(0.0, 12.0, 64, "C")], bars)
    assert [r["label"] for r in roll.chords] == ["C7", "", ""]


def test_piano_roll_needs_measures():
    with pytest.raises(ValueError, match="measures"):
        charts.piano_roll([Note(0.0, 1.0, 60, "C")], ())


def test_the_piano_roll_spec_is_vega_lite_coloured_by_type_over_grey_chords_and_scrolls_along_the_bars():
    import altair as alt  # only to check the spec against its copy of the Vega-Lite schema: the page never imports it

    bars = (Measure(4.0, (), (DM7, G7)), Measure(2.0, (), (C7,)))
    roll = charts.piano_roll([Note(0.0, 1.0, 62, "C"), Note(2.0, 2.0, 65, "S"), Note(4.0, 1.0, 61, "A"),
                                 Note(5.0, 20.0, 66, "X")], bars)
    spec = charts.roll_spec(roll)
    alt.LayerChart.from_dict(spec)  # raises unless the spec is valid Vega-Lite
    assert json.loads(json.dumps(spec)) == spec  # plain JSON, ready for st.vega_lite_chart
    chords, tones, notes, labels = spec["layer"]
    assert [layer["data"]["values"] for layer in spec["layer"]] == [
        roll.chords, roll.tones, roll.notes, [r for r in roll.chords if r["label"]]]
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["rect", "rect", "rect", "text"]
    assert chords["mark"]["color"] == "#5b6b8c" and tones["mark"]["color"] == "#7d8799"  # greys under the solo
    assert notes["encoding"]["color"]["field"] == "type"
    assert notes["encoding"]["color"]["scale"] == {"domain": list(charts.KINDS.values()),
                                                   "range": list(charts.KIND_COLOURS.values())}
    assert labels["encoding"]["text"]["field"] == "label"
    # the first 8 bars in view, the pitch range with room for the chord names; octaves labelled C3, C4, ...
    assert roll.bars > 9 and notes["encoding"]["x"]["scale"]["domain"] == [1, 9]
    assert notes["encoding"]["y"]["scale"]["domain"] == [roll.lowest - 1.5, roll.highest + 4]
    assert notes["encoding"]["y"]["axis"]["values"] == [48, 60]
    assert "['C','Db','D'," in notes["encoding"]["y"]["axis"]["labelExpr"]
    # dragged and zoomed along the bars only
    assert spec["params"] == [{"name": "scroll", "select": {"type": "interval", "encodings": ["x"]},
                               "bind": "scales", "views": [chords["name"]]}]
    short = charts.piano_roll([Note(0.0, 1.0, 62, "C")], bars)  # shorter than 8 bars: all of it (the bar played out)
    assert charts.roll_spec(short)["layer"][2]["encoding"]["x"]["scale"]["domain"] == [1, short.bars] == [1, 2.0]


def test_the_loss_spec_draws_the_curves_there_are():
    import altair as alt

    both = [EpochReport(e, 40, 2.0 / e, 0.1, 2.2 / e, 0.1, e) for e in range(1, 4)]
    spec = charts.loss_spec(both)
    alt.Chart.from_dict(spec)
    assert spec["data"]["values"] == charts.loss_rows(both)
    assert spec["transform"] == [{"fold": ["training loss", "validation loss"], "as": ["curve", "loss"]}]
    assert spec["mark"] == {"type": "line", "point": True}
    alone = [EpochReport(e, 40, 2.0 / e, 0.1, None, None, e) for e in range(1, 41)]
    spec = charts.loss_spec(alone)
    alt.Chart.from_dict(spec)
    assert spec["transform"][0]["fold"] == ["training loss"] and spec["mark"]["point"] is False


def test_loss_rows():
    history = [EpochReport(1, 3, 2.5, 0.1, 2.7, 0.1, 0.5), EpochReport(2, 3, 1.25, 0.3, None, None, 1.0)]
    assert charts.loss_rows(history) == [
        {"epoch": 1, "training loss": 2.5, "validation loss": 2.7},
        {"epoch": 2, "training loss": 1.25, "validation loss": None}]
