"""cleaner: strip boilerplate from extracted web text, line by line, and say why.

    >>> from cleaner import clean, explain
    >>> clean("A headline\\nThe story in one sentence.\\nRead More")
    'A headline\\nThe story in one sentence.'
"""
from __future__ import annotations

from .chain import Cleaner
from .config import Config
from .document import LABELS, Decision, Result
from .html import clean_html, explain_html
from .rules import RuleError

__all__ = ["Cleaner", "Config", "Decision", "LABELS", "Result", "RuleError", "clean", "clean_html", "explain",
           "explain_html"]
__version__ = "0.1.0"

_default: Cleaner | None = None


def _cleaner() -> Cleaner:
    global _default
    if _default is None:
        _default = Cleaner()
    return _default


def clean(text: str, lang: str | None = None) -> str:
    """The text without its boilerplate, broken lines joined (see LABELLING.md)."""
    return _cleaner().clean(text, lang)


def explain(text: str, lang: str | None = None) -> Result:
    """The cleaned text, the language, one decision per input line, and the metadata found."""
    return _cleaner().explain(text, lang)
