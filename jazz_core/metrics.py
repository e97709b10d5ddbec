"""The metrics of a solo, each a small pure function of its notes, values or bars (MusDr's H1, H4, GS and more).

`jazz_core.evaluation.measure` applies them all to one solo; `METRICS` says what each key means.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection, Sequence
from itertools import pairwise

import numpy as np

from jazz_core.grammar import TYPES
from jazz_core.music import Note
from jazz_core.progression import Timeline

MUSDR = "Wu and Yang, The Jazz Transformer on the Front Line, ISMIR 2020 (MusDr)"
METRICS = {  # key -> one line: what it is and where it comes from
    "H1": f"pitch-class entropy (bits, 0..3.585) of 1-bar windows, onset counts, mean; {MUSDR}",
    "H4": f"pitch-class entropy (bits) of 4-bar windows sliding a bar at a time, mean; {MUSDR}",
    "GS": f"grooving similarity: mean over bar pairs of 1 - XOR(onset grids)/Q, Q = 48 per 4/4 bar; {MUSDR}",
    "chord_tones": "share of note onsets whose pitch class is in the chord sounding then",
    **{kind: f"share of values of grammar type {kind}, as encoded or as the model chose them" for kind in TYPES},
    "notes_per_bar": "note onsets per bar (rests not counted)",
    "pitch_range": "highest minus lowest pitch, in semitones",
    "repeated_notes": "share of successive notes (rests skipped) on the same pitch",
    "interval_4grams": "distinct 4-grams of intervals / all 4-grams of intervals",
    "value_4grams": "distinct 4-grams of grammar values / all 4-grams of values",
    "role_4grams": "distinct 4-grams of the values' types (C/S/A/X/R, the notes' roles) / all 4-grams of types",
    "bar_repeats": "share of bars with notes repeating an earlier bar's rhythm and grammar types exactly",
    "longest_copy": "longest run of consecutive values copied from the training corpus (BebopNet's originality)",
}


def histogram_entropy(counts: Collection[float]) -> float:
    """Entropy in bits of a histogram of counts (empty bins count for nothing)."""
    total = sum(counts)
    return max(0.0, -sum(c / total * math.log2(c / total) for c in counts if c > 0))


def pitch_class_entropy(bars: Sequence[Sequence[int]], window: int) -> float | None:
    """H_n: mean entropy of the pitch-class histogram (note counts) of every n-bar window with notes (MusDr)."""
    window = min(window, len(bars))
    entropies = []
    for start in range(len(bars) - window + 1):
        classes = Counter(pitch % 12 for bar in bars[start:start + window] for pitch in bar)
        if classes:
            entropies.append(histogram_entropy(classes.values()))
    return float(np.mean(entropies)) if entropies else None


GS_MAX_PAIRS = 1000  # MusDr's max_pairs: beyond this many pairs of bars, a seeded sample of pairs is compared


def bar_pairs(count: int, most: int = GS_MAX_PAIRS) -> list[tuple[int, int]]:
    """Every pair of bars (i < j), or `most` of them drawn with a fixed seed, so the cost stays bounded."""
    if count * (count - 1) // 2 <= most:
        return [(i, j) for i in range(count) for j in range(i + 1, count)]
    rng = np.random.default_rng(0)
    first = rng.integers(0, count, size=most)
    second = (first + rng.integers(1, count, size=most)) % count  # never the same bar
    return [(int(min(a, b)), int(max(a, b))) for a, b in zip(first, second, strict=True)]


def grooving_similarity(onsets: Sequence[Collection[int]], positions: int | Sequence[int]) -> float | None:
    """GS: mean over pairs of bars of 1 - |onset positions in one bar only| / Q (MusDr); None under two bars.

    All pairs up to GS_MAX_PAIRS of them, else a seeded sample of that many, as MusDr does (max_pairs).
    """
    grids = [positions] * len(onsets) if isinstance(positions, int) else list(positions)
    masks = [sum(1 << p for p in set(bar)) for bar in onsets]
    similarities = [1 - (masks[i] ^ masks[j]).bit_count() / max(grids[i], grids[j])
                    for i, j in bar_pairs(len(masks))]
    return float(np.mean(similarities)) if similarities else None


def chord_tone_ratio(notes: Sequence[Note], timeline: Timeline) -> float | None:
    """Share of note onsets whose pitch class belongs to the chord sounding then (onsets under no chord left out)."""
    judged = [(n.pitch, timeline.chord_at(n.offset)) for n in notes if n.pitch is not None]
    judged = [(pitch, chord) for pitch, chord in judged if chord is not None and chord.pitches]
    return sum(pitch % 12 in chord.pitch_classes for pitch, chord in judged) / len(judged) if judged else None


def type_shares(values: Sequence[str]) -> dict[str, float | None]:
    """Share of each grammar type C/S/A/X/R among the values, as they were encoded or chosen (before decoding)."""
    kinds = Counter(value.split(",", 1)[0] for value in values)
    return {kind: kinds[kind] / len(values) if values else None for kind in TYPES}


def notes_per_bar(bars: Sequence[Sequence[int]]) -> float | None:
    """Note density: pitched onsets per bar."""
    return sum(len(bar) for bar in bars) / len(bars) if bars else None


def pitch_range(pitches: Sequence[int]) -> int | None:
    """Highest minus lowest pitch in semitones."""
    return max(pitches) - min(pitches) if pitches else None


def repeated_note_share(pitches: Sequence[int]) -> float | None:
    """Share of successive pairs of notes on the same pitch."""
    pairs = list(pairwise(pitches))
    return sum(a == b for a, b in pairs) / len(pairs) if pairs else None


def distinct_ngram_ratio(items: Sequence[object], n: int = 4) -> float | None:
    """Distinct n-grams over all n-grams (1 = nothing repeats); None when there is no n-gram."""
    grams = [tuple(items[i:i + n]) for i in range(len(items) - n + 1)]
    return len(set(grams)) / len(grams) if grams else None


def value_skeletons(values: Sequence[str]) -> list[str]:
    """Each grammar value's type and duration, its interval window dropped: 'C,0.250,<m2,P-4>' -> 'C,0.250'.

    Whole values rarely repeat as 4-grams (the window is one of dozens), so their variety sits near 1 in any
    free take; this rhythm-and-type skeleton repeats as a phrase's rhythm does."""
    return [",".join(value.split(",", 2)[:2]) for value in values]


def value_types(values: Sequence[str]) -> list[str]:
    """Each grammar value's type: C chord tone, S scale tone, A approach tone, X other tone, R rest."""
    return [value.split(",", 1)[0] for value in values]


def pooled_ngram_entropy(sequences: Sequence[Sequence[object]], n: int = 4) -> float | None:
    """Entropy in bits of the n-grams of several sequences (e.g. one take per seed) counted together; None
    without an n-gram. It grows with how evenly the line spreads over its patterns, not only with how many."""
    grams = Counter(tuple(items[i:i + n]) for items in sequences for i in range(len(items) - n + 1))
    return histogram_entropy(grams.values()) if grams else None


def bar_repeat_share(bars: Sequence[Sequence[Note]]) -> float | None:
    """Share of bars with notes whose offsets, durations and kinds (C/S/A/X/R) all equal an earlier bar's.

    Pitches are left out on purpose: playing values re-chooses them, so the course's model, which
    plays the same phrase of values again and again, would otherwise never repeat a bar.
    """
    seen: set[tuple] = set()
    repeats = played = 0
    for bar in bars:
        if all(note.pitch is None for note in bar):
            continue
        content = tuple((note.offset, note.duration, note.kind) for note in bar)
        played += 1
        repeats += content in seen
        seen.add(content)
    return repeats / played if played else None
