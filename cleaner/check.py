"""`cleaner check` (the pre-commit hook) and `cleaner golden` (a team's own hand-labelled cases)."""
from __future__ import annotations

import sys
from pathlib import Path

from .corpus.run import Batch, JobState, Listener
from .corpus.plan import Job
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
            print(f"fixed {state.job.name}: {t.lines_removed} lines removed, {t.lines_joined} joined")


def check(jobs: list[Job], cleaner, *, write: bool, diff: bool, workers: int, skip_bad: bool,
          text_field: str) -> int:
    """0 when no file would change, 1 when some would (or, with `write`, did), 2 on bad input."""
    from .corpus.write import FileSink, NullSink

    def sink_for(job: Job):
        if write and job.src is not None:
            from .corpus.formats import compression_of
            # Through a symlink to the file itself, so the link stays a link.
            return FileSink(job.src.resolve(), compression_of(job.src), only_if_changed=True)
        return NullSink()

    report = CheckReport(write, diff)
    batch = Batch(jobs, cleaner, sink_for, Options(text_field, changes=True, diff=diff), workers,
                  skip_bad=skip_bad, stop_on_bad=False, listener=report)
    batch.run()
    if report.changed:
        verb = "cleaned" if write else "would be cleaned"
        print(f"{len(report.changed)} file{'s' * (len(report.changed) != 1)} {verb}, "
              f"{report.unchanged} unchanged", file=sys.stderr)
    if batch.bad and not skip_bad:
        return 2
    return 1 if report.changed else 0


def golden(seeds_dir: Path, golden_dir: Path, cleaner, *, update: bool) -> int:
    """Compare each seed's cleaned text with its golden file; 1 when any differs (or was missing)."""
    from .corpus.write import write_atomic
    from .corpus.formats import Format, binary_reason, detect
    from .textdiff import unified
    from .corpus.read import TextError, decode_text

    if not seeds_dir.is_dir():
        from .corpus.plan import UsageError
        raise UsageError(f"{seeds_dir}: not a folder")
    seeds = sorted(p for p in seeds_dir.rglob("*")
                   if p.is_file() and not p.name.startswith(".") and detect(p) == Format("text"))
    differ = 0
    for seed in seeds:
        rel = seed.relative_to(seeds_dir)
        gold = golden_dir / rel
        data = seed.read_bytes()
        reason = binary_reason(data)
        if reason is not None:
            raise TextError(f"{seed}: {reason}")
        try:
            text, bom = decode_text(data)
        except TextError as exc:
            raise TextError(f"{seed}: {exc}") from None
        got = (bom + cleaner.clean(text)).encode("utf-8")
        expected = gold.read_bytes() if gold.is_file() else None
        if expected == got:
            continue
        differ += 1
        if expected is None:
            print(f"{gold}: missing (no golden file for {seed})")
        else:
            print(unified(expected.decode("utf-8", "replace"), got.decode("utf-8"), str(gold),
                          "golden", f"cleaned {seed}"), end="")
        if update:
            write_atomic(gold, got)
            print(f"updated {gold}")
    total = len(seeds)
    print(f"{total - differ} of {total} golden files match" + (f", {differ} updated" if update and differ else ""),
          file=sys.stderr)
    return 1 if differ else 0
