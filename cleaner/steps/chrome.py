"""chrome: site furniture (logos, stamps, navigation, share buttons, credits, stray tokens)."""
from __future__ import annotations

from .base import Context, PatternStep
from .neighbours import absorb_edge_runs


class Chrome(PatternStep):
    name = "chrome"

    def extend(self, ctx: Context) -> None:
        absorb_edge_runs(ctx, self.name)
