"""Held-out prediction: each held-out value scored once, from its own piece, against three n-grams."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from jazz_core.bundle import Bundle
from jazz_core.dataset import Split, Vocabulary
from jazz_core.model import LstmWeights
from jazz_core.music import Measure
from jazz_core.scoring import held_out_losses, prediction
from tests.conftest import C7, ROOT


def _zero_weights(vocabulary: int, hidden: int = 2) -> LstmWeights:
    return LstmWeights(np.zeros((vocabulary, 4 * hidden)), np.zeros((hidden, 4 * hidden)), np.zeros(4 * hidden),
                       np.zeros((hidden, vocabulary)), np.zeros(vocabulary))


def test_a_model_that_knows_nothing_scores_the_log_of_the_vocabulary_on_each_test_value_once():
    corpus = ("C,1.000", "S,1.000", "A,1.000", "R,1.000", "C,0.500") * 40
    split = Split(((0, 100), (100, 200)), ((0, 100), (100, 140)), ((140, 170),), ((170, 200),))
    bundle = Bundle(_zero_weights(5), Vocabulary.from_values(corpus), (Measure(4.0, (), (C7,)),), corpus,
                    settings={"dataset": {"sequence_length": 10}}, split=split, measures_per_piece=(1, 1))
    found = prediction(bundle)
    assert found["targets"] == 30 and found["unseen_share"] == 0 and found["out_of_vocabulary_share"] == 0
    assert found["models"]["lstm"]["loss"] == pytest.approx(math.log(5))
    assert found["models"]["trigram"]["loss"] < 0.2 < found["models"]["unigram"]["loss"]  # a fixed cycle


def test_the_shipped_model_beats_or_matches_a_unigram_and_reports_plain_data():
    from jazz_core.bundle import load_bundle

    bundle = load_bundle(ROOT / "assets" / "default_model")
    found = prediction(bundle)
    assert json.loads(json.dumps(found)) == found
    assert set(found["models"]) == {"lstm", "unigram", "bigram", "trigram"}
    assert found["targets"] == sum(b - a for a, b in bundle.split.test)
    assert found["models"]["lstm"]["loss"] < found["models"]["unigram"]["loss"]


def test_held_out_files_are_scored_in_the_bundles_vocabulary(small_bundle, builtin_pieces):
    found = held_out_losses(small_bundle, builtin_pieces[:1])
    assert found["held_out_values"] == small_bundle.split.pieces[0][1]  # every value of that piece, once
    assert all(len(losses) == found["targets"] for losses in found["losses"].values())


def test_cli_evaluate_takes_held_out_files(capsys, metheny_bytes, tmp_path):
    from jazz_core.cli import main

    path = tmp_path / "metheny.mid"
    path.write_bytes(metheny_bytes)
    model = str(ROOT / "assets" / "default_model")
    assert main(["evaluate", model, "--values", "30", "--seeds", "1", "--json", "--held-out", str(path)]) == 0
    found = json.loads(capsys.readouterr().out)["prediction"]
    assert found["scored_from"] == "held-out files" and 0 < found["out_of_vocabulary_share"] < 1
    assert set(found["models"]) == {"lstm", "unigram", "bigram", "trigram"}
