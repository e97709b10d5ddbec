"""Choosing the melody: which part of a score is the solo line to learn from, and why.

A musician looks at the part's name and instrument first (a "Solo/Trumpet" track is the tune, a
"Comp Piano" or a bass is not), then at the notes: one at a time, in a solo register, with
varied pitches and little literal repetition (a riff of four pitches is accompaniment however
busy it is). Each signal multiplies a base score; `melody_reasons` says which ones decided.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jazz_core.errors import BadScoreError
from jazz_core.music import pitch_name
from jazz_core.reading.raw import Track

ROLE_WORDS = (  # in a part's name: this is the tune (English, German, French, Italian, Spanish, Portuguese)
    "melody", "lead", "solo", "vocal", "voice", "tune", "head", "theme", "sing", "melodie", "mélodie", "melodia",
    "melodía", "stimme", "gesang", "thema", "voix", "chant", "canto", "voz", "tema",
)
HORN_WORDS = (  # in a part's name: an instrument that usually plays lines
    "sax", "trumpet", "trombone", "cornet", "flugel", "flute", "clarinet", "violin", "whistle", "saxo", "trompet",
    "tromba", "tromb", "flöte", "flauta", "flauto", "klarinette", "clarinete", "clarinette", "violon", "geige",
)
ACCOMPANIMENT_WORDS = (  # in a part's name: this plays under the tune
    "bass", "comp", "chord", "pad", "accomp", "rhythm", "backing", "strings", "harmony", "begleit", "basse",
    "basso", "bajo", "baixo", "akkord", "accord", "acorde", "accordi", "drum", "perc", "click",
)
# General MIDI families (program // 8): how likely each carries a tune, 1.0 for no opinion
_FAMILY_WEIGHT = (1.0, 0.8, 0.8, 1.0, 0.25, 0.8, 0.8, 1.5, 1.5, 1.5, 1.5, 0.3, 0.3, 1.0, 0.3, 0.1)
_VOICE_PROGRAMS = range(52, 55)  # choir aahs, voice oohs, synth voice: sung lines
RIFF_PITCHES = 4  # a part on this many pitches or fewer is a riff or a pedal, not a tune


@dataclass(frozen=True)
class Signals:
    """What a part's name, instrument and notes say about it being the melody (multipliers, 1.0 = neutral)."""

    name: float  # a role word in the name (melody, solo, Stimme...) or an accompaniment word (bass, comp...)
    instrument: float  # a horn's name, else the General MIDI family of the program
    variety: float  # distinct pitches: a riff of RIFF_PITCHES or fewer is accompaniment
    repetition: float  # literal repetition of four-note figures
    base: float  # how many notes one at a time, in a solo register

    @property
    def score(self) -> float:
        return self.base * self.name * self.instrument * self.variety * self.repetition


def is_placeholder(track: Track) -> bool:
    """A chord chart's slashes: many notes on one or two pitches only, so no melody at all."""
    return not track.is_drum and len(track.notes) >= 8 and len({p for _, _, p in track.notes}) <= 2


def _name_weight(name: str) -> float:
    words = name.lower()
    if any(word in words for word in ROLE_WORDS):
        return 4.0
    return 0.3 if any(word in words for word in ACCOMPANIMENT_WORDS) else 1.0


def _instrument_weight(name: str, program: int | None) -> float:
    if any(word in name.lower() for word in HORN_WORDS):
        return 1.5
    if program is None:
        return 1.0
    return 1.5 if program in _VOICE_PROGRAMS else _FAMILY_WEIGHT[program // 8]


def _repetition_weight(pitches: list[int]) -> float:
    """1.0 for a line whose four-note figures are mostly new; down to 0.1 for one figure played over and over."""
    figures = [tuple(pitches[i:i + 4]) for i in range(len(pitches) - 3)]
    if len(figures) < 8:
        return 1.0
    new = len(set(figures)) / len(figures)
    return max(0.1, min(1.0, 3 * new))


def signals(track: Track) -> Signals | None:
    """The signals for a part that could carry a tune; None for drums, empty parts and placeholders."""
    if track.is_drum or not track.notes or is_placeholder(track):
        return None
    onsets = sorted({o for o, _, _ in track.notes})
    monophony = len(onsets) / len(track.notes)
    mean_pitch = sum(p for _, _, p in track.notes) / len(track.notes)
    register = 1.0 if 55 <= mean_pitch <= 84 else 0.4
    top = {}
    for offset, _, pitch in track.notes:
        top[offset] = max(pitch, top.get(offset, pitch))
    line = [top[o] for o in onsets]
    variety = 0.15 if len(set(line)) <= RIFF_PITCHES else 1.0
    base = math.sqrt(len(onsets)) * monophony * register
    return Signals(_name_weight(track.name), _instrument_weight(track.name, track.program), variety,
                   _repetition_weight(line), base)


def melody_reasons(track: Track) -> list[str]:
    """The signals that speak for or against a part, in words, strongest first."""
    found = signals(track)
    if found is None:
        return [describe_track(track)]
    reasons = []
    if found.name > 1:
        reasons.append("named like a melody part")
    elif found.name < 1:
        reasons.append("named like an accompaniment part")
    if found.instrument != 1.0:
        reasons.append("a melody instrument" if found.instrument > 1 else "an accompaniment instrument")
    if found.variety < 1:
        reasons.append(f"only {RIFF_PITCHES} pitches or fewer (a riff)")
    if found.repetition < 0.5:
        reasons.append("one figure repeated over and over")
    return [*reasons, describe_track(track)]


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


def _by_name(tracks: tuple[Track, ...], melody: str) -> int:
    """The one part called `melody` (exactly, else containing it, ignoring case); several is an error naming them."""
    wanted = melody.strip().lower()
    exact = [i for i, t in enumerate(tracks) if t.name.strip().lower() == wanted]
    matching = exact or [i for i, t in enumerate(tracks) if wanted and wanted in t.name.lower()]
    if len(matching) == 1:
        return matching[0]
    if matching:
        listed = ", ".join(f"part {i} ({tracks[i].name})" for i in matching)
        raise BadScoreError(f"Several parts are named {melody!r}: {listed}. Choose one by its number, "
                            f"e.g. --melody {matching[0]}.")
    raise BadScoreError(f"There is no part named {melody!r}; the parts are: "
                        + ", ".join(t.name for t in tracks) + ".")


def choose_melody(tracks: tuple[Track, ...], melody: int | str | None = None) -> int:
    """Index of the melody track: the caller's choice (index or name), else the most solo-like track."""
    if isinstance(melody, int):
        if not 0 <= melody < len(tracks):
            raise BadScoreError(f"There is no part {melody}: this score has parts 0 to {len(tracks) - 1}.")
        return melody
    if isinstance(melody, str):
        return _by_name(tracks, melody)
    scores = [s.score if (s := signals(t)) else -1.0 for t in tracks]
    if not scores or max(scores) <= 0:
        if any(is_placeholder(t) for t in tracks):
            raise BadScoreError("This is a chord chart: its only notes are placeholders (slashes on one pitch), "
                                "so there is no melody to learn from. Choose a file with a written melody or solo.")
        raise BadScoreError("This score has no pitched notes to learn from (it is empty or drums only). "
                            "Choose a file with a melody.")
    return scores.index(max(scores))


def why_melody(tracks: tuple[Track, ...], index: int) -> str:
    """Which signals decided: the chosen part's, and the runner-up's when there is one."""
    scores = [s.score if (s := signals(t)) else -1.0 for t in tracks]
    text = "; ".join(melody_reasons(tracks[index]))
    others = [i for i, s in enumerate(scores) if i != index and s > 0]
    if others:
        runner = max(others, key=lambda i: scores[i])
        text += f"; over part {runner} ({tracks[runner].name}: {'; '.join(melody_reasons(tracks[runner]))})"
    return text
