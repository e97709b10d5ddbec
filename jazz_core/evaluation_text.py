"""The evaluation report as a readable table (see jazz_core.evaluation for what is measured)."""

from __future__ import annotations


def _cell(stats: dict[str, float] | None, key: str) -> str:
    if stats is None:
        return "-"
    digits = 0 if key in ("pitch_range", "longest_copy") else 1 if key == "notes_per_bar" else 2
    return f"{stats['mean']:.{digits}f}±{stats['std']:.{digits}f}"


def format_report(report: dict) -> str:
    """The comparison as a readable table: a row per metric, a column per system (mean ± std over seeds)."""
    names = list(report["systems"])
    lines = [f"{report['title']}: {report['values']} values per solo, {report['seeds']} seeds, "
             f"{report['bars']} bars of chords; mean±std",
             f"source: {report['source']} ({report['systems']['source']['samples']} window(s)); "
             f"course: argmax restarted every {report['values_per_bar']} values"]
    if report["source"].startswith("the score") and not report["source_matches_bundle"]:
        lines.append("note: these scores do not give exactly the values this model was trained on")
    lines.append(f"{'metric':<16}" + "".join(f"{name:>13}" for name in names))
    for key in report["metrics"]:
        cells = [_cell(report["systems"][name]["metrics"][key], key) for name in names]
        lines.append(f"{key:<16}" + "".join(f"{cell:>13}" for cell in cells))
    distances = [report["systems"][name]["distance_to_source"] for name in names]
    lines.append(f"{'distance':<16}" + "".join(f"{'-' if d is None else f'{d:.2f}':>13}" for d in distances))
    lines += _prediction_lines(report["prediction"])
    return "\n".join(lines)


def _prediction_lines(found: dict | None) -> list[str]:
    if found is None:
        return ["held-out prediction: none (the corpus is too short to hold any values out)"]
    lines = [f"held-out prediction on {found['scored_from']}: {found['targets']} values scored once each "
             f"({found['out_of_vocabulary_share']:.0%} of {found['held_out_values']} outside the vocabulary, "
             "left out); "
             f"{found['unseen_share']:.0%} of them never occur in training",
             f"  {'model':<8} {'nats':>7} {'perplexity':>10} {'nats on seen':>13}"]
    for name, model in found["models"].items():
        seen = "-" if model["loss_seen"] is None else f"{model['loss_seen']:.3f}"
        lines.append(f"  {name:<8} {model['loss']:7.3f} {model['perplexity']:10.1f} {seen:>13}")
    return lines
