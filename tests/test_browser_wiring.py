"""The page's wiring of the model families, the jazz model, several uploads, continuing a take and trading fours,
in a real headless Chromium (`streamlit run` driven with Playwright, as tests/test_browser.py does)."""

from __future__ import annotations

import re
from pathlib import Path

import pretty_midi
import pytest

from jazz_core import pipeline
from jazz_core.bundle import bundle_from_bytes
from tests.conftest import midi_bytes
from tests.test_browser import (  # noqa: F401 - fixtures
    browser,
    choose,
    fetch_audio,
    server,
    set_number,
    settled,
    sound_seconds,
)

pytestmark = __import__("tests.test_browser", fromlist=["pytestmark"]).pytestmark


def open_page(chromium, url: str):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.get_by_role("button", name=re.compile(r"Generate$")).wait_for(timeout=90_000)
    settled(page)
    return page


@pytest.fixture
def page(server, browser):  # noqa: F811
    """The page opened and ready for a click (as `open_page`), closed after the test."""
    opened = open_page(browser, server[0])
    yield opened
    opened.close()


def test_the_family_field_trains_a_studio_model_by_default(page):
    family = page.locator("[data-testid=stSelectbox]").filter(has_text="Model family")
    assert "Studio: learns the style (recommended)" in (family.inner_text() + family.locator("input").input_value())
    page.get_by_text("Training settings").click()
    set_number(page, "Epochs", 3)
    page.get_by_role("button", name=re.compile(r"Train$")).click()
    notice = page.get_by_text(re.compile(r"^Trained for 3 epochs"))
    notice.wait_for(timeout=180_000)
    assert "The studio family always keeps its best epoch. It holds the weights of epoch" in notice.inner_text()
    page.get_by_text(re.compile(r"The model kept is epoch \d of 3")).wait_for(timeout=10_000)
    page.get_by_text("Model in use: trained").wait_for(timeout=10_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=re.compile(r"Download this model \(\.zip\)$")).click()
    trained = bundle_from_bytes(Path(download.value.path()).read_bytes())
    assert trained.family == "studio" and trained.settings["model"]["family"] == "studio"
    assert not page.locator("[data-testid=stException]").count()


def test_the_jazz_model_is_one_click_away_and_plays(server, page):  # noqa: F811
    url, _ = server
    page.get_by_text(re.compile(r"Weimar Jazz Database.*Jazzomat Research Project.*MINGUS project")).wait_for(
        timeout=10_000)
    page.get_by_role("button", name=re.compile(r"Use the jazz model")).click()
    page.get_by_text("Model in use: jazz").wait_for(timeout=60_000)
    settled(page)
    page.get_by_role("button", name=re.compile(r"Generate$")).click()
    audio = page.locator("audio").first
    audio.wait_for(state="attached", timeout=120_000)
    page.get_by_text(re.compile(r"· jazz model$")).wait_for(timeout=10_000)
    seconds, peak = sound_seconds(fetch_audio(page, url, audio))
    assert seconds > 1.0 and peak > 0.05
    assert not page.locator("[data-testid=stException]").count()


def uploader(page, label: str):
    return page.locator("[data-testid=stFileUploader]").filter(has_text=label).locator("input[type=file]")


def test_two_files_one_a_text_file_named_mid_the_bad_one_is_named_and_the_other_trained_on(page):
    solo = [(i * 0.5, 0.5, 60 + (i * 5) % 17) for i in range(64)]
    comping = [(bar * 4.0, 4.0, p) for bar in range(8) for p in (48, 52, 55, 58)]
    good = midi_bytes({"Sax": solo, "Piano": comping}, tempo=150.0)
    page.get_by_text("A score of mine").click()
    uploader(page, "Your scores").set_input_files([
        {"name": "blues.mid", "mimeType": "audio/midi", "buffer": good},
        {"name": "notes.mid", "mimeType": "audio/midi", "buffer": b"these are my notes, not a MIDI file"}])
    page.get_by_text(re.compile(r"^notes\.mid is left out: This file is not music that can be read here")).wait_for(
        timeout=60_000)
    page.get_by_text(re.compile(r"^Ready: \d+ values from 1 of 2 files .*Left out: notes\.mid\.$")).wait_for(
        timeout=30_000)
    settled(page)
    page.get_by_text("Training settings").click()
    set_number(page, "Epochs", 2)
    page.get_by_role("button", name=re.compile(r"Train$")).click()
    page.get_by_text(re.compile(r"^Trained for 2 epochs")).wait_for(timeout=180_000)
    page.get_by_text("Model in use: trained").wait_for(timeout=10_000)
    page.get_by_text(re.compile(r"trained here on blues\.mid\)")).wait_for(timeout=10_000)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=re.compile(r"Download this model \(\.zip\)$")).click()
    trained = bundle_from_bytes(Path(download.value.path()).read_bytes())
    assert trained.source_sha256 == pipeline.source_hash([good]) and len(trained.measures_per_piece) == 1
    assert not page.locator("[data-testid=stException]").count()


def solo_notes(page, index: int = 0) -> list:
    """The solo part's notes of the index-th take's MIDI download (newest first)."""
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=re.compile(r"MIDI$")).nth(index).click()
    return pretty_midi.PrettyMIDI(download.value.path()).instruments


def test_continue_appends_a_chorus_to_a_take(page):
    choose(page, "Play over", "12-bar blues in F")
    page.get_by_text("choruses", exact=True).click()
    page.get_by_role("spinbutton", name="Choruses", exact=True).wait_for(timeout=30_000)
    settled(page)
    page.get_by_role("button", name=re.compile(r"Generate$")).click()
    page.get_by_text(re.compile(r"^Take 1 · 2 choruses \(24 bars\)")).wait_for(timeout=120_000)
    settled(page)
    before = solo_notes(page)[0].notes
    bar = 4 * 60.0 / 130
    assert 23 * bar < max(n.end for n in before) <= 24 * bar + 0.05
    page.get_by_role("button", name=re.compile(r"Continue from this one$")).click()
    page.get_by_text(re.compile(r"^Take 1 · 36 bars, continued")).wait_for(timeout=120_000)
    settled(page)
    after = solo_notes(page)[0].notes
    assert 35 * bar < max(n.end for n in after) <= 36 * bar + 0.05  # 12 more bars in the MIDI
    assert [(round(n.start, 3), n.pitch) for n in after[:len(before)]] == [
        (round(n.start, 3), n.pitch) for n in before]  # every note already played kept
    assert page.get_by_role("button", name=re.compile(r"Undo$")).is_enabled()
    page.get_by_role("button", name=re.compile(r"Undo$")).click()
    page.get_by_text(re.compile(r"^Take 1 · 2 choruses \(24 bars\)")).wait_for(timeout=60_000)
    assert not page.locator("[data-testid=stException]").count()


def test_a_primed_answer_starts_after_the_phrase_over_the_right_chord(server, page):  # noqa: F811
    url, _ = server
    tones = (65, 69, 72, 75, 77, 75, 72, 69)
    phrase = midi_bytes({"Alto sax": [(i * 0.5, 0.5, tones[i % 8]) for i in range(32)]}, tempo=140.0)  # 4 bars
    choose(page, "Play over", "12-bar blues in F")
    settled(page)
    page.get_by_text("Trade fours: the model answers your phrase").click()
    uploader(page, "Your phrase").set_input_files({"name": "lick.mid", "mimeType": "audio/midi", "buffer": phrase})
    settled(page)
    page.get_by_role("button", name=re.compile(r"Answer$")).click()
    page.get_by_text(re.compile(r"your 4-bar phrase \+ a 4-bar answer")).first.wait_for(timeout=120_000)
    settled(page)
    solo, chords = solo_notes(page)[:2]
    beat = 60.0 / 130
    mine = [n for n in solo.notes if n.start < 16 * beat - 1e-3]
    answer = [n for n in solo.notes if n.start >= 16 * beat - 1e-3]
    assert [n.pitch for n in mine][:8] == list(tones) and len(mine) == 32
    assert answer and abs(answer[0].start - 16 * beat) < 0.02  # the answer starts on bar 5's downbeat
    under = {n.pitch % 12 for n in chords.notes if n.start <= answer[0].start + 1e-3 < n.end}
    assert under >= {10, 2, 5, 8}, f"Bb7 sounds under the answer's first note, not {sorted(under)}"
    assert max(n.end for n in solo.notes) <= 32 * beat + 0.05  # 8 bars: the phrase and its answer
    assert sound_seconds(fetch_audio(page, url, page.locator("audio").first))[0] > 1.0
    assert not page.locator("[data-testid=stException]").count()


def test_chords_without_bar_lines_are_said_under_the_field_before_anything_is_played(page):
    choose(page, "Play over", "My own changes")
    field = page.get_by_role("textbox", name="Your chord changes")
    field.fill("Dm7 G7 Cmaj7 A7")
    page.get_by_role("button", name=re.compile(r"Generate$")).click()
    said = page.get_by_text(re.compile(r"^Not played yet\. No bar lines: the 4 chords are read as one bar"))
    said.wait_for(timeout=60_000)
    settled(page)
    assert page.locator("audio").count() == 0, "nothing played before the sentence is read"
    below, bars = said.bounding_box(), page.get_by_role("spinbutton", name="Bars", exact=True).bounding_box()
    assert field.bounding_box()["y"] + field.bounding_box()["height"] <= below["y"] < bars["y"], "under the field"
    page.get_by_role("button", name=re.compile(r"Generate$")).click()  # now played as one bar
    page.locator("audio").first.wait_for(state="attached", timeout=120_000)
    settled(page)
    assert not said.count()
    page.get_by_text(re.compile(r"^No bar lines: the 4 chords are read as one bar")).wait_for(timeout=10_000)
    assert not page.locator("[data-testid=stException]").count()


# The fake: a MIDI keyboard the test plays (navigator.requestMIDIAccess answers with one input whose messages the
# test sends). Only the device is faked; the component, the page and the answering pipeline are the real ones.
FAKE_KEYBOARD = """
window.fakeKeyboard = {input: {name: "Fake keys <b>88</b>", onmidimessage: null}};
window.fakeKeyboard.send = bytes => window.fakeKeyboard.input.onmidimessage &&
    window.fakeKeyboard.input.onmidimessage({data: new Uint8Array(bytes), timeStamp: performance.now()});
navigator.requestMIDIAccess = async () => ({inputs: new Map([["keys", window.fakeKeyboard.input]]),
                                            onstatechange: null});
"""
PLAY = """async ([tones, beats]) => {  // each tone on its beat from the downbeat of bar 1, the last one held
    const wait = s => new Promise(ok => setTimeout(ok, Math.max(0, s) * 1000));
    const keys = window.jazzKeyboard, at = beat => keys.downbeat + beat * keys.beat;
    for (let i = 0; i < tones.length; i++) {
        await wait(at(beats[i]) - performance.now() / 1000);
        window.fakeKeyboard.send([0x90, tones[i], 96]);
        if (i === tones.length - 1) break;
        await wait(at(beats[i] + 0.4) - performance.now() / 1000);
        window.fakeKeyboard.send([0x80, tones[i], 0]);
    } }"""


def recorded_after_the_count_in(page, tones: list[int], beats: list[float], bar: float) -> dict:
    """Untick the click, Record two bars, check the count-in on the AudioContext's clock, play, let it stop."""
    page.locator(".keyboard select.bars").select_option("2")
    click = page.locator(".keyboard input.click")
    assert click.is_checked(), "the click is on by default"
    click.uncheck()
    page.get_by_role("button", name="Record").click()
    page.get_by_text(re.compile(r"^Count-in: 1")).wait_for(timeout=10_000)
    page.evaluate(PLAY, [tones, beats])
    page.get_by_text(re.compile(rf"^{len(tones)} notes sent: the model answers below")).wait_for(timeout=10_000)
    keys = page.evaluate("() => { const k = window.jazzKeyboard; return {...k, context: null, clickGain: "
                         "k.clickGain.value}; }")
    clicks = keys["clicks"]
    assert [c["countIn"] for c in clicks] == [True] * 4 + [False] * 8  # a bar counted in, two bars recorded
    assert [c["accent"] for c in clicks] == [i % 4 == 0 for i in range(12)]  # beat 1 of each bar
    assert all(abs(c["time"] - (keys["first"] + i * bar / 4)) < 1e-6 for i, c in enumerate(clicks))
    assert keys["clickGain"] == 0, "unticked: the phrase's clicks are silent"
    said = keys["said"]
    counting = [line for line in said if line["text"].startswith("Count-in")]
    recording = next(line for line in said if line["text"].startswith("Recording: bar 1 of 2"))
    assert [line["text"] for line in counting][-1] == "Count-in: 1 2 3 4"
    heard_audio, heard_at = said[-1]["heard"]  # in bar 2: the AudioContext's output clock against performance.now()
    first_click = heard_at + keys["first"] - heard_audio
    assert abs(keys["downbeat"] - first_click - bar) < 0.02, "the count-in lasts one bar, to its downbeat click"
    assert said[-1]["text"].startswith("Recording: bar 2 of 2") and said[-1]["at"] - keys["downbeat"] > bar
    assert all(line["at"] < keys["downbeat"] + 0.005 for line in counting) and recording["at"] >= keys["downbeat"]
    assert bar * 2 <= keys["stopped"] - keys["downbeat"] < bar * 2 + 0.25, "it stops by itself after 2 bars"
    return keys


def test_a_phrase_played_on_a_midi_keyboard_is_answered_after_it(server, browser):  # noqa: F811
    url, _ = server
    tones = [65, 69, 72, 75, 77, 75, 72, 69]  # two bars at the form's 130 bpm: a pickup, then beats 2 to 8
    beats = [-0.5, 1, 2, 3, 4, 5, 6, 7]  # from the downbeat of bar 1; the pickup moves onto beat 1
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.add_init_script(FAKE_KEYBOARD)
    try:
        page.goto(url)
        page.get_by_role("button", name=re.compile(r"Generate$")).wait_for(timeout=90_000)
        choose(page, "Play over", "12-bar blues in F")
        settled(page)
        page.get_by_text("Trade fours: the model answers your phrase").click()
        page.get_by_role("button", name="Use my MIDI keyboard").click()
        page.get_by_text(re.compile(r"^Ready: Fake keys <b>88</b>\.")).wait_for(timeout=10_000)  # a name, as text
        beat = 60.0 / 130
        keys = recorded_after_the_count_in(page, tones, beats, 4 * beat)
        starts = [note[1] / beat for note in keys["sent"]]
        assert all(abs(start - played) < 0.1 for start, played in zip(starts, beats, strict=True)), starts
        assert abs(keys["sent"][-1][2] - 8 * beat) < 1e-6, "the held note ends with bar 2"
        page.get_by_text(re.compile(r"your 2-bar phrase \+ a 4-bar answer")).first.wait_for(timeout=120_000)
        settled(page)
        solo, chords = solo_notes(page)[:2]
        mine = [n for n in solo.notes if n.start < 8 * beat - 1e-3]
        answer = [n for n in solo.notes if n.start >= 8 * beat - 1e-3]
        assert [n.pitch for n in mine] == tones
        assert [round(n.start / beat, 2) for n in mine] == [float(i) for i in range(8)], "on the beats it was played"
        assert answer and abs(answer[0].start - 8 * beat) < 0.02  # the answer starts on bar 3's downbeat
        under = {n.pitch % 12 for n in chords.notes if n.start <= answer[0].start + 1e-3 < n.end}
        assert under >= {5, 9, 0, 3}, f"F7 sounds under the answer's first note (bar 3), not {sorted(under)}"
        assert max(n.end for n in solo.notes) <= 24 * beat + 0.05  # 6 bars: the phrase and its answer
        assert not page.locator("[data-testid=stException]").count()
    finally:
        page.close()
