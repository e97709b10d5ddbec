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
    [[60, 0, 1, True]], [[60, -1, 1, 90]], [[60, 0, 500, 90]], [[60, 0, 1, 90]] * 600,
])
def test_garbled_notes_from_the_browser_are_refused_with_a_sentence(notes):
    with pytest.raises(BadScoreError, match=r"^(The keyboard|No notes)"):
        keyboard.phrase_midi(notes, 130)


def test_no_notes_or_no_tempo_say_what_to_do():
    with pytest.raises(BadScoreError, match="press Record, play your phrase, then Done"):
        keyboard.phrase_midi([[60, 0, 0.005, 90]], 130)
    with pytest.raises(BadScoreError, match="tempo of 20 to 400"):
        keyboard.phrase_midi(played(), 5)
    with pytest.raises(BadScoreError):
        keyboard.phrase_of({"notes": played(), "tempo": "fast"})
    assert keyboard.phrase_of({"notes": [], "tempo": 130}) == ([], 130.0)
