"""Sampling in NumPy: exactly N values, temperature 0 is argmax, seeds repeat, state carries on."""

from __future__ import annotations

import numpy as np

from jazz_core.sampling import next_index, sample_indices


def test_temperature_zero_is_argmax():
    assert next_index(np.array([0.1, 3.0, 2.9]), 0.0, np.random.default_rng(0)) == 1


def test_high_temperature_spreads_the_choice():
    rng = np.random.default_rng(0)
    picks = {next_index(np.array([0.0, 1.0, 0.5]), 5.0, rng) for _ in range(200)}
    assert picks == {0, 1, 2}


def test_exactly_n_values_and_seeds_repeat(small_bundle):
    weights = small_bundle.weights
    first = sample_indices(weights, 137, temperature=1.0, seed=3)
    assert len(first) == 137
    assert first == sample_indices(weights, 137, temperature=1.0, seed=3)
    assert first != sample_indices(weights, 137, temperature=1.0, seed=4)


def test_restarting_each_measure_repeats_like_the_course(small_bundle):
    course = sample_indices(small_bundle.weights, 40, temperature=0.0, restart_every=10)
    assert course[:10] == course[10:20] == course[30:40]  # the course's model plays the same phrase every bar


def test_the_fast_loop_computes_what_the_plain_step_computes(small_bundle):
    weights = small_bundle.weights
    hidden, cell = weights.start_state()
    current, expected = None, []
    for _ in range(30):
        scores, hidden, cell = weights.step(current, hidden, cell)
        current = int(np.argmax(scores))
        expected.append(current)
    assert sample_indices(weights, 30, temperature=0.0) == expected


def test_a_primer_carries_the_state_in(small_bundle):
    weights = small_bundle.weights
    whole = sample_indices(weights, 20, temperature=0.0)
    assert sample_indices(weights, 10, temperature=0.0, primer=whole[:10]) == whole[10:]
