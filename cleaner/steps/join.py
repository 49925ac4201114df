"""join: a line broken in the middle of a sentence is glued to the next one.

Two kinds: a line that a rule says cannot end there (a dateline's dash), and
a line without a sentence-final mark followed by one that starts in lower
case. Lists and verse have short unfinished lines in a row, so a line is only
joined when the line before it ends a sentence or is itself long.
"""
from __future__ import annotations

import regex

from ..document import BREAKS, JOIN, KEEP
from .base import Context, Step
from .duplicate import drop_repeated_joins

_LOWER_START = regex.compile(r"^\p{Ll}")
# A broken sentence stops on a word, a number or a comma; a line ending in a
# bracket, a symbol or a dash-less fragment is a label or a list item.
_OPEN_END = regex.compile(r"[\p{L}\p{N},]$")
# Lines that start like a signature or a link, not like the rest of a sentence.
_NOT_CONTINUATION = regex.compile(r"^(?:by|from the|posted|on|via|more)\b")
MIN_WORDS = 3
LONG_WORDS = 12


class Join(Step):
    name = "join"

    def apply_edges(self, ctx: Context) -> None:
        self._glue(ctx)
        while drop_repeated_joins(ctx):
            self._glue(ctx)

    def _glue(self, ctx: Context) -> None:
        # Gluing a line makes it JOIN, not KEEP, so the pairs of neighbouring
        # kept lines can be listed before any is glued.
        kept = [i for i, label in enumerate(ctx.labels) if label == KEEP]
        lines, hits = ctx.lines, ctx.hits
        for i, j in zip(kept, kept[1:]):
            if not _single_breaks(ctx, i, j):
                continue
            rule = hits[i]
            if rule is not None and rule.step == self.name:
                ctx.mark(i, JOIN, self.name, rule.id)
            elif not lines[i].terminal and _continues(ctx, i, j):
                ctx.mark(i, JOIN, self.name, "pos.join.lowercase-continuation")


def _single_breaks(ctx: Context, i: int, j: int) -> bool:
    """No blank line between the two: a blank line is a paragraph end, not a break."""
    if j == i + 1:  # neighbours, the usual case
        return ctx.lines[i].gap in BREAKS
    return all(ctx.lines[k].gap in BREAKS for k in range(i, j))


def _continues(ctx: Context, i: int, j: int) -> bool:
    """Judge the paragraph that line i ends, as a second cleaning would see it once glued."""
    line, nxt = ctx.lines[i], ctx.lines[j]
    # The tests on the two lines alone first, the most telling first: most
    # lines end a sentence, and most of the others are followed by a capital.
    if line.terminal or not _LOWER_START.match(nxt.text) or line.text[-1].isspace():
        return False
    if not _OPEN_END.match(line.text, len(line.text) - 1) or not nxt.has_words(MIN_WORDS) \
            or _NOT_CONTINUATION.match(nxt.text):
        return False
    start = i
    while (p := _prev_paragraph_line(ctx, start)) is not None and ctx.labels[p] == JOIN:
        start = p
    words = sum(ctx.lines[k].words for k in range(start, i + 1) if ctx.labels[k] in (KEEP, JOIN))
    if words < MIN_WORDS:
        return False
    p = _prev_paragraph_line(ctx, start)
    if p is None:
        return True
    before = ctx.lines[p]
    before_words = before.words
    while (q := _prev_paragraph_line(ctx, p)) is not None and ctx.labels[q] == JOIN:
        before_words += ctx.lines[q].words
        p = q
    return before.terminal or before_words >= LONG_WORDS


def _prev_paragraph_line(ctx: Context, i: int) -> int | None:
    for k in range(i - 1, -1, -1):
        if ctx.labels[k] in (KEEP, JOIN):
            return k
    return None
