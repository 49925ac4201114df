"""What a worker does with a task: its documents through the chain, the output and the counts back.

Each kind of file (formats.KINDS) has one entry in READERS; the bytes come
from `read` (decoding, a chunk read by reference), the cleaning from the
Cleaner the worker was set up with.
"""
from __future__ import annotations

import io
import json
import os
import re
from dataclasses import dataclass

from ..collector import settle
from ..document import JOIN, Result
from ..rules import RuleTimeout
from .read import TextError, decode_text, read_error, read_span
from .records import (BOM, RecordError, holds_record, metadata_conflict, parse, put_metadata, record_id,
                      replace_text, set_fields)
from .tasks import Change, Options, Task, TaskResult


_state: list[tuple] = []  # (cleaner, options) of this process, one per configuration (Task.setting)


def init(settings: list[tuple], child: bool = False) -> None:
    """Set up a worker once: the Cleaners are unpickled here, not per task."""
    global _state
    _state = list(settings)
    # The rules and language profiles live as long as the run: out of the
    # collector's sight, full collections do not walk them again and again
    # (about 1.5 % of a run), and forked workers do not copy the pages it would
    # touch; and young collections come less often (see collector.py).
    settle()
    if child:
        import signal
        # Ctrl-C is the main process's to handle: it removes temporary files and asks each
        # worker to stop (pool.Executor.close). A worker notes the request and acts on it between
        # tasks, never half-way through sending a result; it was started with SIGINT blocked
        # (pool.start_server), so a Ctrl-C that came before this point is noted now. SIGTERM
        # keeps its default: sent to the process group, it ends the workers with the fork server
        # that watches them, and the pool stops them with it when it finds itself broken.
        signal.signal(signal.SIGINT, _stop)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class Stopped(Exception):
    """A task given up because the run was stopped; the main process has stopped reading results."""


_stopping = False


def _stop(signum, frame) -> None:
    global _stopping
    _stopping = True


def process(task: Task) -> TaskResult:
    if _stopping:
        raise Stopped(task.name)
    cleaner, options = _state[task.setting]
    result = TaskResult(pid=os.getpid())
    (_count if options.count_sites else READERS[task.kind])(task, cleaner, options, result)
    return result


def _count(task: Task, cleaner, options: Options, out: TaskResult) -> None:
    """Pass one of the corpus mode: the task's pages counted under their sites (cleaner/sites), no output."""
    from ..sites.build import lines_of
    from ..sites.lines import site_of_file, site_of_value
    from ..sites.profile import Profile

    out.profile = profile = Profile(options.count_sites)
    if task.kind == "text":
        try:
            text, _ = decode_text(task.data)
        except TextError as exc:
            out.file_error = str(exc)
            return
        if task.name != "<stdin>":
            profile.add_page(site_of_file(task.name), lines_of(text))
    elif task.kind == "jsonl":  # (a page's text exists only once extracted: HTML is not counted)
        data = _chunk_bytes(task, out)
        for piece in _pieces(task, options, out, data) if data is not None else ():
            site = site_of_value(piece.record.get(options.site_field)) if isinstance(piece, _Record) else None
            if site is not None:
                profile.add_page(site, lines_of(piece.text))


def _text(task: Task, cleaner, options: Options, out: TaskResult) -> None:
    data = task.data
    try:
        text, bom = decode_text(data)
    except TextError as exc:
        out.file_error = str(exc)
        return
    site = _file_site(task, cleaner)
    result = _explain(lambda: cleaner.explain(text, site=site), task.name)
    out.output = (bom + result.text).encode("utf-8")
    out.metadata = result.metadata
    out.changed = result.text != text
    out.tally.add(result, text)
    out.tally.bytes_in, out.tally.bytes_out = len(data), len(out.output)
    _collect(task, options, out, result, text, None, None, None)


def _file_site(task: Task, cleaner) -> str | None:
    """A text file's site is its folder, when the Cleaner has a site-lines profile (standard input has none)."""
    if getattr(cleaner, "site_lines", None) is None or task.name == "<stdin>":
        return None
    from ..sites.lines import site_of_file
    return site_of_file(task.name)


def _html(task: Task, cleaner, options: Options, out: TaskResult) -> None:
    result, extracted = _explain_page(task.data, cleaner, task.name, out)
    # The page becomes a text file, and a text file ends with its newline (an empty one stays empty).
    end = "\n" if result.text and not result.text.endswith("\n") else ""
    out.output = (result.text + end).encode("utf-8")
    out.changed = True  # the output is text, never the page it came from
    out.tally.add(result, extracted)
    out.tally.bytes_in, out.tally.bytes_out = len(task.data), len(out.output)
    out.metadata = result.metadata
    _collect(task, options, out, result, extracted, None, None, None)


def _explain_page(html: str | bytes, cleaner, where: str, out: TaskResult) -> tuple[Result, str]:
    """A page through trafilatura and the chain, and the text trafilatura extracted (what the chain cleaned).

    trafilatura is imported here, in the worker, and only when a page is met.
    """
    from ..html import NO_TEXT, UNDECODABLE, explain_html

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


def _jsonl(task: Task, cleaner, options: Options, out: TaskResult) -> None:
    data = _chunk_bytes(task, out)
    if data is None:
        return
    # Parsed first and cleaned together, so that the languages of the whole
    # chunk are detected in one call.
    pieces = _pieces(task, options, out, data)
    records = [p for p in pieces if isinstance(p, _Record)]
    extracted: dict[int, str] = {}  # the text extracted from an HTML field, by record index
    results = _explain_records(task, cleaner, options, out, records, extracted)
    _write_records(task, options, out, pieces, results, extracted, data)


def _chunk_bytes(task: Task, out: TaskResult) -> bytes | None:
    """A chunk's bytes, read here when the task says where they lie; None when they cannot be read."""
    if task.span is None:
        return task.data
    try:
        return read_span(task.span)
    except OSError as exc:
        out.file_error = read_error(exc)
        return None


def _pieces(task: Task, options: Options, out: TaskResult, data: bytes) -> list:
    """The chunk's lines: a blank line as its bytes, a record parsed; a bad record goes to `out.errors`."""
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
            out.errors.append((number, f"invalid UTF-8 at column {exc.start + 1}", raw))
            continue
        bom = BOM if number == 1 and line.startswith(BOM) else ""
        line = line[len(bom):]
        try:
            rec, text = parse(line, options.html_field or options.text_field)
        except RecordError as exc:
            out.errors.append((number, str(exc), raw))
            continue
        conflict = metadata_conflict(rec, options.metadata_field) if options.html_field or options.metadata else None
        if conflict is not None:
            out.errors.append((number, conflict, raw))
            continue
        pieces.append(_Record(number, index, raw, bom, line, rec, text))
    return pieces


def _write_records(task: Task, options: Options, out: TaskResult, pieces: list, results: dict[int, Result],
                   extracted: dict[int, str], data: bytes) -> None:
    """The chunk's output: each record as it came when its text stays, else with its fields set."""
    output: list[bytes] = []
    for piece in pieces:
        if isinstance(piece, bytes):
            output.append(piece)
            continue
        result = results[piece.index]
        end = piece.raw[len(piece.raw.rstrip(b"\r\n")):]
        if options.html_field or options.metadata:
            # Fields set or added at the end; the record's own fields keep their bytes and order.
            new = set_fields(piece.line, {options.text_field: result.text})
            new = put_metadata(new, piece.record, options.metadata_field, result.metadata)
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
    sites = None
    if getattr(cleaner, "site_lines", None) is not None:
        from ..sites.lines import site_of_value
        sites = [site_of_value(r.record.get(options.site_field)) for r in records]
    found = _explain(lambda: cleaner.explain_many([r.text for r in records], sites=sites), where)
    return {r.index: result for r, result in zip(records, found)}


def _explain(run, where: str) -> Result:
    try:
        return run()
    except RuleTimeout as exc:  # a user's rule that backtracks without end: theirs to fix, not a bug
        raise RuleTimeout(f"{where}: {exc}") from None
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
    if options.explain:
        from ..explaining import format_result
        heading = task.name if file_line is None else (
            f"{task.name}:{file_line} record {record}" + (f" (id {rid})" if rid is not None else ""))
        out.explained.append((record, format_result(result, heading)))
    if options.diff and result.text != text:
        from ..textdiff import unified
        where = task.name if file_line is None else f"{task.name}:{file_line}"
        out.diffs.append(unified(text, result.text, where))


def _json_line(value: dict) -> bytes:
    try:
        return (json.dumps(value, ensure_ascii=False) + "\n").encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate from a \u escape travels only as an escape
        return (json.dumps(value) + "\n").encode("ascii")
