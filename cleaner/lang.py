"""Language detection: langdetect, seeded, on a bounded sample of the document.

langdetect costs about the same per call whatever the length, so the sample
is bounded to keep long documents cheap, and made of the longest running-text
lines so that a menu or a byline does not decide the language. The Rust port
`langdetect_rs` gives the same answers much faster and is used when it
imports; langdetect itself is the fallback.
"""
from __future__ import annotations

from collections.abc import Iterable

UNKNOWN = "unknown"
SAMPLE_CHARS = 600
_MIN_WORDS = 4

_detect = None


def _backend():
    global _detect
    if _detect is None:
        try:
            import langdetect_rs as backend
        except ImportError:  # pragma: no cover - exercised where the wheel is missing
            import langdetect as backend
        backend.DetectorFactory.seed = 0
        _detect = backend.detect
    return _detect


def sample(lines: Iterable[str], limit: int = SAMPLE_CHARS) -> str:
    """The longest lines of running text, in document order, up to `limit` characters."""
    candidates = [(i, ln) for i, ln in enumerate(lines) if len(ln.split()) >= _MIN_WORDS]
    if not candidates:
        candidates = list(enumerate(lines))
    chosen: list[tuple[int, str]] = []
    total = 0
    for i, ln in sorted(candidates, key=lambda p: -len(p[1])):
        if total >= limit:
            break
        piece = ln[: limit - total]
        chosen.append((i, piece))
        total += len(piece)
    return "\n".join(piece for _, piece in sorted(chosen))


def detect(lines: Iterable[str]) -> str:
    """The langdetect code of the text (`unknown` when it has no letters to go on)."""
    text = sample(list(lines))
    if not text.strip():
        return UNKNOWN
    try:
        return _backend()(text)
    except Exception:  # langdetect raises its own exception type for text without features
        return UNKNOWN
