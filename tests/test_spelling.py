"""Spelling as a musician writes it: from the chord's root, else from the key; the key from the progression."""

from __future__ import annotations

import pytest

from jazz_core.changes import PRESETS, parse_changes
from jazz_core.spelling import estimate_key, root_name, root_place, spell


def name(pitch: int, root: str | None, key: int = 0) -> str:
    spelling = spell(pitch, None if root is None else root_place(root), key)
    return f"{spelling.step}{'b' * -spelling.alter}{'#' * spelling.alter}{spelling.octave}"


def test_flats_in_flat_keys_and_sharps_in_sharp_keys_without_a_chord():
    assert [name(p, None, -1) for p in (70, 63, 61)] == ["Bb4", "Eb4", "Db4"]
    assert [name(p, None, 2) for p in (66, 61, 68)] == ["F#4", "C#4", "G#4"]


def test_a_dominants_flat_nine_is_a_flat_and_its_third_a_sharp():
    assert name(70, "A", -1) == "Bb4"  # b9 of A7
    assert name(73, "A", -1) == "C#5"  # third of A7
    assert name(66, "D", -1) == "F#4"  # third of D7 in F
    assert name(65, "E", 0) == "F4"  # b9 of E7
    assert name(66, "C", 0) == "F#4"  # #11
    assert name(68, "C", 0) == "Ab4"  # b13


def test_no_double_accidentals_or_cb_fb_e_sharp_b_sharp():
    assert name(64, "Db", -5) == "E4"  # minor third of Dbm7 would be Fb
    assert name(60, "C#", 4) == "C4"  # major seventh of C#maj7 would be B#
    assert root_name(root_place("B") + 3) == "G#" and root_name(root_place("Cb")) == "B"


@pytest.mark.parametrize(("preset", "fifths"), [
    ("12-bar blues in F", -1), ("Rhythm changes in B-flat", -2), ("Autumn Leaves-style changes", -2)])
def test_key_estimated_from_the_progression(preset, fifths):
    assert estimate_key(parse_changes(PRESETS[preset])) == fifths


def test_key_of_no_chords_is_c():
    assert estimate_key(()) == 0
