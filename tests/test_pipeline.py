"""From pieces to a take: N values, reproducible with a seed, a MIDI file of the right length."""

from __future__ import annotations

import io

import pretty_midi
import pytest

from jazz_core.grammar import Timeline, note_type
from jazz_core.pipeline import generate
from jazz_core.settings import GenerateSettings, PlaybackSettings


def test_generates_exactly_n_values(small_bundle):
    take = generate(small_bundle, GenerateSettings(values=123, temperature=1.0, seed=5))
    assert len(take.values) == 123
    assert len(take.notes) == 123  # no value had zero length, so each became a note or a rest
    assert all(v in small_bundle.vocabulary.values for v in take.values)


def test_same_seed_same_midi_other_seed_other_midi(small_bundle):
    settings = GenerateSettings(values=80, temperature=0.8, seed=11)
    assert generate(small_bundle, settings).midi == generate(small_bundle, settings).midi
    other = GenerateSettings(values=80, temperature=0.8, seed=12)
    assert generate(small_bundle, settings).midi != generate(small_bundle, other).midi


def test_midi_length_matches_the_values(small_bundle):
    take = generate(small_bundle, GenerateSettings(values=60, seed=1), PlaybackSettings(tempo_bpm=130))
    midi = pretty_midi.PrettyMIDI(io.BytesIO(take.midi))
    solo = midi.instruments[0]
    played = [n for n in take.notes if n.pitch is not None]
    assert len(solo.notes) == len(played)
    assert max(n.end for n in solo.notes) == pytest.approx(
        max(n.offset + n.duration for n in played) * 60 / 130, abs=0.01)


def test_notes_fit_the_chords_as_the_model_chose(small_bundle):
    take = generate(small_bundle, GenerateSettings(values=200, temperature=1.0, seed=3))
    timeline = Timeline(small_bundle.progression)
    played = [n for n in take.notes if n.pitch is not None]
    fits = [note_type(n.pitch, timeline.chord_at(n.offset)) == n.kind for n in played]
    assert sum(fits) / len(fits) > 0.95
    assert {n.kind for n in played} >= {"C", "S"}  # A and X are kept, not rewritten to C


def test_a_solo_over_typed_changes_puts_chord_tones_on_those_chords(small_bundle):
    from jazz_core.changes import parse_changes

    bars = parse_changes("| Dm7 G7 | Cmaj7 | Bbmaj7 | A7b9 |")
    take = generate(small_bundle, GenerateSettings(values=150, temperature=1.0, seed=2), progression=bars)
    timeline = Timeline(bars)
    chord_tones = [n for n in take.notes if n.kind == "C"]
    assert chord_tones
    assert all(n.pitch % 12 in timeline.chord_at(n.offset).pitch_classes for n in chord_tones)
    assert take.progression == bars


def _bar_notes(take, starts, bar):
    return [n for n in take.notes if starts[bar] <= n.offset < starts[bar + 1]]


def test_rerolling_bar_k_changes_only_bar_k(small_bundle):
    from jazz_core.pipeline import bar_starts, reroll

    take = generate(small_bundle, GenerateSettings(values=120, temperature=0.8, seed=4))
    starts = bar_starts(take.progression, take.notes[-1].offset)
    bar = next(k for k in range(3, 10) if len(_bar_notes(take, starts, k)) >= 3)
    changed = [reroll(small_bundle, take, bar, seed=s) for s in (1, 2, 3)]
    for new in changed:
        for k in range(len(starts) - 2):
            if k != bar:
                assert _bar_notes(new, starts, k) == _bar_notes(take, starts, k)
        assert sum(n.duration for n in _bar_notes(new, starts, bar)) == pytest.approx(
            sum(n.duration for n in _bar_notes(take, starts, bar)))
    assert any(_bar_notes(new, starts, bar) != _bar_notes(take, starts, bar) for new in changed)
    twice = reroll(small_bundle, changed[0], bar, seed=9)  # a re-rolled take can be re-rolled again
    assert len(twice.notes) >= len(take.notes) - len(_bar_notes(take, starts, bar))
