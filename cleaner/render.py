"""The one place where labels become text: the byte contract of LABELLING.md.

Every output paragraph is an input line, or lines glued by `join` with one
space; between two kept paragraphs stands the gap that followed the first of
them in the input, unless that is a plain line break and a blank line lies
further on before the next kept one (then the first such gap: a paragraph
end stays one, or a second cleaning would join across it); the output ends
as the input ended.
"""
from __future__ import annotations

from collections.abc import Sequence

from .document import BLANK, BREAKS, JOIN, KEEP, Decision, Document, Line


def render(doc: Document, labels: Sequence[str]) -> str:
    """Render `doc` given one label per non-blank line (keep, join or a removal)."""
    if not doc.lines:
        return doc.text
    if doc.plain and JOIN not in labels:
        # Every gap a line break, and the last as the text ends: the kept lines joined.
        return "\n".join([line.text for line, label in zip(doc.lines, labels) if label == KEEP]) + \
            ("\n" if doc.text.endswith("\n") else "")
    kept = [i for i, label in enumerate(labels) if label in (KEEP, JOIN)]
    if not kept:
        return _final_break(doc.text)
    out: list[str] = []
    if kept[0] == 0:
        out.append(doc.lead)
    for pos, i in enumerate(kept):
        line = doc.lines[i]
        out.append(line.text)
        if pos + 1 < len(kept):
            j = kept[pos + 1]
            out.append(" " if labels[i] == JOIN else line.gap if j == i + 1 else _gap(doc, i, j))
    out.append(doc.lines[-1].gap if kept[-1] == len(doc.lines) - 1 else _final_break(doc.text))
    return "".join(out)


def paragraph_lines(labels: Sequence[str]) -> list[list[int]]:
    """The line indexes of each output paragraph: the lines join glues to a kept line, then that line."""
    groups: list[list[int]] = []
    glued: list[int] = []
    for i, label in enumerate(labels):
        if label == JOIN:
            glued.append(i)
        elif label == KEEP:
            groups.append([*glued, i])
            glued = []
    return groups


def paragraph_view(lines: Sequence[Line], groups: Sequence[Sequence[int]]) -> list[Line]:
    """Each output paragraph (`paragraph_lines`) as the one line a second cleaning reads: a kept line
    itself, or the lines join glues as one line (numbered as the last of them)."""
    return [lines[g[0]] if len(g) == 1 else Line(lines[g[-1]].index, lines[g[-1]].number,
                                                 " ".join(lines[i].text for i in g), "")
            for g in groups]


def replay(text: str, decisions: Sequence[Decision]) -> str:
    """Rebuild the output from the decisions alone, as a reader of `explain` could."""
    doc = Document.parse(text)
    by_number = {d.line: d.label for d in decisions if d.label != BLANK}
    return render(doc, [by_number[line.number] for line in doc.lines])


def _gap(doc: Document, i: int, j: int) -> str:
    """The separator between kept lines i and j."""
    gap = doc.lines[i].gap
    if gap not in BREAKS:
        return gap
    return next((g for k in range(i + 1, j) if (g := doc.lines[k].gap) not in BREAKS), gap)


def _final_break(text: str) -> str:
    for brk in BREAKS:
        if text.endswith(brk):
            return brk
    return ""
