"""The course's LSTM: n_a hidden units shared across time, a softmax over the values.

Keras builds and trains it (`build_keras_model`, imported only by training). For generation the
same weights run in NumPy (`LstmWeights.step`), so making a solo never imports TensorFlow and a
step costs microseconds. Keras' LSTM gate order is input, forget, cell, output.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np


class RecurrentWeights:
    """What both families' NumPy weights share: an LSTM's recurrent kernel, and their arrays saved by field name."""

    recurrent_kernel: np.ndarray
    unsaved: tuple[str, ...] = ()  # fields that follow from others and are not written into a bundle

    @property
    def hidden_units(self) -> int:
        return self.recurrent_kernel.shape[0]

    def arrays(self) -> dict[str, np.ndarray]:
        """Name -> array, for saving."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__ if name not in self.unsaved}

    def check_shapes(self, expected: dict[str, tuple[int, ...]]) -> None:
        """ValueError naming the first array whose shape is not the expected one."""
        for name, shape in expected.items():
            if getattr(self, name).shape != shape:
                raise ValueError(f"{name} has shape {getattr(self, name).shape}, expected {shape}")

    def start_state(self) -> tuple[np.ndarray, np.ndarray]:
        """Zero hidden and cell state, as the course starts (a0 = c0 = 0)."""
        zeros = np.zeros(self.hidden_units, dtype=np.float64)
        return zeros, zeros.copy()


@dataclass(frozen=True)
class LstmWeights(RecurrentWeights):
    """The model's arrays, as Keras holds them."""

    kernel: np.ndarray  # (vocabulary, 4 * hidden): input to the four gates
    recurrent_kernel: np.ndarray  # (hidden, 4 * hidden): previous state to the gates
    bias: np.ndarray  # (4 * hidden,)
    dense_kernel: np.ndarray  # (hidden, vocabulary): state to the scores of each value
    dense_bias: np.ndarray  # (vocabulary,)

    family = "course"

    @property
    def vocabulary_size(self) -> int:
        return self.kernel.shape[0]

    def check(self) -> None:
        """Raise ValueError unless the shapes fit together."""
        n, four_h = self.kernel.shape
        h = four_h // 4
        expected = {"recurrent_kernel": (h, four_h), "bias": (four_h,), "dense_kernel": (h, n), "dense_bias": (n,)}
        if four_h % 4 or h < 1:
            raise ValueError(f"kernel has shape {self.kernel.shape}, not (vocabulary, 4 * hidden)")
        self.check_shapes(expected)

    def step(self, index: int | None, hidden: np.ndarray, cell: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One LSTM step on a one-hot input (None = the zero input): (scores of next value, hidden, cell)."""
        gates = hidden @ self.recurrent_kernel + self.bias
        if index is not None:
            gates = gates + self.kernel[index]
        h = self.hidden_units
        squashed = np.tanh(gates * gate_scale(h))
        input_gate = 0.5 + 0.5 * squashed[:h]
        forget_gate = 0.5 + 0.5 * squashed[h: 2 * h]
        output_gate = 0.5 + 0.5 * squashed[3 * h:]
        cell = forget_gate * cell + input_gate * squashed[2 * h: 3 * h]
        hidden = output_gate * np.tanh(cell)
        return hidden @ self.dense_kernel + self.dense_bias, hidden, cell


@functools.cache
def gate_scale(hidden_units: int) -> np.ndarray:
    """What the four gates' sums are multiplied by before one tanh: 1/2 for the three sigmoid gates,
    since sigmoid(z) = (1 + tanh(z / 2)) / 2, and 1 for the cell candidate. Built once per size, read-only."""
    scale = np.full(4 * hidden_units, 0.5)
    scale[2 * hidden_units: 3 * hidden_units] = 1.0
    scale.flags.writeable = False
    return scale


@functools.cache
def sampler_order(hidden_units: int) -> np.ndarray:
    """The gate columns in the order the sampler keeps them: input, forget, output, cell candidate
    (Keras: input, forget, cell, output), so its three sigmoid gates are one slice. Read-only."""
    h = hidden_units
    order = np.r_[0:2 * h, 3 * h:4 * h, 2 * h:3 * h]
    order.flags.writeable = False
    return order


def fold_gates(gate_sums: np.ndarray) -> np.ndarray:
    """Columns of the four gates' sums (Keras' order) as the sampler takes them: scaled by `gate_scale`,
    in `sampler_order`."""
    h = gate_sums.shape[-1] // 4
    return np.ascontiguousarray((gate_sums * gate_scale(h))[..., sampler_order(h)])


def build_keras_model(vocabulary_size: int, hidden_units: int):
    """The Keras model that is trained: one-hot windows in, a softmax over the values at every step out."""
    import keras

    inputs = keras.Input(shape=(None, vocabulary_size), name="values")
    states = keras.layers.LSTM(hidden_units, return_sequences=True, name="lstm")(inputs)
    outputs = keras.layers.Dense(vocabulary_size, activation="softmax", name="next_value")(states)
    return keras.Model(inputs, outputs, name="jazz_lstm")


def weights_from_keras(model) -> LstmWeights:
    """Copy a trained Keras model's weights out as NumPy arrays."""
    lstm, dense = model.get_layer("lstm"), model.get_layer("next_value")
    kernel, recurrent, bias = (np.asarray(w, dtype=np.float64) for w in lstm.get_weights())
    dense_kernel, dense_bias = (np.asarray(w, dtype=np.float64) for w in dense.get_weights())
    return LstmWeights(kernel, recurrent, bias, dense_kernel, dense_bias)
