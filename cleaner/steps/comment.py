"""comment: comment prompts, forms and counters, and the reader comments under them."""
from __future__ import annotations

from .base import Context, PatternStep

#: A comment heading opens the comment section only below this much kept
#: text: at the top of a page it is more likely a title or a sidebar. A share
#: of the page would not do, since a long thread puts its heading early.
WORDS_BEFORE_SECTION = 50


class Comment(PatternStep):
    name = "comment"

    def extend(self, ctx: Context) -> None:
        words = 0
        opened = False
        for i, line in enumerate(ctx.lines):
            if opened:
                if ctx.kept(i):
                    ctx.mark(i, self.name, self.name, "pos.comment.under-comment-heading")
                continue
            rule = ctx.hits[i]
            if (words >= WORDS_BEFORE_SECTION and ctx.labels[i] == self.name
                    and rule is not None and rule.opens_section):
                opened = True
            elif ctx.kept(i):
                words += line.words
