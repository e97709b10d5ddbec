"""docs/benchmarks.md from the parts' saved results: how to run, the machine, the targets, one section per part."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from bench.common import DOC, RESULTS, PartResult

HOW_TO_RUN = """\
```sh
make bench                                   # every part: python -m bench (long: load alone is ~5 min)
.venv/bin/python -m bench training page      # some parts only; the others keep their last results here
.venv/bin/python -m bench --with-course-parse --long   # also the course's slow ways (music21 parse, Ty = 500)
```

Parts: `training`, `preprocessing`, `generation`, `page`, `scaling`, `load`, `audio`. Each prints its tables
as it goes and saves them in `bench/results/PART.json`; this page is written from those files. Before
measuring, the suite waits (up to 15 minutes, `--wait MINUTES`) until the 1-minute load is below 0.5 and no
test, Streamlit or Chromium process runs; each section notes the 1-minute load before and after its part
(the load after a part includes the benchmark's own work: TensorFlow, FluidSynth and Chromium use both cores).
Timings are wall-clock, medians of several runs with the range in brackets. These are measurements,
not tests: a missed target is reported, never raised. The course's Keras models exist only in
`bench/course.py`, as the reference; the app never uses them."""


def _facts_table(facts: dict) -> str:
    rows = [("cores", facts["cores"]), ("CPU (/proc/cpuinfo)", facts["cpu"]), ("memory", facts["memory"]),
            ("system", facts["system"]), ("Python", facts["python"]),
            *((name, version) for name, version in facts["libraries"].items()),
            ("FluidSynth", facts["fluidsynth"]), ("Chromium", facts["chromium"])]
    return "\n".join(["| | |", "|---|---|", *(f"| {name} | {value} |" for name, value in rows)])


def _targets_table(results: list[PartResult]) -> str:
    lines = ["| part | target | goal | measured | |", "|---|---|---|---|---|"]
    for result in results:
        for target in result.targets:
            lines.append(f"| {result.name} | {target.what} | {target.goal} | {target.measured} | "
                         f"{'met' if target.met else '**missed**'} |")
    return "\n".join(lines)


def _section(result: PartResult) -> str:
    load = f"load {result.load[0]:.2f} before, {result.load[1]:.2f} after" if result.load else "load not noted"
    parts = [f"## {result.title}", "", f"Run {result.started}, took {result.seconds:.0f} s, {load}.", ""]
    for table in result.tables:
        parts += [table.markdown(), ""]
    parts += [f"- {note}" for note in result.notes]
    return "\n".join(parts).rstrip() + "\n"


def _findings() -> str:
    path = Path(__file__).with_name("findings.md")
    return path.read_text().strip() if path.is_file() else ""


def write_document(facts: dict, names: Sequence[str], total_seconds: float | None, command: str = "") -> Path:
    """Write docs/benchmarks.md from every part's saved results; `total_seconds` and `command` of a full suite run,
    if this was one (else the last full run's are kept)."""
    suite = RESULTS / "suite.json"
    if total_seconds is not None:
        RESULTS.mkdir(parents=True, exist_ok=True)
        suite.write_text(json.dumps({"total_seconds": round(total_seconds), "command": command}) + "\n")
    last = json.loads(suite.read_text()) if suite.is_file() else {}
    results = [r for r in (PartResult.load_saved(name) for name in names) if r is not None]
    text = ["# Benchmarks", "", "How fast each stage of Jazz LSTM Studio is, against the course's own way where "
            "there is one, on the machine below.", "", "## How to run", "", HOW_TO_RUN, "", "## The machine", "",
            _facts_table(facts), ""]
    if last:
        command = last.get("command") or "python -m bench"
        text += [f"The last full run (`{command}`) took {last['total_seconds']:.0f} s.", ""]
    text += ["## Targets", "", _targets_table(results), ""]
    findings = _findings()
    if findings:
        text += [findings, ""]
    text += [_section(result) for result in results]
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text("\n".join(text).rstrip() + "\n")
    return DOC
