"""Decisions from position and neighbours, shared by the steps that use them."""
from __future__ import annotations

from ..document import KEEP, REMOVING
from .base import Context, PositionRule

#: A line this short, without a sentence-final mark, reads as a label or a
#: link rather than as text: the only kind a neighbour rule may take.
SHORT_WORDS = 8


def is_short(ctx: Context, i: int) -> bool:
    line = ctx.lines[i]
    return not line.terminal and not line.has_words(SHORT_WORDS + 1)


def sandwiched(ctx: Context, i: int, labels: tuple[str, ...]) -> bool:
    """Both neighbouring lines carry one of `labels` (the end of the text counts as one side).

    A kept line that a rule of one of those steps matched counts too: a
    later step labels it so, and a second cleaning would not see it.
    """
    n = len(ctx.lines)
    before = carries(ctx, i - 1, labels) if i > 0 else False
    after = carries(ctx, i + 1, labels) if i + 1 < n else before
    return before and after


def carries(ctx: Context, k: int, labels: tuple[str, ...]) -> bool:
    """Line k carries one of `labels`, or is kept with a match of a rule of one of those steps (see
    `sandwiched`)."""
    label = ctx.labels[k]
    if label in labels:
        return True
    rule = ctx.hits[k]
    return label == KEEP and rule is not None and rule.step in labels


def absorb_edge_runs(ctx: Context, rule: PositionRule) -> None:
    """In the tail, a short line amid removed lines is more of the same furniture."""
    for i in range(ctx.body_end + 1, len(ctx.lines)):
        if ctx.kept(i) and is_short(ctx, i) and sandwiched(ctx, i, REMOVING):
            ctx.mark(i, rule.step, rule.step, rule.id)
