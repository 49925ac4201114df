"""Navigation menus at the head of a page, known by their shape: runs of short link labels.

The chrome step takes them (its position rules MENU and OFF_TOPIC_MENU) once
the zones are settled, the edge rules' lines taken out first, as a second
cleaning would see the page.
"""
from __future__ import annotations

from ..document import KEEP, REMOVING, Line
from ..words import vocabulary
from .base import EXAMPLE_BODY, MARK, Context, PositionRule, is_body
from .neighbours import carries

#: A navigation menu above the headline: this many short lines in a row or more. Fewer are as often
#: the page's own furniture that a reader needs (a title set over a few lines, a product's options).
MENU_RUN = 8
#: A menu item is a link's label: this many words or fewer, no sentence-final mark, no digit (a
#: line with a figure is a date, a price or a specification, which product pages put above the text),
#: no comma (a cast list's "ANNA, a baker", a verse) and no end that a sentence goes on from (a dash).
MENU_WORDS = 3
_GOES_ON = (";", ":", "-", "–", "—")
#: A bracket, a quote or an operator: a token of code (documentation pages set samples a token a line,
#: and its output a value a line: an item also needs two letters).
_CODE = frozenset("()[]{}<>=\"`")
#: A line of this many characters or fewer, all of them menu separators, separates a menu's items
#: (not a bracket: a token of code).
SEPARATOR_CHARS = 3
_SEPARATOR_MARKS = frozenset("|•·»›«‹/–—-*~ ")
#: The headline, or the first line of text: the first line of this many words or more.
TITLE_WORDS = 4
#: Below the headline a run of menu items is a menu when none of them shares a word this long with
#: the running text: the page's own lists there (its sections, a product's options) share its words.
TOPIC_LETTERS = 4
#: Above it, when at most this share of them does: a site's menu may name the article's subject
#: ("Politics" above a story on politics), a list the text speaks of (a recipe's ingredients above
#: its method, a title set over a few lines) shares more.
MAX_ON_TOPIC = 0.5
#: And a run is a menu only when this many of its items are words sites name their sections with (the
#: packs' `[menu]` words: "Home", "News", "Contact us"), counting the menu-shaped lines beside or amid
#: it that a chrome rule took ("Search", "Log in"): a page's own list above its text (a squad, a menu
#: of dishes, a festival's line-up) names none, and a run of short lines is no sign of chrome alone.
SITE_ITEMS = 2
_SEPARATORS = "".join(sorted(_SEPARATOR_MARKS))  # what str.strip takes off an item

_MENU_ITEMS = ("News", "World", "Politics", "Business", "Science", "Culture", "Sport", "Weather")
_SQUAD = ("Goalkeepers", "Jordan Pickford", "Nick Pope", "Defenders", "Kyle Walker", "John Stones", "Luke Shaw",
          "Forwards", "Harry Kane", "Phil Foden")
_TITLE = "Council votes to save the river pool"
MENU = PositionRule(
    "pos.chrome.menu-above-title", "head",
    f"Above the first line of {TITLE_WORDS} words or more, and before any running text, a run of {MENU_RUN} or more "
    f"lines of at most {MENU_WORDS} words and two letters or more, without a sentence-final mark, a comma, a digit, "
    "a bracket, a quote or an operator, nor a colon or a dash at the end, at most half of which share a word of "
    f"{TOPIC_LETTERS} letters or more with the running text, and {SITE_ITEMS} of which (or of the short lines a chrome "
    "rule took beside or amid it) are words sites name their sections with (Home, News, Contact us: the packs' "
    "[menu] words): the site's navigation menu.",
    examples=((*(f"{MARK}{item}" for item in _MENU_ITEMS), _TITLE, *EXAMPLE_BODY),
              # A separator alone on a line between two items is the menu's too.
              (*[f"{MARK}{line}" for item in _MENU_ITEMS for line in (item, "|")][:-1], "|", _TITLE,
               *EXAMPLE_BODY),
              # Seven short lines are not enough, and a line with a figure (a date, a price, a
              # product's specification) breaks the run: these stay.
              (*_MENU_ITEMS[:7], _TITLE, *EXAMPLE_BODY),
              ("Colour Green", "Body Alder", "Neck Maple", "Frets 22", "Pickups SSS", "Bridge Tremolo",
               "Case No", "Bag No", _TITLE, *EXAMPLE_BODY),
              # Nor a list the text speaks of: more than half of its lines share a word with it.
              ("Council", "Pool", "River", "Debate", "Majority", "Spring", "Summer", "Lanes", _TITLE, *EXAMPLE_BODY),
              # Nor a list that names no section of a site: a squad above the story of its match.
              (*_SQUAD, _TITLE, *EXAMPLE_BODY)),
)
OFF_TOPIC_MENU = PositionRule(
    "pos.chrome.menu-off-topic", "head",
    f"Before the first paragraph of running text, below the headline too, a run of {MENU_RUN} or more menu items "
    f"(as above the headline, {SITE_ITEMS} of them words sites name their sections with) none of which shares a "
    f"word of {TOPIC_LETTERS} letters or more with the running text: links to the rest of the site.",
    examples=((_TITLE, *(f"{MARK}{item}" for item in _MENU_ITEMS), *EXAMPLE_BODY),
              # The page's own sections, which its text speaks of, stay.
              (_TITLE, "Council", "Pool", "River", "Debate", "Majority", "Spring", "Summer", "Mayor",
               *EXAMPLE_BODY),
              # And so does a list that names no section of a site.
              (_TITLE, *_SQUAD, *EXAMPLE_BODY)),
)


def take_menus(ctx: Context, step: str) -> None:
    """The runs of menu items above the headline (MENU), then those below it, before the running text,
    that share no word with it (OFF_TOPIC_MENU)."""
    head = _head(ctx)
    if not head:
        return
    title = next((k for k, i in enumerate(head) if ctx.lines[i].has_words(TITLE_WORDS)), len(head))
    topic: set[str] | None = None  # the running text's words, read only if a run needs them

    def off_topic(i: int) -> bool:
        nonlocal topic
        if topic is None:
            topic = vocabulary([ctx.lines[j].stripped for j in range(ctx.body_start, ctx.body_end + 1)
                                if ctx.labels[j] == KEEP and is_body(ctx.lines[j])])
        return _off_topic(ctx.lines[i], topic)

    for run in _runs(ctx, head[:title], lambda i: True):
        items = _items(ctx, run)
        if len(items) >= MENU_RUN and sum(map(off_topic, items)) >= len(items) * (1 - MAX_ON_TOPIC) \
                and _names_sections(ctx, run):
            _take(ctx, step, run, MENU)
    if sum(_menu_item(ctx.lines[i]) for i in head[title:]) >= MENU_RUN:  # the body's words only if need be
        for run in _runs(ctx, head[title:], off_topic):
            if len(_items(ctx, run)) >= MENU_RUN and _names_sections(ctx, run):
                _take(ctx, step, run, OFF_TOPIC_MENU)


def page_lists(ctx: Context) -> set[int]:
    """The lines of the runs of MENU_RUN menu-shaped items or more before the running text that name no
    sections of a site: the page's own lists (a squad, a menu of dishes), which the model leaves too."""
    return {i for run in _runs(ctx, _head(ctx), lambda i: True)
            if len(_items(ctx, run)) >= MENU_RUN and not _names_sections(ctx, run) for i in run}


def _head(ctx: Context) -> list[int]:
    """The lines before the running text that a second cleaning would see: a line removed, or matched by
    a removing step's rule, is gone for it, and neither breaks a run of menu items nor heads the page.
    Empty on most pages, which have too few lines above the text for a menu."""
    if not ctx.has_body or ctx.body_start < MENU_RUN:
        return []
    return [i for i in range(ctx.body_start) if not carries(ctx, i, REMOVING)]


def _names_sections(ctx: Context, run: list[int]) -> bool:
    """Whether SITE_ITEMS of the run's items are the book's menu words, or menu-shaped lines that a chrome
    rule took, between its items or next to it."""
    words = ctx.book.menu_words
    found = sum(ctx.lines[i].stripped.strip(_SEPARATORS).lower() in words for i in run)
    inside = set(run)
    for j in range(max(0, run[0] - 1), min(len(ctx.lines), run[-1] + 2)):
        if found >= SITE_ITEMS:
            break
        found += j not in inside and carries(ctx, j, ("chrome",)) and _menu_item(ctx.lines[j])
    return found >= SITE_ITEMS


def _items(ctx: Context, run: list[int]) -> list[int]:
    return [i for i in run if not _separator(ctx.lines[i].stripped)]


def _take(ctx: Context, step: str, run: list[int], rule: PositionRule) -> None:
    for i in run:
        ctx.mark(i, step, step, rule.id)


def _menu_item(line: Line) -> bool:
    """A menu item's shape (see MENU_WORDS)."""
    text = line.stripped
    return not (line.has_words(MENU_WORDS + 1) or line.terminal or "," in text or text.endswith(_GOES_ON)
                or any(map(str.isdigit, text)) or any(map(_CODE.__contains__, text))) \
        and sum(map(str.isalpha, text)) >= 2


def _runs(ctx: Context, indexes: list[int], also) -> list[list[int]]:
    """The maximal runs of menu items among the lines `indexes` (in order) for which `also` holds, each
    with the separators between its items (a line of a mark or two alone: `|`, `-`, `•`; see
    SEPARATOR_CHARS)."""
    runs: list[list[int]] = [[]]
    pending: list[int] = []  # separators after the run's last item so far
    for i in indexes:
        line = ctx.lines[i]
        if runs[-1] and _separator(line.stripped):
            pending.append(i)
        elif _menu_item(line) and also(i):
            runs[-1].extend(pending)
            runs[-1].append(i)
            pending = []
        elif runs[-1]:
            runs.append([])
            pending = []
    return runs


def _separator(text: str) -> bool:
    return len(text) <= SEPARATOR_CHARS and all(map(_SEPARATOR_MARKS.__contains__, text))


def _off_topic(line: Line, topic: set[str]) -> bool:
    return not any(len(w) >= TOPIC_LETTERS and w in topic for w in vocabulary([line.stripped]))
