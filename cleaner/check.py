"""`cleaner check` (the pre-commit hook) and `cleaner golden` (a team's own hand-labelled cases)."""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from .corpus.plan import Job
from .corpus.run import Batch, JobState, Listener
from .corpus.stats import RunStats, counted
from .corpus.tasks import Change, Options, Task, TaskResult

#: A reported line longer than this is cut, so one paragraph does not fill the screen.
REPORT_CHARS = 120


def where(name: str, change: Change) -> str:
    """`file:line` of a text file, `file:line: record N (id X), line M` of a JSON Lines file."""
    d = change.decision
    if change.file_line is None:
        return f"{name}:{d.line}"
    rid = f" (id {change.record_id})" if change.record_id is not None else ""
    return f"{name}:{change.file_line}: record {change.record}{rid}, line {d.line}"


def report_line(name: str, change: Change) -> str:
    d = change.decision
    text = d.text.strip()
    if len(text) > REPORT_CHARS:
        text = text[:REPORT_CHARS - 1] + "…"
    return f"{where(name, change)}: {d.label} ({d.rule_id}): {text}"


class CheckReport(Listener):
    """Prints each line that would go (or the diffs), and keeps the files that would change."""

    def __init__(self, write: bool, diff: bool):
        self.write = write
        self.diff = diff
        self.changed: list[str] = []
        self.unchanged = 0

    def chunk(self, state: JobState, task: Task, result: TaskResult) -> None:
        if self.diff:
            for text in result.diffs:
                sys.stdout.write(text)
        elif not self.write:
            for change in result.changes:
                print(report_line(state.job.name, change))

    def done(self, state: JobState, written: bool) -> None:
        if not state.sink.changed:
            self.unchanged += 1
            return
        self.changed.append(state.job.name)
        if self.write:
            t = state.tally
            print(f"fixed {state.job.name}: {counted(t.lines_removed, 'line')} removed, "
                  f"{t.lines_joined} joined")


def check(jobs: list[Job], settings: list[tuple], *, write: bool, diff: bool, workers: int, skip_bad: bool,
          quiet: bool = False, removed_to: Path | None = None,
          left_out: Counter | None = None, site_field: str = "url") -> tuple[int, RunStats | None]:
    """0 when no file would change, 1 when some would (or, with `write`, did), 2 on bad input
    or when there is nothing to check; and the run's counts (None when nothing ran).

    `settings`: a (Cleaner, text field) per configuration of the run, as Job.setting indexes them."""
    from .corpus.write import FileSink, NullSink

    left_out = left_out or Counter()
    pages = ""
    if left_out["html"]:
        pages = f"{counted(left_out['html'], 'HTML page')} skipped (`cleaner clean` cleans pages to text)"
    if not jobs:
        if left_out["excluded"] and not left_out["html"]:
            # What a pre-commit hook meets when a commit touches only files the config excludes.
            if not quiet:
                print(f"nothing to check: {counted(left_out['excluded'], 'file')} excluded by the config",
                      file=sys.stderr)
            return 0, None
        print("cleaner: error: nothing to check: no text or JSON Lines files"
              + (f"; {pages}" if pages else ""), file=sys.stderr)
        return 2, None

    def sink_for(job: Job):
        if write and job.src is not None:
            from .corpus.formats import compression_of
            # Through a symlink to the file itself, so the link stays a link.
            return FileSink(job.src.resolve(), compression_of(job.src), only_if_changed=True)
        return NullSink()

    report = CheckReport(write, diff)
    per_config = [(cleaner, Options(text_field, changes=True, diff=diff, removed=removed_to is not None,
                                    site_field=site_field))
                  for cleaner, text_field in settings]
    batch = Batch(jobs, None, sink_for, workers=workers, skip_bad=skip_bad, stop_on_bad=False,
                  removed_to=removed_to, listener=report, settings=per_config)
    stats = batch.run()
    if not quiet:
        verb = "cleaned" if write else "would be cleaned"
        bad = stats.bad_files
        checked = len(report.changed) + report.unchanged + bad
        parts = [f"{len(report.changed)} {verb}", f"{report.unchanged} unchanged"]
        parts += [f"{bad} bad"] if bad else []
        print(f"checked {counted(checked, 'file')}: {', '.join(parts)}" + (f"; {pages}" if pages else ""),
              file=sys.stderr)
    if batch.bad and not skip_bad:
        return 2, stats
    return (1 if report.changed else 0), stats


class HeldSink:
    """Keeps a job's output in memory, for a comparison when the job is done."""

    changed = False

    def __init__(self):
        self.parts: list[bytes] = []

    def write(self, data: bytes, changed: bool) -> None:
        self.parts.append(data)

    def finish(self) -> bool:
        return False

    def abort(self) -> None:
        self.parts = []


class GoldenReport(Listener):
    """Compares each cleaned seed with its golden file (the job's output path); with `update`, rewrites it."""

    def __init__(self, update: bool):
        self.update = update
        self.seeds = 0
        self.differ = 0

    def done(self, state: JobState, written: bool) -> None:
        from .textdiff import unified

        self.seeds += 1
        job = state.job
        got = b"".join(state.sink.parts)
        expected = _read_golden(job.dst)
        if expected == got:
            return
        self.differ += 1
        if expected is None:
            print(f"{job.dst}: missing (no golden file for {job.name})")
        else:
            print(unified(expected.decode("utf-8", "replace"), got.decode("utf-8", "replace"), str(job.dst),
                          "golden", f"cleaned {job.name}"), end="")
        if self.update:
            from .corpus.formats import compression_of
            from .corpus.write import FileSink
            sink = FileSink(job.dst, compression_of(job.dst))
            sink.write(got, True)
            sink.finish()
            print(f"updated {job.dst}")


def _read_golden(path: Path) -> bytes | None:
    """The golden file's content (decompressed), None when there is none."""
    from .corpus.formats import open_read
    from .corpus.read import read_error
    from .corpus.write import OutputError

    if not path.is_file():
        return None
    try:
        stream, raw = open_read(path)
        with raw, stream:
            return stream.read()
    except OSError as exc:
        raise OutputError(f"{path}: {read_error(exc)}") from None


def golden(seeds_dir: Path, golden_dir: Path, config, cleaner, *, update: bool) -> int:
    """Compare each seed's cleaned output with its golden file; 1 when any differs (or was missing).

    The seeds are planned and read as `clean SEEDS -o GOLDEN` would read them,
    so a seed is any file `clean` takes (text, JSON Lines, pages, compressed),
    and its golden file is where that run would write its output. The
    config's exclude patterns do not apply: seeds are dirty on purpose, and a
    team that keeps `check` off them still wants them compared.
    """
    from dataclasses import replace

    from .corpus.plan import UsageError, plan

    if not seeds_dir.is_dir():
        raise UsageError(f"{seeds_dir}: not a folder")
    if golden_dir.exists() and not golden_dir.is_dir():
        raise UsageError(f"{golden_dir}: not a folder")
    jobs = plan([str(seeds_dir)], replace(config, exclude=()), out=golden_dir)
    if not jobs:
        raise UsageError(f"{seeds_dir}: no seeds (text, JSON Lines or HTML files) to compare")
    report = GoldenReport(update)
    Batch(jobs, cleaner, lambda job: HeldSink(), Options(config.text_field), 1, listener=report).run()
    total, differ = report.seeds, report.differ
    print(f"{total - differ} of {counted(total, 'golden file')} {'matches' if total == 1 else 'match'}"
          + (f", {differ} updated" if update and differ else ""), file=sys.stderr)
    return 1 if differ else 0
