"""Originality for the page: copied runs marked note by note, a one-line verdict, the loss curve in a sentence."""

from __future__ import annotations

from jazz_core.originality import copied_mask, copied_share, copy_verdict, curve_note, longest_copied_run
from jazz_core.training import EpochReport

CORPUS = ["a", "b", "c", "d", "e", "f", "g"]


def test_only_runs_of_four_or_more_copied_values_are_marked():
    take = ["x", "a", "b", "c", "d", "y", "e", "f", "g", "z", "b", "c", "d", "e", "f"]
    assert copied_mask(take, CORPUS) == [False, True, True, True, True, False, False, False, False, False,
                                         True, True, True, True, True]
    assert copied_share(take, CORPUS) == 9 / 15 and longest_copied_run(take, CORPUS) == 5
    assert copied_mask([], CORPUS) == [] and copied_share([], CORPUS) == 0.0


def test_the_verdict_says_when_a_take_is_mostly_copied_why_and_what_to_do():
    copied = copy_verdict(CORPUS, CORPUS, family="course")
    assert copied.startswith("Mostly copied: 100%") and "overfitting" in copied and "Keep best" in copied
    assert "copy guard" in copy_verdict(CORPUS, CORPUS, family="studio")
    assert copy_verdict(["x", "a", "b", "y"], CORPUS).startswith("0% of this take")


def test_a_take_whose_copied_flags_are_known_is_judged_from_them():
    take = ["x", "a", "b", "c", "d", "y"]
    flags = copied_mask(take, CORPUS)
    assert copied_share(take, CORPUS, copied=flags) == copied_share(take, CORPUS) == 4 / 6
    assert copy_verdict(take, CORPUS, copied=flags) == copy_verdict(take, CORPUS)
    assert copy_verdict(CORPUS, CORPUS, copied=[False] * 7).startswith("0% of this take"), "the flags, not a search"


def _history(validation: list[float], training: list[float]) -> list[EpochReport]:
    return [EpochReport(i + 1, len(validation), t, 0.5, v, None, 0.0)
            for i, (v, t) in enumerate(zip(validation, training, strict=True))]


def test_the_curve_note_explains_a_rising_validation_loss_and_names_the_kept_epoch():
    overfit = _history([4.0, 3.5, 3.6, 3.9, 4.2], [4.0, 3.0, 2.5, 2.0, 1.5])
    note = curve_note(overfit, kept=2)
    assert "After epoch 2 the validation loss rises while the training loss still falls" in note
    assert "epoch 2 of 5, its lowest validation loss" in note
    assert "the last one, which has begun to overfit" in curve_note(overfit, kept=5)
    falling = _history([4.0, 3.5, 3.2], [4.0, 3.4, 3.0])
    assert curve_note(falling, kept=3) == "Training and validation loss fall together. The model kept is epoch 3 of 3."
    assert curve_note([], kept=0) == ""
