"""Where the keywords of a rule book occur in a document, in one pass.

Keywords are written in lower case and found with each word as written or
Capitalized, In Title Case or IN UPPER CASE (see `spellings`): lower-casing
a whole document first would cost more than the search itself (most pages
are not ASCII), and a phrase in any other mix of cases is rare enough to
pass uncaught: the line is kept.

`ahocorasick_rs` finds all of them in one scan of the text, about seven
times faster than one `str.find` pass per keyword (the fallback, used when
the wheel is missing or the text is not valid UTF-8). Both report every
occurrence, overlapping ones too, as character offsets.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from itertools import accumulate, product
from typing import Generic, TypeVar

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - exercised where the wheel is missing
    ahocorasick_rs = None

T = TypeVar("T")
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
        self._automaton = ahocorasick_rs.AhoCorasick(
            self.keywords, implementation=ahocorasick_rs.Implementation.DFA) if use and self.keywords else None

    @property
    def native(self) -> bool:
        return self._automaton is not None

    def by_line(self, lines: list[str]) -> dict[int, set]:
        """For the lines holding a keyword, the union of the values (sets) of the keywords there.

        The lines are searched as one text, each ending in a line break, so
        that a keyword ending in "\\n" is found only at the end of a line.
        """
        text = "\n".join(lines) + "\n"
        starts = list(accumulate([len(line) + 1 for line in lines[:-1]], initial=0))
        flagged: dict[int, set] = {}
        for at, value in self.occurrences(text):
            line = bisect_right(starts, at) - 1
            if line in flagged:
                flagged[line].update(value)
            else:
                flagged[line] = set(value)
        return flagged

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
