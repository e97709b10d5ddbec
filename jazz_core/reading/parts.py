"""Choosing the melody: which part of a score is the solo line to learn from."""

from __future__ import annotations

from jazz_core.errors import BadScoreError
from jazz_core.music import pitch_name
from jazz_core.reading.raw import Track


def is_placeholder(track: Track) -> bool:
    """A chord chart's slashes: many notes on one or two pitches only, so no melody at all."""
    return not track.is_drum and len(track.notes) >= 8 and len({p for _, _, p in track.notes}) <= 2


def _melody_score(track: Track) -> float:
    """How much a track looks like a solo line: many notes, one at a time, in a solo register."""
    if track.is_drum or not track.notes or is_placeholder(track):
        return -1.0
    onsets = {o for o, _, _ in track.notes}
    monophony = len(onsets) / len(track.notes)
    mean_pitch = sum(p for _, _, p in track.notes) / len(track.notes)
    register = 1.0 if 55 <= mean_pitch <= 84 else 0.4
    return len(onsets) * monophony * register


def describe_track(track: Track) -> str:
    """Why a track does or does not sound like a melody, in a few words."""
    if track.is_drum:
        return "drums"
    if not track.notes:
        return "no notes"
    if is_placeholder(track):
        return "placeholder notes only (one or two pitches repeated, like a chord chart's slashes)"
    onsets = {o for o, _, _ in track.notes}
    mean = round(sum(p for _, _, p in track.notes) / len(track.notes))
    return (f"{len(track.notes)} notes, {100 * len(onsets) // len(track.notes)}% one at a time, "
            f"around {pitch_name(mean)}")


def choose_melody(tracks: tuple[Track, ...], melody: int | str | None = None) -> int:
    """Index of the melody track: the caller's choice (index or name), else the most solo-like track."""
    if isinstance(melody, int):
        if not 0 <= melody < len(tracks):
            raise BadScoreError(f"There is no part {melody}: this score has parts 0 to {len(tracks) - 1}.")
        return melody
    if isinstance(melody, str):
        for index, track in enumerate(tracks):
            if track.name.lower() == melody.lower():
                return index
        raise BadScoreError(f"There is no part named {melody!r}; the parts are: "
                            + ", ".join(t.name for t in tracks) + ".")
    scores = [_melody_score(t) for t in tracks]
    if not scores or max(scores) <= 0:
        if any(is_placeholder(t) for t in tracks):
            raise BadScoreError("This is a chord chart: its only notes are placeholders (slashes on one pitch), "
                                "so there is no melody to learn from. Choose a file with a written melody or solo.")
        raise BadScoreError("This score has no pitched notes to learn from (it is empty or drums only). "
                            "Choose a file with a melody.")
    return scores.index(max(scores))
