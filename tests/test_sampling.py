"""Sampling in NumPy: exactly N values, temperature 0 is argmax, seeds repeat, state carries on."""

from __future__ import annotations

from itertools import islice, pairwise

import numpy as np
import pytest

from jazz_core.evaluation import longest_copied_run
from jazz_core.model import LstmWeights
from jazz_core.sampling import sample_indices, sample_values


def fixed_odds(logits: np.ndarray) -> LstmWeights:
    """A model whose scores never change: every value is drawn afresh from softmax(logits / temperature)."""
    n = len(logits)
    return LstmWeights(np.zeros((n, 4)), np.zeros((1, 4)), np.zeros(4), np.zeros((1, n)), np.asarray(logits, float))


def softmax(scores: np.ndarray) -> np.ndarray:
    odds = np.exp(scores - scores.max())
    return odds / odds.sum()


def test_temperature_zero_is_argmax():
    assert set(sample_indices(fixed_odds(np.array([0.1, 3.0, 2.9])), 50, temperature=0.0, seed=4)) == {1}


@pytest.mark.parametrize("temperature", [0.5, 1.0, 2.0])
def test_draws_follow_the_softmax_of_the_scores_over_the_temperature(temperature):
    logits = np.array([2.0, 1.0, 0.0, -1.0])
    picks = sample_indices(fixed_odds(logits), 20_000, temperature=temperature, seed=0)
    shares = np.bincount(picks, minlength=4) / len(picks)
    assert np.abs(shares - softmax(logits / temperature)).max() < 0.02  # 20,000 draws: about 0.0035 either way


def test_distinct_values_grow_with_temperature(course_bundle):
    """Over 50 seeds each, a fixed-odds model and a trained one: the hotter, the more different values."""
    def distinct(weights: LstmWeights, temperature: float) -> float:
        return float(np.mean([len(set(sample_indices(weights, 100, temperature, seed))) for seed in range(50)]))

    fixed = fixed_odds(np.linspace(0.0, -6.0, 40))
    means = [distinct(fixed, t) for t in (0.25, 0.5, 1.0, 2.0, 4.0)]  # about 8, 13, 21, 30, 35
    assert all(hotter > colder + 3 for colder, hotter in pairwise(means)), means
    shipped = course_bundle.weights
    # greedy is left out: a trained model recites its corpus at T 0, so it is not the least varied
    assert distinct(shipped, 1.0) < distinct(shipped, 2.0) < distinct(shipped, 4.0)


def test_exactly_n_values_and_seeds_repeat(course_bundle):
    weights = course_bundle.weights
    first = sample_indices(weights, 137, temperature=1.0, seed=3)
    assert len(first) == 137
    assert first == sample_indices(weights, 137, temperature=1.0, seed=3)
    assert first != sample_indices(weights, 137, temperature=1.0, seed=4)


def test_restarting_each_measure_repeats_like_the_course(course_bundle):
    course = sample_indices(course_bundle.weights, 40, temperature=0.0, restart_every=10)
    assert course[:10] == course[10:20] == course[30:40]  # the course's model plays the same phrase every bar


def test_the_fast_loop_computes_what_the_plain_step_computes(course_bundle):
    weights = course_bundle.weights
    hidden, cell = weights.start_state()
    current, expected = None, []
    for _ in range(30):
        scores, hidden, cell = weights.step(current, hidden, cell)
        current = int(np.argmax(scores))
        expected.append(current)
    assert sample_indices(weights, 30, temperature=0.0) == expected


def test_a_primer_carries_the_state_in(course_bundle):
    weights = course_bundle.weights
    whole = sample_indices(weights, 20, temperature=0.0)
    assert sample_indices(weights, 10, temperature=0.0, primer=whole[:10]) == whole[10:]


# --- the studio family ------------------------------------------------------------------------

def test_the_studio_sampler_computes_what_the_plain_step_computes(small_bundle):
    from jazz_core.sampling import studio_stream
    from jazz_core.steps import FEATURES, StepFeatures, onsets

    weights, vocabulary, measures = small_bundle.weights, small_bundle.vocabulary, small_bundle.progression
    fast = list(islice(studio_stream(weights, vocabulary, measures, temperature=0.0), 40))
    walker, hidden, cell = StepFeatures(measures), *weights.start_state()
    current, expected = vocabulary.start, []
    for time in onsets(vocabulary.decode(fast)):
        features = np.zeros(FEATURES)
        features[walker.active(time)] = 1.0
        scores, hidden, cell = weights.step(current, features, hidden, cell)
        current = int(np.argmax(scores))
        expected.append(current)
    assert fast == expected


def test_the_studio_sampler_in_float32_stays_with_the_float64_step_over_a_long_phrase(small_bundle):
    """The sampler runs in float32 (as the model was trained); after 300 values its state is the plain
    float64 step's to 1e-4, so the rounding does not build up along a take."""
    from jazz_core.sampling import prime
    from jazz_core.steps import FEATURES, StepFeatures, onsets

    weights, vocabulary, measures = small_bundle.weights, small_bundle.vocabulary, small_bundle.progression
    phrase = [v for v in small_bundle.corpus if v in vocabulary.values][:300]
    state = prime(weights, vocabulary, phrase, measures)
    walker, hidden, cell = StepFeatures(measures), *weights.start_state()
    for token, time in zip([vocabulary.start, *vocabulary.encode(phrase)], onsets(phrase), strict=False):
        features = np.zeros(FEATURES)
        features[walker.active(time)] = 1.0
        _, hidden, cell = weights.step(token, features, hidden, cell)
    assert len(phrase) == 300 and state.hidden.dtype == np.float32
    np.testing.assert_allclose(state.hidden, hidden, atol=1e-4)
    np.testing.assert_allclose(state.cell, cell, atol=1e-4)


def test_studio_takes_repeat_per_seed_and_follow_the_chords(small_bundle):
    from jazz_core.changes import PRESETS, parse_changes

    args = (small_bundle.weights, small_bundle.vocabulary, small_bundle.corpus)
    blues = parse_changes(PRESETS["12-bar blues in F"])
    first = sample_values(*args, small_bundle.progression, 200, 1.0, seed=3)
    assert first == sample_values(*args, small_bundle.progression, 200, 1.0, seed=3)
    assert first != sample_values(*args, small_bundle.progression, 200, 1.0, seed=4)
    assert first != sample_values(*args, blues, 200, 1.0, seed=3)  # the chords are inputs


def test_the_studio_sampler_keeps_its_chord_lookups_per_progression(small_bundle):
    """Lookups kept from take to take over one progression never leak into a take over another one."""
    from jazz_core import studio_tables
    from jazz_core.changes import PRESETS, parse_changes

    args = (small_bundle.weights, small_bundle.vocabulary, small_bundle.corpus)
    rhythm, blues = parse_changes(PRESETS["Rhythm changes in B-flat"]), parse_changes(PRESETS["12-bar blues in F"])
    studio_tables._cache.clear()
    fresh_blues = sample_values(*args, blues, 300, 1.0, seed=5)
    studio_tables._cache.clear()
    first_rhythm = sample_values(*args, rhythm, 300, 1.0, seed=5)
    assert sample_values(*args, blues, 300, 1.0, seed=5) == fresh_blues
    assert sample_values(*args, rhythm, 300, 1.0, seed=5) == first_rhythm
    assert first_rhythm != fresh_blues
    tables = studio_tables.studio_tables(small_bundle.weights, small_bundle.vocabulary)
    assert set(tables.progressions) == {tuple(rhythm), tuple(blues)}


@pytest.mark.parametrize("family", ["studio", "course"])
def test_the_copy_guard_never_lets_a_longer_run_through(small_bundle, course_bundle, family):
    bundle = small_bundle if family == "studio" else course_bundle
    args = (bundle.weights, bundle.vocabulary)
    # a corpus the model is sure to copy: its own argmax take, then the bundle's corpus
    corpus = (*bundle.vocabulary.decode(sample_values(*args, (), bundle.progression, 300, 0.0, 1)), *bundle.corpus)
    for guard in (2, 4):
        for temperature in (0.0, 0.5):
            indices = sample_values(*args, corpus, bundle.progression, 300, temperature, 1, copy_guard=guard)
            assert len(indices) == 300
            assert longest_copied_run(bundle.vocabulary.decode(indices), corpus) <= guard


# --- priming: a stream that starts from given values ------------------------------------------

@pytest.mark.parametrize("family", ["studio", "course"])
@pytest.mark.parametrize("copy_guard", [0, 3])
def test_a_take_primed_on_its_own_start_goes_on_as_the_take_went_on(small_bundle, course_bundle, family, copy_guard):
    from jazz_core.sampling import prime

    bundle = small_bundle if family == "studio" else course_bundle
    args = (bundle.weights, bundle.vocabulary, bundle.corpus, bundle.progression)
    take = sample_values(*args, 600, 1.0, seed=7, copy_guard=copy_guard)
    for first in (1, 255, 300):  # inside the first block of draws, at its end, and past it
        state = prime(bundle.weights, bundle.vocabulary, bundle.vocabulary.decode(take[:first]), bundle.progression)
        assert state.position == first
        go_on = sample_values(*args, 600 - first, 1.0, seed=7, copy_guard=copy_guard, start=state)
        assert go_on == take[first:]
    assert sample_values(*args, 300, 1.0, seed=8, copy_guard=copy_guard, start=state) != take[300:]


@pytest.mark.parametrize("family", ["studio", "course"])
def test_what_the_model_heard_changes_what_it_plays(small_bundle, course_bundle, family):
    from jazz_core.sampling import prime

    bundle = small_bundle if family == "studio" else course_bundle
    vocabulary, measures = bundle.vocabulary, bundle.progression
    args = (bundle.weights, vocabulary, bundle.corpus, measures, 60, 1.0)
    states = [prime(bundle.weights, vocabulary, bundle.corpus[start:start + 12], measures) for start in (0, 40, 80)]
    assert all(not np.allclose(a.hidden, b.hidden) for a, b in pairwise([*states, states[0]]))
    takes = {tuple(sample_values(*args, seed=3, start=state)) for state in states}
    assert len(takes) == 3  # the same seed: only what the model heard differs
    assert sample_values(*args, seed=3, start=states[0]) == sample_values(*args, seed=3, start=states[0])


def test_priming_follows_the_phrase_in_time_and_names_values_outside_the_vocabulary(small_bundle):
    from jazz_core.grammar import format_value, parse_value
    from jazz_core.sampling import prime

    vocabulary, measures = small_bundle.vocabulary, small_bundle.progression
    chord_tones = [v for v in vocabulary.values if v.startswith("C,") and parse_value(v)[2] is not None]
    unseen = format_value("C", 0.125 + 1 / 12, 30)  # an odd length and a leap of 30 semitones: not in the vocabulary
    assert unseen not in vocabulary.values
    phrase = [chord_tones[0], unseen, chord_tones[1]]
    state = prime(small_bundle.weights, vocabulary, phrase, measures, start=1.0)
    assert [(s.position, s.value) for s in state.stand_ins] == [(1, unseen)]
    assert state.stand_ins[0].stand_in in vocabulary.values and state.stand_ins[0].stand_in.startswith("C,")
    assert state.time == pytest.approx(1.0 + sum(parse_value(v)[1] for v in phrase), abs=1e-9)
    assert state.last == vocabulary.values.index(chord_tones[1])
    assert state.recent[1] == vocabulary.values.index(state.stand_ins[0].stand_in)


def test_a_phrase_that_is_not_grammar_values_is_refused_in_words(small_bundle):
    from jazz_core.errors import BadScoreError
    from jazz_core.sampling import prime

    with pytest.raises(BadScoreError, match="not a value of the jazz grammar"):
        prime(small_bundle.weights, small_bundle.vocabulary, ["C4 quarter"], small_bundle.progression)


def test_the_studio_draw_by_pair_then_window_is_the_draw_from_the_softmax_over_every_value(small_bundle):
    """The fast draw picks exactly the value the inverse of softmax(all values' scores) picks at the same number."""
    from jazz_core.sampler_steps import StudioSteps

    weights, vocabulary = small_bundle.weights, small_bundle.vocabulary
    temperatures = (0.6, 1.0, 1.4)
    steps = StudioSteps(weights, vocabulary, small_bundle.progression, temperatures)
    order = np.concatenate(steps.tables.values_of_pair)  # the values in the order the draw lays them out
    assert sorted(order.tolist()) == list(range(len(vocabulary)))
    rng, outputs = np.random.default_rng(0), 4 * weights.hidden_units
    picked = set()
    for _ in range(400):
        hidden, uniform = np.tanh(rng.normal(size=weights.hidden_units)), rng.random()
        cumulative = np.cumsum(softmax(weights.value_scores(hidden, temperatures)[order]))
        expected = order[cumulative.searchsorted(uniform * cumulative[-1], side="right")]
        assert steps.choose((hidden @ steps.fused)[outputs:], uniform, ()) == expected
        picked.add(int(expected))
    assert len(picked) > 20  # many different values were drawn, not one
