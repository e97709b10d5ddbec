"""Part 5, scaling: training time against the amount of data, generation time against N.

Training: ours (`jazz_core.training.train`) on 60, 240 and 960 windows (1, 4 and 16 times the
course's data), 20 epochs each, in one fresh process after an unreported warm-up run (so the
first size does not pay TensorFlow's one-time start-up). Generation: every stage for N = 50,
200, 1000 and 4000 values in this process. Growth is judged on time per unit (per window-epoch,
per value): within 25% of the smallest size's per-unit time counts as linear.
"""

from __future__ import annotations

import time
from argparse import Namespace

from bench.common import PartResult, Stats, Table, course_source, fmt, read_values, run_child, show
from bench.generation import STAGES, load_default, time_stages, warm_up

WINDOWS, EPOCHS = (60, 240, 960), 20
SIZES = (50, 200, 1000, 4000)
RUNS = 3
LINEAR_SLACK = 0.25


# --- in the child process -------------------------------------------------------------------------------------

def child_scaling_train(path: str | None, windows: list[int], epochs: int) -> dict:
    """Train ours on each number of windows; per size the epoch end times and the whole time."""
    import tensorflow  # noqa: F401 - imported before the clocks start

    from jazz_core.dataset import make_dataset
    from jazz_core.settings import DatasetSettings, ModelSettings, TrainSettings
    from jazz_core.training import train

    values = read_values(path)
    course = ModelSettings(family="course")
    train(make_dataset(values, DatasetSettings(windows=windows[0])), course, TrainSettings(epochs=2))
    found = {}
    for count in windows:
        dataset = make_dataset(values, DatasetSettings(windows=count))
        started = time.perf_counter()
        trained = train(dataset, ModelSettings(family="course"), TrainSettings(epochs=epochs))
        found[str(count)] = {"total": time.perf_counter() - started, "ends": [r.seconds for r in trained.history]}
    return found


# --- in the bench process -------------------------------------------------------------------------------------

def linear_verdict(units: list[float], seconds: list[float]) -> str:
    """'linear' when the time per unit stays within LINEAR_SLACK of the smallest size's, else how it grows."""
    per_unit = [s / u for s, u in zip(seconds, units, strict=True)]
    ratio = per_unit[-1] / per_unit[0]
    if abs(ratio - 1) <= LINEAR_SLACK:
        return f"linear (time per unit at the largest size is {ratio:.2f}x the smallest's)"
    kind = "less than linearly (fixed costs spread out)" if ratio < 1 else "faster than linearly"
    return f"grows {kind}: time per unit at the largest size is {ratio:.2f}x the smallest's"


def training_table(label: str, found: dict) -> tuple[Table, str]:
    """One row per number of windows; the verdict on the later epochs' time."""
    table = Table(f"Training ours for {EPOCHS} epochs on more windows of {label}",
                  ["windows", "data", "batches per epoch", "first epoch", "later epochs, each", f"{EPOCHS} epochs",
                   "per window-epoch (later)"],
                  note="One process, after a warm-up run. 'Later epochs' excludes the first (tracing) epoch.")
    later = []
    for count in WINDOWS:
        run = found[str(count)]
        epochs = Stats.of([b - a for a, b in zip(run["ends"], run["ends"][1:], strict=False)])
        later.append(epochs.median)
        table.add(count, f"{count // WINDOWS[0]}x", -(-count // 32), fmt(run["ends"][0]), epochs.text(),
                  fmt(run["total"]), fmt(epochs.median / count))
    return table, linear_verdict(list(WINDOWS), later)


def generation_table(bundle) -> tuple[Table, str]:
    """Every stage for each N; the verdict on the sum of the stages."""
    table = Table("Generation time against N (shipped model, 130 bpm, temperature 0.7)",
                  ["N values", "music", "sample", "decode", "MIDI", "render", "OGG", "sum", "sum per value"],
                  note=f"Medians of {RUNS} runs. The renderer refuses music longer than 10 minutes "
                       "(audio.MAX_SECONDS); a size past it would show n/a for render and OGG.")
    sums, audio, music = [], [], []
    for count in SIZES:
        found = time_stages(bundle, count, RUNS)
        stats = found["stats"]
        total = sum(stats[s].median for s in STAGES if s in stats)
        table.add(count, f"{found['seconds']:.0f} s", *(stats[s].text() if s in stats else "n/a" for s in STAGES),
                  fmt(total), fmt(total / count))
        sums.append(sum(stats[s].median for s in ("sample", "decode", "midi")))
        if "render" in stats:
            audio.append(stats["render"].median + stats["ogg"].median)
            music.append(found["seconds"])
    verdicts = [f"sample + decode + MIDI against N: {linear_verdict(list(SIZES), sums)}"]
    if len(audio) > 1:
        verdicts.append(f"render + OGG against seconds of music: {linear_verdict(music, audio)}")
    return table, "; ".join(verdicts)


def run(options: Namespace) -> PartResult:
    """Training against windows (fresh process), generation against N (this process)."""
    label, path = course_source()
    result = PartResult("scaling", "5. Scaling")
    print(f"  training on {', '.join(map(str, WINDOWS))} windows (fresh process)...", flush=True)
    found = run_child("scaling_train", path=path, windows=list(WINDOWS), epochs=EPOCHS)
    table, verdict = training_table(label, found)
    result.tables.append(table)
    result.notes.append(f"Training time per epoch against the number of windows: {verdict}.")
    bundle, _ = load_default()
    warm_up(bundle)
    table, verdict = generation_table(bundle)
    result.tables.append(table)
    result.notes.append(f"Generation, {verdict}.")
    for item in [*result.tables, *result.notes]:
        show(item)
    return result
