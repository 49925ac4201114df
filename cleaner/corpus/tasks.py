"""What travels between the reader, the workers and the run: tasks, their results, the options.

A task is one text or HTML file or one chunk of records of a JSON Lines
file; its result depends on nothing but the task, the options and the
Cleaner, which is why a run's output is the same whatever its workers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..document import Decision
from .stats import Tally

#: A chunk of records goes to a worker when it holds this many bytes or records.
CHUNK_BYTES = 1 << 20
CHUNK_RECORDS = 2000


@dataclass(frozen=True)
class Options:
    """What the workers produce besides the output (set once per worker, one per configuration)."""

    text_field: str = "text"
    removed: bool = False  # one JSON record per removed line, for --removed
    changes: bool = False  # the removed and joined lines, for check's report
    diff: bool = False  # a unified diff per changed document, for check --diff
    html_field: str | None = None  # JSON Lines: the field holding a page's HTML, for --html-field
    metadata: bool = False  # metadata out: a record field, or a sidecar file's content, for --metadata
    metadata_field: str = "metadata"  # the record field metadata goes to, for --metadata-field
    explain: bool = False  # each document's decisions as `cleaner explain` prints them
    #: JSON Lines: the field whose URL (or host) is a record's site, for a site-lines profile.
    site_field: str = "url"
    #: Count each page's lines under its site instead of cleaning (pass one of the corpus mode): the
    #: capacity of the table each task's counts go to (0: clean).
    count_sites: int = 0


@dataclass
class Task:
    job: int
    name: str  # the file as messages name it
    kind: str  # "text", "jsonl" or "html"
    data: bytes  # a whole text or HTML file, or whole lines of JSON Lines (the last may lack its line end)
    first_line: int = 1  # line number in the file of the first line of data
    first_record: int = 0  # index of the first record among the file's records
    progress: int = 0  # bytes of the file on disk this task accounts for
    #: (path, offset, length) where the lines lie in a plain file, which the worker reads itself (data is empty).
    span: tuple[str, int, int] | None = None
    setting: int = 0  # the configuration of its file (Job.setting): which Cleaner and Options clean it

    @property
    def size(self) -> int:
        """Bytes of content this task holds."""
        return self.span[2] if self.span is not None else len(self.data)


@dataclass(frozen=True)
class Change:
    """A line a check reports: where it is (file line and record for JSON Lines) and the decision."""

    file_line: int | None
    record: int | None
    record_id: str | int | None
    decision: Decision


@dataclass
class TaskResult:
    output: bytes = b""
    changed: bool = False
    tally: Tally = field(default_factory=Tally)
    removed: bytes = b""
    changes: list[Change] = field(default_factory=list)
    diffs: list[str] = field(default_factory=list)
    #: Bad records, left out of the output: (line in the file, reason, the line as it was).
    errors: list[tuple[int, str, bytes]] = field(default_factory=list)
    #: The whole file cannot be used (a text file that is not UTF-8).
    file_error: str | None = None
    #: A text or HTML file's metadata, for its sidecar file (with --metadata).
    metadata: dict | None = None
    #: Pages that gave no article text: where they are, for a warning each.
    no_text: list[str] = field(default_factory=list)
    #: With Options.explain: (record index, or None for a text or HTML file; the printed explanation).
    explained: list[tuple[int | None, str]] = field(default_factory=list)
    #: With Options.count_sites: the task's pages counted (a cleaner.sites.profile.Profile).
    profile: object = None
    pid: int = 0


@dataclass
class Passed:
    """An item that needs no worker (the end of a file, a read error); it keeps its place in line."""

    job: int
    message: str | None = None  # None: the file ended; otherwise why it could not be read
