"""The cleaning contract of LABELLING.md as a check on one result.

Used by the property tests and by `bench/fuzz.py`: it says which promises a
result breaks, without trusting the renderer it checks.
"""
from __future__ import annotations

from .document import BLANK, JOIN, KEEP, Document

#: The kinds of break, in the order they are checked.
KINDS = ("crash", "join-across", "paragraph", "separator", "final-break", "replay", "idempotence-lang",
         "idempotence")


def _final(text: str) -> bool:
    return text.endswith(("\n", "\r"))


def breaks(cleaner, text: str) -> list[str]:
    """The kinds of break of the contract that cleaning `text` shows (empty: none)."""
    from .render import replay

    try:
        result = cleaner.explain(text)
        out = result.text
        decisions = result.decisions
    except Exception:  # noqa: BLE001 - a crash is what is reported
        return ["crash"]
    found = []
    # Expected paragraphs from the decisions: a joined line glues onto the line
    # right after it in the input, never across a removed or blank line.
    paragraphs: list[str] = []
    glue: list[str] = []
    last_join = None
    for d in decisions:
        if last_join is not None and d.line != last_join + 1 and "join-across" not in found:
            found.append("join-across")
        last_join = None
        if d.label == JOIN:
            glue.append(d.text)
            last_join = d.line
        elif d.label == KEEP:
            paragraphs.append(" ".join([*glue, d.text]))
            glue = []
        elif d.label != BLANK and glue and "join-across" not in found:
            found.append("join-across")
    if glue and "join-across" not in found:
        found.append("join-across")
    got = Document.parse(out)
    if [ln.text for ln in got.lines] != paragraphs:
        found.append("paragraph")
    elif got.lines:
        # Between paragraphs stands a separator the input used.
        seps = {ln.gap for ln in Document.parse(text).lines}
        if any(ln.gap not in seps for ln in got.lines[:-1]):
            found.append("separator")
    if _final(out) != _final(text):
        found.append("final-break")
    if replay(text, decisions) != out:
        found.append("replay")
    try:
        again = cleaner.explain(out)
    except Exception:  # noqa: BLE001
        return [*found, "crash"]
    if again.text != out:
        found.append("idempotence-lang" if again.lang != result.lang else "idempotence")
    return found
