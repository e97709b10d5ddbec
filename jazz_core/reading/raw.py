"""What a file holds before any musical choice: tracks of timed notes, chord symbols, bar lines.

Both readers (`midi.py`, `music21.py`) produce a `RawScore`; `parts.py` and `harmony.py` choose
from it. Times are quarter notes, quantised to the course's grid of sixteenths and triplets.
"""

from __future__ import annotations

from dataclasses import dataclass

from jazz_core.errors import BadScoreError
from jazz_core.music import snap

MAX_SCORE_BYTES = 20_000_000  # larger uploads are refused before parsing
MAX_BARS = 4000  # a score longer than this (about three hours of 4/4 at 120 bpm) is refused
MAX_NOTE_QUARTERS = 64.0  # a note held longer (a stuck note, a billion-tick note) is cut to this
MAX_BAR_QUARTERS = 64.0  # a longer bar (a time signature of 255/1, a measure of 10^9 quarters) is refused
MAX_NOTES = 400_000  # notes in all parts of a score (4000 bars of a dense band)
MIN_TEMPO, MAX_TEMPO = 20.0, 400.0  # the playback tempo range the settings allow; a marking outside is clamped


@dataclass(frozen=True)
class Track:
    """One part of a score as timed notes: (offset, duration, pitch) in quarter notes."""

    name: str
    notes: tuple[tuple[float, float, int], ...]
    is_drum: bool = False
    program: int | None = None


@dataclass(frozen=True)
class RawScore:
    """What a file holds, before choosing melody and harmony."""

    title: str
    tracks: tuple[Track, ...]
    bars: tuple[tuple[float, float], ...]  # (start, length) of every bar, in quarters
    chord_symbols: tuple[tuple[float, tuple[int, ...], str], ...] = ()  # (offset, pitches, figure)
    tempo_bpm: float = 120.0  # the first tempo: the one used for playback
    meters: tuple[str, ...] = ()  # every time signature, in order, e.g. ("4/4", "3/4")
    tempos: tuple[float, ...] = ()  # every tempo marking in bpm, in order
    off_grid: float = 0.0  # share of onsets that were off the grid before quantising (a live performance: high)
    bar_meters: tuple[str, ...] = ()  # the time signature of each bar (as `bars`), when the file says


def meters_of_bars(changes: list[tuple[float, str]], bars) -> tuple[str, ...]:
    """Each bar's time signature, from the changes as (start in quarters, 'n/d'): the last one at or before it."""
    names, index = [], 0
    for start, _ in bars:
        while index + 1 < len(changes) and changes[index + 1][0] <= start + 1e-9:
            index += 1
        names.append(changes[index][1] if changes else "")
    return tuple(names)


FREE_METER_BAR = 1.0  # quarters: bars this short throughout are a free-meter transcription (WJazzD's 1/4)


def is_free_meter(raw: RawScore) -> bool:
    """Most bars a beat long or less: the file has no real meter (a free-meter solo written in 1/4)."""
    short = sum(length <= FREE_METER_BAR + 1e-9 for _, length in raw.bars)
    return bool(raw.bars) and short > len(raw.bars) / 2


def in_four(raw: RawScore) -> RawScore:
    """A free-meter score grouped into 4/4 bars from its first bar line, so a chord lasts a bar, not a beat."""
    first = raw.bars[0][0]
    end = max((o + d for t in raw.tracks for o, d, _ in t.notes), default=first)
    bars = tuple((snap(first + start), length) for start, length in bar_lines([(0.0, 4.0)], max(end - first, 4.0)))
    return RawScore(raw.title, raw.tracks, bars, raw.chord_symbols, raw.tempo_bpm, raw.meters, raw.tempos,
                    raw.off_grid, ("4/4",) * len(bars))


OFF_GRID = 1 / 24  # quarters: an onset farther than this from the grid was played, not written (20 ms at 120 bpm)


def off_grid_share(onsets: list[float]) -> float:
    """The share of onsets (in quarters, before quantising) farther than OFF_GRID from the course's grid."""
    return sum(abs(o - quantize(o)) > OFF_GRID for o in onsets) / len(onsets) if onsets else 0.0


def quantize(quarters: float) -> float:
    """Nearest multiple of 1/4 or 1/3 of a quarter, whichever is closer (the course's grid; a tie goes to 1/4)."""
    sixteenth, triplet = round(quarters * 4) / 4, round(quarters * 3) / 3
    return snap(sixteenth if abs(sixteenth - quarters) <= abs(triplet - quarters) + 1e-9 else triplet)


def one_line(error: object, most: int = 160) -> str:
    """A library's error message as one short line, to quote inside our own sentence."""
    text = " ".join(str(error).split())
    return text if len(text) <= most else text[: most - 3] + "..."


def playback_tempo(bpm: float) -> float:
    """A score's tempo marking brought into the range playback allows (the preflight warns when it had to)."""
    return min(max(bpm, MIN_TEMPO), MAX_TEMPO) if bpm == bpm else 120.0


def check_size(bar_lengths, notes: int) -> None:
    """Refuse, with the cap in the sentence, bars too long or too many notes (the same caps for every format)."""
    longest = max(bar_lengths, default=0.0)
    if longest > MAX_BAR_QUARTERS:
        raise BadScoreError(f"This score has a bar of {longest:g} quarter notes; bars of at most "
                            f"{MAX_BAR_QUARTERS:g} can be read. Check its time signatures.")
    if notes > MAX_NOTES:
        raise BadScoreError(f"This score holds {notes:,} notes; at most {MAX_NOTES:,} can be read. "
                            "Split it into shorter files, or keep only the parts you want to learn from.")


def bar_lines(meters: list[tuple[float, float]], end: float) -> tuple[tuple[float, float], ...]:
    """Bar lines from meter changes (start in quarters, bar length) up to `end`."""
    shortest = min(length for _, length in meters if length > 0) if any(m[1] > 0 for m in meters) else 4.0
    if end / shortest > MAX_BARS:
        raise BadScoreError(f"This score runs for more than {MAX_BARS} bars; split it into shorter files.")
    meters = [(tick, length if length > 0 else 4.0) for tick, length in meters]
    check_size([length for _, length in meters], 0)
    bars, start = [], 0.0
    meter_index, length = 0, meters[0][1]
    while start < end:
        while meter_index + 1 < len(meters) and meters[meter_index + 1][0] <= start + 1e-9:
            meter_index += 1
            length = meters[meter_index][1]
        bars.append((snap(start), snap(length)))
        start += length
    return tuple(bars)
