"""`python -m bench [PART ...]`: run the benchmarks, print their tables, write docs/benchmarks.md.

With no part named, every part runs (under 10 minutes on 2 cores). Each part's results are kept
in bench/results/PART.json, so running one part updates its section of the document and keeps the others.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
from datetime import datetime

from bench.common import PartResult, load_average, machine_facts, wait_until_quiet
from bench.report import write_document

PARTS = ("training", "preprocessing", "generation", "page", "scaling", "load", "audio", "notation", "click")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", metavar="PART", help=f"parts to run: {', '.join(PARTS)} (default: all)")
    parser.add_argument("--with-course-parse", action="store_true",
                        help="also time the course's music21 preprocessing (about 15-25 s more)")
    parser.add_argument("--long", action="store_true",
                        help="also time the course's 500-step inference model (over a minute more)")
    parser.add_argument("--wait", type=float, default=15.0, metavar="MINUTES",
                        help="wait up to this long for a quiet machine before measuring (0: do not wait)")
    parser.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md alone")
    parser.add_argument("--doc-only", action="store_true", help="measure nothing; write the document from the saved "
                        "results (after editing bench/findings.md)")
    options = parser.parse_args()
    unknown = [p for p in options.parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown part {unknown[0]!r}; the parts are: {', '.join(PARTS)}")
    return options


def run_part(name: str, options: argparse.Namespace, machine_state: str) -> PartResult:
    """Run one part, noting when it ran, how long it took and the load before and after."""
    print(f"\n=== {name} ===", flush=True)
    before, started, when = load_average(), time.perf_counter(), datetime.now().isoformat(timespec="seconds")
    result = importlib.import_module(f"bench.{name}").run(options)
    result.started, result.seconds = when, time.perf_counter() - started
    result.load = [round(before, 2), round(load_average(), 2)]
    result.notes.append(f"Machine at the start of the run: {machine_state}.")
    result.save()
    print(f"  ({name}: {result.seconds:.0f} s, load {before:.2f} before, {result.load[1]:.2f} after)", flush=True)
    return result


def main() -> None:
    options = arguments()
    parts = options.parts or list(PARTS)
    facts = machine_facts()
    if options.doc_only:
        print(f"wrote {write_document(facts, PARTS, None)}")
        return
    print(f"machine: {facts['cores']} cores, {facts['cpu']}, {facts['memory']}, Python {facts['python']}")
    state = wait_until_quiet(options.wait) if options.wait > 0 else f"not checked (load {load_average():.2f})"
    print(f"machine {state}", flush=True)
    started = time.perf_counter()
    for name in parts:
        run_part(name, options, state)
    total = time.perf_counter() - started
    print(f"\nall of {', '.join(parts)}: {total:.0f} s", flush=True)
    if not options.no_doc:
        command = " ".join(["python -m bench", *sys.argv[1:]])
        print(f"wrote {write_document(facts, PARTS, total if len(parts) == len(PARTS) else None, command)}")


if __name__ == "__main__":
    main()
