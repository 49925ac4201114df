"""JSON Lines records: take the text out, put the cleaned text back, touch nothing else.

A record is rewritten by replacing only the bytes of its text value, so
every other field keeps its exact spelling (key order, spacing, number
formats, escapes), and a record whose text does not change is passed on as
the very bytes it came in.
"""
from __future__ import annotations

import json
from json.decoder import WHITESPACE, JSONDecoder, scanstring

_DECODER = JSONDecoder()
BOM = "\ufeff"


class RecordError(ValueError):
    """A line that is not a usable record; the message says why (the caller adds file and line)."""


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
    start, end = _value_span(line, text_field)
    old = line[start:end]
    # Keep the record's own escaping style: \u-escaped input stays ASCII.
    ascii_only = old.isascii() and not json.loads(old).isascii()
    value = json.dumps(new_text, ensure_ascii=ascii_only)
    if not ascii_only and not _encodable(value):
        value = json.dumps(new_text)  # lone surrogates can only travel as escapes
    return line[:start] + value + line[end:]


def record_id(record: dict) -> str | int | None:
    value = record.get("id")
    return value if isinstance(value, (str, int)) and not isinstance(value, bool) else None


def _value_span(line: str, key: str) -> tuple[int, int]:
    """Where the value of `key` stands in the object on `line` (the last one, as json.loads reads it)."""
    idx = WHITESPACE.match(line, 0).end() + 1  # past "{"
    found = None
    while True:
        idx = WHITESPACE.match(line, idx).end()
        if line[idx] == "}":
            break
        name, idx = scanstring(line, idx + 1)
        idx = WHITESPACE.match(line, idx).end() + 1  # past ":"
        idx = WHITESPACE.match(line, idx).end()
        _, end = _DECODER.scan_once(line, idx)
        if name == key:
            found = (idx, end)
        idx = WHITESPACE.match(line, end).end()
        if line[idx] == ",":
            idx += 1
    if found is None:  # pragma: no cover - parse() has checked the field is there
        raise RecordError(f"the record has no {key!r} field")
    return found


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}[type(value)]
