"""A take's MIDI read back for notation: swing undone, chords from the chord track or the changes given."""

from __future__ import annotations

import pytest

from jazz_core.changes import PRESETS, parse_changes
from jazz_core.errors import BadScoreError
from jazz_core.feel import SWING_RATIOS, swing_time
from jazz_core.midi_writer import write_midi
from jazz_core.music import Note
from jazz_core.settings import PlaybackSettings
from jazz_core.take_reader import read_take, unswing
from tests.conftest import midi_bytes

BLUES = parse_changes(PRESETS["12-bar blues in F"])
NOTES = [Note(0.0, 0.5, 65, "C"), Note(0.5, 0.5, 67, "S"), Note(1.0, 1 / 3, 69, "C"), Note(4 / 3, 1 / 3, 70, "C"),
         Note(5 / 3, 4 / 3, 72, "S"), Note(3.0, 2.0, 75, "C"), Note(5.5, 2.5, 74, "C")]


@pytest.mark.parametrize("ratio", SWING_RATIOS.values())
def test_unswing_undoes_swing(ratio):
    for twelfth in range(48):
        assert unswing(swing_time(twelfth / 12, ratio), ratio) == pytest.approx(twelfth / 12)


@pytest.mark.parametrize("swing", ["straight", "medium", "hard"])
def test_the_solo_comes_back_note_for_note(swing):
    midi = write_midi(NOTES, BLUES, PlaybackSettings(swing=swing, tempo_bpm=150, humanize=True), seed=4)
    music = read_take(midi, swing)
    assert [(n.offset, n.duration, n.pitch) for n in music.notes] == \
        [(pytest.approx(n.offset), pytest.approx(n.duration), n.pitch) for n in NOTES]
    assert music.tempo_bpm == pytest.approx(150)


def test_held_chords_are_read_from_the_chord_track():
    music = read_take(write_midi(NOTES, BLUES, PlaybackSettings()))
    assert len(music.progression) == 2
    assert [[{p % 12 for p in c.pitches} for c in m.chords] for m in music.progression] == \
        [[{p % 12 for p in c.pitches} for c in m.chords] for m in BLUES[:2]]


def test_changes_given_are_used_as_they_are():
    assert read_take(write_midi(NOTES, BLUES, PlaybackSettings()), changes=BLUES).progression == BLUES


def test_a_midi_without_a_solo_track_is_explained():
    with pytest.raises(BadScoreError, match="no 'Solo' track"):
        read_take(midi_bytes({"Piano": [(0.0, 1.0, 60)]}))
    with pytest.raises(BadScoreError, match="not a MIDI file"):
        read_take(b"not midi at all")
