"""Several files at once: each file's verdict, the corpus of the good ones, the bad one named (core and CLI)."""

from __future__ import annotations

import json

from jazz_core.report import preflight_files
from tests.conftest import midi_bytes
from tests.test_cli import run


def tune(shift: int) -> bytes:
    line = [(i * 0.5, 0.5, 62 + shift + (i * 5) % 12) for i in range(64)]
    return midi_bytes({"Melody": line, "Piano": [(b * 4.0, 4.0, p) for b in range(8) for p in (50, 53, 57, 60)]})


BAD = b"hello, this is a text file named song.mid\n"


def test_several_uploads_with_one_bad_one_give_the_good_ones_and_name_the_bad_one():
    report = preflight_files([("first.mid", tune(0)), ("notes.mid", BAD), ("second.mid", tune(3))])
    assert [f.title for f in report.files] == ["first.mid", "notes.mid", "second.mid"]
    assert report.refused == ("notes.mid",) and len(report.pieces) == 2
    assert "not music" in report.files[1].verdict and not report.files[1].enough
    assert report.enough and report.values == report.files[0].values + report.files[2].values
    assert report.verdict.startswith("Ready: ") and "from 2 of 3 files" in report.verdict
    assert report.verdict.endswith("Left out: notes.mid.")
    assert json.loads(json.dumps(report.to_dict()))["refused"] == ["notes.mid"]


def test_no_good_file_is_not_ready_and_says_why_for_each():
    report = preflight_files([("a.mid", BAD), ("b.mid", b"")])
    assert not report.enough and not report.pieces
    assert report.verdict.startswith("None of the files gives music to learn from: a.mid: ")
    assert "b.mid: The file is empty" in report.verdict


def test_the_cli_trains_on_the_good_files_and_names_the_bad_one(tmp_path):
    paths = []
    for name, data in (("first.mid", tune(0)), ("broken.mid", BAD), ("second.mid", tune(3))):
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))
    trained = run("train", *paths, "--epochs", "1", "--sequence-length", "16", "--out", str(tmp_path / "model"))
    assert trained.returncode == 0, trained.stderr
    assert f"warning: {paths[1]} left out: This file is not music" in trained.stderr
    assert "saved" in trained.stdout
    refused = run("train", paths[1], str(tmp_path / "missing.mid"), "--epochs", "1", "--out", str(tmp_path / "m2"))
    assert refused.returncode == 2 and "None of the 2 files could be read" in refused.stderr

    corpus = run("corpus", *paths, "--json")
    assert corpus.returncode == 0, corpus.stderr
    report = json.loads(corpus.stdout)
    assert [f["title"] for f in report["files"]] == paths and report["refused"] == [paths[1]]
    assert report["values"] == report["files"][0]["values"] + report["files"][2]["values"]
    text = run("corpus", *paths, str(tmp_path / "missing.mid"))
    assert text.returncode == 0
    assert text.stdout.count("verdict: Ready") == 2 and f"Left out: {paths[1]}, " in text.stdout
    assert f"{tmp_path / 'missing.mid'}: Cannot open" in text.stdout
    assert text.stdout.splitlines()[-1].startswith("corpus: ")
