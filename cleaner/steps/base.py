"""What every step sees: the lines, their labels so far, the rules and the zones.

Zones (head, body, tail) are bounded by the first and last paragraph of
running text that is still kept. They are settled only after the steps that
can remove running text have run, so that cleaning the output again finds
the same zones: that is what keeps cleaning idempotent.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields

from ..document import KEEP, Document, Line
from ..rules import Rule, RuleBook

#: A paragraph of running text: enough words and a sentence-final mark. The
#: first and last of them bound the body; what lies outside is the edge.
BODY_MIN_WORDS = 12
#: Longer lines are running text whatever they contain; rules skip them,
#: which also bounds the cost of a pathological line.
MAX_RULE_CHARS = 2000


@dataclass
class Context:
    doc: Document
    lang: str
    book: RuleBook
    labels: list[str] = field(default_factory=list)
    rule_ids: list[str | None] = field(default_factory=list)
    steps: list[str | None] = field(default_factory=list)
    hits: list[Rule | None] = field(default_factory=list)
    metadata: dict = field(default_factory=dict)
    body_start: int = 0
    body_end: int = -1
    #: Whether some kept line is running text, so that the zones are settled.
    has_body: bool = False
    lines: list[Line] = field(default_factory=list)
    #: The indexes of the lines some rule matched, in order: most lines match none.
    matched: list[int] = field(default_factory=list)
    #: The lines of a refrain: a long line that comes three times or more, kept each time.
    repeated: list[int] = field(default_factory=list)
    #: Each line dropped as a duplicate of a line, and the line it repeats.
    copy_of: dict[int, int] = field(default_factory=dict)
    #: The model's probability and weightiest features for each line it removed.
    scores: dict[int, tuple[float, tuple]] = field(default_factory=dict)
    #: For `next_kept`: from a removed line, a later line with none kept between.
    _skip: list[int] | None = None
    #: What the rules are tried on, one per line, and the lines holding keywords.
    _texts: list[str] = field(default_factory=list)
    _flagged: dict[int, set[int]] = field(default_factory=dict)
    #: The rules each line matched out of its zone, when known already (labelling again).
    prior_hits: list[Rule | None] | None = None

    def __post_init__(self) -> None:
        self.lines = self.doc.lines
        n = len(self.lines)
        self.labels = [KEEP] * n
        self.rule_ids = [None] * n
        self.steps = [None] * n
        self.body_start, self.body_end = 0, n - 1
        # Rules are tried on the stripped line, or on nothing when it is too
        # long to be anything but text.
        stripped = self.doc.stripped
        self._texts = texts = stripped if max(map(len, stripped), default=0) <= MAX_RULE_CHARS else \
            [s if len(s) <= MAX_RULE_CHARS else "" for s in stripped]
        # Kept for the edge lines, which are matched again once the zones are settled.
        self._flagged = self.book.keyword_lines(texts, self.doc.lines_utf8())
        # Never changed in place (see settle_zones): the prior hits are shared, not copied.
        self.hits = self.prior_hits if self.prior_hits is not None else \
            self.book.match_lines(texts, flagged=self._flagged)
        self.matched = [i for i, rule in enumerate(self.hits) if rule is not None]

    def _match(self, indexes: list[int]) -> list[Rule | None]:
        """The edge lines matched again, now that their zone is known."""
        if not indexes:
            return []
        texts, flagged = self._texts, self._flagged
        return self.book.match_lines([texts[i] for i in indexes], [self.zone(i) for i in indexes],
                                     [self.hits[i] for i in indexes],
                                     {n: flagged[i] for n, i in enumerate(indexes) if i in flagged})

    def settle_zones(self) -> None:
        """Bound the body by the kept running text and match the edge rules outside it."""
        labels, lines = self.labels, self.lines
        first = next((i for i, ln in enumerate(lines) if labels[i] == KEEP and is_body(ln)), None)
        if first is None:  # no running text: no edge either, so edge-only rules stay quiet
            return
        last = next(i for i in range(len(lines) - 1, first - 1, -1) if labels[i] == KEEP and is_body(lines[i]))
        self.body_start, self.body_end, self.has_body = first, last, True
        edges = [i for i in [*range(first), *range(last + 1, len(lines))] if labels[i] == KEEP]
        hits = self.hits
        changed = [(i, rule) for i, rule in zip(edges, self._match(edges)) if rule is not hits[i]]
        if changed:
            # A new list: the one before the edge rules may be `prior_hits`, what labelling again starts from.
            self.hits = hits = list(hits)
            for i, rule in changed:
                hits[i] = rule
            self.matched = [i for i, rule in enumerate(hits) if rule is not None]

    def fork(self) -> "Context":
        """A copy for a dry run: a step may change its decisions without changing this one's.

        Every list and dict is copied, not only those steps change today, so
        that a field added later is not shared by mistake (the model's scores
        once were, and a dry run of join dropped them from the page)."""
        other = copy.copy(self)
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, (list, dict)):
                setattr(other, f.name, value.copy())
        return other

    def zone(self, i: int) -> str:
        if i < self.body_start:
            return "head"
        if i > self.body_end:
            return "tail"
        return "body"

    def kept(self, i: int) -> bool:
        return self.labels[i] == KEEP

    def mark(self, i: int, label: str, step: str | None, rule_id: str | None) -> None:
        self.labels[i] = label
        self.steps[i] = step
        self.rule_ids[i] = rule_id
        if label == KEEP:
            self._skip = None  # a line kept again: the skips may pass over it
            if self.scores:  # nor is it the model's removal any more (join keeps lines again)
                self.scores.pop(i, None)

    def next_kept(self, i: int) -> int | None:
        """The first kept line after line i.

        Each removed line remembers how far the last search went past it, so
        that searches from many places over the same removed lines (a list
        under each of many headings) cost no more than one walk.
        """
        labels, n = self.labels, len(self.labels)
        skip = self._skip
        if skip is None:
            skip = self._skip = list(range(1, n + 1))
        j = i + 1
        passed = []
        while j < n and labels[j] != KEEP:
            passed.append(j)
            j = skip[j]
        for k in passed:
            skip[k] = j
        return j if j < n else None



def is_body(line: Line) -> bool:
    return line.terminal and line.has_words(BODY_MIN_WORDS)


#: Running text for the examples of position rules, most of which fire only
#: around or after an article's body.
EXAMPLE_BODY = (
    "The council met on Tuesday to decide the future of the old swimming pool by the river.",
    "After two hours of debate, a majority voted to renovate it rather than build a new one.",
    "Work will start in the spring and the pool should reopen the following summer, the mayor said.",
)
#: Marks the lines of a position rule's example that the rule must label.
MARK = "» "


@dataclass(frozen=True, slots=True)
class PositionRule:
    """A rule that a step applies in code, from position and neighbours rather than a pattern.

    Listed by `cleaner rules` beside the pattern rules. Each example is a
    small document, one line a string, whose lines starting with MARK are the
    ones the rule labels (and no other); `misses` are documents it should
    label so but does not yet, run by the tests as strict expected failures.
    """

    id: str
    zone: str
    description: str
    examples: tuple[tuple[str, ...], ...]
    misses: tuple[tuple[str, ...], ...] = ()

    @property
    def step(self) -> str:
        return self.id.split(".")[1]


class Step:
    """A step labels some kept lines with its own name; it never edits text.

    `apply` runs before the zones are settled, `apply_edges` after. Its
    `name` is its entry in `cleaner/registry.py`, and `position_rules` the
    ids it may give in code, each with its examples.
    """

    name = ""
    position_rules: tuple[PositionRule, ...] = ()

    def apply(self, ctx: Context) -> None:
        """Decisions that do not depend on where the body ends."""

    def apply_edges(self, ctx: Context) -> None:
        """Decisions about the head and the tail."""

    def finish(self, ctx: Context) -> None:
        """Read what the decisions say, once they are all made."""


class PatternStep(Step):
    """Labels the kept lines whose first matching rule belongs to this step."""

    def apply(self, ctx: Context) -> None:
        self.label_hits(ctx)
        self.extend(ctx)

    def apply_edges(self, ctx: Context) -> None:
        self.label_hits(ctx)

    def label_hits(self, ctx: Context) -> None:
        for i in ctx.matched:
            rule = ctx.hits[i]
            if rule.step == self.name and ctx.labels[i] == KEEP:
                ctx.mark(i, self.name, self.name, rule.id)

    def extend(self, ctx: Context) -> None:
        """Decisions from position and neighbours, after the patterns."""
