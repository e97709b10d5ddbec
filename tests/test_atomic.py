"""Interrupted saves: a training process killed while it saves leaves the previous bundle whole."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from jazz_core.atomic import write_bytes
from jazz_core.bundle import load_bundle
from tests.conftest import ROOT

TRAIN_AND_SAVE = """
import dataclasses, sys
from jazz_core.pipeline import learn
from jazz_core.scores import builtin_corpus
from jazz_core.bundle import save_bundle
from jazz_core.settings import ModelSettings, TrainSettings
model = ModelSettings(hidden_units=256, family="course")
bundle = learn(builtin_corpus(), model=model, training=TrainSettings(epochs=1))
for round in range(100000):  # saves back to back, each with other weights, until killed
    weights = dataclasses.replace(bundle.weights, dense_bias=bundle.weights.dense_bias + round)
    save_bundle(dataclasses.replace(bundle, weights=weights), sys.argv[1])
    print("saved", round, flush=True)
"""


def test_killing_training_mid_save_keeps_a_whole_bundle(tmp_path):
    target = tmp_path / "model"
    rng = random.Random(0)
    for _ in range(4):
        process = subprocess.Popen([sys.executable, "-c", TRAIN_AND_SAVE, str(target)], cwd=ROOT,
                                   stdout=subprocess.PIPE, text=True, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
        try:
            assert process.stdout.readline().startswith("saved")
            time.sleep(rng.uniform(0.01, 0.3))  # somewhere in the middle of one of many saves
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait()
        bundle = load_bundle(target)  # never half-written: the previous or the new bundle, whole
        assert bundle.weights.hidden_units == 256
        assert len(list(target.glob("weights*.npz"))) <= 2  # the current one, and at most one the kill left


def test_an_atomic_write_replaces_the_file_whole(tmp_path):
    path = tmp_path / "take.mid"
    write_bytes(path, b"first")
    write_bytes(path, b"second")
    assert path.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["take.mid"]


class _Interrupted(Exception):
    """Stands for the process dying at that moment."""


def test_a_save_interrupted_between_the_weights_and_the_manifest_keeps_the_old_bundle(course_bundle, tmp_path,
                                                                                       monkeypatch):
    import dataclasses

    from jazz_core import bundle as bundle_module
    from jazz_core.pipeline import generate
    from jazz_core.settings import GenerateSettings

    folder = bundle_module.save_bundle(course_bundle, tmp_path / "model")
    before = generate(load_bundle(folder), GenerateSettings(values=60, seed=3))
    newer = dataclasses.replace(course_bundle, weights=dataclasses.replace(
        course_bundle.weights, dense_bias=course_bundle.weights.dense_bias + 1.0), title="newer")
    written = []

    def write_then_die_before_the_manifest(path, data):
        if path.name == bundle_module.MANIFEST:
            raise _Interrupted
        written.append(path.name)
        return write_bytes(path, data)

    monkeypatch.setattr(bundle_module, "write_bytes", write_then_die_before_the_manifest)
    with pytest.raises(_Interrupted):
        bundle_module.save_bundle(newer, folder)
    assert written and written[0].startswith("weights")  # the new weights did reach the folder
    kept = load_bundle(folder)
    assert kept.title == course_bundle.title
    assert (kept.weights.dense_bias == course_bundle.weights.dense_bias).all()
    assert generate(kept, GenerateSettings(values=60, seed=3)).midi == before.midi
    monkeypatch.undo()
    bundle_module.save_bundle(newer, folder)  # the next save succeeds and tidies the orphaned weights away
    assert load_bundle(folder).title == "newer" and len(list(folder.glob("weights*.npz"))) == 1


def test_a_reader_of_the_old_file_still_reads_it_whole(tmp_path):
    """The new file is renamed over the old one, never copied into it: whoever opened the old file
    (a page loading the model while training saves it) reads the old bytes to the end."""
    path = tmp_path / "bundle.json"
    write_bytes(path, b"old " * 10_000)
    with open(path, "rb") as reader:
        reader.read(7)
        write_bytes(path, b"new " * 20_000)
        assert reader.read() == (b"old " * 10_000)[7:]
    assert path.read_bytes() == b"new " * 20_000
