"""model: the learned labeller decides the lines the rules left kept.

It runs after the other removal steps and before join, and takes a line out
only when its probability of being boilerplate passes the threshold; never
a paragraph of running text, nor a line between two of them (it decides the
head and the tail of a page, around the article). It sees the document as a
second cleaning would: only the kept lines, glued as join will glue them. Its removals
change the neighbours of the lines left, so it scores them again until it
removes nothing more: the output is then what it decides about the output.
"""
from __future__ import annotations

from ..document import KEEP, Line
from ..render import paragraph_lines, paragraph_view
from ..model.features import line_features
from ..model.scorer import Scorer, shipped
from ..model.stoplists import stoplist
from .base import Context, Step, is_body
from .join import Join
from .menus import page_lists
from .teaser import HEADLINE_MAX_WORDS

#: A paragraph this long is text whatever its last mark: the model leaves it.
TEXT_WORDS = 30
#: A removed line in a run of this many headline-like lines or more is a
#: link of a list of headlines: a teaser.
HEADLINE_RUN = 3
HEADLINE_MIN_WORDS = 4


def paragraphs(ctx: Context) -> tuple[list[list[int]], list[Line]]:
    """The output's paragraphs as join would glue the kept lines now: the line indexes of each, and
    each as the one line a second cleaning reads."""
    scratch = ctx.fork()
    Join().apply_edges(scratch)
    groups = paragraph_lines(scratch.labels)
    return groups, paragraph_view(ctx.lines, groups)


def model_inputs(ctx: Context, vocab: dict | None = None) -> tuple[list[list[int]], list[list[float]], list[bool]]:
    """The paragraphs, their feature vectors and which of them the model leaves (running text, and every
    line between the first and the last paragraph of it).

    `vocab`: the body's vocabulary cached across the rounds of one document."""
    groups, view = paragraphs(ctx)
    text = [is_body(line) for line in view]
    body = [k for k, t in enumerate(text) if t]
    first, last = (body[0], body[-1]) if body else (0, len(view) - 1)
    zones = ["head" if k < first else "tail" if k > last else "body" for k in range(len(view))]
    # Between the first and the last paragraph of running text the model leaves every line: there
    # the shipped weights of 2026-12-05 removed 23 devset lines, all content, and no boilerplate,
    # and those lines are three quarters of the ones it would score.
    fixed = [t or zone == "body" or line.has_words(TEXT_WORDS) for t, zone, line in zip(text, zones, view)]
    # Nor a run of short lines at the head that the menu rules judged the page's own list, naming no
    # section of a site: made-up pages showed the model taking a squad above its match report.
    lists = page_lists(ctx)
    if lists:
        fixed = [f or not lists.isdisjoint(group) for f, group in zip(fixed, groups)]
    return groups, line_features(view, zones, stoplist(ctx.lang), fixed, vocab), fixed


class Model(Step):
    name = "model"

    def __init__(self, scorer: Scorer | None = None, threshold: float | None = None):
        self.scorer = scorer or shipped()
        self.threshold = self.scorer.threshold if threshold is None else threshold

    def apply_edges(self, ctx: Context) -> None:
        labels = ctx.labels
        if all(labels[i] != KEEP or is_body(line) or line.has_words(TEXT_WORDS) for i, line in enumerate(ctx.lines)):
            return  # the usual case of a clean page: nothing left for the model to decide
        if not any(labels[i] == KEEP and is_body(line) for i, line in enumerate(ctx.lines)):
            return  # without running text (a product page, a list) short lines are what the page holds
        # No cap on the rounds: each removes a line or ends the loop, and one
        # stopped early leaves lines it would remove from its own output (a
        # menu that loses its first line each round, "first" being a feature).
        vocab: dict = {}
        while True:
            groups, vectors, fixed = model_inputs(ctx, vocab)
            probs, p1 = self.scorer.probabilities(vectors, fixed)
            hits = [k for k, p in enumerate(probs) if p >= self.threshold]
            marked = False
            for k in hits:
                label = self._label(ctx, groups, k)
                score = (probs[k], self.scorer.reasons(self.scorer.second_input(vectors[k], p1, k)))
                for i in groups[k]:
                    if labels[i] == KEEP:
                        ctx.mark(i, label, self.name, f"model.{label}")
                        ctx.scores[i] = score
                        marked = True
            # Join's view can hold a paragraph none of whose lines is kept now (join
            # restores a line the rules took out): scoring it again would loop for ever.
            if not marked:
                return

    @staticmethod
    def _label(ctx: Context, groups: list[list[int]], k: int) -> str:
        """Where the line sits: under a comment heading, in a list of headlines, else site furniture."""
        if "comment" in ctx.labels[:groups[k][0]]:
            return "comment"
        lines = ctx.lines
        run = 1
        for step in (-1, 1):
            j = k + step
            while 0 <= j < len(groups) and all(_headline(lines[i]) for i in groups[j]):
                run += 1
                j += step
        if all(_headline(lines[i]) for i in groups[k]) and run >= HEADLINE_RUN:
            return "teaser"
        return "chrome"


def _headline(line: Line) -> bool:
    return line.has_words(HEADLINE_MIN_WORDS) and not line.has_words(HEADLINE_MAX_WORDS + 1) and not is_body(line)
