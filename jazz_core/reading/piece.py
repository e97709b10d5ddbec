"""A RawScore into a Piece: the chosen melody cut into measures over its harmony."""

from __future__ import annotations

from bisect import bisect_right

from jazz_core.music import Measure, Note, Piece, snap
from jazz_core.reading.harmony import (
    Accompaniment,
    chord_from_melody,
    chords_from_symbols,
    chords_from_tracks,
    fill_missing_chords,
)
from jazz_core.reading.parts import choose_melody, describe_track, why_melody
from jazz_core.reading.raw import RawScore, in_four, is_free_meter
from jazz_core.reading.voices import is_polyphonic, split_voices

FREE_METER_NOTE = "free meter: grouped into 4/4 bars"


def build_piece(raw: RawScore, melody: int | str | None = None) -> Piece:
    """Measures of the melody over its harmony: chord symbols, else the accompaniment, else inferred.

    A polyphonic part with no other part to accompany it (a piano or guitar arrangement) is split into
    its top line, learnt as the melody, and the voices under it, from which the chords are recognised.
    """
    free = is_free_meter(raw)
    raw = in_four(raw) if free else raw
    index = choose_melody(raw.tracks, melody)
    solo = raw.tracks[index]
    others = [t for i, t in enumerate(raw.tracks) if i != index and not t.is_drum and t.notes]
    split = not others and is_polyphonic(solo)
    if split:
        solo, lower = split_voices(solo)
        others = [lower] if lower.notes else []
    accompaniment = Accompaniment(others)
    steps = accompaniment.steps(raw.bars) if others and not raw.chord_symbols else "bar"
    measures = []
    meters = raw.bar_meters or ("",) * len(raw.bars)
    for (start, length), meter, bar_notes in zip(raw.bars, meters, _by_bar(solo.notes, raw.bars), strict=True):
        notes = tuple(Note(snap(o - start), d, p) for o, d, p in bar_notes)
        if raw.chord_symbols:
            chords = chords_from_symbols(raw.chord_symbols, start, length)
        elif others:
            chords = chords_from_tracks(accompaniment, start, length, steps)
        else:
            chords = chord_from_melody(list(notes))
        measures.append(Measure(length, notes, tuple(chords), meter))
    measures = fill_missing_chords(_trim_silence(measures))
    harmony = _harmony_origin(raw, others, steps, split)
    origin = f"melody: {_melody_origin(raw, index, melody, split)}; harmony: {harmony}"
    if free:
        origin += f"; {FREE_METER_NOTE}"
    return Piece(raw.title, tuple(measures), raw.tempo_bpm, origin)


def _melody_origin(raw: RawScore, index: int, melody: int | str | None, split: bool) -> str:
    solo = raw.tracks[index]
    how = f"chosen by you: {describe_track(solo)}" if melody is not None else \
        f"the most solo-like part: {why_melody(raw.tracks, index)}"
    top = "the top line of " if split else ""
    return f"{top}part {index} ({solo.name}; {how})"


def _harmony_origin(raw: RawScore, others: list, steps: str, split: bool) -> str:
    if raw.chord_symbols:
        return "chord symbols"
    if not others:
        return "inferred from the melody, one chord a bar"
    where = "the lower voices of the same part" if split else "the accompaniment"
    size = {"bar": "a chord a bar", "half": "a chord each half bar", "beat": "a chord each beat"}[steps]
    return f"{where}, recognised as chord symbols ({size}, as fast as the harmony moves)"


def _by_bar(notes, bars) -> list[list[tuple[float, float, int]]]:
    """The notes that start in each bar, found by bisection rather than a scan per bar."""
    starts = [start for start, _ in bars]
    buckets: list[list[tuple[float, float, int]]] = [[] for _ in bars]
    for note in notes:
        index = bisect_right(starts, note[0] + 1e-9) - 1
        if 0 <= index < len(bars) and note[0] < bars[index][0] + bars[index][1]:
            buckets[index].append(note)
    return buckets


def _trim_silence(measures: list[Measure]) -> list[Measure]:
    """Drop empty bars before the first note and after the last one."""
    played = [i for i, m in enumerate(measures) if m.notes]
    return measures[played[0]: played[-1] + 1] if played else []
