"""Where cleaned bytes go: a file written atomically, standard output, or nowhere.

Atomic writes: a temporary file in the target's folder, then one rename.

A reader of the target sees the old file or the whole new one, never a part,
whatever happens to the run (an error, Ctrl-C, a full disk). The temporary
file lives in the same folder because a rename is only atomic within one
file system.
"""
from __future__ import annotations

import os
import re
import sys
import secrets
from pathlib import Path

from .formats import CompressingWriter

#: Temporary files not yet committed or discarded, so an interrupted run can
#: remove them even if an exception skipped the owner's cleanup.
_LIVE: set[Path] = set()
TEMP_SUFFIX = ".cleaner-tmp"


class OutputError(OSError):
    """An output that cannot be written; the message names the file."""


class AtomicFile:
    """A binary file written under a temporary name and renamed onto `target` by `commit`.

    `mode_from` copies the permission bits of an existing file (the input of
    an in-place rewrite); otherwise the file gets the usual umask-based mode.
    """

    def __init__(self, target: Path, mode_from: Path | None = None):
        self.target = Path(target)
        self.mode_from = mode_from
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            fd = self._create()
        except OSError as exc:
            raise OutputError(f"{self.target}: cannot write: {exc.strerror or exc}") from None
        self.file = os.fdopen(fd, "wb")

    def _create(self) -> int:
        """Open a new temporary file, known to `remove_leftovers` before it exists: a Ctrl-C or
        SIGTERM between making it and noting it would leave it behind."""
        prefix = f".{self.target.name}.{os.getpid()}."
        while True:
            self.temp = self.target.parent / f"{prefix}{secrets.token_hex(4)}{TEMP_SUFFIX}"
            _LIVE.add(self.temp)
            try:
                return os.open(self.temp, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:  # another's name: not ours to remove
                _LIVE.discard(self.temp)

    def write(self, data: bytes) -> None:
        try:
            self.file.write(data)
        except OSError as exc:
            raise OutputError(f"{self.target}: cannot write: {exc.strerror or exc}") from None

    def flush(self) -> None:
        try:
            self.file.flush()
        except OSError as exc:
            raise OutputError(f"{self.target}: cannot write: {exc.strerror or exc}") from None

    def commit(self) -> None:
        try:
            self.file.close()
            os.chmod(self.temp, _mode(self.mode_from))
            os.replace(self.temp, self.target)
        except OSError as exc:
            self.discard()
            raise OutputError(f"{self.target}: cannot write: {exc.strerror or exc}") from None
        _LIVE.discard(self.temp)

    def discard(self) -> None:
        self.file.close()
        _remove(self.temp)

    def __enter__(self) -> "AtomicFile":
        return self

    def __exit__(self, kind, value, tb) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


def write_atomic(target: Path, data: bytes, mode_from: Path | None = None) -> None:
    with AtomicFile(target, mode_from) as out:
        out.write(data)


def remove_leftovers() -> None:
    """Remove every temporary file this process has not committed (after Ctrl-C)."""
    for temp in list(_LIVE):
        _remove(temp)


#: A temporary file's name: `.TARGET.PID.RANDOM.cleaner-tmp`, PID the process that writes it.
_TEMP_NAME = re.compile(r"\.(?P<target>.+)\.(?P<pid>\d+)\.[^.]+" + re.escape(TEMP_SUFFIX))


def clear_stale(folders) -> int:
    """Remove the temporary files in `folders` that a run killed outright (kill -9, a crash) left.

    Only those whose writer is gone: another run writing into the same folder
    keeps its own. Returns how many were removed.
    """
    removed = 0
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:  # not made yet, or not ours to read: the run says so if it matters
            continue
        for entry in entries:
            match = _TEMP_NAME.fullmatch(entry.name)
            if match is None or _alive(int(match["pid"])) or not entry.is_file(follow_symlinks=False):
                continue
            try:
                os.unlink(entry.path)
                removed += 1
            except OSError:
                pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):  # another user's process; or not a pid at all
        return True
    return True


def _remove(temp: Path) -> None:
    # Unlinked before it is forgotten, so that an interruption in between leaves it for remove_leftovers.
    try:
        temp.unlink()
    except FileNotFoundError:
        pass
    _LIVE.discard(temp)


def _mode(source: Path | None) -> int:
    if source is not None:
        try:
            return os.stat(source).st_mode & 0o7777
        except OSError:
            pass
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


#: An in-place rewrite holds this much output in memory before it opens a
#: temporary file, so that checking small unchanged files writes nothing at all.
HOLD_BYTES = 1 << 20


class FileSink:
    """Writes a job's output to `target` through a temporary file.

    With `only_if_changed` (in-place rewrites) an unchanged file is left
    exactly as it was: not rewritten, not even touched.
    """

    def __init__(self, target: Path, compression: str | None, *, only_if_changed: bool = False):
        self.target = target
        self.compression = compression
        self.only_if_changed = only_if_changed
        self.changed = False
        self._held: list[bytes] = []
        self._held_size = 0
        self._file: AtomicFile | None = None
        self._writer: CompressingWriter | None = None

    def write(self, data: bytes, changed: bool) -> None:
        self.changed |= changed
        if self._writer is not None:
            self._writer.write(data)
            return
        self._held.append(data)
        self._held_size += len(data)
        if self._held_size > HOLD_BYTES:
            self._open()

    def finish(self) -> bool:
        """Commit the output; False when an unchanged in-place file was left alone."""
        if self.only_if_changed and not self.changed:
            self.abort()
            return False
        if self._writer is None:
            self._open()
        try:
            self._writer.finish()
        except OSError as exc:
            self.abort()
            if isinstance(exc, OutputError):  # already names the file
                raise
            raise OutputError(f"{self.target}: cannot write: {exc.strerror or exc}") from None
        self._file.commit()
        return True

    def abort(self) -> None:
        self._held = []
        if self._file is not None:
            self._file.discard()

    def _open(self) -> None:
        mode_from = self.target if self.only_if_changed else None
        self._file = AtomicFile(self.target, mode_from)
        self._writer = CompressingWriter(self._file, self.compression)
        for data in self._held:
            self._writer.write(data)
        self._held = []


class StdoutSink:
    """Standard output, for `cleaner clean FILE` without -o: not atomic, as a pipe cannot be.

    `head` goes out before the document (the separator and header of one of
    several documents); with `end_line` a document that does not end with a
    newline gets one, so that the next starts on a line of its own.
    """

    changed = False

    def __init__(self, head: bytes = b"", end_line: bool = False):
        self.head = head
        self.end_line = end_line
        self.last = b""

    def write(self, data: bytes, changed: bool) -> None:
        self.changed |= changed
        for piece in (self.head, data) if self.head else (data,):
            if piece:
                sys.stdout.buffer.write(piece)
                self.last = piece[-1:]
        self.head = b""

    def finish(self) -> bool:
        if self.head:  # an empty document still has its header
            self.write(b"", False)
        self._end_line()
        sys.stdout.buffer.flush()
        return True

    def abort(self) -> None:
        self._end_line()  # what went out of a file found bad part way cannot be taken back
        sys.stdout.buffer.flush()

    def _end_line(self) -> None:
        if self.end_line and self.last not in (b"", b"\n"):
            sys.stdout.buffer.write(b"\n")
            self.last = b"\n"


class NullSink:
    """A check that only reports."""

    changed = False

    def write(self, data: bytes, changed: bool) -> None:
        self.changed |= changed

    def finish(self) -> bool:
        return False

    def abort(self) -> None:
        pass
