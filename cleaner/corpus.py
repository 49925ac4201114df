"""A corpus on disk: which files a run takes, where each one goes, and reading them as tasks.

Files are listed before anything is read (so a file that vanishes later is
met as a read error, in its turn), in a stable order, and read lazily: a JSON
Lines file is cut into chunks of records as the workers ask for more.
"""
from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .formats import SNIFF_BYTES, Format, binary_reason, detect, open_read, stream_errors
from .workers import Passed, Task

#: A chunk of records goes to a worker when it holds this many bytes or records.
CHUNK_BYTES = 1 << 20
CHUNK_RECORDS = 2000
STDIN = "-"


class UsageError(ValueError):
    """Arguments that cannot work together; nothing has been read or written."""


@dataclass(frozen=True)
class Job:
    """One input file and what becomes of it."""

    src: Path | None  # None: standard input
    name: str  # how messages name it
    fmt: Format
    dst: Path | None  # the output file; None: standard output, or no output (check)
    size: int = 0  # bytes on disk when the run was planned, for the progress bar

    @property
    def in_place(self) -> bool:
        return self.src is not None and self.dst == self.src


def plan(paths: Sequence[str], config: Config, *, fmt: str | None = None, out: Path | None = None,
         in_place: bool = False) -> list[Job]:
    """The jobs for `paths` (files and folders, walked recursively), in a stable order.

    With `out`, a folder argument's tree is mirrored under it and a file
    argument lands directly in it; a single input file may also be written to
    `out` itself when `out` names a file of a known format.
    """
    found: list[tuple[Path | None, str, Format, Path]] = []
    out_resolved = out.resolve() if out is not None else None
    for arg in paths:
        if arg == STDIN:
            found.append((None, "<stdin>", Format(fmt or "text"), Path("stdin")))
            continue
        path = Path(arg)
        if path.is_dir():
            for file in _walk(path, out_resolved, fmt is not None):
                if not excluded(file, config):
                    found.append((file, str(file), detect(file, fmt), file.relative_to(path)))
            continue
        kind = detect(path, fmt)
        if kind is None:
            raise UsageError(f"{path}: unknown format; name it with --format {{text,jsonl}}")
        if not excluded(path, config):
            found.append((path, str(path), kind, Path(path.name)))
    jobs: list[Job] = []
    seen: dict[Path, str] = {}
    targets: dict[Path, str] = {}
    single_file = len(paths) == 1 and len(found) == 1 and not Path(paths[0]).is_dir()
    for src, name, kind, rel in found:
        key = src.resolve() if src is not None else None
        if key is not None and key in seen:
            continue  # named twice, or named and found in a folder: clean it once
        if key is not None:
            seen[key] = name
        dst = _target(src, rel, out, in_place, single_file)
        if dst is not None and dst == out and detect(out).kind != kind.kind:
            raise UsageError(f"{name} is {kind.kind} but {out} names a {detect(out).kind} file")
        if src is None and (out is not None or in_place):
            raise UsageError("standard input is cleaned to standard output; drop -o and --in-place")
        if dst is not None and not in_place:
            if src is not None and _same_file(src, dst):
                raise UsageError(f"{name}: the output would overwrite the input; use --in-place to mean it")
            clash = targets.get(dst.resolve())
            if clash is not None:
                raise UsageError(f"{name} and {clash} would both be written to {dst}")
            targets[dst.resolve()] = name
        jobs.append(Job(src, name, kind, dst, _size(src)))
    return jobs


def _target(src: Path | None, rel: Path, out: Path | None, in_place: bool, single_file: bool) -> Path | None:
    if in_place:
        return src
    if out is None:
        return None
    if single_file and not out.is_dir() and detect(out) is not None:
        return out
    return out / rel


def _walk(top: Path, skip: Path | None, every_file: bool) -> Iterator[Path]:
    """Files under `top` in name order; hidden entries and the output folder are left out."""
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (skip is None or Path(folder, d).resolve() != skip))
        for name in sorted(files):
            file = Path(folder, name)
            if not name.startswith(".") and (every_file or detect(file) is not None):
                yield file


def excluded(path: Path, config: Config) -> bool:
    """True when a pattern of `config.exclude` matches `path` (see `glob_matches`)."""
    if not config.exclude:
        return False
    root = (config.root or Path.cwd()).resolve()
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    return any(glob_matches(pattern, rel) for pattern in config.exclude)


def glob_matches(pattern: str, rel: str) -> bool:
    """gitignore-like: a pattern with a slash matches the path from the root (`**` spans
    folders); one without matches any file or folder name; a folder takes its contents along."""
    if "/" in pattern.strip("/"):
        return _glob_regex(pattern.strip("/")).match(rel) is not None
    regex = _glob_regex(pattern.strip("/"))
    return any(regex.match(part) for part in rel.split("/"))


def _glob_regex(pattern: str) -> re.Pattern:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 2:]:
            end = pattern.index("]", i + 2)
            body = pattern[i + 1:end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body).replace("\\", "\\\\") + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out) + "(?:/.*)?$")


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _size(src: Path | None) -> int:
    try:
        return src.stat().st_size if src is not None else 0
    except OSError:
        return 0


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


class ReadError(ValueError):
    """A file that is read fine but is not what its format says (a binary file)."""


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
    _sniff(data[:SNIFF_BYTES])
    return Task(index, job.name, "text", data, progress=job.size or len(data))


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
    if isinstance(exc, OSError):
        return f"cannot read: {exc.strerror or exc}"
    kind = {"gz": "gzip", "zst": "zstd"}.get(job.fmt.compression or "", "compressed")
    return f"cannot read: corrupt or truncated {kind} stream ({exc or type(exc).__name__})"


def useful_workers(jobs: Sequence[Job], requested: int) -> int:
    """No more workers than there can be tasks: a small input is cleaned in this process."""
    tasks = 0
    for job in jobs:
        if job.fmt.kind != "jsonl":
            tasks += 1
        elif job.src is None:
            return requested  # standard input: no size to go by
        else:
            # Compressed JSON Lines text is several times its size on disk.
            size = job.size * (4 if job.fmt.compression else 1)
            tasks += 1 + size // CHUNK_BYTES
        if tasks >= requested:
            return requested
    return max(1, min(requested, tasks))
