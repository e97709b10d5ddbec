"""Part 7, the audio stage: bench/bench_audio.py's three ways of rendering a 60-second solo, as a table.

The way kept (`jazz_core.audio.render`, pyfluidsynth driving one cached synth), the `fluidsynth`
command line in file-render mode, and pretty_midi's `fluidsynth()`, for each soundfont present.
"""

from __future__ import annotations

import os
import statistics
from argparse import Namespace
from pathlib import Path

from bench.bench_audio import build_midi, measure
from bench.common import PartResult, Stats, Table, fmt, show

SECONDS, RUNS = 60.0, 5


def soundfonts() -> list[str]:
    """pretty_midi's small TimGM6mb and Debian's FluidR3_GM, those present."""
    import pretty_midi

    from jazz_core.audio import SYSTEM_SOUNDFONT

    found = [str(Path(pretty_midi.__file__).parent / "TimGM6mb.sf2"), SYSTEM_SOUNDFONT]
    return [path for path in found if os.path.isfile(path)]


def run(options: Namespace) -> PartResult:
    """Every way with every soundfont, interleaved runs."""
    result = PartResult("audio", "7. The audio stage: three ways to render")
    midi = build_midi(SECONDS)
    table = Table(f"Rendering a {SECONDS:.0f}-second solo over chords at 44.1 kHz ({RUNS} interleaved runs each)",
                  ["soundfont", "way", "wall median (range)", "real time", "CPU median", "first render, OGG"],
                  note="CPU counts this process and its children (the command line's work too). 'First render' "
                       "loads the soundfont into the cached synth; OGG is the page's player format.")
    for soundfont in soundfonts():
        found = measure(soundfont, midi, RUNS)
        for index, (name, wall) in enumerate(found["wall"].items()):
            stats = Stats.of(wall)
            extra = (f"{fmt(found['first'])}; OGG {fmt(found['ogg_seconds'])}, {found['ogg_bytes'] / 1e6:.2f} MB "
                     f"(WAV {found['wav_bytes'] / 1e6:.1f} MB)") if index == 0 else ""
            table.add(Path(soundfont).name, name, stats.text(), f"{SECONDS / stats.median:.0f}x",
                      fmt(statistics.median(found["cpu"][name])), extra)
    result.tables.append(table)
    result.notes.append("The page plays FluidR3_GM when Debian's fluid-soundfont-gm is installed (else TimGM6mb); "
                        "encoding the OGG for the player costs more than rendering (see part 3).")
    for item in [*result.tables, *result.notes]:
        show(item)
    return result
