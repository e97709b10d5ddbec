"""The studio model: factored values in and out, the chord and place of every step as inputs.

A value is a type (C, S, A, X, R), a duration and an interval window. Each part has its own
embedding; the three are summed with a projection of the step's features (the chord under the
value about to be played and its place in the beat and bar, see `steps`), and fed to one LSTM.
Three heads score the parts of the next value, and a value's score is the sum of its parts'
scores, so a rare combination still gets a sensible probability from parts seen often.
Keras builds and trains it (`build_keras_model`, imported only when training); `StudioWeights`
runs the same arrays in NumPy for sampling and scoring. Keras' LSTM gate order is i, f, c, o.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from jazz_core.dataset import Vocabulary
from jazz_core.model import RecurrentWeights
from jazz_core.steps import FEATURES

HEADS = ("type", "duration", "window")


def value_parts(value: str) -> tuple[str, str, str]:
    """A value's type, duration and window as text: 'C,0.250,<m2,P-4>' -> ('C', '0.250', '<m2,P-4>')."""
    kind, duration, *window = value.split(",")
    return kind, duration, ",".join(window)


def factor_tables(vocabulary: Vocabulary) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per value (and one more row for START): the index of its type, duration and window among their kinds."""
    parts = [value_parts(v) for v in vocabulary.values]
    tables = []
    for head in range(3):
        kinds = sorted({p[head] for p in parts})
        lookup = {k: i for i, k in enumerate(kinds)}
        tables.append(np.array([lookup[p[head]] for p in parts] + [len(kinds)], dtype=np.int64))
    return tables[0], tables[1], tables[2]


@dataclass(frozen=True)
class StudioWeights(RecurrentWeights):
    """The studio model's arrays, named as saved; the factor tables map each value to its parts."""

    type_of: np.ndarray  # (vocabulary + 1,) index of each value's type; the last row is START
    duration_of: np.ndarray
    window_of: np.ndarray
    type_embedding: np.ndarray  # (types + 1, embedding)
    duration_embedding: np.ndarray
    window_embedding: np.ndarray
    chord_kernel: np.ndarray  # (FEATURES, embedding): the step's features into the input
    kernel: np.ndarray  # (embedding, 4 * hidden)
    recurrent_kernel: np.ndarray  # (hidden, 4 * hidden)
    bias: np.ndarray  # (4 * hidden,)
    type_kernel: np.ndarray  # (hidden, types): the three heads
    type_bias: np.ndarray
    duration_kernel: np.ndarray
    duration_bias: np.ndarray
    window_kernel: np.ndarray
    window_bias: np.ndarray

    family = "studio"
    unsaved = ("type_of", "duration_of", "window_of")  # the factor tables follow from the vocabulary

    @property
    def vocabulary_size(self) -> int:
        return self.type_of.shape[0] - 1

    def check(self) -> None:
        """Raise ValueError unless the shapes fit together."""
        h, four_h = self.recurrent_kernel.shape
        e = self.kernel.shape[0]
        expected = {"kernel": (e, four_h), "bias": (four_h,), "chord_kernel": (FEATURES, e)}
        for head in HEADS:
            table, embedding = getattr(self, f"{head}_of"), getattr(self, f"{head}_embedding")
            kinds = embedding.shape[0] - 1
            if table.shape != self.type_of.shape or table.min() < 0 or table.max() > kinds:
                raise ValueError(f"the {head} table does not fit its embedding")
            expected |= {f"{head}_embedding": (kinds + 1, e), f"{head}_kernel": (h, kinds), f"{head}_bias": (kinds,)}
        if four_h != 4 * h:
            raise ValueError(f"recurrent_kernel has shape {self.recurrent_kernel.shape}, not (hidden, 4 * hidden)")
        self.check_shapes(expected)

    def embed(self, tokens: np.ndarray, features: np.ndarray) -> np.ndarray:
        """The LSTM's input for tokens (value indices or START) with their step features."""
        return (self.type_embedding[self.type_of[tokens]] + self.duration_embedding[self.duration_of[tokens]]
                + self.window_embedding[self.window_of[tokens]] + features @ self.chord_kernel)

    def value_scores(self, hidden: np.ndarray, temperatures: Sequence[float] = (1.0, 1.0, 1.0)) -> np.ndarray:
        """Scores (logits) of every value: the sum of its type's, duration's and window's scores."""
        total = 0.0
        for head, temperature in zip(HEADS, temperatures, strict=True):
            scores = hidden @ getattr(self, f"{head}_kernel") + getattr(self, f"{head}_bias")
            total = total + scores[..., getattr(self, f"{head}_of")[:-1]] / (temperature or 1.0)
        return total

    def run(self, inputs: np.ndarray, hidden: np.ndarray, cell: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """One LSTM step on embedded inputs, batched over the leading axis."""
        gates = inputs @ self.kernel + hidden @ self.recurrent_kernel + self.bias
        h = self.hidden_units
        i, f, c, o = (gates[..., k * h:(k + 1) * h] for k in range(4))
        cell = _sigmoid(f) * cell + _sigmoid(i) * np.tanh(c)
        return _sigmoid(o) * np.tanh(cell), cell

    def step(self, token: int, features: np.ndarray, hidden: np.ndarray, cell: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One step: (scores of the next value, hidden, cell), for `token` followed by a step with `features`."""
        hidden, cell = self.run(self.embed(np.asarray(token), np.asarray(features, np.float64)), hidden, cell)
        return self.value_scores(hidden), hidden, cell


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def build_keras_model(vocabulary: Vocabulary, hidden_units: int, embedding_size: int, dropout: float):
    """The Keras model that is trained: value parts and step features in, every value's score out."""
    import keras

    tables = factor_tables(vocabulary)
    parts = [keras.Input(shape=(None,), dtype="int32", name=f"{head}s") for head in HEADS]
    features = keras.Input(shape=(None, FEATURES), name="features")
    embedded = [keras.layers.Embedding(int(t.max()) + 1, embedding_size, name=f"{head}_embedding")(x)
                for head, t, x in zip(HEADS, tables, parts, strict=True)]
    chords = keras.layers.Dense(embedding_size, use_bias=False, name="chord_in")(features)
    inputs = keras.layers.Dropout(dropout)(keras.layers.Add()([*embedded, chords]))
    states = keras.layers.Dropout(dropout)(keras.layers.LSTM(hidden_units, return_sequences=True, name="lstm")(inputs))
    scores = _value_scores_layer(keras, tables)(states)
    return keras.Model([*parts, features], scores, name="jazz_studio")


def _value_scores_layer(keras, tables: Sequence[np.ndarray]):
    """The three heads as one layer: each head's kernel and bias are gathered out to every value (a value's
    score is the sum of its parts' scores) and the states multiplied once by the summed (hidden, values)
    matrix. The same function and weights as three Dense heads whose outputs are gathered and added, without
    three (batch, steps, values) gathers and their gradients (measured: most of a training step's time)."""
    class ValueScores(keras.layers.Layer):
        def build(self, input_shape) -> None:
            hidden = input_shape[-1]
            self.heads = [(self.add_weight(shape=(hidden, int(t.max())), initializer="glorot_uniform",
                                           name=f"{head}_kernel"),
                           self.add_weight(shape=(int(t.max()),), initializer="zeros", name=f"{head}_bias"), t[:-1])
                          for head, t in zip(HEADS, tables, strict=True)]

        def call(self, states):
            kernel = sum(keras.ops.take(k, t, axis=1) for k, _, t in self.heads)
            bias = sum(keras.ops.take(b, t, axis=0) for _, b, t in self.heads)
            return keras.ops.matmul(states, kernel) + bias

    return ValueScores(name="value_scores")


def keras_inputs(vocabulary: Vocabulary, tokens: np.ndarray, features: np.ndarray) -> list[np.ndarray]:
    """The model's four inputs for windows of tokens (value indices or START) and their features."""
    return [table[tokens].astype(np.int32) for table in factor_tables(vocabulary)] + [features.astype(np.float32)]


def weights_from_keras(model, vocabulary: Vocabulary) -> StudioWeights:
    """Copy a trained Keras model's weights out as NumPy arrays."""
    def arrays(name: str) -> list[np.ndarray]:
        return [np.asarray(w, dtype=np.float64) for w in model.get_layer(name).get_weights()]

    heads, scores = {}, iter(arrays("value_scores"))
    for head in HEADS:
        heads[f"{head}_embedding"] = arrays(f"{head}_embedding")[0]
        heads[f"{head}_kernel"], heads[f"{head}_bias"] = next(scores), next(scores)
    kernel, recurrent, bias = arrays("lstm")
    tables = dict(zip(("type_of", "duration_of", "window_of"), factor_tables(vocabulary), strict=True))
    return StudioWeights(**tables, chord_kernel=arrays("chord_in")[0], kernel=kernel, recurrent_kernel=recurrent,
                         bias=bias, **heads)
