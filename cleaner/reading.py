"""Reading the files of a run as tasks for the workers, lazily.

A text file is one task. A JSON Lines file is cut into chunks of records as
the workers ask for more, so a file of any size is read as a stream. A file
that cannot be read, in full or part way, ends with a `Passed` item that
says why, in its place in the order.
"""
from __future__ import annotations

import codecs
import sys
from collections.abc import Iterator, Sequence

from .corpus import Job
from .formats import SNIFF_BYTES, binary_reason, open_read, stream_errors
from .workers import Passed, Task

#: A chunk of records goes to a worker when it holds this many bytes or records.
CHUNK_BYTES = 1 << 20
CHUNK_RECORDS = 2000
#: Byte order marks of UTF-16 and UTF-32, which cleaner.encoding decodes for HTML pages.
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


class ReadError(ValueError):
    """A file that is read fine but is not what its format says (a binary file)."""


def tasks(jobs: Sequence[Job], chunk_bytes: int | None = None,
          chunk_records: int | None = None) -> Iterator[Task | Passed]:
    """Each job's tasks followed by its end, or by the reason it could not be read."""
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    chunk_records = chunk_records or CHUNK_RECORDS
    for index, job in enumerate(jobs):
        try:
            if job.fmt.kind == "jsonl":
                yield from _records(index, job, chunk_bytes, chunk_records)
            else:
                yield _text(index, job)
        except Exception as exc:
            # Asked here, not before the loop: the decompressors' errors are
            # known once a compressed file has been opened.
            if not isinstance(exc, (OSError, ReadError, *stream_errors())):
                raise
            yield Passed(index, f"{job.name}: {_reason(exc, job)}")
        else:
            yield Passed(index)


def _open(job: Job):
    if job.src is None:
        stream = sys.stdin.buffer
        return stream, None
    return open_read(job.src)


def _text(index: int, job: Job) -> Task:
    stream, raw = _open(job)
    try:
        data = stream.read()
    finally:
        if raw is not None:
            stream.close()
            raw.close()
    if not (job.fmt.kind == "html" and data.startswith(_WIDE_BOMS)):
        # A page in UTF-16 or UTF-32 is full of NUL bytes; its byte order mark says it is text.
        _sniff(data[:SNIFF_BYTES])
    return Task(index, job.name, job.fmt.kind, data, progress=job.size or len(data))


def _records(index: int, job: Job, chunk_bytes: int, chunk_records: int) -> Iterator[Task]:
    stream, raw = _open(job)
    try:
        # A binary file may hold no line break for gigabytes: look before reading lines.
        _sniff(stream.peek(SNIFF_BYTES)[:SNIFF_BYTES])
        batch: list[bytes] = []
        size = record = done = 0
        line = 1
        for piece in stream:
            batch.append(piece)
            size += len(piece)
            if size >= chunk_bytes or len(batch) >= chunk_records:
                progress = _position(raw, done + size) - done
                yield Task(index, job.name, "jsonl", batch, line, record, progress)
                line += len(batch)
                record += sum(1 for b in batch if b.strip())
                done += progress
                batch, size = [], 0
        if batch:
            yield Task(index, job.name, "jsonl", batch, line, record, _position(raw, done + size) - done)
    finally:
        if raw is not None:
            stream.close()
            raw.close()


def _position(raw, read: int) -> int:
    """Bytes of the file on disk consumed so far (the compressed position for compressed files)."""
    if raw is None:
        return read
    try:
        return raw.tell()
    except OSError:
        return read


def _sniff(head: bytes) -> None:
    reason = binary_reason(head)
    if reason is not None:
        raise ReadError(reason)


def _reason(exc: BaseException, job: Job) -> str:
    if isinstance(exc, ReadError):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return "cannot read: the file does not exist (any more)"
    if isinstance(exc, stream_errors()):  # before OSError: a bad gzip header is one
        kind = {"gz": "gzip", "zst": "zstd"}.get(job.fmt.compression or "", "compressed")
        return f"cannot read: corrupt or truncated {kind} stream ({exc or type(exc).__name__})"
    return f"cannot read: {exc.strerror or exc}"
