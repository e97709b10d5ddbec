"""The piano roll of a take, as plain data for the page's roll component (sections/roll/).

Times are in quarters from the start of the solo (the MIDI's beats), so a position on the roll is the
audio's time times the tempo: the component's playhead follows the player with one multiplication,
whatever the meter. Bars are listed with where they start and how long they are (a 3/4 bar is
shorter than a 4/4 one); chords are spans named where the chord changes, with the tones the piano
plays under them; each note says whether it lies in a run copied from the corpus the model learnt
(originality.copied_mask, filled in by whoever made the take). Pure functions, no drawing here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from jazz_core.labels import chord_name
from jazz_core.midi_writer import voice_chord
from jazz_core.music import Measure, Note, pitch_name
from jazz_core.progression import EPSILON, Timeline, chord_spans

KINDS = {  # the grammar's note types, as the legend names them
    "C": "C · chord tone",
    "S": "S · scale tone",
    "A": "A · approach tone",
    "X": "X · other",
}
KIND_COLOURS = {"C": "#1f77b4", "S": "#2ca02c", "A": "#ff7f0e", "X": "#d62728"}


@dataclass(frozen=True)
class PianoRoll:
    """A take's notes, bars and chords in quarters, and the seconds a quarter lasts in its audio."""

    notes: tuple[dict, ...]  # start, end (quarters), pitch, note, kind, bar, beat, copied
    bars: tuple[dict, ...]  # number (from 1), start, length (quarters)
    chords: tuple[dict, ...]  # start, end (quarters), chord, label (the name where it changes, else ''), tones
    seconds_per_quarter: float
    lowest: int
    highest: int

    @property
    def bar_count(self) -> int:
        return len(self.bars)

    def data(self) -> dict:
        """Everything the component draws, as JSON-ready lists and numbers."""
        return {"notes": list(self.notes), "bars": list(self.bars), "chords": list(self.chords),
                "seconds_per_quarter": self.seconds_per_quarter, "lowest": self.lowest, "highest": self.highest,
                "kinds": [{"kind": k, "name": name, "colour": KIND_COLOURS[k]} for k, name in KINDS.items()]}


def _bar_rows(timeline: Timeline, end: float) -> tuple[dict, ...]:
    """Every bar that starts before the solo ends (at least one): the bar it ends in is shown whole."""
    rows, bar = [], 0
    while bar == 0 or timeline.bar_start(bar) < end - EPSILON:
        start = timeline.bar_start(bar)
        rows.append({"number": bar + 1, "start": start, "length": timeline.measure(bar).length})
        bar += 1
    return tuple(rows)


def _note_row(timeline: Timeline, note: Note, copied: bool) -> dict:
    bar, offset = timeline.locate(note.offset)
    return {"start": note.offset, "end": round(note.offset + note.duration, 6), "pitch": note.pitch,
            "note": pitch_name(note.pitch), "kind": note.kind if note.kind in KINDS else "X",
            "bar": bar + 1, "beat": round(offset + 1, 3), "copied": bool(copied)}


def _chord_rows(measures: Sequence[Measure], end: float) -> tuple[dict, ...]:
    rows, previous = [], None
    for start, stop, chord in chord_spans(measures, end):
        name = chord_name(chord)
        rows.append({"start": start, "end": stop, "chord": name, "label": "" if name == previous else name,
                     "tones": voice_chord(chord.pitches) if chord.pitches else []})
        previous = name
    return tuple(rows)


def piano_roll(notes: Iterable[Note], measures: Sequence[Measure], tempo_bpm: float,
               copied: Sequence[bool] | None = None) -> PianoRoll:
    """The solo (rests left out) over the chords it was played on; `copied` has one flag per note (rests too),
    as originality.copied_mask gives one per value, and None means nothing is marked copied."""
    if not measures:
        raise ValueError("a piano roll needs the measures the solo was played over")
    notes = list(notes)
    flags = list(copied) if copied is not None else [False] * len(notes)
    if len(flags) != len(notes):
        raise ValueError(f"one copied flag per note is needed: {len(flags)} flags for {len(notes)} notes")
    timeline = Timeline(measures)
    played = [(n, f) for n, f in zip(notes, flags, strict=True) if n.pitch is not None and n.duration > 0]
    end = max((n.offset + n.duration for n, _ in played), default=0.0)
    bars = _bar_rows(timeline, end)
    last = bars[-1]["start"] + bars[-1]["length"]
    chords = _chord_rows(measures, last)
    pitches = [n.pitch for n, _ in played] + [p for row in chords for p in row["tones"]]
    lowest, highest = (min(pitches), max(pitches)) if pitches else (60, 72)
    return PianoRoll(tuple(_note_row(timeline, n, f) for n, f in played), bars, chords, 60.0 / tempo_bpm,
                     lowest, highest)
