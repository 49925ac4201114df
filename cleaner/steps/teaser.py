"""teaser: links to other articles, and the buttons that lead there."""
from __future__ import annotations

from .base import Context, PatternStep, is_body
from .neighbours import is_short, sandwiched

#: A list of links is headlines: it ends at the first paragraph of running
#: text, or after this many lines, whichever comes first.
LIST_MAX = 30
HEADLINE_MAX_WORDS = 25


class Teaser(PatternStep):
    name = "teaser"

    def extend(self, ctx: Context) -> None:
        self._lists(ctx)
        # A short headline between two teasers is one more link of the list.
        for i in range(1, len(ctx.lines) - 1):
            if ctx.kept(i) and is_short(ctx, i) and sandwiched(ctx, i, (self.name,)):
                ctx.mark(i, self.name, self.name, "pos.teaser.between-teasers")

    def _lists(self, ctx: Context) -> None:
        for i, rule in enumerate(ctx.hits):
            if rule is None or not rule.opens_section or ctx.steps[i] != self.name:
                continue
            for j in range(i + 1, min(i + 1 + LIST_MAX, len(ctx.lines))):
                line = ctx.lines[j]
                if is_body(line) or line.words > HEADLINE_MAX_WORDS:
                    break
                if ctx.kept(j):
                    ctx.mark(j, self.name, self.name, "pos.teaser.under-list-heading")
