"""Reading scores: the course's file, the built-in corpus, other formats, and files that cannot be read."""

from __future__ import annotations

import collections

import pytest

from jazz_core.errors import BadScoreError
from jazz_core.grammar import encode_measures
from jazz_core.scores import detect_format, quantize, read_raw, read_score
from tests.conftest import midi_bytes


def test_the_course_grid():
    assert [quantize(x) for x in (0.26, 0.32, 0.9, 1.02, 0.0)] == [0.25, pytest.approx(1 / 3), 1.0, 1.0, 0.0]


def test_metheny_preset_reads_the_course_numbers(metheny_bytes):
    """The course reports 193 values, 78 unique. We find the same 193 melody notes in the same 18 bars.

    Our count differs where our grammar is deliberately different: two notes that start together
    (bar 10) keep only the top one (192 notes), silences of an eighth or more are rests (6 R values;
    music21 5 filled no rests), durations run to the next onset, and interval names depend on
    semitones only, so unique values differ (the course: 78; here about 110, since inter-onset
    durations vary more than the notes' written lengths).
    """
    piece = read_score(metheny_bytes, preset="metheny")
    assert len(piece.measures) == 18
    assert sum(len(m.notes) for m in piece.measures) == 193
    values = encode_measures(piece.measures)
    types = collections.Counter(v[0] for v in values)
    assert types["R"] == 6 and len(values) - types["R"] == 192
    # the course (measured on music21 10.5): C 117, S 44, A 25, X 7; chord-scale theory gives nearly the same
    assert (types["C"], types["S"], types["A"], types["X"]) == (116, 48, 25, 3)
    assert 100 <= len(set(values)) <= 120


def test_builtin_corpus_is_ragtime_with_chords(builtin_pieces):
    assert len(builtin_pieces) == 2
    values = [v for p in builtin_pieces for v in encode_measures(p.measures)]
    assert 400 <= len(values) <= 1000
    assert all(m.chords for p in builtin_pieces for m in p.measures)
    assert "chord symbols" in builtin_pieces[0].origin
    assert "accompaniment" in builtin_pieces[1].origin


def test_a_midi_melody_over_an_accompaniment():
    melody = [(beat * 0.5, 0.5, 72 + (beat % 5)) for beat in range(16)]
    comping = [(bar * 2.0, 2.0, pitch) for bar in range(4) for pitch in (48, 52, 55)]
    piece = read_score(midi_bytes({"Lead": melody, "Piano": comping}))
    assert piece.origin.startswith("melody: part 0 (Lead; the most solo-like part")
    assert len(piece.measures) == 2
    assert piece.measures[0].chords[0].pitch_classes == frozenset({0, 4, 7})


def test_the_melody_part_can_be_chosen_by_name():
    data = midi_bytes({"Lead": [(0, 1, 72)] * 1 + [(1, 1, 74)], "Bass": [(0, 2, 36), (2, 2, 38)]})
    assert "Bass" in read_score(data, melody="Bass").origin
    with pytest.raises(BadScoreError, match="no part named 'Horn'"):
        read_score(data, melody="Horn")


def test_a_lone_melody_gets_chords_inferred():
    piece = read_score(midi_bytes({"Flute": [(b, 1, p) for b, p in enumerate([60, 64, 67, 64, 65, 69, 72, 69])]}))
    assert "inferred" in piece.origin
    assert piece.measures[0].chords[0].pitch_classes == frozenset({0, 4, 7})


def test_abc_and_musicxml_are_read():
    abc = b"X:1\nT:Test tune\nM:3/4\nL:1/8\nK:G\nGABc d2|e2 d2 B2|c2 A2 F2|G6|]\n"
    piece = read_score(abc)
    assert detect_format(abc) == "abc"
    assert [m.length for m in piece.measures] == [3.0] * 4
    xml = (b'<?xml version="1.0"?><score-partwise version="3.1"><part-list><score-part id="P1"><part-name>Voice'
           b'</part-name></score-part></part-list><part id="P1"><measure number="1"><attributes><divisions>1'
           b'</divisions><time><beats>2</beats><beat-type>4</beat-type></time></attributes>'
           b'<note><pitch><step>C</step><octave>5</octave></pitch><duration>1</duration></note>'
           b'<note><pitch><step>E</step><octave>5</octave></pitch><duration>1</duration></note></measure></part>'
           b'</score-partwise>')
    assert [n.pitch for n in read_score(xml).measures[0].notes] == [72, 76]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"hello, this is a text file named song.mid\n", "not music"),
    (b"MThd\x00\x00\x00\x06\x00\x01", "damaged"),
])
def test_unreadable_files_say_why(data, message):
    with pytest.raises(BadScoreError, match=message):
        read_score(data)


def test_drums_only_and_empty_midi_say_there_is_no_melody():
    drums = midi_bytes({"Kit": [(b * 0.5, 0.25, 42) for b in range(16)]}, drums=("Kit",))
    with pytest.raises(BadScoreError, match="drums only"):
        read_score(drums)
    with pytest.raises(BadScoreError, match="no pitched notes"):
        read_score(midi_bytes({}))


def test_meter_changes_make_bars_of_their_own_length():
    data = midi_bytes({"Lead": [(b, 1, 60 + b % 7) for b in range(10)]}, time_signatures=((3, 4, 0), (2, 4, 6)))
    assert [length for _, length in read_raw(data).bars] == [3.0, 3.0, 2.0, 2.0]
    assert [m.length for m in read_score(data).measures] == [3.0, 3.0, 2.0, 2.0]


def test_unknown_preset_is_refused():
    with pytest.raises(BadScoreError, match="Unknown preset"):
        read_score(b"MThd", preset="coltrane")


ABC = b"X:1\nT:Budget\nM:4/4\nL:1/8\nK:C\nCDEF GABc|cBAG FEDC|CEGc GEC2|]\n"


def test_music21_reads_uploads_in_a_child_process_with_the_same_result():
    from jazz_core.scores import read_raw

    assert read_raw(ABC, isolated=True) == read_raw(ABC, isolated=False)


def test_a_score_that_takes_too_long_is_stopped(monkeypatch):
    from jazz_core import scores

    monkeypatch.setattr(scores, "PARSE_SECONDS", 0.05)
    with pytest.raises(BadScoreError, match=r"took longer than 0\.05 s, so it was stopped"):
        read_score(ABC)
