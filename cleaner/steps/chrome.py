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

UNDER_FOOTER = PositionRule(
    "pos.chrome.under-copyright-footer", "tail",
    "In the tail, the short lines after a copyright line: the footer.",
    examples=((*EXAMPLE_BODY, "© 2024 Example Media", f"{MARK}Our history", f"{MARK}Press office"),),
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
                rest = [j for j in range(i + 1, len(ctx.lines)) if ctx.kept(j)]
                if not any(ctx.lines[j].has_words(FOOTER_MAX_WORDS) for j in rest):
                    for j in rest:
                        ctx.mark(j, self.name, self.name, UNDER_FOOTER.id)
                return
