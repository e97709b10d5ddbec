"""Feel: swing, accents and a little humanisation, applied to timed notes when the MIDI is written.

Swing warps time inside each beat: the first eighth of a pair grows to `ratio` times the
second (light 3:2, medium 2:1 as in a triplet, hard 3:1), so an off-beat eighth lands later
and a note on the beat stays put. Accents lean on the off-beats, as jazz phrasing does.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

SWING_RATIOS = {"straight": 1.0, "light": 1.5, "medium": 2.0, "hard": 3.0}


@dataclass(frozen=True)
class Event:
    """A note to write: start and end in quarter notes, MIDI pitch and velocity."""

    start: float
    end: float
    pitch: int
    velocity: int


def swing_time(time: float, ratio: float) -> float:
    """Where a time (in quarters) lands under swing: off-beat eighths move to ratio/(1+ratio) of the beat."""
    if ratio == 1.0:
        return time
    beat = math.floor(time + 1e-9)
    fraction = time - beat
    split = ratio / (1.0 + ratio)
    if fraction <= 0.5:
        return beat + fraction * split / 0.5
    return beat + split + (fraction - 0.5) * (1.0 - split) / 0.5


def accent(start: float, base: int) -> int:
    """Velocity with jazz accents: off-beat eighths a little louder, the rest as given."""
    fraction = start - math.floor(start + 1e-9)
    return min(127, base + 8) if abs(fraction - 0.5) < 1e-6 else base


def perform(events: list[Event], swing: str = "straight", accents: bool = True, humanize: bool = False,
            seed: int = 0) -> list[Event]:
    """Apply swing, accents and (seeded) humanisation: timing within ±1/96 quarter, velocity within ±6.

    Each note's variation depends only on the seed, its place and its pitch, so changing one bar
    (a re-roll) leaves the performance of every other bar exactly as it was.
    """
    ratio = SWING_RATIOS[swing]
    performed = []
    for event in events:
        start, end = swing_time(event.start, ratio), swing_time(event.end, ratio)
        velocity = accent(event.start, event.velocity) if accents else event.velocity
        if humanize:
            rng = random.Random((seed * 1_000_003 + round(event.start * 48)) * 131 + event.pitch)
            shift = rng.uniform(-1 / 96, 1 / 96)
            start, end = max(0.0, start + shift), max(start + 1 / 48, end + shift)
            velocity += rng.randint(-6, 6)
        performed.append(Event(start, end, event.pitch, max(1, min(127, velocity))))
    return performed
