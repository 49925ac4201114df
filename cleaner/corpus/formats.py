"""File formats: which reader a path gets, and compressed streams in and out.

A format is the kind of document container (`text`: the file is one
document; `jsonl`: one record a line, the text in a field) plus an optional
compression (`gz`, `zst`) read from the last suffix. Compression libraries
are imported only when a compressed file is met.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

#: Container formats by the suffix before any compression suffix.
KINDS = {".txt": "text", ".md": "text", ".jsonl": "jsonl", ".html": "html", ".htm": "html"}
COMPRESSIONS = {".gz": "gz", ".zst": "zst"}
#: What `--format` accepts.
FORMAT_NAMES = tuple(dict.fromkeys(KINDS.values()))
#: Bytes looked at to tell a binary file: git's heuristic, a NUL byte among the first 8000.
SNIFF_BYTES = 8000


@dataclass(frozen=True)
class Format:
    kind: str  # "text", "jsonl" or "html"
    compression: str | None = None  # None, "gz" or "zst"

    @property
    def name(self) -> str:
        return self.kind + (f".{self.compression}" if self.compression else "")


def binary_reason(head: bytes) -> str | None:
    """Why the first bytes of a file say it is binary, or None when they look like text."""
    at = head[:SNIFF_BYTES].find(b"\0")
    return None if at == -1 else f"binary file (NUL byte at offset {at}), not text"


def compression_of(path: Path) -> str | None:
    return COMPRESSIONS.get(path.suffix.lower())


def detect(path: Path, override: str | None = None) -> Format | None:
    """The format of `path`: from its suffixes, or `override` (compression still by suffix)."""
    compression = compression_of(path)
    inner = Path(path.stem) if compression else path
    kind = override or KINDS.get(inner.suffix.lower())
    return Format(kind, compression) if kind else None


def open_read(path: Path) -> tuple[BinaryIO, BinaryIO]:
    """The decompressed stream of `path`, and the raw file under it (whose position is progress)."""
    raw = open(path, "rb")
    try:
        return _decompressing(raw, compression_of(path)), raw
    except BaseException:
        raw.close()
        raise


def _decompressing(raw: BinaryIO, compression: str | None) -> BinaryIO:
    if compression == "gz":
        import gzip
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if compression == "zst":
        import zstandard
        reader = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        return io.BufferedReader(reader, buffer_size=1 << 16)
    return raw


def stream_errors() -> tuple[type[BaseException], ...]:
    """The exceptions a corrupt or truncated compressed stream raises while it is read.

    Only the modules already loaded are asked: a run that met no compressed
    file has not imported them, and cannot meet their errors.
    """
    import sys
    errors: list[type[BaseException]] = [EOFError]
    for module, name in (("zlib", "error"), ("gzip", "BadGzipFile"), ("zstandard", "ZstdError")):
        if module in sys.modules:
            errors.append(getattr(sys.modules[module], name))
    return tuple(errors)


class CompressingWriter:
    """Writes to `raw`, compressed as `compression` says; `finish` flushes the compressor only."""

    def __init__(self, raw: BinaryIO, compression: str | None):
        self.raw = raw
        self._stream: BinaryIO | None = None
        if compression == "gz":
            import gzip
            # mtime=0 and no name: the same input gives the same bytes on every run.
            self._stream = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0, filename="")
        elif compression == "zst":
            import zstandard
            self._stream = zstandard.ZstdCompressor(level=3).stream_writer(raw, closefd=False)
        self.write = (self._stream or raw).write

    def finish(self) -> None:
        if self._stream is not None:
            self._stream.close()
