"""The fuzz harness in CI: two hundred hostile inputs of every kind (the same ones every run), none escaping.

`make fuzz` runs the same harness on 10,000 new examples; see tests/fuzz.py.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT


def test_two_hundred_hostile_inputs_end_in_a_result_or_one_sentence(tmp_path):
    # findings go to the test's own folder: a failing run must not leave files among the committed regressions
    command = [sys.executable, "-m", "tests.fuzz", "--examples", "200", "--findings", str(tmp_path),
               "--report", str(tmp_path / "report.json")]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, check=False)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["findings"] == [], report["findings"]
    assert report["total"] >= 190 and set(report["examples"]) == {"midi", "musicxml", "abc", "mxl", "bundle",
                                                                  "changes"}
    assert report["peak_megabytes"] < 1024 and done.returncode == 0
