"""JSON Lines records: take the text out, put the cleaned text back, touch nothing else.

A record is rewritten by replacing only the bytes of its text value, so
every other field keeps its exact spelling (key order, spacing, number
formats, escapes), and a record whose text does not change is passed on as
the very bytes it came in. Fields a record did not have (the text of an
HTML record, `metadata`) are added at its end the same way.
"""
from __future__ import annotations

import json
from json.decoder import WHITESPACE, JSONDecoder, scanstring

_DECODER = JSONDecoder()
BOM = "\ufeff"


class RecordError(ValueError):
    """A line that is not a usable record; the message says why (the caller adds file and line)."""


#: bytes.strip's whitespace: a line of nothing else is blank.
_SPACE = b" \t\n\r\x0b\x0c"


def holds_record(line: bytes) -> bool:
    """False for a blank line, which is no record: record indexes (in --removed, in `explain --record`) count
    the others. With or without its line end."""
    # Most lines start with "{": only a line that starts with a space can be blank.
    return line[:1] not in _SPACE or bool(line.strip())


def parse(line: str, text_field: str) -> tuple[dict, str]:
    """The record on `line` and its text."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        raise RecordError(f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise RecordError("malformed JSON: nested too deeply") from None
    if not isinstance(record, dict):
        raise RecordError(f"the record is {_kind(record)}, not a JSON object")
    if text_field not in record:
        raise RecordError(f"the record has no {text_field!r} field")
    text = record[text_field]
    if not isinstance(text, str):
        raise RecordError(f"the {text_field!r} field is {_kind(text)}, not a string")
    return record, text


def replace_text(line: str, text_field: str, new_text: str) -> str:
    """`line` (a valid record) with the value of its text field replaced by `new_text`."""
    return set_fields(line, {text_field: new_text})


def set_fields(line: str, values: dict[str, object]) -> str:
    """`line` (a valid record) with `values` set: a field it has keeps its place, a new one goes last."""
    # A record written with ensure_ascii (ASCII only, with \u escapes) gets new fields written the same way.
    ascii_new = line.isascii() and "\\u" in line
    for key, value in values.items():
        spans, last_end, seps = _members(line)
        if key in spans:
            start, end = spans[key]
            line = line[:start] + _dump(value, seps, old=line[start:end]) + line[end:]
        else:
            new = json.dumps(key, ensure_ascii=ascii_new) + seps[1] + _dump(value, seps, ascii_only=ascii_new)
            line = line[:last_end] + (seps[0] if spans else "") + new + line[last_end:]
    return line


#: Where cleaner's metadata goes in a record whose metadata field is already an object (datatrove's
#: records carry one): that object keeps its members and their bytes, and gains this one.
NESTED = "cleaner"


def metadata_conflict(record: dict, field: str) -> str | None:
    """Why cleaner's metadata cannot go into the record's `field` (a value that is not an object), or None."""
    if field in record and not isinstance(record[field], dict):
        return (f"the {field!r} field is {_kind(record[field])}, not an object, so the metadata cannot go "
                f"into it; name another field with --metadata-field")
    return None


def put_metadata(line: str, record: dict, field: str, value: dict) -> str:
    """`line` with cleaner's metadata: `field` added when the record lacks it, else set under NESTED
    inside the object it holds (checked with `metadata_conflict`)."""
    if field not in record:
        return set_fields(line, {field: value})
    spans, _, _ = _members(line)
    start, end = spans[field]
    return line[:start] + set_fields(line[start:end], {NESTED: value}) + line[end:]


def record_id(record: dict) -> str | int | None:
    value = record.get("id")
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _dump(value: object, seps: tuple[str, str], *, old: str | None = None, ascii_only: bool = False) -> str:
    if old is not None and old.isascii():
        # Keep the record's own escaping style: \u-escaped input stays ASCII.
        was = json.loads(old)
        ascii_only = not was.isascii() if isinstance(was, str) else "\\u" in old
    text = json.dumps(value, ensure_ascii=ascii_only, separators=seps)
    if not ascii_only and not _encodable(text):
        text = json.dumps(value, separators=seps)  # lone surrogates can only travel as escapes
    return text


def _members(line: str) -> tuple[dict[str, tuple[int, int]], int, tuple[str, str]]:
    """Where each field's value stands in the object on `line` (the last one of a name, as json.loads
    reads it); where a new field goes (after the last value); and the separators the record uses
    between fields and after a key, so that a field added looks like the others."""
    spans: dict[str, tuple[int, int]] = {}
    idx = WHITESPACE.match(line, 0).end() + 1  # past "{"
    last_end = idx
    key_sep, item_sep = ": ", None
    while True:
        idx = WHITESPACE.match(line, idx).end()
        if line[idx] == "}":
            break
        name, idx = scanstring(line, idx + 1)
        start = WHITESPACE.match(line, WHITESPACE.match(line, idx).end() + 1).end()  # past ":"
        first = not spans
        if first:
            key_sep = line[idx:start]
        _, last_end = _DECODER.scan_once(line, start)
        spans[name] = (start, last_end)
        idx = WHITESPACE.match(line, last_end).end()
        if line[idx] == ",":
            idx += 1
            if first:
                item_sep = line[last_end:WHITESPACE.match(line, idx).end()]
    if item_sep is None:  # one field or none: compact after a key, compact between fields
        item_sep = ", " if key_sep.endswith(" ") else ","
    return spans, last_end, (item_sep, key_sep)


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}[type(value)]
