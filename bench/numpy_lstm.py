"""A sketch, not part of the app: the same LSTM trained in plain NumPy (backpropagation through time and Adam).

It measures what training would cost without TensorFlow: same model (one-hot values in, n_a
hidden units, softmax out), same loss, same batches (seeded permutation, equal splits of at most
32 windows), Adam with Keras' defaults, Keras' initialisers (Glorot uniform input and output
kernels, orthogonal recurrent kernel, forget-gate bias 1). Gates are in Keras' order (input,
forget, cell, output), so the trained arrays would drop into `jazz_core.model.LstmWeights`.
Its gradients agree with finite differences to about 1e-6 relative (checked while writing it).
"""

from __future__ import annotations

import numpy as np

BETA1, BETA2, EPSILON = 0.9, 0.999, 1e-7  # Keras' Adam defaults


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 0.5 + 0.5 * np.tanh(0.5 * z)


def initial_weights(vocabulary: int, hidden: int, rng: np.random.Generator) -> list[np.ndarray]:
    """[kernel, recurrent kernel, bias, dense kernel, dense bias], initialised as Keras does."""
    def glorot(rows: int, columns: int) -> np.ndarray:
        limit = np.sqrt(6.0 / (rows + columns))
        return rng.uniform(-limit, limit, (rows, columns)).astype(np.float32)

    recurrent = np.linalg.qr(rng.normal(size=(4 * hidden, hidden)))[0].T.astype(np.float32)
    bias = np.zeros(4 * hidden, np.float32)
    bias[hidden: 2 * hidden] = 1.0
    return [glorot(vocabulary, 4 * hidden), recurrent, bias, glorot(hidden, vocabulary),
            np.zeros(vocabulary, np.float32)]


def loss_and_gradients(weights: list[np.ndarray], inputs: np.ndarray, targets: np.ndarray
                       ) -> tuple[float, list[np.ndarray]]:
    """Mean cross-entropy over (windows, steps) of value indices, and its gradient for every array."""
    kernel, recurrent, bias, dense, dense_bias = weights
    windows, steps = inputs.shape
    hidden = recurrent.shape[0]
    projected = kernel[inputs] + bias  # a one-hot times the kernel is one of its rows
    h, c = np.zeros((windows, hidden), np.float32), np.zeros((windows, hidden), np.float32)
    states, saved = np.empty((steps, windows, hidden), np.float32), []
    for t in range(steps):
        gates = projected[:, t] + h @ recurrent
        i, f = _sigmoid(gates[:, :hidden]), _sigmoid(gates[:, hidden: 2 * hidden])
        g, o = np.tanh(gates[:, 2 * hidden: 3 * hidden]), _sigmoid(gates[:, 3 * hidden:])
        previous_c, previous_h = c, h
        c = f * c + i * g
        squashed = np.tanh(c)
        h = o * squashed
        states[t] = h
        saved.append((i, f, g, o, previous_c, squashed, previous_h))
    scores = states @ dense + dense_bias
    scores -= scores.max(axis=-1, keepdims=True)
    probabilities = np.exp(scores)
    probabilities /= probabilities.sum(axis=-1, keepdims=True)
    chosen = targets.T[..., None]
    loss = float(-np.log(np.take_along_axis(probabilities, chosen, -1)).mean())
    d_scores = probabilities
    np.put_along_axis(d_scores, chosen, np.take_along_axis(d_scores, chosen, -1) - 1.0, -1)
    d_scores /= windows * steps
    d_dense = states.reshape(-1, hidden).T @ d_scores.reshape(-1, d_scores.shape[-1])
    d_states = d_scores @ dense.T
    d_recurrent, d_projected = np.zeros_like(recurrent), np.empty((steps, windows, 4 * hidden), np.float32)
    d_h, d_c = np.zeros((windows, hidden), np.float32), np.zeros((windows, hidden), np.float32)
    for t in reversed(range(steps)):
        i, f, g, o, previous_c, squashed, previous_h = saved[t]
        d_h = d_h + d_states[t]
        d_c = d_c + d_h * o * (1.0 - squashed * squashed)
        d_gates = np.concatenate([d_c * g * i * (1 - i), d_c * previous_c * f * (1 - f), d_c * i * (1 - g * g),
                                  d_h * squashed * o * (1 - o)], axis=1)
        d_c = d_c * f
        d_recurrent += previous_h.T @ d_gates
        d_h = d_gates @ recurrent.T
        d_projected[t] = d_gates
    d_projected = d_projected.transpose(1, 0, 2).reshape(-1, 4 * hidden)
    d_kernel = np.zeros_like(kernel)
    np.add.at(d_kernel, inputs.ravel(), d_projected)
    return loss, [d_kernel, d_recurrent, d_projected.sum(axis=0), d_dense, d_scores.sum(axis=(0, 1))]


class Adam:
    """Adam as Keras applies it, on a list of arrays updated in place."""

    def __init__(self, weights: list[np.ndarray], learning_rate: float) -> None:
        self.rate, self.step = learning_rate, 0
        self.first = [np.zeros_like(w) for w in weights]
        self.second = [np.zeros_like(w) for w in weights]

    def apply(self, weights: list[np.ndarray], gradients: list[np.ndarray]) -> None:
        self.step += 1
        rate = self.rate * np.sqrt(1 - BETA2 ** self.step) / (1 - BETA1 ** self.step)
        for w, g, m, v in zip(weights, gradients, self.first, self.second, strict=True):
            m *= BETA1
            m += (1 - BETA1) * g
            v *= BETA2
            v += (1 - BETA2) * g * g
            w -= rate * m / (np.sqrt(v) + EPSILON)


def train(x: np.ndarray, y: np.ndarray, hidden: int = 64, epochs: int = 100, learning_rate: float = 0.01,
          batch_size: int = 32, seed: int = 0, on_epoch=None) -> tuple[list[np.ndarray], list[float]]:
    """Fit on one-hot windows x and y (windows, steps, vocabulary); the arrays and each epoch's mean loss."""
    rng = np.random.default_rng(seed)
    inputs, targets = x.argmax(axis=-1), y.argmax(axis=-1)
    weights = initial_weights(x.shape[2], hidden, rng)
    optimizer = Adam(weights, learning_rate)
    batches = max(1, -(-len(inputs) // batch_size))
    history = []
    for _ in range(epochs):
        total = 0.0
        for part in np.array_split(rng.permutation(len(inputs)), batches):
            loss, gradients = loss_and_gradients(weights, inputs[part], targets[part])
            optimizer.apply(weights, gradients)
            total += loss * len(part)
        history.append(total / len(inputs))
        if on_epoch:
            on_epoch(history[-1])
    return weights, history
