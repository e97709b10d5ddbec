"""Property-based tests: any measures, any values, any bytes end in a valid result or in our own error."""

from __future__ import annotations

import io

import mido
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jazz_core.errors import BadScoreError
from jazz_core.grammar import TYPES, decode_values, encode_measures, interval_name, melody_line
from jazz_core.music import GRID, Chord, Measure, Note
from jazz_core.scores import read_score
from tests.conftest import midi_bytes

grid_times = st.integers(min_value=0, max_value=4 * GRID - 1).map(lambda steps: steps / GRID)
durations = st.integers(min_value=0, max_value=6 * GRID).map(lambda steps: steps / GRID)
chords = st.lists(st.integers(min_value=0, max_value=127), min_size=1, max_size=6).map(tuple)


@st.composite
def measures(draw) -> tuple[Measure, ...]:
    bars = []
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        length = draw(st.sampled_from([2.0, 3.0, 4.0, 1.5]))
        notes = tuple(Note(offset, duration, draw(st.integers(min_value=0, max_value=127)))
                      for offset, duration in draw(st.lists(st.tuples(grid_times, durations), max_size=12))
                      if offset < length)
        bar_chords = tuple(Chord(float(i), pitches) for i, pitches in enumerate(draw(st.lists(chords, max_size=3))))
        bars.append(Measure(length, notes, bar_chords))
    return tuple(bars)


@given(measures())
@settings(max_examples=150, deadline=None)
def test_encoding_then_decoding_keeps_every_onset_and_duration(bars):
    values = encode_measures(bars)
    line = melody_line(bars)
    decoded = decode_values(values, bars, seed=0)
    assert [(n.offset, n.duration, n.pitch is None) for n in decoded] == \
        [(n.offset, n.duration, n.pitch is None) for n in line]
    assert all(n.pitch is None or 0 <= n.pitch <= 127 for n in decoded)


@st.composite
def any_value(draw) -> str:
    kind = draw(st.sampled_from(TYPES))
    text = f"{kind},{draw(durations):.3f}"
    if draw(st.booleans()):  # a window, even where the model should not have made one (a rest, a first note)
        low, high = draw(st.integers(-40, 40)), draw(st.integers(-40, 40))
        text += f",<{interval_name(high)},{interval_name(low)}>"
    return text


@given(st.lists(any_value(), max_size=60), measures())
@settings(max_examples=150, deadline=None)
def test_decoding_never_fails_on_made_up_values(values, bars):
    notes = decode_values(values, bars, seed=1)
    assert len(notes) == sum(not v.split(",")[1].startswith("0.000") for v in values)
    assert all(n.pitch is None or 0 <= n.pitch <= 127 for n in notes)


def _read(data: bytes):
    try:
        return read_score(data)
    except BadScoreError as error:
        assert str(error) and "\n" not in str(error)  # one plain sentence
        return None


@given(st.binary(max_size=2048))
@settings(max_examples=200, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
def test_random_bytes_end_in_a_piece_or_our_error(data):
    _read(data)


@given(st.binary(max_size=512))
@settings(max_examples=100, deadline=5000)
def test_bytes_behind_a_midi_header_end_in_a_piece_or_our_error(tail):
    _read(b"MThd\x00\x00\x00\x06\x00\x01\x00\x02\x01\xe0" + tail)


VALID = midi_bytes({"Lead": [(b * 0.5, 0.5, 60 + b % 12) for b in range(64)], "Keys": [(0, 16, 48), (0, 16, 52)]})


@given(st.integers(min_value=0, max_value=len(VALID)))
@settings(max_examples=100, deadline=5000)
def test_truncated_midi_ends_in_a_piece_or_our_error(cut):
    _read(VALID[:cut])


def _midi(messages_per_track: list[list[mido.Message]], ticks: int = 480) -> bytes:
    midi = mido.MidiFile(type=1, ticks_per_beat=ticks)
    for messages in messages_per_track:
        midi.tracks.append(mido.MidiTrack(messages))
    buffer = io.BytesIO()
    midi.save(file=buffer)
    return buffer.getvalue()


def test_a_billion_tick_note_is_cut_not_followed():
    melody = [mido.Message("note_on", note=60 + i % 5, velocity=90, time=0 if i == 0 else 240) for i in range(40)]
    melody = [m for i, on in enumerate(melody) for m in (on, mido.Message("note_off", note=on.note, time=200))]
    melody += [mido.Message("note_on", note=72, velocity=90, time=0),
               mido.Message("note_off", note=72, time=1_000_000_000)]
    piece = read_score(_midi([melody]))
    assert max(n.duration for m in piece.measures for n in m.notes) == 64.0  # MAX_NOTE_QUARTERS
    assert len(piece.measures) < 40


def test_a_score_too_long_to_read_is_refused():
    melody = [mido.Message("note_on", note=60, velocity=90, time=0), mido.Message("note_off", note=60, time=240),
              mido.Message("note_on", note=62, velocity=90, time=480 * 4 * 5000),
              mido.Message("note_off", note=62, time=240)]
    with pytest.raises(BadScoreError, match="more than 4000 bars"):
        read_score(_midi([melody]))


def test_zero_length_notes_and_extreme_pitches():
    messages = []
    for i in range(40):
        pitch = (0, 127, 64)[i % 3]
        messages += [mido.Message("note_on", note=pitch, velocity=90, time=120),
                     mido.Message("note_off", note=pitch, time=0 if i % 2 else 120)]
    piece = read_score(_midi([messages]))
    assert {n.pitch for m in piece.measures for n in m.notes} <= {0, 64, 127}
    assert all(n.duration >= 0 for m in piece.measures for n in m.notes)
    assert encode_measures(piece.measures)


def test_ten_thousand_tracks():
    one = [mido.Message("note_on", note=60, velocity=90, time=0), mido.Message("note_off", note=60, time=480)]
    data = _midi([one] * 10_000)
    piece = read_score(data)
    assert piece.measures and "part 0" in piece.origin
