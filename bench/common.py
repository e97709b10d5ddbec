"""What every part shares: statistics, tables, targets, fresh child processes, the machine's facts.

Only the standard library is imported here, so that a child process can time its own imports.
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
COURSE_MIDI = ROOT.parent / "shared" / "data" / "original_metheny.mid"  # never copied into the project
DEFAULT_MODEL = ROOT / "assets" / "default_model"
CHROMIUM = "/usr/bin/chromium"
RESULT_MARK = "BENCH-RESULT "  # a child's answer: this mark, then one line of JSON, on stdout
LIBRARIES = ("tensorflow-cpu", "keras", "numpy", "music21", "mido", "pretty_midi", "pyfluidsynth", "soundfile",
             "streamlit", "playwright")


# --- numbers ------------------------------------------------------------------------------------------------

def _unit(seconds: float) -> tuple[str, float]:
    return ("ms", 1e3) if seconds < 1 else ("s", 1.0)


def _number(value: float) -> str:
    """Two decimals below 10, one below 100, none above: 0.68, 4.00, 13.4, 454."""
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 100 else f"{value:.0f}"


def fmt(seconds: float) -> str:
    """A duration for a table: milliseconds below one second, seconds above."""
    unit, scale = _unit(seconds)
    return f"{_number(seconds * scale)} {unit}"


@dataclass(frozen=True)
class Stats:
    """Median, minimum and maximum of several timings, in seconds."""

    median: float
    low: float
    high: float
    runs: int

    @classmethod
    def of(cls, samples: list[float]) -> Stats:
        return cls(statistics.median(samples), min(samples), max(samples), len(samples))

    def text(self) -> str:
        """'12.3 ms (11.9-13.0)': the median and, in brackets, the range."""
        if self.runs == 1:
            return fmt(self.median)
        _, scale = _unit(self.median)
        return f"{fmt(self.median)} ({_number(self.low * scale)}-{_number(self.high * scale)})"


def repeat(work: Callable[[], object], runs: int) -> tuple[Stats, object]:
    """Time `work` `runs` times; the statistics and the last result."""
    samples, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        samples.append(time.perf_counter() - started)
    return Stats.of(samples), result


def percentile(samples: list[float], share: float) -> float:
    """The `share` (0-1) percentile by the nearest-rank rule."""
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered) + 0.5) - 1))]


# --- results ------------------------------------------------------------------------------------------------

@dataclass
class Table:
    """A titled table of text cells, printed as it is measured and written to the document in Markdown."""

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""

    def add(self, *cells: object) -> None:
        self.rows.append([str(c) for c in cells])

    def text(self) -> str:
        """Fixed-width columns for the terminal."""
        widths = [max(len(c), *(len(r[i]) for r in self.rows)) if self.rows else len(c)
                  for i, c in enumerate(self.columns)]
        line = "  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True))
        body = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in self.rows]
        return "\n".join([f"\n{self.title}", line, "-" * len(line), *body] + ([self.note] if self.note else []))

    def markdown(self) -> str:
        """A Markdown table under a bold title, its note below."""
        lines = [f"**{self.title}**", "", "| " + " | ".join(self.columns) + " |",
                 "|" + "|".join("---" for _ in self.columns) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in self.rows]
        return "\n".join(lines + (["", self.note] if self.note else []))


@dataclass
class Target:
    """A goal from the issue and what was measured against it."""

    what: str
    goal: str
    measured: str
    met: bool


@dataclass
class PartResult:
    """Everything one part found: tables, targets, remarks, and the load while it ran."""

    name: str
    title: str
    tables: list[Table] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    started: str = ""
    seconds: float = 0.0
    load: list[float] = field(default_factory=list)  # 1-minute load average before and after

    def save(self) -> Path:
        RESULTS.mkdir(parents=True, exist_ok=True)
        path = RESULTS / f"{self.name}.json"
        path.write_text(json.dumps(asdict(self), indent=1) + "\n")
        return path

    @classmethod
    def load_saved(cls, name: str) -> PartResult | None:
        path = RESULTS / f"{name}.json"
        if not path.is_file():
            return None
        data = json.loads(path.read_text())
        data["tables"] = [Table(**t) for t in data["tables"]]
        data["targets"] = [Target(**t) for t in data["targets"]]
        return cls(**data)


def show(item: Table | Target | str) -> None:
    """Print a table, a target or a remark as soon as it is known."""
    if isinstance(item, Table):
        print(item.text(), flush=True)
    elif isinstance(item, Target):
        print(f"  target {'MET' if item.met else 'MISSED'}: {item.what}: {item.measured} (goal {item.goal})",
              flush=True)
    else:
        print(f"  {item}", flush=True)


# --- child processes ----------------------------------------------------------------------------------------

def child_env() -> dict[str, str]:
    """The environment of a child: quiet TensorFlow, the project importable."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    env.pop("JAZZ_SOUNDFONT", None)
    return env


def run_child(task: str, timeout: float = 600, **arguments: object) -> dict:
    """Run `bench.child TASK` in a fresh Python; its JSON answer plus 'process_seconds' (start to exit)."""
    command = [sys.executable, "-m", "bench.child", task, json.dumps(arguments)]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=child_env(), capture_output=True, text=True, timeout=timeout)
    elapsed = time.perf_counter() - started
    answers = [line[len(RESULT_MARK):] for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if done.returncode or not answers:
        raise RuntimeError(f"bench.child {task} failed with status {done.returncode}:\n{done.stderr[-3000:]}")
    return {**json.loads(answers[-1]), "process_seconds": elapsed}


def answer(result: dict) -> None:
    """In a child: hand the result to the parent."""
    print(RESULT_MARK + json.dumps(result), flush=True)


# --- the machine ----------------------------------------------------------------------------------------------

def cpu_model() -> str:
    """The CPU's model name and clock from /proc/cpuinfo."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    names = re.findall(r"^model name\s*:\s*(.+)$", text, re.M)
    clocks = re.findall(r"^cpu MHz\s*:\s*([\d.]+)$", text, re.M)
    caches = re.findall(r"^cache size\s*:\s*(.+)$", text, re.M)
    parts = [names[0].strip() if names else "unknown"]
    if clocks:
        parts.append(f"{float(clocks[0]):.0f} MHz")
    if caches:
        parts.append(f"cache {caches[0].strip()}")
    return ", ".join(parts)


def memory_gb() -> str:
    try:
        total = re.search(r"MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text())
    except OSError:
        return "unknown"
    return f"{int(total.group(1)) / 1024**2:.0f} GB" if total else "unknown"


def os_name() -> str:
    try:
        pretty = re.search(r'^PRETTY_NAME="?([^"\n]+)', Path("/etc/os-release").read_text(), re.M)
    except OSError:
        pretty = None
    return f"{pretty.group(1) if pretty else platform.system()}, kernel {platform.release()}"


def tool_version(command: list[str]) -> str:
    """The first line a tool prints about its version, or 'absent'."""
    if not shutil.which(command[0]) and not os.path.exists(command[0]):
        return "absent"
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return "absent"
    lines = [line for line in (done.stdout + done.stderr).splitlines() if re.search(r"\d+\.\d+", line)]
    return lines[0].strip() if lines else "unknown"


def library_versions() -> dict[str, str]:
    versions = {}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "absent"
    return versions


def machine_facts() -> dict[str, object]:
    """Cores, CPU, memory, system, Python and library versions: what the numbers depend on."""
    return {"cores": os.cpu_count(), "cpu": cpu_model(), "memory": memory_gb(), "system": os_name(),
            "python": sys.version.split()[0], "libraries": library_versions(),
            "fluidsynth": tool_version(["fluidsynth", "--version"]),
            "chromium": tool_version([CHROMIUM, "--version"])}


def load_average() -> float:
    """The 1-minute load average."""
    return os.getloadavg()[0]


def busy_processes() -> list[str]:
    """Other people's pytest, streamlit or chromium processes (they would disturb the timings)."""
    try:
        done = subprocess.run(["pgrep", "-af", "pytest|streamlit|chromium"], capture_output=True, text=True)
    except OSError:
        return []
    own = {str(os.getpid())}
    return [line for line in done.stdout.splitlines() if line.split(" ", 1)[0] not in own]


def wait_until_quiet(max_minutes: float, threshold: float = 0.5) -> str:
    """Wait (a minute at a time) until the load is below `threshold` and no test, page or browser runs.

    Returns a sentence on the state the machine was in when the measurements started.
    """
    deadline = time.monotonic() + 60 * max_minutes
    while True:
        load, others = load_average(), busy_processes()
        if load < threshold and not others:
            return f"quiet: load {load:.2f}, no other test, page or browser running"
        if time.monotonic() >= deadline:
            return (f"busy: load {load:.2f}" + (f", {len(others)} other test/page/browser processes" if others else "")
                    + f" after waiting up to {max_minutes:g} min")
        print(f"  machine busy (load {load:.2f}, {len(others)} other processes); waiting 60 s", flush=True)
        time.sleep(60)


# --- the music ----------------------------------------------------------------------------------------------

def course_source() -> tuple[str, str | None]:
    """What the benchmarks learn from: the course's file when present (label, path), else the built-in corpus."""
    if COURSE_MIDI.is_file():
        return "the course's original_metheny.mid, preset 'metheny'", str(COURSE_MIDI)
    return "the built-in corpus (the course's file is absent)", None


def read_values(path: str | None) -> list[str]:
    """The grammar values of the course's file (preset 'metheny') or, without it, of the built-in corpus."""
    from jazz_core.pipeline import corpus_values
    from jazz_core.scores import builtin_corpus, read_score

    pieces = [read_score(Path(path).read_bytes(), preset="metheny")] if path else builtin_corpus()
    return corpus_values(pieces)
