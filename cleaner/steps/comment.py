"""comment: comment prompts, forms and counters, and the reader comments under them."""
from __future__ import annotations

import regex

from ..document import KEEP
from .base import EXAMPLE_BODY, MARK, Context, PatternStep, PositionRule, is_body

#: A comment heading opens the comment section only below this much kept
#: text: at the top of a page it is more likely a title or a sidebar. A share
#: of the page would not do, since a long thread puts its heading early.
WORDS_BEFORE_SECTION = 50
#: A counter of none: no thread lies under it (the nought alone, no other digit).
_NONE_COUNTED = regex.compile(r"^[^1-9]*(?<![\d.,])0(?![\d.,])[^1-9]*$")

UNDER_HEADING = PositionRule(
    "pos.comment.under-comment-heading", "any",
    f"Every kept line under a comment heading that follows at least {WORDS_BEFORE_SECTION} words of text, "
    "a paragraph of running text among them (a heading above the article is a kicker or a counter), "
    "unless it counts no comments.",
    examples=((*EXAMPLE_BODY, *EXAMPLE_BODY[::-1], "Leave a Reply", f"{MARK}Anna",
               f"{MARK}Good to see the town invest in it at last."),
              # A heading known only after the last paragraph (common.comment.tail-heading) opens one too.
              (*EXAMPLE_BODY, *EXAMPLE_BODY[::-1], "Responses", f"{MARK}Anna", f"{MARK}Good to see it at last.")),
    # A thread under a news brief shorter than the mark stays, and so does one
    # under a post of short lines alone (a link and a few words about it).
    misses=((EXAMPLE_BODY[0], "Leave a Reply", f"{MARK}Anna", f"{MARK}Good to see the town invest in it at last."),
            ("A few pictures from the harbour festival", "More of them on the photographer's own page",
             "Thanks to everyone who sent theirs in", "{ 2 comments… read them below or add one }",
             f"{MARK}The fireworks over the water were the best I have seen in years, thank you for these.",
             f"{MARK}We were on the ferry that evening and saw it all from the deck, what a night it was.",
             f"{MARK}Lovely pictures, and the one of the tall ship at dusk is my favourite by far.")),
)
#: The rule whose lines are a comment's reply button ("Reply", "[Antworten]", "ReplyDelete").
REPLY_BUTTON = "common.comment.reply-button"
BETWEEN_REPLIES = PositionRule(
    "pos.comment.between-reply-buttons", "any",
    f"Every kept line between the first and the last of two or more reply buttons below at least "
    f"{WORDS_BEFORE_SECTION} words of text, a paragraph of running text among them: a thread without a "
    "heading, each comment closed by its button. Not the comment above the first button, whose start "
    "no line marks; and nothing when a paragraph of running text follows the last one, which then heads "
    "an answer (a letters page), not closes a comment.",
    examples=((*EXAMPLE_BODY, *EXAMPLE_BODY[::-1], "Good to see it at last.", "Reply",
               f"{MARK}Ben", f"{MARK}About time, the old pool was a disgrace.", "Reply",
               f"{MARK}Cara", f"{MARK}Will the lanes stay open in winter?", "[Reply]"),
              # One button closes one comment: nothing lies between buttons, and it stays.
              (*EXAMPLE_BODY, *EXAMPLE_BODY[::-1], "Anna", "Good to see it at last.", "Reply"),
              # A paragraph under the last "button": the lines head answers (a letters page), and all stay.
              (*EXAMPLE_BODY, "Why were the Sunday buses cut?", "Reply",
               "Too few people used them last winter, the operator says.", "Can the night bus stop at the hospital?",
               "Reply", "Yes: from next month the night bus will call at the hospital's main entrance, the operator says.")),
    # Above the first button the comment cannot be told from the article's last lines.
    misses=((*EXAMPLE_BODY, *EXAMPLE_BODY[::-1], f"{MARK}Anna", f"{MARK}Good to see it at last.", "Reply",
             f"{MARK}Ben", f"{MARK}About time.", "Reply"),),
)


class Comment(PatternStep):
    name = "comment"
    position_rules = (UNDER_HEADING, BETWEEN_REPLIES)

    def extend(self, ctx: Context) -> None:
        self._thread(ctx)
        self._between_replies(ctx)

    def _between_replies(self, ctx: Context) -> None:
        """The kept lines between the first and the last reply button, when text comes before them."""
        buttons = [i for i in ctx.matched if ctx.rule_ids[i] == REPLY_BUTTON]
        if len(buttons) < 2 or _text_enough(ctx, buttons[0]) is None:
            return
        after = next((j for j in range(buttons[-1] + 1, len(ctx.lines)) if ctx.labels[j] == KEEP), None)
        if after is not None and is_body(ctx.lines[after]):
            return  # a paragraph under the last one: the "buttons" head answers (a letters page's "Reply")
        for j in range(buttons[0] + 1, buttons[-1]):
            if ctx.labels[j] == KEEP:
                ctx.mark(j, self.name, self.name, BETWEEN_REPLIES.id)

    def apply_edges(self, ctx: Context) -> None:
        self.label_hits(ctx)
        # A heading that only the tail knows is matched once the zones are settled.
        self._thread(ctx, zoned=True)

    def _thread(self, ctx: Context, zoned: bool = False) -> None:
        """Every kept line under the first heading that opens the section: one of a rule for any zone, or
        (`zoned`) for the tail, which matches only once the zones are settled."""
        headings = [i for i in ctx.matched if ctx.labels[i] == self.name and ctx.hits[i].opens_section
                    and (ctx.hits[i].zone != "any") == zoned]
        if not headings:
            return
        start = _text_enough(ctx, headings[-1])
        if start is None:
            return
        labels, lines = ctx.labels, ctx.lines
        for i in headings:
            if i >= start and not _NONE_COUNTED.match(lines[i].stripped):
                for j in range(i + 1, len(lines)):
                    if labels[j] == KEEP:
                        ctx.mark(j, self.name, self.name, UNDER_HEADING.id)
                return


def _text_enough(ctx: Context, end: int) -> int | None:
    """The first line, up to `end`, above which the kept lines hold WORDS_BEFORE_SECTION words and a
    paragraph of running text (what a thread must follow), or None when the lines above `end` do not."""
    words, running = 0, False
    labels, lines = ctx.labels, ctx.lines
    for i in range(end):
        if words >= WORDS_BEFORE_SECTION and running:
            return i
        if labels[i] == KEEP:
            words += lines[i].words
            running = running or is_body(lines[i])
    return end if words >= WORDS_BEFORE_SECTION and running else None
