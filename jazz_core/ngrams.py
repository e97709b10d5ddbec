"""N-gram baselines over values: an additive unigram and interpolated Kneser-Ney bigram and trigram.

A fair baseline is what makes a held-out loss mean something: the add-one bigram the app used
before is almost a nat worse than Kneser-Ney on big vocabularies. Sequences are the pieces'
values with START before each piece, so a piece's first value is predicted from "the piece
begins". Each model's one parameter (additive k, or the discount) is chosen on the validation
block by `tuned`, never on the block that is reported.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence

import numpy as np

DISCOUNTS = (0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)
ADDITIVE = (0.01, 0.03, 0.1, 0.3, 1.0)


class NgramModel:
    """Interpolated Kneser-Ney of `order` (1: an additive unigram) over `size` values (indices 0..size-1)."""

    def __init__(self, sequences: Sequence[Sequence[int]], size: int, order: int, parameter: float) -> None:
        self.size, self.order, self.parameter = size, order, parameter
        self.unigrams = Counter(v for s in sequences for v in s[1:])
        self.total = sum(self.unigrams.values())
        # counts[k][context] = Counter of next values, for contexts of k values (k = order - 1 holds raw counts,
        # lower orders continuation counts: how many distinct values came before)
        self.counts: list[dict[tuple[int, ...], Counter]] = [defaultdict(Counter) for _ in range(order)]
        grams = {tuple(s[i - k:i + 1]) for s in sequences for k in range(1, order) for i in range(k, len(s))}
        for s in sequences:
            for i in range(order - 1, len(s)):
                self.counts[order - 1][tuple(s[i - order + 1:i])][s[i]] += 1
        for gram in grams:  # each distinct (x, context, value) adds one to the continuation count of (context, value)
            if len(gram) <= order:
                self.counts[len(gram) - 2][gram[1:-1]][gram[-1]] += 1
        self.continuation_total = sum(self.counts[0][()].values()) if order > 1 else 0

    def _base(self, value: int) -> float:
        if self.order == 1:
            return (self.unigrams[value] + self.parameter) / (self.total + self.parameter * self.size)
        found = self.counts[0][()]
        d = self.parameter
        return (max(found[value] - d, 0) + d * len(found) / self.size) / self.continuation_total

    def probability(self, context: Sequence[int], value: int) -> float:
        """P(value | the last order-1 values of context)."""
        p = self._base(value)
        for k in range(1, self.order):
            if len(context) < k:
                break
            following = self.counts[k].get(tuple(context[-k:]))
            if not following:
                break
            total = sum(following.values())
            d = self.parameter
            p = (max(following[value] - d, 0) + d * len(following) * p) / total
        return p

    def losses(self, contexts: Sequence[Sequence[int]], targets: Sequence[int]) -> np.ndarray:
        """Cross-entropy (nats) of each target after its context."""
        return np.array([-math.log(self.probability(c, t)) for c, t in zip(contexts, targets, strict=True)])


def tuned(sequences: Sequence[Sequence[int]], size: int, order: int, contexts: Sequence[Sequence[int]],
          targets: Sequence[int]) -> NgramModel:
    """The model of `order` whose parameter gives the lowest loss on the validation contexts and targets."""
    grid = ADDITIVE if order == 1 else DISCOUNTS
    models = [NgramModel(sequences, size, order, p) for p in grid]
    if not len(targets):
        return models[len(grid) // 2]
    return min(models, key=lambda m: float(m.losses(contexts, targets).mean()))
