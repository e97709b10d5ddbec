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


def test_studio_numpy_steps_match_keras():
    import keras

    from jazz_core.dataset import Vocabulary
    from jazz_core.steps import FEATURES
    from jazz_core.studio import build_keras_model as build_studio
    from jazz_core.studio import keras_inputs
    from jazz_core.studio import weights_from_keras as studio_weights

    vocabulary = Vocabulary.from_values(["C,0.500,<m2,P-4>", "C,1.000,<m2,P-4>", "S,0.500,<M2,m-3>", "R,0.500",
                                         "A,0.250,<m2,P-4>", "C,0.250"])
    keras.utils.set_random_seed(0)
    model = build_studio(vocabulary, hidden_units=8, embedding_size=5, dropout=0.3)
    rng = np.random.default_rng(1)
    for layer in model.layers:
        layer.set_weights([rng.normal(0, 0.5, w.shape) for w in layer.get_weights()])
    tokens = np.array([[vocabulary.start, 3, 0, 5, 2, 2]])
    features = (rng.random((1, 6, FEATURES)) < 0.2).astype(np.float32)
    expected = model.predict(keras_inputs(vocabulary, tokens, features), verbose=0)[0]
    weights = studio_weights(model, vocabulary)
    weights.check()
    hidden, cell = weights.start_state()
    for step in range(6):
        scores, hidden, cell = weights.step(int(tokens[0, step]), features[0, step], hidden, cell)
        assert scores == pytest.approx(expected[step], abs=1e-4)
    assert scores.shape == (len(vocabulary),)
