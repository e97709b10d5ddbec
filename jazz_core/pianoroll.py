"""Data shaping for the page: piano-roll rectangles, loss curves, parts tables, metrics and labels, as plain rows,
and the charts drawn from them as Vega-Lite specs (plain dicts).

Pure functions over the core's data (notes, measures, preflight reports, bundles, epoch reports,
takes); the page only hands the rows to a chart or a table. Times on the piano roll are in bars,
counted from 1, through the looped progression the solo was played over, so bar 3.5 is the middle
of the third bar whatever the meter.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jazz_core import evaluation
from jazz_core.grammar import Timeline, chord_root
from jazz_core.midi_writer import voice_chord
from jazz_core.music import NOTE_NAMES as NAMES
from jazz_core.music import Chord, Measure, Note, Piece, pitch_name
from jazz_core.pipeline import bar_starts
from jazz_core.scores import METHENY, METHENY_MELODY_PART, choose_melody

KINDS = {  # the grammar's note types, as the legend names them
    "C": "C · chord tone",
    "S": "S · scale tone",
    "A": "A · approach tone",
    "X": "X · other",
}
KIND_COLOURS = {"C": "#1f77b4", "S": "#2ca02c", "A": "#ff7f0e", "X": "#d62728"}

# General MIDI programs for the solo, by name (0-based program numbers).
INSTRUMENTS = {
    "Electric guitar (jazz)": 26,
    "Trumpet": 56,
    "Muted trumpet": 59,
    "Trombone": 57,
    "Alto sax": 65,
    "Tenor sax": 66,
    "Clarinet": 71,
    "Flute": 73,
    "Vibraphone": 11,
    "Acoustic piano": 0,
    "Electric piano": 4,
    "Drawbar organ": 16,
    "Nylon guitar": 24,
    "Acoustic bass": 32,
}

# Chord qualities by the intervals above the root, most specific first.
_QUALITIES = (
    ({4, 7, 11}, "maj7"), ({4, 7, 10}, "7"), ({3, 7, 10}, "m7"), ({3, 6, 10}, "m7b5"), ({3, 6, 9}, "dim7"),
    ({3, 7, 11}, "m(maj7)"), ({4, 7, 9}, "6"), ({3, 7, 9}, "m6"), ({4, 8}, "+"), ({3, 6}, "dim"),
    ({4, 10}, "7"), ({3, 10}, "m7"), ({4, 11}, "maj7"), ({4}, ""), ({3}, "m"), ({5, 7}, "sus4"), ({2, 7}, "sus2"),
    ({7}, "5"),
)


def chord_name(chord: Chord) -> str:
    """The chord's symbol when the score gave one, else a name read from its pitches: 'Dm7', 'G7', 'Cmaj7'."""
    if chord.symbol:
        return re.sub(r"([A-G])-", r"\1b", chord.symbol)  # music21 writes B- for B flat
    if not chord.pitches:
        return ""
    root = chord_root(chord.pitches)
    above = {(p - root) % 12 for p in chord.pitches}
    quality = next((name for needed, name in _QUALITIES if needed <= above), "")
    return NAMES[root] + quality


# --- the piano roll -------------------------------------------------------------------------

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


def chord_spans(measures: Sequence[Measure], until: float) -> list[tuple[float, float, Chord]]:
    """(start, end, chord) in quarters of every chord of the looped progression that starts before `until`."""
    if not measures or until <= 0:
        return []
    timeline = Timeline(measures)
    spans, bar_start, index = [], 0.0, 0
    while bar_start < until - 1e-9:
        measure = timeline.measures[index % len(timeline.measures)]
        ends = [c.offset for c in measure.chords[1:]] + [measure.length]
        for chord, end in zip(measure.chords, ends, strict=True):
            if bar_start + chord.offset < until - 1e-9:
                spans.append((bar_start + chord.offset, bar_start + end, chord))
        bar_start += measure.length
        index += 1
    return spans


def piano_roll(notes: Iterable[Note], measures: Sequence[Measure]) -> PianoRoll:
    """The solo (rests left out) over the chords it was played on, as rectangles for a chart."""
    played = [n for n in notes if n.pitch is not None and n.duration > 0]
    end = max((n.offset + n.duration for n in played), default=0.0)
    if not measures:
        raise ValueError("a piano roll needs the measures the solo was played over")
    timeline = Timeline(measures)
    note_rows = []
    for note in played:
        start = _bar_position(timeline, note.offset)
        bar, offset = timeline.locate(note.offset)
        note_rows.append({
            "start": start,
            "end": _bar_position(timeline, note.offset + note.duration),
            "pitch": note.pitch, "low": note.pitch - 0.42, "high": note.pitch + 0.42,
            "note": pitch_name(note.pitch), "kind": note.kind or "X",
            "type": KINDS.get(note.kind, KINDS["X"]),
            "bar": bar + 1, "beat": round(offset + 1, 3), "quarters": note.duration,
        })
    chord_rows, tone_rows, previous = [], [], None
    for start, stop, chord in chord_spans(measures, end):
        voiced = voice_chord(chord.pitches) if chord.pitches else []
        left = _bar_position(timeline, start)
        right = _bar_position(timeline, stop)
        name = chord_name(chord)
        chord_rows.append({"start": left, "end": right, "chord": name, "label": "" if name == previous else name,
                           "low": min(voiced, default=60) - 0.5, "high": max(voiced, default=60) + 0.5})
        for pitch in voiced:
            tone_rows.append({"start": left, "end": right, "pitch": pitch, "low": pitch - 0.3, "high": pitch + 0.3,
                              "note": pitch_name(pitch), "chord": name})
        previous = name
    pitches = [r["pitch"] for r in note_rows] + [r["pitch"] for r in tone_rows]
    lowest, highest = (min(pitches), max(pitches)) if pitches else (60, 72)
    top = highest + 2.5
    for row in chord_rows:
        row["top"] = top
    bars = max([r["end"] for r in note_rows] + [r["end"] for r in chord_rows], default=1.0)
    return PianoRoll(note_rows, chord_rows, tone_rows, bars, lowest, highest)


# --- charts as Vega-Lite specs ---------------------------------------------------------------
#
# Plain dicts, written here once per take (or per training update) and handed to st.vega_lite_chart as
# they are: no Altair, so nothing is imported or validated against the Vega-Lite schema when the page
# draws (tests/test_pianoroll.py validates them instead).

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
_OCTAVE_LABEL = "[" + ",".join(f"'{name}'" for name in NAMES) + "][datum.value % 12] + (floor(datum.value / 12) - 1)"


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


# --- training -------------------------------------------------------------------------------

def loss_rows(history: Sequence) -> list[dict]:
    """One row per epoch (reports with epoch, loss, validation_loss), for a line chart of the two losses."""
    return [{"epoch": r.epoch, "training loss": round(float(r.loss), 5),
             "validation loss": None if r.validation_loss is None else round(float(r.validation_loss), 5)}
            for r in history]


def time_left(seconds: float, epoch: int, epochs: int, first_epoch_seconds: float | None = None) -> str:
    """A plain estimate of the time still to go after `epoch` epochs took `seconds`.

    The first epoch also builds the model's graph, so when its time is given the pace is taken
    from the epochs after it.
    """
    if epoch <= 0:
        return "estimating the time left"
    if first_epoch_seconds is not None and epoch > 1:
        pace = (seconds - first_epoch_seconds) / (epoch - 1)
    else:
        pace = seconds / epoch
    remaining = max(pace, 0.0) * (epochs - epoch)
    if remaining < 1:
        return "less than a second left"
    if remaining < 90:
        return f"about {remaining:.0f} s left"
    return f"about {remaining / 60:.0f} min left"


def kept_epoch(history: Sequence, keep_best: bool) -> int | None:
    """The epoch whose weights a run keeps: the last, or with `keep_best` the first with the lowest
    validation loss (the last when no epoch has one), as `training.train` chooses; None before any."""
    if not history:
        return None
    judged = [r for r in history if r.validation_loss is not None] if keep_best else []
    if not judged:
        return history[-1].epoch
    return min(judged, key=lambda r: r.validation_loss).epoch  # min keeps the first of equals


# --- what a score holds ---------------------------------------------------------------------

def melody_part(tracks: Sequence, preset: str | None, melody: int | str | None) -> int:
    """The index of the part the melody is read from: the preset's own (the guitar, part 5, for the
    course's file), else the caller's choice, else the most solo-like part."""
    if preset == METHENY:
        return METHENY_MELODY_PART
    return choose_melody(tuple(tracks), melody)


def parts_rows(parts: Sequence, melody: int | None) -> list[dict]:
    """A preflight report's parts for a table: number, name, instrument, notes, range, drums, role, and
    what each looks like; `melody` is the index of the part the melody is read from."""
    rows = []
    for part in parts:
        role = "melody" if part.index == melody else "drums (not used)" if part.drums else ""
        rows.append({"part": part.index, "name": part.name, "instrument": part.instrument, "notes": part.notes,
                     "range": f"{part.lowest}–{part.highest}" if part.notes else "", "drums": bool(part.drums),
                     "role": role, "looks like": part.description})
    return rows


def values_summary(values: Sequence[str]) -> dict:
    """How many values, how many distinct ones, and how many of each grammar type (C, S, A, X, R)."""
    return {"values": len(values), "unique": len(set(values)),
            "types": {t: sum(v.startswith(t + ",") for v in values) for t in "CSAXR"}}


def pieces_rows(pieces: Sequence[Piece], values_per_piece: Sequence[Sequence[str]]) -> list[dict]:
    """One row per piece: title, measures, values, tempo and where melody and harmony came from."""
    return [{"piece": p.title, "measures": len(p.measures), "values": len(v), "tempo (bpm)": p.tempo_bpm,
             "read as": p.origin} for p, v in zip(pieces, values_per_piece, strict=True)]


# --- labels ---------------------------------------------------------------------------------

def model_summary(bundle) -> str:
    """One line on what a bundle is: what it learnt from and how."""
    settings = bundle.settings or {}
    epochs = settings.get("epochs_done") or settings.get("training", {}).get("epochs")
    hidden = settings.get("model", {}).get("hidden_units") or bundle.weights.hidden_units
    parts = [f"learnt from {bundle.title or 'an unnamed corpus'}"]
    if epochs:
        parts.append(f"{epochs} epoch{'s' if epochs != 1 else ''}")
    parts.append(f"{hidden} hidden units")
    parts.append(f"{len(bundle.vocabulary)} distinct values")
    if bundle.history:
        parts.append(f"final loss {bundle.history[-1]:.3f}")
    return ", ".join(parts)


def instrument_name(program: int) -> str:
    """The name of a General MIDI program from INSTRUMENTS, else its number."""
    return next((name for name, number in INSTRUMENTS.items() if number == program), f"program {program}")


def take_label(number: int, values: int, temperature: float, seed: int, rerolled: Iterable[int] = ()) -> str:
    """How a take is named on the page: 'Take 3 · N = 200 · temperature 0.7 · seed 1', and the bars played
    again since, if any: '… · re-rolled bars 3, 5'."""
    label = f"Take {number} · N = {values} · temperature {temperature:g} · seed {seed}"
    done = rerolled_text(rerolled)
    return f"{label} · {done}" if done else label


def rerolled_text(bars: Iterable[int]) -> str:
    """'re-rolled bars 3, 5' (each bar once, in order), 're-rolled bar 4', or '' when none was."""
    bars = sorted(set(bars))
    return f"re-rolled bar{'s' if len(bars) > 1 else ''} {', '.join(map(str, bars))}" if bars else ""


SWING_NAMES = {"straight": "straight eighths", "light": "light swing", "medium": "medium swing",
               "hard": "hard swing"}


def band_summary(playback) -> str:
    """Who plays with the solo, in words: 'comping piano, walking bass, drums', or 'solo only'."""
    parts = []
    if playback.chords:
        parts.append("comping piano" if playback.comping else "piano chords")
    if playback.bass:
        parts.append("walking bass")
    if playback.drums:
        parts.append("drums")
    return ", ".join(parts) if parts else "solo only"


def take_details(notes: int, seconds: float, instrument: str, playback, changes: str, model: str) -> str:
    """The caption under a take: what it holds and everything it was played with."""
    feel = SWING_NAMES.get(playback.swing, playback.swing) + (", humanized" if playback.humanize else "")
    return (f"{notes} notes · {seconds:.0f} s · {instrument} at {playback.tempo_bpm:g} bpm · over {changes} · "
            f"{feel} · {band_summary(playback)} · {model} model")


def changes_preview(text: str, bars: int = 8) -> str:
    """The first bars of typed chord changes, tidied, with how many there are: '| F7 | Bb7 | … (12 bars)'."""
    found = [" ".join(bar.split()) for bar in text.replace("\n", " ").split("|") if bar.strip()]
    shown = "| " + " | ".join(found[:bars]) + " |" + (" …" if len(found) > bars else "")
    return f"{shown} ({len(found)} bar{'s' if len(found) != 1 else ''})"


# --- re-rolling bars ------------------------------------------------------------------------

def take_bar_count(take) -> int:
    """How many bars a take spans, as `pipeline.reroll` counts them (bar k of the looped progression)."""
    if not take.notes or not take.progression:
        return 0
    return len(bar_starts(take.progression, take.notes[-1].offset)) - 1


def reroll_seed(seed: int, count: int) -> int:
    """The seed of a take's `count`-th re-rolled bar (1, 2, …): a new one every time, the same for the same
    take seed and count, in 0 … 2**31 - 2."""
    digest = hashlib.sha256(f"reroll:{seed}:{count}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % (2**31 - 1)


# --- metrics beside the source --------------------------------------------------------------

# (metric key, row name) in the order the table shows them; keys are evaluation.METRICS'.
METRIC_ROWS = (
    ("H1", "H1 · pitch variety within a bar (bits)"),
    ("H4", "H4 · pitch variety over 4 bars (bits)"),
    ("GS", "GS · rhythm alike from bar to bar (0-1)"),
    ("chord_tones", "Notes on a tone of the chord sounding"),
    ("C", "Values of type C · chord tone"),
    ("S", "Values of type S · scale tone"),
    ("A", "Values of type A · approach tone"),
    ("X", "Values of type X · other"),
    ("R", "Values of type R · rest"),
    ("notes_per_bar", "Notes per bar"),
    ("pitch_range", "Pitch range (semitones)"),
    ("longest_copy", "Longest run copied from the source (values)"),
    ("bar_repeats", "Bars repeating an earlier bar's rhythm and types"),
    ("value_4grams", "Phrase variety (distinct runs of 4 values)"),
)
_SHARES = {"chord_tones", "C", "S", "A", "X", "R", "bar_repeats", "value_4grams"}


@dataclass(frozen=True)
class SourceProfile:
    """The source measured as `evaluation.compare` measures it: the mean of each metric over windows of N values."""

    metrics: dict  # metric key -> mean over the windows (None when no window has it)
    windows: int  # how many windows were measured
    values: int  # values per window (N, capped at the corpus length)
    what: str  # what the source is, in words


def source_key(bundle, pieces: Sequence[Piece] | None) -> str:
    """A digest naming a bundle's source (its training values and chords, and the scores when known), for caching."""
    digest = hashlib.sha256()
    for value in bundle.corpus:
        digest.update(value.encode() + b"\n")
    digest.update(repr(bundle.progression).encode())
    for piece in pieces or ():
        digest.update(piece.title.encode() + repr(piece.measures).encode())
    return digest.hexdigest()


def source_profile(bundle, pieces: Sequence[Piece] | None, values: int, windows: int = 5) -> SourceProfile | None:
    """The source beside which a take of `values` values is shown, as `evaluation.compare` builds it.

    With the scores the bundle learnt from (when their values are exactly its training values) the
    source is their melody as written; otherwise the bundle's training values played over its own
    chords (rhythm and types exact, pitches chosen again). None when the bundle keeps no training values.
    """
    if not bundle.corpus or values < 1:
        return None
    length = min(values, len(bundle.corpus))
    line = evaluation.source_line(pieces) if pieces else None
    if line is not None and line.values == tuple(bundle.corpus):
        solos, what = evaluation.source_solos(line, length, windows), "the melody it learnt from, as written"
    else:
        solos, what = evaluation.corpus_solos(bundle, length, windows), "its training values over their own chords"
    summary = evaluation.summarize([evaluation.measure(solo, bundle.corpus) for solo in solos])
    means = {key: None if stats is None else stats["mean"] for key, stats in summary.items()}
    return SourceProfile(means, len(solos), length, what)


def take_metrics(take, corpus: Sequence[str]) -> dict:
    """Every metric of `evaluation.METRICS` for a take, over the chords it was played on."""
    return evaluation.measure(evaluation.Solo(take.notes, take.values, take.progression), corpus)


def metric_cell(key: str, value: float | None) -> str:
    """A metric's value as the table shows it: shares in per cent, counts whole, bits to two places."""
    if value is None:
        return "–"
    if key in _SHARES:
        return f"{100 * value:.0f}%"
    if key in ("pitch_range", "longest_copy"):
        return f"{value:.0f}"
    if key == "notes_per_bar":
        return f"{value:.1f}"
    return f"{value:.2f}"


def metrics_rows(source: SourceProfile | None, columns: Sequence[tuple[str, dict]]) -> list[dict]:
    """Rows of the comparison table: a metric per row, the source then each (name, metrics) column.

    The source's longest copied run is left blank: it is the training music itself.
    """
    rows = []
    for key, name in METRIC_ROWS:
        row = {"measure": name}
        if source is not None:
            row["source"] = "–" if key == "longest_copy" else metric_cell(key, source.metrics.get(key))
        for title, metrics in columns:
            row[title] = metric_cell(key, metrics.get(key))
        rows.append(row)
    return rows


def comparison_columns(takes: Sequence[tuple[int, float, dict]], number: int, most: int = 3) -> list[tuple[str, dict]]:
    """The take columns of take `number`'s comparison table, from (number, temperature, metrics) of the takes
    of one model, newest first: the take itself, then the newest take at each other temperature, `most` in all."""
    this = next(t for t in takes if t[0] == number)
    columns, seen = [(f"this take (T {this[1]:g})", this[2])], {this[1]}
    for other, temperature, metrics in takes:
        if temperature not in seen and len(columns) < most:
            seen.add(temperature)
            columns.append((f"take {other} (T {temperature:g})", metrics))
    return columns


# --- sharing between sessions ---------------------------------------------------------------

def read_only(bundle):
    """The bundle with its weight arrays write-protected, to be shared by every session of the page."""
    for array in bundle.weights.arrays().values():
        array.setflags(write=False)
    return bundle
