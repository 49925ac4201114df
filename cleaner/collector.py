"""The garbage collector while documents stream through the chain.

Cleaning makes few reference cycles but many objects that live for a batch
(a document's lines, labels and result), so the collector's default pace,
a young collection every 700 new objects, walks them again and again and
moves them into older generations that are walked again in turn: about 3 %
of the chain's instructions on the bench corpus. Collected every `YOUNG`
new objects instead, a run of the chain triggers almost no collection (the
objects of a batch are freed before that many pile up), and a cycle left
behind is still collected. What lives as long as the run (the rules, the
language profiles) is frozen out of the walks of full collections.
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

#: New tracked objects between two collections of the youngest generation.
YOUNG = 50_000


def settle() -> None:
    """For a process that cleans until it ends (a worker): freeze what is alive, collect less often."""
    gc.freeze()
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG, middle, old)


@contextlib.contextmanager
def settled() -> Iterator[None]:
    """`settle` for a while (a datatrove task), then the collector as it was; objects the
    process had frozen itself stay frozen."""
    freeze = gc.get_freeze_count() == 0
    before = gc.get_threshold()
    if freeze:
        gc.freeze()
    gc.set_threshold(YOUNG, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
        if freeze:
            gc.unfreeze()
