"""The hostile-input fuzz harness: `python -m tests.fuzz --examples N` (`make fuzz` runs 10,000).

Hypothesis builds hostile inputs of every kind the app reads: MIDI files of valid structure and
absurd values, MusicXML (entities, depth, huge numbers), ABC, zip containers (.mxl) and model
bundles, and chord texts. Each example must end in a result or one JazzError sentence, within a
time budget (CPU time, SIGPROF) and a memory budget (peak resident size; RLIMIT_AS as the hard stop).
Anything else is a finding: its input is written to tests/data/hostile/ (a regression file that
tests/test_hostile_regressions.py replays) and the run reports it. The report is JSON on stdout.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import resource
import signal
import sys
import time
import traceback
import zipfile
from pathlib import Path

import mido
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jazz_core.errors import JazzError
from tests.hostile import VOCABULARY, bundle_zip, manifest, npz, weights_arrays

SECONDS = 10  # per example, of CPU time (the machine is shared: wall time would measure the neighbours)
MEGABYTES = 1024  # peak resident memory of the whole run
HARD_MEMORY = 3 * 1024 ** 3  # address space: a runaway example stops here instead of taking the machine
FINDINGS = Path(__file__).resolve().parent / "data" / "hostile"
SHARES = {"midi": 3, "musicxml": 2, "abc": 1, "mxl": 1, "bundle": 3, "changes": 2}  # music21's kinds are slow
KINDS = tuple(SHARES)


class BudgetExceeded(Exception):
    """An example ran past SECONDS."""


# --- strategies -----------------------------------------------------------------------------

huge = st.one_of(st.integers(0, 16), st.integers(0, 2 ** 28 - 1), st.sampled_from([0, 1, 127, 2 ** 21, 2 ** 28 - 1]))


@st.composite
def midi_files(draw) -> bytes:
    """Valid MIDI structure, absurd values: tempo 0 or 1, time signatures up to 255/1, huge deltas, floods."""
    midi = mido.MidiFile(type=1, ticks_per_beat=draw(st.sampled_from([1, 24, 96, 480, 960, 32767])))
    for _ in range(draw(st.integers(1, 4))):
        track = mido.MidiTrack()
        if draw(st.booleans()):
            track.append(mido.MetaMessage("set_tempo", tempo=draw(st.sampled_from([0, 1, 500_000, 2 ** 24 - 1]))))
        if draw(st.booleans()):
            track.append(mido.MetaMessage("time_signature", numerator=draw(st.integers(0, 255)),
                                          denominator=2 ** draw(st.integers(0, 7))))
        repeat = draw(st.sampled_from([1, 1, 10, 300]))
        for _ in range(draw(st.integers(0, 40))):
            pitch, channel = draw(st.integers(0, 127)), draw(st.integers(0, 15))
            on = mido.Message("note_on", note=pitch, channel=channel, velocity=draw(st.integers(0, 127)),
                              time=draw(huge))
            off = mido.Message("note_off", note=pitch, channel=channel, time=draw(huge))
            track.extend([on, off] * repeat if draw(st.booleans()) else [on])
        midi.tracks.append(track)
    buffer = io.BytesIO()
    midi.save(file=buffer)
    data = buffer.getvalue()
    if draw(st.booleans()):  # a few bytes changed after the header: damaged, but close to valid
        cut = draw(st.integers(14, max(14, len(data))))
        data = data[:cut] + draw(st.binary(max_size=8)) + data[cut + draw(st.integers(0, 4)):]
    return data


numbers = st.one_of(st.integers(-10, 100), st.sampled_from(["1e308", "-1", "NaN", "99999999999999999999", "0",
                                                            "1e-300", "inf", "abc", ""]))


@st.composite
def musicxml_files(draw) -> bytes:
    """MusicXML with internal entities, deep nesting, huge and odd numbers, many or long measures."""
    entity = draw(st.sampled_from(["", '<!DOCTYPE score-partwise [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
                                   '<!DOCTYPE score-partwise [<!ENTITY x SYSTEM "file:///etc/passwd">]>']))
    name = draw(st.sampled_from(["Lead", "&b;", "&x;", "http://example.com **bold**", "<![CDATA[x]]>"]))
    deep = "<a>" * draw(st.sampled_from([0, 10, 5000])) + "</a>" * 0
    measures = []
    for index in range(draw(st.integers(1, 12))):
        notes = "".join(f"<note><pitch><step>{draw(st.sampled_from('CDEFGABH'))}</step><octave>{draw(numbers)}"
                        f"</octave></pitch><duration>{draw(numbers)}</duration></note>"
                        for _ in range(draw(st.integers(0, 4))))
        attributes = f"<attributes><divisions>{draw(numbers)}</divisions><time><beats>{draw(numbers)}</beats>" \
                     f"<beat-type>{draw(numbers)}</beat-type></time></attributes>" if index == 0 else ""
        measures.append(f'<measure number="{index + 1}">{attributes}{notes}</measure>')
    text = (f'<?xml version="1.0"?>{entity}<score-partwise version="3.1"><part-list><score-part id="P1">'
            f'<part-name>{name}</part-name></score-part></part-list><part id="P1">{"".join(measures)}{deep}'
            "</part></score-partwise>")
    return text.encode()


@st.composite
def abc_files(draw) -> bytes:
    """ABC tunes with odd headers, meters, lengths and bar counts."""
    meter = draw(st.sampled_from(["4/4", "0/4", "999/1", "C|", "x"]))
    length = draw(st.sampled_from(["1/4", "1/999", "0/0", "1/8"]))
    key = draw(st.sampled_from(["C", "Hmaj", ""]))
    header = f"X:1\nT:{draw(st.text(max_size=20))}\nM:{meter}\nL:{length}\nK:{key}\n"
    body = draw(st.text(alphabet="ABCDEFGabcdefgz,'^_=0123456789/|:[]() %\"", max_size=200))
    return (header + body * draw(st.sampled_from([1, 2, 50])) + "\n").encode()


@st.composite
def mxl_files(draw) -> bytes:
    """Zip containers: a MusicXML member (maybe a bomb of whitespace), odd names, many members."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("score.musicxml", draw(musicxml_files()) + b" " * draw(st.sampled_from([0, 10, 65 << 20])))
        for i in range(draw(st.sampled_from([0, 1, 100]))):
            archive.writestr(f"../extra/{i}.xml", b"<x/>")
    return buffer.getvalue()


values = st.one_of(st.sampled_from(VOCABULARY), st.text(max_size=12),
                   st.sampled_from(["C,1e308", "R,inf", "X,NaN", "C,0.000", "C,-1", "S,0.5,<P9999999,m2>"]))


@st.composite
def bundles(draw) -> bytes:
    """Model bundles with hostile fields, deep or huge JSON, and odd arrays."""
    choice = draw(st.integers(0, 5))
    if choice == 0:  # raw JSON, maybe nested very deep
        depth = draw(st.sampled_from([1, 9, 20_000]))
        return bundle_zip(b"[" * depth + draw(st.binary(max_size=20)) + b"]" * depth)
    fields = {"tempo_bpm": draw(st.one_of(st.floats(allow_nan=True), st.text(max_size=5), st.none())),
              "title": draw(st.one_of(st.text(max_size=30), st.integers())),
              "vocabulary": draw(st.one_of(st.just(VOCABULARY), st.lists(values, max_size=6))),
              "corpus": draw(st.lists(values, max_size=10)),
              "progression": draw(st.one_of(st.just([{"length": 4.0, "chords": [{"offset": 0, "pitches": [60]}]}]),
                                            st.lists(st.fixed_dictionaries({"length": st.floats(allow_nan=True),
                                                                            "chords": st.lists(st.dictionaries(
                                                                                st.sampled_from(["offset", "pitches"]),
                                                                                st.integers(-5, 300)), max_size=3)}),
                                                     max_size=4))),
              "settings": draw(st.one_of(st.just({}), st.dictionaries(st.sampled_from(["model", "dataset"]),
                                                                      st.one_of(st.text(max_size=3), st.integers()))))}
    keep = draw(st.lists(st.sampled_from(sorted(fields)), unique=True))
    body = manifest(**{key: fields[key] for key in keep})
    vocabulary = len(body["vocabulary"]) if isinstance(body["vocabulary"], list) else 4
    arrays = weights_arrays(max(vocabulary, 1), draw(st.integers(1, 6)))
    return bundle_zip(json.dumps(body).encode(), npz(arrays))


changes = st.one_of(st.text(max_size=80), st.lists(st.sampled_from(["C7", "Bb7", "%", "|", "F#m7b5", "H7", "Cx"
                                                                    * 9, "|" * 3]), max_size=40).map(" ".join))

STRATEGIES = {"midi": midi_files(), "musicxml": musicxml_files(), "abc": abc_files(), "mxl": mxl_files(),
              "bundle": bundles(), "changes": changes}


# --- what each input goes through -------------------------------------------------------------

def exercise(kind: str, data) -> None:
    """The paths the page and the CLI take with such an input; only a JazzError may come out."""
    if kind == "bundle":
        from jazz_core.bundle import bundle_from_bytes
        from jazz_core.pipeline import generate
        from jazz_core.settings import GenerateSettings

        generate(bundle_from_bytes(data), GenerateSettings(values=40))
    elif kind == "changes":
        from jazz_core.changes import parse_changes

        parse_changes(data)
    else:
        from jazz_core.reading import read_raw, read_score
        from jazz_core.report import preflight

        raw = read_raw(data, isolated=False)  # in this process: the harness's own budgets stand in for the child's
        preflight(data, raw=raw)
        read_score(data, raw=raw)


def _alarm(signum, frame):
    raise BudgetExceeded(f"more than {SECONDS} s")


def _finding(kind: str, data, problem: str) -> str:
    content = data.encode() if isinstance(data, str) else data
    name = f"{kind}-{hashlib.sha256(content).hexdigest()[:12]}.{'txt' if kind == 'changes' else 'bin'}"
    FINDINGS.mkdir(parents=True, exist_ok=True)
    (FINDINGS / name).write_bytes(content)
    return f"{name}: {problem}"


def peak_megabytes() -> float:
    """This process's own peak resident memory (VmHWM).

    Not getrusage's ru_maxrss: on Linux a child forked from a large process (pytest after training)
    starts with its parent's high-water mark and keeps it across exec, so it would report the parent's.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


PEAKS: list[float] = []  # each example's own peak, in MB


def _reset_peak() -> None:
    """Start the peak anew for one example: VmHWM only grows, so one big example (or hypothesis building a large
    input between examples) made every later example look like an overrun. Linux resets it on "5" in clear_refs."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_one(kind: str, data, findings: list[str]) -> None:
    """One example under the budgets; a traceback or an overrun is recorded, never raised.

    The CPU timer fires after SECONDS and then every second, so an exception swallowed where it
    landed (a garbage-collector callback) is raised again; the CPU time spent is checked as well.
    """
    _reset_peak()
    signal.signal(signal.SIGPROF, _alarm)
    signal.setitimer(signal.ITIMER_PROF, SECONDS, 1.0)
    started = _cpu_seconds()
    try:
        exercise(kind, data)
    except JazzError as error:
        if "\n" in str(error):
            findings.append(_finding(kind, data, f"a message of several lines: {str(error)[:200]!r}"))
    except (BudgetExceeded, MemoryError) as error:
        findings.append(_finding(kind, data, f"budget overrun: {type(error).__name__} {error}"))
    except Exception as error:
        findings.append(_finding(kind, data, "traceback: " + "".join(traceback.format_exception_only(error)).strip()))
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
    if _cpu_seconds() - started > SECONDS:
        findings.append(_finding(kind, data, f"budget overrun: {_cpu_seconds() - started:.1f} s of CPU"))
    peak = peak_megabytes()
    PEAKS.append(peak)
    if peak > MEGABYTES:
        findings.append(_finding(kind, data, f"memory budget overrun: peak above {MEGABYTES} MB"))


def fuzz(kind: str, examples: int, findings: list[str], derandomize: bool = True) -> int:
    """Run `examples` hypothesis examples of one kind (the same ones every run unless not `derandomize`)."""
    count = [0]

    @settings(max_examples=examples, deadline=None, database=None, derandomize=derandomize,
              suppress_health_check=list(HealthCheck))
    @given(STRATEGIES[kind])
    def one(data) -> None:
        count[0] += 1
        run_one(kind, data, findings)

    one()
    return count[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="examples in all, shared by the kinds")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--random", action="store_true", help="new examples each run (CI runs the same ones)")
    parser.add_argument("--findings", type=Path, default=None, help="folder for the files of what it finds")
    parser.add_argument("--report", type=Path, default=None, help="write the JSON report here (else to stdout)")
    args = parser.parse_args(argv)
    if args.findings is not None:
        global FINDINGS
        FINDINGS = args.findings
    resource.setrlimit(resource.RLIMIT_AS, (HARD_MEMORY, resource.getrlimit(resource.RLIMIT_AS)[1]))
    kinds = args.kinds.split(",")
    findings: list[str] = []
    started = time.perf_counter()
    total = sum(SHARES[kind] for kind in kinds)
    ran = {kind: fuzz(kind, max(1, -(-args.examples * SHARES[kind] // total)), findings, not args.random)  # at least N
           for kind in kinds}
    report = {"examples": ran, "total": sum(ran.values()), "seconds": round(time.perf_counter() - started, 1),
              "peak_megabytes": round(max(PEAKS, default=0.0)),  # the biggest example's peak
              "findings": findings}
    if args.report is None:
        json.dump(report, sys.stdout, indent=1)
    else:  # a file: libraries that print on import (pyfluidsynth does) cannot spoil it
        args.report.write_text(json.dumps(report, indent=1))
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
