"""Standard input without --format: a stream has no extension to say whether it holds records.

Cleaned as one text, a JSON Lines stream loses records without a word (a
record repeated is a paragraph repeated, and goes), so a stream whose first
line is a JSON object is not guessed at: the caller asks for --format.
"""
from __future__ import annotations

import io
import json
import sys

#: How far to look for the end of the first line; a longer one is judged by how it starts.
LOOK_BYTES = 1 << 20


def starts_with_record() -> bool:
    """True when the first non-blank line of standard input is a JSON object.

    What was read to tell stays readable: standard input is replaced by a
    stream that gives those bytes first, then the rest.
    """
    old = sys.stdin
    source = old.buffer
    head = b""
    while True:
        data = source.read1(LOOK_BYTES) if hasattr(source, "read1") else source.read(LOOK_BYTES)
        head += data
        first = head.lstrip()
        if not data or b"\n" in first or len(head) >= LOOK_BYTES:
            break
    sys.stdin = io.TextIOWrapper(io.BufferedReader(_Rejoined(head, old)),
                                 encoding=getattr(old, "encoding", None) or "utf-8")
    line = first.split(b"\n", 1)[0]
    if not line.startswith(b"{"):
        return False
    if b"\n" not in first and data:  # a first line longer than LOOK_BYTES
        return line.startswith(b'{"')
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:  # not JSON, or not UTF-8
        return False


class _Rejoined(io.RawIOBase):
    """The bytes already read, then the rest of the stream."""

    def __init__(self, head: bytes, stdin):
        self.head = memoryview(head)
        self.stdin = stdin  # held: were it collected, it would close the stream under us
        self.rest = stdin.buffer

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size] = self.head[:size]
            self.head = self.head[size:]
            return size
        data = self.rest.read1(len(buffer)) if hasattr(self.rest, "read1") else self.rest.read(len(buffer))
        buffer[:len(data)] = data
        return len(data)
