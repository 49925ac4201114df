"""join: a line broken in the middle of a sentence is glued to the next one.

Two kinds: a line that a rule says cannot end there (a dateline's dash), and
a line without a sentence-final mark followed by one that starts in lower
case. Lists and verse have short unfinished lines in a row, so a line is only
joined when the line before it ends a sentence or is itself long.
"""
from __future__ import annotations

from functools import lru_cache

import regex

from ..document import BREAKS, JOIN, KEEP, Line
from .base import EXAMPLE_BODY, MARK, MAX_RULE_CHARS, Context, PositionRule, Step, is_body
from .duplicate import Duplicate, drop_repeated_joins
from .teaser import CUT_ENDS

_LOWER_START = regex.compile(r"^\p{Ll}")
# A broken sentence stops on a word, a number or a comma; a line ending in a
# bracket, a symbol or a dash-less fragment is a label or a list item.
_OPEN_END = regex.compile(r"[\p{L}\p{N},]$")
# Lines that start like a signature or a link, not like the rest of a sentence.
_NOT_CONTINUATION = regex.compile(r"^(?:by|from the|posted|on|via|more)\b")
MIN_WORDS = 3
LONG_WORDS = 12
#: Lines of this many words or fewer, this many or more in a row, are verse or a list (a poem in lower
#: case, a list of settings, a product's measurements), not a sentence broken: none of them is glued,
#: by a rule either (a dash's line glued to one of them would leave two of a run a second cleaning glues).
#: On the devset such runs were glued 14 times, and the gold kept the run's lines apart 9 times, as one
#: line once.
VERSE_WORDS = 4
VERSE_RUN = 3
_PARAGRAPH = (KEEP, JOIN)  # the labels of lines that stay in the output

CONTINUATION = PositionRule(
    "pos.join.lowercase-continuation", "any",
    "A line without a sentence-final mark, followed by one that starts in lower case: glued to it.",
    examples=((EXAMPLE_BODY[0], f"{MARK}Diplomats from the three countries met in the capital and",
               "agreed to talk again before the end of the year.", EXAMPLE_BODY[2]),),
)


class Join(Step):
    name = "join"
    position_rules = (CONTINUATION,)

    def apply_edges(self, ctx: Context) -> None:
        # Lines that must stay lines of their own, whatever a later pass finds.
        # A line of a refrain is one: glued, it would no longer be a copy, and
        # a second cleaning would count too few copies to call it a refrain.
        held = {k for i in ctx.repeated for k in (i - 1, i)}
        self._glue(ctx, held)
        while drop_repeated_joins(ctx):
            self._glue(ctx, held)
        self._unglue(ctx, held)

    def _glue(self, ctx: Context, held: set[int]) -> None:
        """Glue each broken line to the paragraph line after it, walking forward once.

        The paragraph being built and the one before it are tracked as the
        walk goes, so no line is looked at twice; lines kept again on the way
        lie ahead of the walk, which meets them in turn.
        """
        labels, lines, hits = ctx.labels, ctx.lines, ctx.hits
        glued: list[int] = []  # the lines already glued into the paragraph that line i ends
        join_words = glued_chars = 0  # and their words and characters
        before: tuple[int, int] | None = None  # the paragraph before: its last line, its other words
        start = list(labels)  # the labels a second cleaning's runs of short lines are read by
        n = len(lines)
        for i in range(n):
            label = labels[i]
            if label == KEEP and not glued and hits[i] is None and lines[i].terminal:
                before = (i, 0)  # the usual line: it ends a sentence, and nothing is glued before it
                continue
            if label == JOIN:
                glued.append(i)
                join_words += lines[i].words
                glued_chars += len(lines[i].text) + 1
                continue
            if label != KEEP:
                if not (ctx.copy_of and label == Duplicate.name and _restore_copies(ctx, i - 1, i + 1) == i):
                    continue
            glue = None
            line = lines[i]
            if i not in held:
                rule = _paragraph_rule(ctx, glued, glued_chars, i) if glued else hits[i]
                if rule is not None and rule.step == self.name:
                    glue = rule.id
                elif not line.terminal:
                    glue = CONTINUATION.id
            j = None
            if glue is not None:
                j = i + 1 if i + 1 < n and labels[i + 1] in _PARAGRAPH else _next_paragraph_line(labels, i)
                if ctx.copy_of and (j is None or j > i + 1):
                    j = _restore_copies(ctx, i, n if j is None else j)
                    j = None if j == n else j
                if j is None or not (line.gap in BREAKS if j == i + 1 else _single_breaks(ctx, i, j)) or (
                        glue == CONTINUATION.id and not _continues(ctx, i, j, join_words, before, glued)) or (
                        _in_short_run(ctx, start, i) or _in_short_run(ctx, start, j)):
                    glue = None
            if glue is not None and j == i + 1:
                ctx.mark(i, JOIN, self.name, glue)
                glued.append(i)
                join_words += line.words
                glued_chars += len(line.text) + 1
                continue
            if glue is not None:
                # The sentence goes on past removed lines. Gluing across them
                # would join lines that were not neighbours, and leaving the
                # line broken would let a second cleaning glue it: keep the
                # lines from it to the next, as the input had them.
                for k in range(i + 1, j):
                    ctx.mark(k, KEEP, None, None)
                held.update(range(i, j))
            before, join_words, glued_chars = (i, join_words), 0, 0
            if glued:
                glued = []

    def _unglue(self, ctx: Context, held: set[int]) -> None:
        """Leave as the lines it was a glued paragraph that a second cleaning would judge
        otherwise than its lines: one a rule removes (a name and a date make a byline), or
        running text outside the body (it would move the body's bounds, and with them
        which lines are edge)."""
        labels, lines = ctx.labels, ctx.lines
        groups: list[list[int]] = []
        group: list[int] = []
        for i, label in enumerate(labels):
            if label == JOIN:
                group.append(i)
                continue
            if group and label == KEEP:
                groups.append([*group, i])
            group = []
        if not groups:
            return
        glued = [Line(0, 0, " ".join(lines[k].text for k in g), "") for g in groups]
        texts = [p.stripped if len(p.stripped) <= MAX_RULE_CHARS else "" for p in glued]
        zones = [ctx.zone(g[0]) for g in groups]
        rules = ctx.book.match_lines(texts)
        edges = [n for n, zone in enumerate(zones) if zone != "body"]
        for n, rule in zip(edges, ctx.book.match_lines([texts[n] for n in edges], [zones[n] for n in edges],
                                                       [rules[n] for n in edges])):
            rules[n] = rule
        for g, paragraph, rule in zip(groups, glued, rules):
            outside = g[-1] < ctx.body_start or g[0] > ctx.body_end or not ctx.has_body
            # Nor is a summary cut off with an ellipsis glued: the teaser
            # step counts those in runs, line by line.
            if (rule is not None and rule.step != self.name) or (outside and is_body(paragraph)) \
                    or paragraph.stripped.rstrip("]").endswith(CUT_ENDS):
                for k in g[:-1]:
                    ctx.mark(k, KEEP, None, None)
                    held.add(k)


def _in_short_run(ctx: Context, labels: list[str], k: int) -> bool:
    """Whether line k is one of VERSE_RUN lines or more in a row, each of VERSE_WORDS words or fewer, one
    break between each and the next, by `labels` (a removed line is gone for a second cleaning: its
    neighbours meet there). A second cleaning finds the same runs: gluing only makes a line longer,
    and the lines next to a run are not short."""
    lines = ctx.lines
    if lines[k].words > VERSE_WORDS:
        return False  # most lines: asked of the pairs that would be glued only
    found = 1
    for step in (-1, 1):
        p = k
        while found < VERSE_RUN:
            gap_line = p + step if step < 0 else p  # the line whose break separates p from the next
            if not 0 <= gap_line < len(lines) - 1 or lines[gap_line].gap not in BREAKS:
                break
            p += step
            if labels[p] not in _PARAGRAPH:
                continue
            if lines[p].words > VERSE_WORDS:
                break
            found += 1
    return found >= VERSE_RUN


def _restore_copies(ctx: Context, i: int, j: int) -> int:
    """Keep again the lines between i and j dropped as copies of a line now glued into a
    paragraph: a second cleaning would find them copies of nothing. The next paragraph line."""
    labels = ctx.labels
    for k in range(i + 1, j):
        first = ctx.copy_of.get(k)
        if first is not None and labels[k] == Duplicate.name and (
                labels[first] == JOIN or (first > 0 and labels[first - 1] == JOIN)):
            del ctx.copy_of[k]  # once: glued into a copy of a paragraph, it may be dropped again
            ctx.mark(k, KEEP, None, None)
            if is_body(ctx.lines[k]):  # a second cleaning finds the body reaching this far
                if not ctx.has_body:
                    ctx.body_start, ctx.body_end, ctx.has_body = k, k, True
                ctx.body_start, ctx.body_end = min(ctx.body_start, k), max(ctx.body_end, k)
            return k
    return j


def _paragraph_rule(ctx: Context, glued: list[int], glued_chars: int, i: int):
    """The join rule a second cleaning would find on the paragraph that line i ends
    (a paragraph that another rule takes is left unglued afterwards)."""
    if glued_chars + len(ctx.lines[i].text) > MAX_RULE_CHARS:
        return None  # too long for any rule, as in Context
    text = _paragraph_text(ctx, glued, i)
    if len(text) > MAX_RULE_CHARS:
        return None
    admits = _ADMITS[ctx.zone(glued[0])]
    return next((r for r in _join_rules(ctx.book) if r.zone in admits and r.regex.match(text)), None)


def _paragraph_text(ctx: Context, glued: list[int], i: int) -> str:
    """The paragraph that line i ends, the lines `glued` before it, as a second cleaning reads it."""
    if not glued:
        return ctx.lines[i].stripped
    return " ".join(ctx.lines[k].text for k in [*glued, i]).strip()


_ADMITS = {"body": ("any",), "head": ("any", "edge", "head"), "tail": ("any", "edge", "tail")}


@lru_cache(maxsize=64)
def _join_rules(book) -> list:
    return [r for r in book.rules if r.step == Join.name]


def _next_paragraph_line(labels: list[str], i: int) -> int | None:
    for k in range(i + 1, len(labels)):
        if labels[k] in _PARAGRAPH:
            return k
    return None


def _single_breaks(ctx: Context, i: int, j: int) -> bool:
    """No blank line between the two: a blank line is a paragraph end, not a break."""
    return all(ctx.lines[k].gap in BREAKS for k in range(i, j))


# A character test where the line is ASCII, as most are: there \p{Ll} is
# a to z and \p{L}\p{N} is what isalnum says, and a comparison costs a
# tenth of a pattern.
def _starts_lower(text: str) -> bool:
    first = text[0]
    return "a" <= first <= "z" if first < "\x80" else _LOWER_START.match(first) is not None


def _open_end(text: str) -> bool:
    last = text[-1]
    return last.isalnum() or last == "," if last < "\x80" else _OPEN_END.match(last) is not None


def _continues(ctx: Context, i: int, j: int, join_words: int, before: tuple[int, int] | None,
               glued: list[int]) -> bool:
    """Judge the paragraph that line i ends, as a second cleaning would see it once glued."""
    line, nxt = ctx.lines[i], ctx.lines[j]
    # The tests on the two lines alone first, the most telling first: most
    # lines end a sentence, and most of the others are followed by a capital.
    if line.terminal or not _starts_lower(nxt.text) or not _open_end(line.text):
        return False
    if not nxt.has_words(MIN_WORDS) or _NOT_CONTINUATION.match(nxt.text):
        return False
    # A paragraph that the next line starts with, whole (a command run again, a line said twice),
    # ends there: two lines, not the halves of one sentence. The paragraph as a second cleaning
    # reads it, glued, and the next line starts what it reads next: the same answer then. Its first
    # line is asked first: most paragraphs fail there, without the whole being joined at each line.
    first = ctx.lines[glued[0]].stripped if glued else line.stripped  # what the paragraph starts with
    if nxt.stripped.startswith(first) and nxt.stripped.startswith(_paragraph_text(ctx, glued, i)):
        return False
    if join_words + line.words < MIN_WORDS:
        return False
    if before is None:
        return True
    last, other_words = before
    return ctx.lines[last].terminal or other_words + ctx.lines[last].words >= LONG_WORDS
