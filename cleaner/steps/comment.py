"""comment: comment prompts, forms and counters, and the reader comments under them."""
from __future__ import annotations

from ..document import KEEP
from .base import Context, PatternStep

#: A comment heading opens the comment section only below this much kept
#: text: at the top of a page it is more likely a title or a sidebar. A share
#: of the page would not do, since a long thread puts its heading early.
WORDS_BEFORE_SECTION = 50


class Comment(PatternStep):
    name = "comment"

    def extend(self, ctx: Context) -> None:
        headings = [i for i in ctx.matched if ctx.labels[i] == self.name and ctx.hits[i].opens_section]
        if not headings:
            return
        words = 0
        labels, lines = ctx.labels, ctx.lines
        is_heading = set(headings)
        for i in range(headings[-1] + 1):
            if words >= WORDS_BEFORE_SECTION and i in is_heading:
                for j in range(i + 1, len(lines)):
                    if labels[j] == KEEP:
                        ctx.mark(j, self.name, self.name, "pos.comment.under-comment-heading")
                return
            if words < WORDS_BEFORE_SECTION and labels[i] == KEEP:  # past the mark, the count is moot
                words += lines[i].words
