"""Language detection: langdetect, seeded, on a bounded sample of the document.

langdetect costs about the same per call whatever the length, so the sample
is bounded to keep long documents cheap, and made of the longest running-text
lines so that a menu or a byline does not decide the language. The Rust port
`langdetect_rs` gives the same answers much faster and can take a batch of
documents in one call, spread over threads; langdetect itself is the fallback.
"""
from __future__ import annotations

import os
from collections.abc import Sequence

UNKNOWN = "unknown"
SAMPLE_CHARS = 600
_MIN_SPACES = 3  # four words or more: a line of text, not a label

_backend = None


def backend():
    """The detection module in use: langdetect_rs when it imports, else langdetect."""
    global _backend
    if _backend is None:
        try:
            import langdetect_rs as module
        except ImportError:  # pragma: no cover - exercised where the wheel is missing
            import langdetect as module
        module.DetectorFactory.seed = 0
        _backend = module
    return _backend


def limit_threads(n: int) -> None:
    """Let a batch use at most `n` threads in this process and those it starts.

    The Rust port spreads a batch over a thread pool as large as the machine;
    the CLI calls this with its --jobs, so that `--jobs 1` keeps to one CPU
    (a pool already made keeps its size: call it before the first detection).
    A RAYON_NUM_THREADS the user set wins.
    """
    os.environ.setdefault("RAYON_NUM_THREADS", str(max(1, n)))


def sample(lines: Sequence[str], limit: int = SAMPLE_CHARS) -> str:
    """The longest lines of running text, in document order, up to `limit` characters."""
    return sample_text(lines, sample_lines(lines, limit), limit)


def sample_text(lines: Sequence[str], chosen: Sequence[int], limit: int = SAMPLE_CHARS) -> str:
    """The sample made of the lines `sample_lines` chose."""
    return "\n".join(lines[i] for i in chosen)[:limit + len(chosen)]


def sample_lines(lines: Sequence[str], limit: int = SAMPLE_CHARS) -> list[int]:
    """The indexes of the lines `sample` takes, in order. Which they are depends only on
    the lines themselves and the longer ones: taking out other lines leaves them."""
    lengths = list(map(len, lines))
    # Longest first, and among equals the first in the document (the sort is
    # stable); lines of a few words are passed over, unless all are such.
    longest = sorted(range(len(lines)), key=lengths.__getitem__, reverse=True)
    chosen: list[int] = []
    total = 0
    for picky in (True, False):
        for i in longest:
            if total >= limit:
                break
            if not picky or lines[i].count(" ") >= _MIN_SPACES:
                chosen.append(i)
                total += lengths[i]
        if chosen:
            break
    chosen.sort()
    return chosen


def detect(lines: Sequence[str]) -> str:
    """The langdetect code of the text (`unknown` when it has no letters to go on)."""
    return detect_many([lines])[0]


def detect_many(documents: Sequence[Sequence[str]]) -> list[str]:
    """`detect` for many documents; the Rust port takes them in one call."""
    return detect_samples([sample(lines) for lines in documents])


def detect_samples(samples: Sequence[str]) -> list[str]:
    """The language of each sample made by `sample`."""
    module = backend()
    batch = getattr(module, "detect_batch", None)
    if batch is not None:
        return [lang or UNKNOWN for lang in batch([s if s.strip() else "" for s in samples])]
    return [_one(module, s) for s in samples]


def _one(module, text: str) -> str:
    if not text.strip():
        return UNKNOWN
    try:
        return module.detect(text)
    except module.LangDetectException:
        return UNKNOWN
