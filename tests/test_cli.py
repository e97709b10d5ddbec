"""The command line, run as a user would: real files, real training, plain errors with exit status 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pretty_midi
import pytest

from tests.conftest import ROOT, midi_bytes


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "jazz_core", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env={"TF_CPP_MIN_LOG_LEVEL": "3", "PATH": "/usr/bin:/bin"})


def test_corpus_json_for_the_builtin_corpus():
    result = run("corpus", "--json")
    report = json.loads(result.stdout)
    assert result.returncode == 0
    assert report["measures"] > 100 and report["values"] > 400 and report["unique_values"] > 50


def test_corpus_json_for_the_course_file(metheny_bytes, tmp_path):
    path = tmp_path / "course.mid"
    path.write_bytes(metheny_bytes)
    report = json.loads(run("corpus", str(path), "--preset", "metheny", "--json").stdout)
    assert (report["measures"], report["values"], report["unique_values"]) == (18, 193, 78)


def test_train_then_generate(tmp_path):
    trained = run("train", "--epochs", "2", "--seed", "0", "--out", str(tmp_path / "model"))
    assert trained.returncode == 0, trained.stderr
    assert trained.stdout.count("epoch ") == 2
    generated = run("generate", str(tmp_path / "model"), "--values", "40", "--seed", "3",
                    "--out", str(tmp_path / "solo.mid"))
    assert generated.returncode == 0, generated.stderr
    assert pretty_midi.PrettyMIDI(str(tmp_path / "solo.mid")).instruments[0].name == "Solo"


def _file(name: str, content: bytes):
    def make(directory):
        path = directory / name
        path.write_bytes(content)
        return path
    return make


@pytest.mark.parametrize(("make", "args", "message"), [
    (_file("notes.mid", b"these are my notes"), ["corpus"], "not music"),
    (_file("empty.mid", b""), ["corpus"], "empty"),
    (_file("drums.mid", midi_bytes({"Kit": [(0, 1, 36)]}, drums=("Kit",))), ["corpus"], "drums only"),
    (_file("short.mid", midi_bytes({"Lead": [(b, 1, 60 + b) for b in range(6)]})), ["train", "--out", "x"],
     "only 6 values"),
    (lambda d: d / "missing.mid", ["corpus"], "Cannot open"),
])
def test_bad_music_gives_one_plain_sentence(tmp_path, make, args, message):
    path = make(tmp_path)
    result = run(args[0], str(path), *args[1:])
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("args", "message"), [
    (["--values", "0"], "values to generate must be between 1"),
    (["--temperature", "-1"], "temperature must be between 0"),
    (["--seed", "-1"], "seed must be between 0"),
    (["--band", "bass,tuba"], "--band takes bass, drums and comp, not tuba"),
])
def test_absurd_generation_settings_are_refused(args, message):
    result = run("generate", "assets/default_model", "--out", "unused.mid", *args)
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr


def test_a_missing_bundle_is_named(tmp_path):
    result = run("generate", str(tmp_path / "nope"), "--out", str(tmp_path / "x.mid"))
    assert result.returncode == 2 and "no model bundle" in result.stderr


def test_absurd_evaluation_settings_are_refused():
    result = run("evaluate", "assets/default_model", "--values", "0")
    assert result.returncode == 2 and "values and seeds must be at least 1" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bug_is_not_passed_off_as_the_users_mistake(monkeypatch):
    from jazz_core import cli

    def broken(args) -> None:
        raise ValueError("an internal slip")

    monkeypatch.setattr(cli, "cmd_corpus", broken)
    with pytest.raises(ValueError, match="an internal slip"):  # a traceback, not "error: ..." and exit 2
        cli.main(["corpus"])
