"""Evaluation: each metric on tiny inputs whose answer is known, then the whole comparison on real models."""

from __future__ import annotations

import json
import math
from itertools import pairwise

import numpy as np
import pytest

from jazz_core.bundle import Bundle, load_bundle
from jazz_core.dataset import Vocabulary
from jazz_core.evaluation import (
    SYSTEMS,
    Solo,
    bigram_values,
    compare,
    format_report,
    longest_copied_run,
    measure,
    source_line,
    split_bars,
    window_starts,
)
from jazz_core.grammar import Timeline
from jazz_core.metrics import (
    METRICS,
    bar_repeat_share,
    chord_tone_ratio,
    distinct_ngram_ratio,
    grooving_similarity,
    histogram_entropy,
    notes_per_bar,
    pitch_class_entropy,
    pitch_range,
    pooled_ngram_entropy,
    repeated_note_share,
    type_shares,
    value_skeletons,
    value_types,
)
from jazz_core.model import LstmWeights
from jazz_core.music import Measure, Note
from jazz_core.pipeline import corpus_values
from tests.conftest import C7, F7, ROOT

DEFAULT_MODEL = ROOT / "assets" / "default_model"


# --- pitch-class entropy (H1, H4) -------------------------------------------------------------

def test_one_repeated_pitch_class_has_no_entropy():
    assert pitch_class_entropy([[60, 72, 48, 60]], 1) == 0.0


def test_twelve_equal_pitch_classes_have_log2_12_bits():
    assert pitch_class_entropy([list(range(60, 72))], 1) == pytest.approx(math.log2(12))


def test_entropy_counts_notes_and_windows_slide_bar_by_bar():
    bars = [[60], [62], [60, 62], []]  # the silent bar is skipped by H1
    assert pitch_class_entropy(bars, 1) == pytest.approx((0 + 0 + 1) / 3)
    one_of_three = -(1 / 3) * math.log2(1 / 3) - (2 / 3) * math.log2(2 / 3)  # C D D
    assert pitch_class_entropy(bars, 2) == pytest.approx((1 + one_of_three + 1) / 3)
    assert pitch_class_entropy(bars, 4) == pytest.approx(1.0)  # C C D D over the 4 bars: one bit
    assert pitch_class_entropy(bars[:2], 4) == pytest.approx(1.0)  # too few bars: the whole piece, as MusDr
    assert histogram_entropy([1, 1, 1, 1]) == pytest.approx(2.0)
    assert pitch_class_entropy([[], []], 1) is None


# --- grooving similarity (GS) -----------------------------------------------------------------

def test_identical_bars_groove_alike():
    assert grooving_similarity([{0, 12, 24, 36}] * 3, 48) == 1.0


def test_groove_similarity_counts_onsets_in_one_bar_only():
    assert grooving_similarity([{0, 12}, {0, 24}], 48) == pytest.approx(1 - 2 / 48)
    assert grooving_similarity([{0}, {0}, {6}], 48) == pytest.approx((1 + (1 - 2 / 48) * 2) / 3)
    assert grooving_similarity([{0}, {0, 36}], [36, 48]) == pytest.approx(1 - 1 / 48)  # the longer bar's grid
    assert grooving_similarity([{0}], 48) is None


# --- harmony and grammar ----------------------------------------------------------------------

def test_chord_tone_ratio_judges_each_onset_against_the_chord_sounding():
    bar = Measure(4.0, (), (C7, F7))  # C7 from beat 1, F7 from beat 3
    notes = [Note(0.0, 1.0, 64), Note(1.0, 1.0, 62), Note(2.0, 1.0, None), Note(3.0, 1.0, 69)]
    assert chord_tone_ratio(notes, Timeline([bar])) == pytest.approx(2 / 3)  # E over C7, A over F7; D is not
    assert chord_tone_ratio(notes, Timeline([Measure(4.0, (), ())])) is None


def test_type_shares_are_read_from_the_values():
    shares = type_shares(["C,0.500,<m2,P-4>", "C,0.500", "S,1.000", "R,2.000"])
    assert shares == {"C": 0.5, "S": 0.25, "A": 0.0, "X": 0.0, "R": 0.25}
    assert type_shares([])["C"] is None


# --- density, range, repetition -------------------------------------------------------------

def test_density_range_and_repeated_notes():
    assert notes_per_bar([[60, 62], [], [64]]) == 1.0
    assert pitch_range([60, 72, 55]) == 17
    assert pitch_range([]) is None
    assert repeated_note_share([60, 60, 62, 62, 62]) == pytest.approx(3 / 4)
    assert repeated_note_share([60]) is None


def test_distinct_4gram_ratio():
    assert distinct_ngram_ratio([1, 2, 1, 2, 1, 2, 1]) == pytest.approx(2 / 4)
    assert distinct_ngram_ratio(list(range(10))) == 1.0
    assert distinct_ngram_ratio([1, 2, 3]) is None


def test_skeletons_and_types_drop_the_interval_window():
    values = ["C,0.250,<m2,P-4>", "R,0.500", "S,1.000,<M2,M3>"]
    assert value_skeletons(values) == ["C,0.250", "R,0.500", "S,1.000"]
    assert value_types(values) == ["C", "R", "S"]


def test_a_line_of_new_values_can_still_repeat_its_rhythm_and_types():
    """Eight values, every one new (the window moves), over one two-note rhythm: whole values never repeat
    a 4-gram, their skeletons do."""
    values = [f"C,0.500,<m{k},M{k + 1}>" if k % 2 else f"S,0.250,<m{k},M{k + 1}>" for k in range(2, 10)]
    assert distinct_ngram_ratio(values) == 1.0
    assert distinct_ngram_ratio(value_skeletons(values)) == pytest.approx(2 / 5)
    assert distinct_ngram_ratio(value_types(values)) == pytest.approx(2 / 5)


def test_pooled_ngram_entropy_counts_every_take_together():
    assert pooled_ngram_entropy([[1, 2, 3, 4], [1, 2, 3, 4]]) == 0.0  # one 4-gram, twice
    assert pooled_ngram_entropy([[1, 2, 3, 4], [5, 6, 7, 8]]) == pytest.approx(1.0)
    assert pooled_ngram_entropy([[1, 2, 3, 4, 1], [1, 2, 3, 4]]) == pytest.approx(-(2 / 3) * math.log2(2 / 3)
                                                                                   - (1 / 3) * math.log2(1 / 3))
    assert pooled_ngram_entropy([[1, 2, 3], []]) is None


def test_bar_repeats_compare_rhythm_and_types_not_pitches():
    one = [Note(0.0, 2.0, 60, "C"), Note(2.0, 2.0, 64, "C")]
    same_grammar = [Note(0.0, 2.0, 67, "C"), Note(2.0, 2.0, 72, "C")]
    other = [Note(0.0, 4.0, 62, "S")]
    rest = [Note(0.0, 4.0, None, "R")]
    assert bar_repeat_share([one, rest, same_grammar, other, one]) == pytest.approx(2 / 4)  # rests-only bars left out
    assert bar_repeat_share([rest]) is None


def test_longest_copied_run():
    corpus = ["a", "b", "c", "d", "e", "b", "c"]
    assert longest_copied_run(["x", "b", "c", "d", "y", "b", "c"], corpus) == 3
    assert longest_copied_run(["c", "d", "e", "b", "c"], corpus) == 5
    assert longest_copied_run(["x", "y"], corpus) == 0
    assert longest_copied_run(["e", "a"], corpus) == 1  # in the corpus, but never one after the other


# --- held-out prediction ----------------------------------------------------------------------

def _zero_weights(vocabulary: int, hidden: int = 2) -> LstmWeights:
    return LstmWeights(np.zeros((vocabulary, 4 * hidden)), np.zeros((hidden, 4 * hidden)), np.zeros(4 * hidden),
                       np.zeros((hidden, vocabulary)), np.zeros(vocabulary))


# --- one solo, all metrics --------------------------------------------------------------------

def test_measure_a_hand_made_solo():
    bars = (Measure(4.0, (), (C7,)),) * 2
    values = ("C,1.000", "C,1.000,<M3,m-3>", "C,1.000,<m3,M-3>", "R,1.000") * 2
    notes = tuple(Note(float(i), 1.0, None if i % 4 == 3 else (60, 64, 67)[i % 4], v[0]) for i, v in enumerate(values))
    solo = Solo(notes, values, bars)
    split, lengths = split_bars(solo)
    assert lengths == [4.0, 4.0] and [n.offset for n in split[1]] == [0.0, 1.0, 2.0, 3.0]
    found = measure(solo, values)
    assert set(found) == set(METRICS)
    assert found["H1"] == pytest.approx(math.log2(3)) and found["GS"] == 1.0
    assert found["chord_tones"] == 1.0 and found["C"] == 0.75 and found["R"] == 0.25
    assert (found["notes_per_bar"], found["pitch_range"], found["repeated_notes"]) == (3.0, 7, 0.0)
    assert found["bar_repeats"] == pytest.approx(1 / 2) and found["longest_copy"] == 8
    assert found["interval_4grams"] == pytest.approx(2 / 2)  # intervals 4 3 -7 4 3: two distinct 4-grams
    assert found["value_4grams"] == pytest.approx(4 / 5)  # the 8 values repeat after 4: 4 of 5 distinct
    assert found["role_4grams"] == pytest.approx(4 / 5)  # C C C R twice


def test_phrase_variety_by_note_roles_shows_what_whole_values_hide():
    """Windows that never repeat make every run of 4 whole values new; the roles under them repeat C C S R."""
    windows = ("<M3,m-3>", "<m3,M-3>", "<P4,P-5>", "<M2,m-2>", "<P5,P-4>", "<m2,M-2>", "<M6,m-6>", "<m6,M-6>")
    values = tuple(f"{kind},1.000,{window}" if kind != "R" else "R,1.000"
                   for kind, window in zip("CCSRCCSR", windows, strict=True))
    notes = tuple(Note(float(i), 1.0, None if v[0] == "R" else 60 + i, v[0]) for i, v in enumerate(values))
    found = measure(Solo(notes, values, (Measure(4.0, (), (C7,)),) * 2), ())
    assert found["value_4grams"] == 1.0
    assert found["role_4grams"] == pytest.approx(4 / 5)


def test_window_starts_spread_over_the_source():
    assert window_starts(100, 100, 5) == [0]
    assert window_starts(50, 200, 5) == [0]
    assert window_starts(140, 100, 5) == [0, 10, 20, 30, 40]
    assert window_starts(102, 100, 5) == [0, 1, 2]


def test_bigram_chain_follows_a_deterministic_corpus():
    corpus = ("C,1.000", "S,1.000", "A,1.000", "R,1.000") * 3
    bundle = Bundle(_zero_weights(4), Vocabulary.from_values(corpus), (Measure(4.0, (), (C7,)),), corpus)
    chain = bigram_values(bundle, 9, seed=3)
    assert all(corpus.index(a) + 1 == corpus.index(b) or (a, b) == ("R,1.000", "C,1.000")
               for a, b in pairwise(chain))


# --- the comparison on real data --------------------------------------------------------------

def test_the_source_line_gives_one_note_per_corpus_value(metheny_bytes):
    from jazz_core.reading import read_score

    piece = read_score(metheny_bytes, "metheny")
    line = source_line([piece])
    assert list(line.values) == corpus_values([piece]) and len(line.notes) == 193
    assert all(n.kind == v[0] for n, v in zip(line.notes, line.values, strict=True))


@pytest.fixture(scope="module")
def default_model() -> Bundle:
    return load_bundle(DEFAULT_MODEL)


def test_compare_end_to_end_on_the_shipped_model(default_model, builtin_pieces):
    report = compare(default_model, builtin_pieces, values=60, seeds=2)
    assert json.loads(json.dumps(report)) == report  # plain data
    assert list(report["systems"]) == list(SYSTEMS) and report["values"] == 60
    for name, system in report["systems"].items():
        assert set(system["metrics"]) == set(METRICS), name
        h1 = system["metrics"]["H1"]
        assert 0 <= h1["min"] <= h1["mean"] <= h1["max"] <= math.log2(12)
    assert report["systems"]["source"]["distance_to_source"] == 0.0
    assert report["systems"]["random"]["metrics"]["longest_copy"]["max"] < 10
    models = report["prediction"]["models"]
    assert set(models) == {"lstm", "unigram", "bigram", "trigram"}
    assert all(m["perplexity"] == pytest.approx(math.exp(m["loss"])) for m in models.values())
    text = format_report(report)
    assert "H4" in text and "T=0.5" in text and "perplexity" in text


def test_without_the_score_the_corpus_is_decoded_and_values_are_capped(default_model):
    report = compare(default_model, None, values=10_000, seeds=1)
    assert report["values"] == len(default_model.corpus) and report["values_asked"] == 10_000
    assert report["systems"]["source"]["metrics"]["longest_copy"]["mean"] == len(default_model.corpus)
    with pytest.raises(ValueError):
        compare(default_model, None, values=10, seeds=0)


def test_cli_evaluate_prints_a_table_and_json(capsys):
    from jazz_core.cli import main

    assert main(["evaluate", str(DEFAULT_MODEL), "--values", "30", "--seeds", "1"]) == 0
    table = capsys.readouterr().out
    assert "longest_copy" in table and "distance" in table
    assert main(["evaluate", str(DEFAULT_MODEL), "--values", "30", "--seeds", "1", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["seeds"] == 1 and "bigram" in report["systems"]
    assert main(["evaluate", str(DEFAULT_MODEL), "--seeds", "0"]) == 2
    assert capsys.readouterr().err.startswith("error:")
