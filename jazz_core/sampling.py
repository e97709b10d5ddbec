"""Sampling: run the trained LSTM one value at a time, in NumPy, carrying its state all the way.

The course restarted every measure from zero state with argmax, so every measure played the
same phrase; here the state flows on from value to value, so the solo goes somewhere.
Temperature 0 is the course's argmax; 1 samples the model's own probabilities; higher is freer.
"""

from __future__ import annotations

import numpy as np

from jazz_core.model import LstmWeights


def next_index(scores: np.ndarray, temperature: float, rng: np.random.Generator) -> int:
    """Pick the next value from the softmax scores (logits) at a temperature."""
    if temperature <= 0:
        return int(np.argmax(scores))
    scaled = (scores - scores.max()) / temperature
    weights = np.exp(scaled)
    cumulative = np.cumsum(weights)
    return int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))


def sample_indices(weights: LstmWeights, count: int, temperature: float = 0.7, seed: int = 1,
                   restart_every: int | None = None, primer: list[int] | None = None) -> list[int]:
    """`count` value indices from the model; `restart_every` mimics the course (zero state each measure).

    `primer` indices are fed first (their outputs are not kept), to carry the state in from a
    bar before, e.g. when re-rolling one bar of a take.
    """
    rng = np.random.default_rng(seed)
    hidden, cell = weights.start_state()
    current: int | None = None
    for index in primer or []:
        _, hidden, cell = weights.step(current, hidden, cell)
        current = index
    chosen: list[int] = []
    for step in range(count):
        if restart_every and step % restart_every == 0:
            hidden, cell = weights.start_state()
            current = None
        scores, hidden, cell = weights.step(current, hidden, cell)
        current = next_index(scores, temperature, rng)
        chosen.append(current)
    return chosen
