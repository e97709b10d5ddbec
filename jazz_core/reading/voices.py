"""Voice separation for one-track polyphony: a piano or guitar part's top line, and the voices under it.

A skyline with continuity: at each onset the highest note is the melody's, unless it is the left
hand playing while the melody rests or holds (lower than a melody note still sounding, or more
than an octave under the last melody note and in the part's lower half). Everything else is
accompaniment, and the harmony is recognised from it.
"""

from __future__ import annotations

from statistics import median

from jazz_core.reading.raw import Track

POLYPHONIC = 0.9  # a part with fewer onsets than this share of its notes plays several voices at once
LEAP_LIMIT = 12  # semitones under the last melody note beyond which a lower top note is the accompaniment's


def is_polyphonic(track: Track) -> bool:
    """More than one note at a time often enough to be several voices, not a line with a few double stops."""
    return bool(track.notes) and len({o for o, _, _ in track.notes}) < POLYPHONIC * len(track.notes)


def _tops(track: Track) -> list[tuple[float, float, int]]:
    """The highest note starting at each onset, in time order."""
    top: dict[float, tuple[float, float, int]] = {}
    for note in track.notes:
        if note[0] not in top or note[2] > top[note[0]][2]:
            top[note[0]] = note
    return [top[o] for o in sorted(top)]


def split_voices(track: Track) -> tuple[Track, Track]:
    """(top line, the rest) of a polyphonic part; the rest keeps the part's name with ' (lower voices)'."""
    middle = median(p for _, _, p in track.notes)
    line: list[tuple[float, float, int]] = []
    for note in _tops(track):
        if line:
            offset, duration, pitch = line[-1]
            held = offset + duration > note[0] + 1e-9 and note[2] < pitch
            dropped = note[2] < pitch - LEAP_LIMIT and note[2] < middle
            if held or dropped:
                continue
        line.append(note)
    chosen = set(line)
    rest = tuple(n for n in track.notes if n not in chosen)
    return (Track(track.name, tuple(line), track.is_drum, track.program),
            Track(f"{track.name} (lower voices)", rest, track.is_drum, track.program))
