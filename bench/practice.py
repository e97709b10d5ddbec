"""Practice mode in headless Chromium: how far ahead of its start each chorus is ready in the browser's player.

`python -m bench.practice [--bars-over PRESET] [--tempo BPM] [--choruses N]` starts `streamlit run`, opens the
page, chooses the changes (the 12-bar blues in F by default) at the form's tempo with walking bass, drums and
comping, clicks Practice and reads the player's log (window.jazzPractice.log: each chorus's scheduled start
and the AudioContext time at which it was scheduled). It prints, per chorus, its length, how long before its
start it was scheduled (the lead), and whether it came late; then the click to the first chorus's start.
Times depend on the machine's load, printed with them. Not a part of `python -m bench` (it plays in real time).
"""

from __future__ import annotations

import argparse
import re
import time

from bench.common import CHROMIUM, load_average
from bench.page import CHROMIUM_ARGS, free_port, start_server, stop_server, wait_healthy

SETTLED = ("() => !document.querySelector('[data-stale=true]') && !document.querySelector("
           "'[data-testid=stStatusWidgetRunningIcon], [data-testid=stStatusWidgetRunningManIcon]')")


def choose(page, box: str, option: str) -> None:
    """Pick an option of a select box, once the page has finished its run."""
    page.wait_for_function(SETTLED, timeout=60_000)
    page.get_by_role("combobox", name=box).first.click()
    page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
    page.wait_for_function(SETTLED, timeout=60_000)


def practise(page, options: argparse.Namespace) -> tuple[float, list[dict]]:
    """Set the form, click Practice; (seconds from the click to the first chorus scheduled, the player's log)."""
    page.get_by_role("button", name=re.compile(r"Generate$")).wait_for(timeout=90_000)
    choose(page, "Play over", options.over)
    tempo = page.get_by_role("spinbutton", name="Tempo (bpm)", exact=True)
    tempo.fill(str(options.tempo))
    tempo.press("Tab")
    page.get_by_text("Feel and band").click()
    for box in ("Walking bass", "Drums", "Jazz comping"):
        page.get_by_text(box, exact=True).click()
        page.wait_for_function(SETTLED, timeout=60_000)
        if not page.get_by_role("checkbox", name=box).is_checked():
            raise RuntimeError(f"{box} did not get ticked: run again")
    page.get_by_role("button", name=re.compile(r"Practice$")).click()
    clicked = time.perf_counter()
    page.wait_for_function("() => window.jazzPractice && window.jazzPractice.log.length >= 1", timeout=90_000)
    first = time.perf_counter() - clicked
    page.wait_for_function(f"() => window.jazzPractice.log.length >= {options.choruses}",
                           timeout=options.choruses * 120_000, polling=500)
    return first, page.evaluate("() => window.jazzPractice.log")


def main() -> None:
    """Run it once and print the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--over", default="12-bar blues in F", help="a preset of the Play over box")
    parser.add_argument("--tempo", type=int, default=130)
    parser.add_argument("--choruses", type=int, default=4, help="choruses to wait for (chorus 3 on: steady state)")
    options = parser.parse_args()
    from playwright.sync_api import sync_playwright

    port, before = free_port(), load_average()
    server = start_server(port)
    try:
        wait_healthy(f"http://127.0.0.1:{port}/", server)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"http://127.0.0.1:{port}/")
            first, log = practise(page, options)
            browser.close()
    finally:
        stop_server(server)
    print(f"practice over {options.over} at {options.tempo} bpm with bass, drums and comping "
          f"(load {before:.1f} before, {load_average():.1f} after)")
    print(f"click Practice to the first chorus scheduled in the browser: {first:.2f} s")
    for entry in log:
        print(f"chorus {entry['chorus']}: {entry['seconds']:.2f} s long, scheduled {entry['lead']:.2f} s before its "
              f"start{', LATE (a gap)' if entry['late'] else ''}")


if __name__ == "__main__":
    main()
