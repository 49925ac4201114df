"""A document as lines, the decisions about them, and the result of cleaning.

A document is split into its non-blank lines and the gaps between them (line
breaks and blank lines, kept verbatim), so that rendering can hand back every
character it did not remove.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import re

from .registry import REMOVING, STEP_NAMES

KEEP = "keep"
BLANK = "blank"
#: The one label that glues rather than removes (see the registry).
JOIN = "join"
#: Every label a line may get: kept, blank, or a step's own.
LABELS = (KEEP, BLANK, *STEP_NAMES)

#: The line breaks a document may use. A text with "\r" is split on them by
#: the stdlib engine; one with "\n" only (the usual case) by str.split.
BREAKS = ("\r\n", "\n", "\r")
_SPLIT = re.compile(r"(\r\n|\n|\r)")
# Sentence-final marks, the closing quotes and brackets that may follow them,
# and the quotes that end a line of quoted speech on their own. Plain string
# tests: they run on every line, and a regex costs ten times as much here.
_ENDS = ".!?…;:。！？"
_CLOSERS = "\"'”’»«)]"
_QUOTE_ENDS = "\"”»"
_TERMINAL = frozenset(_ENDS + _QUOTE_ENDS)


def utf8_len(text: str) -> int:
    """The UTF-8 size of `text`; an ASCII text is not encoded to tell."""
    return len(text) if text.isascii() else len(text.encode("utf-8"))


@dataclass(frozen=True, slots=True)
class Decision:
    """What the chain decided about one input line (1-based `line`)."""

    line: int
    label: str
    step: str | None
    rule_id: str | None
    text: str
    #: For a decision of the model: its probability that the line is boilerplate,
    #: and the features that weighed most towards removing it (name, weight).
    probability: float | None = None
    features: tuple[tuple[str, float], ...] = ()

    @property
    def removed(self) -> bool:
        return self.label in REMOVING


class Line:
    """One non-blank input line with the features steps keep asking for.

    A plain class, not a dataclass: one is made for every line of a corpus,
    and computing the features in `__init__` halves what that costs. The
    words are counted only when asked for: most lines only need to know
    whether they have a dozen (`has_words`), which costs a fraction of it.
    """

    __slots__ = ("index", "number", "text", "gap", "stripped", "terminal", "_words")

    def __init__(self, index: int, number: int, text: str, gap: str, stripped: str | None = None):
        self.index = index  # position among the document's non-blank lines
        self.number = number  # 1-based line number in the input
        self.text = text
        self.gap = gap  # what follows the line up to the next non-blank line
        if stripped is None:
            stripped = text.strip()
        self.stripped = stripped
        self._words = -1
        # Ends a sentence: a final mark, perhaps followed by closing quotes
        # and brackets, or a quote that closes a line of speech on its own.
        if stripped[-1] in _TERMINAL:
            self.terminal = True
        else:
            bare = stripped.rstrip(_CLOSERS)
            self.terminal = bool(bare) and bare[-1] in _ENDS

    @property
    def words(self) -> int:
        """Whitespace-separated words: text without spaces (Chinese, Japanese)
        counts as one word, so it never passes for a paragraph of running text."""
        if self._words < 0:
            self._words = len(self.stripped.split())
        return self._words

    def has_words(self, n: int) -> bool:
        """`words >= n`, without counting past n."""
        if self._words >= 0:
            return self._words >= n
        return len(self.stripped.split(None, n - 1)) >= n

    def __repr__(self) -> str:
        return f"Line({self.index}, {self.number}, {self.text!r}, {self.gap!r})"


@dataclass(slots=True)
class Document:
    text: str
    lead: str  # blank lines and breaks before the first non-blank line
    lines: list[Line]
    blanks: list[tuple[int, str]]  # 1-based number and text of each blank input line
    #: `line.stripped` of each line, for the steps that read them all.
    stripped: list[str]
    #: The indexes of the lines a site-lines profile knows as repeated across the document's site.
    site_repeated: list[int] = field(default_factory=list)
    #: The document's site, when it is cleaned against a site-lines profile.
    site: str | None = None
    #: The text is its stripped lines, each followed by "\n" (the last one perhaps not): no blank
    #: line, nothing to strip, no "\r". Most documents are.
    plain: bool = False
    #: The UTF-8 size of the text, once `lines_utf8` has encoded it (-1 before).
    utf8_size: int = -1

    def lines_utf8(self) -> bytes | None:
        """The stripped lines, each followed by "\n", in UTF-8: for a plain document the text's own
        bytes, not joined again (None for another, or a text that is not valid UTF-8)."""
        if not self.plain:
            return None
        try:
            data = self.text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (from a \u escape in JSON)
            return None
        self.utf8_size = len(data)
        return data if self.text.endswith("\n") else data + b"\n"

    @classmethod
    def parse(cls, text: str) -> "Document":
        if "\r" in text:
            parts = _SPLIT.split(text)
            pieces, breaks = parts[::2], parts[1::2]
        else:  # the common case, and str.split is several times faster than a pattern
            pieces = text.split("\n")
            breaks = ["\n"] * (len(pieces) - 1)
        breaks.append("")
        stripped = list(map(str.strip, pieces))
        k = len(stripped) - stripped.count("")
        if k == len(pieces) - (pieces[-1] == ""):  # no blank line anywhere: the usual case
            lines = list(map(Line, range(k), range(1, k + 1), pieces, breaks, stripped))
            # str.strip hands back the line itself when there is nothing to strip: compared by identity.
            return cls(text, "", lines, [], stripped[:k], plain="\r" not in text and pieces[:k] == stripped[:k])
        full = [n for n, line in enumerate(stripped) if line]
        lines = [Line(index, n + 1, pieces[n], breaks[n], stripped[n]) for index, n in enumerate(full)]
        # Blank lines belong to the gap after the line above them (or to the lead).
        # The empty piece after a final line break is not a line.
        is_full = set(full)
        blanks = [(n + 1, piece) for n, piece in enumerate(pieces) if n not in is_full]
        if blanks and blanks[-1][0] == len(pieces) and not pieces[-1]:
            blanks.pop()
        lead = "".join(pieces[n] + breaks[n] for n in range(full[0] if full else len(pieces)))
        for line, n, after in zip(lines, full, [*full[1:], len(pieces)]):
            if after > n + 1:
                line.gap += "".join(pieces[m] + breaks[m] for m in range(n + 1, after))
        return cls(text, lead, lines, blanks, [stripped[n] for n in full])


class Result:
    """The cleaned text and every decision behind it.

    The decisions are made into objects only when asked for: a batch run
    reads the removed lines and the counts, and one object per kept line of
    a corpus would cost a fifth of the run.
    """

    __slots__ = ("text", "lang", "metadata", "_decisions", "_labels")

    def __init__(self, text: str, lang: str, decisions: list[Decision] | None = None, metadata: dict | None = None):
        self.text = text
        self.lang = lang
        self.metadata = {} if metadata is None else metadata
        self._decisions = decisions
        self._labels: tuple | None = None

    @classmethod
    def labelled(cls, text: str, lang: str, doc: "Document", labels: list[str], steps: list[str | None],
                 rule_ids: list[str | None], metadata: dict, scores: dict | None = None) -> "Result":
        """A result from the chain's labels: one per non-blank line of `doc`; `scores`: the model's
        probability and reasons for the lines it removed, by index."""
        result = cls(text, lang, None, metadata)
        result._labels = (doc, labels, steps, rule_ids, scores or {})
        return result

    @property
    def decisions(self) -> list[Decision]:
        """One decision per input line, blank lines included, in line order."""
        if self._decisions is None:
            doc = self._labels[0]
            found = [self._decision(i, ln) for i, ln in enumerate(doc.lines)]
            if doc.blanks:
                found.extend(Decision(n, BLANK, None, None, text) for n, text in doc.blanks)
                found.sort(key=lambda d: d.line)
            self._decisions = found
        return self._decisions

    @property
    def removed(self) -> list[Decision]:
        if self._decisions is None:
            doc, labels = self._labels[:2]
            return [self._decision(i, ln) for i, ln in enumerate(doc.lines) if labels[i] in REMOVING]
        return [d for d in self._decisions if d.removed]

    def _decision(self, i: int, line: Line) -> Decision:
        _, labels, steps, rule_ids, scores = self._labels
        if i in scores:
            p, why = scores[i]
            return Decision(line.number, labels[i], steps[i], rule_ids[i], line.text, p, why)
        return Decision(line.number, labels[i], steps[i], rule_ids[i], line.text)

    def utf8_sizes(self) -> tuple[int, int]:
        """The UTF-8 sizes of the text that came in and of `text`. Where the chain encoded the
        input already (a plain document, searched for keywords) neither is encoded again: the
        output of a plain document without joins is its kept lines, one break after each
        but perhaps the last, so it is the input less each removed line and its break."""
        doc, labels = self._labels[:2]
        source = doc.text
        if source.isascii():
            return len(source), len(self.text)
        size = doc.utf8_size
        if size < 0:
            return len(source.encode("utf-8")), utf8_len(self.text)
        if not doc.plain or JOIN in labels:
            return size, utf8_len(self.text)
        kept = labels.count(KEEP)
        if kept == len(labels):
            return size, size
        if not kept:
            return size, len(self.text)  # nothing kept: at most a line break
        removed = [line.text for line, label in zip(doc.lines, labels) if label != KEEP]
        return size, size - sum(map(utf8_len, removed)) - len(removed)

    @property
    def labels(self) -> list[str]:
        """The label of each non-blank line, in order."""
        if self._decisions is None:
            return self._labels[1]
        return [d.label for d in self._decisions if d.label != BLANK]

    @property
    def rule_ids(self) -> list[str | None]:
        """The rule behind the label of each non-blank line, in order."""
        if self._decisions is None:
            return self._labels[3]
        return [d.rule_id for d in self._decisions if d.label != BLANK]

    @property
    def changed(self) -> bool:
        return any(label in REMOVING or label == JOIN for label in self.labels)

    def __repr__(self) -> str:
        return f"Result(text={self.text!r}, lang={self.lang!r}, metadata={self.metadata!r})"
