"""The progress bar of `cleaner clean`: MB read with their rate, documents with theirs."""
from __future__ import annotations

import sys
import time

from tqdm import tqdm

from .corpus.run import JobState, Listener
from .corpus.tasks import Task, TaskResult


class Progress(Listener):
    def __init__(self, total_bytes: int):
        self.bar = tqdm(total=total_bytes or None, unit="B", unit_scale=True, desc="cleaning",
                        file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
        self.documents = 0
        self.start = time.perf_counter()

    def chunk(self, state: JobState, task: Task, result: TaskResult) -> None:
        self.documents += result.tally.documents
        rate = self.documents / max(time.perf_counter() - self.start, 1e-9)
        self.bar.set_postfix_str(f"{self.documents:,} docs, {rate:,.0f} docs/s", refresh=False)
        self.bar.update(task.progress)

    def warn(self, message: str) -> None:
        self.bar.write(f"warning: {message}", file=sys.stderr)

    def close(self) -> None:
        self.bar.close()
