"""duplicate: a paragraph that repeats an earlier one word for word.

Articles repeat things on purpose (list items, subheads, a chorus, the same
line of code in two examples), so only sentences long enough to be prose
count: not code, not the entries of a list (see shapes.py), and not a
paragraph that comes three times or more, which is taken for a refrain.
"""
from __future__ import annotations

from collections import Counter

from ..document import JOIN, KEEP
from .base import EXAMPLE_BODY, MARK, Context, PositionRule, Step
from .shapes import repeats_on_purpose

MIN_CHARS = 60
REFRAIN = 3

REPEATED = PositionRule(
    "pos.duplicate.repeated-paragraph", "any",
    f"A sentence of {MIN_CHARS}+ characters that repeats an earlier one, unless it comes {REFRAIN} times or more, "
    "or is code or a list entry.",
    examples=((*EXAMPLE_BODY, f"{MARK}{EXAMPLE_BODY[1]}"),),
    # A list the page repeats whole stays, as its entries may repeat on purpose.
    misses=((EXAMPLE_BODY[0], "- a new roof for the changing rooms and a second lane for the swimming club",
             "- heating for the outdoor pool so that it can open from April to October", *EXAMPLE_BODY[1:],
             f"{MARK}- a new roof for the changing rooms and a second lane for the swimming club",
             f"{MARK}- heating for the outdoor pool so that it can open from April to October"),),
)


class Duplicate(Step):
    name = "duplicate"
    position_rules = (REPEATED,)

    def apply(self, ctx: Context) -> None:
        stripped = ctx.doc.stripped
        if len(set(stripped)) == len(stripped):
            return  # no line of the page comes twice, as on most pages
        lines, labels = ctx.lines, ctx.labels
        long = [i for i, line in enumerate(lines) if labels[i] == KEEP and len(line.stripped) >= MIN_CHARS]
        keys = [lines[i].stripped for i in long]
        if len(set(keys)) < len(keys):  # else, as on most pages, nothing repeats
            counts = Counter(keys)
            ctx.repeated = [i for i, key in zip(long, keys) if counts[key] >= REFRAIN]
            drop_repeats(ctx, [[i] for i in long], keys)


def drop_repeats(ctx: Context, paragraphs: list[list[int]], keys: list[str] | None = None,
                 glued_only: bool = False) -> bool:
    """Label every later copy of a paragraph (a list of line indexes) a duplicate.

    With `glued_only`, a copy counts only when it or its first copy is glued
    from several lines: one line repeating another was judged already, and
    join may have kept it on purpose.
    """
    if keys is None:
        keys = [" ".join(ctx.lines[i].stripped for i in para) for para in paragraphs]
    if len(set(keys)) == len(keys):
        return False  # the usual case: nothing repeats
    counts = Counter(keys)
    seen: dict[str, list[int]] = {}  # the first copy of each paragraph met
    dropped = False
    for para, key in zip(paragraphs, keys):
        first = seen.get(key)
        if first is not None and len(key) >= MIN_CHARS and counts[key] < REFRAIN \
                and (not glued_only or len(first) > 1 or len(para) > 1) and not repeats_on_purpose(key):
            for i in para:
                ctx.mark(i, Duplicate.name, Duplicate.name, REPEATED.id)
                if not glued_only:
                    ctx.copy_of[i] = first[-1]
            dropped = True
        seen.setdefault(key, para)
    return dropped


def drop_repeated_joins(ctx: Context) -> bool:
    """Once lines are glued, a glued paragraph may repeat another: drop it too."""
    if JOIN not in ctx.labels:
        return False
    paragraphs: list[list[int]] = []
    current: list[int] = []
    for i, label in enumerate(ctx.labels):
        if label in (KEEP, JOIN):
            current.append(i)
            if label == KEEP:
                paragraphs.append(current)
                current = []
    if not any(len(p) > 1 for p in paragraphs):
        return False
    return drop_repeats(ctx, paragraphs, glued_only=True)
