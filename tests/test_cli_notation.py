"""The command line writes lead sheets (`generate --musicxml`, `notate`) and stems, with the shipped model."""

from __future__ import annotations

import zipfile

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
    concert = run("generate", MODEL, "--values", "60", "--changes", "12-bar blues in F", "--swing", "medium",
                  "--out", str(tmp_path / "concert.mid"), "--musicxml", str(tmp_path / "concert.musicxml"))
    assert concert.returncode == 0, concert.stderr
    sharps = [[k.sharps for k in converter.parse(tmp_path / name).flatten().getElementsByClass(key.KeySignature)]
              for name in ("concert.musicxml", "solo.musicxml")]
    assert len(sharps[0]) == 1 and sharps[1] == [sharps[0][0] + 2]  # the same take a major ninth up: F -> G


def test_unknown_part_is_refused():
    result = run("generate", MODEL, "--out", "x.mid", "--part", "alto")
    assert result.returncode == 2 and "invalid choice: 'alto'" in result.stderr


def test_notate_writes_a_takes_midi_as_musicxml_and_svg(tmp_path):
    made = run("generate", MODEL, "--values", "40", "--changes", "12-bar blues in F", "--swing", "hard",
               "--out", str(tmp_path / "solo.mid"), "--musicxml", str(tmp_path / "direct.musicxml"))
    assert made.returncode == 0, made.stderr
    result = run("notate", str(tmp_path / "solo.mid"), "--swing", "hard", "--changes", "12-bar blues in F",
                 "--out", str(tmp_path / "solo.musicxml"), "--svg", str(tmp_path / "solo.svg"), "--title", "Blues")
    assert result.returncode == 0, result.stderr
    notes = [[(n.pitch.midi, n.offset, n.quarterLength) for n in converter.parse(tmp_path / name).flatten().notes
              if n.isNote] for name in ("direct.musicxml", "solo.musicxml")]
    assert notes[0] == notes[1] and len(notes[0]) > 20  # read back from the MIDI: the same lead sheet
    assert (tmp_path / "solo.svg").read_text().count('class="measure"') >= 3


def test_notate_refuses_a_file_that_is_not_a_take(tmp_path):
    (tmp_path / "notes.mid").write_text("hello")
    result = run("notate", str(tmp_path / "notes.mid"), "--out", str(tmp_path / "x.musicxml"))
    assert result.returncode == 2 and "not a MIDI file" in result.stderr and "Traceback" not in result.stderr


def test_generate_writes_stems(tmp_path):
    result = run("generate", MODEL, "--values", "20", "--band", "bass,drums", "--out", str(tmp_path / "solo.mid"),
                 "--stems", str(tmp_path / "stems.zip"), "--stems-format", "wav")
    assert result.returncode == 0, result.stderr
    names = set(zipfile.ZipFile(tmp_path / "stems.zip").namelist())
    assert {"audio/solo.wav", "audio/bass.wav", "audio/drums.wav", "midi/solo.mid", "midi/chords.mid"} <= names
