"""The model's training and evaluation data: each devset page through the rules, its kept lines' features.

Shared by bench/train.py and bench/model_eval.py. A page becomes the feature
vectors of the lines the rules kept (as the model step sees them), a target
per line (1 boilerplate, 0 content, -1 unlabelled) and the line figures of
the rules alone. Sources (devset README): wcxb and dragnet and cev label
every line; tf names snippets, so a line holding a `with` snippet is content,
one holding only `without` snippets boilerplate, any other unlabelled.
"""
from __future__ import annotations

import sys
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_jsonl, norm  # noqa: E402

from cleaner import Cleaner, Config  # noqa: E402
from cleaner.document import KEEP  # noqa: E402
from cleaner.model.features import NAMES  # noqa: E402
from cleaner.steps.model import Model  # noqa: E402
from cleaner.steps.base import Step  # noqa: E402
from cleaner.steps.model import model_inputs  # noqa: E402

#: The sources as the evaluation splits them: wcxb forum pages apart (their posts are content).
SOURCES = ("wcxb", "wcxb-forum", "cev", "dragnet", "tf")
#: What the shipped weights may learn from (licences: CC-BY-4.0, Apache-2.0).
SHIPPABLE = ("wcxb", "tf")
RULE_STEPS = ("chrome", "cookie", "byline", "teaser", "comment", "duplicate")


def site(rec: dict) -> str:
    host = rec.get("domain") or urlsplit(rec.get("url") or "").hostname or rec["id"]
    return host.removeprefix("www.")


def source_of(name: str, rec: dict) -> str:
    return "wcxb-forum" if name == "wcxb" and rec.get("page_type") == "forum" else name


def load(devset: Path, limit: int | None = None) -> list[dict]:
    """Every page of the four sets, in a fixed order, with its source and site."""
    pages = []
    for name in ("wcxb", "cev", "dragnet", "tf"):
        for rec in load_jsonl(devset / f"{name}-dev.jsonl", limit):
            rec["source"] = source_of(name, rec)
            rec["site"] = site(rec)
            pages.append(rec)
    return pages


class _Collect(Step):
    """Stands where the model step stands and keeps what it would see."""

    name = Model.name

    def __init__(self):
        self.seen = None

    def apply_edges(self, ctx) -> None:
        self.seen = (model_inputs(ctx), list(ctx.labels))  # every page, even one the model would skip


_state: dict = {}


def _init(alone: bool) -> None:
    disabled = frozenset(RULE_STEPS) if alone else frozenset()
    cleaner = Cleaner(Config(model=False, disabled=disabled))
    collect = _Collect()
    cleaner.steps.insert(len(cleaner.steps) - 1, collect)  # before join, as the model
    _state.update(cleaner=cleaner, collect=collect)


def targets(rec: dict, numbers: list[int]) -> list[int]:
    """1 boilerplate, 0 content, -1 unlabelled, for the 1-based input lines `numbers`."""
    src = rec["text"].split("\n")
    if "labels" in rec:
        labels = rec["labels"]
        return [-1 if labels[n - 1] is None else 1 - labels[n - 1] for n in numbers]
    withs = [norm(s) for s in rec["with"]]
    withouts = [norm(s) for s in rec["without"]]
    out = []
    for n in numbers:
        line = norm(src[n - 1])
        out.append(0 if any(s in line for s in withs) else 1 if any(s in line for s in withouts) else -1)
    return out


def featurise(rec: dict) -> dict:
    cleaner, collect = _state["cleaner"], _state["collect"]
    result = cleaner.explain(rec["text"])
    numbers = [d.line for d in result.decisions if d.label != "blank"]
    seen = collect.seen if collect.seen is not None else (([], [], []), [KEEP] * len(numbers))
    collect.seen = None
    (groups, vectors, fixed), labels = seen
    if not numbers:
        labels = []
    all_y = targets(rec, numbers)
    # A glued paragraph is content when one of its lines is.
    ys = [[all_y[i] for i in g] for g in groups]
    y = [0 if 0 in g else 1 if 1 in g else -1 for g in ys]
    return {"id": rec["id"], "source": rec["source"], "site": rec["site"],
            # Running text has no vector of its own (the model never decides it): zeros stand in.
            "X": np.asarray([v or [0.0] * len(NAMES) for v in vectors],
                            dtype=np.float32).reshape(len(groups), len(NAMES)),
            "fixed": np.asarray(fixed, dtype=bool), "y": np.asarray(y, dtype=np.int8),
            "all_y": np.asarray(all_y, dtype=np.int8),
            "rule_kept": np.asarray([label == KEEP for label in labels], dtype=bool)}


def featurise_all(pages: list[dict], jobs: int = 1, alone: bool = False) -> list[dict]:
    """The pages featurised in order (worker processes when jobs > 1)."""
    if jobs <= 1:
        _init(alone)
        return [featurise(p) for p in pages]
    with Pool(jobs, _init, (alone,)) as pool:
        return pool.map(featurise, pages, chunksize=16)
