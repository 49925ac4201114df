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

from .lines import fingerprints, line_key, pages_fingerprint
from .table import DEFAULT_CAPACITY, CountTable

MAGIC = b"cleaner site-lines profile\n"
VERSION = 1
#: What the counts are counts of; a profile of another normalisation is another format.
NORMALISATION = "ccnet: lower case, digits to 0, punctuation and spaces folded; blake2b-64 of site and line"
#: The rule id of the lines taken as chrome repeated across their site.
RULE_ID = "site.repeated"
#: A line on this many pages of its site is chrome in a page's head or tail (see SiteLines.repeated).
MIN_PAGES = 3
#: Anywhere else on the page, a line needs this many pages more.
BODY_EXTRA = 1
#: A line of running text (a sentence of a dozen words) must also be on this share of its site's pages:
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
                       f"A line on at least {MIN_PAGES} pages of its site (--min-pages) in the page's head or tail, "
                       f"{MIN_PAGES + BODY_EXTRA} elsewhere (running text also on half of them; a short line "
                       f"touching a paragraph only at the edge of a block of repeated lines); only with a "
                       f"site-lines profile (--profile, --site-repeated).")


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
        self.table.add(fingerprints(site, keys))
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

    How many pages make a line chrome depends on where the page holds it (see `repeated`): the
    counts say that a line recurs, its place on the page whether it recurs as the site's chrome or
    as the frame of an article (a byline, a date, a signature).
    """

    def __init__(self, profile: Profile, min_pages: int = MIN_PAGES, text_share: float = TEXT_SHARE):
        if min_pages < 2:
            raise ValueError("min_pages must be at least 2: a line on one page is no repetition")
        self.min_pages = min_pages
        self.text_share = text_share
        self.counts = {fp: n for fp, n in profile.table.counts.items() if n >= min_pages}
        self.pages = {fp: n for fp, n in profile.sites.counts.items() if n >= min_pages}

    def knows(self, site: str | None) -> bool:
        """Whether the site has pages enough for a line to be repeated on them (most sites have not)."""
        return site is not None and bool(self.counts) and self.pages.get(pages_fingerprint(site), 0) >= self.min_pages

    def repeated(self, site: str | None, lines: Sequence, is_text: Callable) -> list[int]:
        """The indexes of `lines` (Line objects) that are chrome repeated across `site`.

        - In the page's head and tail (before the first paragraph of its own running text and after
          the last, not touching them), where a site's menus, footers and link lists are, a line on
          `min_pages` pages of the site is chrome.
        - Anywhere else it needs one page more (BODY_EXTRA); running text (`is_text`) must also be
          on `text_share` of the site's pages: a site quoting its own paragraph on a few pages
          keeps it.
        - A short line touching the page's own running text (a paragraph the site does not repeat),
          just above or below it, is where an article's frame sits: its byline, date, signature, a
          series' subhead. It stays unless it opens or closes a block of the site's repeated lines
          (its neighbour on the other side is one of them).
        """
        if not self.knows(site):
            return []  # a small site (most of them): no line can be on enough of its pages
        pages = self.pages[pages_fingerprint(site)]
        least = self.min_pages
        counts = self.counts
        keys = [line_key(line.stripped) for line in lines]
        seen = [counts.get(fp, 0) if key else 0 for key, fp in zip(keys, fingerprints(site, keys))]
        if max(seen, default=0) < least:
            return []
        need = least + BODY_EXTRA
        text_need = max(need, math.ceil(self.text_share * pages))
        text = [is_text(line) for line in lines]
        chrome = [n >= need and (n >= text_need or not t) for n, t in zip(seen, text)]
        own = [t and not c for t, c in zip(text, chrome)]  # the page's own running text
        paragraphs = [i for i, o in enumerate(own) if o]
        first, last = (paragraphs[0], paragraphs[-1]) if paragraphs else (len(lines), -1)
        end = len(lines) - 1
        found = []
        for i, n in enumerate(seen):
            if n < least or own[i]:
                continue
            if not chrome[i]:
                if not text[i] and (i < first - 1 or i > last + 1):
                    found.append(i)  # in the head or the tail
                continue
            above = i > 0 and own[i - 1]
            below = i < end and own[i + 1]
            if text[i] or not (above or below):
                found.append(i)
            elif not (above and below):
                other = i + 1 if above else i - 1
                if 0 <= other <= end and chrome[other]:
                    found.append(i)  # the first or last line of a block of repeated lines
        return found
