"""Naming chords by template: root and quality from what sounds, the bass weighed, the segment size chosen."""

from __future__ import annotations

import pytest

from jazz_core.reading.chords import best_chord, harmonic_steps, pitch_weights, recognise, symbol


def named(pitches: list[int], duration: float = 4.0) -> str:
    notes = [(0.0, duration, p) for p in pitches]
    return symbol(*best_chord(*pitch_weights(notes, 0.0, 4.0)))


@pytest.mark.parametrize(("pitches", "expected"), [
    ([48, 52, 55], "C"), ([45, 48, 52], "Am"), ([50, 53, 57, 60], "Dm7"), ([43, 47, 50, 53], "G7"),
    ([41, 45, 48, 52], "Fmaj7"), ([47, 50, 53, 57], "Bm7b5"), ([49, 52, 55, 58], "Dbdim7"), ([48, 52, 55, 57], "C6"),
    ([43, 48, 50], "Gsus4"), ([46, 53, 58, 62], "Bb"),
])
def test_triads_and_seventh_chords_are_named_by_root_and_quality(pitches, expected):
    assert named(pitches) == expected


def test_the_bass_decides_between_chords_of_the_same_tones():
    assert named([48, 57, 64, 67]) == "C6" and named([45, 60, 64, 67]) == "Am7"


def test_a_passing_seventh_does_not_make_a_seventh_chord():
    notes = [(0.0, 4.0, 48), (0.0, 4.0, 52), (0.0, 4.0, 55), (3.75, 0.25, 58)]
    assert symbol(*best_chord(*pitch_weights(notes, 0.0, 4.0))) == "C"


def test_segments_follow_the_harmonic_rhythm():
    half_bars = [(2.0 * i, 2.0, p) for i, chord in enumerate([(50, 53, 57, 60), (43, 47, 50, 53)] * 4)
                 for p in chord]  # | Dm7 G7 | four times

    def window(low, high):
        return half_bars

    bars = [(4.0 * i, 4.0) for i in range(4)]
    assert harmonic_steps(window, bars) == "half"
    assert [c.symbol for c in recognise(window, 0.0, 4.0, 2.0)] == ["Dm7", "G7"]
    whole = [(4.0 * i, 4.0, p) for i in range(4) for p in (48, 52, 55, 59)]
    assert harmonic_steps(lambda low, high: whole, bars) == "bar"


def test_the_bass_is_the_note_on_the_downbeat_not_a_lower_passing_note():
    """D on the downbeat, then the bass walks down to A below it under a held F-A-C: Dm7, not F or Am."""
    notes = [(0.0, 2.0, 50), (2.0, 1.0, 48), (3.0, 1.0, 45)] + [(0.0, 4.0, p) for p in (65, 69, 72)]
    assert symbol(*best_chord(*pitch_weights(notes, 0.0, 4.0))) == "Dm7"
