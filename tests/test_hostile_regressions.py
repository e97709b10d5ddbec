"""Every file in tests/data/hostile/ replayed: each is a case that once crashed, hung or misled (the issues'
attack campaign and the fuzz harness's findings), and each now ends as written here, within 10 s.

A file the fuzz harness finds is written there under its kind and hash; rename it for what it is
and add its expected outcome below.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from jazz_core.bundle import bundle_from_bytes
from jazz_core.errors import JazzError
from jazz_core.reading import read_raw, read_score
from tests.hostile import SECONDS

FOLDER = Path(__file__).resolve().parent / "data" / "hostile"
EXPECTED = {  # file -> a phrase of its one-sentence refusal, or None when it must be read (and played) fine
    "abc-multiline-music21-error.abc": "music21 could not read this ABC file",
    "bundle-bar-1e-300.zip": "length is 1e-300, outside",
    "bundle-bar-infinite.zip": "length is inf, not a finite number",
    "bundle-bar-without-chords.zip": "has no chords",
    "bundle-corpus-not-grammar.zip": "is not in the model's vocabulary",
    "bundle-deep-json.zip": "nests deeper than 8 levels",
    "bundle-duration-1e308.zip": "is not a grammar value",
    "bundle-markdown-title.zip": None,
    "bundle-nan-tempo.zip": "its tempo is nan",
    "bundle-npy-ten-billion.zip": "kernel would take 80000 MB",
    "bundle-settings-model-text.zip": "its model settings should be a set of named fields",
    "bundle-unsorted-vocabulary.zip": "not in sorted order",
    "midi-meter-255-over-1.mid": "a bar of 1020 quarter notes",
    "midi-tempo-zero-later.mid": None,
    "midi-tempo-zero.mid": None,
    "musicxml-duration-billion.musicxml": "bars of at most 64",
    "musicxml-meter-1e-300-beats.musicxml": "a time signature with '1e-300' in it",  # music21 looped for ever
    "mxl-duration-1e308.mxl": "impossible time or of an impossible length",  # music21's bar of inf quarters
    "mxl-whitespace-bomb.mxl": "unpacks to 105 MB",
}


def _replay(path: Path) -> None:
    data = path.read_bytes()
    if path.name.startswith("bundle-"):
        from jazz_core.pipeline import generate
        from jazz_core.settings import GenerateSettings

        generate(bundle_from_bytes(data), GenerateSettings(values=20))
    else:
        read_score(data, raw=read_raw(data))


def test_every_file_has_an_expected_outcome():
    assert sorted(p.name for p in FOLDER.iterdir() if p.name != "README.md") == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_hostile_file_ends_as_expected(name):
    started = time.perf_counter()
    if EXPECTED[name] is None:
        _replay(FOLDER / name)
    else:
        with pytest.raises(JazzError, match=EXPECTED[name]) as caught:
            _replay(FOLDER / name)
        assert "\n" not in str(caught.value)
    assert time.perf_counter() - started < SECONDS
