"""comment: comment prompts, forms and counters, and the reader comments under them."""
from __future__ import annotations

from .base import Context, PatternStep, is_body


class Comment(PatternStep):
    name = "comment"

    def extend(self, ctx: Context) -> None:
        # A heading opens the comment section only below some running text:
        # at the top of a page it is more likely a title or a teaser.
        seen_body = False
        opened = False
        for i, line in enumerate(ctx.lines):
            if opened:
                if ctx.kept(i):
                    ctx.mark(i, self.name, self.name, "pos.comment.under-comment-heading")
                continue
            rule = ctx.hits[i]
            if seen_body and ctx.labels[i] == self.name and rule is not None and rule.opens_section:
                opened = True
            seen_body = seen_body or (ctx.kept(i) and is_body(line))
