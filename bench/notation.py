"""Part 8, notation: a 32-bar take written as MusicXML (music21) and engraved as SVG (verovio).

`python -m bench notation` (add `--wait 0` not to wait for a quiet machine). The take is the shipped
model's solo over the 32 bars of rhythm changes, swung, cut at the end of bar 32. The page caches the
lead sheet per take and part, so a warm render is what a user waits for when opening the score; the
first render in a process also imports music21's exporter and loads verovio's fonts.
"""

from __future__ import annotations

import time
from argparse import Namespace

from bench.common import DEFAULT_MODEL, PartResult, Stats, Table, Target, show

BARS, RUNS, GOAL = 32, 7, 0.5


def take_notes():
    """The shipped model's notes over rhythm changes, cut at the end of bar 32, and the progression."""
    from jazz_core.bundle import load_bundle
    from jazz_core.changes import PRESETS, parse_changes
    from jazz_core.music import Note
    from jazz_core.pipeline import generate
    from jazz_core.settings import GenerateSettings, PlaybackSettings

    changes = parse_changes(PRESETS["Rhythm changes in B-flat"])
    take = generate(load_bundle(DEFAULT_MODEL), GenerateSettings(values=600, seed=1), PlaybackSettings(), changes)
    end = 4.0 * BARS
    notes = [Note(n.offset, min(n.duration, end - n.offset), n.pitch, n.kind) for n in take.notes if n.offset < end]
    if notes[-1].offset + notes[-1].duration < end:
        raise RuntimeError("600 values did not fill 32 bars")
    return notes, changes


def timed(work, runs: int):
    """Wall-clock and CPU (this process) statistics of `runs` calls, and the last result. On a busy
    machine the CPU time is close to what the wall time would be on a quiet one."""
    walls, cpus, result = [], [], None
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        result = work()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return Stats.of(walls), Stats.of(cpus), result


def run(options: Namespace) -> PartResult:
    """Time each stage, first call and warm medians, and check the goal on the warm total."""
    from jazz_core import engraving
    from jazz_core.notation import lead_sheet

    result = PartResult("notation", "8. Notation: a 32-bar take as MusicXML and SVG")
    notes, changes = take_notes()

    def sheet():
        return lead_sheet(notes, changes, 160, True, "Bench", "bb-tenor")

    first = timed(lambda: engraving.svg(engraving.musicxml(sheet()), engraving.note_kinds(sheet())), 1)
    *written, score = timed(sheet, RUNS)
    *exported, xml = timed(lambda: engraving.musicxml(score), RUNS)
    *engraved, drawn = timed(lambda: engraving.svg(xml, engraving.note_kinds(score)), RUNS)
    *total, _ = timed(lambda: engraving.svg(engraving.musicxml(sheet()), engraving.note_kinds(score)), RUNS)
    table = Table(f"A {BARS}-bar take, {sum(n.pitch is not None for n in notes)} notes, B-flat tenor part "
                  f"({RUNS} runs each, median (range))", ["stage", "wall", "CPU"],
                  note=f"The SVG has {engraving.count(drawn, 'measure')} bars and "
                       f"{engraving.count(drawn, 'notehead')} noteheads; MusicXML {len(xml) / 1e3:.0f} kB, "
                       f"SVG {len(drawn) / 1e3:.0f} kB. CPU is this process's CPU time.")
    for name, (wall, cpu) in (("lead sheet (notation.lead_sheet: rhythm, spelling, transposition)", written),
                              ("MusicXML (engraving.musicxml: music21)", exported),
                              ("SVG (engraving.svg: verovio, then notes coloured by type)", engraved),
                              ("all three, warm", total),
                              ("all three, first in this process (music21 exporter, verovio fonts)", first[:2])):
        table.add(name, wall.text(), cpu.text())
    result.tables.append(table)
    wall, cpu = total
    result.targets.append(Target("MusicXML plus SVG for a 32-bar take", f"under {GOAL} s",
                                 f"{wall.text()} wall, {cpu.text()} CPU", wall.median < GOAL))
    result.notes.append("Rerun on a quiet machine with `.venv/bin/python -m bench notation` (it waits up to 15 "
                        "minutes for the load to fall); timings taken while other work runs are noisy.")
    for item in [*result.tables, *result.targets, *result.notes]:
        show(item)
    return result
