"""Renders side by side: a pool of synths in threads against a pool of processes, with the real FluidSynth.

    .venv/bin/python -m bench.audio_pool [--rounds 7] [--seconds 30]

Each round renders `pairs` 30-second takes (44.1 kHz, the page's soundfont) three ways, interleaved so that a
busy machine slows them alike: one after the other on one synth (the old way: one cached synth behind a
lock), two at once from two threads on the synth pool (`jazz_core.audio.render`, the way kept), and two at
once in a pool of two worker processes (each with its own synth; the WAV comes back pickled through a pipe).
Prints the median and best wall time of a pair, and the resident memory the process pool adds.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import time
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

from bench.bench_audio import build_midi


def _render(midi: bytes, soundfont: str):
    from jazz_core.audio import AudioSettings, render

    return render(midi, AudioSettings(soundfont=soundfont))


def _rss_mb(pid: int | str = "self") -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _worker_rss(_: int) -> float:
    return _rss_mb()


def measure(soundfont: str, seconds: float, rounds: int) -> dict[str, list[float]]:
    """Wall seconds per pair of renders, each way, `rounds` interleaved rounds (after one warm-up each)."""
    from jazz_core import synth_pool

    midi = build_midi(seconds)
    threads = ThreadPoolExecutor(2)
    processes = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"))

    def one_after_the_other() -> None:
        _render(midi, soundfont)
        _render(midi, soundfont)

    def in_threads() -> None:
        results = list(threads.map(_render, [midi, midi], [soundfont, soundfont]))
        assert all(r.seconds > seconds for r in results)

    def in_processes() -> None:
        results = list(processes.map(_render, [midi, midi], [soundfont, soundfont]))
        assert all(r.seconds > seconds for r in results)

    ways = {"one synth, one after the other": one_after_the_other, "synth pool, 2 threads": in_threads,
            "process pool, 2 workers": in_processes}
    for _ in range(2):  # load the soundfont into both synths of each way
        in_threads()
        in_processes()
    timings: dict[str, list[float]] = {name: [] for name in ways}
    worker_mb = sum(processes.map(_worker_rss, range(2)))
    try:
        for _ in range(rounds):
            for name, way in ways.items():
                started = time.perf_counter()
                way()
                timings[name].append(time.perf_counter() - started)
    finally:
        threads.shutdown()
        processes.shutdown()
    synth_pool.forget_pools()
    timings["memory"] = [worker_mb]
    return timings


def main() -> None:
    from jazz_core.audio import choose_soundfont

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    soundfont = choose_soundfont()
    load = os.getloadavg()[0]
    found = measure(soundfont, args.seconds, args.rounds)
    print(f"{os.cpu_count()} cores, {os.path.basename(soundfont)}, two {args.seconds:.0f} s takes per pair, "
          f"{args.rounds} rounds, load {load:.2f} before, {os.getloadavg()[0]:.2f} after")
    base = statistics.median(found["one synth, one after the other"])
    for name, wall in found.items():
        if name != "memory":
            median = statistics.median(wall)
            print(f"  {name:32s} pair median {median:.3f} s (best {min(wall):.3f}, worst {max(wall):.3f}), "
                  f"{base / median:.2f}x the one-synth way")
    ratios = [t / p for t, p in zip(found["synth pool, 2 threads"], found["process pool, 2 workers"], strict=True)]
    print(f"  threads / processes, same round: median {statistics.median(ratios):.2f} "
          f"(range {min(ratios):.2f}-{max(ratios):.2f})")
    print(f"  the two worker processes hold {found['memory'][0]:.0f} MB resident (this process: {_rss_mb():.0f} MB)")


if __name__ == "__main__":
    main()
