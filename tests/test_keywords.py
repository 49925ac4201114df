"""The one-pass keyword search agrees with plain str.find, whatever the text."""
import pytest

from cleaner.keywords import KeywordFinder, ahocorasick_rs

from .conftest import ROOT

KEYWORDS = ["more", "read more", "re", "é", "😀", " -\n", "comment", "kommentar", "dit"]
VALUES = [{n} for n in range(len(KEYWORDS))]


def _found(finder, text):
    return finder.by_line(text.split("\n"))


TEXTS = [
    "read more... more and more",  # overlapping and contained keywords
    "Kommentar: éé 😀 dit édit",  # characters beyond Latin-1 and astral ones shift no offset
    "a lone \ud800 surrogate; read more",  # not UTF-8: the native search cannot take it
    "",
    "Read More | READ MORE | Kommentar | KOMMENTAR | Dit | DIT",
    "é\n\n😀 more -\nline -\n -\nlast -",  # line breaks counted past wide characters; " -" ends a line
    *(p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))),
]


@pytest.mark.skipif(ahocorasick_rs is None, reason="ahocorasick_rs is not installed")
@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_native_search_agrees_with_str_find(text):
    native = KeywordFinder(VALUES, KEYWORDS)
    plain = KeywordFinder(VALUES, KEYWORDS, native=False)
    assert native.native and not plain.native
    assert _found(native, text) == _found(plain, text)


@pytest.mark.parametrize("native", [True, False])
def test_each_line_gets_the_values_of_every_keyword_in_it(native):
    if native and ahocorasick_rs is None:
        pytest.skip("ahocorasick_rs is not installed")
    finder = KeywordFinder([{"a"}, {"b"}, {"c"}], ["more", "re", "end"], native=native)
    lines = ["more", "nothing", "", "ende more", "the end"]
    assert finder.by_line(lines) == {0: {"a", "b"}, 3: {"a", "b", "c"}, 4: {"c"}}


def test_a_keyword_ending_in_a_line_break_is_found_at_the_end_of_a_line_only():
    finder = KeywordFinder([{1}], ["read more\n"])
    assert finder.by_line(["read more", "read more please", "Read More"]) == {0: {1}, 2: {1}}


def test_keywords_are_found_in_the_usual_casings_only():
    finder = KeywordFinder([{1}], ["read more"])
    for text in ("read more", "Read more", "Read More", "READ MORE"):
        assert finder.by_line(["x", f"x {text} y"]) == {1: {1}}, text
    assert finder.by_line(["rEAD mORE"]) == {}
