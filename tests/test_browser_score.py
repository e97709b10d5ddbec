"""The lead sheet in a real headless Chromium: opened on a take, one bar drawn per bar of the take, numbered."""

from __future__ import annotations

import re

import pytest
from music21 import converter, note

from tests.conftest import ROOT
from tests.test_browser import CHROMIUM, browser, first_take, server  # noqa: F401 - the fixtures, shared

SCORE = 'iframe[srcdoc*="jazz-score"]'  # the lead sheet's frame (the piano roll has one too)
pytestmark = [pytest.mark.browser, pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="no Chromium")]


def test_the_lead_sheet_shows_every_bar_of_the_take(server, browser):  # noqa: F811
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        first_take(page, url)
        caption = page.get_by_text(re.compile(r"coloured by grammar type, over .*: \d+ bars\.")).first
        bars = int(re.search(r": (\d+) bars\.", caption.inner_text(timeout=30_000)).group(1))  # the take's bars
        assert page.locator(SCORE).count() == 0  # not drawn until asked
        page.get_by_text("Lead sheet", exact=True).first.click()
        frame = page.frame_locator(SCORE)
        frame.locator(".jazz-score svg").first.wait_for(state="visible", timeout=60_000)
        page.locator(SCORE).scroll_into_view_if_needed()
        assert page.locator(SCORE).bounding_box()["height"] > 300  # sized to the score, not cut
        assert frame.locator(".jazz-score g.measure").count() == bars > 4
        assert frame.locator(".jazz-score g.mNum").count() == bars  # every bar numbered
        starts = page.locator(SCORE).element_handle().content_frame().evaluate("() => starts")
        assert len(starts) == bars + 1 and starts[0] == 0  # where each bar starts in the audio, in seconds
        assert frame.locator("rect.jazz-now").count() == 0  # nothing marked before the player starts
        middle = (starts[2] + starts[3]) / 2
        page.locator("audio").first.evaluate(f"a => {{ a.muted = true; a.currentTime = {middle}; }}")
        frame.locator("g.measure").nth(2).locator("rect.jazz-now").wait_for(state="attached", timeout=10_000)
        page.locator("audio").first.evaluate("a => a.play()")
        frame.locator("g.measure").nth(3).locator("rect.jazz-now").wait_for(state="attached", timeout=30_000)
        page.locator("audio").first.evaluate("a => a.pause()")
        assert frame.locator("rect.jazz-now").count() == 1  # the bar being played, and only that one
        with page.expect_download() as download:
            page.get_by_role("button", name=re.compile(r"MusicXML$")).click()
        assert download.value.suggested_filename == "jazz-take-1-concert.musicxml"
        written = converter.parse(download.value.path(), format="musicxml").parts[0]
        assert len(written.getElementsByClass("Measure")) == bars
        assert frame.locator(".jazz-score g.notehead").count() == len(written.flatten().getElementsByClass(note.Note))
        page.get_by_text("E-flat alto sax (a major sixth up)").first.click()
        page.get_by_text(re.compile(r"bars, e-flat alto sax")).wait_for(timeout=60_000)
        assert frame.locator(".jazz-score g.measure").count() == bars
    finally:
        page.screenshot(path=str(ROOT / "artifacts" / "score.png"), full_page=True)
        page.close()
