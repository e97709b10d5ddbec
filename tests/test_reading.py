"""Reading scores: the entry points, the course's grid, files that cannot be read, bars from meters."""

from __future__ import annotations

import pytest

from jazz_core.errors import BadScoreError
from jazz_core.grammar import encode_measures
from jazz_core.reading import quantize, read_raw, read_score
from tests.conftest import midi_bytes


def test_the_course_grid():
    assert [quantize(x) for x in (0.26, 0.32, 0.9, 1.02, 0.0)] == [0.25, pytest.approx(1 / 3), 1.0, 1.0, 0.0]


def test_builtin_corpus_is_ragtime_with_chords(builtin_pieces):
    assert len(builtin_pieces) == 2
    values = [v for p in builtin_pieces for v in encode_measures(p.measures)]
    assert 400 <= len(values) <= 1000
    assert all(m.chords for p in builtin_pieces for m in p.measures)
    assert "chord symbols" in builtin_pieces[0].origin
    assert "accompaniment" in builtin_pieces[1].origin


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"hello, this is a text file named song.mid\n", "not music"),
    (b"MThd\x00\x00\x00\x06\x00\x01", "damaged"),
])
def test_unreadable_files_say_why(data, message):
    with pytest.raises(BadScoreError, match=message):
        read_score(data)


def test_meter_changes_make_bars_of_their_own_length():
    data = midi_bytes({"Lead": [(b, 1, 60 + b % 7) for b in range(10)]}, time_signatures=((3, 4, 0), (2, 4, 6)))
    assert [length for _, length in read_raw(data).bars] == [3.0, 3.0, 2.0, 2.0]
    assert [m.length for m in read_score(data).measures] == [3.0, 3.0, 2.0, 2.0]


def test_unknown_preset_is_refused():
    with pytest.raises(BadScoreError, match="Unknown preset"):
        read_score(b"MThd", preset="coltrane")
