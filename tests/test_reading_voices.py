"""Voice separation: a one-track piano with a bass line, chords and a melody gives the top line as melody."""

from __future__ import annotations

from pathlib import Path

from jazz_core.grammar import melody_line
from jazz_core.music import Measure, Note
from jazz_core.reading import read_raw, read_score
from jazz_core.reading.raw import Track
from jazz_core.reading.voices import is_polyphonic, split_voices
from tests.conftest import midi_bytes

TUNE = [76, 77, 79, 81, 79, 77, 76, 74]


def one_track_piano() -> tuple[list[tuple[float, float, int]], list[tuple[float, float, int]]]:
    """Four bars of | Cmaj7 | Fmaj7 |: a melody in eighths (resting in bar 3, where the left hand plays on), a
    bass line of roots and octaves in half notes and chords in half notes, all in one part.
    Returns (all notes, the melody's notes)."""
    melody = [(bar * 4.0 + i * 0.5, 0.5, TUNE[i] + (bar % 2) * 2) for bar in (0, 1, 3) for i in range(8)]
    bass = [(h * 2.0, 2.0, (36, 48)[h % 2] + (5 if h // 2 % 2 else 0)) for h in range(8)]
    chords = [(h * 2.0, 2.0, p + (5 if h // 2 % 2 else 0)) for h in range(8) for p in (52, 55, 59)]
    return melody + bass + chords, melody


def test_a_one_track_piano_gives_its_top_line_as_melody_and_chords_from_the_rest():
    notes, melody = one_track_piano()
    piece = read_score(midi_bytes({"Piano": notes}))
    learnt = [(round(4.0 * i + n.offset, 3), n.pitch) for i, m in enumerate(piece.measures) for n in m.notes]
    assert learnt == [(o, p) for o, _, p in melody]  # no note of the bass or the chords in the melody
    assert piece.origin.startswith("melody: the top line of part 0 (Piano")
    assert "harmony: the lower voices of the same part, recognised as chord symbols" in piece.origin
    assert [[c.symbol for c in m.chords] for m in piece.measures] == [["Cmaj7"], ["Fmaj7"], ["Cmaj7"], ["Fmaj7"]]


def test_the_skyline_keeps_a_held_melody_note_over_the_voices_moving_under_it():
    held = Track("Guitar", ((0.0, 2.0, 79), (0.0, 1.0, 48), (1.0, 1.0, 55), (2.0, 1.0, 77), (2.0, 1.0, 50)))
    assert is_polyphonic(held)
    top, rest = split_voices(held)
    assert [p for _, _, p in top.notes] == [79, 77] and [p for _, _, p in rest.notes] == [48, 55, 50]


def test_a_line_with_a_few_double_stops_is_not_split():
    line = Track("Sax", (*((i * 0.5, 0.5, 70 + i % 7) for i in range(20)), (0.0, 0.5, 65)))
    assert not is_polyphonic(line)
    assert not is_polyphonic(read_raw(midi_bytes({"Lead": [(0, 1, 72), (1, 1, 74)]})).tracks[0])


TOP_NOTES = Path(__file__).parent / "data" / "top_notes.mid"  # committed: 8 double stops, the top notes a tune


def test_the_committed_double_stops_give_their_top_notes_as_the_melody():
    """tests/data/top_notes.mid holds two notes at every beat (E5 over C5, G5 over C5, ...). The melody is the
    upper one, both where the reading splits voices and where the grammar reduces a bar to one line."""
    top = [76, 79, 77, 81, 74, 72, 79, 84]
    data = TOP_NOTES.read_bytes()
    piece = read_score(data)
    assert [n.pitch for m in piece.measures for n in m.notes] == top
    raw = read_raw(data)
    bars = [Measure(4.0, tuple(Note(o - start, d, p) for o, d, p in raw.tracks[0].notes if start <= o < start + 4),
                    ()) for start in (0.0, 4.0)]
    assert [n.pitch for n in melody_line(bars)] == top
