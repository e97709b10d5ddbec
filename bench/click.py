"""Part 11, click to audio (issue 14): the server's time from a click on Generate to the new take's audio, while
nobody trains, while a session trains as the page trains now (TensorFlow in a child process), and as it trained
before (TensorFlow in a thread of the server).

A click is what `sections/generate.py` does for the page's defaults (16 bars, about 30 s at 130 bpm):
`pipeline.generate_bars`, `session.take_record` (render, FLAC for the player, roll, metrics; the source's
profile cached as the page caches it; the take's OGG for keeping started in the background) and
`session.with_take` (the session's earlier takes kept small).
While training, a thread plays the training session's progress fragment as Streamlit's server does: every
0.5 s, what Streamlit runs after each script run (`_clean_problem_modules`, which calls Keras'
`clear_session` once Keras is imported in the server, and `gc.collect(2)`). "Another session" and "this
session" are the same on the server's side: one process, the click's script run and a training run whose
fragment is redrawn every 0.5 s.
"""

from __future__ import annotations

import gc
import os
import threading
import time
from argparse import Namespace

from bench.common import PartResult, Stats, Table, Target, fmt, load_average, show
from bench.generation import load_default, warm_up

CLICKS = 8  # clicks per phase (after one unmeasured)
BARS = 16  # the page's default length: 16 bars, about 30 s at 130 bpm
FRAGMENT_EVERY = 0.5  # sections/train.py UI_EVERY
GOAL = 0.5  # issue 14: at most 0.5 s of server time from the click to the audio


def click(bundle, pieces, source, takes: list, number: int) -> tuple[float, float, list]:
    """One click on Generate as the page makes it: (wall seconds, CPU seconds of this thread, the takes)."""
    from jazz_core import pipeline, session
    from jazz_core.settings import GenerateSettings, PlaybackSettings

    started, cpu = time.perf_counter(), time.thread_time()
    take = pipeline.generate_bars(bundle, BARS, GenerateSettings(seed=number), PlaybackSettings())
    record = session.take_record(number, take, bundle, pieces, "default", "Tenor sax", "the changes it learnt from",
                                 source, "16 bars")
    takes = session.with_take(takes, record, 24)
    assert record.sound.audio, record.sound.error
    return time.perf_counter() - started, time.thread_time() - cpu, takes


def fragment_hooks(stop: threading.Event, spent: list[float], collect: bool) -> None:
    """What Streamlit's server runs after each of the training session's fragment runs, every 0.5 s (the
    collection only with `runner.postScriptGC`, on by default, off in .streamlit/config.toml)."""
    from streamlit.runtime.scriptrunner.script_runner import _clean_problem_modules

    while not stop.wait(FRAGMENT_EVERY):
        started = time.perf_counter()
        _clean_problem_modules()
        if collect:
            gc.collect(2)
        spent.append(time.perf_counter() - started)


def page_collects() -> bool:
    """Whether the page's server collects garbage after every script run (.streamlit/config.toml)."""
    from streamlit import config

    return bool(config.get_option("runner.postScriptGC"))


def training_run(in_thread: bool):
    """A long run on the built-in corpus as the page starts it (the page's defaults, 2000 epochs, no early stop)."""
    from jazz_core.reading import builtin_corpus
    from jazz_core.session import TrainingRun
    from jazz_core.settings import DatasetSettings, ModelSettings, TrainSettings

    run = TrainingRun.prepare(builtin_corpus(), [], "the built-in corpus", DatasetSettings(), ModelSettings(),
                              TrainSettings(epochs=2000, patience=2000))
    if in_thread:
        from jazz_core.training import train

        run.start(train)  # the old way: TensorFlow in a thread of this process
    else:
        run.start()
    deadline = time.monotonic() + 120
    while len(run.epochs()) < 3 and time.monotonic() < deadline:  # past TensorFlow's start and the first trace
        time.sleep(0.05)
    return run


def phase(name: str, bundle, pieces, source, training: str | None, collect: bool) -> dict:
    """CLICKS clicks (after one unmeasured), with or without a training run and its fragment's hooks."""
    run = training_run(training == "thread") if training else None
    stop, spent = threading.Event(), []
    hooks = threading.Thread(target=fragment_hooks, args=(stop, spent, collect), daemon=True)
    if run is not None:
        hooks.start()
    epochs_before = len(run.epochs()) if run else 0
    takes, walls, cpus = [], [], []
    load = load_average()
    started = time.perf_counter()
    for number in range(CLICKS + 1):
        wall, cpu, takes = click(bundle, pieces, source, takes, number + 1)
        if number:
            walls.append(wall)
            cpus.append(cpu)
    elapsed = time.perf_counter() - started
    epochs = (len(run.epochs()) - epochs_before) / elapsed if run else 0.0
    if run is not None:
        stop.set()
        hooks.join()
        run.request_stop()
        run.wait(120)
    return {"name": name, "walls": walls, "cpus": cpus, "epochs_per_second": epochs, "load": load,
            "hook": sum(spent) / len(spent) if spent else 0.0}


def run(options: Namespace) -> PartResult:
    from jazz_core.reading import builtin_corpus
    from jazz_core.session import source_profile

    result = PartResult("click", "11. Click to audio while someone trains (issue 14)")
    bundle, _ = load_default()
    warm_up(bundle)
    pieces = tuple(builtin_corpus())
    source = source_profile(bundle, pieces, 200)  # cached by the page (st.cache_data), not on the click path
    found, shipped = [], page_collects()
    for name, training, collect in (
            ("nobody trains", None, shipped),
            ("a session trains (TensorFlow in a child process), as shipped", "child", shipped),
            ("a session trains (child process), with Streamlit's gc after every run", "child", True),
            ("a session trains, the old way (TensorFlow in a server thread, gc after every run)", "thread", True)):
        print(f"  {name}...", flush=True)
        found.append(phase(name, bundle, pieces, source, training, collect))
    table = Table(f"Server time from a click on Generate (page defaults: {BARS} bars, about 30 s of music) to its "
                  f"audio, {CLICKS} clicks each",
                  ["while", "median", "max", "CPU median", "epochs per second meanwhile", "after-run hook", "load"],
                  note="CPU: the click's own thread. After-run hook: Streamlit's `_clean_problem_modules` + "
                       "`gc.collect(2)` after each 0.5 s fragment run of the training session (Keras' "
                       "clear_session only once Keras is imported in the server). Load: 1-minute load average "
                       "at the start of the phase.")
    for f in found:
        table.add(f["name"], fmt(Stats.of(f["walls"]).median), fmt(max(f["walls"])), fmt(Stats.of(f["cpus"]).median),
                  f"{f['epochs_per_second']:.1f}" if f["epochs_per_second"] else "-", fmt(f["hook"]) if f["hook"]
                  else "-", f"{f['load']:.2f}")
    result.tables.append(table)
    for f in found[:2]:
        median, worst = Stats.of(f["walls"]).median, max(f["walls"])
        result.targets.append(Target(f"click to audio, 30 s take, {f['name']}", f"<= {GOAL} s",
                                     f"median {fmt(median)}, max {fmt(worst)}", median <= GOAL))
    result.notes.append(f"As shipped, the page's server collects garbage after every script run: {shipped} "
                        "(`runner.postScriptGC` in .streamlit/config.toml).")
    result.notes.append(f"{os.cpu_count()} cores. Rerun: `.venv/bin/python -m bench click --wait 0` (3-5 min).")
    for item in [*result.tables, *result.targets, *result.notes]:
        show(item)
    return result
