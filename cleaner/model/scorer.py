"""The two-stage scorer: a logistic model of each line, then one that also sees its neighbours' scores.

The second stage is the neighbour smoothing: a short line among lines the
first stage finds boilerplate is more likely boilerplate too, one among
article lines less. Weights are plain lists of floats read from JSON.
"""
from __future__ import annotations

import json
from functools import lru_cache
from math import exp
from operator import mul
from pathlib import Path

from .features import NAMES

WEIGHTS = Path(__file__).resolve().parent / "weights.json"
#: What the second stage adds to the features: the first stage's score of
#: the line, of its neighbours two on each side, and the highest among them.
STAGE2 = ("p1", "prev2.p1", "prev1.p1", "next1.p1", "next2.p1", "max_near.p1")
STAGE2_NAMES = (*NAMES, *STAGE2)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + exp(-z))
    e = exp(z)
    return e / (1.0 + e)


class Scorer:
    """Probabilities that lines are boilerplate, from the weights of both stages."""

    def __init__(self, data: dict):
        if tuple(data["features"]) != NAMES:
            raise ValueError("the model weights were trained on other features: run bench/train.py again")
        self.data = data
        self.w1, self.b1 = data["stage1"]["coef"], data["stage1"]["intercept"]
        self.w2, self.b2 = data["stage2"]["coef"], data["stage2"]["intercept"]
        self.means = data["stage2"].get("means") or [0.0] * len(self.w2)
        self.threshold = float(data["threshold"])

    @classmethod
    def from_file(cls, path: Path = WEIGHTS) -> "Scorer":
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def first(self, vectors: list[list[float] | None], fixed: list[bool]) -> list[float]:
        """Stage one; lines `fixed` (running text, never removed) score 0."""
        w, b = self.w1, self.b1
        return [0.0 if f else _sigmoid(b + sum(map(mul, v, w))) for v, f in zip(vectors, fixed)]

    def second_input(self, vector: list[float], p1: list[float], i: int) -> list[float]:
        """What stage two reads of line `i`: its features, then the first stage's scores around it."""
        n = len(p1)
        near = [p1[j] if 0 <= j < n else 0.0 for j in (i - 2, i - 1, i + 1, i + 2)]
        return [*vector, p1[i], *near, max(near)]

    def probabilities(self, vectors: list[list[float] | None], fixed: list[bool]) -> tuple[list[float], list[float]]:
        """Stage two's probability for each line (0 for `fixed` ones), and stage one's (for `second_input`)."""
        p1 = self.first(vectors, fixed)
        n = len(p1)
        w, b = self.w2, self.b2
        # Stage two's dot product in the order of its inputs, without building them (`second_input`).
        w_own, (w_p, w_m2, w_m1, w_n1, w_n2, w_max) = w[:len(NAMES)], w[len(NAMES):]
        out = []
        for i, (v, f) in enumerate(zip(vectors, fixed)):
            if f:
                out.append(0.0)
                continue
            m2 = p1[i - 2] if i >= 2 else 0.0
            m1 = p1[i - 1] if i >= 1 else 0.0
            n1 = p1[i + 1] if i + 1 < n else 0.0
            n2 = p1[i + 2] if i + 2 < n else 0.0
            z = sum(map(mul, v, w_own))
            z += p1[i] * w_p
            z += m2 * w_m2
            z += m1 * w_m1
            z += n1 * w_n1
            z += n2 * w_n2
            z += max(m2, m1, n1, n2) * w_max
            out.append(_sigmoid(b + z))
        return out, p1

    def reasons(self, inputs: list[float], top: int = 3) -> tuple[tuple[str, float], ...]:
        """The features that weighed most towards removal: weight times the distance from the training mean."""
        parts = [(name, c * (x - m)) for name, x, c, m in zip(STAGE2_NAMES, inputs, self.w2, self.means)]
        parts.sort(key=lambda t: -t[1])
        return tuple((name, round(v, 3)) for name, v in parts[:top] if v > 0)


@lru_cache(maxsize=1)
def shipped() -> Scorer | None:
    """The weights in the wheel, or None when the file is missing."""
    return Scorer.from_file() if WEIGHTS.is_file() else None
