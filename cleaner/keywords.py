"""Where the keywords of a rule book occur in a document, in one pass.

Keywords are written in lower case and found with each word as written or
Capitalized, In Title Case or IN UPPER CASE (see `spellings`): lower-casing
a whole document first would cost more than the search itself (most pages
are not ASCII), and a phrase in any other mix of cases is rare enough to
pass uncaught: the line is kept.

`ahocorasick_rs` finds all of them in one scan of the text's UTF-8 bytes,
about seven times faster than one `str.find` pass per keyword (the
fallback, used when the wheel is missing or the text is not valid UTF-8).
Bytes, not str: asked for offsets in a str it spends more time turning byte
offsets into character offsets than searching. Both report every
occurrence, overlapping ones too; only the line of each is kept.
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import product
from typing import Generic, TypeVar

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - exercised where the wheel is missing
    ahocorasick_rs = None

T = TypeVar("T")
#: Documents of up to this many lines are encoded in one go (one call, not one a line).
_ONE_GO = 2000
#: Keywords of up to this many words are looked for with each word either way.
MAX_CASED_WORDS = 4


def spellings(keyword: str) -> list[str]:
    """The casings a lower-case keyword is looked for in: each word as written
    or Capitalized (German capitalizes nouns in mid-phrase), the whole In
    Title Case, and ALL UPPER."""
    words = keyword.split(" ")
    if len(words) <= MAX_CASED_WORDS:
        found = [" ".join(choice) for choice in product(*(dict.fromkeys([w, _capitalized(w)]) for w in words))]
    else:
        found = [keyword, _capitalized(keyword)]
    return list(dict.fromkeys([*found, keyword.title(), keyword.upper()]))


def _capitalized(word: str) -> str:
    """The first letter upper case (after any leading mark or space), the rest as it is."""
    for i, char in enumerate(word):
        if char.isalpha():
            return word[:i] + char.upper() + word[i + 1:]
    return word


class KeywordFinder(Generic[T]):
    """Finds `keywords` in a text and hands back the value paired with each."""

    def __init__(self, values: Sequence[T], keywords: Sequence[str], native: bool | None = None):
        self.keywords: list[str] = []
        self.values: list[T] = []
        for keyword, value in zip(keywords, values):
            for spelling in spellings(keyword):
                self.keywords.append(spelling)
                self.values.append(value)
        use = ahocorasick_rs is not None if native is None else native
        # A DFA: for a few hundred keywords the default picks an NFA, which
        # searches two to three times slower.
        self._automaton = ahocorasick_rs.BytesAhoCorasick(
            [k.encode("utf-8") for k in self.keywords],
            implementation=ahocorasick_rs.Implementation.DFA) if use and self.keywords else None

    @property
    def native(self) -> bool:
        return self._automaton is not None

    def by_line(self, lines: list[str], data: bytes | None = None) -> dict[int, set]:
        """For the lines holding a keyword, the union of the values (sets) of the keywords there.

        The lines are searched as one text, each ending in a line break, so
        that a keyword ending in "\\n" is found only at the end of a line.
        `data`: that text in UTF-8 when the caller has it already.
        """
        found = None
        if self._automaton is not None:
            try:
                # A long document line by line: joined first, one wide
                # character (an emoji) would make it four bytes a character.
                if data is None:
                    data = b"\n".join([line.encode("utf-8") for line in lines] + [b""]) if len(lines) > _ONE_GO \
                        else "\n".join([*lines, ""]).encode("utf-8")
            except UnicodeEncodeError:
                pass  # a lone surrogate (from a \u escape in JSON) is no UTF-8: search the slow way
            else:
                found = _by_line(data, b"\n", [(start, index) for index, start, _ in
                                                self._automaton.find_matches_as_indexes(data, overlapping=True)])
        if found is None:
            text = "\n".join([*lines, ""])
            found = _by_line(text, "\n", self._find(text))
        values = self.values
        flagged: dict[int, set] = {}
        for line, index in found:
            if line in flagged:
                flagged[line].update(values[index])
            else:
                flagged[line] = set(values[index])
        return flagged

    def _find(self, text: str) -> list[tuple[int, int]]:
        """(offset, keyword index) of every occurrence, with str.find."""
        found = []
        for index, keyword in enumerate(self.keywords):
            at = text.find(keyword)
            while at != -1:
                found.append((at, index))
                at = text.find(keyword, at + 1)
        return found


def _by_line(text, newline, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(line, keyword index) for (offset, keyword index): line breaks counted once, up to each offset in turn."""
    found.sort()
    line = done = 0
    out = []
    for at, index in found:
        line += text.count(newline, done, at)
        done = at
        out.append((line, index))
    return out
