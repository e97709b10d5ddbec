"""The course's Keras models, as the assignment builds them, ported to Keras 3: the reference to beat.

Only the benchmarks use these. Training (`djmodel`): a Python loop over Tx steps, each slicing
X with a Lambda layer, reshaping, calling one shared `LSTM(n_a, return_state=True)` with the
previous state and one shared softmax `Dense`; Tx outputs. Inference (`music_inference_model`):
a loop of Ty steps feeding the argmax back as a one-hot (a Lambda here, since Keras 3 refuses
raw TensorFlow calls on symbolic tensors). One fix: each Lambda binds its own step (`t=t`);
the course's `lambda z: z[:, t, :]` would read the loop variable late, so every slice would be
the last step once Keras 3 runs the graph again.
"""

from __future__ import annotations


def djmodel(tx: int, n_values: int, n_a: int):
    """The course's training model: inputs [X, a0, c0], a list of Tx softmax outputs; also its shared cell and Dense."""
    import keras
    from keras import layers

    reshaper = layers.Reshape((1, n_values))
    lstm_cell = layers.LSTM(n_a, return_state=True)
    densor = layers.Dense(n_values, activation="softmax")
    x_in = keras.Input(shape=(tx, n_values))
    a0 = keras.Input(shape=(n_a,), name="a0")
    c0 = keras.Input(shape=(n_a,), name="c0")
    a, c, outputs = a0, c0, []
    for t in range(tx):
        x = layers.Lambda(lambda z, t=t: z[:, t, :])(x_in)
        x = reshaper(x)
        a, _, c = lstm_cell(x, initial_state=[a, c])
        outputs.append(densor(a))
    return keras.Model(inputs=[x_in, a0, c0], outputs=outputs), lstm_cell, densor


def music_inference_model(lstm_cell, densor, ty: int):
    """The course's sampling model: x0, a0, c0 in; Ty softmax outputs, each step's argmax fed to the next."""
    import keras
    from keras import layers, ops

    n_values, n_a = densor.units, lstm_cell.units
    x0 = keras.Input(shape=(1, n_values))
    a0 = keras.Input(shape=(n_a,), name="a0")
    c0 = keras.Input(shape=(n_a,), name="c0")
    one_hot_of_argmax = layers.Lambda(lambda z: ops.one_hot(ops.argmax(z, axis=-1), n_values))
    repeat = layers.RepeatVector(1)
    a, c, x, outputs = a0, c0, x0, []
    for _ in range(ty):
        a, _, c = lstm_cell(x, initial_state=[a, c])
        out = densor(a)
        outputs.append(out)
        x = repeat(one_hot_of_argmax(out))
    return keras.Model(inputs=[x0, a0, c0], outputs=outputs)


def fused_model(tx: int, n_values: int, n_a: int):
    """The middle reference: one fused `LSTM(return_sequences=True)` and a softmax Dense at every step."""
    import keras
    from keras import layers

    x_in = keras.Input(shape=(tx, n_values))
    states = layers.LSTM(n_a, return_sequences=True)(x_in)
    return keras.Model(x_in, layers.Dense(n_values, activation="softmax")(states))
