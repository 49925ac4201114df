"""One run over a corpus: tasks out to the workers, results back in order, into the sinks.

Faults are handled here, in one place. A bad file or record stops the run
(or, with `skip_bad`, is reported, counted, left out of the output and
written to `rejects_to` when given); the job being
written when anything goes wrong is aborted, so its temporary file goes and
its target stays as it was; the jobs already finished are complete.
"""
from __future__ import annotations

import base64
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .plan import Job
from .pool import Executor
from .read import tasks
from .stats import RunStats, Tally
from .tasks import Options, Passed, Task, TaskResult
from .write import AtomicFile, clear_stale


class BadInput(ValueError):
    """A file or record that cannot be cleaned; the message names the file (and line)."""


@dataclass
class JobState:
    job: Job
    sink: object
    tally: Tally = field(default_factory=Tally)
    content: int = 0  # bytes read, to tell an empty file
    bad_records: int = 0
    failed: bool = False
    metadata: dict | None = None  # a text or HTML file's, for its sidecar (Job.sidecar)


class Listener:
    """What a command does with the run's events; the defaults do nothing."""

    def chunk(self, state: JobState, task: Task, result: TaskResult) -> None: ...

    def done(self, state: JobState, written: bool) -> None: ...

    def warn(self, message: str) -> None:
        print(f"warning: {message}", file=sys.stderr)


@dataclass
class Batch:
    jobs: Sequence[Job]
    cleaner: object  # None when `settings` is given
    sink_for: Callable[[Job], object]
    options: Options = field(default_factory=Options)
    workers: int = 1
    skip_bad: bool = False
    stop_on_bad: bool = True  # False: report every bad file, then fail (check)
    removed_to: Path | None = None
    rejects_to: Path | None = None  # the bad records and files passed over, as JSON Lines (see Rejects)
    listener: Listener = field(default_factory=Listener)
    #: (Cleaner, Options) per configuration, indexed by Job.setting; default: [(cleaner, options)].
    settings: Sequence[tuple] = ()
    chunk_bytes: int | None = None
    chunk_records: int | None = None
    stats: RunStats = field(default_factory=RunStats)
    bad: list[str] = field(default_factory=list)
    worker_pids: set[int] = field(default_factory=set)
    _rejects: "Rejects | None" = None

    def run(self) -> RunStats:
        """Clean every job; raises BadInput (unless skipping), OutputError or KeyboardInterrupt."""
        start = time.perf_counter()
        self._clear_stale()
        states: dict[int, JobState] = {}
        removed: AtomicFile | None = None
        executor: Executor | None = None
        finished = False
        try:
            removed = AtomicFile(self.removed_to) if self.removed_to is not None else None
            self._rejects = Rejects(self.rejects_to) if self.rejects_to is not None else None
            executor = Executor(list(self.settings or [(self.cleaner, self.options)]), self.workers)
            items = tasks(self.jobs, self.chunk_bytes, self.chunk_records, by_reference=executor.pool is not None)
            if any(job.setting for job in self.jobs):
                items = _with_settings(items, self.jobs)
            for item, result in executor.ordered(items):
                state = states.get(item.job)
                if state is None:
                    job = self.jobs[item.job]
                    state = states[item.job] = JobState(job, self.sink_for(job))
                if isinstance(item, Passed):
                    if state.failed:
                        pass  # already reported when the failure was found
                    elif item.message is None:
                        self._done(state)
                    else:
                        self._bad_file(state, item.message)
                    del states[item.job]
                elif not state.failed:
                    self._chunk(state, item, result, removed)
            finished = True
        finally:
            if executor is not None:
                executor.close(cancel=not finished)
            if not finished:
                for state in states.values():
                    state.sink.abort()
                if removed is not None:
                    removed.discard()
                if self._rejects is not None:
                    self._rejects.file.discard()
        if removed is not None:
            removed.commit()
        if self._rejects is not None:
            self._rejects.file.commit()
        self.stats.seconds = time.perf_counter() - start
        return self.stats

    def _clear_stale(self) -> None:
        """The temporary files an earlier run killed outright left where this one writes."""
        targets = [p for job in self.jobs for p in (job.dst, job.sidecar) if p is not None]
        targets += [p for p in (self.removed_to, self.rejects_to) if p is not None]
        cleared = clear_stale({path.parent for path in targets})
        if cleared:
            self.listener.warn(f"removed {cleared} temporary file{'' if cleared == 1 else 's'} "
                               f"left by an earlier run that was stopped")

    def _chunk(self, state: JobState, task: Task, result: TaskResult, removed: AtomicFile | None) -> None:
        self.worker_pids.add(result.pid)
        state.content += task.size
        if result.file_error is not None:
            self._bad_file(state, f"{state.job.name}: {result.file_error}")
            return
        for line, reason, raw in result.errors:
            self._bad(f"{state.job.name}:{line}: {reason}")
            state.bad_records += 1
            if self._rejects is not None:
                self._rejects.bad_record(state.job.name, line, reason, raw)
        state.sink.write(result.output, result.changed)
        for where in result.no_text:
            self.listener.warn(f"{where}: no article text found, written empty")
        result.tally.no_text += len(result.no_text)
        state.tally.merge(result.tally)
        if result.metadata is not None and state.job.sidecar is not None:
            state.metadata = result.metadata
        if removed is not None and result.removed:
            removed.write(result.removed)
        self.listener.chunk(state, task, result)

    def _done(self, state: JobState) -> None:
        if state.job.in_place and state.bad_records:
            # Rewritten, the file would lose its bad records: it stays as it was, bad and good alike.
            state.sink.abort()
            written = False
            self.listener.warn(f"{state.job.name}: left as it was, as it holds {state.bad_records} bad "
                               f"record{'' if state.bad_records == 1 else 's'}")
        else:
            written = state.sink.finish()
        if state.job.sidecar is not None and state.metadata is not None:
            # Written after the output, atomically like it; from the one task of a text or HTML file.
            with AtomicFile(state.job.sidecar) as side:
                side.write(json.dumps(state.metadata, ensure_ascii=False, indent=1).encode("utf-8") + b"\n")
        if state.content == 0:
            self.listener.warn(f"{state.job.name}: empty file" + (", written empty" if written else ""))
            self.stats.empty_files += 1
        self.stats.files += 1
        self.stats.files_changed += state.sink.changed
        self.stats.files_written += written
        self.stats.bad_records += state.bad_records
        self.stats.tally.merge(state.tally)
        self.listener.done(state, written)

    def _bad_file(self, state: JobState, message: str) -> None:
        state.failed = True
        state.sink.abort()
        self.stats.bad_files += 1
        self._bad(message, file=True)
        if self._rejects is not None:
            name = state.job.name
            self._rejects.bad_file(name, message[len(name) + 2:] if message.startswith(f"{name}: ") else message)

    def _bad(self, message: str, file: bool = False) -> None:
        self.bad.append(message)
        if self.skip_bad:
            self.listener.warn(f"{message} (skipped)")
        elif self.stop_on_bad:
            raise BadInput(message)
        else:
            print(f"error: {message}", file=sys.stderr)


def _with_settings(items, jobs: Sequence[Job]):
    """Each task tagged with its file's configuration, which the worker cleans it by."""
    for item in items:
        if isinstance(item, Task):
            item.setting = jobs[item.job].setting
        yield item


class Rejects:
    """The bad records and files a run passes over, one JSON object a line, written atomically.

    A record's line goes as it was (`raw`), or, when it is not UTF-8, as `raw_base64`,
    so that nothing of it is lost on the way.
    """

    def __init__(self, path: Path):
        self.file = AtomicFile(path)

    def bad_record(self, name: str, line: int, reason: str, raw: bytes) -> None:
        entry: dict = {"file": name, "line": line, "reason": reason}
        body = raw.rstrip(b"\r\n")
        try:
            entry["raw"] = body.decode("utf-8")
        except UnicodeDecodeError:
            entry["raw_base64"] = base64.b64encode(body).decode("ascii")
        self._write(entry)

    def bad_file(self, name: str, reason: str) -> None:
        self._write({"file": name, "reason": reason})

    def _write(self, entry: dict) -> None:
        try:
            line = (json.dumps(entry, ensure_ascii=False) + "\n").encode("utf-8")
        except UnicodeEncodeError:  # a file name that is not UTF-8 travels only as escapes
            line = (json.dumps(entry) + "\n").encode("ascii")
        self.file.write(line)
