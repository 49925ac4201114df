"""`cleaner explain FILE`: every input line with its label and the rule that decided it.

Not named explain.py: a submodule of that name would shadow `cleaner.explain()`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .document import Result


def format_result(result: Result, heading: str) -> str:
    """A heading with the language and metadata, then one row per input line: number, label, rule, text."""
    meta = "".join(f", {k} {v!r}" for k, v in sorted(result.metadata.items()))
    width = max((len(d.rule_id or "-") for d in result.decisions), default=1)
    rows = [f"# {heading}: language {result.lang}{meta}"]
    rows += [f"{d.line:>5}  {d.label:<9}  {d.rule_id or '-':<{width}}  {d.text}" for d in result.decisions]
    return "\n".join(rows) + "\n"


def explain_file(file: str, cleaner, *, fmt: str | None, text_field: str, record: int | None) -> int:
    from .corpus.plan import STDIN, UsageError
    from .corpus.formats import FORMAT_NAMES, SNIFF_BYTES, binary_reason, detect, open_read

    stdin = file == STDIN
    name = "<stdin>" if stdin else file
    kind = detect(Path(file), fmt) if not stdin else detect(Path("-.txt"), fmt)
    if kind is None:
        raise UsageError(f"{file}: unknown format; name it with --format {{{','.join(FORMAT_NAMES)}}}")
    stream, raw = (sys.stdin.buffer, None) if stdin else open_read(Path(file))
    try:
        reason = binary_reason(stream.peek(SNIFF_BYTES))
        if reason is not None:
            raise UsageError(f"{name}: {reason}")
        if kind.kind == "jsonl":
            return _records(stream, name, cleaner, text_field, record)
        if kind.kind == "html":  # the lines explained are those of the text extracted from the page
            from .html import explain_html
            sys.stdout.write(format_result(explain_html(stream.read(), cleaner=cleaner), name))
            return 0
        from .corpus.read import TextError, decode_text
        try:
            text, _ = decode_text(stream.read())
        except TextError as exc:
            raise TextError(f"{name}: {exc}") from None
        sys.stdout.write(format_result(cleaner.explain(text), name))
        return 0
    finally:
        if raw is not None:
            stream.close()
            raw.close()


def _records(stream, name: str, cleaner, text_field: str, wanted: int | None) -> int:
    """Each record in turn (read as a stream), or only record `wanted`."""
    from .corpus.run import BadInput
    from .corpus.plan import UsageError
    from .corpus.records import BOM, RecordError, holds_record, parse, record_id

    index = -1
    for number, raw in enumerate(stream, start=1):
        if not holds_record(raw):
            continue
        index += 1
        if wanted is not None and index != wanted:
            continue
        try:
            line = raw.rstrip(b"\r\n").decode("utf-8").removeprefix(BOM)
            rec, text = parse(line, text_field)
        except UnicodeDecodeError:
            raise BadInput(f"{name}:{number}: invalid UTF-8") from None
        except RecordError as exc:
            raise BadInput(f"{name}:{number}: {exc}") from None
        rid = record_id(rec)
        heading = f"{name}:{number} record {index}" + (f" (id {rid})" if rid is not None else "")
        sys.stdout.write(format_result(cleaner.explain(text), heading))
        if wanted is not None:
            return 0
    if wanted is not None:
        raise UsageError(f"{name}: has {index + 1} records; there is no record {wanted}")
    return 0
