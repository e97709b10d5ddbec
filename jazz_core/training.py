"""Training: fit the LSTM on the windows, reporting every epoch to the caller, who may stop it.

A small custom loop around one compiled `tf.function` step: Keras' `fit` spends more time on
its own machinery than on this tiny model (measured: 15 s for the course's 100 epochs, against
about 2 s here). Windows are split into equal batches of at most `batch_size`, so the step is
traced once. TensorFlow is imported here only, and only when `train` is called.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from jazz_core.dataset import Dataset
from jazz_core.model import LstmWeights, build_keras_model, weights_from_keras
from jazz_core.settings import ModelSettings, TrainSettings


@dataclass(frozen=True)
class EpochReport:
    """What one epoch achieved; validation figures are None when nothing was held out."""

    epoch: int  # 1-based
    epochs: int
    loss: float
    accuracy: float
    validation_loss: float | None
    validation_accuracy: float | None
    seconds: float  # since training started
    # the model's weights, copied out only when asked for: call it inside on_epoch to get this epoch's
    # weights (later calls return the weights of whatever epoch training has reached by then)
    weights: Callable[[], LstmWeights | None] = field(default=lambda: None, repr=False, compare=False)


@dataclass(frozen=True)
class TrainedModel:
    """The fitted weights and one report per epoch run (fewer than asked when the caller stopped it)."""

    weights: LstmWeights
    history: tuple[EpochReport, ...]


def _import_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    return tf


def _batches(count: int, batch_size: int) -> int:
    return max(1, -(-count // batch_size))


def train(dataset: Dataset, model_settings: ModelSettings = ModelSettings(),
          settings: TrainSettings = TrainSettings(),
          on_epoch: Callable[[EpochReport], None] | None = None,
          should_stop: Callable[[], bool] | None = None) -> TrainedModel:
    """Fit the course's LSTM (Adam, categorical cross-entropy) and return its weights and history."""
    tf = _import_tensorflow()
    import keras

    keras.utils.set_random_seed(settings.seed)
    model = build_keras_model(len(dataset.vocabulary), model_settings.hidden_units)
    optimizer = keras.optimizers.Adam(settings.learning_rate)
    optimizer.build(model.trainable_variables)
    variables = model.trainable_variables

    @tf.function(reduce_retracing=True)
    def train_step(x, y):
        with tf.GradientTape() as tape:
            predicted = model(x, training=True)
            loss = tf.reduce_mean(keras.losses.categorical_crossentropy(y, predicted))
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss, _accuracy(tf, y, predicted)

    @tf.function(reduce_retracing=True)
    def evaluate(x, y):
        predicted = model(x, training=False)
        return tf.reduce_mean(keras.losses.categorical_crossentropy(y, predicted)), _accuracy(tf, y, predicted)

    x, y = tf.constant(dataset.x), tf.constant(dataset.y)
    x_val, y_val = tf.constant(dataset.x_validation), tf.constant(dataset.y_validation)
    has_validation = dataset.x_validation.shape[0] > 0
    count = dataset.x.shape[0]
    batches = _batches(count, settings.batch_size)
    rng = np.random.default_rng(settings.seed)
    history: list[EpochReport] = []
    started = time.perf_counter()
    best: tuple[float, LstmWeights] | None = None
    for epoch in range(1, settings.epochs + 1):
        order = rng.permutation(count)
        losses, accuracies = [], []
        for part in np.array_split(order, batches):
            loss, accuracy = train_step(tf.gather(x, part), tf.gather(y, part))
            losses.append(float(loss) * len(part))
            accuracies.append(float(accuracy) * len(part))
        val_loss = val_accuracy = None
        if has_validation:
            val_loss, val_accuracy = (float(v) for v in evaluate(x_val, y_val))
        report = EpochReport(epoch, settings.epochs, sum(losses) / count, sum(accuracies) / count,
                             val_loss, val_accuracy, time.perf_counter() - started, lambda: weights_from_keras(model))
        history.append(report)
        if settings.keep_best and val_loss is not None and (best is None or val_loss < best[0]):
            best = (val_loss, weights_from_keras(model))
        if on_epoch:
            on_epoch(report)
        if should_stop and should_stop() and epoch < settings.epochs:
            break
    return TrainedModel(best[1] if best else weights_from_keras(model), tuple(history))


def _accuracy(tf, y, predicted):
    hits = tf.equal(tf.argmax(y, axis=-1), tf.argmax(predicted, axis=-1))
    return tf.reduce_mean(tf.cast(hits, tf.float32))


def kept_epoch(history: Sequence[EpochReport], keep_best: bool) -> int | None:
    """The epoch whose weights a run keeps: the last, or with `keep_best` the first with the lowest
    validation loss (the last when no epoch has one), as `train` chooses; None before any epoch."""
    if not history:
        return None
    judged = [r for r in history if r.validation_loss is not None] if keep_best else []
    if not judged:
        return history[-1].epoch
    return min(judged, key=lambda r: r.validation_loss).epoch  # min keeps the first of equals
