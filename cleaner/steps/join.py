"""join: a line broken in the middle of a sentence is glued to the next one.

Two kinds: a line that a rule says cannot end there (a dateline's dash), and
a line without a sentence-final mark followed by one that starts in lower
case. Lists and verse have short unfinished lines in a row, so a line is only
joined when the line before it ends a sentence or is itself long.
"""
from __future__ import annotations

import regex

from ..document import JOIN
from .base import Context, Step

_LOWER_START = regex.compile(r"^\p{Ll}")
_BREAK = regex.compile(r"\r\n|\n|\r")
MIN_WORDS = 3
LONG_WORDS = 12


class Join(Step):
    name = "join"

    def apply(self, ctx: Context) -> None:
        for i, line in enumerate(ctx.lines):
            if not ctx.kept(i):
                continue
            j = ctx.next_kept(i)
            if j is None or not _single_breaks(ctx, i, j):
                continue
            rule = ctx.hits[i]
            if rule is not None and rule.step == self.name:
                ctx.mark(i, JOIN, self.name, rule.id)
            elif _continues(ctx, i, j):
                ctx.mark(i, JOIN, self.name, "pos.join.lowercase-continuation")


def _single_breaks(ctx: Context, i: int, j: int) -> bool:
    """No blank line between the two: a blank line is a paragraph end, not a break."""
    return all(len(_BREAK.findall(ctx.lines[k].gap)) == 1 for k in range(i, j))


def _continues(ctx: Context, i: int, j: int) -> bool:
    line, nxt = ctx.lines[i], ctx.lines[j]
    if line.terminal or line.words < MIN_WORDS or nxt.words < MIN_WORDS:
        return False
    if line.text != line.text.rstrip() or not _LOWER_START.match(nxt.text):
        return False
    p = i - 1
    while p >= 0 and ctx.labels[p] not in ("keep", JOIN):
        p -= 1
    if p < 0:
        return True
    before = ctx.lines[p]
    return before.terminal or before.words >= LONG_WORDS
