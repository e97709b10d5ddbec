"""Benchmark of the audio stage: a 60-second solo over chords, rendered three ways with the real FluidSynth.

    python bench/bench_audio.py [--runs 5] [--seconds 60]      (also part of the suite: python -m bench audio)

Ways: jazz_core.audio.render (pyfluidsynth driving one cached Synth directly, the way kept), the
`fluidsynth` command line in file-render mode (a new process that loads the soundfont and writes a WAV
each time), and pretty_midi's PrettyMIDI.fluidsynth() for reference. Runs are interleaved so that a
busy machine slows all ways alike; prints, for each, the median wall-clock seconds and real-time factor,
and the median CPU seconds (this process plus its children: the CLI's work counts), which a machine busy
with other work disturbs less.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build_midi(seconds: float, tempo: float = 130.0) -> bytes:
    """A two-track MIDI as the app writes it: "Solo" eighth notes over four-note "Chords", whole bars."""
    import pretty_midi

    rng = random.Random(0)
    beat = 60.0 / tempo
    midi = pretty_midi.PrettyMIDI(initial_tempo=tempo)
    solo = pretty_midi.Instrument(program=26, name="Solo")
    for i in range(int(seconds / (beat / 2))):
        start = i * beat / 2
        solo.notes.append(pretty_midi.Note(100, rng.randint(60, 80), start, start + 0.45 * beat))
    chords = pretty_midi.Instrument(program=0, name="Chords")
    voicings = [(50, 53, 57, 60), (55, 59, 62, 65), (48, 52, 55, 59)]
    for bar in range(int(seconds / (4 * beat))):
        for pitch in voicings[bar % 3]:
            chords.notes.append(pretty_midi.Note(62, pitch, bar * 4 * beat, (bar + 1) * 4 * beat))
    midi.instruments += [solo, chords]
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()


def ways(midi: bytes, soundfont: str, folder: Path) -> dict[str, Callable[[], object]]:
    """name -> a function rendering `midi` to 44.1 kHz audio with `soundfont`."""
    import pretty_midi

    from jazz_core.audio import AudioSettings, render

    settings = AudioSettings(soundfont=soundfont)
    path, out = folder / "in.mid", folder / "out.wav"
    path.write_bytes(midi)
    command = [shutil.which("fluidsynth") or "fluidsynth", "-ni", "-q", "-F", str(out), "-r", "44100",
               soundfont, str(path)]

    def cli() -> bytes:
        subprocess.run(command, check=True, capture_output=True)
        return out.read_bytes()

    def pretty() -> object:
        return pretty_midi.PrettyMIDI(io.BytesIO(midi)).fluidsynth(fs=44100, synthesizer=soundfont)

    return {"pyfluidsynth direct (render)": lambda: render(midi, settings), "fluidsynth CLI -ni -F": cli,
            "pretty_midi .fluidsynth()": pretty}


def cpu_seconds() -> float:
    """User and system CPU seconds of this process and of its finished children."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(soundfont: str, midi: bytes, runs: int) -> dict:
    """Render `midi` every way, interleaved, `runs` times: wall and CPU seconds per way, the first render and OGG."""
    from jazz_core.audio import AudioSettings, render

    with tempfile.TemporaryDirectory() as folder:
        candidates = ways(midi, soundfont, Path(folder))
        started = time.perf_counter()
        rendered = render(midi, AudioSettings(soundfont=soundfont))  # loads the soundfont, fills the cache
        first = time.perf_counter() - started
        wall: dict[str, list[float]] = {name: [] for name in candidates}
        cpu: dict[str, list[float]] = {name: [] for name in candidates}
        for _ in range(runs):
            for name, way in candidates.items():
                started, started_cpu = time.perf_counter(), cpu_seconds()
                way()
                wall[name].append(time.perf_counter() - started)
                cpu[name].append(cpu_seconds() - started_cpu)
    started = time.perf_counter()
    ogg = rendered.to_ogg()
    return {"first": first, "wall": wall, "cpu": cpu, "ogg_seconds": time.perf_counter() - started,
            "ogg_bytes": len(ogg), "wav_bytes": len(rendered.wav)}


def bench(soundfont: str, midi: bytes, seconds: float, runs: int) -> None:
    """Print the medians of `measure` for one soundfont."""
    print(f"\n{Path(soundfont).name}: {seconds:.0f} s of music, {runs} runs each, median")
    found = measure(soundfont, midi, runs)
    print(f"  first render() in this process (loads the soundfont): {found['first']:.3f} s")
    for name, wall in found["wall"].items():
        median, median_cpu = statistics.median(wall), statistics.median(found["cpu"][name])
        print(f"  {name:30s} wall {median:6.3f} s = {seconds / median:4.0f}x real time"
              f" (min {min(wall):.3f}, max {max(wall):.3f})"
              f"   CPU {median_cpu:6.3f} s = {seconds / median_cpu:4.0f}x")
    print(f"  to_ogg(): {found['ogg_seconds']:.3f} s, {found['ogg_bytes'] / 1e6:.2f} MB "
          f"(WAV {found['wav_bytes'] / 1e6:.1f} MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    import pretty_midi

    from jazz_core.audio import SYSTEM_SOUNDFONT

    midi = build_midi(args.seconds)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for soundfont in (str(Path(pretty_midi.__file__).parent / "TimGM6mb.sf2"), SYSTEM_SOUNDFONT):
        if os.path.isfile(soundfont):
            bench(soundfont, midi, args.seconds, args.runs)


if __name__ == "__main__":
    main()
