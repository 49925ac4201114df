"""Config: which steps run, which extra rule files load, and the corpus settings."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Config:
    #: Step names (labels) that do not run.
    disabled: frozenset[str] = frozenset()
    #: Rule files loaded after the bundled packs.
    extra_rules: tuple[Path, ...] = ()
    #: Glob patterns of files the CLI leaves alone.
    exclude: tuple[str, ...] = ()
    #: The field of a JSON Lines record that holds the text.
    text_field: str = "text"
    #: A language code to use instead of detecting one.
    lang: str | None = None
