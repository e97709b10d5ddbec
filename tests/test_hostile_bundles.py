"""Hostile model bundles: each is refused with one sentence before it can hang, crash or take the memory.

Every case is a small file made here; the ones that are large when unpacked are zip bombs of a
few kilobytes. The CLI cases check exit status 2, one line, and the time and memory it took.
"""

from __future__ import annotations

import io
import json
import time
import zipfile

import numpy as np
import pytest

from jazz_core.bundle import bundle_from_bytes, load_bundle
from jazz_core.bundle_schema import json_depth
from jazz_core.errors import BadBundleError
from tests.hostile import (
    MEGABYTES,
    SECONDS,
    VOCABULARY,
    bundle_zip,
    manifest,
    npz,
    run_bounded,
    weights_arrays,
    with_fields,
)


def test_the_tiny_bundle_itself_loads():
    bundle = bundle_from_bytes(bundle_zip())
    assert len(bundle.vocabulary) == 4 and len(bundle.progression) == 2 and bundle.weights.hidden_units == 4


def _refused(data: bytes, message: str) -> str:
    started = time.perf_counter()
    with pytest.raises(BadBundleError, match=message) as caught:
        bundle_from_bytes(data)
    assert time.perf_counter() - started < SECONDS
    text = str(caught.value)
    assert "\n" not in text and text.endswith(".")
    return text


def test_json_nested_thousands_deep_is_refused_without_recursion():
    deep = b'{"format_version": 1, "title": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    _refused(bundle_zip(deep), "nests deeper than 8 levels")


def test_brackets_inside_strings_do_not_count_as_depth():
    assert json_depth(b'{"a": "[[[[[[[[[[[[[[\\"[[[[[["}') == 1
    assert json_depth(b"[[[]], {}]") == 3


def test_a_folder_bundle_nested_thousands_deep_is_refused(tmp_path):
    (tmp_path / "bundle.json").write_bytes(b"[" * 50_000 + b"]" * 50_000)
    (tmp_path / "weights.npz").write_bytes(npz(weights_arrays()))
    with pytest.raises(BadBundleError, match="nests deeper"):
        load_bundle(tmp_path)


def _npy_header_claiming(shape: tuple[int, ...]) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": "<f8", "fortran_order": False, "shape": shape})
    return buffer.getvalue()


def _weights_with(name: str, member: bytes) -> bytes:
    arrays = io.BytesIO(npz(weights_arrays()))
    with zipfile.ZipFile(arrays) as archive:
        members = {n: archive.read(n) for n in archive.namelist()}
    members[f"{name}.npy"] = member
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for n, content in members.items():
            archive.writestr(n, content)
    return buffer.getvalue()


def test_an_npy_header_declaring_ten_billion_numbers_allocates_nothing():
    weights = _weights_with("kernel", _npy_header_claiming((100_000, 100_000)) + b"\0" * 64)
    _refused(bundle_zip(weights_bytes=weights), "kernel would take 80000 MB; at most 48 MB")


def test_an_npy_header_of_the_right_shape_but_too_many_bytes_is_refused():
    weights = _weights_with("dense_bias", _npy_header_claiming((4,)) + b"\0" * 16)  # 4 float64 need 32 bytes
    _refused(bundle_zip(weights_bytes=weights), "cut short")


def test_weights_npz_that_is_a_zip_bomb_is_refused_before_unpacking():
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ("kernel", "recurrent_kernel", "bias", "dense_kernel", "dense_bias"):
            archive.writestr(f"{name}.npy", _npy_header_claiming((4000, 4000)) + bytes(4000 * 4000 * 8))
    assert len(bomb.getvalue()) < 2_000_000
    _refused(bundle_zip(weights_bytes=bomb.getvalue()), "weights.npz unpacks to more than 48 MB")


def test_a_bundle_json_zip_bomb_is_refused_before_unpacking():
    huge = b'{"title": "' + b" " * 200_000_000 + b'"}'
    data = bundle_zip(huge)
    assert len(data) < 1_000_000
    _refused(data, "unpacks to more than 16 MB")


def test_an_infinite_bar_length_is_refused():
    bar = {"length": float("inf"), "chords": manifest()["progression"][0]["chords"]}
    _refused(with_fields(progression=[bar]), "bar 1 of its chord progression's length is inf")


def test_a_bar_length_of_1e_300_is_refused():
    bar = {"length": 1e-300, "chords": manifest()["progression"][0]["chords"]}
    _refused(with_fields(progression=[bar]), "length is 1e-300, outside")


@pytest.mark.parametrize("duration", ["1e308", "inf", "1e4", "1e6", "nan"])
def test_vocabulary_durations_beyond_a_bar_are_refused(duration):
    vocabulary = sorted([*VOCABULARY[:3], f"X,{duration}"])
    _refused(with_fields(vocabulary=vocabulary, corpus=vocabulary), "vocabulary value")


def test_a_progression_of_700000_bars_is_refused_by_its_size():
    bar = b'{"length":4,"chords":[{"offset":0,"pitches":[60]}]},'
    body = json.dumps(manifest(progression=[])).encode().replace(b'"progression": []',
                                                                 b'"progression": [' + bar * 700_000 + b"{}]")
    _refused(bundle_zip(body), "unpacks to more than 16 MB of bundle.json")


def test_a_progression_of_5000_bars_is_refused_by_its_length():
    _refused(with_fields(progression=manifest()["progression"] * 2500), "has 5000 bars; at most 4000")


def test_nan_tempo_is_named_in_words():
    _refused(with_fields(tempo_bpm=float("nan")), "its tempo is nan, not a finite number")


def test_an_absurd_but_finite_tempo_is_played_within_range():
    assert bundle_from_bytes(with_fields(tempo_bpm=1e308)).tempo_bpm == 400.0


def test_nan_in_the_weights_is_refused():
    arrays = weights_arrays()
    arrays["bias"][0] = np.nan
    _refused(bundle_zip(weights_bytes=npz(arrays)), r"bias\) hold numbers that are not finite")


def test_an_unsorted_vocabulary_says_so():
    _refused(with_fields(vocabulary=VOCABULARY[::-1]), "not in sorted order")


def test_a_vocabulary_of_many_values_is_refused_before_the_weights_are_read():
    values = sorted(f"C,{i / 12:.3f}" for i in range(1, 25_000))
    _refused(with_fields(vocabulary=values), "vocabulary has 24999 entries; 1 to 20000")


def test_settings_model_that_is_not_a_mapping():
    _refused(with_fields(settings={"model": "big"}), "its model settings should be a set of named fields")


def test_settings_out_of_range():
    _refused(with_fields(settings={"dataset": {"windows": -5}}), "dataset settings are not usable")


def test_a_corpus_of_non_grammar_strings():
    _refused(with_fields(corpus=["<script>", "hello"]), "training value 1 .'<script>'. is not in the model's")


def test_a_bar_with_no_chords():
    _refused(with_fields(progression=[{"length": 4.0, "chords": []}]), "bar 1 of its chord progression has no chords")


def test_a_chord_with_a_pitch_out_of_range():
    chord = {"offset": 0.0, "pitches": [60, 1000]}
    _refused(with_fields(progression=[{"length": 4.0, "chords": [chord]}]), "pitches is 1000, outside 0 to 127")


def test_a_huge_integer_is_damaged_json_not_a_crash():
    _refused(bundle_zip(b'{"format_version": ' + b"9" * 10_000 + b"}"), "not valid JSON")


def test_weights_stored_as_objects_are_never_unpickled():
    arrays = weights_arrays()
    weights = io.BytesIO()
    np.savez(weights, **{**arrays, "kernel": np.array([object()] * 4, dtype=object)})
    _refused(bundle_zip(weights_bytes=weights.getvalue()), "stored as object, not as plain decimal numbers")


@pytest.mark.parametrize("case", ["deep", "bomb", "nan", "bars"])
def test_the_cli_refuses_each_in_one_sentence_quickly_and_small(tmp_path, case):
    data = {"deep": lambda: bundle_zip(b"[" * 100_000 + b"]" * 100_000),
            "bomb": lambda: bundle_zip(b'{"t": "' + b" " * 200_000_000 + b'"}'),
            "nan": lambda: with_fields(tempo_bpm=float("nan")),
            "bars": lambda: with_fields(progression=[{"length": 1e-300, "chords": []}] * 3)}[case]()
    (tmp_path / "model.zip").write_bytes(data)
    result = run_bounded("generate", str(tmp_path / "model.zip"), "--out", str(tmp_path / "take.mid"))
    assert result.returncode == 2 and result.one_sentence, result.stderr
    assert result.seconds < SECONDS and result.peak_megabytes < MEGABYTES
    assert not (tmp_path / "take.mid").exists()


def test_the_largest_model_training_allows_is_one_the_loader_takes():
    from jazz_core.bundle import MAX_BUNDLE_BYTES, Bundle, bundle_to_bytes
    from jazz_core.bundle_schema import check_bundle_size
    from jazz_core.dataset import Vocabulary
    from jazz_core.model import LstmWeights

    values = tuple(sorted(f"{kind},{i / 12:.3f}" for kind in "CSAXR" for i in range(1, 381)))[:1899]
    check_bundle_size(len(values), 512, 10_000)  # allowed: so it must load back
    bundle = bundle_from_bytes(bundle_zip())
    big = Bundle(LstmWeights(**weights_arrays(len(values), 512)), Vocabulary(values), bundle.progression, values)
    data = bundle_to_bytes(big)
    assert len(data) <= MAX_BUNDLE_BYTES and bundle_from_bytes(data).weights.hidden_units == 512


def test_a_model_too_large_to_load_back_is_refused_before_training():
    from jazz_core.bundle_schema import check_bundle_size

    message = "512 hidden units over 5000 values would need 111 MB of weights; a bundle can hold 48 MB"
    with pytest.raises(BadBundleError, match=message):
        check_bundle_size(5000, 512, 10_000)
