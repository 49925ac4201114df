"""A document as lines, the decisions about them, and the result of cleaning.

A document is split into its non-blank lines and the gaps between them (line
breaks and blank lines, kept verbatim), so that rendering can hand back every
character it did not remove.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import re

KEEP = "keep"
BLANK = "blank"
JOIN = "join"
#: Labels that take a line out of the output, in the order the chain assigns them.
REMOVING = ("chrome", "cookie", "byline", "teaser", "comment", "duplicate")
LABELS = (KEEP, BLANK, *REMOVING, JOIN)

#: The line breaks a document may use; the stdlib engine splits a text on
#: them about twice as fast, and no rule is involved.
BREAKS = ("\r\n", "\n", "\r")
_SPLIT = re.compile(r"(\r\n|\n|\r)")
# Sentence-final marks, the closing quotes and brackets that may follow them,
# and the quotes that end a line of quoted speech on their own. Plain string
# tests: they run on every line, and a regex costs ten times as much here.
_ENDS = ".!?…;:。！？"
_CLOSERS = "\"'”’»«)]"
_QUOTE_ENDS = "\"”»"


def is_terminal(text: str) -> bool:
    if text[-1:] and text[-1] in _QUOTE_ENDS:
        return True
    bare = text.rstrip(_CLOSERS)
    return bool(bare) and bare[-1] in _ENDS


@dataclass(frozen=True, slots=True)
class Decision:
    """What the chain decided about one input line (1-based `line`)."""

    line: int
    label: str
    step: str | None
    rule_id: str | None
    text: str

    @property
    def removed(self) -> bool:
        return self.label in REMOVING


@dataclass(slots=True)
class Line:
    """One non-blank input line with the features steps keep asking for."""

    index: int  # position among the document's non-blank lines
    number: int  # 1-based line number in the input
    text: str
    gap: str  # what follows the line up to the next non-blank line
    stripped: str = ""
    words: int = 0
    terminal: bool = False

    def __post_init__(self) -> None:
        self.stripped = self.text.strip()
        # Whitespace-separated words: text without spaces (Chinese, Japanese)
        # counts as one word, so it never passes for a paragraph of running text.
        self.words = len(self.stripped.split())
        self.terminal = is_terminal(self.stripped)


@dataclass(slots=True)
class Document:
    text: str
    lead: str  # blank lines and breaks before the first non-blank line
    lines: list[Line]
    blanks: list[tuple[int, str]]  # 1-based number and text of each blank input line

    @classmethod
    def parse(cls, text: str) -> "Document":
        parts = _SPLIT.split(text)
        pieces, breaks = parts[::2], parts[1::2]
        lines: list[Line] = []
        blanks: list[tuple[int, str]] = []
        lead: list[str] = []
        for number, piece in enumerate(pieces, start=1):
            brk = breaks[number - 1] if number <= len(breaks) else ""
            if piece.strip():
                lines.append(Line(len(lines), number, piece, brk))
                continue
            # The empty piece after a final line break is not a line.
            if number < len(pieces) or piece:
                blanks.append((number, piece))
            if lines:
                lines[-1].gap += piece + brk
            else:
                lead.append(piece + brk)
        return cls(text, "".join(lead), lines, blanks)


@dataclass(slots=True)
class Result:
    """The cleaned text and every decision behind it."""

    text: str
    lang: str
    decisions: list[Decision]
    metadata: dict = field(default_factory=dict)

    @property
    def removed(self) -> list[Decision]:
        return [d for d in self.decisions if d.removed]

    @property
    def changed(self) -> bool:
        return any(d.removed or d.label == JOIN for d in self.decisions)
