"""Hostile scores: absurd tempos, floods of MIDI events, bars beyond the caps, zip bombs, runaway children.

Each is read the way the page and the CLI read it and ends in a piece or one BadScoreError sentence,
within 10 s; the large ones are generated here, in the test's temp folder.
"""

from __future__ import annotations

import io
import struct
import tempfile
import time
import zipfile

import mido
import pytest

from jazz_core.errors import BadScoreError
from jazz_core.reading import read_raw, read_score
from jazz_core.reading.child import run_child
from jazz_core.report import preflight
from tests.hostile import MEGABYTES, SECONDS, run_bounded


def _midi(messages: list, ticks: int = 480) -> bytes:
    midi = mido.MidiFile(type=0, ticks_per_beat=ticks)
    midi.tracks.append(mido.MidiTrack(messages))
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def _melody(bars: int = 8) -> list:
    notes = []
    for i in range(bars * 4):
        notes += [mido.Message("note_on", note=60 + i % 7, velocity=90, time=0),
                  mido.Message("note_off", note=60 + i % 7, time=480)]
    return notes


def dense_midi(size: int) -> bytes:
    """One track of running-status note-ons with zero delta times: one long chord, `size` bytes."""
    body = bytearray(b"\x00\x90\x3c\x40") + b"\x00\x3c\x40" * ((size - 40) // 3) + b"\x00\xff\x2f\x00"
    return b"MThd" + struct.pack(">IHHH", 6, 0, 1, 480) + b"MTrk" + struct.pack(">I", len(body)) + bytes(body)


def _within_budget(read, *args):
    started = time.perf_counter()
    try:
        return read(*args)
    finally:
        assert time.perf_counter() - started < SECONDS


# --- MIDI -----------------------------------------------------------------------------------

@pytest.mark.parametrize("where", ["start", "later"])
def test_a_tempo_of_zero_is_skipped_not_divided_by(where):
    zero = mido.MetaMessage("set_tempo", tempo=0, time=0)
    messages = [zero, *_melody()] if where == "start" else [*_melody(4), zero, *_melody(4)]
    raw = read_raw(_midi(messages))
    assert raw.tempo_bpm == 120.0 and 0 not in raw.tempos
    assert read_score(_midi(messages)).measures


def test_an_absurd_tempo_is_clamped_with_a_warning():
    data = _midi([mido.MetaMessage("set_tempo", tempo=1, time=0), *_melody()])
    raw = read_raw(data)
    assert raw.tempo_bpm == 400.0 and raw.tempos == (60_000_000.0,)
    assert any("outside 20-400 bpm; playback uses 400 bpm" in w for w in preflight(data, raw=raw).warnings)


def test_a_time_signature_of_255_over_1_is_refused():
    data = _midi([mido.MetaMessage("time_signature", numerator=255, denominator=1, time=0), *_melody()])
    with pytest.raises(BadScoreError, match="a bar of 1020 quarter notes; bars of at most 64"):
        read_raw(data)


def test_dense_events_with_zero_delta_are_stopped_while_reading():
    with pytest.raises(BadScoreError, match=r"more than 500,000 events|longer than 5 s"):
        _within_budget(read_raw, dense_midi(2_000_000))


def test_a_20_mb_midi_of_one_long_chord_through_the_cli(tmp_path):
    path = tmp_path / "chord.mid"
    path.write_bytes(dense_midi(20_000_000 - 64))
    result = run_bounded("corpus", str(path))
    assert result.returncode == 2 and result.one_sentence, result.stderr
    assert "events" in result.stderr or "longer than 5 s" in result.stderr
    assert result.seconds < SECONDS and result.peak_megabytes < MEGABYTES


def test_a_tempo_zero_midi_through_the_cli(tmp_path):
    path = tmp_path / "zero.mid"
    path.write_bytes(_midi([mido.MetaMessage("set_tempo", tempo=0, time=0), *_melody(16)]))
    result = run_bounded("corpus", str(path))
    assert result.returncode == 0 and "Traceback" not in result.stderr and "Ready" in result.stdout


# --- MusicXML and ABC -------------------------------------------------------------------------

def musicxml(measures: int, duration: int = 4) -> bytes:
    note = (f"<note><pitch><step>C</step><octave>4</octave></pitch><duration>{duration}</duration>"
            "<type>whole</type></note>")
    bars = "".join(f'<measure number="{i + 1}">' + ("<attributes><divisions>1</divisions><time><beats>4</beats>"
                   "<beat-type>4</beat-type></time></attributes>" if i == 0 else "") + note + "</measure>"
                   for i in range(measures))
    return ('<?xml version="1.0"?><score-partwise version="3.1"><part-list><score-part id="P1"><part-name>Lead'
            f'</part-name></score-part></part-list><part id="P1">{bars}</part></score-partwise>').encode()


def test_musicxml_of_4500_measures_is_refused_as_midi_is():
    with pytest.raises(BadScoreError, match="4500 bars; at most 4000"):
        _within_budget(read_raw, musicxml(4500))


def test_a_musicxml_duration_of_a_billion_is_refused():
    with pytest.raises(BadScoreError, match="bars of at most 64"):
        _within_budget(read_raw, musicxml(2, duration=10 ** 9))


def test_abc_past_the_bar_cap_is_refused():
    abc = ("X:1\nT:Long\nM:4/4\nL:1/4\nK:C\n" + "C D E F|" * 4100 + "\n").encode()
    with pytest.raises(BadScoreError, match=r"4100 bars; at most 4000|longer than"):
        _within_budget(read_raw, abc)


def test_an_mxl_whose_member_inflates_past_the_cap_is_refused_before_parsing():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("score.xml", "w") as member:
        for _ in range(100):
            member.write(b" " * 1_000_000)
    assert len(buffer.getvalue()) < 1_000_000
    with pytest.raises(BadScoreError, match="unpacks to 100 MB in 1 files; at most 64 MB"):
        _within_budget(read_raw, buffer.getvalue())


# --- the reading child's budgets ------------------------------------------------------------

def test_the_child_is_stopped_at_its_memory_cap_and_says_so():
    with pytest.raises(BadScoreError, match="needed more than 2 GB of memory"):
        run_child("tests.reading_child", ["memory"], b"", 30, "MusicXML")


def test_a_child_stopped_at_its_time_budget_leaves_no_temporary_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the parent's temp folder: the child's goes inside
    with pytest.raises(BadScoreError, match="took longer than 2 s"):
        run_child("tests.reading_child", ["sleep"], b"x" * 100_000, 2, "MusicXML")
    assert list(tmp_path.iterdir()) == []
