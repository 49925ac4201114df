"""cleaner: strip boilerplate from extracted web text, line by line, and say why.

    >>> from cleaner import clean, explain
    >>> clean("A headline\\nThe story in one sentence.\\nRead More")
    'A headline\\nThe story in one sentence.'
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .chain import Cleaner
    from .config import Config
    from .document import LABELS, Decision, Result
    from .html import clean_html, explain_html
    from .rules import RuleError

#: Where each name of the package lives. Loaded on first use, so that `cleaner --help` starts at
#: once and a Ctrl-C in the first moments of a run meets the command's own handling (cli.main),
#: not the import of the rules.
_LAZY = {"Cleaner": "chain", "Config": "config", "LABELS": "document", "Decision": "document",
         "Result": "document", "clean_html": "html", "explain_html": "html", "RuleError": "rules"}

__all__ = ["Cleaner", "Config", "Decision", "LABELS", "Result", "RuleError", "clean", "clean_html", "explain",
           "explain_html"]
__version__ = "0.1.0"

_default: Cleaner | None = None


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module
    value = globals()[name] = getattr(import_module(f".{module}", __name__), name)
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))


def _cleaner() -> Cleaner:
    global _default
    if _default is None:
        from .chain import Cleaner
        _default = Cleaner()
    return _default


def clean(text: str, lang: str | None = None) -> str:
    """The text without its boilerplate, broken lines joined (see LABELLING.md)."""
    return _cleaner().clean(text, lang)


def explain(text: str, lang: str | None = None) -> Result:
    """The cleaned text, the language, one decision per input line, and the metadata found."""
    return _cleaner().explain(text, lang)
