"""The rhythm section: a walking bass, a ride cymbal with hi-hat on 2 and 4, and comping in a jazz voicing.

Each part is a list of timed events built from the chord progression alone, so it plays under
any solo, and each goes on its own MIDI track.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from jazz_core.feel import Event
from jazz_core.grammar import chord_root
from jazz_core.progression import ChordSpan

BASS_RANGE = (28, 52)  # E1 to E3: the double bass's walking register
RIDE, PEDAL_HI_HAT = 51, 44  # General MIDI drum notes


def _nearest(pitch_class: int, target: int, low: int, high: int) -> int:
    candidates = [p for p in range(low, high + 1) if p % 12 == pitch_class]
    return min(candidates, key=lambda p: abs(p - target))


def walking_bass(spans: Sequence[ChordSpan], seed: int = 0) -> list[Event]:
    """One note per beat: the root on a chord's first beat, chord tones after, a half-step approach before a change."""
    rng = random.Random(seed)
    low, high = BASS_RANGE
    events, previous = [], 40
    for index, (start, end, chord) in enumerate(spans):
        root = chord_root(chord.pitches)
        tones = sorted(chord.pitch_classes)
        following = spans[index + 1].chord.pitches if index + 1 < len(spans) else chord.pitches
        beats = max(1, round(end - start))
        for beat in range(beats):
            if beat == 0:
                pitch = _nearest(root, previous, low, high)
            elif beat == beats - 1:
                target = _nearest(chord_root(following), previous, low + 1, high - 1)
                pitch = target + rng.choice((-1, 1))
            else:
                choices = [_nearest(t, previous, low, high) for t in tones if t != previous % 12]
                pitch = min(choices, key=lambda p: abs(p - previous) + rng.random())
            events.append(Event(start + beat, start + beat + 0.95, pitch, 88))
            previous = pitch
    return events


def ride_pattern(until: float) -> list[Event]:
    """Ding, ding-a-ding: the ride on every beat and on the off-beat of 2 and 4; the hi-hat pedal on 2 and 4."""
    events, beat = [], 0
    while beat < until:
        events.append(Event(beat, beat + 0.5, RIDE, 72 if beat % 2 else 64))
        if beat % 2 == 1:
            events.append(Event(beat + 0.5, beat + 1.0, RIDE, 56))
            events.append(Event(beat, beat + 0.5, PEDAL_HI_HAT, 64))
        beat += 1
    return events


def rootless_voicing(pitches: Sequence[int], low: int = 50, high: int = 67) -> list[int]:
    """Third, seventh (or sixth) and ninth (flat fifth on diminished chords), without the root, mid-register."""
    root = chord_root(pitches)
    intervals = {(p - root) % 12 for p in pitches}
    third = 3 if 3 in intervals and 4 not in intervals else 4 if 4 in intervals else 5
    seventh = next((i for i in (10, 11, 9) if i in intervals), 10)
    colour = 6 if {3, 6} <= intervals else 2  # the ninth, or the flat fifth on a (half-)diminished chord
    voiced = []
    for interval in (third, seventh, colour):
        pitch = low + (root + interval - low) % 12
        voiced.append(pitch if pitch <= high else pitch - 12)
    return sorted(set(voiced))


def comping(spans: Sequence[ChordSpan]) -> list[Event]:
    """The Charleston rhythm: a chord on the first beat and on the off-beat of the second, per chord of 2+ beats."""
    events = []
    for start, end, chord in spans:
        voicing = rootless_voicing(chord.pitches)
        hits = [(start, min(end, start + 1.0))]
        if end - start >= 2:
            hits.append((start + 1.5, min(end, start + 2.5)))
        for hit_start, hit_end in hits:
            events += [Event(hit_start, hit_end, pitch, 58) for pitch in voicing]
    return events
