"""cookie: cookie, consent and privacy notices."""
from __future__ import annotations

from .base import PatternStep


class Cookie(PatternStep):
    name = "cookie"
