"""The rhythm section: walking bass, ride and hi-hat, rootless comping, all from the chords alone."""

from __future__ import annotations

import io

import pretty_midi

from jazz_core.band import BASS_RANGE, PEDAL_HI_HAT, RIDE, comping, ride_pattern, rootless_voicing, walking_bass
from jazz_core.changes import PRESETS, parse_changes
from jazz_core.midi_writer import write_midi
from jazz_core.music import Chord, Note
from jazz_core.progression import ChordSpan, chord_spans
from jazz_core.settings import PlaybackSettings


def test_the_bass_walks_one_note_per_beat_in_range_with_roots_on_changes():
    bars = parse_changes(PRESETS["12-bar blues in F"])
    spans = chord_spans(bars, 48.0)
    bass = walking_bass(spans, seed=1)
    assert [e.start for e in bass] == [float(b) for b in range(48)]
    assert all(BASS_RANGE[0] <= e.pitch <= BASS_RANGE[1] for e in bass)
    roots = {0.0: 5, 4.0: 10, 32.0: 7}  # F7, Bb7, Gm7
    for start, root in roots.items():
        assert next(e.pitch for e in bass if e.start == start) % 12 == root
    for start, end, chord in spans:  # beats inside a chord play its tones, the last one may approach the next
        middle = [e for e in bass if start < e.start < end - 1]
        assert all(e.pitch % 12 in chord.pitch_classes for e in middle)


def test_ride_on_every_beat_hi_hat_on_two_and_four():
    events = ride_pattern(8.0)
    assert [e.start for e in events if e.pitch == PEDAL_HI_HAT] == [1.0, 3.0, 5.0, 7.0]
    assert {e.start for e in events if e.pitch == RIDE} >= {0.0, 1.0, 1.5, 2.0, 3.0, 3.5}


def test_rootless_voicing_and_charleston_rhythm():
    assert {p % 12 for p in rootless_voicing((43, 47, 50, 53))} == {11, 5, 9}  # G7: B, F, A
    hits = comping([ChordSpan(0.0, 4.0, Chord(0.0, (48, 52, 55, 59)))])
    assert sorted({e.start for e in hits}) == [0.0, 1.5]


def test_each_part_gets_its_own_track():
    bars = parse_changes("| Dm7 G7 | Cmaj7 |")
    settings = PlaybackSettings(bass=True, drums=True, comping=True, swing="medium")
    midi = pretty_midi.PrettyMIDI(io.BytesIO(write_midi([Note(0.0, 8.0, 62)], bars, settings)))
    assert [(i.name, i.is_drum) for i in midi.instruments] == [("Solo", False), ("Chords", False), ("Bass", False),
                                                               ("Drums", True)]
