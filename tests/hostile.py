"""Helpers for the hostile-input tests: a tiny hand-made bundle to spoil, and the CLI run under a watch.

`run_bounded` runs `python -m jazz_core ...` and reports its exit status, its stderr, how long it
took and its peak memory (the child's own maximum resident size, from wait4), so a test can
assert "exit 2, one sentence, within 10 s and under 1 GB" for each case.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tests.conftest import ROOT

VOCABULARY = ["C,0.500", "C,1.000,<M2,m-3>", "R,0.500", "S,0.500,<P4,m2>"]
SECONDS, MEGABYTES = 10.0, 1024.0  # every hostile case ends within this, under this


def weights_arrays(vocabulary: int = len(VOCABULARY), hidden: int = 4, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"kernel": rng.normal(size=(vocabulary, 4 * hidden)),
            "recurrent_kernel": rng.normal(size=(hidden, 4 * hidden)), "bias": np.zeros(4 * hidden),
            "dense_kernel": rng.normal(size=(hidden, vocabulary)), "dense_bias": np.zeros(vocabulary)}


def npz(arrays: dict[str, np.ndarray]) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def manifest(**changes) -> dict:
    """bundle.json of a valid four-value model over two bars of C7, with `changes` applied."""
    chord = {"offset": 0.0, "pitches": [48, 52, 55, 58], "scale": [0, 2, 4, 5, 7, 9, 10], "symbol": "C7"}
    fields = {"format_version": 2, "family": "course", "title": "Tiny", "tempo_bpm": 120.0, "source_sha256": "",
              "vocabulary": VOCABULARY, "progression": [{"length": 4.0, "chords": [chord]}] * 2,
              "corpus": VOCABULARY * 3, "settings": {"model": {"hidden_units": 4, "family": "course"}},
              "history": [1.0, 0.5]}
    fields.update(changes)
    return fields


def bundle_zip(manifest_bytes: bytes | None = None, weights_bytes: bytes | None = None,
               compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    manifest_bytes = json.dumps(manifest()).encode() if manifest_bytes is None else manifest_bytes
    weights_bytes = npz(weights_arrays()) if weights_bytes is None else weights_bytes
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.writestr("bundle.json", manifest_bytes)
        archive.writestr("weights.npz", weights_bytes)
    return buffer.getvalue()


def with_fields(**changes) -> bytes:
    """A bundle zip whose bundle.json has `changes`; NaN and infinity are written as JSON's NaN/Infinity."""
    return bundle_zip(json.dumps(manifest(**changes)).encode())


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_megabytes: float

    @property
    def one_sentence(self) -> bool:
        lines = self.stderr.strip().splitlines()
        return len(lines) == 1 and "Traceback" not in self.stderr and lines[0].startswith("error: ")


# A small Python between the test and the command: a child forked from the (large) test process would
# report the test's own memory as its peak; the launcher's child starts small and is measured by wait4.
LAUNCHER = """
import os, resource, subprocess, sys
if sys.argv[2] != "-":  # a file-size limit, as a full disk would impose
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), int(sys.argv[2])))
child = subprocess.Popen(sys.argv[3:])
_, status, usage = os.wait4(child.pid, 0)
with open(sys.argv[1], "w") as report:
    report.write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) & 255)
"""


def run_bounded(*args: str, timeout: float = 60.0, stdin: bytes | None = None, file_size_limit: int | None = None
                ) -> Run:
    """`python -m jazz_core ARGS` with its time and peak resident memory (its own and its children's) measured."""
    env = {"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin", "HOME": os.environ.get("HOME", "/tmp")}
    with tempfile.TemporaryDirectory() as folder:
        report = os.path.join(folder, "peak")
        started = time.perf_counter()
        command = [sys.executable, "-c", LAUNCHER, report, str(file_size_limit or "-"), sys.executable, "-m",
                   "jazz_core", *args]
        done = subprocess.run(command,
                              cwd=ROOT, env=env, capture_output=True, input=stdin, timeout=timeout, check=False)
        seconds = time.perf_counter() - started
        with open(report) as file:
            peak = int(file.read()) / 1024
    return Run(done.returncode, done.stdout.decode(errors="replace"), done.stderr.decode(errors="replace"),
               seconds, peak)


def read_only_folder(tmp_path) -> Path:
    """A folder that refuses new files: a read-only one, or for root (whom modes do not stop) a sysfs folder."""
    if os.geteuid() == 0:
        return Path("/sys/kernel")
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    return folder
