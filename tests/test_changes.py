"""Typed chord changes: every preset reads, bad text points at the bar and the symbol."""

from __future__ import annotations

import pytest

from jazz_core.changes import PRESETS, chord_pitches, parse_changes
from jazz_core.errors import BadScoreError


@pytest.mark.parametrize("name", sorted(PRESETS))
def test_every_preset_reads(name):
    bars = parse_changes(PRESETS[name])
    assert len(bars) in (12, 24, 32)
    assert all(m.length == 4.0 and m.chords for m in bars)


def test_chords_share_a_bar_evenly_and_percent_repeats():
    bars = parse_changes("| Dm7 G7 | Cmaj7 | % | A7b9 |")
    assert [c.offset for c in bars[0].chords] == [0.0, 2.0]
    assert bars[2] == bars[1]
    assert [c.symbol for m in bars for c in m.chords] == ["Dm7", "G7", "Cmaj7", "Cmaj7", "A7b9"]


@pytest.mark.parametrize(("symbol", "classes"), [
    ("Bbmaj7", {10, 2, 5, 9}), ("F#m7b5", {6, 9, 0, 4}), ("Bdim7", {11, 2, 5, 8}), ("C6", {0, 4, 7, 9}),
    ("Ebm6", {3, 6, 10, 0}), ("G7alt", {7, 11, 2, 5, 10, 3}), ("Gsus4", {7, 0, 2}), ("C-7", {0, 3, 7, 10}),
    ("D13", {2, 6, 9, 0, 4, 7, 11}), ("A7#11", {9, 1, 4, 7, 3}),
])
def test_common_qualities(symbol, classes):
    assert {p % 12 for p in chord_pitches(symbol)} == classes


def test_bad_text_points_at_the_bar_and_the_symbol():
    with pytest.raises(BadScoreError, match=r"Bar 3: cannot read the chord 'Hm7'"):
        parse_changes("| C7 | F7 | Hm7 G7 |")
    with pytest.raises(BadScoreError, match="No chords"):
        parse_changes("|  |  |")
    with pytest.raises(BadScoreError, match="Bar 1 is %"):
        parse_changes("| % | C |")
