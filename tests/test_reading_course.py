"""The course's reading of original_metheny.mid (the metheny preset): the course's own corpus, value for value."""

from __future__ import annotations

import collections
import json

import pytest

from jazz_core.dataset import make_dataset
from jazz_core.grammar import parse_value
from jazz_core.pipeline import corpus_values
from jazz_core.reading import read_score
from jazz_core.reading.course import course_measure_values
from jazz_core.settings import DatasetSettings
from tests.conftest import METHENY

COURSE_VALUES = METHENY.parent / "course_values.json"


@pytest.fixture(scope="module")
def course() -> dict:
    if not COURSE_VALUES.is_file():
        pytest.skip(f"the course's values are not at {COURSE_VALUES}")
    return json.loads(COURSE_VALUES.read_text())


def test_the_course_reading_gives_the_course_values_value_for_value(metheny_bytes, course):
    piece = read_score(metheny_bytes, preset="metheny")
    values = corpus_values([piece])
    assert values == course["values"]
    assert (len(values), len(set(values))) == (193, 78) == (len(course["values"]), course["unique_values"])
    assert collections.Counter(v[0] for v in values) == {"C": 117, "S": 44, "A": 25, "X": 7}
    assert len(piece.measures) == 18
    assert [len(m.notes) for m in piece.measures] == [len(m.split()) for m in course["measures"]]


def test_the_course_reading_finds_the_course_chords(metheny_bytes, course):
    """chords[i] belongs to measures[i]; each is [absolute offset, pitch names as music21 spells them]."""
    names = ("C", "C#", "D", "E-", "E", "F", "F#", "G", "G#", "A", "B-", "B")
    piece = read_score(metheny_bytes, preset="metheny")
    for bar, (measure, expected) in enumerate(zip(piece.measures, course["chords"], strict=True)):
        found = [(476 + 4 * bar + c.offset, sorted(f"{names[p % 12]}{p // 12 - 1}" for p in c.pitches))
                 for c in measure.chords]
        assert found == [(offset, sorted(pitches)) for offset, pitches in expected], bar


def test_with_the_course_reading_and_the_course_shapes_x_is_60_by_30_by_78(metheny_bytes):
    values = corpus_values([read_score(metheny_bytes, preset="metheny")])
    dataset = make_dataset(values, DatasetSettings(windows=60, sequence_length=30))
    assert dataset.x.shape == (60, 30, 78)
    assert all(parse_value(v) for v in values)  # the course's spelled intervals (d5, A4...) are ours to decode


def test_the_course_grammar_on_a_literal_bar():
    """C7 (C E G Bb): E is a chord tone; F is in the derived scale; C# is a half step from C; a bar starts without
    a leap, then each note's window is music21's spelled interval plus and minus a minor third: E up to F is a
    minor second (+m3: d4, -m3: M-2), F down to C# a diminished fourth (+m3: m-2, -m3: d-6)."""
    c7 = [(476.0, (48, 52, 55, 58))]
    values = course_measure_values([(476.0, 0.5, 64), (476.5, 0.25, 65), (476.75, 1 / 3, 61)], c7)
    assert values == ["C,0.500", "S,0.250,<d4,M-2>", "A,0.333,<m-2,d-6>"]
