"""duplicate: a paragraph that repeats an earlier one word for word.

Articles repeat short things on purpose (list items, subheads, a chorus), so
only paragraphs long enough to be prose count, and a line that comes three
times or more is taken for a refrain and kept.
"""
from __future__ import annotations

from collections import Counter

from .base import Context, Step

MIN_CHARS = 60
REFRAIN = 3


class Duplicate(Step):
    name = "duplicate"

    def apply(self, ctx: Context) -> None:
        counts = Counter(ln.stripped for ln in ctx.lines)
        seen: set[str] = set()
        for i, line in enumerate(ctx.lines):
            key = line.stripped
            if key in seen and ctx.kept(i) and len(key) >= MIN_CHARS and counts[key] < REFRAIN:
                ctx.mark(i, self.name, self.name, "pos.duplicate.repeated-paragraph")
            seen.add(key)
