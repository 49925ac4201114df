"""What a line and a page's site are, as the counts see them.

A line is counted by its normalised form, as CCNet's deduplication
normalises it: lower case, every digit one symbol, punctuation and runs of
spaces folded to one space. So `Updated 3 May 2021 | 10:42` and `Updated 4
June 2022 | 9:15` are one line; `Share` and `SHARE!` too.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

_DIGIT = re.compile(r"\d")
_FOLD = re.compile(r"[\W_]+")
#: Between a site and a line in what is hashed: the normalised line holds no control character.
_SEP = "\x1f"
#: What a site's page count is hashed under: no normalised line is empty.
_PAGES = "\x1e"


#: An ASCII line is folded by a byte table, some fifty times faster than the pattern: letters stay,
#: digits become 0, every other byte a space (the runs of spaces are then folded by str.split).
_ASCII_FOLD = bytes(c if chr(c).isalpha() else 48 if chr(c).isdigit() else 32 for c in range(128)) + bytes(128)


#: The same for the UTF-8 bytes of a line whose other characters are all letters: they stay.
_UTF8_FOLD = _ASCII_FOLD[:128] + bytes(range(128, 256))
_ASCII = frozenset(map(chr, range(128)))


def line_key(text: str) -> str:
    """The normalised line; "" for a line of nothing but punctuation and spaces (never counted)."""
    low = text.lower()
    if low.isascii():
        return " ".join(low.encode("ascii").translate(_ASCII_FOLD).decode("ascii").split())
    # Most such lines hold a few kinds of other characters (accents, curly quotes): each is
    # replaced as the patterns would replace it (a digit by 0, a character of no word by a
    # space), and the rest folded by the byte table, some three times faster than the patterns.
    for char in set(low).difference(_ASCII):
        if char.isdecimal():
            low = low.replace(char, "0")
        elif not char.isalnum():
            low = low.replace(char, " ")
    return " ".join(low.encode("utf-8").translate(_UTF8_FOLD).decode("utf-8").split())


def _line_key_patterns(text: str) -> str:
    """`line_key` as the patterns write it (what the faster paths must equal)."""
    return _FOLD.sub(" ", _DIGIT.sub("0", text.lower())).strip()


def fingerprint(site: str, key: str) -> int:
    """A stable 64-bit hash of a line of a site (the same in every process and on every run)."""
    return fingerprints(site, [key])[0]


def fingerprints(site: str, keys: Iterable[str]) -> list[int]:
    """`fingerprint(site, key)` for each key: blake2b-64 of site, separator and key, the site hashed once."""
    base = hashlib.blake2b(f"{site}{_SEP}".encode("utf-8", "surrogatepass"), digest_size=8)
    found = []
    for key in keys:
        h = base.copy()
        h.update(key.encode("utf-8", "surrogatepass"))
        found.append(int.from_bytes(h.digest(), "little"))
    return found


def pages_fingerprint(site: str) -> int:
    """Where the table counts the pages of a site."""
    return fingerprint(site, _PAGES)


def site_of_value(value: object) -> str | None:
    """The site of a record's field: the host of a URL (without `www.`), or the value itself when it is
    a bare host (`example.com`, as a `domain` field holds it); None when there is none."""
    if not isinstance(value, str) or not value.strip():
        return None
    value = value.strip()
    if "://" in value or value.startswith("//"):
        try:
            host = urlsplit(value).hostname
        except ValueError:
            return None
    else:
        host = value.split("/", 1)[0].lower()
    if not host:
        return None
    return host.removeprefix("www.")


def site_of_file(name: str) -> str:
    """The site of a text file: the name of its folder (so a profile made in one working directory
    serves another, and `corpus/example.com/page.txt` is of site `example.com`)."""
    return Path(name).resolve().parent.name
