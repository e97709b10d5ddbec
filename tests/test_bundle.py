"""Model bundles: save and load round trip, as a directory and as a zip, and refusals of bad ones."""

from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np
import pytest

from jazz_core.bundle import bundle_from_bytes, bundle_to_bytes, load_bundle, save_bundle
from jazz_core.errors import BadBundleError


def test_directory_round_trip(small_bundle, tmp_path):
    loaded = load_bundle(save_bundle(small_bundle, tmp_path / "model"))
    assert loaded.vocabulary == small_bundle.vocabulary
    assert loaded.progression == small_bundle.progression
    assert loaded.corpus == small_bundle.corpus
    assert np.array_equal(loaded.weights.kernel, small_bundle.weights.kernel)
    assert loaded.settings["training"]["epochs"] == 5


def test_saving_again_replaces_the_old_bundle_whole(small_bundle, tmp_path):
    save_bundle(small_bundle, tmp_path / "model")
    save_bundle(small_bundle, tmp_path / "model")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model"]


def test_zip_round_trip(small_bundle):
    loaded = bundle_from_bytes(bundle_to_bytes(small_bundle))
    assert loaded.vocabulary == small_bundle.vocabulary
    assert loaded.family == "studio" and loaded.split == small_bundle.split
    assert loaded.measures_per_piece == small_bundle.measures_per_piece and len(loaded.measures_per_piece) == 2
    for name, array in small_bundle.weights.arrays().items():
        assert np.array_equal(getattr(loaded.weights, name), array), name


def test_a_course_bundle_round_trips_as_the_course_family(course_bundle):
    loaded = bundle_from_bytes(bundle_to_bytes(course_bundle))
    assert loaded.family == "course" and type(loaded.weights) is type(course_bundle.weights)
    assert np.array_equal(loaded.weights.dense_bias, course_bundle.weights.dense_bias)


def _rezip(data: bytes, change) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    change(members)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _with_manifest(data: bytes, **fields) -> bytes:
    def change(members):
        manifest = json.loads(members["bundle.json"])
        manifest.update(fields)
        members["bundle.json"] = json.dumps(manifest).encode()
    return _rezip(data, change)


def test_bad_bundles_are_refused_with_a_reason(small_bundle, tmp_path):
    good = bundle_to_bytes(small_bundle)
    with pytest.raises(BadBundleError, match="format version 99, which this version of the app does not know"):
        bundle_from_bytes(_with_manifest(good, format_version=99))
    with pytest.raises(BadBundleError, match=r"older version of the app \(format 1\).*Train the model again"):
        bundle_from_bytes(_with_manifest(good, format_version=1))
    with pytest.raises(BadBundleError, match="model family is 'transformer'"):
        bundle_from_bytes(_with_manifest(good, family="transformer"))
    with pytest.raises(BadBundleError, match="does not fit together"):  # another duration: other heads' shapes
        bundle_from_bytes(_with_manifest(good, vocabulary=sorted(["C,9.000", *small_bundle.vocabulary.values])))
    with pytest.raises(BadBundleError, match="split's test has an empty range"):
        bundle_from_bytes(_with_manifest(good, split={"pieces": [], "train": [], "validation": [], "test": [[5, 5]]}))
    with pytest.raises(BadBundleError, match="does not fit together"):
        bundle_from_bytes(_with_manifest(good, vocabulary=["C,0.250"]))
    with pytest.raises(BadBundleError, match="lacks"):
        bundle_from_bytes(_rezip(good, lambda m: m.pop("weights.npz")))
    with pytest.raises(BadBundleError, match="not a model bundle"):
        bundle_from_bytes(b"MThd this is a MIDI file, not a bundle")
    with pytest.raises(BadBundleError, match="no model bundle"):
        load_bundle(tmp_path / "nothing-here")


def test_pickled_arrays_are_never_loaded(small_bundle):
    def poison(members):
        buffer = io.BytesIO()
        np.savez(buffer, kernel=np.array([object()], dtype=object))
        members["weights.npz"] = buffer.getvalue()
    with pytest.raises(BadBundleError, match="damaged"):
        bundle_from_bytes(_rezip(bundle_to_bytes(small_bundle), poison))


def test_the_shipped_model_loads_and_generates():
    from pathlib import Path

    from jazz_core.pipeline import generate
    from jazz_core.settings import GenerateSettings

    bundle = load_bundle(Path(__file__).resolve().parent.parent / "assets" / "default_model")
    take = generate(bundle, GenerateSettings(values=50, seed=2))
    assert len(take.values) == 50 and take.midi.startswith(b"MThd")


def test_no_path_escapes_the_bundle_folder(small_bundle, tmp_path):
    folder = save_bundle(small_bundle, tmp_path / "model")
    (tmp_path / "secret.npz").write_bytes((folder / next(folder.glob("weights*.npz")).name).read_bytes())
    manifest = json.loads((folder / "bundle.json").read_text())
    manifest["weights_file"] = "../secret.npz"
    (folder / "bundle.json").write_text(json.dumps(manifest))
    with pytest.raises(BadBundleError, match=r"lacks its weights file secret\.npz"):
        load_bundle(folder)


def test_a_zip_of_many_members_is_refused(small_bundle):
    def stuff(members):
        members.update({f"extra-{i}.txt": b"x" for i in range(100)})
    with pytest.raises(BadBundleError, match="holds 102 files"):
        bundle_from_bytes(_rezip(bundle_to_bytes(small_bundle), stuff))


def test_read_only_bundles_refuse_writes_and_still_play():
    from jazz_core import pipeline
    from jazz_core.bundle import read_only
    from jazz_core.settings import GenerateSettings
    from tests.conftest import ROOT

    default = ROOT / "assets" / "default_model"
    bundle = read_only(load_bundle(default))
    for array in bundle.weights.arrays().values():
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 0
    take = pipeline.generate(bundle, GenerateSettings(values=40))
    assert take.midi == pipeline.generate(load_bundle(default), GenerateSettings(values=40)).midi
    assert pipeline.reroll(bundle, take, 1, 5).notes[0] == take.notes[0]


class _Trap:
    """Unpickling this makes a folder: proof that a pickle inside the weights was run."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __reduce__(self):
        return (os.mkdir, (self.path,))


def _poisoned_weights(bundle, path) -> bytes:
    """The bundle's own weights.npz with the kernel swapped for a pickled object that acts when loaded."""
    buffer = io.BytesIO()
    np.savez(buffer, **{**bundle.weights.arrays(), "kernel": np.array([_Trap(str(path))], dtype=object)})
    return buffer.getvalue()


def _load_poisoned(bundle, folder, weights: bytes, packed: str):
    if packed == "zip":
        return bundle_from_bytes(_rezip(bundle_to_bytes(bundle), lambda m: m.update({"weights.npz": weights})))
    save_bundle(bundle, folder)
    (folder / json.loads((folder / "bundle.json").read_text())["weights_file"]).write_bytes(weights)
    return load_bundle(folder)


@pytest.mark.parametrize("packed", ["zip", "folder"])
def test_a_pickle_in_the_weights_is_never_run(small_bundle, tmp_path, packed):
    trap = tmp_path / "the-pickle-ran"
    with pytest.raises(BadBundleError, match="not as plain decimal numbers") as refused:
        try:
            _load_poisoned(small_bundle, tmp_path / "model", _poisoned_weights(small_bundle, trap), packed)
        finally:
            assert not trap.exists(), "loading the bundle ran the pickle inside its weights"
    assert "not one of ours" in str(refused.value)
