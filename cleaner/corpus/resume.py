"""--resume: a run stopped part way (killed, a machine gone) is finished, not redone.

An output exists only whole (written under a temporary name, then renamed),
so one that is there and newer than its input is complete. What --resume
cannot see is whether it came from the same settings: it trusts that it did.
"""
from __future__ import annotations

import sys
from collections.abc import Sequence

from .plan import Job, UsageError


def still_to_do(jobs: Sequence[Job], output) -> list[Job]:
    """The jobs whose output (and metadata file) is missing or older than their input."""
    if output is None:
        raise UsageError("--resume finishes a run into -o OUT; name the folder with -o")
    left = [job for job in jobs if not _done(job)]
    skipped = len(jobs) - len(left)
    if skipped:
        print(f"cleaner: --resume: {skipped} file{'' if skipped == 1 else 's'} already cleaned, left out",
              file=sys.stderr)
    return left


def _done(job: Job) -> bool:
    if job.src is None or job.dst is None:
        return False
    try:
        since = job.src.stat().st_mtime_ns
        return all(path.stat().st_mtime_ns >= since for path in (job.dst, job.sidecar) if path is not None)
    except OSError:  # an output not there (or an input gone, which the run itself reports)
        return False
