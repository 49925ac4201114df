"""The counts of a corpus (a profile): made, saved, loaded, and read by the chain.

The file (`cleaner profile corpus/ -o site-lines.bin`) is a magic line, a
JSON header line with the format version and the tables' figures, then the
two tables (the lines' counts, the sites' pages), each its fingerprints and
counts (little-endian, sorted by fingerprint, zlib-compressed as one): the
same corpus gives the same bytes, and, while the tables never fill, however
it was cut into tasks. A file that is not one, or of another
version, is refused with a message naming it.
"""
from __future__ import annotations

import json
import math
import sys
import zlib
from array import array
from dataclasses import dataclass
from collections.abc import Callable, Sequence
from pathlib import Path

from .lines import fingerprint, line_key, pages_fingerprint
from .table import DEFAULT_CAPACITY, CountTable

MAGIC = b"cleaner site-lines profile\n"
VERSION = 1
#: What the counts are counts of; a profile of another normalisation is another format.
NORMALISATION = "ccnet: lower case, digits to 0, punctuation and spaces folded; blake2b-64 of site and line"
#: The rule id of the lines taken as chrome repeated across their site.
RULE_ID = "site.repeated"
#: A line on this many pages of its site is chrome (unless it is running text, see TEXT_SHARE).
MIN_PAGES = 4
#: A line of running text (a sentence of a dozen words) must be on this share of its site's pages too:
#: a site quoting its own paragraph on a few pages keeps it.
TEXT_SHARE = 0.5


@dataclass(frozen=True)
class CorpusRule:
    """The corpus mode's rule, as `cleaner rules` lists it beside the pattern and position rules."""

    id: str
    step: str
    zone: str
    description: str


SITE_RULE = CorpusRule(RULE_ID, "chrome", "any",
                       f"A line on at least {MIN_PAGES} pages of its site (--min-pages), and running text on "
                       f"half of them too; only with a site-lines profile (--profile, --site-repeated).")


class ProfileError(ValueError):
    """A profile file that cannot be used; the message names it."""


class Profile:
    """The pages each normalised line is on, per site (`table`), and the pages of each site (`sites`),
    each in a table of at most `capacity` entries."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY):
        self.table = CountTable(capacity)
        self.sites = CountTable(capacity)
        self.pages = 0

    def add_page(self, site: str, lines: list[str]) -> None:
        """Count a page: each of its lines once, however often the page holds it."""
        keys = {line_key(line) for line in lines}
        keys.discard("")
        self.sites.add([pages_fingerprint(site)])
        self.table.add([fingerprint(site, key) for key in keys])
        self.pages += 1

    def merge(self, other: "Profile") -> None:
        self.table.merge(other.table)
        self.sites.merge(other.sites)
        self.pages += other.pages

    def header(self) -> dict:
        return {"version": VERSION, "normalisation": NORMALISATION, "pages": self.pages,
                "sites": len(self.sites.counts), "entries": len(self.table.counts), "capacity": self.table.capacity,
                "deficit": self.table.deficit, "sites_deficit": self.sites.deficit}

    def to_bytes(self) -> bytes:
        head = json.dumps(self.header(), sort_keys=True).encode("ascii") + b"\n"
        return MAGIC + head + zlib.compress(_packed(self.table) + _packed(self.sites), 6)

    def save(self, path: Path) -> None:
        from ..corpus.write import write_atomic
        write_atomic(Path(path), self.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes, name: str) -> "Profile":
        if not data.startswith(MAGIC):
            raise ProfileError(f"{name}: not a site-lines profile (make one with `cleaner profile CORPUS -o FILE`)")
        end = data.find(b"\n", len(MAGIC))
        try:
            head = json.loads(data[len(MAGIC):end].decode("ascii"))
            version = head["version"]
        except (ValueError, KeyError, TypeError):
            raise ProfileError(f"{name}: a damaged site-lines profile (its header is unreadable)") from None
        if version != VERSION or head.get("normalisation") != NORMALISATION:
            raise ProfileError(f"{name}: a site-lines profile of format version {version!r}; this cleaner reads "
                               f"version {VERSION}: make it again with `cleaner profile`")
        try:
            body = zlib.decompress(data[end + 1:])
            lines, sites = int(head["entries"]), int(head["sites"])
            if len(body) != 16 * (lines + sites):
                raise ValueError
            profile = cls(max(int(head["capacity"]), 2))
            profile.table.counts = _unpacked(body[:16 * lines])
            profile.sites.counts = _unpacked(body[16 * lines:])
            profile.table.deficit, profile.sites.deficit = int(head["deficit"]), int(head["sites_deficit"])
            profile.pages = int(head["pages"])
        except (zlib.error, ValueError, KeyError, TypeError):
            raise ProfileError(f"{name}: a damaged site-lines profile (truncated or altered)") from None
        return profile

    @classmethod
    def load(cls, path: Path) -> "Profile":
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            from ..corpus.read import read_error
            raise ProfileError(f"{path}: {read_error(exc)}") from None
        return cls.from_bytes(data, str(path))


def _packed(table: CountTable) -> bytes:
    keys = array("Q", sorted(table.counts))
    counts = array("Q", (table.counts[k] for k in keys))
    if sys.byteorder == "big":
        keys.byteswap()
        counts.byteswap()
    return keys.tobytes() + counts.tobytes()


def _unpacked(data: bytes) -> dict[int, int]:
    keys, counts = array("Q"), array("Q")
    half = len(data) // 2
    keys.frombytes(data[:half])
    counts.frombytes(data[half:])
    if sys.byteorder == "big":
        keys.byteswap()
        counts.byteswap()
    return dict(zip(keys, counts))


class SiteLines:
    """A profile as the chain reads it: only the counts that can reach the threshold, so that the
    workers each hold a small dict (they get it pickled, read-only).

    A line is chrome of its site when it is on at least `min_pages` of the site's pages and, if it is
    running text, on at least `text_share` of them too.
    """

    def __init__(self, profile: Profile, min_pages: int = MIN_PAGES, text_share: float = TEXT_SHARE):
        if min_pages < 2:
            raise ValueError("min_pages must be at least 2: a line on one page is no repetition")
        self.min_pages = min_pages
        self.text_share = text_share
        self.counts = {fp: n for fp, n in profile.table.counts.items() if n >= min_pages}
        self.pages = {fp: n for fp, n in profile.sites.counts.items() if n >= min_pages}

    def repeated(self, site: str | None, lines: Sequence, is_text: Callable) -> list[int]:
        """The indexes of `lines` (Line objects) that are chrome repeated across `site`."""
        if site is None or not self.counts:
            return []
        counts = self.counts
        pages = self.pages.get(pages_fingerprint(site), 0)
        if pages < self.min_pages:
            return []  # a small site (most of them): no line can be on enough of its pages
        text_need = max(self.min_pages, math.ceil(self.text_share * pages))
        found = []
        for i, line in enumerate(lines):
            key = line_key(line.stripped)
            n = counts.get(fingerprint(site, key), 0) if key else 0
            if n >= self.min_pages and (n >= text_need or not is_text(line)):
                found.append(i)
        return found
