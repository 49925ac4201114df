"""comment: comment prompts, forms and counters, and the reader comments under them."""
from __future__ import annotations

from ..document import KEEP
from .base import EXAMPLE_BODY, MARK, Context, PatternStep, PositionRule

#: A comment heading opens the comment section only below this much kept
#: text: at the top of a page it is more likely a title or a sidebar. A share
#: of the page would not do, since a long thread puts its heading early.
WORDS_BEFORE_SECTION = 50

UNDER_HEADING = PositionRule(
    "pos.comment.under-comment-heading", "any",
    f"Every kept line under a comment heading that follows at least {WORDS_BEFORE_SECTION} words of text.",
    examples=((*EXAMPLE_BODY, *EXAMPLE_BODY[::-1], "Leave a Reply", f"{MARK}Anna",
               f"{MARK}Good to see the town invest in it at last."),),
    # A thread under a news brief shorter than the mark stays.
    misses=((EXAMPLE_BODY[0], "Leave a Reply", f"{MARK}Anna", f"{MARK}Good to see the town invest in it at last."),),
)


class Comment(PatternStep):
    name = "comment"
    position_rules = (UNDER_HEADING,)

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
                        ctx.mark(j, self.name, self.name, UNDER_HEADING.id)
                return
            if words < WORDS_BEFORE_SECTION and labels[i] == KEEP:  # past the mark, the count is moot
                words += lines[i].words
