"""Pass one: a corpus read as `cleaner clean` reads it (the same plan, the same reader, the same
messages for bad input), each page's lines counted into a profile under its site.

A text file's site is its folder; a JSON Lines record's is the host of its `site_field` (a record
without one is of no site and not counted). HTML pages are not counted: their text exists only once
trafilatura has extracted it.
"""
from __future__ import annotations

import io
from collections.abc import Callable, Sequence

from ..corpus.plan import Job
from ..corpus.read import TextError, decode_text, tasks
from ..corpus.records import BOM, RecordError, holds_record, parse
from ..corpus.tasks import Passed
from .lines import site_of_file, site_of_value
from .profile import Profile
from .table import DEFAULT_CAPACITY


class ProfileInputError(ValueError):
    """Bad input met while profiling; the message names the file (and line)."""


def lines_of(text: str) -> list[str]:
    """A page's lines, split at the breaks cleaner.document splits at."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


def profile_jobs(jobs: Sequence[Job], text_field_of: Callable[[Job], str], site_field: str,
                 capacity: int = DEFAULT_CAPACITY, skip_bad: bool = False,
                 warn: Callable[[str], None] = lambda message: None) -> Profile:
    """Count every page of `jobs`. A bad file or record stops the count (with `skip_bad`, it is passed
    over and `warn` says so)."""
    profile = Profile(capacity)

    def bad(message: str) -> None:
        if not skip_bad:
            raise ProfileInputError(message)
        warn(message)

    for item in tasks(jobs):
        job = jobs[item.job]
        if isinstance(item, Passed):
            if item.message is not None:
                bad(item.message)
            continue
        if job.fmt.kind == "html":
            continue
        if job.fmt.kind == "text":
            try:
                text, _ = decode_text(item.data)
            except TextError as exc:
                bad(f"{job.name}: {exc}")
                continue
            if job.src is not None:
                profile.add_page(site_of_file(job.name), lines_of(text))
            continue
        field = text_field_of(job)
        for offset, raw in enumerate(io.BytesIO(item.data)):
            if not holds_record(raw):
                continue
            number = item.first_line + offset
            try:
                line = raw.rstrip(b"\r\n").decode("utf-8")
                record, text = parse(line.removeprefix(BOM) if number == 1 else line, field)
            except UnicodeDecodeError as exc:
                bad(f"{job.name}:{number}: invalid UTF-8 at column {exc.start + 1}")
                continue
            except RecordError as exc:
                bad(f"{job.name}:{number}: {exc}")
                continue
            site = site_of_value(record.get(site_field))
            if site is not None:
                profile.add_page(site, lines_of(text))
    return profile
