"""The work of a worker, and the pool that hands it out in order.

A task is one text file or one chunk of records of a JSON Lines file; its
result depends on nothing but the task and the Cleaner, and results are
consumed in the order tasks were made. That is why the output is byte for
byte the same whatever the number of workers, and why the records of one big
file can be spread over all of them.
"""
from __future__ import annotations

import gc
import io
import json
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from .document import JOIN, Decision, Result
from .records import BOM, RecordError, holds_record, parse, record_id, replace_text, set_fields
from .stats import Tally


@dataclass(frozen=True)
class Options:
    """What the workers produce besides the output (set once per worker)."""

    text_field: str = "text"
    removed: bool = False  # one JSON record per removed line, for --removed
    changes: bool = False  # the removed and joined lines, for check's report
    diff: bool = False  # a unified diff per changed document, for check --diff
    html_field: str | None = None  # JSON Lines: the field holding a page's HTML, for --html-field
    metadata: bool = False  # metadata out: a record field, or a sidecar file's content, for --metadata


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
    #: Bad records, passed through unchanged: (line in the file, reason).
    errors: list[tuple[int, str]] = field(default_factory=list)
    #: The whole file cannot be used (a text file that is not UTF-8).
    file_error: str | None = None
    #: A text or HTML file's metadata, for its sidecar file (with --metadata).
    metadata: dict | None = None
    #: Pages that gave no article text: where they are, for a warning each.
    no_text: list[str] = field(default_factory=list)
    pid: int = 0


_state: tuple | None = None  # (cleaner, options) of this process
#: Items in flight per worker: enough that a slow chunk at the head of the
#: line does not leave the other workers idle, few enough that memory stays
#: flat (an item is at most a chunk of about 1 MB, and its result).
IN_FLIGHT = 4


def init(cleaner, options: Options, child: bool = False) -> None:
    """Set up a worker once: the Cleaner is unpickled here, not per task."""
    global _state
    _state = (cleaner, options)
    # The rules and language profiles live as long as the run: out of the
    # collector's sight, full collections do not walk them again and again
    # (about 1.5 % of a run), and forked workers do not copy the pages it would touch.
    gc.freeze()
    if child:
        import signal
        # Ctrl-C is the main process's to handle: it stops the pool and
        # removes temporary files; a worker would only print a traceback.
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def process(task: Task) -> TaskResult:
    cleaner, options = _state
    result = TaskResult(pid=os.getpid())
    READERS[task.kind](task, cleaner, options, result)
    return result


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


def _text(task: Task, cleaner, options: Options, out: TaskResult) -> None:
    data = task.data
    try:
        text, bom = decode_text(data)
    except TextError as exc:
        out.file_error = str(exc)
        return
    result = _explain(lambda: cleaner.explain(text), task.name)
    out.output = (bom + result.text).encode("utf-8")
    out.metadata = result.metadata
    out.changed = result.text != text
    out.tally.add(result, text)
    out.tally.bytes_in, out.tally.bytes_out = len(data), len(out.output)
    _collect(task, options, out, result, text, None, None, None)


def _html(task: Task, cleaner, options: Options, out: TaskResult) -> None:
    result, extracted = _explain_page(task.data, cleaner, task.name, out)
    out.output = result.text.encode("utf-8")
    out.changed = True  # the output is text, never the page it came from
    out.tally.add(result, extracted)
    out.tally.bytes_in, out.tally.bytes_out = len(task.data), len(out.output)
    out.metadata = result.metadata
    _collect(task, options, out, result, extracted, None, None, None)


def _explain_page(html: str | bytes, cleaner, where: str, out: TaskResult) -> tuple[Result, str]:
    """A page through trafilatura and the chain, and the text trafilatura extracted (what the chain cleaned).

    trafilatura is imported here, in the worker, and only when a page is met.
    """
    from .html import NO_TEXT, UNDECODABLE, explain_html

    bad = isinstance(html, str) and _SURROGATE.search(html) is not None
    if bad:
        # A lone surrogate (from a \u escape in a JSON record) makes lxml stop reading the page there.
        html = _SURROGATE.sub("\ufffd", html)
    result = _explain(lambda: explain_html(html, cleaner=cleaner), where)
    warnings = result.metadata.setdefault("warnings", [])
    if bad and UNDECODABLE not in warnings:
        warnings.append(UNDECODABLE)
    if NO_TEXT in warnings:
        out.no_text.append(where)
    # explain_html's decisions are one per line of the extracted text, which has no blank lines.
    return result, "\n".join(d.text for d in result.decisions)


_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass
class _Record:
    number: int  # line in the file
    index: int  # among the file's records
    raw: bytes
    bom: str
    line: str
    record: dict
    text: str


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


def _jsonl(task: Task, cleaner, options: Options, out: TaskResult) -> None:
    data = task.data
    if task.span is not None:
        try:
            data = read_span(task.span)
        except OSError as exc:
            out.file_error = read_error(exc)
            return
    # Parsed first and cleaned together, so that the languages of the whole
    # chunk are detected in one call.
    pieces: list[bytes | _Record] = []
    record = task.first_record
    for offset, raw in enumerate(io.BytesIO(data)):
        number = task.first_line + offset
        if not holds_record(raw):  # a blank line passes as it is
            pieces.append(raw)
            continue
        body = raw.rstrip(b"\r\n")
        index, record = record, record + 1
        try:
            line = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            out.errors.append((number, f"invalid UTF-8 at column {exc.start + 1}"))
            pieces.append(raw)
            continue
        bom = BOM if number == 1 and line.startswith(BOM) else ""
        line = line[len(bom):]
        try:
            rec, text = parse(line, options.html_field or options.text_field)
        except RecordError as exc:
            out.errors.append((number, str(exc)))
            pieces.append(raw)
            continue
        pieces.append(_Record(number, index, raw, bom, line, rec, text))
    records = [p for p in pieces if isinstance(p, _Record)]
    extracted: dict[int, str] = {}  # the text extracted from an HTML field, by record index
    results = _explain_records(task, cleaner, options, out, records, extracted)
    output: list[bytes] = []
    for piece in pieces:
        if isinstance(piece, bytes):
            output.append(piece)
            continue
        result = results[piece.index]
        end = piece.raw[len(piece.raw.rstrip(b"\r\n")):]
        if options.html_field or options.metadata:
            # Fields set or added at the end; the record's own fields keep their bytes and order.
            new = set_fields(piece.line, {options.text_field: result.text, "metadata": result.metadata})
            output.append((piece.bom + new).encode("utf-8") + end)
            out.changed = True
        elif result.text == piece.text:
            output.append(piece.raw)
        else:
            new = piece.bom + replace_text(piece.line, options.text_field, result.text)
            output.append(new.encode("utf-8") + end)
            out.changed = True
        source = extracted.get(piece.index, piece.text)
        out.tally.add(result, source)
        _collect(task, options, out, result, source, piece.number, piece.index, record_id(piece.record))
    out.output = b"".join(output)
    out.tally.bytes_in = len(data)
    out.tally.bytes_out = len(out.output)


def _explain_records(task: Task, cleaner, options: Options, out: TaskResult,
                     records: list[_Record], extracted: dict[int, str]) -> dict[int, Result]:
    if options.html_field:
        results = {}
        for r in records:
            results[r.index], extracted[r.index] = _explain_page(r.text, cleaner, f"{task.name}:{r.number}", out)
        return results
    where = f"{task.name}:{records[0].number}-{records[-1].number}" if records else task.name
    found = _explain(lambda: cleaner.explain_many([r.text for r in records]), where)
    return {r.index: result for r, result in zip(records, found)}


def _explain(run, where: str) -> Result:
    try:
        return run()
    except Exception as exc:
        # A bug, not bad input; say which document so it can be reproduced.
        raise RuntimeError(f"{where}: cleaning failed: {type(exc).__name__}: {exc}") from exc


#: How each kind of file (formats.KINDS) becomes documents: a new input format is one entry here.
READERS = {"text": _text, "jsonl": _jsonl, "html": _html}


def _collect(task: Task, options: Options, out: TaskResult, result: Result, text: str,
             file_line: int | None, record: int | None, rid) -> None:
    if options.removed:
        out.removed += b"".join(
            _json_line({"file": task.name, "record": record, "id": rid, "line": d.line, "label": d.label,
                        "rule": d.rule_id, "text": d.text})
            for d in result.removed)
    if options.changes:
        out.changes.extend(Change(file_line, record, rid, d) for d in result.decisions
                           if d.removed or d.label == JOIN)
    if options.diff and result.text != text:
        from .textdiff import unified
        where = task.name if file_line is None else f"{task.name}:{file_line}"
        out.diffs.append(unified(text, result.text, where))


def _json_line(value: dict) -> bytes:
    try:
        return (json.dumps(value, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a \u escape travels only as an escape
        return (json.dumps(value) + "\n").encode("ascii")


@dataclass
class Passed:
    """An item that needs no worker (the end of a file, a read error); it keeps its place in line."""

    job: int
    message: str | None = None  # None: the file ended; otherwise why it could not be read


class Executor:
    """Runs tasks in `jobs` processes (or in this one when jobs is 1), results in task order.

    At most `IN_FLIGHT * jobs` items are in flight, so the reader never runs far
    ahead of the writer and memory stays flat whatever the size of the input.
    """

    def __init__(self, cleaner, options: Options, jobs: int):
        self.jobs = max(1, jobs)
        self.pool = None
        if self.jobs == 1:
            init(cleaner, options)
            return
        from concurrent.futures import ProcessPoolExecutor
        self.pool = ProcessPoolExecutor(self.jobs, mp_context=_context(), initializer=init,
                                        initargs=(cleaner, options, True))

    def ordered(self, items: Iterable[Task | Passed]) -> Iterator[tuple[Task | Passed, TaskResult | None]]:
        if self.pool is None:
            for item in items:
                yield item, process(item) if isinstance(item, Task) else None
            return
        pending: deque = deque()
        limit = IN_FLIGHT * self.jobs
        for item in items:
            future = self.pool.submit(process, item) if isinstance(item, Task) else None
            pending.append((item, future))
            while len(pending) > limit:
                yield _resolved(pending.popleft())
        while pending:
            yield _resolved(pending.popleft())

    def close(self, cancel: bool = False) -> None:
        if self.pool is None:
            return
        if cancel:
            # Workers write nothing, so stopping them mid-task loses nothing,
            # and Ctrl-C does not wait for the chunks they hold.
            for worker in list(getattr(self.pool, "_processes", {}).values()):
                worker.terminate()
        self.pool.shutdown(wait=True, cancel_futures=cancel)


def _context():
    import multiprocessing
    # forkserver: safe with the threads a progress bar starts, and cheaper
    # than spawn (workers fork from a server that has loaded the package,
    # see preload.py); spawn where there is no forkserver.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload([f"{__package__}.preload"])
    return context


def start_server() -> None:
    """Start the fork server now, so that it loads while this process reads its own rules."""
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver
        forkserver.ensure_running()


def _resolved(entry):
    item, future = entry
    return item, future.result() if future is not None else None
