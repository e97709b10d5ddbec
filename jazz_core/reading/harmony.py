"""Finding the harmony under a melody: from chord symbols, from the accompaniment, or from the melody itself."""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict

from jazz_core.grammar import chord_scale
from jazz_core.music import Chord, Measure, Note, snap
from jazz_core.reading.raw import MAX_NOTE_QUARTERS, Track


class Accompaniment:
    """The accompaniment's notes sorted by onset, to find what sounds in a span without scanning them all."""

    def __init__(self, tracks: list[Track]) -> None:
        self.notes = sorted(n for t in tracks for n in t.notes)
        self.onsets = [o for o, _, _ in self.notes]

    def sounding(self, low: float, high: float) -> list[int]:
        first = bisect_right(self.onsets, low - MAX_NOTE_QUARTERS - 1e-9)
        last = bisect_right(self.onsets, high - 1e-9)
        return sorted({p for o, d, p in self.notes[first:last] if o + max(d, 1 / 12) > low})


def chords_from_tracks(accompaniment: Accompaniment, start: float, length: float) -> list[Chord]:
    """The accompaniment reduced to one chord per half bar (per bar in short meters), drums excluded."""
    step = length / 2 if length >= 4 else length
    chords: list[Chord] = []
    position = 0.0
    while position < length - 1e-9:
        sounding = accompaniment.sounding(start + position, start + position + step)
        classes = {p % 12 for p in sounding}
        if len(classes) >= 2 and (not chords or chords[-1].pitch_classes != frozenset(classes)):
            chords.append(Chord(snap(position), tuple(sounding), chord_scale(sounding)))
        position += step
    return chords


_TRIADS = [(root, quality) for root in range(12) for quality in ((0, 4, 7), (0, 3, 7))]


def chord_from_melody(notes: list[Note]) -> list[Chord]:
    """The triad that covers most of a bar's melody (by duration): harmony inferred when the score has none."""
    weight = defaultdict(float)
    for note in notes:
        if note.pitch is not None:
            weight[note.pitch % 12] += note.duration
    if not weight:
        return []
    root, quality = max(_TRIADS, key=lambda t: sum(weight[(t[0] + i) % 12] for i in t[1]))
    pitches = tuple(48 + root + i for i in quality)
    return [Chord(0.0, pitches, chord_scale(pitches))]


def chords_from_symbols(symbols, start: float, length: float) -> list[Chord]:
    """Chord symbols sounding in a bar; the one still held from an earlier bar starts it."""
    before = [s for s in symbols if s[0] <= start + 1e-9]
    inside = [s for s in symbols if start + 1e-9 < s[0] < start + length]
    held = [(start, *before[-1][1:])] if before else []
    return [Chord(snap(o - start), p, chord_scale(p), f) for o, p, f in held + inside]


def fill_missing_chords(measures: list[Measure]) -> list[Measure]:
    """A bar with no chord of its own keeps the chord of the bar before it (or the next one, at the start)."""
    last = next((m.chords[-1] for m in measures if m.chords), None)
    if last is None:
        return measures
    filled, current = [], Chord(0.0, last.pitches, last.scale, last.symbol)
    for measure in measures:
        if measure.chords:
            current = Chord(0.0, measure.chords[-1].pitches, measure.chords[-1].scale, measure.chords[-1].symbol)
            filled.append(measure)
        else:
            filled.append(Measure(measure.length, measure.notes, (current,)))
    return filled
