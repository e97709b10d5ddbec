"""Meter in and out: each bar keeps its source's time signature, and every take's MIDI is written in it."""

from __future__ import annotations

import io

import mido

from jazz_core.bundle import bundle_from_bytes, bundle_to_bytes
from jazz_core.midi_writer import write_midi
from jazz_core.music import Chord, Measure, Note
from jazz_core.pipeline import generate, learn
from jazz_core.reading import read_raw, read_score
from jazz_core.report import preflight
from jazz_core.settings import DatasetSettings, GenerateSettings, TrainSettings
from tests.conftest import midi_bytes


def time_signatures(midi: bytes) -> list[tuple[int, str]]:
    """(tick, 'n/d') of every time signature in a MIDI file."""
    found = []
    for track in mido.MidiFile(file=io.BytesIO(midi)).tracks:
        tick = 0
        for message in track:
            tick += message.time
            if message.type == "time_signature":
                found.append((tick, f"{message.numerator}/{message.denominator}"))
    return sorted(found)


def waltz() -> bytes:
    tune = [(b * 1.0, 1.0, 67 + (b * 5) % 9) for b in range(48)]
    comping = [(bar * 3.0, 3.0, p) for bar in range(16) for p in ((48, 52, 55) if bar % 2 else (43, 47, 50, 53))]
    return midi_bytes({"Melody": tune, "Piano": comping}, time_signatures=((3, 4, 0),))


def test_a_three_four_source_gives_a_three_four_take():
    piece = read_score(waltz())
    assert {m.meter for m in piece.measures} == {"3/4"} and {m.length for m in piece.measures} == {3.0}
    bundle = learn([piece], DatasetSettings(windows=8, sequence_length=8), training=TrainSettings(epochs=1))
    assert {m.meter for m in bundle_from_bytes(bundle_to_bytes(bundle)).progression} == {"3/4"}
    take = generate(bundle, GenerateSettings(values=40, seed=1))
    assert time_signatures(take.midi) == [(0, "3/4")]


def test_meter_changes_are_carried_and_written_where_they_happen():
    data = midi_bytes({"Lead": [(b, 1, 60 + b % 7) for b in range(10)]}, time_signatures=((3, 4, 0), (2, 4, 6)))
    assert read_raw(data).bar_meters == ("3/4", "3/4", "2/4", "2/4")
    measures = read_score(data).measures
    assert [m.meter for m in measures] == ["3/4", "3/4", "2/4", "2/4"]
    notes = [Note(float(b), 1.0, 60) for b in range(10)]
    written = time_signatures(write_midi(notes, measures))
    per_quarter = mido.MidiFile(file=io.BytesIO(write_midi(notes, measures))).ticks_per_beat
    assert written == [(0, "3/4"), (6 * per_quarter, "2/4")]


def test_six_eight_is_kept_and_typed_changes_are_written_in_their_bar_length():
    c7 = Chord(0.0, (48, 52, 55, 58), (), "C7")
    six_eight = [Measure(3.0, (), (c7,), "6/8")] * 2
    assert time_signatures(write_midi([Note(0.0, 6.0, 60)], six_eight)) == [(0, "6/8")]
    five_four = [Measure(5.0, (), (c7,))]
    assert time_signatures(write_midi([Note(0.0, 5.0, 60)], five_four)) == [(0, "5/4")]


def test_a_free_meter_solo_is_grouped_into_four_four_with_a_warning():
    """WJazzD writes free-meter solos in 1/4: one bar a beat. They become 4/4 bars, a chord a bar."""
    tune = [(b * 0.5, 0.5, 67 + (b * 5) % 9) for b in range(64)]
    data = midi_bytes({"Solo": tune}, time_signatures=((1, 4, 0),))
    assert set(read_raw(data).bar_meters) == {"1/4"}
    piece = read_score(data)
    assert [m.length for m in piece.measures] == [4.0] * 8 and {m.meter for m in piece.measures} == {"4/4"}
    assert "free meter: grouped into 4/4 bars" in piece.origin
    assert any("no real meter" in w and "grouped into 4/4 bars" in w for w in preflight(data).warnings)
