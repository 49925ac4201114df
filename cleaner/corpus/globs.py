"""Exclude patterns, matched the way .gitignore matches them."""
from __future__ import annotations

import re


def glob_matches(pattern: str, rel: str) -> bool:
    """gitignore-like: a pattern with a slash matches the path from the root (`**` spans
    folders); one without matches any file or folder name; a folder takes its contents along."""
    if "/" in pattern.strip("/"):
        return _glob_regex(pattern.strip("/")).match(rel) is not None
    regex = _glob_regex(pattern.strip("/"))
    return any(regex.match(part) for part in rel.split("/"))


def _glob_regex(pattern: str) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?$")
