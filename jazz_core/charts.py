"""The page's charts: the piano roll of a take and the loss curves of training, as Vega-Lite specs (plain dicts).

Pure functions over the core's data (notes, measures, epoch reports). Times on the piano roll are in
bars, counted from 1, through the looped progression the solo was played over, so bar 3.5 is the
middle of the third bar whatever the meter. The specs are plain JSON, built once per take (or per
training update) and handed to `st.vega_lite_chart` as they are: no Altair, so nothing is imported
or validated when the page draws (tests/test_charts.py validates them instead).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jazz_core.labels import chord_name
from jazz_core.midi_writer import voice_chord
from jazz_core.music import NOTE_NAMES, Measure, Note, pitch_name
from jazz_core.progression import Timeline, chord_spans

KINDS = {  # the grammar's note types, as the legend names them
    "C": "C · chord tone",
    "S": "S · scale tone",
    "A": "A · approach tone",
    "X": "X · other",
}
KIND_COLOURS = {"C": "#1f77b4", "S": "#2ca02c", "A": "#ff7f0e", "X": "#d62728"}
VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
_OCTAVE_LABEL = ("[" + ",".join(f"'{name}'" for name in NOTE_NAMES) + "][datum.value % 12]"
                 " + (floor(datum.value / 12) - 1)")


@dataclass(frozen=True)
class PianoRoll:
    """Rows for one chart: the solo's notes, the chords' spans and their voiced tones, and the extent."""

    notes: list[dict]  # start, end (bars), pitch, low, high, note, kind, type, bar, beat, quarters
    chords: list[dict]  # start, end (bars), chord, label (the name where it changes), low, high, top
    tones: list[dict]  # start, end, pitch, low, high, note, chord: the comping as played
    bars: float  # the end of the last note or chord, in bars (counted from 1)
    lowest: int
    highest: int

    @property
    def bar_count(self) -> int:
        """How many bars the picture covers, the last one counted even when only begun."""
        return max(1, math.ceil(self.bars - 1 - 1e-9))


def _bar_position(timeline: Timeline, time: float) -> float:
    """A time in quarters as a position in bars, counted from 1 (bar 2.5 = halfway through the second bar)."""
    index, offset = timeline.locate(time)
    length = timeline.measures[index % len(timeline.measures)].length
    return round(index + 1 + offset / length, 6)


def _note_row(timeline: Timeline, note: Note) -> dict:
    bar, offset = timeline.locate(note.offset)
    return {"start": _bar_position(timeline, note.offset), "end": _bar_position(timeline, note.offset + note.duration),
            "pitch": note.pitch, "low": note.pitch - 0.42, "high": note.pitch + 0.42,
            "note": pitch_name(note.pitch), "kind": note.kind or "X", "type": KINDS.get(note.kind, KINDS["X"]),
            "bar": bar + 1, "beat": round(offset + 1, 3), "quarters": note.duration}


def _chord_rows(timeline: Timeline, measures: Sequence[Measure], end: float) -> tuple[list[dict], list[dict]]:
    """The chords' spans (named where the chord changes) and the tones the piano plays in them; the bar the
    solo ends in is shown whole, as the band plays it out."""
    chord_rows, tone_rows, previous = [], [], None
    for start, stop, chord in chord_spans(measures, end):
        voiced = voice_chord(chord.pitches) if chord.pitches else []
        left, right = _bar_position(timeline, start), _bar_position(timeline, stop)
        name = chord_name(chord)
        chord_rows.append({"start": left, "end": right, "chord": name, "label": "" if name == previous else name,
                           "low": min(voiced, default=60) - 0.5, "high": max(voiced, default=60) + 0.5})
        tone_rows.extend({"start": left, "end": right, "pitch": pitch, "low": pitch - 0.3, "high": pitch + 0.3,
                          "note": pitch_name(pitch), "chord": name} for pitch in voiced)
        previous = name
    return chord_rows, tone_rows


def piano_roll(notes: Iterable[Note], measures: Sequence[Measure]) -> PianoRoll:
    """The solo (rests left out) over the chords it was played on, as rectangles for a chart."""
    played = [n for n in notes if n.pitch is not None and n.duration > 0]
    end = max((n.offset + n.duration for n in played), default=0.0)
    if not measures:
        raise ValueError("a piano roll needs the measures the solo was played over")
    timeline = Timeline(measures)
    note_rows = [_note_row(timeline, note) for note in played]
    chord_rows, tone_rows = _chord_rows(timeline, measures, end)
    pitches = [r["pitch"] for r in note_rows] + [r["pitch"] for r in tone_rows]
    lowest, highest = (min(pitches), max(pitches)) if pitches else (60, 72)
    for row in chord_rows:
        row["top"] = highest + 2.5
    bars = max([r["end"] for r in note_rows] + [r["end"] for r in chord_rows], default=1.0)
    return PianoRoll(note_rows, chord_rows, tone_rows, bars, lowest, highest)


def _tooltip(field: str, title: str, kind: str = "nominal", **extra) -> dict:
    return {"field": field, "title": title, "type": kind, **extra}


def roll_spec(roll: PianoRoll, bars_shown: int = 8) -> dict:
    """The piano roll as a Vega-Lite spec: the chords' spans (grey) and the tones the piano plays (darker
    grey) under the solo's notes coloured by grammar type, chord names where the chord changes; the first
    `bars_shown` bars in view, dragged to scroll and zoomed with the wheel along the bars (pitch stays)."""
    x = {"field": "start", "type": "quantitative", "title": "bar",
         "scale": {"domain": [1, min(roll.bars, 1 + bars_shown)], "nice": False},
         "axis": {"tickMinStep": 1, "format": "d", "grid": True}}
    y_scale = {"domain": [roll.lowest - 1.5, roll.highest + 4], "nice": False}
    octaves = [p for p in range(roll.lowest - 1, roll.highest + 4) if p % 12 == 0]
    y = {"field": "low", "type": "quantitative", "title": None, "scale": y_scale,
         "axis": {"values": octaves, "labelExpr": _OCTAVE_LABEL}}
    span = {"x": x, "x2": {"field": "end"}, "y": y, "y2": {"field": "high"}}
    chords = {"name": "chords", "data": {"values": roll.chords},
              "mark": {"type": "rect", "clip": True, "opacity": 0.10, "color": "#5b6b8c"},
              "encoding": {**span, "tooltip": [_tooltip("chord", "chord")]}}
    tones = {"data": {"values": roll.tones},
             "mark": {"type": "rect", "clip": True, "opacity": 0.35, "color": "#7d8799"},
             "encoding": {**span, "tooltip": [_tooltip("chord", "chord"), _tooltip("note", "plays")]}}
    colour = {"field": "type", "type": "nominal", "title": None,
              "legend": {"orient": "top", "direction": "horizontal"},
              "scale": {"domain": list(KINDS.values()), "range": list(KIND_COLOURS.values())}}
    notes = {"data": {"values": roll.notes},
             "mark": {"type": "rect", "clip": True, "cornerRadius": 2, "stroke": "white", "strokeWidth": 0.5},
             "encoding": {**span, "color": colour, "tooltip": [
                 _tooltip("note", "note"), _tooltip("type", "type"), _tooltip("bar", "bar", "quantitative"),
                 _tooltip("beat", "beat", "quantitative"),
                 _tooltip("quarters", "length (quarters)", "quantitative", format=".3g")]}}
    labels = {"data": {"values": [r for r in roll.chords if r["label"]]},
              "mark": {"type": "text", "clip": True, "align": "left", "baseline": "middle", "dx": 3, "fontSize": 12,
                       "fontWeight": "bold", "color": "#3d4a63"},
              "encoding": {"x": x, "y": {"field": "top", "type": "quantitative", "scale": y_scale},
                           "text": {"field": "label", "type": "nominal"}}}
    return {"$schema": VEGA_LITE_SCHEMA, "height": 320, "layer": [chords, tones, notes, labels],
            "params": [{"name": "scroll", "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales",
                        "views": ["chords"]}]}


def loss_rows(history: Sequence) -> list[dict]:
    """One row per epoch (reports with epoch, loss, validation_loss), for a line chart of the two losses."""
    return [{"epoch": r.epoch, "training loss": round(float(r.loss), 5),
             "validation loss": None if r.validation_loss is None else round(float(r.validation_loss), 5)}
            for r in history]


def loss_spec(history: Sequence) -> dict:
    """The training and validation loss per epoch as a Vega-Lite line chart (points while there are few)."""
    rows = loss_rows(history)
    curves = [c for c in ("training loss", "validation loss") if any(r[c] is not None for r in rows)]
    return {"$schema": VEGA_LITE_SCHEMA, "height": 220, "data": {"values": rows},
            "transform": [{"fold": curves, "as": ["curve", "loss"]}],
            "mark": {"type": "line", "point": len(rows) <= 30},
            "encoding": {
                "x": {"field": "epoch", "type": "quantitative", "title": "epoch",
                      "axis": {"tickMinStep": 1, "format": "d"}},
                "y": {"field": "loss", "type": "quantitative", "title": "loss (cross-entropy)",
                      "scale": {"zero": False}},
                "color": {"field": "curve", "type": "nominal", "title": None, "legend": {"orient": "top"}},
                "tooltip": [{"field": "epoch", "type": "quantitative"}, {"field": "curve", "type": "nominal"},
                            {"field": "loss", "type": "quantitative", "format": ".4f"}]}}
