"""Sampling speed: milliseconds per 1000 values, NumPy only, for the shipped models.

    .venv/bin/python -m bench.sampling [--runs 30] [--values 1000] [--wait MINUTES]

For each model (assets/jazz_model: studio, 2172 values; assets/default_model: the ragtime default) and
setting, the first call in this process (which folds the weights and builds the studio's tables) and
then the median and fastest of `--runs` calls, each as wall time and as this process' CPU time (CPU time
counts less of what other processes on a busy machine take). The load average is printed before and after.
Goal (issue 12): a studio take of 1000 values in under 20 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.common import ROOT, wait_until_quiet

SETTINGS = (("T 0.7", 0.7, 0), ("T 0 (argmax)", 0.0, 0), ("T 0.7, copy guard 8", 0.7, 8))


def timed(work) -> tuple[float, float]:
    """(wall, CPU) seconds of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    from jazz_core.bundle import load_bundle
    from jazz_core.sampling import sample_values

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--values", type=int, default=1000)
    parser.add_argument("--wait", type=float, default=0.0, metavar="MINUTES",
                        help="wait up to this long for a quiet machine first (default 0: measure at once)")
    args = parser.parse_args()
    if args.wait:
        print(wait_until_quiet(args.wait), flush=True)
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"{'model':14} {'setting':22} {'first call':>16} {'median wall':>12} {'fastest':>8} {'median CPU':>11}")
    for name in ("jazz_model", "default_model"):
        bundle = load_bundle(ROOT / "assets" / name)
        for setting, temperature, guard in SETTINGS:
            def work(seed=[0], bundle=bundle, temperature=temperature, guard=guard):  # noqa: B006 - a counter
                seed[0] += 1
                return sample_values(bundle.weights, bundle.vocabulary, bundle.corpus, bundle.progression,
                                     args.values, temperature, seed[0], guard)
            first = timed(work)
            times = [timed(work) for _ in range(args.runs)]
            wall, cpu = [t[0] for t in times], [t[1] for t in times]
            print(f"{name:14} {setting:22} {first[0] * 1e3:8.1f} ms wall {statistics.median(wall) * 1e3:9.1f} ms "
                  f"{min(wall) * 1e3:6.1f} {statistics.median(cpu) * 1e3:8.1f} ms", flush=True)
    print(f"load average after: {os.getloadavg()[0]:.2f}  ({len(bundle.vocabulary)} values in the default model's "
          f"vocabulary; {args.values} values a call; copy guard: the corpus indexed on the first call, then kept)")


if __name__ == "__main__":
    main()
