"""How much of a take is copied from the corpus, and what the loss curve says, in words for the page.

`copied_mask` marks each value of a take that belongs to a run of at least `MIN_RUN` values found
verbatim (in order) in the training corpus, so the piano roll can colour those notes; `copy_verdict`
says in one line whether a take is mostly copied, why, and what to do; `curve_note` explains the
loss chart in one sentence.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

MIN_RUN = 4  # a run this long or longer, copied verbatim, is marked
MOSTLY = 0.5  # share of copied values from which a take is "mostly copied"


def longest_copied_run(values: Sequence[str], corpus: Sequence[str]) -> int:
    """Longest run of consecutive values that also occurs, in order, in the corpus (longest common substring)."""
    codes = {value: index for index, value in enumerate(dict.fromkeys(corpus))}
    source = np.array([codes[v] for v in corpus], dtype=np.int64)
    run = np.zeros(len(source) + 1, dtype=np.int64)
    best = 0
    for value in values:
        run[1:] = np.where(source == codes.get(value, -1), run[:-1] + 1, 0)
        best = max(best, int(run.max()))
    return best


def copied_mask(values: Sequence[str], corpus: Sequence[str], min_run: int = MIN_RUN) -> list[bool]:
    """Per value of the take: True when it lies inside a run of >= `min_run` values that occurs in the corpus."""
    grams = {tuple(corpus[i:i + min_run]) for i in range(len(corpus) - min_run + 1)}
    mask = [False] * len(values)
    for start in range(len(values) - min_run + 1):
        if tuple(values[start:start + min_run]) in grams:
            mask[start:start + min_run] = [True] * min_run
    return mask


def copied_share(values: Sequence[str], corpus: Sequence[str], min_run: int = MIN_RUN,
                 copied: Sequence[bool] | None = None) -> float:
    """Share of the take's values that belong to a copied run (0 for an empty take); `copied` is the take's
    `copied_mask` when it is already known, so the corpus is not searched again."""
    mask = copied_mask(values, corpus, min_run) if copied is None else copied
    return sum(mask) / len(mask) if mask else 0.0


def copy_verdict(values: Sequence[str], corpus: Sequence[str], family: str = "studio",
                 copied: Sequence[bool] | None = None) -> str:
    """One line for the page: how much of the take is copied and, when most of it is, why and what to do
    (`copied`: the take's mask, when known)."""
    share = copied_share(values, corpus, copied=copied)
    if share < MOSTLY:
        return f"{share:.0%} of this take repeats the training music note for note: it improvises."
    advice = ("train again with Keep best on, or pick the studio model" if family == "course"
              else "turn on the copy guard, raise the temperature, or train on more music")
    return (f"Mostly copied: {share:.0%} of this take repeats the training music note for note, so the model "
            f"has memorised its corpus (overfitting); {advice}.")


def curve_note(history: Sequence, kept: int) -> str:
    """One sentence under the loss chart: whether validation rises while training falls, and which epoch is kept.

    `history` holds EpochReports (epoch, loss, validation_loss); `kept` is training.kept_epoch(history, ...).
    """
    judged = [r for r in history if r.validation_loss is not None]
    if not history:
        return ""
    kept_text = f"The model kept is epoch {kept} of {history[-1].epoch}"
    if len(judged) < 3:
        return f"{kept_text}."
    best = min(judged, key=lambda r: r.validation_loss)
    last = judged[-1]
    if last.epoch > best.epoch and last.validation_loss > best.validation_loss and last.loss < best.loss:
        why = "its lowest validation loss" if kept == best.epoch else "the last one, which has begun to overfit"
        return (f"After epoch {best.epoch} the validation loss rises while the training loss still falls: the model "
                f"is memorising the music rather than learning its style. {kept_text}, {why}.")
    return f"Training and validation loss fall together. {kept_text}."
