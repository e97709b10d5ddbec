"""A phrase played on a MIDI keyboard, as the page receives it: made a MIDI file and read as an upload is."""

from __future__ import annotations

import pytest

from jazz_core import keyboard, trading
from jazz_core.errors import BadScoreError
from jazz_core.reading import read_score

TONES = (65, 69, 72, 75, 77, 75, 72, 69)
BEAT = 60.0 / 130


def played(jitter: float = 0.012) -> list[list[float]]:
    """Eight quarter notes as a person plays them: a little early or late, held a little short."""
    return [[pitch, i * BEAT + (jitter if i % 2 else -jitter if i else 0.0), (i + 0.85) * BEAT, 90]
            for i, pitch in enumerate(TONES)]


def test_a_played_phrase_reads_as_the_quarter_notes_meant_at_the_tempo_played():
    piece = read_score(keyboard.phrase_midi(played(), 130), title="your keyboard phrase")
    _, notes = trading.phrase_notes(piece)
    sounding = [n for n in notes if n.pitch is not None]
    assert [n.pitch for n in sounding] == list(TONES)
    assert [n.offset for n in sounding] == [float(i) for i in range(8)]  # on the beats: quantized as an upload
    assert len(piece.measures) == 2


def test_notes_arrive_in_order_and_key_bounces_are_left_out():
    notes = [[72, 1.0, 1.5, 80], [60, 0.0, 0.5, 80], [64, 0.6, 0.605, 80]]
    assert keyboard.checked_notes(notes) == [(60, 0.0, 0.5, 80), (72, 1.0, 1.5, 80)]


@pytest.mark.parametrize("notes", [
    "C D E", [[60, 0, 1]], [[60, 0, 1, 90, 5]], [[128, 0, 1, 90]], [[60, 1, 0.5, 90]], [[60, 0, float("nan"), 90]],
    [[60, 0, 1, True]], [[60, -500, 1, 90]], [[60, 0, 500, 90]], [[60, 0, 1, 90]] * 600,
])
def test_garbled_notes_from_the_browser_are_refused_with_a_sentence(notes):
    with pytest.raises(BadScoreError, match=r"^(The keyboard|No notes)"):
        keyboard.phrase_midi(notes, 130)


def test_a_pickup_in_the_count_ins_last_beat_moves_onto_beat_1_and_earlier_notes_are_left_out():
    notes = [(72, 0.5, 0.9, 80), (67, -0.25, 0.125, 70), (60, -0.75, -0.625, 90)]  # a beat is 0.5 s at 120 bpm
    assert keyboard.on_bar_one(notes, 120) == [(67, 0.0, 0.375, 70), (72, 0.5, 0.9, 80)]
    assert keyboard.on_bar_one([(64, -0.5, -0.25, 80)], 120) == [(64, 0.0, 0.25, 80)]  # exactly a beat early
    with pytest.raises(BadScoreError, match="No notes came after the count-in"):
        keyboard.on_bar_one([(64, -0.51, 0.2, 80)], 120)


def test_a_phrase_read_from_the_downbeat_keeps_its_rests_and_its_pickup():
    late = [[pitch, start + BEAT, end + BEAT, velocity] for pitch, start, end, velocity in played(0.0)[:7]]
    _, notes = trading.phrase_notes(read_score(keyboard.phrase_midi(late, 130), title="from beat 2"))
    assert [(n.offset, n.pitch) for n in notes[:2]] == [(0.0, None), (1.0, TONES[0])]  # beat 1 is a rest
    pickup = [[TONES[0], -BEAT / 2, 0.4 * BEAT, 90], *late]
    _, notes = trading.phrase_notes(read_score(keyboard.phrase_midi(pickup, 130), title="with a pickup"))
    assert [(n.offset, n.pitch) for n in notes[:3]] == [(0.0, TONES[0]), (1.0, TONES[0]), (2.0, TONES[1])]
    both = [[60, -BEAT / 2, 0.5 * BEAT, 90], [67, 0.0, 0.9 * BEAT, 90], *late[1:]]
    _, notes = trading.phrase_notes(read_score(keyboard.phrase_midi(both, 130), title="beat 1 too"))
    assert notes[0].offset == 0.0 and notes[0].pitch == 67  # the higher of the two on beat 1


def test_no_notes_or_no_tempo_say_what_to_do():
    with pytest.raises(BadScoreError, match="press Record, play your phrase, then Done"):
        keyboard.phrase_midi([[60, 0, 0.005, 90]], 130)
    with pytest.raises(BadScoreError, match="tempo of 20 to 400"):
        keyboard.phrase_midi(played(), 5)
    with pytest.raises(BadScoreError):
        keyboard.phrase_of({"notes": played(), "tempo": "fast"})
    assert keyboard.phrase_of({"notes": [], "tempo": 130}) == ([], 130.0)
