"""The page's words: names of chords and instruments, captions and labels of takes, rows of its tables.

Pure functions over the core's data (chords, preflight reports, bundles, playback settings,
metrics); the page hands their text to a caption or their rows to a table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from jazz_core.grammar import chord_quality, chord_root
from jazz_core.music import NOTE_NAMES, Chord
from jazz_core.reading import METHENY, METHENY_MELODY_PART, choose_melody

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
SWING_NAMES = {"straight": "straight eighths", "light": "light swing", "medium": "medium swing",
               "hard": "hard swing"}

def chord_name(chord: Chord) -> str:
    """The chord's symbol when the score gave one, else a name read from its pitches: 'Dm7', 'G7', 'Cmaj7'."""
    if chord.symbol:
        return re.sub(r"([A-G])-", r"\1b", chord.symbol)  # music21 writes B- for B flat
    if not chord.pitches:
        return ""
    return NOTE_NAMES[chord_root(chord.pitches)] + chord_quality(chord.pitches)


# --- training -------------------------------------------------------------------------------

def time_left(seconds: float, epoch: int, epochs: int, first_epoch_seconds: float | None = None,
              early_stop: int | None = None) -> str:
    """A plain estimate of the time still to go after `epoch` epochs took `seconds`; with `early_stop`, the
    epoch by which early stopping ends the run if the validation loss does not improve again, that time too.

    The first epoch also builds the model's graph, so when its time is given the pace is taken
    from the epochs after it.
    """
    if epoch <= 0:
        return "estimating the time left"
    if first_epoch_seconds is not None and epoch > 1:
        pace = max((seconds - first_epoch_seconds) / (epoch - 1), 0.0)
    else:
        pace = max(seconds / epoch, 0.0)
    text = duration_words(pace * (epochs - epoch)) + " left"
    if early_stop is not None and epoch <= early_stop < epochs:
        text += f", {duration_words(pace * (early_stop - epoch))} if the validation loss does not improve again"
    return text


def duration_words(seconds: float) -> str:
    """'less than a second', 'about 40 s', 'about 10 min'."""
    if seconds < 1:
        return "less than a second"
    return f"about {seconds:.0f} s" if seconds < 90 else f"about {seconds / 60:.0f} min"


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


# --- takes ----------------------------------------------------------------------------------

def take_label(number: int, values: int, temperature: float, seed: int, rerolled: Iterable[int] = (),
               length: str = "") -> str:
    """How a take is named on the page: 'Take 3 · N = 200 · temperature 0.7 · seed 1' (with the length asked for
    first when it was in choruses or bars: 'Take 3 · 2 choruses · N = 187 · …'), and the bars played again
    since, if any: '… · re-rolled bars 3, 5'."""
    asked = f"{length} · " if length else ""
    label = f"Take {number} · {asked}N = {values} · temperature {temperature:g} · seed {seed}"
    done = rerolled_text(rerolled)
    return f"{label} · {done}" if done else label


def rerolled_text(bars: Iterable[int]) -> str:
    """'re-rolled bars 3, 5' (each bar once, in order), 're-rolled bar 4', or '' when none was."""
    bars = sorted(set(bars))
    return f"re-rolled bar{'s' if len(bars) > 1 else ''} {', '.join(map(str, bars))}" if bars else ""


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


def length_words(unit: str, count: int, bars_per_chorus: int) -> str:
    """The length asked for, in words: '2 choruses (24 bars)', '1 chorus (12 bars)', '16 bars'; '' for values."""
    if unit == "choruses":
        return f"{count} chorus{'es' if count != 1 else ''} ({count * bars_per_chorus} bars)"
    return f"{count} bar{'s' if count != 1 else ''}" if unit == "bars" else ""


def roll_caption(playback, bars: int) -> str:
    """The caption under a take's piano roll: what the colours and greys are, and how many bars it shows."""
    under = ("the chords in grey (not played in this take)" if not playback.chords else
             "the chords in grey (the piano comps them in rootless voicings)" if playback.comping else
             "the chords as the piano plays them in grey")
    return (f"The solo's notes coloured by grammar type, over {under}: {bars} bars. "
            "The red line follows the player: click the roll to play from there, zoom with − and + (or Ctrl + wheel).")


def changes_preview(text: str, bars: int = 8) -> str:
    """The first bars of typed chord changes, tidied, with how many there are: '| F7 | Bb7 | … (12 bars)'."""
    found = [" ".join(bar.split()) for bar in text.replace("\n", " ").split("|") if bar.strip()]
    shown = "| " + " | ".join(found[:bars]) + " |" + (" …" if len(found) > bars else "")
    return f"{shown} ({len(found)} bar{'s' if len(found) != 1 else ''})"


def bar_lines_note(text: str) -> str | None:
    """A sentence when typed changes have several chords but no bar line: they are read as one bar."""
    chords = text.replace("|", " ").split()
    if "|" in text or len(chords) < 2:
        return None
    return (f"No bar lines: the {len(chords)} chords are read as one bar, sharing it evenly. Put | between bars "
            f"to give each its own, e.g. | {' | '.join(chords[:3])} |.")


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
    ("role_4grams", "Phrase variety (distinct runs of 4 note roles C/S/A/X/R)"),
)
_SHARES = {"chord_tones", "C", "S", "A", "X", "R", "bar_repeats", "value_4grams", "role_4grams"}


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


def metrics_rows(source, columns: Sequence[tuple[str, dict]]) -> list[dict]:
    """Rows of the comparison table: a metric per row, the source (a `session.SourceProfile`) then each
    (name, metrics) column. The source's longest copied run is left blank: it is the training music itself."""
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


def source_caption(source) -> str:
    """What the source column of the comparison table is, in words."""
    if source is None:
        return "This model keeps no training values, so there is no source to compare with."
    measured = (f"one stretch of {source.values} values" if source.windows == 1 else
                f"the mean of {source.windows} stretches of {source.values} values")
    return (f"Each row is measured from the notes, the same way for every column. The source is {source.what}: "
            f"{measured}. Low temperatures repeat "
            "themselves (more bars repeated, longer copied runs, less phrase variety); high ones stray further "
            "from the source's habits.")
