"""Part 6, load (issues 8 and 18): 1, 4 and 8 sessions making takes at once, for a bounded time, in this process only.

Each session is a thread that, until its deadline, makes 30-second takes back to back as the page does
after a click on Generate: `pipeline.generate` (N = 200 values, its own seed), then `session.take_record`
(`audio.render` on the synth pool, the FLAC for the player, roll and metrics; the take's OGG for keeping
started in niced background threads) and `session.with_take` (the session's list, 24 at most, older takes
swapped to their OGG once it is ready). Latency is a click's wait: from the call until the new take's
record is made and the list updated. After the deadline the background OGGs are waited for (how many were
not ready, and how long they took, is reported) and every take is checked: N values, the MIDI parses with
every solo note, the FLAC decodes to the take's length and is not silent, the kept OGG is an OGG.
Phases: 1, 4 and 8 sessions with the pool (one synth per core), then 4 sessions on one synth, for the
pool's speed-up. No network is used at all ("loopback only" in the strictest sense): a session's work is
the page's work without the browser, which part 4 measures.
"""

from __future__ import annotations

import io
import os
import threading
import time
from argparse import Namespace
from dataclasses import dataclass, field

from bench.common import PartResult, Stats, Table, Target, fmt, percentile, show
from bench.generation import load_default, warm_up

SECONDS = 60.0  # each phase
PHASES = ((1, None), (4, None), (8, None), (4, 1))  # (sessions, synths per pool; None = one per core)
VALUES = 200  # the page's default: about 30 s of music at 130 beats per minute (a few seeds play 90 s)
KEPT = 24  # takes a session keeps, as the page does


@dataclass
class Session:
    """What one session made: each take's latency, its record as made (with the FLAC) and the session's list."""

    number: int
    latencies: list[float] = field(default_factory=list)
    takes: list = field(default_factory=list)  # the session's take records, newest first, at most KEPT
    checked: list = field(default_factory=list)  # every take's record as made, for the completeness check
    errors: list[str] = field(default_factory=list)

    def make_take(self, bundle, seed: int) -> None:
        """One click on Generate as the page makes it: the take, its record (render, FLAC, roll, metrics; its OGG
        for keeping started in the background), then the session's list (older takes kept small)."""
        from jazz_core import pipeline, session
        from jazz_core.settings import GenerateSettings

        started = time.perf_counter()
        take = pipeline.generate(bundle, GenerateSettings(values=VALUES, seed=seed))
        record = session.take_record(len(self.checked) + 1, take, bundle, None, "default", "Tenor sax", "its own")
        self.takes = session.with_take(self.takes, record, KEPT)
        self.latencies.append(time.perf_counter() - started)
        self.checked.append(record)

    def run(self, bundle, deadline: float) -> None:
        seed = 1000 * self.number
        while time.perf_counter() < deadline:
            seed += 1
            try:
                self.make_take(bundle, seed)
            except Exception as error:  # reported, not raised: a load test counts failures
                self.errors.append(f"{type(error).__name__}: {error}")

    def kept_audio(self, record) -> bytes | None:
        """The kept audio of a take once the background OGG is done (None for the newest, or one not kept)."""
        if record.sound.compact is not None:
            record.sound.compact.result(120)
        for kept in self.takes[1:]:
            if kept.number == record.number:
                return kept.sound.kept().audio
        return None


def complete(take, flac: bytes, kept: bytes | None) -> bool:
    """Whether a take is whole: N values, a MIDI file with the solo in it, sound in the FLAC, an OGG once kept."""
    import numpy as np
    import pretty_midi
    import soundfile

    if len(take.values) != VALUES or (kept is not None and not kept.startswith(b"OggS")):
        return False
    midi = pretty_midi.PrettyMIDI(io.BytesIO(take.midi))
    solo = [i for i in midi.instruments if i.name == "Solo"]
    if not solo or len(solo[0].notes) != sum(n.pitch is not None for n in take.notes):
        return False
    samples, rate = soundfile.read(io.BytesIO(flac), dtype="int16")
    return len(samples) > take.seconds * rate and int(np.abs(samples).max()) > 100


def phase(bundle, sessions: int, synths: int | None, seconds: float) -> dict:
    """`sessions` threads making takes for `seconds` on pools of `synths` synths; what they made and how fast."""
    from jazz_core import synth_pool

    _set_synths(synths)
    _warm_pool(bundle)
    deadline = time.perf_counter() + seconds
    made = [Session(number) for number in range(sessions)]
    threads = [threading.Thread(target=s.run, args=(bundle, deadline), name=f"session-{s.number}") for s in made]
    started, cpu = time.perf_counter(), time.process_time()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    waiting = [r for s in made for r in s.takes[1:] if r.sound.format == "audio/flac"]  # OGG not ready yet
    for record in waiting:
        record.sound.compact.result(300)
    drain, cpu = time.perf_counter() - started - elapsed, time.process_time() - cpu
    size = synth_pool.pool_size()
    _set_synths(None)
    latencies = [latency for s in made for latency in s.latencies]
    return {"sessions": sessions, "synths": size, "elapsed": elapsed, "cpu": cpu, "latencies": latencies,
            "waiting": len(waiting), "drain": drain,
            "whole": sum(complete(r.take, r.sound.audio, s.kept_audio(r)) for s in made for r in s.checked),
            "errors": [error for s in made for error in s.errors]}


def _set_synths(synths: int | None) -> None:
    """Pools of `synths` synths from now on (None: one per core), made anew."""
    from jazz_core import synth_pool

    if synths is None:
        os.environ.pop(synth_pool.POOL_ENV, None)
    else:
        os.environ[synth_pool.POOL_ENV] = str(synths)
    synth_pool.forget_pools()


def _warm_pool(bundle) -> None:
    """Every synth of the pool made and its soundfont loaded before the clock starts, as on a server that has
    been answering for a while."""
    from jazz_core import audio, pipeline, synth_pool
    from jazz_core.settings import AudioSettings, GenerateSettings

    midi = pipeline.generate(bundle, GenerateSettings(values=8)).midi
    threads = [threading.Thread(target=audio.render, args=(midi, AudioSettings()))
               for _ in range(synth_pool.pool_size())]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def rate(found: dict) -> float:
    return len(found["latencies"]) / found["elapsed"]


def table(found: list[dict]) -> Table:
    result = Table(f"Sessions making takes of N = {VALUES} values (about 30 s of music) back to back for "
                   f"{SECONDS:.0f} s; a take = the page's click: generate + render + FLAC + roll + metrics, the "
                   "older takes kept as OGG (made in the background)",
                   ["sessions", "synths", "for", "takes", "takes per second", "latency median", "latency p95",
                    "latency max", "complete", "errors", "CPU used", "OGG not ready at the end"],
                   note="Latency is a click's wait: from the call until the new take's record (FLAC) is made and "
                        "the session's list updated; the kept OGG is made by niced background threads. CPU used "
                        "includes them, up to the end of the phase's OGGs (the last column). 'Complete': N values, "
                        "MIDI parses with every solo note, FLAC as long as the take and not silent, kept OGG an "
                        "OGG. CPU used: this process's CPU seconds per wall second (2 = both cores).")
    for f in found:
        latencies = f["latencies"]
        result.add(f["sessions"], f["synths"], f"{f['elapsed']:.1f} s", len(latencies), f"{rate(f):.2f}",
                   fmt(Stats.of(latencies).median), fmt(percentile(latencies, 0.95)), fmt(max(latencies)),
                   f"{f['whole']}/{len(latencies)}", len(f["errors"]), f"{f['cpu'] / (f['elapsed'] + f['drain']):.2f}",
                   f"{f['waiting']} (done {f['drain']:.1f} s later)")
    return result


def targets(found: list[dict]) -> list[Target]:
    eight = next(f for f in found if f["sessions"] == 8)
    p95 = percentile(eight["latencies"], 0.95)
    every = all(f["whole"] == len(f["latencies"]) and not f["errors"] for f in found)
    return [Target("load: every take complete, 1 to 8 sessions", "all",
                   f"{sum(f['whole'] for f in found)}/{sum(len(f['latencies']) for f in found)}, "
                   f"{sum(len(f['errors']) for f in found)} errors", every),
            Target("load: 95th percentile latency with 8 sessions", "< 3 s", fmt(p95), p95 < 3.0)]


def _crowding(found: list[dict]) -> str:
    """How much of the machine this process had: on a shared machine the latencies measure the others' work."""
    most = max(f["cpu"] / (f["elapsed"] + f["drain"]) for f in found)
    text = f"At most {most:.2f} of the machine's {os.cpu_count()} cores went to this process in any phase"
    if most >= 1.5:
        return text + "."
    return (text + ": other work held the rest, so these latencies measure the crowding more than the app. "
            "On a quiet machine: `.venv/bin/python -m bench load` (it waits up to 15 minutes for the machine to "
            "be quiet, then runs for about 5).")


def run(options: Namespace) -> PartResult:
    """1, 4 and 8 sessions on the synth pool, then 4 on one synth; throughput, latency, completeness."""
    result = PartResult("load", "6. Load: concurrent sessions (issues 8 and 18)")
    bundle, _ = load_default()
    warm_up(bundle)
    found = []
    for sessions, synths in PHASES:
        print(f"  {sessions} session(s), {synths or 'one per core'} synth(s), for {SECONDS:.0f} s...", flush=True)
        found.append(phase(bundle, sessions, synths, SECONDS))
    result.tables.append(table(found))
    result.targets += targets(found)
    pool, one = found[1], found[3]
    single = found[0]
    result.notes.append(
        f"The synth pool ({pool['synths']} synths) against one synth at 4 sessions: {rate(pool) / rate(one):.2f}x the "
        f"takes per second, median latency {fmt(Stats.of(pool['latencies']).median)} against "
        f"{fmt(Stats.of(one['latencies']).median)}. Eight sessions make {rate(found[2]) / rate(single):.2f}x the "
        f"takes per second of one, on {os.cpu_count()} cores: past two busy sessions per two cores, more "
        "sessions mean longer waits, not more takes.")
    result.notes.append(_crowding(found))
    for error in sorted({e for f in found for e in f["errors"]})[:5]:
        result.notes.append(f"Error seen: {error}")
    for item in [*result.tables, *result.targets, *result.notes]:
        show(item)
    return result
