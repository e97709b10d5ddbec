"""Transposing a take: notes and chords move together, symbols are renamed, the MIDI sounds the new key."""

from __future__ import annotations

import io

import pretty_midi
import pytest

from jazz_core import pipeline, transpose
from jazz_core.bundle import load_bundle
from jazz_core.changes import parse_changes
from jazz_core.errors import SettingsError
from jazz_core.music import Chord, Measure, Note
from jazz_core.settings import GenerateSettings
from tests.conftest import ROOT


def test_symbols_move_by_semitones_spelt_with_flats():
    assert [transpose.transposed_symbol(s, 2) for s in ("Bb7", "F#m7b5", "C/E", "Abmaj7", "B-7")] == [
        "C7", "Abm7b5", "D/Gb", "Bbmaj7", "C7"]
    assert transpose.transposed_symbol("Dm7", -2) == "Cm7" and transpose.transposed_symbol("C7", 12) == "C7"


def test_measures_move_with_their_chords_scales_and_melody():
    bar = Measure(4.0, (Note(0.0, 1.0, 60, "C"), Note(1.0, 3.0, None, "R")),
                  (Chord(0.0, (50, 53, 57, 60), (2, 4, 5, 7, 9, 11, 0), "Dm7"),))
    (moved,) = transpose.transposed_measures((bar,), 3)
    assert [n.pitch for n in moved.notes] == [63, None]
    assert moved.chords[0] == Chord(0.0, (53, 56, 60, 63), (5, 7, 8, 10, 0, 2, 3), "Fm7")
    assert moved.length == 4.0


def test_the_key_is_named_from_the_chords():
    assert transpose.key_name(parse_changes("| Dm7 | G7 | Cmaj7 | % |")) == "C"
    assert transpose.key_name(transpose.transposed_measures(parse_changes("| Dm7 | G7 | Cmaj7 | % |"), 3)) == "Eb"


def test_a_transposed_take_sounds_in_the_new_key_at_concert_pitch_with_the_same_values():
    bundle = load_bundle(ROOT / "assets" / "default_model")
    take = pipeline.generate(bundle, GenerateSettings(values=40), progression=parse_changes("| F7 | Bb7 | F7 | C7 |"))
    up = transpose.transposed_take(take, 2)
    assert up.values == take.values and [n.offset for n in up.notes] == [n.offset for n in take.notes]
    assert [n.pitch for n in up.notes] == [None if n.pitch is None else n.pitch + 2 for n in take.notes]
    assert [c.symbol for m in up.progression for c in m.chords] == ["G7", "C7", "G7", "D7"]
    written = pretty_midi.PrettyMIDI(io.BytesIO(up.midi))
    solo = {i.name: i for i in written.instruments}["Solo"]
    assert sorted(n.pitch for n in solo.notes) == sorted(n.pitch for n in up.notes if n.pitch is not None)
    assert transpose.transposed_take(up, -2).midi == take.midi  # and back again, byte for byte
    # a re-roll of the moved take plays over the moved chords
    again = pipeline.reroll(bundle, up, 1, 5)
    assert again.progression == up.progression


def test_transposition_is_refused_beyond_an_octave_or_out_of_midi():
    notes = (Note(0.0, 1.0, 120, "C"),)
    with pytest.raises(SettingsError, match="from -12 to 12, not 13"):
        transpose.transposed_notes(notes, 13)
    with pytest.raises(SettingsError, match="leave the MIDI range"):
        transpose.transposed_notes(notes, 8)
    assert transpose.transposed_notes(notes, 7)[0].pitch == 127
