"""Part 4, the page in headless Chromium: from a cold `streamlit run` to the first audio, and warm clicks.

Each cold run starts `streamlit run streamlit_app.py` on a free port of 127.0.0.1 and, with the
clock already running, waits for its health check, opens the page in a new browser context,
waits for the Generate button, clicks it and waits for an `audio` element with a source. Then,
once the page has finished its script (no running indicator, no stale element), it clicks
Generate again a few times with new seeds and times each click until the new take's audio is
there. Chromium is launched once before the clock starts (its launch is reported apart). The same
way of driving the page as tests/test_browser.py, written again here (benchmarks do not import tests).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from argparse import Namespace

from bench.common import CHROMIUM, ROOT, PartResult, Stats, Table, Target, fmt, show

CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
COLD_RUNS, WARM_CLICKS = 3, 3
SCRIPT_CLICKS = 6  # takes made in the in-process run of the page script
WATCHED = (  # (file, function) whose cumulative time a click's profile reports, when the page has them
    ("sections/generate.py", "make_take"), ("jazz_core/pipeline.py", "generate"), ("jazz_core/audio.py", "render"),
    ("jazz_core/audio.py", "to_flac"), ("jazz_core/session.py", "take_metrics"), ("sections/takes.py", "show_take"),
    ("jazz_core/roll.py", "piano_roll"), ("sections/takes.py", "compare_with_source"))
COLD_LIMIT, CLICK_LIMIT = 5.0, 0.5
GENERATE = re.compile(r"Generate$")
IDLE = ("() => { const app = document.querySelector('[data-test-script-state]'); return !!app"
        " && app.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector('[data-stale=true]'); }")
NEW_AUDIO = "(old) => { const a = document.querySelector('audio[src]'); return a && a.src !== old; }"


def free_port() -> int:
    """A free TCP port on the loopback address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    """`streamlit run streamlit_app.py`, headless, on 127.0.0.1 only, in its own process group."""
    command = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))


def stop_server(process: subprocess.Popen) -> None:
    """Stop the server started by `start_server` (its own process group, by id)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 90) -> None:
    """Poll Streamlit's health check every 50 ms until it answers 'ok'."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"streamlit did not answer its health check within {timeout:.0f} s")


def first_src(page) -> str:
    return page.evaluate("() => (document.querySelector('audio[src]') || {}).src || ''")


def warm_click(page, number: int) -> tuple[float, float]:
    """Set seed `number`, click Generate on an idle page; seconds until take `number`'s audio, and until idle again."""
    page.wait_for_function(IDLE, timeout=120_000)
    page.wait_for_timeout(300)
    old = first_src(page)
    page.get_by_role("spinbutton", name="Seed", exact=True).last.fill(str(number))
    clicked = time.perf_counter()
    page.get_by_role("button", name=GENERATE).click()
    page.get_by_text(re.compile(rf"^Take {number} · ")).first.wait_for(timeout=120_000)
    page.wait_for_function(NEW_AUDIO, arg=old, timeout=120_000)
    heard = time.perf_counter()
    page.wait_for_function(IDLE, timeout=120_000)
    return heard - clicked, time.perf_counter() - clicked


def cold_run(browser) -> dict:
    """Start a server and time: health check, Generate visible, first audio, page idle; then the warm clicks."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    started = time.perf_counter()
    process = start_server(port)
    context = None
    try:
        wait_healthy(url, process)
        healthy = time.perf_counter()
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(url)
        generate = page.get_by_role("button", name=GENERATE)
        generate.wait_for(timeout=90_000)
        visible = time.perf_counter()
        generate.click()
        clicked = time.perf_counter()
        page.locator("audio[src]").first.wait_for(state="attached", timeout=120_000)
        heard = time.perf_counter()
        page.wait_for_function(IDLE, timeout=120_000)
        idle = time.perf_counter()
        warm = [warm_click(page, seed) for seed in range(2, 2 + WARM_CLICKS)]
        return {"health": healthy - started, "button": visible - started, "audio": heard - started,
                "first_click": heard - clicked, "idle": idle - started, "warm": [w[0] for w in warm],
                "warm_idle": [w[1] for w in warm]}
    finally:
        if context is not None:
            context.close()
        stop_server(process)


def script_clicks(clicks: int) -> dict:
    """The page script run in this process by Streamlit's AppTest: its seconds per click as takes pile up,
    a rerun without a click, and a profile of the last click (cProfile inside the script's thread)."""
    import cProfile
    import pstats

    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    original, timings, profiles = script_runner.ScriptRunner._run_script, [], []

    def timed(runner, *args, **kwargs):
        profile = cProfile.Profile() if profiles == [None] else None
        started = time.perf_counter()
        if profile:
            profile.enable()
        try:
            return original(runner, *args, **kwargs)
        finally:
            if profile:
                profile.disable()
                profiles[:] = [profile]
            timings.append(time.perf_counter() - started)

    script_runner.ScriptRunner._run_script = timed
    try:
        page = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=300)
        page.run()
        per_click = []
        for seed in range(1, clicks + 1):
            page.number_input(key="generate_seed").set_value(seed)
            page.button(key="generate").click()
            page.run()
            per_click.append(timings[-1])
        page.run()
        rerun = timings[-1]
        profiles[:] = [None]
        page.number_input(key="generate_seed").set_value(clicks + 1)
        page.button(key="generate").click()
        page.run()
        failed = [str(e.value)[:200] for e in page.exception]
    finally:
        script_runner.ScriptRunner._run_script = original
    stats = pstats.Stats(profiles[0]).stats if profiles and profiles[0] else {}
    watched = {}
    for suffix, name in WATCHED:
        hits = [(v[1], v[3]) for (path, _, function), v in stats.items() if path.endswith(suffix) and function == name]
        if hits:
            watched[f"{suffix.rsplit('/', 1)[-1]}: {name}"] = (sum(h[0] for h in hits), sum(h[1] for h in hits))
    return {"per_click": per_click, "rerun": rerun, "profiled": timings[-1], "watched": watched, "failed": failed}


def script_tables(found: dict) -> list[Table]:
    """Two tables: a click's script time as takes pile up, and where the last click's time went."""
    clicks = Table("The page script alone (Streamlit AppTest, no browser): seconds of one run after a click",
                   ["takes on the page after the click", *map(str, range(1, len(found["per_click"]) + 1)),
                    "rerun, no click"],
                   note="Every click reruns the whole script, which draws every kept take again (its piano roll, "
                        "metrics and buttons, older takes inside expanders).")
    clicks.add("script seconds", *(fmt(t) for t in found["per_click"]), fmt(found["rerun"]))
    profile = Table(f"Where a click's time goes with {len(found['per_click']) + 1} takes on the page (cProfile, "
                    f"whole run {fmt(found['profiled'])} under the profiler)", ["function", "calls", "cumulative"],
                    note="Cumulative times overlap (a function's time includes its callees'); the profiler itself "
                         "slows Python-heavy code, so read the shares rather than the absolute times.")
    for name, (calls, seconds) in found["watched"].items():
        profile.add(name, calls, fmt(seconds))
    return [clicks, profile]


def run(options: Namespace) -> PartResult:
    """Cold runs with warm clicks in each, in one Chromium; then the page script alone, profiled."""
    from playwright.sync_api import sync_playwright

    result = PartResult("page", "4. The page in headless Chromium")
    if not os.path.exists(CHROMIUM):
        result.notes.append(f"Not measured: no Chromium at {CHROMIUM}.")
        show(result.notes[-1])
        return result
    with sync_playwright() as playwright:
        launched = time.perf_counter()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        launch = time.perf_counter() - launched
        try:
            runs = []
            for number in range(COLD_RUNS):
                print(f"  cold run {number + 1} of {COLD_RUNS}...", flush=True)
                runs.append(cold_run(browser))
        finally:
            browser.close()
    table = Table("From `streamlit run` to audio in headless Chromium (default model, N = 200, 27 s of music)",
                  ["measure", "runs", "median (range)"],
                  note="Times from starting the server unless said otherwise. Chromium was launched once, before "
                       f"the clocks started ({fmt(launch)}). Warm clicks: on a page that has finished its script, "
                       "from the click to the new take's audio element with its source (Streamlit reruns the "
                       "whole page script: sampling, MIDI, FluidSynth, OGG, piano roll).")
    rows = [("server start to health check ok", "health"), ("server start to Generate button visible", "button"),
            ("server start to first audio (cold)", "audio"), ("first click to its audio", "first_click"),
            ("server start to the first script's end", "idle")]
    for label, key in rows:
        table.add(label, len(runs), Stats.of([r[key] for r in runs]).text())
    warm = Stats.of([seconds for r in runs for seconds in r["warm"]])
    table.add("click Generate to audio (warm page)", warm.runs, warm.text())
    done = Stats.of([seconds for r in runs for seconds in r["warm_idle"]])
    table.add("click Generate to the script's end (piano rolls drawn)", done.runs, done.text())
    result.tables.append(table)
    cold = Stats.of([r["audio"] for r in runs]).median
    result.targets += [
        Target("page: cold start to first audio", f"< {fmt(COLD_LIMIT)}", fmt(cold), cold < COLD_LIMIT),
        Target("page: click to audio, warm page (browser included)", f"< {fmt(CLICK_LIMIT)} plus the browser's work",
               fmt(warm.median), warm.median < CLICK_LIMIT)]
    print("  the page script in this process (AppTest), profiled...", flush=True)
    found = script_clicks(SCRIPT_CLICKS)
    result.tables += script_tables(found)
    if found["failed"]:
        result.notes.append(f"The page script raised: {found['failed'][0]}")
    for item in [*result.tables, *result.targets, *result.notes]:
        show(item)
    return result
