"""teaser: links to other articles, and the buttons that lead there."""
from __future__ import annotations

from itertools import repeat

from ..document import KEEP
from .base import EXAMPLE_BODY, MARK, Context, PatternStep, PositionRule, is_body
from .neighbours import is_short, sandwiched

#: A list of links is headlines: it ends at the first paragraph of running
#: text, or after this many lines, whichever comes first.
LIST_MAX = 30
HEADLINE_MAX_WORDS = 25
#: Summaries cut off with an ellipsis: one may be a quote trailing off, three
#: in a row are a list of teasers.
CUT_RUN = 3
CUT_MIN_WORDS = 4
CUT_ENDS = ("...", "…")  # also "[...]" and "[…]" once the bracket is stripped
_CUT_OR_BRACKET = (*CUT_ENDS, "]")

UNDER_HEADING = PositionRule(
    "pos.teaser.under-list-heading", "any",
    f"The short lines under a related-articles heading: its links, up to running text or {LIST_MAX} lines.",
    examples=((*EXAMPLE_BODY, "Related Articles", f"{MARK}New bridge opens downtown",
               f"{MARK}Library hours extended"),
              # A heading known only after the last paragraph (en.teaser.tail-list-heading) opens one too.
              (*EXAMPLE_BODY, "Most read in Business", f"{MARK}Bakery chain opens ten shops",
               f"{MARK}Ferry fares to rise in May")),
    # A headline written as a sentence long enough to be running text ends the list.
    misses=((*EXAMPLE_BODY, "Related Articles", f"{MARK}New bridge opens downtown",
             f"{MARK}The mayor says the new ferry to the islands will run every hour from May on.",
             f"{MARK}Library hours extended"),),
)
BETWEEN = PositionRule(
    "pos.teaser.between-teasers", "any",
    "A short line between two teasers: one more link of the list.",
    examples=((EXAMPLE_BODY[0], "Read more: Ferry timetable changes next week", f"{MARK}Bakery wins regional prize",
               "Read more: Tram line to close for repairs", *EXAMPLE_BODY[1:]),),
)
CUT_SUMMARIES = PositionRule(
    "pos.teaser.run-of-cut-summaries", "any",
    f"{CUT_RUN} or more summaries in a row cut off with an ellipsis: teasers.",
    examples=((*EXAMPLE_BODY, f"{MARK}The ferry to the islands will run less often once the...",
               f"{MARK}A local bakery has won a prize for its rye bread and now plans…",
               f"{MARK}Residents of the old town asked the council to reconsider [...]"),
              # A synopsis's "[FILE]..." marks a repeat, not a cut.
              (*EXAMPLE_BODY, "find-text [OPTION]... PATTERN [FILE]...", "find-text [OPTION]... -e PATTERN ... [FILE]...",
               "find-text [OPTION]... -f PATTERN_FILE ... [FILE]...")),
)


class Teaser(PatternStep):
    name = "teaser"
    position_rules = (UNDER_HEADING, BETWEEN, CUT_SUMMARIES)

    def extend(self, ctx: Context) -> None:
        self._lists(ctx)

    def apply_edges(self, ctx: Context) -> None:
        # Runs and neighbours are judged once the edge rules have taken their
        # lines, as a second cleaning would see them.
        self.label_hits(ctx)
        # A heading that only the edges know (after the last paragraph) is matched
        # once the zones are settled: its list is taken now.
        self._lists(ctx, zoned=True)
        self._cut_runs(ctx)
        # A short headline between two teasers is one more link of the list.
        labels = ctx.labels
        for i in range(1, len(ctx.lines) - 1):
            if labels[i - 1] == self.name and labels[i] == KEEP and sandwiched(ctx, i, (self.name,)) \
                    and is_short(ctx, i):
                ctx.mark(i, self.name, self.name, BETWEEN.id)

    def _lists(self, ctx: Context, zoned: bool = False) -> None:
        """The lines under each heading this step took: those of rules for any zone, or (`zoned`) those
        of rules for the head or the tail, which match only once the zones are settled."""
        for i in ctx.matched:
            rule = ctx.hits[i]
            if not rule.opens_section or ctx.steps[i] != self.name or (rule.zone != "any") != zoned:
                continue
            j = ctx.next_kept(i)
            for _ in range(LIST_MAX):
                if j is None:
                    break
                line = ctx.lines[j]
                # A line that a rule knows (a comment heading, a footer) ends the list too;
                # not one broken at a dateline's dash, which a second cleaning sees glued.
                rule = ctx.hits[j]
                if is_body(line) or line.has_words(HEADLINE_MAX_WORDS + 1) or (
                        rule is not None and rule.step != "join"):
                    break
                ctx.mark(j, self.name, self.name, UNDER_HEADING.id)
                j = ctx.next_kept(j)

    def _cut_runs(self, ctx: Context) -> None:
        labels = ctx.labels
        # Counted in C first, line by line (searching the whole text for the
        # endings costs more): most pages have too few for any run.
        if sum(map(str.endswith, ctx.doc.stripped, repeat(_CUT_OR_BRACKET))) < CUT_RUN:
            return  # the usual case: too few cut lines for any run
        run: list[int] = []
        for i, line in enumerate([*ctx.lines, None]):
            if line is not None and labels[i] != KEEP:
                continue  # a removed line does not break a run: a second cleaning will not see it
            if line is not None and _cut(line.stripped) and line.has_words(CUT_MIN_WORDS):
                run.append(i)
                continue
            if len(run) >= CUT_RUN:
                for j in run:
                    ctx.mark(j, self.name, self.name, CUT_SUMMARIES.id)
            run = []


def _cut(text: str) -> bool:
    """The text ends cut off with an ellipsis, not with a synopsis's repeat mark (`[FILE]...`)."""
    text = text.rstrip("]")
    for end in CUT_ENDS:
        if text.endswith(end):
            return not text[:-len(end)].endswith("]")
    return False
