"""Words as the vocabulary of a page is compared: lower-cased, without the punctuation around them."""
from __future__ import annotations

from collections.abc import Iterable
from itertools import repeat

#: What is stripped from either end of a word.
PUNCT = "\"'“”‘’«»()[]{}.,;:!?…-–—|/•·*#"


def vocabulary(texts: Iterable[str]) -> set[str]:
    """The distinct words of `texts`.

    Short words stay in: callers look up only the longer ones, and filtering
    them out would cost a Python step for each distinct word."""
    return set(map(str.strip, set(" ".join(texts).lower().split()), repeat(PUNCT)))
