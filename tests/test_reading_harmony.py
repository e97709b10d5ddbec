"""Finding the harmony: from the accompaniment, or inferred from a lone melody."""

from __future__ import annotations

from jazz_core.reading import read_score
from tests.conftest import midi_bytes


def test_a_midi_melody_over_an_accompaniment():
    melody = [(beat * 0.5, 0.5, 72 + (beat % 5)) for beat in range(16)]
    comping = [(bar * 2.0, 2.0, pitch) for bar in range(4) for pitch in (48, 52, 55)]
    piece = read_score(midi_bytes({"Lead": melody, "Piano": comping}))
    assert piece.origin.startswith("melody: part 0 (Lead; the most solo-like part")
    assert len(piece.measures) == 2
    assert piece.measures[0].chords[0].pitch_classes == frozenset({0, 4, 7})


def test_a_lone_melody_gets_chords_inferred():
    piece = read_score(midi_bytes({"Flute": [(b, 1, p) for b, p in enumerate([60, 64, 67, 64, 65, 69, 72, 69])]}))
    assert "inferred" in piece.origin
    assert piece.measures[0].chords[0].pitch_classes == frozenset({0, 4, 7})
