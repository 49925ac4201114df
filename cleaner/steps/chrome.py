"""chrome: site furniture (logos, stamps, navigation, share buttons, credits, stray tokens)."""
from __future__ import annotations

from .base import Context, PatternStep
from .neighbours import absorb_edge_runs


class Chrome(PatternStep):
    name = "chrome"

    def apply_edges(self, ctx: Context) -> None:
        self.label_hits(ctx)
        absorb_edge_runs(ctx, self.name)
