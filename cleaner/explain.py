"""`cleaner explain FILE`: every input line with its label and the rule that decided it."""
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
    from .corpus import STDIN, UsageError
    from .formats import binary_reason, detect, open_read

    name = "<stdin>" if file == STDIN else file
    kind = detect(Path(file), fmt) if file != STDIN else detect(Path("-.txt"), fmt)
    if kind is None:
        raise UsageError(f"{file}: unknown format; name it with --format {{text,jsonl}}")
    if file == STDIN:
        data = sys.stdin.buffer.read()
    else:
        stream, raw = open_read(Path(file))
        with raw, stream:
            data = stream.read()
    reason = binary_reason(data)
    if reason is not None:
        raise UsageError(f"{name}: {reason}")
    if kind.kind == "text":
        from .workers import TextError, decode_text
        try:
            text, _ = decode_text(data)
        except TextError as exc:
            raise TextError(f"{name}: {exc}") from None
        sys.stdout.write(format_result(cleaner.explain(text), name))
        return 0
    return _records(data, name, cleaner, text_field, record)


def _records(data: bytes, name: str, cleaner, text_field: str, wanted: int | None) -> int:
    from .corpus import UsageError
    from .records import BOM, RecordError, parse, record_id

    index = -1
    for number, raw in enumerate(data.split(b"\n"), start=1):
        raw = raw.rstrip(b"\r")
        if not raw.strip():
            continue
        index += 1
        if wanted is not None and index != wanted:
            continue
        try:
            line = raw.decode("utf-8").removeprefix(BOM)
            rec, text = parse(line, text_field)
        except (UnicodeDecodeError, RecordError) as exc:
            from .batch import BadInput
            reason = "invalid UTF-8" if isinstance(exc, UnicodeDecodeError) else str(exc)
            raise BadInput(f"{name}:{number}: {reason}") from None
        rid = record_id(rec)
        heading = f"{name}:{number} record {index}" + (f" (id {rid})" if rid is not None else "")
        sys.stdout.write(format_result(cleaner.explain(text), heading))
    if wanted is not None and index < wanted:
        raise UsageError(f"{name}: has {index + 1} records; there is no record {wanted}")
    return 0
