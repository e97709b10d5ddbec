"""MusicXML and ABC through music21, in a child process with a time budget."""

from __future__ import annotations

import pytest

from jazz_core.errors import BadScoreError
from jazz_core.reading import detect_format, read_raw, read_score


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


ABC = b"X:1\nT:Budget\nM:4/4\nL:1/8\nK:C\nCDEF GABc|cBAG FEDC|CEGc GEC2|]\n"


def test_music21_reads_uploads_in_a_child_process_with_the_same_result():
    assert read_raw(ABC, isolated=True) == read_raw(ABC, isolated=False)


def test_a_score_that_takes_too_long_is_stopped(monkeypatch):
    from jazz_core.reading import music21

    monkeypatch.setattr(music21, "PARSE_SECONDS", 0.05)
    with pytest.raises(BadScoreError, match=r"took longer than 0\.05 s, so it was stopped"):
        read_score(ABC)
