"""Training: fit either model family on the windows, reporting every epoch to the caller, who may stop it.

A small custom loop around one compiled `tf.function` step: Keras' `fit` spends more time on
its own machinery than on these tiny models (measured: 15 s for the course's 100 epochs, against
about 2 s here). Windows are split into equal batches of at most `batch_size`, so the step is
traced once. The course family trains on its windows drawn once, for every epoch, as taught; the
studio family draws fresh windows from the whole training block every epoch, stops when the
validation loss has not improved for `patience` epochs and returns its best epoch. TensorFlow is
imported here only, and only when `train` is called.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from jazz_core import model as course_model
from jazz_core import studio
from jazz_core.dataset import Dataset
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
    weights: Callable[[], object | None] = field(default=lambda: None, repr=False, compare=False)


@dataclass(frozen=True)
class TrainedModel:
    weights: object  # LstmWeights (course) or StudioWeights (studio)
    history: tuple[EpochReport, ...]
    stopped: bool  # True when the caller asked to stop before the last epoch
    kept: int = 0  # the epoch whose weights these are


def kept_epoch(history: Sequence[EpochReport], keep_best: bool) -> int | None:
    """The epoch whose weights training returns: the first with the lowest validation loss when keeping the best
    (the studio family always does), else the last; None before any epoch."""
    if not history:
        return None
    judged = [r for r in history if r.validation_loss is not None]
    if keep_best and judged:
        return min(judged, key=lambda r: (r.validation_loss, r.epoch)).epoch
    return history[-1].epoch


def early_stop_epoch(history: Sequence[EpochReport], patience: int) -> int | None:
    """The epoch at which early stopping ends a run (studio family, validated) if the validation loss does not
    improve again: `patience` epochs after the best so far; None before a validated epoch."""
    best = kept_epoch(history, keep_best=True)
    return best + patience if best is not None and history[-1].validation_loss is not None else None


def _import_tensorflow():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf

    tf.config.experimental.enable_op_determinism()
    return tf


def _batches(count: int, batch_size: int) -> int:
    return max(1, -(-count // batch_size))


class _Course:
    """The course's model on one-hot windows drawn once, softmax cross-entropy.

    Windows are kept as indices and made one-hot a batch at a time (START, one past the last
    value, becomes the zero vector), so a big vocabulary does not fill the memory.
    """

    def __init__(self, tf, dataset: Dataset, settings: ModelSettings) -> None:
        self.size = len(dataset.vocabulary)
        self.model = course_model.build_keras_model(self.size, settings.hidden_units)
        self.train_data = self._arrays(tf, dataset, dataset.starts)
        self.validation = self._arrays(tf, dataset, dataset.validation_starts)

    @staticmethod
    def _arrays(tf, dataset: Dataset, starts: np.ndarray) -> list:
        rows = dataset.rows(starts)
        return [tf.constant(dataset.tokens[rows].astype(np.int32)), tf.constant(dataset.targets[rows].astype(np.int32))]

    def epoch_data(self, tf, rng):
        return self.train_data

    def inputs(self, tf, inputs):
        return tf.one_hot(inputs[0], self.size)

    def loss(self, keras, targets, predicted):
        return keras.losses.sparse_categorical_crossentropy(targets, predicted), targets

    def weights(self):
        return course_model.weights_from_keras(self.model)


class _Studio:
    """The studio model on fresh windows of factored values and step features each epoch, logits over values."""

    def __init__(self, tf, dataset: Dataset, settings: ModelSettings) -> None:
        self.dataset = dataset
        self.model = studio.build_keras_model(dataset.vocabulary, settings.hidden_units, settings.embedding_size,
                                              settings.dropout)
        self.validation = [tf.constant(a) for a in self._arrays(dataset.validation_starts)]

    def _arrays(self, starts: np.ndarray) -> list[np.ndarray]:
        rows = self.dataset.rows(starts)
        data = self.dataset
        return [*studio.keras_inputs(data.vocabulary, data.tokens[rows], data.features[rows]),
                data.targets[rows].astype(np.int32)]

    def epoch_data(self, tf, rng):
        positions = self.dataset.positions
        return [tf.constant(a) for a in self._arrays(positions[rng.integers(0, len(positions),
                                                                             len(self.dataset.starts))])]

    def inputs(self, tf, inputs):
        return inputs

    def loss(self, keras, targets, predicted):
        return keras.losses.sparse_categorical_crossentropy(targets, predicted, from_logits=True), targets

    def weights(self):
        return studio.weights_from_keras(self.model, self.dataset.vocabulary)


def train(dataset: Dataset, model_settings: ModelSettings = ModelSettings(),
          settings: TrainSettings = TrainSettings(),
          on_epoch: Callable[[EpochReport], None] | None = None,
          should_stop: Callable[[], bool] | None = None) -> TrainedModel:
    """Fit the model family of `model_settings` (Adam) and return its weights, history and kept epoch."""
    tf = _import_tensorflow()
    import keras

    keras.utils.set_random_seed(settings.seed)
    recipe = (_Studio if model_settings.family == "studio" else _Course)(tf, dataset, model_settings)
    model = recipe.model
    optimizer = keras.optimizers.Adam(settings.learning_rate)
    optimizer.build(model.trainable_variables)
    variables = model.trainable_variables

    def scored(data, training):
        *inputs, targets = data
        predicted = model(recipe.inputs(tf, inputs), training=training)
        losses, answers = recipe.loss(keras, targets, predicted)
        hits = tf.equal(tf.cast(answers, tf.int64), tf.argmax(predicted, axis=-1))
        return tf.reduce_mean(losses), tf.reduce_mean(tf.cast(hits, tf.float32))

    @tf.function(reduce_retracing=True)
    def train_step(*data):
        with tf.GradientTape() as tape:
            loss, accuracy = scored(data, True)
        optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables, strict=True))
        return loss, accuracy

    @tf.function(reduce_retracing=True)
    def evaluate(*data):
        return scored(data, False)

    loop = _Loop(settings, model_settings.family == "studio", dataset.validation_starts.size > 0)
    rng = np.random.default_rng(settings.seed)
    started = time.perf_counter()
    for epoch in range(1, settings.epochs + 1):
        data = recipe.epoch_data(tf, rng)
        loss, accuracy = _one_epoch(train_step, data, settings.batch_size, rng)
        val_loss = val_accuracy = None
        if loop.validated:
            val_loss, val_accuracy = (float(v) for v in evaluate(*recipe.validation))
        report = EpochReport(epoch, settings.epochs, loss, accuracy, val_loss, val_accuracy,
                             time.perf_counter() - started, recipe.weights)
        loop.record(report, recipe.weights)
        if on_epoch:
            on_epoch(report)
        if epoch < settings.epochs and (loop.patience_over() or (should_stop and should_stop())):
            loop.stopped = not loop.patience_over()
            break
    return loop.result(recipe.weights())


def _one_epoch(train_step, data, batch_size: int, rng: np.random.Generator) -> tuple[float, float]:
    """One pass over the windows in shuffled batches: (mean loss, mean accuracy)."""
    import tensorflow as tf

    count = int(data[0].shape[0])
    losses = accuracies = 0.0
    for part in np.array_split(rng.permutation(count), _batches(count, batch_size)):
        loss, accuracy = train_step(*(tf.gather(a, part) for a in data))
        losses += float(loss) * len(part)
        accuracies += float(accuracy) * len(part)
    return losses / count, accuracies / count


class _Loop:
    """The bookkeeping of one training run: history, the best epoch's weights, patience."""

    def __init__(self, settings: TrainSettings, studio_family: bool, validated: bool) -> None:
        self.keep_best = (settings.keep_best or studio_family) and validated
        self.patience = settings.patience if studio_family and validated else None
        self.validated = validated
        self.history: list[EpochReport] = []
        self.best: tuple[float, int, object] | None = None
        self.stopped = False

    def record(self, report: EpochReport, weights: Callable[[], object]) -> None:
        self.history.append(report)
        if self.keep_best and (self.best is None or report.validation_loss < self.best[0]):
            self.best = (report.validation_loss, report.epoch, weights())

    def patience_over(self) -> bool:
        return self.patience is not None and self.best is not None and \
            self.history[-1].epoch - self.best[1] >= self.patience

    def result(self, last_weights: object) -> TrainedModel:
        if self.best is not None:
            return TrainedModel(self.best[2], tuple(self.history), self.stopped, self.best[1])
        return TrainedModel(last_weights, tuple(self.history), self.stopped, self.history[-1].epoch)
