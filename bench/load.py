"""Part 6, load (issue 8): several callers of the generation path at once, for a bounded time, on this machine only.

Each worker thread, until its deadline, makes a take as the page does after a click on Generate
(`pipeline.generate` with N = 200 and its own seed, `audio.render`, `to_ogg`) and times it. After
the deadline every take is checked: the value count is N, the MIDI file parses and holds the
solo's notes, the WAV has samples that are not silent, the OGG is not empty. Phases: one worker
(the baseline), then four. No network is used at all; everything stays in this process.
"""

from __future__ import annotations

import io
import threading
import time
from argparse import Namespace

from bench.common import PartResult, Stats, Table, Target, fmt, percentile, show
from bench.generation import load_default, warm_up

PHASES = ((1, 15.0), (4, 30.0))  # (workers, seconds): 45 s in all, under the minute allowed
VALUES = 200


def make_take(bundle, seed: int) -> tuple[float, object, object, bytes]:
    """One take the page's way; the seconds it took and what it made."""
    from jazz_core import pipeline
    from jazz_core.audio import AudioSettings, render
    from jazz_core.settings import GenerateSettings

    started = time.perf_counter()
    take = pipeline.generate(bundle, GenerateSettings(values=VALUES, seed=seed))
    audio = render(take.midi, AudioSettings())
    ogg = audio.to_ogg()
    return time.perf_counter() - started, take, audio, ogg


def complete(take, audio, ogg: bytes) -> bool:
    """Whether a take is whole: N values, a MIDI file with the solo in it, sound in the WAV, an OGG."""
    import pretty_midi

    if len(take.values) != VALUES or not ogg.startswith(b"OggS"):
        return False
    midi = pretty_midi.PrettyMIDI(io.BytesIO(take.midi))
    solo = [i for i in midi.instruments if i.name == "Solo"]
    if not solo or len(solo[0].notes) != sum(n.pitch is not None for n in take.notes):
        return False
    samples = audio.samples()
    return len(samples) > audio.sample_rate and int(abs(samples).max()) > 100


def phase(bundle, workers: int, seconds: float) -> dict:
    """`workers` threads making takes until `seconds` have passed; latencies and the completeness check."""
    deadline = time.perf_counter() + seconds
    made: list[tuple[float, object, object, bytes]] = []
    errors: list[str] = []
    lock = threading.Lock()

    def work(worker: int) -> None:
        seed = 1000 * worker
        while time.perf_counter() < deadline:
            seed += 1
            try:
                found = make_take(bundle, seed)
            except Exception as error:  # reported, not raised: a load test counts failures
                with lock:
                    errors.append(f"{type(error).__name__}: {error}")
                continue
            with lock:
                made.append(found)

    threads = [threading.Thread(target=work, args=(w,), name=f"load-{w}") for w in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    whole = sum(complete(take, audio, ogg) for _, take, audio, ogg in made)
    return {"workers": workers, "elapsed": elapsed, "latencies": [m[0] for m in made], "whole": whole,
            "errors": errors, "music": sum(m[1].seconds for m in made)}


def run(options: Namespace) -> PartResult:
    """One worker, then four; throughput, latency and completeness of every take."""
    result = PartResult("load", "6. Load: concurrent takes (issue 8)")
    bundle, _ = load_default()
    warm_up(bundle)
    table = Table(f"Takes of N = {VALUES} values (about 27 s of music each) made by concurrent threads, "
                  "each take = generate + render + OGG",
                  ["workers", "for", "takes", "takes per second", "latency median", "latency p95", "latency max",
                   "complete", "errors"],
                  note="Latency is one take from the worker's call to its OGG. 'Complete': N values, MIDI parses "
                       "with every solo note, audio longer than a second and not silent, OGG present.")
    found = []
    for workers, seconds in PHASES:
        print(f"  {workers} worker(s) for {seconds:.0f} s...", flush=True)
        found.append(phase(bundle, workers, seconds))
    for f in found:
        latencies = f["latencies"]
        table.add(f["workers"], f"{f['elapsed']:.1f} s", len(latencies), f"{len(latencies) / f['elapsed']:.2f}",
                  fmt(Stats.of(latencies).median), fmt(percentile(latencies, 0.95)), fmt(max(latencies)),
                  f"{f['whole']}/{len(latencies)}", len(f["errors"]))
    result.tables.append(table)
    single, busy = found
    gain = (len(busy["latencies"]) / busy["elapsed"]) / (len(single["latencies"]) / single["elapsed"])
    all_whole = all(f["whole"] == len(f["latencies"]) and not f["errors"] for f in found)
    result.targets.append(Target("load: every take complete under 4 concurrent callers", "all",
                                 f"{sum(f['whole'] for f in found)}/{sum(len(f['latencies']) for f in found)}, "
                                 f"{sum(len(f['errors']) for f in found)} errors", all_whole))
    result.notes.append(f"Four workers make {gain:.2f}x the takes per second of one, on {_cores()} cores. Renders "
                        "queue on the cached synth's lock (one FluidSynth per soundfont renders one take at a time); "
                        "the OGG encoding (libvorbis, outside the GIL) and the Python stages of other takes run "
                        "beside it. With two cores, more callers than two mean longer waits, not more takes.")
    for error in sorted(set(e for f in found for e in f["errors"]))[:5]:
        result.notes.append(f"Error seen: {error}")
    for item in [*result.tables, *result.targets, *result.notes]:
        show(item)
    return result


def _cores() -> int:
    import os

    return os.cpu_count() or 1
