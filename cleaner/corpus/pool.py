"""The pool: tasks out to worker processes (or done here with one job), results back in task order.

Results are consumed in the order tasks were made, so the output is byte for
byte the same whatever the number of workers, and the records of one big
file can be spread over all of them.
"""
from __future__ import annotations

import os
import signal
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from . import work
from .tasks import Passed, Task, TaskResult

#: Items in flight per worker: enough that a slow chunk at the head of the
#: line does not leave the other workers idle, few enough that memory stays
#: flat (an item is at most a chunk of about 1 MB, and its result).
IN_FLIGHT = 4


class Executor:
    """Runs tasks in `jobs` processes (or in this one when jobs is 1), results in task order.

    `settings` holds a (Cleaner, Options) per configuration of the run; each task names its own.

    At most `IN_FLIGHT * jobs` items are in flight, so the reader never runs far
    ahead of the writer and memory stays flat whatever the size of the input.
    """

    def __init__(self, settings: list[tuple], jobs: int):
        self.jobs = max(1, jobs)
        self.pool = None
        if self.jobs == 1:
            work.init(settings)
            return
        from concurrent.futures import ProcessPoolExecutor
        start_server()  # (when it is not running yet) with Ctrl-C left to this process
        self.pool = ProcessPoolExecutor(self.jobs, mp_context=_context(), initializer=work.init,
                                        initargs=(settings, True))

    def ordered(self, items: Iterable[Task | Passed]) -> Iterator[tuple[Task | Passed, TaskResult | None]]:
        if self.pool is None:
            for item in items:
                yield item, work.process(item) if isinstance(item, Task) else None
            return
        pending: deque = deque()
        limit = IN_FLIGHT * self.jobs
        for item in items:
            future = None
            if isinstance(item, Task):
                # A submit may start a worker; Ctrl-C half-way through would leave it a truncated
                # start-up message (a traceback from the fork server), so it comes after.
                with _signals_deferred():
                    future = self.pool.submit(work.process, item)
            pending.append((item, future))
            while len(pending) > limit:
                yield _resolved(pending.popleft())
        while pending:
            yield _resolved(pending.popleft())

    def close(self, cancel: bool = False) -> None:
        if self.pool is None:
            return
        if cancel:
            # Asked, not killed: a worker killed while it sends a result leaves half a message in
            # the result pipe, and the pool's own thread then waits for the rest for ever. Asked, a
            # worker ends the chunk it holds and gives up the tasks queued behind it (work.Stopped),
            # so Ctrl-C waits for one chunk per worker at most.
            for pid in list(getattr(self.pool, "_processes", {})):
                try:
                    os.kill(pid, signal.SIGINT)
                except ProcessLookupError:
                    pass
            # Workers killed from outside (SIGTERM to the process group) may still have left half
            # a message: with this process's end of the result pipe closed, the pool's thread
            # meets the end of the pipe once they are gone, instead of waiting for the rest.
            writer = getattr(getattr(self.pool, "_result_queue", None), "_writer", None)
            if writer is not None:
                writer.close()
        self.pool.shutdown(wait=True, cancel_futures=cancel)


def _context():
    import multiprocessing
    # forkserver: safe with the threads a progress bar starts, and cheaper
    # than spawn (workers fork from a server that has loaded the package,
    # see preload.py); spawn where there is no forkserver.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(["cleaner.preload"])
    return context


def start_server() -> None:
    """Start the fork server now, so that it loads while this process reads its own rules."""
    if _context().get_start_method() == "forkserver":
        from multiprocessing import forkserver, resource_tracker
        # The server is in the terminal's process group, and it ignores SIGINT only once it
        # has loaded the package: started with SIGINT blocked (the mask passes through exec,
        # as the resource tracker's does), Ctrl-C in that second is the main process's
        # alone, which gets it as soon as the mask is lifted here.
        # The resource tracker first: starting it unblocks SIGINT on its way out.
        resource_tracker.ensure_running()
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            forkserver.ensure_running()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def _signals_deferred():
    """Ctrl-C and SIGTERM held back for the length of the block, then delivered as they came."""
    import threading
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    held = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum)) for sig in held}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            # (None: a handler set outside Python, which cannot be put back; the default stands in)
            signal.signal(sig, signal.SIG_DFL if handler is None else handler)
        if caught:
            signal.raise_signal(caught[0])


def _resolved(entry):
    item, future = entry
    return item, future.result() if future is not None else None
