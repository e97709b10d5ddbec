"""Settings and texts that set the amount of work: each is capped, and the cap is quoted in the refusal."""

from __future__ import annotations

import json
import time

import pytest

from jazz_core.bundle import bundle_from_bytes
from jazz_core.changes import parse_changes
from jazz_core.errors import BadScoreError, SettingsError
from jazz_core.evaluation import Solo, measure
from jazz_core.metrics import GS_MAX_PAIRS, bar_pairs, grooving_similarity
from jazz_core.music import Chord, Measure, Note
from jazz_core.pipeline import generate
from jazz_core.settings import GenerateSettings
from tests.hostile import MEGABYTES, SECONDS, bundle_zip, manifest, npz, run_bounded, weights_arrays

MODEL = "assets/default_model"


def test_evaluate_caps_its_seeds_before_reading_anything():
    result = run_bounded("evaluate", MODEL, "--values", "200", "--seeds", "1000000")
    message = "seeds at most 20, not 200 and 1000000"
    assert result.returncode == 2 and result.one_sentence and message in result.stderr, result.stderr
    assert result.seconds < SECONDS and result.peak_megabytes < MEGABYTES


def test_grooving_similarity_compares_a_bounded_sample_of_bar_pairs():
    assert bar_pairs(4) == [(0, 1), (0, 2), (0, 3), (1, 2), (1, 3), (2, 3)]  # few bars: every pair, exactly
    pairs = bar_pairs(5000)
    assert len(pairs) == GS_MAX_PAIRS and all(i < j for i, j in pairs) and pairs == bar_pairs(5000)
    assert grooving_similarity([{0, 12}] * 5000, 48) == 1.0


def test_a_5000_value_take_is_measured_quickly():
    chords = (Chord(0.0, (48, 52, 55, 58)),)
    measures = tuple(Measure(4.0, (), chords) for _ in range(8))
    notes = tuple(Note(i * 0.25, 0.25, 60 + i % 12, "C") for i in range(5000))  # 1250 bars of sixteenths
    started = time.perf_counter()
    found = measure(Solo(notes, ("C,0.250",) * 5000, measures), ["C,0.250"] * 50)
    assert time.perf_counter() - started < SECONDS
    assert found["GS"] > 0.99 and found["notes_per_bar"] > 15.9


@pytest.mark.parametrize(("text", "message"), [
    ("| C7 " * 3000 + "|", "characters long; at most 10,000 are read"),
    ("| C7 " * 600 + "|", "have 600 bars; at most 512"),
    ("| " + "C7 " * 17 + "|", "Bar 1 has 17 chords; at most 16"),
    ("| " + "C7 " * 5000 + "|", "characters long"),
    ("| C" + "7" * 40 + " |", "longer than 24 characters"),
])
def test_chord_changes_past_the_caps_are_refused(text, message):
    started = time.perf_counter()
    with pytest.raises(BadScoreError, match=message):
        parse_changes(text)
    assert time.perf_counter() - started < 1.0


def _long_value_bundle():
    vocabulary = ["C,64.000", "R,64.000"]
    data = bundle_zip(json.dumps(manifest(vocabulary=vocabulary, corpus=vocabulary)).encode(),
                      npz(weights_arrays(2)))
    return data, bundle_from_bytes(data)


def test_a_take_too_long_to_write_is_refused_before_writing():
    _, bundle = _long_value_bundle()
    with pytest.raises(SettingsError, match="would last 80,000 bars; a take of at most 4,000 bars"):
        generate(bundle, GenerateSettings(values=5000))
    assert generate(bundle, GenerateSettings(values=20)).midi.startswith(b"MThd")


def test_a_take_too_long_through_the_cli(tmp_path):
    data, _ = _long_value_bundle()
    (tmp_path / "model.zip").write_bytes(data)
    result = run_bounded("generate", str(tmp_path / "model.zip"), "--values", "5000", "--out",
                         str(tmp_path / "take.mid"))
    assert result.returncode == 2 and result.one_sentence and "Ask for fewer values" in result.stderr
    assert result.seconds < SECONDS and result.peak_megabytes < MEGABYTES
