"""Quality bench: held-out cross-entropy of both model families against n-grams, copying, metrics, training time.

    .venv/bin/python -m bench.quality                 # all three corpora (about 10 min on a quiet 2-core machine)
    .venv/bin/python -m bench.quality --corpora builtin,metheny

Corpora: the built-in corpus and the course's original_metheny.mid (its test block: the last 15 % of
the values; the 15 % before it chooses the epoch), and the Weimar Jazz Database split by whole solos
(every ~8th solo of 386 held out: 340 train / 46 test; 10 % of the training solos choose the epoch).
On each: unigram, bigram and trigram (Kneser-Ney, tuned on the validation block), the course family
(its recipe: 100 epochs, last epoch), the same run's keep-best epoch, and the studio family. Each
held-out value is scored once (`jazz_core.scoring`); intervals are paired 95 % bootstrap intervals of
the per-value differences, resampling whole solos (Weimar) or blocks of 20 values (one-piece corpora).
Takes: 10 seeds of 200 values at the default temperature, measured as `jazz_core.evaluation` measures.
Prints tables and writes bench/results/quality.json. Pieces are cached by bench/corpus.py.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time

import numpy as np

from bench.corpus import COURSE_MIDI, ROOT, WJAZZD, read_folder, split_solos
from bench.jazz_model import TRAINING

SEEDS, TAKE_VALUES, TEMPERATURES = 10, 200, (0.5, 1.0, 1.5)
METRICS = ("H1", "H4", "GS", "chord_tones")


def corpora(names: list[str]):
    """(name, training pieces, held-out pieces or None for the test block, dataset settings), those present."""
    from jazz_core.scores import builtin_corpus, read_score
    from jazz_core.settings import DatasetSettings

    if "builtin" in names:
        yield "built-in corpus", builtin_corpus(), None, DatasetSettings(), {}
    if "metheny" in names and COURSE_MIDI.is_file():
        yield "original_metheny.mid (course preset)", [read_score(COURSE_MIDI.read_bytes(), "metheny")], None, \
            DatasetSettings(), {}
    if "weimar" in names and WJAZZD.is_dir():
        train, test = split_solos(read_folder(WJAZZD))
        yield f"Weimar Jazz Database ({len(train)} train / {len(test)} test solos)", train, test, \
            DatasetSettings(validation_fraction=0.1, test_fraction=0.0), TRAINING


def progress(family: str, reports: list, keep=None):
    """An on_epoch callback: keep the report (and what `keep` makes of it) and print one line with the load."""
    def on_epoch(report) -> None:
        reports.append(report if keep is None else (report, keep(report)))
        validation = f"{report.validation_loss:.3f}" if report.validation_loss is not None else "-"
        print(f"  {family} epoch {report.epoch}/{report.epochs}: loss {report.loss:.3f}, validation {validation}, "
              f"{report.seconds:.1f} s, load {os.getloadavg()[0]:.1f}", flush=True)
    return on_epoch


def train_studio(pieces, dataset, studio_training: dict) -> tuple[object, dict]:
    """The studio model, and how long it took: in all, to its best epoch, and each epoch."""
    from jazz_core.pipeline import learn
    from jazz_core.settings import ModelSettings, TrainSettings

    started, reports = time.perf_counter(), []
    studio = learn(pieces, dataset, ModelSettings(), TrainSettings(**studio_training),
                   on_epoch=progress("studio", reports))
    return studio, {"studio_seconds": time.perf_counter() - started,
                    "studio_best_seconds": reports[studio.settings["kept_epoch"] - 1].seconds,
                    "studio_kept": studio.settings["kept_epoch"], "studio_epochs": studio.settings["epochs_done"],
                    "studio_windows": studio.settings["windows"],
                    "studio_batch_size": studio_training.get("batch_size", 32),
                    "studio_epoch_seconds": np.diff([0.0, *(r.seconds for r in reports)]).round(2).tolist(),
                    "load_after_studio": os.getloadavg()[0]}


def train_course(pieces, dataset) -> tuple[dict, dict]:
    """One run of the course's recipe, giving both its last and its best epoch, and how long it took."""
    from jazz_core.pipeline import learn
    from jazz_core.settings import ModelSettings, TrainSettings

    started, reports = time.perf_counter(), []
    best = learn(pieces, dataset, ModelSettings(family="course"), TrainSettings(keep_best=True),
                 on_epoch=progress("course", reports, lambda r: r.weights() if r.epoch == r.epochs else None))
    seconds = time.perf_counter() - started
    return {"course": dataclasses.replace(best, weights=reports[-1][1]), "course+keep-best": best}, {
        "course_seconds": seconds, "course_best_epoch": best.settings["kept_epoch"],
        "course_windows": best.settings["windows"], "course_epoch_seconds_mean": reports[-1][0].seconds / len(reports),
        "load_after_course": os.getloadavg()[0]}


def paired_interval(diff: np.ndarray, groups: np.ndarray, rng: np.random.Generator) -> tuple[float, float]:
    """95 % bootstrap interval of the mean difference, resampling whole groups."""
    labels = np.unique(groups)
    sums = np.array([diff[groups == g].sum() for g in labels])
    counts = np.array([(groups == g).sum() for g in labels])
    picks = rng.integers(0, len(labels), size=(2000, len(labels)))
    means = sums[picks].sum(1) / counts[picks].sum(1)
    return float(np.percentile(means, 2.5)), float(np.percentile(means, 97.5))


def prediction_rows(bundles: dict, held_out) -> dict:
    """Per model: loss, perplexity, loss on seen values, and the paired interval against the best n-gram."""
    from jazz_core.scoring import held_out_losses

    found = {name: held_out_losses(bundle, held_out) for name, bundle in bundles.items()}
    studio = found["studio"]
    losses = {k: v for k, v in studio["losses"].items() if k != "lstm"}
    losses |= {name: f["losses"]["lstm"] for name, f in found.items()}
    groups = studio["piece_of"] if held_out else np.arange(len(studio["seen"])) // 20
    best_ngram = min(("unigram", "bigram", "trigram"), key=lambda k: losses[k].mean())
    rng = np.random.default_rng(0)
    rows = {}
    for name, values in losses.items():
        diff = values - losses[best_ngram]
        rows[name] = {"loss": float(values.mean()), "perplexity": float(np.exp(values.mean())),
                      "loss_seen": float(values[studio["seen"]].mean()),
                      "minus_best_ngram": float(diff.mean()), "interval": paired_interval(diff, groups, rng)}
    return {"models": rows, "best_ngram": best_ngram, "targets": studio["targets"],
            "held_out_values": studio["held_out_values"], "unseen_share": float(1 - studio["seen"].mean())}


VARIETY = {  # key in quality.json -> what it is, in a musician's words
    "value_4gram_variety": "whole values: distinct 4-grams / all, mean over seeds (near 1 whenever windows vary)",
    "skeleton_4gram_variety": "type + duration (window dropped): distinct 4-grams / all, mean over seeds",
    "type_4gram_variety": "note roles (C/S/A/X/R): distinct 4-grams / all, mean over seeds",
    "type_4gram_entropy_bits": "note roles: entropy of the 10 takes' 4-grams pooled, bits (at most log2 625 = 9.3)",
}


def variety_by_measure(takes: list) -> dict[str, float]:
    """The VARIETY measures of one temperature's takes (each a list of grammar values)."""
    from jazz_core.metrics import distinct_ngram_ratio, pooled_ngram_entropy, value_skeletons, value_types

    def mean_ratio(parts) -> float:
        return float(np.mean([distinct_ngram_ratio(parts(values)) for values in takes]))

    return {"value_4gram_variety": mean_ratio(list), "skeleton_4gram_variety": mean_ratio(value_skeletons),
            "type_4gram_variety": mean_ratio(value_types),
            "type_4gram_entropy_bits": pooled_ngram_entropy([value_types(values) for values in takes])}


def source_and_takes(bundle, pieces, held_out) -> dict:
    """H1/H4/GS/chord tones of held-out music and of studio takes over the same chords; copying; variety."""
    from jazz_core.evaluation import Solo, longest_copied_run, measure, source_line, source_solos
    from jazz_core.grammar import decode_values
    from jazz_core.pipeline import chords_only
    from jazz_core.sampling import sample_values

    if held_out:
        sources = [source_solos(source_line([p]), TAKE_VALUES, 1)[0] for p in held_out[:SEEDS]]
        chords = [chords_only([p]) for p in held_out[:SEEDS]]
    else:
        sources = source_solos(source_line(pieces), TAKE_VALUES, SEEDS)
        chords = [bundle.progression] * len(sources)
    temperature = 0.7  # GenerateSettings' default

    def take(seed: int, t: float):
        measures = chords[(seed - 1) % len(chords)]
        indices = sample_values(bundle.weights, bundle.vocabulary, bundle.corpus, measures, TAKE_VALUES, t, seed)
        values = bundle.vocabulary.decode(indices)
        return Solo(tuple(decode_values(values, measures, seed=seed)), tuple(values), measures)

    takes = [take(seed, temperature) for seed in range(1, SEEDS + 1)]
    measured = {"source": [measure(s, bundle.corpus) for s in sources], "studio": [measure(t, bundle.corpus)
                                                                                   for t in takes]}
    means = {who: {m: float(np.mean([x[m] for x in found if x[m] is not None])) for m in METRICS}
             for who, found in measured.items()}
    copies = [longest_copied_run(t.values, bundle.corpus) for t in takes]
    source_copies = [longest_copied_run(s.values, bundle.corpus) for s in sources] if held_out else None
    variety = {name: {} for name in VARIETY}
    for t in TEMPERATURES:
        values = [take(seed, t).values for seed in range(1, SEEDS + 1)]
        for name, found in variety_by_measure(values).items():
            variety[name][t] = found
    return {"metrics": means, "longest_copy_mean": float(np.mean(copies)), "longest_copy_max": int(max(copies)),
            "held_out_source_longest_copy_mean": float(np.mean(source_copies)) if source_copies else None,
            **variety, "source_variety": variety_by_measure([s.values for s in sources])}


def show(name: str, result: dict) -> None:
    print(f"\n## {name}")
    show_prediction(result)
    print(f"training: studio {result['studio_seconds']:.1f} s in all, {result['studio_best_seconds']:.1f} s to its "
          f"best epoch {result['studio_kept']} of {result['studio_epochs']}; course family (100 epochs, "
          f"{result['course_windows']} windows) {result['course_seconds']:.1f} s, best epoch "
          f"{result['course_best_epoch']}; load {result['load_after_studio']:.1f} after the studio's training, "
          f"{result['load_after_course']:.1f} after the course's")
    epochs = result["studio_epoch_seconds"]
    print(f"studio: {result['studio_windows']} fresh windows an epoch in batches of {result['studio_batch_size']}, "
          f"epochs {min(epochs[1:] or epochs):.1f}-{max(epochs):.1f} s (the first includes tracing); course: "
          f"{result['course_epoch_seconds_mean']:.2f} s an epoch on average")


def show_prediction(result: dict) -> None:
    print(f"{result['prediction']['targets']} held-out values scored once "
          f"({result['prediction']['unseen_share']:.0%} never seen in training); best n-gram "
          f"{result['prediction']['best_ngram']}")
    print("| model | nats/value | perplexity | nats on seen | minus best n-gram [95% paired] |\n|---|---|---|---|---|")
    for model, row in result["prediction"]["models"].items():
        low, high = row["interval"]
        print(f"| {model} | {row['loss']:.3f} | {row['perplexity']:.1f} | {row['loss_seen']:.3f} | "
              f"{row['minus_best_ngram']:+.3f} [{low:+.3f}, {high:+.3f}] |")
    takes = result["takes"]
    print("| metric | held-out source | studio takes | gap |\n|---|---|---|---|")
    for metric in METRICS:
        a, b = takes["metrics"]["source"][metric], takes["metrics"]["studio"][metric]
        print(f"| {metric} | {a:.3f} | {b:.3f} | {(b - a) / a:+.1%} |")
    print(f"longest copied run, studio, 10 seeds at T=0.7: mean {takes['longest_copy_mean']:.1f}, max "
          f"{takes['longest_copy_max']}" + (f" (held-out solos themselves: mean "
                                           f"{takes['held_out_source_longest_copy_mean']:.1f})"
                                           if takes["held_out_source_longest_copy_mean"] is not None else ""))
    for key, meaning in VARIETY.items():
        print(f"{key} by temperature ({meaning}): "
              + ", ".join(f"T={t}: {v:.3f}" for t, v in takes[key].items())
              + f"; the source's own: {takes['source_variety'][key]:.3f}")


def run(names: list[str], save) -> dict:
    """Each corpus: the studio family first (its rows printed and saved at once), then the course family."""
    results = {}
    for name, pieces, held_out, dataset, studio_training in corpora(names):
        print(f"{name}: training the studio family...", flush=True)
        studio, timing = train_studio(pieces, dataset, studio_training)
        result = results[name] = {"prediction": prediction_rows({"studio": studio}, held_out),
                                  "takes": source_and_takes(studio, pieces, held_out), **timing}
        print(f"\n## {name}: the studio family and the n-grams (the course family follows)")
        show_prediction(result)
        save(results)
        print(f"{name}: training the course family...", flush=True)
        course, timing = train_course(pieces, dataset)
        result |= {"prediction": prediction_rows({**course, "studio": studio}, held_out), **timing}
        show(name, result)
        save(results)
    return results


def judge_bundle(path: str) -> dict:
    """A studio bundle already trained on the Weimar split (e.g. assets/jazz_model) against the n-grams, no training."""
    from jazz_core.bundle import load_bundle

    train, test = split_solos(read_folder(WJAZZD))
    bundle = load_bundle(path)
    result = {"prediction": prediction_rows({"studio": bundle}, test), "takes": source_and_takes(bundle, train, test),
              "studio_kept": bundle.settings.get("kept_epoch"), "studio_epochs": bundle.settings.get("epochs_done")}
    print(f"\n## {path} on the {len(test)} held-out Weimar solos (trained elsewhere; kept epoch "
          f"{result['studio_kept']} of {result['studio_epochs']})")
    show_prediction(result)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpora", default="builtin,metheny,weimar")
    parser.add_argument("--judge", help="only score this studio bundle (trained on the Weimar split) on the test solos")
    args = parser.parse_args()
    started = time.perf_counter()
    out = ROOT / "bench" / "results" / ("quality-judged.json" if args.judge else "quality.json")

    def save(results: dict) -> None:
        out.write_text(json.dumps(results, indent=1))

    save({"judged": judge_bundle(args.judge)} if args.judge else run(args.corpora.split(","), save))
    print(f"\nbench.quality took {time.perf_counter() - started:.0f} s; wrote {out}")


if __name__ == "__main__":
    main()
