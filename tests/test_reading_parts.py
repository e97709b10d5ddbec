"""Choosing the melody part."""

from __future__ import annotations

import pytest

from jazz_core.errors import BadScoreError
from jazz_core.reading import read_score
from tests.conftest import midi_bytes


def test_the_melody_part_can_be_chosen_by_name():
    data = midi_bytes({"Lead": [(0, 1, 72)] * 1 + [(1, 1, 74)], "Bass": [(0, 2, 36), (2, 2, 38)]})
    assert "Bass" in read_score(data, melody="Bass").origin
    with pytest.raises(BadScoreError, match="no part named 'Horn'"):
        read_score(data, melody="Horn")


def test_drums_only_and_empty_midi_say_there_is_no_melody():
    drums = midi_bytes({"Kit": [(b * 0.5, 0.25, 42) for b in range(16)]}, drums=("Kit",))
    with pytest.raises(BadScoreError, match="drums only"):
        read_score(drums)
    with pytest.raises(BadScoreError, match="no pitched notes"):
        read_score(midi_bytes({}))
