"""A unified diff of two texts that shows a missing final newline, as diff(1) does."""
from __future__ import annotations

import difflib
import re

# The line breaks the cleaner splits on, and no others (str.splitlines knows more).
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\n|\r)|[^\r\n]+$")


def unified(before: str, after: str, name: str, before_label: str = "original",
            after_label: str = "cleaned") -> str:
    """Headed `--- name<TAB>original` / `+++ name<TAB>cleaned`, so `patch -p0` applies it to `name`."""
    lines = difflib.unified_diff(_lines(before), _lines(after), name, name, before_label, after_label)
    return "".join(lines)


def _lines(text: str) -> list[str]:
    lines = _LINE.findall(text)
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
