"""The piano roll in a real headless Chromium: it follows the player (playhead at the audio's currentTime),
its chord names never overlap, the wheel over it scrolls the page, Ctrl + wheel zooms, it loops bars."""

from __future__ import annotations

import re
import time

import pytest

from jazz_core import originality, pipeline, roll
from jazz_core.bundle import load_bundle
from jazz_core.settings import GenerateSettings
from sections.roll import roll_html
from tests.conftest import ROOT
from tests.test_browser import CHROMIUM, browser, choose, first_take, server, settled  # noqa: F401 - the fixtures, shared

pytestmark = [pytest.mark.browser, pytest.mark.skipif(not __import__("os").path.exists(CHROMIUM), reason="no Chromium")]

TWO_A_BAR = "| Abmaj7 Bbmaj7 | Cm7 F7 | Dbmaj7 Gb7 | Bm7b5 E7 | Am7 D7 | Gmaj7 |"


def roll_frame(page):
    """The first take's roll component (its iframe holds svg#roll), once drawn."""
    frame = page.frame_locator("iframe").first
    frame.locator("svg#roll rect.note").first.wait_for(state="attached", timeout=60_000)
    return page.locator("iframe").first.element_handle().content_frame()


def overlaps(boxes: list[dict]) -> list[tuple[dict, dict]]:
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]]


LABELS = "() => [...document.querySelectorAll('text.chord')].map(t => { const b = t.getBBox();" \
         " return {text: t.textContent, x: b.x, y: b.y, width: b.width, height: b.height}; })"


def make_take_over(page, changes: str) -> None:
    page.get_by_role("button", name=re.compile(r"Generate$")).wait_for(timeout=90_000)
    choose(page, "Play over", "My own changes")
    page.get_by_role("textbox", name="Your chord changes").fill(changes)
    page.get_by_role("button", name=re.compile(r"Generate$")).click()
    page.locator("audio").first.wait_for(state="attached", timeout=120_000)
    settled(page)


def test_the_roll_follows_the_player_and_its_chord_names_never_overlap(server, browser):  # noqa: F811
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(url)
        make_take_over(page, TWO_A_BAR)
        frame = roll_frame(page)
        bars = frame.evaluate("() => ROLL.bars.length")
        assert frame.evaluate("() => svg.getBoundingClientRect().width <= scroller.clientWidth + 2"), \
            f"the whole take ({bars} bars) is in view"
        # chord names: two a bar, at every zoom none over another, and once zoomed in all of them whole
        for _ in range(5):
            labels = frame.evaluate(LABELS)
            assert labels and not overlaps(labels), overlaps(labels)[:3]
            frame.locator("#zoom-in").click()
        names = [label["text"] for label in frame.evaluate(LABELS)]
        assert {"Abmaj7", "Bbmaj7", "Cm7", "F7", "Dbmaj7", "Gb7"} <= set(names)
        frame.locator("#fit").click()
        assert not overlaps(frame.evaluate(LABELS))

        # the playhead: hidden before playing, then where the audio is, moving on as it plays
        audio = page.locator("audio").first
        assert frame.evaluate("() => playhead.getAttribute('display')") == "none"
        audio.evaluate("a => { a.muted = true; a.play(); }")
        seen = []
        for _ in range(6):
            page.wait_for_timeout(400)
            seen.append(frame.evaluate("""() => { const a = audio;
                return {time: a.currentTime, x: +playhead.getAttribute('x1'), per: perQuarter,
                        spq: ROLL.seconds_per_quarter, shown: playhead.getAttribute('display')}; }"""))
        audio.evaluate("a => a.pause()")
        assert seen[-1]["time"] > seen[0]["time"] + 0.5, "the audio plays"
        assert [s["x"] for s in seen] == sorted(s["x"] for s in seen) and seen[-1]["x"] > seen[0]["x"]
        for s in seen:  # drawn at the audio's time (a frame late at most: 0.1 s of slack)
            assert s["shown"] == "inline"
            assert abs(s["x"] - s["time"] / s["spq"] * s["per"]) <= 0.1 / s["spq"] * s["per"] + 1
        # seeking the player moves the playhead there
        audio.evaluate("a => { a.currentTime = 4 * 2 * 60 / 130 + 0.1; }")  # into bar 3 at 130 bpm
        frame.wait_for_function("() => Math.abs(+playhead.getAttribute('x1') - ROLL.bars[2].start * perQuarter)"
                                " < 0.4 * ROLL.bars[2].length * perQuarter", timeout=10_000)
        assert not page.locator("[data-testid=stException]").count()
    finally:
        page.screenshot(path=str(ROOT / "artifacts" / "roll.png"), full_page=True)
        page.close()


PAGE_SCROLLERS = "[document.scrollingElement, ...document.querySelectorAll('[data-testid=stMain]," \
                 " [data-testid=stAppViewContainer], section')]"


def page_scroll(page) -> float:
    """How far the page is scrolled, whichever of Streamlit's containers scrolls it."""
    return page.evaluate(f"() => Math.max(...{PAGE_SCROLLERS}.map(e => e.scrollTop))")


def scroll_roll_to_top_of_window(page) -> dict:
    """Scroll the page so that the roll's top is near the window's top (room left below to scroll); its box."""
    page.locator("iframe").first.evaluate(f"f => {{ for (const e of {PAGE_SCROLLERS}) e.scrollTop = 0;"
                                          " f.scrollIntoView({block: 'start'}); }")
    page.wait_for_timeout(300)
    return page.locator("iframe").first.bounding_box()


def test_the_wheel_over_the_roll_scrolls_the_page_and_ctrl_wheel_zooms_and_bars_loop(server, browser):  # noqa: F811
    url, _ = server
    page = browser.new_page(viewport={"width": 1280, "height": 700})
    try:
        first_take(page, url)
        settled(page)
        frame = roll_frame(page)
        box = scroll_roll_to_top_of_window(page)
        before, zoom = page_scroll(page), frame.evaluate("() => perQuarter")
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + min(box["height"] / 2, 100))
        page.mouse.wheel(0, 300)
        page.wait_for_timeout(600)
        assert page_scroll(page) > before + 100, "the page scrolled under the wheel"
        assert frame.evaluate("() => perQuarter") == zoom, "and the roll did not zoom"

        box = scroll_roll_to_top_of_window(page)
        inner = frame.evaluate("() => { const r = scroller.getBoundingClientRect();"
                               " return {x: r.x + r.width / 2, y: r.y + r.height / 2}; }")
        page.mouse.move(box["x"] + inner["x"], box["y"] + inner["y"])  # over the roll itself
        scrolled = page_scroll(page)
        page.keyboard.down("Control")
        page.mouse.wheel(0, -100)
        page.keyboard.up("Control")
        page.wait_for_timeout(300)
        assert frame.evaluate("() => perQuarter") > zoom, "Ctrl + wheel zooms in"
        assert abs(page_scroll(page) - scrolled) < 2, "without scrolling the page"

        # zoomed in, the take is wider than the view: while it plays the view keeps the playhead in sight
        for _ in range(3):
            frame.locator("#zoom-in").click()
        assert frame.evaluate("() => svg.getBoundingClientRect().width > 2 * scroller.clientWidth")
        frame.evaluate("() => { scroller.scrollLeft = 0; touched = -Infinity; }")
        audio = page.locator("audio").first
        audio.evaluate("a => { a.muted = true; a.currentTime = a.duration * 0.8; a.play(); }")
        frame.wait_for_function("() => scroller.scrollLeft > 0", timeout=10_000)
        page.wait_for_timeout(500)
        seen = frame.evaluate("() => ({x: +playhead.getAttribute('x1'), left: scroller.scrollLeft,"
                              " width: scroller.clientWidth})")
        audio.evaluate("a => a.pause()")
        assert seen["left"] <= seen["x"] <= seen["left"] + seen["width"], seen

        # loop bars 2 to 3: the player goes back to bar 2 when it reaches the end of bar 3
        frame.locator("#loop-from").fill("2")
        frame.locator("#loop-to").fill("3")
        frame.locator("#loop").check()
        start, end = frame.evaluate("() => loopSeconds()")
        assert frame.evaluate("() => loopMark.getAttribute('display')") == "inline"
        assert abs(audio.evaluate("a => a.currentTime") - start) < 0.05, "the player jumps to the loop"
        audio.evaluate(f"a => {{ a.muted = true; a.currentTime = {end - 0.4}; a.play(); }}")
        page.wait_for_function(f"() => {{ const a = document.querySelector('audio');"
                               f" return !a.paused && a.currentTime > {start} && a.currentTime < {start + 0.6}; }}",
                               timeout=10_000)
        page.wait_for_timeout(300)
        assert start <= audio.evaluate("a => a.currentTime") < end
        audio.evaluate("a => a.pause()")

        # the WAV is rendered when asked (1-4 s): its button shows a spinner and is disabled meanwhile
        wav = page.get_by_role("button", name=re.compile(r"Audio \(WAV\)$"))
        wav.scroll_into_view_if_needed()
        wav.evaluate("b => { window.wavBusy = false; new MutationObserver(() => { if (b.disabled &&"
                     " b.querySelector('[data-testid=stSpinnerIcon]')) window.wavBusy = true; })"
                     ".observe(b, {subtree: true, childList: true, attributes: true}); }")
        clicked = time.perf_counter()
        with page.expect_download(timeout=60_000) as download:
            wav.click()
        print(f"WAV download: {time.perf_counter() - clicked:.2f} s from the click")
        assert download.value.suggested_filename == "jazz-take-1.wav"
        assert page.evaluate("() => window.wavBusy"), "a spinner while the WAV is made"
    finally:
        page.close()


def test_copied_notes_are_outlined_with_a_legend_entry(browser):  # noqa: F811
    """The component alone (no server), over a real take and a copied mask from originality."""
    bundle = load_bundle(ROOT / "assets" / "default_model")
    take = pipeline.generate(bundle, GenerateSettings(values=120, seed=3))
    mask = originality.copied_mask(take.values, take.values[:12])  # as if the corpus held its first 12 values
    drawing = roll.piano_roll(take.notes, take.progression, 120, mask)
    copied = sum(n["copied"] for n in drawing.notes)
    assert 0 < copied < len(drawing.notes), "a take with some copied notes and some new ones"
    page = browser.new_page(viewport={"width": 900, "height": 700})
    try:
        page.set_content(roll_html(drawing.data()))
        page.locator("rect.note").first.wait_for(state="attached")
        assert page.locator("rect.note").count() == len(drawing.notes)
        assert page.locator("rect.note.copied").count() == copied
        assert page.locator("rect.note.copied").first.get_attribute("stroke-dasharray")
        assert page.locator("rect.note:not(.copied)").first.get_attribute("stroke") is None
        assert page.locator("#legend").get_by_text("copied from the music it learnt").count() == 1
    finally:
        page.close()


PHONE = {"width": 390, "height": 844}
SCREENS_DOWN = """el => { const scroller = [document.scrollingElement, ...document.querySelectorAll(
    '[data-testid=stMain], [data-testid=stAppViewContainer], section')].find(e => e.scrollTop > 0) ||
    document.scrollingElement;
  return (el.getBoundingClientRect().bottom + scroller.scrollTop) / innerHeight; }"""
COVERED = """() => {  // every visible control, scrolled to the window's middle, is the element found at its centre
  const controls = [...document.querySelectorAll('button, input, textarea, [role=combobox], audio, iframe')]
    .filter(e => e.getBoundingClientRect().width > 4 && e.getBoundingClientRect().height > 4
                 && e.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})
                 && !e.closest('details:not([open])') && !e.closest('[data-testid=stHeader]'));
  const covered = [];
  for (const control of controls) {
    control.scrollIntoView({block: 'center', inline: 'center'});
    const box = control.getBoundingClientRect(), x = box.left + box.width / 2, y = box.top + box.height / 2;
    const found = document.elementFromPoint(x, y);
    if (!found || !(control === found || control.contains(found) || found.contains(control)
                    || (control.tagName === 'INPUT' && control.closest('label') === found.closest('label'))))
      covered.push(`${control.tagName} ${control.getAttribute('aria-label') || control.innerText || ''}`.slice(0, 60)
                   + ' under ' + (found ? found.tagName + '.' + found.className : 'nothing'));
  }
  return {covered, checked: controls.length}; }"""


def test_on_a_phone_generate_comes_within_two_screens_and_the_player_follows(server, browser):  # noqa: F811
    url, _ = server
    page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page.goto(url)
        generate = page.get_by_role("button", name=re.compile(r"Generate$"))
        generate.wait_for(timeout=90_000)
        page.get_by_role("heading", name="3 · Train").wait_for(timeout=90_000)  # the whole page drawn, styled
        page.get_by_text("Unique values").first.wait_for(timeout=60_000)  # with the music's summary
        settled(page)
        page.locator(".jazz-layout").wait_for(state="attached", timeout=15_000)  # the narrow-screen style
        assert section_headings(page) == ["1 · Music", "2 · Generate", "3 · Train"], "numbered as shown"
        down = generate.evaluate(SCREENS_DOWN)
        summary = page.get_by_text("Unique values").first.evaluate(SCREENS_DOWN)
        print(f"phone 390x844: Generate's bottom {down:.2f} screens down; music summary {summary:.2f}")
        assert summary < down <= 2.0, "Generate within the first two screens, after the music's summary"
        tops = [page.locator("[data-testid=stMetric]").nth(i).bounding_box()["y"] for i in range(4)]
        assert max(tops) - min(tops) < 2, "the summary's four numbers in one row"

        generate.click()
        audio = page.locator("audio").first
        audio.wait_for(state="attached", timeout=120_000)
        settled(page)
        frame = roll_frame(page)
        page.wait_for_timeout(500)
        box = audio.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], "the new take's player is in view"
        print(f"phone: the player {audio.evaluate(SCREENS_DOWN):.2f} screens down, scrolled into view")
        # the roll's legend wraps inside the frame, nothing cut off
        legend = frame.evaluate("() => { const l = document.getElementById('legend');"
                                " return {scroll: l.scrollWidth, width: l.clientWidth, height: l.clientHeight}; }")
        assert legend["scroll"] <= legend["width"] and legend["height"] > 30, legend
        assert frame.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
        # no toolbar or other element lies over any control
        found = page.evaluate(COVERED)
        assert found["checked"] > 15 and not found["covered"], found
        page.evaluate("() => { const bar = document.createElement('div'); bar.style.cssText ="
                      " 'position:fixed;left:0;right:0;top:40%;height:20%;z-index:99999;background:#0003';"
                      " document.body.append(bar); }")  # a toolbar over the middle: the check sees it
        assert page.evaluate(COVERED)["covered"]
        page.set_viewport_size({"width": 1280, "height": 900})  # a wide screen: the order of the steps
        page.get_by_role("heading", name="2 · Train").wait_for(timeout=10_000)
        assert section_headings(page) == ["1 · Music", "2 · Train", "3 · Generate"]
    finally:
        page.screenshot(path=str(ROOT / "artifacts" / "phone.png"))
        page.close()


def section_headings(page) -> list[str]:
    """The sections' headings as read down the page (their numbers are the layout style's ::before)."""
    found = page.evaluate("""() => [...document.querySelectorAll('h2 [data-heading-text]')].map(h => ({
        top: h.getBoundingClientRect().top + scrollY,
        text: getComputedStyle(h, '::before').content.replace(/^"|"$/g, '') + h.textContent.trim()}))""")
    return [heading["text"] for heading in sorted(found, key=lambda heading: heading["top"])]
