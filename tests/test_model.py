"""The NumPy LSTM used for generation computes exactly what the Keras model computes."""

from __future__ import annotations

import numpy as np
import pytest

from jazz_core.model import build_keras_model, weights_from_keras


def test_numpy_steps_match_keras():
    import keras

    keras.utils.set_random_seed(0)
    model = build_keras_model(vocabulary_size=11, hidden_units=8)
    rng = np.random.default_rng(0)
    for layer in model.layers:  # random weights, so that the comparison means something
        layer.set_weights([rng.normal(0, 0.5, w.shape) for w in layer.get_weights()])
    indices = [3, 7, 0, 10, 3]
    x = np.eye(11, dtype=np.float32)[indices][None]
    expected = model.predict(x, verbose=0)[0]
    weights = weights_from_keras(model)
    hidden, cell = weights.start_state()
    for step, index in enumerate(indices):
        scores, hidden, cell = weights.step(index, hidden, cell)
        probabilities = np.exp(scores - scores.max())
        assert probabilities / probabilities.sum() == pytest.approx(expected[step], abs=1e-5)


def test_shapes_are_checked():
    import keras

    keras.utils.set_random_seed(0)
    weights = weights_from_keras(build_keras_model(5, 4))
    weights.check()
    broken = type(weights)(weights.kernel, weights.recurrent_kernel, weights.bias, weights.dense_kernel[:, :3],
                           weights.dense_bias)
    with pytest.raises(ValueError, match="dense_kernel"):
        broken.check()
