"""Practice mode's choruses: the shipped jazz model, real sampling, real FluidSynth for the run's audio."""

from __future__ import annotations

import io
import time
from dataclasses import replace

import pytest
import soundfile

from jazz_core import pipeline, practice, sampling
from jazz_core.bundle import load_bundle
from jazz_core.changes import PRESETS, parse_changes
from jazz_core.progression import Timeline
from jazz_core.settings import GenerateSettings, PlaybackSettings
from tests.conftest import ROOT

BLUES = parse_changes(PRESETS["12-bar blues in F"])


@pytest.fixture(scope="module")
def jazz():
    return load_bundle(ROOT / "assets" / "jazz_model")


def choruses(bundle, count: int, seed: int = 4, playback: PlaybackSettings = PlaybackSettings()):
    made, before = [], None
    for _ in range(count):
        before = practice.next_chorus(bundle, BLUES, GenerateSettings(seed=seed), playback, before)
        made.append(before)
    return made


def test_each_chorus_is_once_through_the_form_a_fresh_solo_with_its_own_seed(jazz):
    made = choruses(jazz, 3, playback=PlaybackSettings(tempo_bpm=150, bass=True))
    form = Timeline(BLUES).bar_start(12)
    assert [c.number for c in made] == [1, 2, 3]
    assert made[0].seed == 4 and len({c.seed for c in made}) == 3
    assert len({c.take.values for c in made}) == 3, "a fresh solo each chorus"
    for chorus in made:
        last = chorus.take.notes[-1]
        assert chorus.take.notes[0].offset == 0.0 and abs(last.offset + last.duration - form) < 1e-9
        assert pipeline.take_bar_count(chorus.take) == 12
        assert chorus.seconds == pytest.approx(12 * 4 * 60 / 150)  # bars x beats x 60 / tempo
        assert chorus.take.playback.bass and chorus.take.progression == BLUES


def test_a_chorus_follows_from_the_one_before_and_the_same_run_plays_the_same(jazz):
    first, second = choruses(jazz, 2)
    cold = pipeline.fill(jazz, [], Timeline(BLUES).bar_start(12), 0.7, second.seed, progression=BLUES,
                         state=sampling.prime(jazz.weights, jazz.vocabulary, [], BLUES))
    assert list(second.take.values) != cold, "the model heard the chorus before: not what it plays from silence"
    again = choruses(jazz, 2)
    assert [c.take.midi for c in again] == [first.take.midi, second.take.midi]


def test_a_run_makes_choruses_ahead_of_the_one_playing_and_stops(jazz):
    run = practice.PracticeRun(jazz, BLUES, GenerateSettings(seed=2), PlaybackSettings(tempo_bpm=200))
    run.start()
    try:
        wait_for(lambda: len(run.ready()) == practice.AHEAD)
        time.sleep(0.3)
        assert [r.chorus.number for r in run.ready()] == [1, 2], "two ahead before anything plays"
        audio, rate = soundfile.read(io.BytesIO(run.ready()[0].audio))
        assert len(audio) / rate >= run.ready()[0].chorus.seconds  # the form, then the reverb's tail
        run.heard(1, received=[1, 2])
        wait_for(lambda: len(run.ready()) == 3)
        assert [r.audio is None for r in run.ready()] == [True, True, False], "sent once, then dropped"
        assert run.ready()[-1].chorus.number == 3 and run.ready()[-1].made_in > 0
    finally:
        run.stop()
        run.wait(30)
    assert run.stopped and not run.thread.is_alive() and run.error is None


def test_a_run_that_cannot_play_says_why_in_a_sentence(jazz):
    long_form = parse_changes("| C7 " * 160 + "|")  # 160 bars at 20 bpm: 32 minutes a chorus
    run = practice.PracticeRun(jazz, long_form, GenerateSettings(), PlaybackSettings(tempo_bpm=20))
    run.run()
    assert run.stopped and run.error == ("Practice stopped: This MIDI file lasts 32 minutes; the player renders at "
                                         "most 10.")
    broken = practice.PracticeRun(replace(jazz), (), GenerateSettings(), PlaybackSettings())  # a bug: no changes
    broken.run()
    assert broken.stopped and "something went wrong on our side" in broken.error


def wait_for(condition, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)
