"""Does it sound like the source? Objective metrics of solos, from their notes, values and chords (not audio).

Every metric is a small pure function. `measure` applies them all to one `Solo`; `compare` measures,
over the same chords and for the same number of values N, the source's own melody, our LSTM at
temperatures 0, 0.5 and 1, the course's sampling (argmax restarted from zero state every bar's worth
of values), uniformly random values and a bigram model, several seeds each; held-out prediction is
`scoring.prediction`. TensorFlow is never imported: the LSTM runs in NumPy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from jazz_core.bundle import Bundle
from jazz_core.errors import BadBundleError, SettingsError
from jazz_core.evaluation_text import format_report
from jazz_core.grammar import Timeline, decode_values, encode_measures, melody_line, parse_value
from jazz_core.metrics import (
    METRICS,
    bar_repeat_share,
    chord_tone_ratio,
    distinct_ngram_ratio,
    grooving_similarity,
    notes_per_bar,
    pitch_class_entropy,
    pitch_range,
    repeated_note_share,
    type_shares,
    value_types,
)
from jazz_core.music import GRID, Measure, Note, Piece, snap
from jazz_core.originality import longest_copied_run
from jazz_core.sampling import sample_indices, sample_values
from jazz_core.scoring import bundle_split, prediction
from jazz_core.settings import MAX_COMPARED_SEEDS, MAX_VALUES

__all__ = ["compare", "format_report", "longest_copied_run", "measure", "prediction"]
SYSTEMS = {  # name -> how its solos are made
    "source": "the source's own melody line: windows of N values (pitches as written)",
    "T=0": "our LSTM, argmax, state carried through the solo",
    "T=0.5": "our LSTM sampled at temperature 0.5",
    "T=1": "our LSTM sampled at temperature 1 (its own probabilities)",
    "course": "the course: argmax, zero state again every bar's worth of values",
    "random": "values drawn uniformly from the vocabulary",
    "bigram": "a bigram (Markov) chain of values fitted on the training part",
}


@dataclass(frozen=True)
class Solo:
    """A line to measure: notes and rests timed on one axis, the values they came from, the bars under them."""

    notes: tuple[Note, ...]  # offsets from the first bar line of `measures` (looped as long as needed)
    values: tuple[str, ...]
    measures: tuple[Measure, ...]


# --- held-out prediction: see jazz_core.scoring -------------------------------------------------

def training_part(bundle: Bundle) -> list[int]:
    """The training block as indices, pieces one after another (what the bigram chain is fitted on)."""
    return [i for a, b in bundle_split(bundle).train for i in bundle.vocabulary.encode(bundle.corpus[a:b]).tolist()]


# --- measuring a solo -----------------------------------------------------------------------

def split_bars(solo: Solo) -> tuple[list[list[Note]], list[float]]:
    """The solo's notes and rests bar by bar (offsets inside the bar), first bar to last, and the bars' lengths."""
    if not solo.notes:
        return [], []
    timeline = Timeline(solo.measures)
    first = timeline.locate(solo.notes[0].offset)[0]
    end = max(n.offset + n.duration for n in solo.notes)
    bars: list[list[Note]] = [[] for _ in range(timeline.locate(snap(end - 1 / GRID))[0] - first + 1)]
    for note in solo.notes:
        index, offset = timeline.locate(note.offset)
        bars[index - first].append(Note(offset, note.duration, note.pitch, note.kind))
    count = len(timeline.measures)
    return bars, [timeline.measures[(first + i) % count].length for i in range(len(bars))]


def measure(solo: Solo, corpus: Sequence[str]) -> dict[str, float | None]:
    """Every metric of METRICS for one solo; `corpus` is what originality is judged against."""
    bars, lengths = split_bars(solo)
    pitch_bars = [[n.pitch for n in bar if n.pitch is not None] for bar in bars]
    pitches = [p for bar in pitch_bars for p in bar]
    onsets = [{round(n.offset * GRID) for n in bar if n.pitch is not None} for bar in bars]
    return {
        "H1": pitch_class_entropy(pitch_bars, 1),
        "H4": pitch_class_entropy(pitch_bars, 4),
        "GS": grooving_similarity(onsets, [round(length * GRID) for length in lengths]),
        "chord_tones": chord_tone_ratio(solo.notes, Timeline(solo.measures)),
        **type_shares(solo.values),
        "notes_per_bar": notes_per_bar(pitch_bars),
        "pitch_range": pitch_range(pitches),
        "repeated_notes": repeated_note_share(pitches),
        "interval_4grams": distinct_ngram_ratio([b - a for a, b in pairwise(pitches)]),
        "value_4grams": distinct_ngram_ratio(solo.values),  # near 1 in any free take: the window rarely repeats
        "role_4grams": distinct_ngram_ratio(value_types(solo.values)),  # moves with temperature
        "bar_repeats": bar_repeat_share(bars),
        "longest_copy": longest_copied_run(solo.values, corpus),
    }


# --- the solos compared ---------------------------------------------------------------------

def window_starts(total: int, length: int, count: int) -> list[int]:
    """Up to `count` distinct starts of windows of `length` in `total` items, evenly spread from the beginning."""
    last = max(total - length, 0)
    if count <= 1 or last == 0:
        return [0]
    return sorted({round(i * last / (count - 1)) for i in range(count)})


def source_line(pieces: Sequence[Piece]) -> Solo:
    """The pieces' melody line, one note or rest per value, on one time axis over all their bars."""
    notes: list[Note] = []
    values: list[str] = []
    start = 0.0
    for piece in pieces:
        piece_notes, piece_values = _piece_line(piece)
        for note, value in zip(piece_notes, piece_values, strict=True):
            notes.append(Note(snap(start + note.offset), note.duration, note.pitch, value.split(",", 1)[0]))
        values += piece_values
        start = snap(start + sum(m.length for m in piece.measures))
    return Solo(tuple(notes), tuple(values), tuple(m for piece in pieces for m in piece.measures))


def _piece_line(piece: Piece) -> tuple[list[Note], list[str]]:
    """A piece's melody line and its values; one note per value when its reading fixed the values (the course's)."""
    if not piece.values:
        return melody_line(piece.measures), encode_measures(piece.measures)
    notes, start = [], 0.0
    for measure in piece.measures:
        notes += [Note(snap(start + n.offset), n.duration, n.pitch) for n in measure.notes]
        start = snap(start + measure.length)
    return notes, list(piece.values)


def source_solos(line: Solo, length: int, count: int) -> list[Solo]:
    """Up to `count` windows of `length` values of the source's melody line (see `source_line`), evenly spread."""
    return [Solo(line.notes[s:s + length], line.values[s:s + length], line.measures)
            for s in window_starts(len(line.values), length, count)]


def corpus_solos(bundle: Bundle, length: int, count: int) -> list[Solo]:
    """Windows of the bundle's corpus values decoded in place over its chords (when the score itself is not at hand)."""
    solos = []
    for seed, s in enumerate(window_starts(len(bundle.corpus), length, count), start=1):
        start = sum(parse_value(v)[1] for v in bundle.corpus[:s])
        values = bundle.corpus[s:s + length]
        solos.append(Solo(tuple(decode_values(values, bundle.progression, seed=seed, start=start)), values,
                          bundle.progression))
    return solos


def played(bundle: Bundle, values: Sequence[str], seed: int, start: float = 0.0) -> Solo:
    """Values played over the bundle's chords from `start` (quarters), as `pipeline.generate` plays them from 0."""
    notes = decode_values(values, bundle.progression, seed=seed, start=start)
    return Solo(tuple(notes), tuple(values), bundle.progression)


def lstm_values(bundle: Bundle, length: int, temperature: float, seed: int, restart_every: int | None = None):
    """Values sampled from the bundle's LSTM (NumPy), optionally restarted from zero state as the course did."""
    if restart_every and bundle.family == "course":
        return bundle.vocabulary.decode(sample_indices(bundle.weights, length, temperature, seed, restart_every))
    return bundle.vocabulary.decode(sample_values(bundle.weights, bundle.vocabulary, bundle.corpus,
                                                  bundle.progression, length, temperature, seed))


def random_values(bundle: Bundle, length: int, seed: int) -> list[str]:
    """Values drawn uniformly and independently from the vocabulary."""
    rng = np.random.default_rng(seed)
    return bundle.vocabulary.decode(rng.integers(0, len(bundle.vocabulary), size=length))


def bigram_values(bundle: Bundle, length: int, seed: int) -> list[str]:
    """A Markov chain over values with the training part's bigram frequencies (unsmoothed; unigram where unseen)."""
    train = training_part(bundle)
    rng = np.random.default_rng(seed)
    following: dict[int, list[int]] = defaultdict(list)
    for a, b in pairwise(train):
        following[a].append(b)
    chosen = [train[int(rng.integers(len(train)))]]
    while len(chosen) < length:
        options = following.get(chosen[-1]) or train
        chosen.append(options[int(rng.integers(len(options)))])
    return bundle.vocabulary.decode(chosen[:length])


def values_per_bar(bundle: Bundle) -> int:
    """The corpus' mean number of values per bar, rounded: how often the course's sampling starts again."""
    return max(1, round(len(bundle.corpus) / max(len(bundle.progression), 1)))


def system_solo(bundle: Bundle, name: str, length: int, seed: int, start: float = 0.0) -> Solo:
    """One solo of a compared system (all but the source) for one seed, played from `start` in the progression."""
    if name == "course":
        values = lstm_values(bundle, length, 0.0, seed, values_per_bar(bundle))
    elif name.startswith("T="):
        values = lstm_values(bundle, length, float(name[2:]), seed)
    elif name == "random":
        values = random_values(bundle, length, seed)
    else:
        values = bigram_values(bundle, length, seed)
    return played(bundle, values, seed, start)


def summarize(samples: Sequence[dict[str, float | None]]) -> dict[str, dict[str, float] | None]:
    """Per metric: mean, standard deviation, min and max over the samples (None when no sample has it)."""
    summary: dict[str, dict[str, float] | None] = {}
    for key in samples[0]:
        found = np.array([s[key] for s in samples if s[key] is not None], dtype=np.float64)
        summary[key] = None if not found.size else {
            "mean": float(found.mean()), "std": float(found.std()), "min": float(found.min()),
            "max": float(found.max()), "n": int(found.size)}
    return summary


def distance_to_source(summaries: dict[str, dict[str, dict | None]]) -> dict[str, float | None]:
    """Per system: mean over metrics but originality of |its mean - the source's| / (range of all systems' means).

    The note-role variety came after the distances in docs/quality.md were published: it is left out so they
    still compare."""
    gaps: dict[str, list[float]] = {name: [] for name in summaries}
    for key in summaries["source"]:
        means = {name: (metrics[key] or {}).get("mean") for name, metrics in summaries.items()}
        known = [m for m in means.values() if m is not None]
        if key in ("longest_copy", "role_4grams") or None in means.values() or max(known) == min(known):
            continue
        for name, mean in means.items():
            gaps[name].append(abs(mean - means["source"]) / (max(known) - min(known)))
    return {name: float(np.mean(found)) if found else None for name, found in gaps.items()}


def check_comparison(values: int, seeds: int) -> None:
    """Refuse a comparison too large to run (it costs values x seeds x systems); values are capped in compare."""
    if values < 1 or not 1 <= seeds <= MAX_COMPARED_SEEDS:
        raise SettingsError(f"values and seeds must be at least 1, and seeds at most {MAX_COMPARED_SEEDS}, "
                            f"not {values} and {seeds}")


def compare(bundle: Bundle, pieces: Sequence[Piece] | None = None, values: int = 200, seeds: int = 5,
            held_out: Sequence[Piece] | None = None) -> dict:
    """Measure the source and each of SYSTEMS over the bundle's chords, N values, several seeds: plain data.

    `pieces` are the scores the bundle learned from (their melody is measured as written); without
    them the source is the bundle's corpus values decoded over its chords. N is capped at the
    corpus length so the source can be measured at the same length. The source gives up to `seeds`
    windows spread over it; seed k of every other system is played from where window k starts,
    so each is measured over the same bars (and bar lengths) as the source.
    """
    check_comparison(values, seeds)
    if not bundle.corpus:
        raise BadBundleError("This model bundle keeps no training values to compare with; train it again.")
    length = min(values, len(bundle.corpus), MAX_VALUES)
    line = source_line(pieces) if pieces else None
    solos = {"source": corpus_solos(bundle, length, seeds) if line is None else source_solos(line, length, seeds)}
    starts = [solo.notes[0].offset for solo in solos["source"]]  # each seed plays over the same bars as a window
    for name in list(SYSTEMS)[1:]:
        solos[name] = [system_solo(bundle, name, length, seed, starts[(seed - 1) % len(starts)])
                       for seed in range(1, seeds + 1)]
    summaries = {name: summarize([measure(solo, bundle.corpus) for solo in group]) for name, group in solos.items()}
    distances = distance_to_source(summaries)
    systems = {name: {"description": SYSTEMS[name], "samples": len(solos[name]), "metrics": summaries[name],
                      "distance_to_source": distances[name]} for name in solos}
    return {"title": bundle.title, "values": length, "values_asked": values, "seeds": seeds,
            "values_per_bar": values_per_bar(bundle), "bars": len(bundle.progression),
            "source": "the score's melody as written" if pieces else "the corpus values decoded over the chords",
            "source_matches_bundle": line is not None and line.values == tuple(bundle.corpus),
            "metrics": dict(METRICS), "systems": systems,
            "prediction": prediction(bundle, held_out)}
