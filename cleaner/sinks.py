"""Where a job's cleaned bytes go: a file (atomically), standard output, or nowhere."""
from __future__ import annotations

import sys
from pathlib import Path

from .atomic import AtomicFile, OutputError
from .formats import CompressingWriter

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
    """Standard output, for `cleaner clean FILE` without -o: not atomic, as a pipe cannot be."""

    changed = False

    def write(self, data: bytes, changed: bool) -> None:
        self.changed |= changed
        sys.stdout.buffer.write(data)

    def finish(self) -> bool:
        sys.stdout.buffer.flush()
        return True

    def abort(self) -> None:
        sys.stdout.buffer.flush()


class NullSink:
    """A check that only reports."""

    changed = False

    def write(self, data: bytes, changed: bool) -> None:
        self.changed |= changed

    def finish(self) -> bool:
        return False

    def abort(self) -> None:
        pass
