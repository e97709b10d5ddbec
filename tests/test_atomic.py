"""Interrupted saves: a training process killed while it saves leaves the previous bundle whole."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

from jazz_core.atomic import write_bytes
from jazz_core.bundle import load_bundle
from tests.conftest import ROOT

TRAIN_AND_SAVE = """
import dataclasses, sys
from jazz_core.pipeline import learn
from jazz_core.scores import builtin_corpus
from jazz_core.bundle import save_bundle
from jazz_core.settings import ModelSettings, TrainSettings
bundle = learn(builtin_corpus(), model=ModelSettings(hidden_units=256), training=TrainSettings(epochs=1))
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
