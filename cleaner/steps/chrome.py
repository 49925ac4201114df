"""chrome: site furniture (logos, stamps, navigation, share buttons, credits, stray tokens)."""
from __future__ import annotations

from ..document import KEEP, REMOVING
from ..sites.profile import RULE_ID as SITE_REPEATED
from .base import EXAMPLE_BODY, MARK, Context, PatternStep, PositionRule
from .neighbours import absorb_edge_runs

#: A footer holds addresses and link lists, not paragraphs: a line this long
#: after a copyright line means the article goes on.
FOOTER_MAX_WORDS = 20

#: A navigation menu above the headline: this many short lines in a row or more. Fewer are as often
#: the page's own furniture that a reader needs (a title set over a few lines, a product's options).
MENU_RUN = 8
#: A menu item is a link's label: this many words or fewer, no sentence-final mark, no digit (a
#: line with a figure is a date, a price or a specification, which product pages put above the text),
#: no comma (a cast list's "ANNA, a baker", a verse) and no end that a sentence goes on from (a dash).
MENU_WORDS = 3
_GOES_ON = (";", ":", "-", "–", "—")
#: The headline, or the first line of text: the first line of this many words or more.
TITLE_WORDS = 4

_MENU_ITEMS = ("News", "World", "Politics", "Business", "Science", "Culture", "Sport", "Weather")
_TITLE = "Council votes to save the river pool"
MENU = PositionRule(
    "pos.chrome.menu-above-title", "head",
    f"Above the first line of {TITLE_WORDS} words or more, and before any running text, a run of {MENU_RUN} or more "
    f"lines of at most {MENU_WORDS} words, without a sentence-final mark, a comma, a digit, or a colon or a dash at "
    "the end: the site's navigation menu.",
    examples=((*(f"{MARK}{item}" for item in _MENU_ITEMS), _TITLE, *EXAMPLE_BODY),
              # Seven short lines are not enough, and a line with a figure (a date, a price, a
              # product's specification) breaks the run: these stay.
              (*_MENU_ITEMS[:7], _TITLE, *EXAMPLE_BODY),
              ("Colour Green", "Body Alder", "Neck Maple", "Frets 22", "Pickups SSS", "Bridge Tremolo",
               "Case No", "Bag No", _TITLE, *EXAMPLE_BODY)),
)
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
    position_rules = (MENU, UNDER_FOOTER, AMID_REMOVED)

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
        self._menu(ctx)
        self._footer(ctx)
        absorb_edge_runs(ctx, AMID_REMOVED)

    def _menu(self, ctx: Context) -> None:
        """The runs of menu items above the headline (see MENU)."""
        if not ctx.has_body:
            return
        labels, hits, lines = ctx.labels, ctx.hits, ctx.lines
        run: list[int] = []
        for i in range(ctx.body_start + 1):
            # A line another step's rule matched is gone for a second cleaning, as a removed one is:
            # it neither breaks a run nor heads the page.
            if labels[i] != KEEP or (hits[i] is not None and hits[i].step in REMOVING):
                continue
            line = lines[i]
            if line.has_words(TITLE_WORDS):
                break
            text = line.stripped
            if line.terminal or "," in text or text.endswith(_GOES_ON) or any(map(str.isdigit, text)):
                self._take(ctx, run)
                run = []
            else:
                run.append(i)
        self._take(ctx, run)

    def _take(self, ctx: Context, run: list[int]) -> None:
        if len(run) >= MENU_RUN:
            for i in run:
                ctx.mark(i, self.name, self.name, MENU.id)

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
