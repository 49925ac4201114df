"""`cleaner explain PATH...`: every input line with its label and the rule that decided it.

The files are read and cleaned as `cleaner clean` reads and cleans them (one
Batch, the same planning and reading), so every command takes the same paths
and says the same about bad input; the workers format each document's
decisions and this listener prints them in input order.

Not named explain.py: a submodule of that name would shadow `cleaner.explain()`.
"""
from __future__ import annotations

import sys

from .corpus.run import JobState, Listener
from .corpus.tasks import Task, TaskResult
from .document import Result


def format_result(result: Result, heading: str) -> str:
    """A heading with the language and metadata, then one row per input line: number, label, rule, text."""
    meta = "".join(f", {k} {v!r}" for k, v in sorted(result.metadata.items()))
    width = max((len(d.rule_id or "-") for d in result.decisions), default=1)
    rows = [f"# {heading}: language {result.lang}{meta}"]
    for d in result.decisions:
        rows.append(f"{d.line:>5}  {d.label:<9}  {d.rule_id or '-':<{width}}  {d.text}")
        if d.probability is not None:  # a decision of the model: how sure, and on what
            why = ", ".join(f"{name} {weight:+.2f}" for name, weight in d.features)
            rows.append(f"{'':>5}  {'':<9}  p={d.probability:.3f}" + (f": {why}" if why else ""))
    return "\n".join(rows) + "\n"


class ExplainReport(Listener):
    """Prints the explanations of each document, or of record `record` only of each JSON Lines file."""

    def __init__(self, record: int | None):
        self.record = record
        self.short: list[str] = []  # JSON Lines files without that record

    def chunk(self, state: JobState, task: Task, result: TaskResult) -> None:
        for index, text in result.explained:
            if self.record is None or index in (None, self.record):
                sys.stdout.write(text)

    def done(self, state: JobState, written: bool) -> None:
        if self.record is not None and state.job.fmt.kind == "jsonl" and state.tally.documents <= self.record:
            from .corpus.stats import counted
            self.short.append(f"{state.job.name}: has {counted(state.tally.documents, 'record')}; "
                              f"there is no record {self.record}")


def explain_paths(jobs, settings, *, record: int | None, skip_bad: bool, site_field: str = "url") -> int:
    """0 when every file was explained; a bad file stops the run as it stops `clean`.

    `settings`: a (Cleaner, text field) per configuration of the run, as Job.setting indexes them."""
    from .corpus.plan import UsageError
    from .corpus.run import Batch
    from .corpus.tasks import Options
    from .corpus.write import NullSink

    report = ExplainReport(record)
    per_config = [(cleaner, Options(text_field, explain=True, site_field=site_field))
                  for cleaner, text_field in settings]
    Batch(jobs, None, lambda job: NullSink(), workers=1, skip_bad=skip_bad, listener=report,
          settings=per_config).run()
    if report.short:
        raise UsageError("; ".join(report.short))
    return 0
