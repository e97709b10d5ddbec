"""Sampling: run the trained LSTM one value at a time, in NumPy, carrying its state all the way.

The course restarted every measure from zero state with argmax, so every measure played the
same phrase; here the state flows on from value to value, so the solo goes somewhere.
Temperature 0 is the course's argmax; 1 samples the model's own probabilities; higher is freer.

Sampling uses the Gumbel-max trick (argmax of scores/T plus Gumbel noise is a draw from
softmax(scores/T)), with the noise drawn in blocks, and the gate and temperature scalings folded
into the weights once, so a step is a dozen small NumPy calls (timings: docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice

import numpy as np

from jazz_core.model import LstmWeights, gate_scale

NOISE_BLOCK = 256  # Gumbel noise drawn this many steps at a time


def sample_stream(weights: LstmWeights, temperature: float = 0.7, seed: int = 1,
                  primer: Sequence[int] = (), restart_every: int | None = None) -> Iterator[int]:
    """Value indices from the model, one at a time, for as long as the caller wants.

    `primer` indices are fed first (their outputs are not kept) to carry the state in from
    earlier values, e.g. when re-rolling one bar of a take. `restart_every` mimics the course:
    zero state every that many values.
    """
    h = weights.hidden_units
    scale = gate_scale(h)
    recurrent = weights.recurrent_kernel * scale
    inputs = (weights.kernel + weights.bias) * scale
    zero_input = weights.bias * scale
    divisor = temperature if temperature > 0 else 1.0
    dense, dense_bias = weights.dense_kernel / divisor, weights.dense_bias / divisor
    rng = np.random.default_rng(seed)
    n = weights.vocabulary_size
    noise = np.zeros((NOISE_BLOCK, n))

    hidden, cell = weights.start_state()
    current: int | None = None
    step = -len(primer)
    while True:
        if restart_every and step >= 0 and step % restart_every == 0:
            hidden, cell = weights.start_state()
            current = None
        squashed = np.tanh(hidden @ recurrent + (zero_input if current is None else inputs[current]))
        gates = 0.5 + 0.5 * squashed
        cell = gates[h: 2 * h] * cell + gates[:h] * squashed[2 * h: 3 * h]
        hidden = gates[3 * h:] * np.tanh(cell)
        if step < 0:
            current = primer[step + len(primer)]
        else:
            if temperature > 0 and step % NOISE_BLOCK == 0:
                noise = rng.gumbel(size=(NOISE_BLOCK, n))
            current = int(np.argmax(hidden @ dense + dense_bias + noise[step % NOISE_BLOCK]))
            yield current
        step += 1


def sample_indices(weights: LstmWeights, count: int, temperature: float = 0.7, seed: int = 1,
                   restart_every: int | None = None, primer: Sequence[int] = ()) -> list[int]:
    """Exactly `count` value indices, the LSTM state carried from each value to the next."""
    return list(islice(sample_stream(weights, temperature, seed, primer, restart_every), count))
