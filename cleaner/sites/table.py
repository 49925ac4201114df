"""A bounded table of counts: memory stays flat whatever the corpus size.

Counts are kept by a 64-bit fingerprint of what they count (see lines.py),
in a table of at most `capacity` entries. When it is full, the entries with
the lowest counts are dropped, at least half of them, and `deficit` grows by
the highest count dropped (the lossy counting of Manku and Motwani, pruned
when full rather than at fixed intervals). Hence the error, both ways:

- a count read back is never higher than the true one, except when two
  lines share a fingerprint (with E entries, a pair in about 2**64 / E; for a
  million entries, one chance in 1.8e13 per lookup);
- it is lower by at most `deficit`, which is 0 until the table first fills.

Too low is the safe side: a line counted too low is kept. A table that
never filled (`deficit` 0) holds exact counts.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

#: About 80 MB of Python dict at most; a corpus of a million distinct lines of its sites fits without loss.
DEFAULT_CAPACITY = 1 << 20


class CountTable:
    def __init__(self, capacity: int = DEFAULT_CAPACITY):
        if capacity < 2:
            raise ValueError("a table holds at least 2 entries")
        self.capacity = capacity
        self.counts: dict[int, int] = {}
        self.deficit = 0  # the most any count may be too low by

    def add(self, fingerprints: Iterable[int]) -> None:
        """Count each once (a page's distinct lines); the table may pass its capacity by these only."""
        counts = self.counts
        get = counts.get
        for fp in fingerprints:
            counts[fp] = get(fp, 0) + 1
        if len(counts) > self.capacity:
            self._prune()

    def get(self, fingerprint: int) -> int:
        return self.counts.get(fingerprint, 0)

    def merge(self, other: "CountTable") -> None:
        """Add another table's counts (another task's, another shard's): the deficits add up too."""
        counts = self.counts
        get = counts.get
        for fp, n in other.counts.items():
            counts[fp] = get(fp, 0) + n
        self.deficit += other.deficit
        while len(self.counts) > self.capacity:
            self._prune()

    def _prune(self) -> None:
        histogram = Counter(self.counts.values())
        target = len(self.counts) - self.capacity // 2
        dropped = floor = 0
        for count in sorted(histogram):
            dropped += histogram[count]
            floor = count
            if dropped >= target:
                break
        self.counts = {fp: n for fp, n in self.counts.items() if n > floor}
        self.deficit += floor
