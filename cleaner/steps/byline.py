"""byline: author and date lines, bios and contributor notes; they become metadata."""
from __future__ import annotations

from .base import Context, PatternStep


class Byline(PatternStep):
    name = "byline"

    def finish(self, ctx: Context) -> None:
        for i in ctx.matched:
            rule = ctx.hits[i]
            if ctx.labels[i] != self.name:
                continue
            found = rule.matches(ctx.lines[i].stripped)
            groups = found.groupdict() if found else {}
            for key in ("author", "date"):
                value = (groups.get(key) or "").strip()
                if value and key not in ctx.metadata:
                    ctx.metadata[key] = value
