"""The one walker of the looped progression: bar lines, the chord at a time, and each chord's span."""

from __future__ import annotations

import io

import pretty_midi
import pytest

from jazz_core.changes import parse_changes
from jazz_core.midi_writer import CHORD_TRACK, write_midi
from jazz_core.music import Measure, Note
from jazz_core.progression import Timeline, bar_starts, chord_spans
from jazz_core.settings import PlaybackSettings


def symbols(spans) -> list[tuple[float, float, str]]:
    return [(span.start, span.end, span.chord.symbol) for span in spans]


def test_bars_of_different_lengths_loop():
    bars = (Measure(4.0, (), ()), Measure(2.0, (), ()))  # a 4/4 bar then a 2/4 bar
    timeline = Timeline(bars)
    assert [timeline.bar_start(k) for k in range(5)] == [0.0, 4.0, 6.0, 10.0, 12.0]
    assert timeline.locate(11.5) == (3, 1.5)
    assert bar_starts(bars, 10.0) == [0.0, 4.0, 6.0, 10.0, 12.0]  # the bar holding `until`, then its end
    assert bar_starts(bars, 9.9) == [0.0, 4.0, 6.0, 10.0]


def test_the_chord_at_a_time_follows_the_loop():
    timeline = Timeline(parse_changes("| Dm7 G7 | Cmaj7 |"))
    assert [timeline.chord_at(t).symbol for t in (0.0, 1.9, 2.0, 4.0, 8.0, 10.5)] == [
        "Dm7", "Dm7", "G7", "Cmaj7", "Dm7", "G7"]


def test_a_take_ending_inside_a_bar_gets_the_whole_bar():
    bars = parse_changes("| Dm7 G7 |")
    assert symbols(chord_spans(bars, 2.0)) == [(0.0, 2.0, "Dm7"), (2.0, 4.0, "G7")]
    assert symbols(chord_spans(bars, 4.0)) == [(0.0, 2.0, "Dm7"), (2.0, 4.0, "G7")]  # ends on the bar line
    assert symbols(chord_spans(bars, 4.5))[-2:] == [(4.0, 6.0, "Dm7"), (6.0, 8.0, "G7")]
    assert chord_spans(bars, 0.0) == [] and chord_spans((), 8.0) == []


def test_the_midi_plays_exactly_the_spans():
    bars = parse_changes("| Dm7 G7 |")
    data = write_midi([Note(0.0, 2.0, 62)], bars, PlaybackSettings(tempo_bpm=120))
    chords = next(t for t in pretty_midi.PrettyMIDI(io.BytesIO(data)).instruments if t.name == CHORD_TRACK)
    onsets = sorted({round(n.start * 2, 6) for n in chords.notes})  # in quarters at 120 bpm
    assert onsets == [span.start for span in chord_spans(bars, 2.0)] == [0.0, 2.0]


def test_a_timeline_needs_measures():
    with pytest.raises(ValueError, match="at least one measure"):
        Timeline(())
