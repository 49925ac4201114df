"""Counts of a run: what `--stats` writes and what the summary line says."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from itertools import compress

from ..document import JOIN, KEEP, REMOVING, Result


_REMOVING = frozenset(REMOVING)


@dataclass
class Tally:
    """Counts that add up: one per worker chunk, merged in input order."""

    documents: int = 0
    changed_documents: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    lines_in: int = 0
    lines_removed: int = 0
    lines_joined: int = 0
    no_text: int = 0  # pages (HTML) that gave no article text
    removed_by_label: Counter = field(default_factory=Counter)
    removed_by_rule: Counter = field(default_factory=Counter)
    languages: Counter = field(default_factory=Counter)

    def add(self, result: Result, original: str) -> None:
        self.documents += 1
        self.changed_documents += result.text != original
        self.languages[result.lang] += 1
        labels, rule_ids = result.labels, result.rule_ids
        self.lines_in += len(labels)
        joined = labels.count(JOIN)
        self.lines_joined += joined
        # Most documents lose no line: counted in C, the labels need no walk.
        if labels.count(KEEP) + joined == len(labels):
            return
        removed = list(map(_REMOVING.__contains__, labels))
        self.lines_removed += sum(removed)
        self.removed_by_label.update(compress(labels, removed))
        self.removed_by_rule.update([rule or "-" for rule in compress(rule_ids, removed)])

    def merge(self, other: "Tally") -> None:
        for name, value in vars(other).items():
            if isinstance(value, Counter):
                getattr(self, name).update(value)
            else:
                setattr(self, name, getattr(self, name) + value)


@dataclass
class RunStats:
    """The whole run: the documents' tally plus what happened to the files."""

    tally: Tally = field(default_factory=Tally)
    files: int = 0
    files_changed: int = 0
    files_written: int = 0
    empty_files: int = 0
    bad_files: int = 0
    bad_records: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict:
        t = self.tally
        return {
            "files": self.files,
            "files_changed": self.files_changed,
            "files_written": self.files_written,
            "empty_files": self.empty_files,
            "bad_files": self.bad_files,
            "bad_records": self.bad_records,
            "documents": t.documents,
            "changed_documents": t.changed_documents,
            "bytes_in": t.bytes_in,
            "bytes_out": t.bytes_out,
            "lines_in": t.lines_in,
            "lines_removed": t.lines_removed,
            "lines_joined": t.lines_joined,
            "pages_without_text": t.no_text,
            "removed_by_label": dict(sorted(t.removed_by_label.items())),
            "removed_by_rule": dict(sorted(t.removed_by_rule.items())),
            "languages": dict(sorted(t.languages.items())),
            "seconds": round(self.seconds, 3),
        }

    def to_json(self) -> bytes:
        return (json.dumps(self.as_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    def summary(self) -> str:
        t = self.tally
        rate = t.bytes_in / self.seconds if self.seconds > 0 else 0.0
        bad = self.bad_files + self.bad_records
        # Said only when a page gave no text, so that a text-only run's summary stays as it was.
        pages = f", {counted(t.no_text, 'page')} without text" if t.no_text else ""
        return (f"cleaned {counted(t.documents, 'document')} in {counted(self.files, 'file')}: "
                f"{_size(t.bytes_in)} -> {_size(t.bytes_out)}, {counted(t.lines_removed, 'line')} removed, "
                f"{t.lines_joined:,} joined, {bad:,} bad skipped{pages}, {self.seconds:.1f} s "
                f"({_size(int(rate))}/s)")


def counted(n: int, noun: str) -> str:
    """`1 file`, `2 files`: a count with its noun, as every message says one."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _size(n: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:,.1f} {unit}"
    return f"{n} B"
