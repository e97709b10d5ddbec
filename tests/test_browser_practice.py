"""Practice mode in a real headless Chromium: chorus after chorus from the page's Web Audio player, each a fresh
solo, each scheduled before the one before ends and starting exactly where it ends (no gap)."""

from __future__ import annotations

import itertools
import re

from tests.conftest import ROOT
from tests.test_browser import browser, choose, server, set_number, settled  # noqa: F401 - fixtures

pytestmark = __import__("tests.test_browser", fromlist=["pytestmark"]).pytestmark

FOUR_BARS = "| C7 | F7 | C7 | G7 |"  # 4 bars at 240 bpm: a chorus every 4 s


def test_practice_plays_fresh_choruses_back_to_back(server, browser):  # noqa: F811
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    frames: list[int] = []  # sizes of the messages the server sends: a chorus's audio only once
    page.on("websocket", lambda socket: socket.on("framereceived", lambda data: frames.append(len(data))))
    try:
        page.goto(url)
        page.get_by_role("button", name=re.compile(r"Generate$")).wait_for(timeout=90_000)
        choose(page, "Play over", "My own changes")
        page.get_by_role("textbox", name="Your chord changes").fill(FOUR_BARS)
        set_number(page, "Tempo (bpm)", 240)
        page.get_by_role("button", name=re.compile(r"Practice$")).click()
        page.get_by_role("button", name=re.compile(r"Stop$")).wait_for(timeout=60_000)
        page.wait_for_function("() => window.jazzPractice && window.jazzPractice.log.length >= 4"
                               " && window.jazzPractice.context.currentTime > window.jazzPractice.log[2].start + 0.5",
                               timeout=90_000)
        status = page.locator(".practice")
        log = page.evaluate("() => window.jazzPractice.log")
        now = page.evaluate("() => window.jazzPractice.context.currentTime")
        print("practice log:", [{k: v for k, v in e.items() if k != "pitches"} for e in log], "now", now)
        assert [entry["chorus"] for entry in log[:4]] == [1, 2, 3, 4]
        assert all(abs(entry["seconds"] - 4.0) < 1e-6 for entry in log[:4]), "4 bars of 4 beats at 240 bpm"
        for before, after in itertools.pairwise(log[:4]):
            assert abs(after["start"] - (before["start"] + before["seconds"])) < 0.010, (before, after)
            assert after["scheduledAt"] < before["start"] + before["seconds"], "scheduled before the one before ended"
            assert not after["late"]
        assert len({tuple(entry["pitches"]) for entry in log[:4]}) == 4, "a fresh solo each chorus"
        assert len({entry["seed"] for entry in log[:4]}) == 4
        leads = [after["start"] - after["scheduledAt"] for after in log[1:4]]
        print(f"the next chorus was scheduled {min(leads):.2f} to {max(leads):.2f} s before it started")
        assert re.search(r"Chorus [34] playing · bar \d of 4", status.inner_text())
        big = [size for size in frames if size > 20_000]
        made = page.evaluate("() => window.jazzPractice.received.size")
        print(f"{len(frames)} messages, {sum(frames) / 1e3:.0f} kB; {len(big)} over 20 kB for {made} choruses")
        assert len(big) <= made + 1, "each chorus's audio is sent once (the take's own player aside)"
        page.screenshot(path=str(ROOT / "artifacts" / "practice.png"))

        page.get_by_role("button", name=re.compile(r"Stop$")).click()
        page.get_by_role("button", name=re.compile(r"Practice$")).wait_for(timeout=30_000)
        page.wait_for_function("() => window.jazzPractice.stopped", timeout=10_000)
        assert not page.locator("[data-testid=stException]").count()
    finally:
        page.close()
