"""The page in a real headless Chromium: `streamlit run` as a user starts it, driven with Playwright.

Measures what a user waits for (printed, and written to artifacts/browser-timings.txt): from
starting the server to the first solo heard, from a click on Generate to its audio (also with
the rhythm section on, while another session trains, and while this one trains), and from a
click on Re-roll to the new audio; Chromium itself plays the player's FLAC. Saves a full-page
screenshot to artifacts/page.png (and docs/page.png, the README's picture).
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pretty_midi
import pytest

from jazz_core.bundle import bundle_from_bytes
from tests.conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
ARTIFACTS = ROOT / "artifacts"
SCREENSHOT = ARTIFACTS / "page.png"
DOCS_SCREENSHOT = ROOT / "docs" / "page.png"
TAKE_1 = re.compile(r"^Take 1 · 16 bars · N = \d+ · temperature 0.7 · seed 1$")  # the page's defaults
TAKE_2 = re.compile(r"^Take 2 · 2 choruses \(24 bars\) · N = \d+ · temperature 1 · seed 2$")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def note_timing(name: str, seconds: float) -> None:
    line = f"{name}: {seconds:.2f} s"
    print(line)
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "browser-timings.txt", "a") as log:
        log.write(line + "\n")


@pytest.fixture(scope="module")
def server():
    """`streamlit run streamlit_app.py` on a free port of 127.0.0.1; yields (url, the time it was started)."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "browser-timings.txt").unlink(missing_ok=True)
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    log = open(ARTIFACTS / "streamlit.log", "w")  # noqa: SIM115 - closed in the finally below
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited with status {process.returncode}: "
                            + (ARTIFACTS / "streamlit.log").read_text()[-2000:])
            try:
                with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                    if response.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not answer on its health check within 90 s")
            time.sleep(0.2)
        note_timing("server start to health check ok", time.perf_counter() - started)
        yield url, started
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def fetch_audio(page, url: str, audio) -> bytes:
    """The bytes the audio player plays, fetched from the server as the browser does."""
    src = audio.get_attribute("src")
    assert src, "the audio player has a source"
    response = page.request.get(urljoin(url, src))
    assert response.ok, f"fetching {src}: HTTP {response.status}"
    return response.body()


def sound_seconds(data: bytes) -> tuple[float, float]:
    """(length in seconds, peak level 0-1) of a WAV, FLAC or OGG file, decoded by libsndfile."""
    import numpy as np
    import soundfile

    assert data[:4] in (b"RIFF", b"fLaC", b"OggS"), f"not WAV, FLAC or OGG: {data[:16]!r}"
    samples, rate = soundfile.read(io.BytesIO(data), dtype="float32")
    return len(samples) / rate, float(np.abs(samples).max())


def browser_seconds(audio) -> float:
    """Chromium plays the player's source: it reads its length and, muted, plays a moment of it; the length."""
    return audio.evaluate("""async a => {
        if (a.error) throw new Error('cannot play: error ' + a.error.code);
        if (a.readyState < 1) await new Promise((ok, fail) => {
            a.addEventListener('loadedmetadata', ok, {once: true});
            a.addEventListener('error', () => fail(new Error('cannot play: error ' + a.error.code)), {once: true});
            a.preload = 'auto'; a.load(); });
        a.muted = true;
        await a.play();
        await new Promise((ok, fail) => { const t = setTimeout(() => fail(new Error('not playing')), 10000);
            const tick = () => a.currentTime > 0.2 ? (clearTimeout(t), ok()) : setTimeout(tick, 50); tick(); });
        a.pause(); a.currentTime = 0; a.muted = false;
        return a.duration; }""")


def settled(page, timeout: float = 60_000) -> None:
    """Wait until the script has finished its run: nothing stale on the page, no running indicator."""
    page.wait_for_function("() => !document.querySelector('[data-stale=true]')"
                           " && !document.querySelector('[data-testid=stStatusWidgetRunningIcon],"
                           " [data-testid=stStatusWidgetRunningManIcon]')", timeout=timeout)


def choose(page, box: str, *options: str) -> None:
    """Pick options of a select box or multiselect (opening its list again if a page update closed it)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for option in options:
        for _ in range(3):
            settled(page)
            page.get_by_role("combobox", name=box).first.click()
            try:
                page.get_by_role("option", name=option, exact=True).click(timeout=5_000)
                break
            except PlaywrightTimeout:
                page.keyboard.press("Escape")
        else:
            page.screenshot(path=str(ARTIFACTS / "choose-failed.png"), full_page=True)
            pytest.fail(f"could not choose {option!r} in {box!r}")
    page.keyboard.press("Escape")


def tick(page, label: str) -> None:
    """Tick a checkbox by its label and see it ticked: a click that lands while the section is being redrawn
    (a fragment of the page running again) can miss, and a person would then click again."""
    box = page.get_by_role("checkbox", name=label, exact=True)
    for _ in range(3):
        settled(page)
        page.get_by_text(label, exact=True).click()
        page.wait_for_timeout(200)
        if box.is_checked():
            return
    pytest.fail(f"{label!r} stays unticked after three clicks")


def screenshot(page, path) -> None:
    """The whole page once the script has finished (no stale elements left), the window as tall as the page."""
    page.wait_for_function("() => !document.querySelector('[data-stale=true]')", timeout=60_000)
    page.wait_for_timeout(500)
    height = page.evaluate(
        "() => Math.max(document.body.scrollHeight,"
        " ...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer], section')]"
        ".map(e => e.scrollHeight))")
    page.set_viewport_size({"width": 1280, "height": min(int(height) + 40, 6000)})
    page.mouse.move(5, 5)  # no hover highlight left where the last click was
    page.wait_for_timeout(800)
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)


def test_generate_and_hear_a_solo(server, browser):
    url, started = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url)
        generate = page.get_by_role("button", name=re.compile(r"Generate$"))
        generate.wait_for(timeout=90_000)
        note_timing("server start to Generate button visible", time.perf_counter() - started)

        clicked = time.perf_counter()
        generate.click()
        audio = page.locator("audio").first
        audio.wait_for(state="attached", timeout=120_000)
        heard = time.perf_counter()
        note_timing("click Generate to audio player", heard - clicked)
        note_timing("server start (cold) to first audio", heard - started)

        data = fetch_audio(page, url, audio)
        seconds, peak = sound_seconds(data)
        print(f"audio: {data[:4]!r}, {len(data) / 1e3:.0f} kB, {seconds:.1f} s, peak {peak:.2f}")
        assert data[:4] == b"fLaC" and seconds > 1.0 and peak > 0.05
        assert abs(browser_seconds(audio) - seconds) < 0.1, "Chromium plays the player's FLAC, all of it"
        page.get_by_text(TAKE_1).wait_for(timeout=10_000)
        page.get_by_text("Model in use: default").wait_for(timeout=30_000)
        page.frame_locator("iframe").first.locator("svg#roll rect.note").first.wait_for(timeout=30_000)  # the roll
        with page.expect_download() as midi_download:
            page.get_by_role("button", name=re.compile(r"MIDI$")).click()
        assert Path(midi_download.value.path()).read_bytes()[:4] == b"MThd"
        assert midi_download.value.suggested_filename == "jazz-take-1.mid"
        with page.expect_download(timeout=60_000) as wav_download:
            page.get_by_role("button", name=re.compile(r"Audio \(WAV\)$")).click()
        wav = Path(wav_download.value.path()).read_bytes()
        wav_seconds, _ = sound_seconds(wav)
        assert wav[:4] == b"RIFF" and abs(wav_seconds - seconds) < 0.1

        # a second take over the blues, with swing and the band: the newest on top, the first kept below
        choose(page, "Play over", "12-bar blues in F")
        page.get_by_text(re.compile(r"F7 \| Bb7 \| F7 .* \(12 bars\)")).wait_for(timeout=30_000)
        page.get_by_text("choruses", exact=True).click()  # two choruses: the field's default
        page.get_by_role("spinbutton", name="Choruses", exact=True).wait_for(timeout=30_000)
        settled(page)
        page.get_by_role("spinbutton", name="Seed", exact=True).last.fill("2")
        temperature = page.get_by_role("slider", name="Temperature")
        temperature.focus()
        for _ in range(6):  # 0.7 to 1.0 in steps of 0.05
            temperature.press("ArrowRight")
        page.get_by_role("spinbutton", name="Tempo (bpm)", exact=True).fill("150")
        choose(page, "Solo instrument", "Tenor sax")
        page.get_by_text("Feel and band").click()
        swing = page.get_by_role("slider", name="Swing")
        swing.focus()
        swing.press("ArrowRight")
        swing.press("ArrowRight")
        for name in ("Walking bass", "Drums", "Jazz comping"):
            tick(page, name)
        clicked = time.perf_counter()
        generate.click()
        page.get_by_text(TAKE_2).wait_for(timeout=120_000)
        page.locator("audio").nth(1).wait_for(state="attached", timeout=60_000)
        note_timing("click Generate to audio player (blues, medium swing, bass, drums, comping)",
                    time.perf_counter() - clicked)
        page.get_by_text(re.compile(r"over 12-bar blues in F · medium swing · comping piano, walking bass, drums"))\
            .wait_for(timeout=10_000)
        page.get_by_text(TAKE_1).wait_for(timeout=10_000)
        band_audio = fetch_audio(page, url, page.locator("audio").first)
        assert sound_seconds(band_audio)[0] > 1.0
        # two choruses of the blues: exactly 24 bars, the solo's last note ending on the form's last bar line
        page.get_by_text(re.compile(r": 24 bars\. The red line follows")).first.wait_for(timeout=10_000)
        with page.expect_download() as blues_midi:
            page.get_by_role("button", name=re.compile(r"MIDI$")).first.click()
        solo = pretty_midi.PrettyMIDI(blues_midi.value.path()).instruments[0]
        bar = 4 * 60.0 / 150
        assert 23 * bar < max(n.end for n in solo.notes) <= 24 * bar + 0.05

        # re-roll bars 3 and 5 of the newest take: same take, new audio
        choose(page, "Bars to play again", "3", "5")
        settled(page)
        old_src = page.locator("audio").first.get_attribute("src")
        clicked = time.perf_counter()
        page.get_by_role("button", name=re.compile(r"Re-roll$")).first.click()
        page.get_by_text("re-rolled bars 3, 5").first.wait_for(timeout=60_000)
        page.wait_for_function("src => document.querySelector('audio') && document.querySelector('audio').src"
                               " && !document.querySelector('audio').src.endsWith(src)", arg=old_src, timeout=30_000)
        note_timing("click Re-roll (2 bars) to new audio player", time.perf_counter() - clicked)
        rerolled = fetch_audio(page, url, page.locator("audio").first)
        assert rerolled != band_audio and abs(sound_seconds(rerolled)[0] - sound_seconds(band_audio)[0]) < 0.5

        # the re-rolled take played again at 100 bpm on a trumpet: new audio, the same notes in beats
        def solo_in_beats(tempo: float) -> list[tuple[float, int]]:
            with page.expect_download() as download:
                page.get_by_role("button", name=re.compile(r"MIDI$")).first.click()
            solo = pretty_midi.PrettyMIDI(download.value.path()).instruments[0]
            return [(n.start * tempo / 60, n.pitch) for n in sorted(solo.notes, key=lambda n: (n.start, n.pitch))]

        rerolled_notes = solo_in_beats(150)
        page.get_by_role("button", name=re.compile(r"Play it differently")).first.click()
        page.get_by_role("spinbutton", name="Tempo (bpm)", exact=True).last.fill("100")
        old_src = page.locator("audio").first.get_attribute("src")
        clicked = time.perf_counter()
        page.get_by_role("button", name=re.compile(r"Play it this way$")).first.click()
        page.wait_for_function("src => document.querySelector('audio') && document.querySelector('audio').src"
                               " && !document.querySelector('audio').src.endsWith(src)", arg=old_src, timeout=30_000)
        note_timing("click 'Play it this way' (new tempo) to new audio player", time.perf_counter() - clicked)
        page.keyboard.press("Escape")
        page.get_by_text(re.compile(r"at 100 bpm · over 12-bar blues in F")).first.wait_for(timeout=10_000)
        page.get_by_text("re-rolled bars 3, 5").first.wait_for(timeout=10_000)
        replayed_notes = solo_in_beats(100)
        assert [p for _, p in replayed_notes] == [p for _, p in rerolled_notes]
        assert max(abs(a - b) for (a, _), (b, _) in zip(replayed_notes, rerolled_notes, strict=True)) < 0.1
        assert sound_seconds(fetch_audio(page, url, page.locator("audio").first))[0] > sound_seconds(rerolled)[0]

        page.get_by_text(TAKE_2).wait_for(timeout=10_000)

        # the newest take beside the source, and beside the first take at another temperature
        page.get_by_text("How does this take compare with the source?").first.click()
        page.get_by_text("Phrase variety (distinct runs of 4 note roles C/S/A/X/R)").first.wait_for(timeout=10_000)
        assert [h.strip() for h in page.locator("table").first.locator("th").all_inner_texts()][-3:] == [
            "source", "this take (T 1)", "take 1 (T 0.7)"]
        assert not page.locator("[data-testid=stException]").count()

        screenshot(page, SCREENSHOT)
        if os.environ.get("UPDATE_DOCS_SCREENSHOT"):  # refresh the README's picture on purpose only
            shutil.copyfile(SCREENSHOT, DOCS_SCREENSHOT)
    finally:
        page.close()


def test_out_of_range_values_are_said_and_nothing_else_is_played(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url)
        page.get_by_text("values", exact=True).click()
        settled(page)
        values = page.get_by_role("spinbutton", name="Values to generate", exact=True)
        values.fill("999999")
        page.get_by_role("spinbutton", name="Tempo (bpm)", exact=True).fill("5")
        page.get_by_role("button", name=re.compile(r"Generate$")).click()
        page.get_by_text("Nothing was generated: values to generate must be between 1 and 5000, not 999999.")\
            .wait_for(timeout=60_000)
        assert page.locator("audio").count() == 0 and values.input_value() == "999999"
        values.fill("200")
        page.get_by_role("button", name=re.compile(r"Generate$")).click()
        page.get_by_text("Nothing was generated: tempo must be between 20.0 and 400.0, not 5.0.").wait_for(
            timeout=60_000)
        assert page.locator("audio").count() == 0
        assert not page.locator("[data-testid=stException]").count()
    finally:
        page.close()


def test_three_variants_from_one_click(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url)
        page.get_by_role("button", name=re.compile(r"Generate$")).wait_for(timeout=90_000)
        choose(page, "Variants", "3")
        clicked = time.perf_counter()
        page.get_by_role("button", name=re.compile(r"Generate$")).click()
        page.wait_for_function("() => document.querySelectorAll('audio[src]').length === 3", timeout=120_000)
        note_timing("click Generate to 3 variants' audio players", time.perf_counter() - clicked)
        for number, seed in ((1, 1), (2, 2), (3, 3)):
            page.get_by_text(re.compile(rf"^Take {number} · 16 bars · N = \d+ · temperature 0.7 · seed {seed}$"))\
                .wait_for(timeout=10_000)
        sources = [fetch_audio(page, url, page.locator("audio").nth(i)) for i in range(3)]
        assert len(set(sources)) == 3 and all(sound_seconds(data)[0] > 1.0 for data in sources)
        assert not page.locator("[data-testid=stException]").count()
    finally:
        page.close()


def set_number(page, label: str, value: int) -> None:
    """Type a number into the field of that label and leave it, as a person does (Tab commits it)."""
    field = page.get_by_role("spinbutton", name=label, exact=True)
    field.fill(str(value))
    field.press("Tab")


def first_take(page, url: str) -> None:
    """Open the page and make a take with its defaults; return once its player is there."""
    page.goto(url)
    page.get_by_role("button", name=re.compile(r"Generate$")).click(timeout=90_000)
    page.locator("audio").first.wait_for(state="attached", timeout=120_000)


def start_long_training(page, reach_epoch: int):
    """Open the training settings, start 2000 epochs with a patience of 2000 (no early stop) and wait until
    training reaches `reach_epoch`.

    Returns the progress text's locator, whose text says the epoch training is at.
    """
    page.get_by_text("Training settings").click()
    set_number(page, "Epochs", 2000)
    set_number(page, "Patience", 2000)
    page.get_by_role("button", name=re.compile(r"Train$")).click()
    progress = page.get_by_text(re.compile(r"Epoch \d+ of 2000"))
    progress.wait_for(timeout=180_000)
    deadline = time.monotonic() + 60
    while int(re.search(r"Epoch (\d+)", progress.inner_text()).group(1)) < reach_epoch:
        assert time.monotonic() < deadline, f"training does not get past epoch {reach_epoch}"
        page.wait_for_timeout(100)
    return progress


@pytest.mark.slow
def test_stop_training_keeps_the_model(server, browser):
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url)
        start_long_training(page, reach_epoch=3)
        stop = page.get_by_role("button", name=re.compile(r"Stop$"))
        assert stop.is_visible()
        page.screenshot(path=str(ARTIFACTS / "page-training.png"), full_page=True)
        clicked = time.perf_counter()
        stop.click()
        message = page.get_by_text(re.compile(r"Stopped after epoch \d+; the model is kept"))
        message.wait_for(timeout=60_000)
        note_timing("click Stop to 'Stopped after epoch k'", time.perf_counter() - clicked)
        kept = int(re.search(r"epoch (\d+)", message.inner_text()).group(1))
        assert 3 <= kept < 2000
        page.get_by_text("Model in use: trained").wait_for(timeout=10_000)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=re.compile(r"Download this model \(\.zip\)$")).click()
        kept_model = bundle_from_bytes(Path(download.value.path()).read_bytes())
        assert kept_model.settings["epochs_done"] == kept and len(kept_model.history) == kept
        page.wait_for_timeout(2000)  # the interrupted run must not carry on or change the model
        assert page.get_by_text(re.compile(r"Epoch \d+ of 2000")).count() == 0
        assert message.is_visible() and kept == int(re.search(r"epoch (\d+)", message.inner_text()).group(1))

        page.get_by_role("button", name=re.compile(r"Generate$")).click()
        audio = page.locator("audio").first
        audio.wait_for(state="attached", timeout=120_000)
        seconds, _ = sound_seconds(fetch_audio(page, url, audio))
        assert seconds > 1.0
        page.get_by_text(re.compile(r"trained model")).first.wait_for(timeout=10_000)
        assert not page.locator("[data-testid=stException]").count()
        screenshot(page, ARTIFACTS / "page-after-stop.png")
    finally:
        page.close()


def epoch_of(progress) -> int:
    return int(re.search(r"Epoch (\d+)", progress.inner_text()).group(1))


def wait_for_epoch_past(progress, epoch: int, seconds: float = 60) -> int:
    """Wait until training is past `epoch`; the epoch it reached."""
    deadline = time.monotonic() + seconds
    while epoch_of(progress) <= epoch:
        assert time.monotonic() < deadline, f"training does not get past epoch {epoch}"
        progress.page.wait_for_timeout(100)
    return epoch_of(progress)


@pytest.mark.slow
def test_training_goes_on_while_the_rest_of_the_page_is_used(server, browser):
    """Training runs in the session's own thread: Play over, a feel checkbox and Generate leave it running (the
    epoch count still rises after each), Train is disabled meanwhile, and only Stop ends it, keeping the model."""
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url)
        progress = start_long_training(page, reach_epoch=2)
        assert page.get_by_role("button", name=re.compile(r"Train$")).is_disabled()
        choose(page, "Play over", "12-bar blues in F")
        page.get_by_text(re.compile(r"F7 \| Bb7 \| F7 .* \(12 bars\)")).wait_for(timeout=30_000)
        wait_for_epoch_past(progress, epoch_of(progress))
        page.get_by_text("Feel and band").click()
        tick(page, "Walking bass")
        reached = wait_for_epoch_past(progress, epoch_of(progress))
        clicked = time.perf_counter()
        page.get_by_role("button", name=re.compile(r"Generate$")).click()
        audio = page.locator("audio").first
        audio.wait_for(state="attached", timeout=60_000)
        note_timing("click Generate to audio player while this session trains", time.perf_counter() - clicked)
        page.get_by_text(re.compile(r"over 12-bar blues in F · .* walking bass")).wait_for(timeout=10_000)
        page.get_by_text(re.compile(r"default model")).first.wait_for(timeout=10_000)
        assert sound_seconds(fetch_audio(page, url, audio))[0] > 1.0
        wait_for_epoch_past(progress, reached)  # still training after the take
        assert page.get_by_text("Training was interrupted").count() == 0
        assert page.get_by_role("button", name=re.compile(r"Train$")).is_disabled()

        page.get_by_role("button", name=re.compile(r"Stop$")).click()
        message = page.get_by_text(re.compile(r"Stopped after epoch \d+; the model is kept"))
        message.wait_for(timeout=60_000)
        kept = int(re.search(r"epoch (\d+)", message.inner_text()).group(1))
        assert reached < kept < 2000
        page.get_by_text("Model in use: trained").wait_for(timeout=10_000)
        assert page.get_by_role("button", name=re.compile(r"Train$")).is_enabled()
        assert not page.locator("[data-testid=stException]").count()
    finally:
        page.close()


@pytest.mark.slow
def test_a_session_generates_while_another_trains(server, browser):
    """Two people on one server: A trains for a long time; B's Generate still answers, and A is unaffected."""
    url, _ = server
    size = {"width": 1280, "height": 900}
    trainer, player = browser.new_context(viewport=size), browser.new_context(viewport=size)  # two sessions
    try:
        a, b = trainer.new_page(), player.new_page()
        a.goto(url)
        b.goto(url)
        progress = start_long_training(a, reach_epoch=2)

        def epoch() -> int:
            return int(re.search(r"Epoch (\d+)", progress.inner_text()).group(1))

        generate = b.get_by_role("button", name=re.compile(r"Generate$"))
        generate.wait_for(timeout=60_000)
        started_at = epoch()
        clicked = time.perf_counter()
        generate.click()
        audio = b.locator("audio").first
        audio.wait_for(state="attached", timeout=120_000)
        note_timing("click Generate to audio player while another session trains", time.perf_counter() - clicked)
        # A is still training, further along than when B clicked, and B's page knows nothing of it
        assert progress.is_visible() and started_at <= epoch() < 2000
        assert a.get_by_role("button", name=re.compile(r"Stop$")).is_visible()
        assert sound_seconds(fetch_audio(b, url, audio))[0] > 1.0
        b.get_by_text("Model in use: default").wait_for(timeout=10_000)
        assert b.get_by_text(re.compile(r"Epoch \d+ of 2000")).count() == 0
        assert b.get_by_text(TAKE_1).count() == 1

        a.get_by_role("button", name=re.compile(r"Stop$")).click()
        a.get_by_text(re.compile(r"Stopped after epoch \d+; the model is kept")).wait_for(timeout=60_000)
        a.get_by_text("Model in use: trained").wait_for(timeout=10_000)
        b.reload()
        b.get_by_text("Model in use: default").wait_for(timeout=60_000)
        assert not a.locator("[data-testid=stException]").count() and not b.locator("[data-testid=stException]").count()
    finally:
        trainer.close()
        player.close()
