"""Part 2, preprocessing: the course's file to grammar values, in a fresh Python (cold) and in a warm one.

Ours: `scores.read_score(bytes, preset='metheny')` (mido, no music21) and `grammar.encode_measures`.
Cold means a new Python process each run: the whole time is measured from starting the process
to its exit (interpreter, imports, work); the part after imports inside it. Without the course's
file, the built-in corpus (two MusicXML pieces through music21) is measured instead.
With `--with-course-parse`, the course's way too, once (music21's parse of the whole file).
"""

from __future__ import annotations

import time
from argparse import Namespace
from pathlib import Path

from bench.common import PartResult, Stats, Table, Target, course_source, fmt, repeat, run_child, show

COLD_RUNS = 5
COLD_LIMIT = 2.5


# --- in the child process -------------------------------------------------------------------------------------

def child_preprocess(path: str | None = None) -> dict:
    """Import the reader and the grammar, then read the file (or the built-in corpus) and encode it."""
    started = time.perf_counter()
    from jazz_core.grammar import encode_measures
    from jazz_core.scores import builtin_corpus, read_score

    imported = time.perf_counter()
    pieces = [read_score(Path(path).read_bytes(), preset="metheny")] if path else builtin_corpus()
    read = time.perf_counter()
    values = [value for piece in pieces for value in encode_measures(piece.measures)]
    encoded = time.perf_counter()
    return {"import_seconds": imported - started, "read_seconds": read - imported,
            "encode_seconds": encoded - read, "work_seconds": encoded - imported,
            "values": len(values), "unique": len(set(values))}


def child_course_parse(path: str) -> dict:
    """The course's way (bench.course_parse), timed step by step."""
    from bench.course_parse import course_values

    return course_values(path)


# --- in the bench process -------------------------------------------------------------------------------------

def warm(path: str | None) -> tuple[Stats, int]:
    """Read and encode again and again in this process (imports done, as on the page): timings and value count."""
    from jazz_core.grammar import encode_measures
    from jazz_core.scores import builtin_corpus, read_score

    if path:
        data = Path(path).read_bytes()
        stats, values = repeat(lambda: encode_measures(read_score(data, preset="metheny").measures), 7)
    else:
        stats, pieces = repeat(builtin_corpus, 3)
        values = [v for p in pieces for v in encode_measures(p.measures)]
    return stats, len(values)


def run(options: Namespace) -> PartResult:
    """Cold runs of ours, warm runs of ours, and optionally the course's music21 way."""
    label, path = course_source()
    result = PartResult("preprocessing", "2. Preprocessing: the file to values")
    cold = [run_child("preprocess", path=path) for _ in range(COLD_RUNS)]
    table = Table(f"From {label} to grammar values",
                  ["way", "runs", "whole process (cold)", "imports", "after imports", "read", "encode", "values"],
                  note="Cold: a new Python each run, timed from its start to its exit; 'after imports' is read + "
                       "encode inside it. Warm: the same calls again in a running process (the page's case; it "
                       "also caches the result per file).")
    whole = Stats.of([r["process_seconds"] for r in cold])
    after = Stats.of([r["work_seconds"] for r in cold])
    table.add("ours, cold: read_score(bytes, preset) + encode_measures", len(cold), whole.text(),
              Stats.of([r["import_seconds"] for r in cold]).text(), after.text(),
              Stats.of([r["read_seconds"] for r in cold]).text(), Stats.of([r["encode_seconds"] for r in cold]).text(),
              f"{cold[0]['values']} ({cold[0]['unique']} unique)")
    warm_stats, count = warm(path)
    table.add("ours, warm (imports done)", warm_stats.runs, "", "", warm_stats.text(), "", "", str(count))
    if options.with_course_parse and path:
        print("  the course's way: music21 parse of the whole file (about 15-25 s)...", flush=True)
        course = run_child("course_parse", path=path)
        after_course = course["parse_seconds"] + course["strip_seconds"] + course["grammar_seconds"]
        table.add("course's way: music21 parse (quantizePost=False) + stripTies + music21 theory", 1,
                  fmt(course["process_seconds"]), fmt(course["import_seconds"]), fmt(after_course),
                  f"{fmt(course['parse_seconds'])} parse + {fmt(course['strip_seconds'])} stripTies",
                  fmt(course["grammar_seconds"]), f"{course['values']} ({course['unique']} unique)")
        result.notes.append(
            f"The course's way is {course['process_seconds'] / whole.median:.0f}x slower cold. Its music21 parse is "
            "timed from the file (forceSource=True); music21 also keeps a pickle of every parsed file in its "
            f"scratch folder, and a second parse from that pickle took {fmt(course['cached_parse_seconds'])}. "
            "The port's values (course: 193 values, 78 unique) differ a little because music21 10 is not "
            "music21 5; its cost is the point.")
    elif options.with_course_parse:
        result.notes.append("The course's way was not measured: the course's file is absent.")
    else:
        result.notes.append("The course's way (music21, about 15-25 s) is measured with --with-course-parse.")
    result.tables.append(table)
    result.targets.append(Target("preprocessing, the course's file to values, cold process", f"< {COLD_LIMIT:g} s",
                                 fmt(whole.median), whole.median < COLD_LIMIT))
    for item in [*result.tables, *result.targets, *result.notes]:
        show(item)
    return result
