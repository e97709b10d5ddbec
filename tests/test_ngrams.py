"""N-gram baselines: proper distributions, Kneser-Ney beats add-one where it should, tuned on validation."""

from __future__ import annotations

import math

import numpy as np
import pytest

from jazz_core.ngrams import NgramModel, tuned

START = 9
SEQUENCES = [[START, 0, 1, 2, 0, 1, 3, 0, 1, 2], [START, 2, 1, 0, 1, 2]]


@pytest.mark.parametrize("order", [1, 2, 3])
@pytest.mark.parametrize("context", [[], [START], [0], [0, 1], [7, 8], [-1, 1]])
def test_every_model_is_a_distribution_over_the_values(order, context):
    model = NgramModel(SEQUENCES, 9, order, 0.75)
    assert sum(model.probability(context, v) for v in range(9)) == pytest.approx(1.0)


def test_the_unigram_is_additively_smoothed():
    model = NgramModel([[START, 0, 0, 1]], 3, 1, 1.0)
    assert model.probability([], 0) == pytest.approx(3 / 6) and model.probability([], 2) == pytest.approx(1 / 6)


def test_longer_contexts_predict_a_deterministic_pattern_better():
    sequences = [[START, *([0, 1, 2] * 30)]]
    contexts, targets = [[0, 1], [1, 2], [2, 0]] * 5, [2, 0, 1] * 5
    losses = [NgramModel(sequences, 5, order, 0.75).losses(contexts, targets).mean() for order in (1, 2, 3)]
    assert losses[0] > losses[1] > losses[2] and losses[2] < 0.1
    assert losses[0] == pytest.approx(math.log(93.75 / 30.75))  # (30 + 0.75) / (90 + 5 * 0.75))


def test_the_discount_is_chosen_on_the_validation_values():
    model = tuned(SEQUENCES, 9, 2, [[0], [1]], [1, 2])
    others = [NgramModel(SEQUENCES, 9, 2, d).losses([[0], [1]], [1, 2]).mean() for d in (0.5, 0.95)]
    assert model.losses([[0], [1]], [1, 2]).mean() <= np.min(others) + 1e-12
