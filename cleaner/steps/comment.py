"""comment: comment prompts, forms and counters, and the reader comments under them."""
from __future__ import annotations

from .base import Context, PatternStep

#: A comment section opens in the last part of a page; a heading that looks
#: like one earlier is more likely an article's own section title.
SECTION_AFTER = 0.4


class Comment(PatternStep):
    name = "comment"

    def extend(self, ctx: Context) -> None:
        total = sum(len(ln.text) for ln in ctx.lines) or 1
        seen = 0
        opened: str | None = None
        for i, line in enumerate(ctx.lines):
            rule = ctx.hits[i]
            if opened is None:
                seen += len(line.text)
                if (ctx.labels[i] == self.name and rule is not None and rule.opens_section
                        and (seen - len(line.text)) / total >= SECTION_AFTER):
                    opened = rule.id
                continue
            if ctx.kept(i):
                ctx.mark(i, self.name, self.name, "pos.comment.under-comment-heading")
