"""Held-out prediction: how well each model predicts music it never trained on, value by value.

Each held-out value is scored once, from up to `sequence_length` earlier values of its own piece
(as the model was trained: START before a piece's first value). The bundle's test block is
scored, or the values of other files (`pieces`); values outside the bundle's vocabulary are
counted and left out of every model's loss alike, and the share of scored values that never
occur in the training block is reported with the loss on the seen values only. The n-gram
baselines are fitted on the training block and tuned on the validation block.
TensorFlow is never imported: both families run in NumPy, batched over the targets.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jazz_core.bundle import Bundle
from jazz_core.dataset import DatasetSettings, Ranges, Split, input_tokens, split_corpus
from jazz_core.grammar import encode_measures
from jazz_core.model import LstmWeights
from jazz_core.music import Measure, Piece
from jazz_core.ngrams import NgramModel, tuned
from jazz_core.steps import step_features

CHUNK = 2048  # targets scored at once
NGRAMS = ("unigram", "bigram", "trigram")


@dataclass(frozen=True)
class Steps:
    """A run of pieces as model inputs: per position the target (-1 outside the vocabulary), input and features."""

    targets: np.ndarray
    tokens: np.ndarray
    features: np.ndarray
    pieces: Ranges


def dataset_settings(bundle: Bundle) -> DatasetSettings:
    stored = bundle.settings.get("dataset", {})
    return DatasetSettings(**{k: v for k, v in stored.items() if k in DatasetSettings.__dataclass_fields__})


def bundle_split(bundle: Bundle) -> Split:
    """The blocks the bundle was trained with (one piece, cut by its settings, when it kept none)."""
    return bundle.split or split_corpus([len(bundle.corpus)], dataset_settings(bundle))


def _piece_progressions(bundle: Bundle, count: int) -> list[tuple[Measure, ...]]:
    if len(bundle.measures_per_piece) != count:
        return [bundle.progression] * count
    ends = np.cumsum(bundle.measures_per_piece)
    return [bundle.progression[int(e - n):int(e)] or bundle.progression
            for n, e in zip(bundle.measures_per_piece, ends, strict=True)]


def _steps(bundle: Bundle, values_per_piece: Sequence[Sequence[str]], measures: Sequence[Sequence[Measure]]) -> Steps:
    lookup = {value: index for index, value in enumerate(bundle.vocabulary.values)}
    values = [v for piece in values_per_piece for v in piece]
    targets = np.array([lookup.get(v, -1) for v in values], dtype=np.int64)
    lengths = [len(p) for p in values_per_piece]
    pieces = split_corpus(lengths, DatasetSettings(validation_fraction=0, test_fraction=0)).pieces
    tokens = input_tokens(np.where(targets < 0, bundle.vocabulary.start, targets), pieces, bundle.vocabulary.start)
    features = np.concatenate([step_features(v, m) for v, m in zip(values_per_piece, measures, strict=True)])
    return Steps(targets, tokens, features, pieces)


def corpus_steps(bundle: Bundle) -> Steps:
    """The bundle's own corpus, piece by piece, over its own chords."""
    pieces = bundle_split(bundle).pieces
    values = [bundle.corpus[a:b] for a, b in pieces]
    return _steps(bundle, values, _piece_progressions(bundle, len(pieces)))


def piece_steps(bundle: Bundle, pieces: Sequence[Piece]) -> Steps:
    """Other music (read as the bundle's source was read), in the bundle's vocabulary."""
    return _steps(bundle, [p.values or encode_measures(p.measures) for p in pieces], [p.measures for p in pieces])


def positions(ranges: Ranges) -> np.ndarray:
    return np.concatenate([np.arange(a, b) for a, b in ranges]) if ranges else np.zeros(0, np.int64)


def _piece_start(steps: Steps, chosen: np.ndarray) -> np.ndarray:
    starts = np.array([a for a, _ in steps.pieces])
    return starts[np.searchsorted(starts, chosen, side="right") - 1]


def _input_gates(weights, tokens: np.ndarray, features: np.ndarray) -> np.ndarray:
    if isinstance(weights, LstmWeights):
        kernel = np.vstack([weights.kernel, np.zeros((1, weights.kernel.shape[1]))])  # START: zero input
        return kernel[tokens] + weights.bias
    return weights.embed(tokens, features) @ weights.kernel + weights.bias


def _scores(weights, hidden: np.ndarray) -> np.ndarray:
    if isinstance(weights, LstmWeights):
        return hidden @ weights.dense_kernel + weights.dense_bias
    return weights.value_scores(hidden)


def _chunk_losses(weights, steps: Steps, chosen: np.ndarray, length: int) -> np.ndarray:
    """Cross-entropy of each chosen target, the LSTM run from zero state over its window of earlier steps."""
    h = weights.hidden_units
    first = _piece_start(steps, chosen)
    hidden, cell = np.zeros((len(chosen), h)), np.zeros((len(chosen), h))
    for back in range(length - 1, -1, -1):
        at = chosen - back
        valid = (at >= first)[:, None]
        at = np.maximum(at, 0)
        gates = _input_gates(weights, steps.tokens[at], steps.features[at]) + hidden @ weights.recurrent_kernel
        i, f, c, o = (gates[:, k * h:(k + 1) * h] for k in range(4))
        new_cell = _sigmoid(f) * cell + _sigmoid(i) * np.tanh(c)
        cell = np.where(valid, new_cell, cell)
        hidden = np.where(valid, _sigmoid(o) * np.tanh(new_cell), hidden)
    scores = _scores(weights, hidden)
    top = scores.max(axis=1)
    log_total = top + np.log(np.exp(scores - top[:, None]).sum(axis=1))
    return log_total - scores[np.arange(len(chosen)), steps.targets[chosen]]


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def neural_losses(weights, steps: Steps, chosen: np.ndarray, length: int) -> np.ndarray:
    """Per chosen target (all inside the vocabulary): the model's cross-entropy in nats."""
    parts = [_chunk_losses(weights, steps, chosen[i:i + CHUNK], length) for i in range(0, len(chosen), CHUNK)]
    return np.concatenate(parts) if parts else np.zeros(0)


def _contexts(steps: Steps, chosen: np.ndarray, start: int) -> list[list[int]]:
    """For the n-grams: START and up to two earlier values of the piece (-1 stands for a value outside)."""
    first = _piece_start(steps, chosen)
    return [[start] * int(i - 2 < f) + [int(steps.targets[j]) for j in range(max(f, i - 2), i)]
            for i, f in zip(chosen, first, strict=True)]


def ngram_models(bundle: Bundle, steps: Steps, split: Split) -> dict[str, NgramModel]:
    """Unigram, bigram and trigram fitted on the training block, each tuned on the validation block."""
    start, size = bundle.vocabulary.start, len(bundle.vocabulary)
    sequences = [[start, *steps.targets[a:b].tolist()] for a, b in split.train]
    chosen = positions(split.validation)
    chosen = chosen[steps.targets[chosen] >= 0]
    contexts, targets = _contexts(steps, chosen, start), steps.targets[chosen]
    return {name: tuned(sequences, size, order, contexts, targets) for order, name in enumerate(NGRAMS, 1)}


def held_out_losses(bundle: Bundle, pieces: Sequence[Piece] | None = None) -> dict:
    """Per-target losses of the bundle's model and the n-grams on the test block (or on `pieces`)."""
    split, own = bundle_split(bundle), corpus_steps(bundle)
    steps = piece_steps(bundle, pieces) if pieces else own
    chosen = positions(steps.pieces if pieces else split.test)
    known = chosen[steps.targets[chosen] >= 0]
    length = dataset_settings(bundle).sequence_length
    losses = {"lstm": neural_losses(bundle.weights, steps, known, length)}
    contexts = _contexts(steps, known, bundle.vocabulary.start)
    for name, model in ngram_models(bundle, own, split).items():
        losses[name] = model.losses(contexts, steps.targets[known])
    trained = set(own.targets[positions(split.train)].tolist())
    seen = np.array([int(t) in trained for t in steps.targets[known]], dtype=bool)
    return {"held_out_values": len(chosen), "targets": len(known), "losses": losses, "seen": seen,
            "piece_of": np.searchsorted([a for a, _ in steps.pieces], known, side="right") - 1}


def prediction(bundle: Bundle, pieces: Sequence[Piece] | None = None) -> dict | None:
    """Cross-entropy (nats) and perplexity on held-out values: the LSTM and three n-grams; None if none held out."""
    found = held_out_losses(bundle, pieces)
    if not found["targets"]:
        return None
    seen = found["seen"]
    models = {}
    for name, losses in found["losses"].items():
        loss = float(losses.mean())
        models[name] = {"loss": loss, "perplexity": math.exp(loss),
                        "loss_seen": float(losses[seen].mean()) if seen.any() else None}
    return {"held_out_values": found["held_out_values"], "windows": found["targets"], "targets": found["targets"],
            "scored_from": "held-out files" if pieces else "the test block",
            "out_of_vocabulary_share": 1 - found["targets"] / max(found["held_out_values"], 1),
            "unseen_share": float(1 - seen.mean()), "models": models}
