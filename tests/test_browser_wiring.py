"""The page's wiring of the model families, the jazz model, several uploads, continuing a take and trading fours,
in a real headless Chromium (`streamlit run` driven with Playwright, as tests/test_browser.py does)."""

from __future__ import annotations

import re
from pathlib import Path

from jazz_core.bundle import bundle_from_bytes
from tests.test_browser import browser, fetch_audio, server, settled, sound_seconds  # noqa: F401 - pytest fixtures

pytestmark = __import__("tests.test_browser", fromlist=["pytestmark"]).pytestmark


def open_page(chromium, url: str):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(url)
    page.get_by_role("button", name=re.compile(r"Generate$")).wait_for(timeout=90_000)
    settled(page)
    return page


def test_the_family_field_trains_a_studio_model_by_default(server, browser):  # noqa: F811
    url, _ = server
    page = open_page(browser, url)
    try:
        family = page.locator("[data-testid=stSelectbox]").filter(has_text="Model family")
        assert "Studio: learns the style (recommended)" in (family.inner_text() + family.locator("input").input_value())
        page.get_by_text("Training settings").click()
        epochs = page.get_by_role("spinbutton", name="Epochs", exact=True)
        epochs.fill("3")
        epochs.press("Tab")
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
    finally:
        page.close()


def test_the_jazz_model_is_one_click_away_and_plays(server, browser):  # noqa: F811
    url, _ = server
    page = open_page(browser, url)
    try:
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
    finally:
        page.close()
