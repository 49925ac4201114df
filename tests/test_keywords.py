"""The one-pass keyword search agrees with plain str.find, whatever the text."""
import pytest

from cleaner.keywords import KeywordFinder, ahocorasick_rs

from .conftest import ROOT

KEYWORDS = ["more", "read more", "re", "é", "😀", " -", "comment", "kommentar", "dit"]


def _found(finder, text):
    return sorted(finder.occurrences(text))


TEXTS = [
    "read more... more and more",  # overlapping and contained keywords
    "Kommentar: éé 😀 dit édit",  # characters beyond Latin-1 and astral ones shift no offset
    "a lone \ud800 surrogate; read more",  # not UTF-8: the native search cannot take it
    "",
    "Read More | READ MORE | Kommentar | KOMMENTAR | Dit | DIT",
    *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))),
]


@pytest.mark.skipif(ahocorasick_rs is None, reason="ahocorasick_rs is not installed")
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_native_search_agrees_with_str_find(text):
    native = KeywordFinder(KEYWORDS, KEYWORDS)
    plain = KeywordFinder(KEYWORDS, KEYWORDS, native=False)
    assert native.native and not plain.native
    assert _found(native, text) == _found(plain, text)


def test_plain_search_finds_every_occurrence():
    plain = KeywordFinder(["a", "b"], ["more", "re"], native=False)
    assert sorted(plain.occurrences("more more")) == [(0, "a"), (2, "b"), (5, "a"), (7, "b")]


def test_keywords_are_found_in_the_usual_casings_only():
    finder = KeywordFinder([1], ["read more"])
    for text in ("read more", "Read more", "Read More", "READ MORE"):
        assert finder.occurrences(f"x {text} y") == [(2, 1)], text
    assert finder.occurrences("rEAD mORE") == []
