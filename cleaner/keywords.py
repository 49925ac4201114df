"""Where the keywords of a rule book occur in a document, in one pass.

Keywords are written in lower case and found as written, Capitalized,
In Title Case or IN UPPER CASE: lower-casing a whole document first would
cost more than the search itself (most pages are not ASCII), and a phrase in
any other mix of cases is rare enough to pass uncaught: the line is kept.

`ahocorasick_rs` finds all of them in one scan of the text, about seven
times faster than one `str.find` pass per keyword (the fallback, used when
the wheel is missing or the text is not valid UTF-8). Both report every
occurrence, overlapping ones too, as character offsets.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Generic, TypeVar

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - exercised where the wheel is missing
    ahocorasick_rs = None

T = TypeVar("T")


def spellings(keyword: str) -> list[str]:
    """The casings a lower-case keyword is looked for in."""
    found = dict.fromkeys([keyword, keyword[:1].upper() + keyword[1:], keyword.title(), keyword.upper()])
    return list(found)


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
        self._automaton = ahocorasick_rs.AhoCorasick(
            self.keywords, implementation=ahocorasick_rs.Implementation.DFA) if use and self.keywords else None

    @property
    def native(self) -> bool:
        return self._automaton is not None

    def occurrences(self, text: str) -> list[tuple[int, T]]:
        """(offset, value) for every occurrence of a keyword, in no set order."""
        values = self.values
        if self._automaton is not None:
            try:
                return [(start, values[index])
                        for index, start, _ in self._automaton.find_matches_as_indexes(text, overlapping=True)]
            except UnicodeEncodeError:
                pass  # a lone surrogate (from a \u escape in JSON) is no UTF-8: search the slow way
        found = []
        for keyword, value in zip(self.keywords, values):
            at = text.find(keyword)
            while at != -1:
                found.append((at, value))
                at = text.find(keyword, at + 1)
        return found
