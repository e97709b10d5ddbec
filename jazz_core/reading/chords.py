"""Naming the chord that sounds in a stretch of music, as a chord symbol: template matching.

Each pitch class gets the time it sounds in the segment; the lowest sounding note counts again
(the bass says the root more than any other voice). Every root and quality is scored by the
cosine between that weight vector and the chord's tones, with a small bonus when the bass is
the root, so C-E-G-Bb is C7 and not a cluster, and C-E-G stays C (a seventh is named only when
it clearly sounds). The segment size follows the harmonic rhythm: a bar, half a bar or a beat.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence

from jazz_core.grammar import chord_scale
from jazz_core.music import NOTE_NAMES, Chord, snap

QUALITIES = (  # suffix, intervals above the root; simpler chords first, so they win a tie
    ("", (0, 4, 7)), ("m", (0, 3, 7)), ("7", (0, 4, 7, 10)), ("maj7", (0, 4, 7, 11)), ("m7", (0, 3, 7, 10)),
    ("m7b5", (0, 3, 6, 10)), ("dim7", (0, 3, 6, 9)), ("6", (0, 4, 7, 9)), ("m6", (0, 3, 7, 9)),
    ("sus4", (0, 5, 7)), ("7sus4", (0, 5, 7, 10)), ("dim", (0, 3, 6)), ("aug", (0, 4, 8)),
)
BASS_BONUS = 0.08  # added to a chord's score when the bass note is its root
MIN_WEIGHT = 1 / 8  # quarters of sound a segment needs before it is named at all

Sounding = tuple[float, float, int]  # (offset, duration, pitch) in quarters


def pitch_weights(notes: Iterable[Sounding], low: float, high: float) -> tuple[list[float], int | None]:
    """Quarters each pitch class sounds inside [low, high), the bass counted twice; and the bass pitch class.

    The bass is the lowest note sounding as the segment begins (a walking bass states the root on the
    downbeat and passes through other notes after it), else the lowest note of the segment.
    """
    weights = [0.0] * 12
    lowest: tuple[int, float] | None = None
    on_downbeat: tuple[int, float] | None = None
    for offset, duration, pitch in notes:
        overlap = min(offset + duration, high) - max(offset, low)
        if overlap <= 1e-9:
            continue
        weights[pitch % 12] += overlap
        if lowest is None or pitch < lowest[0]:
            lowest = (pitch, overlap)
        if offset <= low + 1e-9 and (on_downbeat is None or pitch < on_downbeat[0]):
            on_downbeat = (pitch, overlap)
    bass = on_downbeat or lowest
    if bass is None:
        return weights, None
    weights[bass[0] % 12] += bass[1]
    return weights, bass[0] % 12


def best_chord(weights: Sequence[float], bass: int | None = None) -> tuple[int, str] | None:
    """(root pitch class, quality suffix) whose tones best match the weights; None for silence."""
    norm = math.sqrt(sum(w * w for w in weights))
    if sum(weights) < MIN_WEIGHT or norm == 0:
        return None
    best, best_score = None, -1.0
    for root in range(12):
        for suffix, intervals in QUALITIES:
            inside = sum(weights[(root + i) % 12] for i in intervals)
            score = inside / (norm * math.sqrt(len(intervals))) + (BASS_BONUS if bass == root else 0.0)
            if score > best_score + 1e-9:
                best, best_score = (root, suffix), score
    return best


def symbol(root: int, suffix: str) -> str:
    """A chord symbol as musicians write it: (10, 'm7') -> 'Bbm7'."""
    return NOTE_NAMES[root] + suffix


def chord_of(root: int, suffix: str, offset: float = 0.0) -> Chord:
    """The named chord as a Chord: its own tones voiced from the root below middle C, and its symbol."""
    intervals = dict(QUALITIES)[suffix]
    pitches = tuple(48 + root + i for i in intervals)
    return Chord(snap(offset), pitches, chord_scale(pitches), symbol(root, suffix))


Window = Callable[[float, float], Sequence[Sounding]]  # the notes sounding between two times


def recognise(window: Window, start: float, length: float, step: float) -> list[Chord]:
    """The chords of one bar, one per segment of `step` quarters, a repeated chord merged into the one before."""
    chords: list[Chord] = []
    position = 0.0
    while position < length - 1e-9:
        end = min(position + step, length)
        found = best_chord(*pitch_weights(window(start + position, start + end), start + position, start + end))
        if found and (not chords or chords[-1].symbol != symbol(*found)):
            chords.append(chord_of(*found, position))
        position += step
    return chords


def _share_changed(window: Window, pairs: list[tuple[float, float, float]]) -> float:
    """Of adjacent spans (start, cut, end), the share whose two sides name different chords."""
    named = changed = 0
    for start, cut, end in pairs:
        before = best_chord(*pitch_weights(window(start, cut), start, cut))
        after = best_chord(*pitch_weights(window(cut, end), cut, end))
        if before and after:
            named += 1
            changed += before != after
    return changed / named if named else 0.0


def harmonic_steps(window: Window, bars: Sequence[tuple[float, float]]) -> str:
    """How fast the harmony moves: 'bar', 'half' (a chord per half bar) or 'beat', judged on the first 64 bars:
    the finer size when more than a quarter of its extra boundaries change chord."""
    sample = [(s, n) for s, n in list(bars)[:64] if n >= 2]
    halves = [(s, s + n / 2, s + n) for s, n in sample]
    if _share_changed(window, halves) <= 0.25:
        return "bar"
    beats = [(s + k - 1, s + k, s + k + 1) for s, n in sample for k in range(1, math.ceil(n))
             if abs(k - n / 2) > 1e-9]
    return "beat" if beats and _share_changed(window, beats) > 0.25 else "half"


def step_for(steps: str, length: float) -> float:
    """The segment size in quarters for a bar of `length` quarters."""
    return {"bar": length, "half": length / 2 if length >= 4 else length, "beat": 1.0}[steps]


def name_pitches(pitches: Sequence[int]) -> str:
    """The symbol for a voiced chord that came without one (the lowest pitch as its bass); '?' when silent."""
    found = best_chord(*pitch_weights([(0.0, 1.0, p) for p in pitches], 0.0, 1.0))
    return symbol(*found) if found else "?"
