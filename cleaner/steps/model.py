"""model: the learned labeller decides the lines the rules left kept.

It runs after the other removal steps (and before join), over the kept lines
only, and takes a line out only when its probability of being boilerplate
passes the threshold; never a paragraph of running text. Its removals
change the neighbours of the lines left, as a second cleaning would see
them, so it scores the lines again until it removes nothing more: the
output is then what it would decide about the output.
"""
from __future__ import annotations

from ..document import KEEP
from ..model.features import line_features
from ..model.scorer import Scorer
from ..model.stoplists import stoplist
from .base import Context, Step, is_body
from .teaser import HEADLINE_MAX_WORDS

#: Rounds of scoring at most; each removes lines or ends the loop.
ROUNDS = 6
#: A removed line in a run of this many short lines or more, with a few
#: words of its own, is a headline of a list: a teaser.
HEADLINE_RUN = 3
HEADLINE_MIN_WORDS = 4


def model_inputs(ctx: Context) -> tuple[list[int], list[list[float]], list[bool]]:
    """The kept lines, their feature vectors and which of them are running text (never removed)."""
    labels, lines = ctx.labels, ctx.lines
    kept = [i for i, label in enumerate(labels) if label == KEEP]
    opened = next((i for i, label in enumerate(labels) if label == "comment"), len(lines))
    zones = [ctx.zone(i) if ctx.has_body else "body" for i in kept]
    seq = [lines[i] for i in kept]
    vectors = line_features(seq, zones, [i > opened for i in kept], stoplist(ctx.lang))
    return kept, vectors, [is_body(ln) for ln in seq]


class Model(Step):
    name = "model"

    def __init__(self, scorer: Scorer, threshold: float | None = None):
        self.scorer = scorer
        self.threshold = scorer.threshold if threshold is None else threshold

    def apply_edges(self, ctx: Context) -> None:
        for _ in range(ROUNDS):
            kept, vectors, fixed = model_inputs(ctx)
            if all(fixed):
                return
            probs, inputs = self.scorer.probabilities(vectors, fixed)
            hits = [k for k, p in enumerate(probs) if p >= self.threshold]
            if not hits:
                return
            for k in hits:
                i = kept[k]
                label = self._label(ctx, kept, k, vectors[k])
                ctx.mark(i, label, self.name, f"model.{label}")
                ctx.scores[i] = (probs[k], self.scorer.reasons(inputs[k]))

    @staticmethod
    def _label(ctx: Context, kept: list[int], k: int, vector: list[float]) -> str:
        """Where the line sits: in a comment thread, in a list of headlines, else site furniture."""
        from ..model.features import OWN
        if vector[OWN.index("thread")]:
            return "comment"
        line = ctx.lines[kept[k]]
        run = 1
        for step in (-1, 1):
            j = k + step
            while 0 <= j < len(kept) and _headline(ctx.lines[kept[j]]):
                run += 1
                j += step
        if _headline(line) and run >= HEADLINE_RUN:
            return "teaser"
        return "chrome"


def _headline(line) -> bool:
    return line.has_words(HEADLINE_MIN_WORDS) and not line.has_words(HEADLINE_MAX_WORDS + 1) and not is_body(line)
