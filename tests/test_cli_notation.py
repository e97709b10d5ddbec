"""The command line writes lead sheets: `generate --musicxml` with the shipped model, read back by music21."""

from __future__ import annotations

from music21 import converter, key

from tests.conftest import ROOT
from tests.test_cli import run

MODEL = str(ROOT / "assets" / "default_model")


def test_generate_writes_musicxml_for_a_tenor_player(tmp_path):
    result = run("generate", MODEL, "--values", "60", "--changes", "12-bar blues in F", "--swing", "medium",
                 "--out", str(tmp_path / "solo.mid"), "--musicxml", str(tmp_path / "solo.musicxml"),
                 "--part", "bb-tenor")
    assert result.returncode == 0, result.stderr
    assert "for B-flat tenor sax" in result.stdout
    score = converter.parse(tmp_path / "solo.musicxml")
    assert score.metadata.bestTitle == "Solo over 12-bar blues in F"
    assert [k.sharps for k in score.flatten().getElementsByClass(key.KeySignature)] == [1]  # F concert -> G


def test_unknown_part_is_refused():
    result = run("generate", MODEL, "--out", "x.mid", "--part", "alto")
    assert result.returncode == 2 and "invalid choice: 'alto'" in result.stderr
