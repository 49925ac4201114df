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

from .formats import SNIFF_BYTES, binary_reason, open_read, stream_errors
from .plan import Job
from .records import BOM, holds_record
from .tasks import CHUNK_BYTES, CHUNK_RECORDS, Passed, Task
#: Byte order marks of UTF-16 and UTF-32, which cleaner.encoding decodes for HTML pages.
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


class ReadError(ValueError):
    """A file that is read fine but is not what its format says (a binary file)."""


class TextError(ValueError):
    """Bytes of a text file that are not UTF-8 text; the message says where."""


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a file's bytes and its byte order mark ("" when none), which cleaning keeps."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise TextError(f"invalid UTF-8 at line {line} (byte {exc.start})") from None
    bom = BOM if text.startswith(BOM) else ""
    return text[len(bom):], bom


def read_span(span: tuple[str, int, int]) -> bytes:
    """The bytes a task's span names; OSError when they cannot all be read."""
    path, offset, length = span
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read(length)
    if len(data) != length:
        raise OSError(f"the file changed while it was read (it has {offset + len(data)} bytes, "
                      f"{offset + length} were expected)")
    return data


def read_error(exc: OSError) -> str:
    """Why a file could not be read, as messages say it after its name."""
    if isinstance(exc, FileNotFoundError):
        return "cannot read: the file does not exist (any more)"
    return f"cannot read: {exc.strerror or exc}"


def tasks(jobs: Sequence[Job], chunk_bytes: int | None = None, chunk_records: int | None = None,
          by_reference: bool = False) -> Iterator[Task | Passed]:
    """Each job's tasks followed by its end, or by the reason it could not be read.

    With `by_reference` (tasks that go to other processes) a chunk of an
    uncompressed JSON Lines file on disk is sent as where it lies in the
    file, and the worker reads it: half a corpus less through the pipes.
    """
    chunk_bytes = chunk_bytes or CHUNK_BYTES
    chunk_records = chunk_records or CHUNK_RECORDS
    for index, job in enumerate(jobs):
        try:
            if job.fmt.kind == "jsonl":
                yield from _records(index, job, chunk_bytes, chunk_records, by_reference)
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


def _records(index: int, job: Job, chunk_bytes: int, chunk_records: int, by_reference: bool) -> Iterator[Task]:
    stream, raw = _open(job)
    try:
        # A binary file may hold no line break for gigabytes: look before reading lines.
        _sniff(stream.peek(SNIFF_BYTES)[:SNIFF_BYTES])
        # A worker reads the chunk of a plain file itself; only where it
        # starts and how long it is travel to it (see read_span).
        path = str(job.src) if by_reference and raw is stream else None  # (standard input has no raw file)
        line, record, offset, done = 1, 0, 0, 0
        for block, lines, records in _blocks(stream, chunk_bytes, chunk_records):
            # On disk: the block itself, or for a compressed file what the decompressor has taken so far.
            progress = len(block) if raw is None or raw is stream else _taken(raw, done) - done
            span = (path, offset, len(block)) if path is not None else None
            yield Task(index, job.name, "jsonl", block if span is None else b"", line, record, progress, span)
            line += lines
            record += records
            offset += len(block)
            done += progress
    finally:
        if raw is not None:
            stream.close()
            raw.close()


def _blocks(stream, chunk_bytes: int, chunk_records: int) -> Iterator[tuple[bytes, int, int]]:
    """The stream in pieces of whole lines, each about `chunk_bytes` long and of at most `chunk_records`
    lines (a longer line is a piece of its own), with the number of their lines and records.
    The last piece may lack its line end."""
    rest = b""
    while True:
        data = stream.read(chunk_bytes)
        if not data:
            break
        block = rest + data if rest else data
        cut = block.rfind(b"\n") + 1
        if not cut:
            rest = block  # a line longer than a chunk: read on
            continue
        rest = block[cut:]
        yield from _pieces(block[:cut] if rest else block, chunk_records)
    if rest:
        yield from _pieces(rest, chunk_records)


def _pieces(block: bytes, chunk_records: int) -> Iterator[tuple[bytes, int, int]]:
    lines = block.split(b"\n")
    ended = not lines[-1]
    if ended:
        lines.pop()
    start = 0
    for first in range(0, len(lines), chunk_records):
        group = lines[first:first + chunk_records]
        size = sum(map(len, group)) + len(group) - (not ended and first + chunk_records >= len(lines))
        records = sum(map(holds_record, group))
        yield (block if size == len(block) else block[start:start + size]), len(group), records
        start += size


def _taken(raw, fallback: int) -> int:
    """How far into a compressed file its decompressor has read (`fallback` when it cannot say)."""
    try:
        return raw.tell()
    except OSError:
        return fallback


def _sniff(head: bytes) -> None:
    reason = binary_reason(head)
    if reason is not None:
        raise ReadError(reason)


def _reason(exc: BaseException, job: Job) -> str:
    if isinstance(exc, ReadError):
        return str(exc)
    if isinstance(exc, stream_errors()):  # before OSError: a bad gzip header is one
        kind = {"gz": "gzip", "zst": "zstd"}.get(job.fmt.compression or "", "compressed")
        return f"cannot read: corrupt or truncated {kind} stream ({exc or type(exc).__name__})"
    return read_error(exc)
