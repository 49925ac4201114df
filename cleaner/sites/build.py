"""Pass one: a corpus read as `cleaner clean` reads it (the same plan, reader, workers and messages
for bad input), each page's lines counted into a profile under its site.

The workers count their tasks' pages into small tables (corpus/work.py, `Options.count_sites`) and
this process merges them in task order, so the profile is the same whatever the number of workers.
A text file's site is its folder; a JSON Lines record's is the host of its `site_field` (a record
without one is of no site and not counted). HTML pages are not counted: their text exists only once
trafilatura has extracted it.
"""
from __future__ import annotations

from collections.abc import Sequence

from ..corpus.plan import Job
from ..corpus.run import Batch, Listener
from ..corpus.tasks import Options
from ..corpus.write import NullSink
from .profile import Profile
from .table import DEFAULT_CAPACITY


def lines_of(text: str) -> list[str]:
    """A page's lines, split at the breaks cleaner.document splits at."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


class _Merge(Listener):
    def __init__(self, capacity: int, quiet: bool):
        self.profile = Profile(capacity)
        self.quiet = quiet

    def chunk(self, state, task, result) -> None:
        if result.profile is not None:
            self.profile.merge(result.profile)

    def warn(self, message: str) -> None:
        if not self.quiet:
            super().warn(message)


def profile_jobs(jobs: Sequence[Job], text_fields: Sequence[str], site_field: str,
                 capacity: int = DEFAULT_CAPACITY, skip_bad: bool = False, workers: int = 1,
                 quiet: bool = False) -> Profile:
    """Count every page of `jobs` (`text_fields`: the text field of each configuration, as Job.setting
    indexes them). A bad file or record stops the count, as it stops `clean`; with `skip_bad` it is
    passed over with a warning."""
    merge = _Merge(capacity, quiet)
    settings = [(None, Options(field, site_field=site_field, count_sites=capacity)) for field in text_fields]
    Batch(jobs, None, lambda job: NullSink(), workers=workers, skip_bad=skip_bad, listener=merge,
          settings=settings).run()
    return merge.profile
