"""chrome: site furniture (logos, stamps, navigation, share buttons, credits, stray tokens)."""
from __future__ import annotations

from ..document import KEEP
from ..sites.profile import RULE_ID as SITE_REPEATED
from .base import EXAMPLE_BODY, MARK, Context, PatternStep, PositionRule
from .menus import MENU, OFF_TOPIC_MENU, take_menus
from .neighbours import absorb_edge_runs

#: A footer holds addresses and link lists, not paragraphs: a line this long
#: after a copyright line means the article goes on.
FOOTER_MAX_WORDS = 20
#: So do two sentences of this many words or more (a manual page's or a report's copyright section,
#: its text wrapped in short lines, is followed by more of its sections).
FOOTER_SENTENCE_WORDS = 8
FOOTER_MAX_SENTENCES = 1

UNDER_FOOTER = PositionRule(
    "pos.chrome.under-copyright-footer", "tail",
    "In the tail, the short lines after a copyright line: the footer.",
    examples=((*EXAMPLE_BODY, "© 2024 Example Media", f"{MARK}Our history", f"{MARK}Press office"),
              # Two sentences after it: a manual's or a report's copyright section, and more of its text.
              (*EXAMPLE_BODY, "© 2024 Example Media", "This is free software; you may copy and change it",
               "under the terms of the licence that comes with it.", "Reporting bugs",
               "Send bug reports to the mailing list of the project.")),
)
AMID_REMOVED = PositionRule(
    "pos.chrome.amid-removed-tail", "tail",
    "In the tail, a short line between two removed lines: more of the same furniture.",
    examples=((*EXAMPLE_BODY, "Advertisement", f"{MARK}Garden tools on sale", "Advertisement"),),
)


class Chrome(PatternStep):
    name = "chrome"
    position_rules = (MENU, OFF_TOPIC_MENU, UNDER_FOOTER, AMID_REMOVED)

    def apply(self, ctx: Context) -> None:
        super().apply(ctx)
        self._site_repeated(ctx)

    def _site_repeated(self, ctx: Context) -> None:
        """The lines a site-lines profile knows on many pages of the site (see cleaner/sites/).

        After this step's own rules, and not on a line a rule of another step matched, so that a
        cookie notice on every page is still said to be a cookie notice; before the other steps, so
        that they judge neighbours and zones as a second cleaning of the output would.
        """
        for i in ctx.doc.site_repeated:
            rule = ctx.hits[i]
            if ctx.labels[i] == KEEP and (rule is None or rule.step in (self.name, "join")):
                ctx.mark(i, self.name, self.name, SITE_REPEATED)

    def apply_edges(self, ctx: Context) -> None:
        self.label_hits(ctx)
        take_menus(ctx, self.name)
        self._footer(ctx)
        absorb_edge_runs(ctx, AMID_REMOVED)

    def _footer(self, ctx: Context) -> None:
        """In the tail, a copyright line opens the footer: what follows is furniture too."""
        for i in range(ctx.body_end + 1, len(ctx.lines)):
            rule = ctx.hits[i]
            if ctx.steps[i] == self.name and rule is not None and rule.opens_section:
                rest = [ctx.lines[j] for j in range(i + 1, len(ctx.lines)) if ctx.kept(j)]
                sentences = sum(line.terminal and line.has_words(FOOTER_SENTENCE_WORDS) for line in rest)
                if sentences <= FOOTER_MAX_SENTENCES and not any(line.has_words(FOOTER_MAX_WORDS) for line in rest):
                    for line in rest:
                        ctx.mark(line.index, self.name, self.name, UNDER_FOOTER.id)
                return
