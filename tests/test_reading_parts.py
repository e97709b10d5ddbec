"""Choosing the melody part: by name, by instrument, by the notes; the override by index or name."""

from __future__ import annotations

import io

import pretty_midi
import pytest

from jazz_core.errors import BadScoreError
from jazz_core.reading import choose_melody, read_raw, read_score
from jazz_core.reading.parts import why_melody
from tests.conftest import midi_bytes

HEAD = [72, 74, 76, 79, 77, 74, 72, 71, 69, 71, 72, 76, 74, 72, 67, 69]  # a tune's phrase, 16 different turns


def band(parts: list[tuple[str, int, list[tuple[float, float, int]]]]) -> bytes:
    """A small MIDI file: (name, General MIDI program, notes as (start beat, beats, pitch)) at 120 bpm."""
    midi = pretty_midi.PrettyMIDI(initial_tempo=120.0)
    for name, program, notes in parts:
        track = pretty_midi.Instrument(program=program, name=name)
        track.notes = [pretty_midi.Note(90, p, s / 2, (s + d) / 2) for s, d, p in notes]
        midi.instruments.append(track)
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()


def horn_line(bars: int) -> list[tuple[float, float, int]]:
    """Quarter notes wandering through the head, transposed a little each time so it never loops exactly."""
    return [(beat, 1.0, HEAD[beat % 16] + (beat // 16) % 3) for beat in range(4 * bars)]


def arpeggios(bars: int) -> list[tuple[float, float, int]]:
    """A comping part busier than the tune: eighth notes through the tones of C7, F7, G7 and Dm7, voiced anew."""
    chords = [(60, 64, 67, 70), (65, 69, 72, 63), (67, 71, 62, 65), (62, 65, 69, 72)]
    return [(i / 2, 0.5, chords[(i // 8) % 4][(i * 3 + i // 4) % 4] + 12 * ((i // 16) % 2)) for i in range(8 * bars)]


def test_a_part_named_melody_wins_over_busier_comping():
    data = band([("Piano 1", 0, arpeggios(8)), ("Melody: Piano 2", 0, horn_line(8))])
    piece = read_score(data)
    assert piece.origin.startswith("melody: part 1 (Melody: Piano 2; the most solo-like part: named like a melody")
    assert "over part 0 (Piano 1" in piece.origin
    unnamed = band([("Piano 1", 0, arpeggios(8)), ("Piano 2", 0, horn_line(8))])
    assert choose_melody(read_raw(unnamed).tracks) == 0, "without the name, the busier part would win"


def test_a_four_pitch_riff_loses_to_a_horn_line():
    riff = [(i / 2, 0.5, (60, 63, 65, 67)[i % 4]) for i in range(8 * 40)]  # 320 notes, solo register
    data = band([("Track 1", 0, riff), ("Track 2", 65, horn_line(12))])  # 65: alto sax
    raw = read_raw(data)
    assert choose_melody(raw.tracks) == 1
    reasons = why_melody(raw.tracks, 1)
    assert "a melody instrument" in reasons and "only 4 pitches or fewer (a riff)" in reasons
    assert "one figure repeated over and over" in reasons


def test_an_accompaniment_name_or_a_bass_program_speaks_against_a_part():
    data = band([("Comping", 0, horn_line(8)), ("Flute", 0, horn_line(4)), ("Line", 33, horn_line(8))])
    assert choose_melody(read_raw(data).tracks) == 1


def test_the_melody_part_can_be_chosen_by_name():
    data = midi_bytes({"Lead": [(0, 1, 72)] * 1 + [(1, 1, 74)], "Bass": [(0, 2, 36), (2, 2, 38)]})
    assert "Bass" in read_score(data, melody="Bass").origin
    assert "part 1 (Bass; chosen by you" in read_score(data, melody="bass").origin
    with pytest.raises(BadScoreError, match="no part named 'Horn'"):
        read_score(data, melody="Horn")


def test_an_ambiguous_melody_name_is_an_error_that_lists_the_matching_parts():
    data = band([("Sax", 65, horn_line(2)), ("Piano", 0, arpeggios(2)), ("Sax", 66, horn_line(2))])
    with pytest.raises(BadScoreError, match=r"Several parts are named 'sax': part 0 \(Sax\), part 2 \(Sax\)"):
        read_score(data, melody="sax")
    assert choose_melody(read_raw(data).tracks, "pian") == 1  # one part containing the name: that one


def test_drums_only_and_empty_midi_say_there_is_no_melody():
    drums = midi_bytes({"Kit": [(b * 0.5, 0.25, 42) for b in range(16)]}, drums=("Kit",))
    with pytest.raises(BadScoreError, match="drums only"):
        read_score(drums)
    with pytest.raises(BadScoreError, match="no pitched notes"):
        read_score(midi_bytes({}))
