"""Finding the harmony under a melody: from chord symbols, from the accompaniment, or from the melody itself."""

from __future__ import annotations

from bisect import bisect_right

from jazz_core.grammar import chord_scale
from jazz_core.music import Chord, Measure, Note, snap
from jazz_core.reading.chords import harmonic_steps, recognise, step_for
from jazz_core.reading.raw import MAX_NOTE_QUARTERS, Track

BASS_NAMES = ("bass", "basse", "basso", "bajo", "baixo", "kontrabass")
BASS_PROGRAMS = range(32, 40)  # General MIDI's bass family: acoustic, electric, fretless, slap, synth basses


def is_bass_line(track: Track) -> bool:
    """A bass part by its name or General MIDI program, or one whose notes lie mostly below C3."""
    if any(word in track.name.lower() for word in BASS_NAMES) or track.program in BASS_PROGRAMS:
        return True
    pitches = sorted(p for _, _, p in track.notes)
    return bool(pitches) and pitches[len(pitches) // 2] < 48


class Accompaniment:
    """The accompaniment's notes sorted by onset, to find what sounds in a span without scanning them all."""

    def __init__(self, tracks: list[Track]) -> None:
        self.notes = sorted(n for t in tracks for n in t.notes)
        self.onsets = [o for o, _, _ in self.notes]
        upper = [t for t in tracks if not is_bass_line(t)]
        self.upper = Accompaniment(upper) if upper and len(upper) < len(tracks) else self

    def window(self, low: float, high: float) -> list[tuple[float, float, int]]:
        """The notes sounding at some time in [low, high)."""
        first = bisect_right(self.onsets, low - MAX_NOTE_QUARTERS - 1e-9)
        last = bisect_right(self.onsets, high - 1e-9)
        return [n for n in self.notes[first:last] if n[0] + max(n[1], 1 / 12) > low]

    def steps(self, bars) -> str:
        """How fast the harmony moves, judged on the voices above the bass when there are any: a walking bass
        moves every beat through passing notes while the chord stays."""
        return harmonic_steps(self.upper.window, bars)


def chords_from_tracks(accompaniment: Accompaniment, start: float, length: float, steps: str = "half") -> list[Chord]:
    """The accompaniment's chords in a bar, named as chord symbols, one per segment ('bar', 'half' or 'beat')."""
    return recognise(accompaniment.window, start, length, step_for(steps, length))


def chord_from_melody(notes: list[Note]) -> list[Chord]:
    """The chord that the bar's melody outlines best (by duration): harmony inferred when the score has none."""
    sounding = [(n.offset, n.duration, n.pitch) for n in notes if n.pitch is not None]
    if not sounding:
        return []
    end = max(o + d for o, d, _ in sounding)
    return recognise(lambda low, high: sounding, 0.0, end, end)[:1]


def chords_from_symbols(symbols, start: float, length: float) -> list[Chord]:
    """Chord symbols sounding in a bar; the one still held from an earlier bar starts it."""
    before = [s for s in symbols if s[0] <= start + 1e-9]
    inside = [s for s in symbols if start + 1e-9 < s[0] < start + length]
    held = [(start, *before[-1][1:])] if before else []
    return [Chord(snap(o - start), p, chord_scale(p), f) for o, p, f in held + inside]


def fill_missing_chords(measures: list[Measure]) -> list[Measure]:
    """A bar with no chord of its own keeps the chord of the bar before it; bars before the first chord (a
    pickup) take the first chord of the bar that follows them, where the tune lands."""
    first = next((m.chords[0] for m in measures if m.chords), None)
    if first is None:
        return measures
    filled, current = [], Chord(0.0, first.pitches, first.scale, first.symbol)
    for measure in measures:
        if measure.chords:
            current = Chord(0.0, measure.chords[-1].pitches, measure.chords[-1].scale, measure.chords[-1].symbol)
            filled.append(measure)
        else:
            filled.append(Measure(measure.length, measure.notes, (current,)))
    return filled
