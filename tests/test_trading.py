"""Continuing a take and answering a phrase: the shipped models, real MIDI phrases, the sampler's primed state."""

from __future__ import annotations

import io
from dataclasses import replace

import pretty_midi
import pytest

from jazz_core import pipeline, sampling, trading
from jazz_core.bundle import load_bundle
from jazz_core.changes import PRESETS, parse_changes
from jazz_core.errors import BadScoreError
from jazz_core.progression import Timeline
from jazz_core.reading import read_score
from jazz_core.settings import GenerateSettings
from tests.conftest import ROOT, midi_bytes

BLUES = parse_changes(PRESETS["12-bar blues in F"])


@pytest.fixture(scope="module")
def jazz():
    return load_bundle(ROOT / "assets" / "jazz_model")


def solo_end_in_bars(take) -> float:
    solo = pretty_midi.PrettyMIDI(io.BytesIO(take.midi)).instruments[0]
    return max(n.end for n in solo.notes) * take.playback.tempo_bpm / 60 / 4


def test_a_chorus_appended_to_two_choruses_of_the_blues_makes_36_bars_and_keeps_every_note(jazz):
    take = pipeline.generate_bars(jazz, 24, GenerateSettings(seed=3), progression=BLUES)
    longer = trading.continued(jazz, take, 1, seed=11)
    assert pipeline.take_bar_count(take) == 24 and pipeline.take_bar_count(longer) == 36
    assert longer.values[:len(take.values)] == take.values and longer.notes[:len(take.notes)] == take.notes
    assert longer.settings.values == len(longer.values) > len(take.values)
    assert 35 < solo_end_in_bars(longer) <= 36 + 1e-6  # the MIDI's solo ends on the last bar line of the form
    assert longer.progression == take.progression and longer.playback == take.playback


def test_the_continuation_goes_on_from_the_takes_state_not_from_silence(jazz):
    take = pipeline.generate_bars(jazz, 12, GenerateSettings(seed=5), progression=BLUES)
    longer = trading.continued(jazz, take, 1, seed=21)
    added = longer.values[len(take.values):]
    start = Timeline(BLUES).bar_start(12)
    cold = pipeline.fill(jazz, [], start, 0.7, 21, progression=BLUES,
                         state=replace(sampling.prime(jazz.weights, jazz.vocabulary, [], BLUES), time=start))
    assert list(added[:12]) != cold[:12], "the same seed from a fresh state plays something else"
    assert longer.notes[len(take.notes)].offset == start


def test_a_take_that_stops_inside_a_bar_is_continued_from_the_next_bar_line(jazz):
    take = pipeline.generate(jazz, GenerateSettings(values=50, seed=3), progression=BLUES)
    longer = trading.continued(jazz, take, 1, seed=5)
    end = take.notes[-1].offset + take.notes[-1].duration
    bars = pipeline.take_bar_count(take)
    assert longer.notes[len(take.notes)].pitch is None  # a rest to the bar line
    assert pipeline.take_bar_count(longer) == bars + 12 and end < Timeline(BLUES).bar_start(bars)
    with pytest.raises(BadScoreError, match="at least one chorus"):
        trading.continued(jazz, take, 0, seed=5)


def phrase(bars: int) -> bytes:
    """A swinging line of eighths over `bars` bars of 4/4, arpeggiating F7."""
    tones = (65, 69, 72, 75, 77, 75, 72, 69)
    return midi_bytes({"Alto sax": [(i * 0.5, 0.5, tones[i % 8]) for i in range(bars * 8)]}, tempo=140.0)


def test_a_four_bar_phrase_is_answered_from_bar_five_over_its_chords(jazz):
    piece = read_score(phrase(4), title="my phrase")
    take, phrase_bars = trading.answered(jazz, piece, BLUES, 4, GenerateSettings(seed=8))
    assert phrase_bars == 4
    mine = [n for n in take.notes if n.offset < 16.0]
    assert [n.pitch for n in mine] == [n.pitch for n in trading.phrase_notes(piece)[1]]  # the phrase as played
    answer = [n for n in take.notes if n.offset >= 16.0]
    assert answer[0].offset == 16.0 and pipeline.take_bar_count(take) == 8
    timeline = Timeline(BLUES)
    assert timeline.chord_at(answer[0].offset).pitches == BLUES[4].chords[0].pitches  # bar 5: Bb7
    chord_tones = [n for n in answer if n.kind == "C" and n.pitch is not None]
    assert chord_tones, "the answer has chord tones"
    for note in chord_tones:  # each chord tone belongs to the chord sounding under it (Bb7, F7, ...)
        assert note.pitch % 12 in {p % 12 for p in timeline.chord_at(note.offset).pitches}


def test_a_phrase_too_short_or_too_long_is_refused_with_a_sentence(jazz):
    for bars in (1, 10):
        with pytest.raises(BadScoreError, match=f"lasts {bars} bar.*2 to 8 bars"):
            trading.answered(jazz, read_score(phrase(bars), title="x"), BLUES, 4)
