"""bench/quality.py --model: the learned labeller measured per source, three ways; its cost.

    .venv/bin/python bench/quality.py --model --jobs 2     # the quality table
    .venv/bin/python bench/model_eval.py --speed            # CPU time of clean(), the model off and on

For each source (wcxb without its forum pages, wcxb forum pages apart, cev,
dragnet, tf): content lines kept and boilerplate lines removed, the first
line of each page left out (by the chain's decisions: kept means keep or
join), for the rules alone, the model alone (the rule steps off) and the
chain with the model. tf: `with` snippets kept and `without` removed, in input.

- site folds: five folds grouped by site inside each source (wcxb's
  `domain`, else the host of `url`): each page scored by a model trained on
  the other four folds of its source, forum pages never training;
- leave one source out: each page scored by a model trained on every other
  source (so tf's row is the model trained without tf);
- shipped: the weights in the wheel (trained on wcxb without forum and tf,
  so their rows are not held out).

Every model uses the shipped threshold, chosen on held-out folds by bench/train.py.
"""
from __future__ import annotations

from collections import Counter
from multiprocessing import Pool

import model_data
import train
from _common import norm, rate

from cleaner import Cleaner, Config
from cleaner.document import BLANK, JOIN, KEEP
from cleaner.model.scorer import Scorer
from cleaner.steps.model import Model

TRAIN_SOURCES = ("wcxb", "cev", "dragnet", "tf")  # wcxb-forum never trains
_workers: dict = {}


def _init(weights: dict, threshold: float) -> None:
    _workers.clear()
    _workers.update(weights=weights, threshold=threshold, cleaners={})


def _cleaner(key: str | None, alone: bool) -> Cleaner:
    cache = _workers["cleaners"]
    if (key, alone) not in cache:
        disabled = frozenset(model_data.RULE_STEPS) if alone else frozenset()
        cleaner = Cleaner(Config(model=False, disabled=disabled))
        if key is not None:
            model = Model(Scorer(_workers["weights"][key]), _workers["threshold"])
            cleaner.steps.insert(len(cleaner.steps) - 1, model)  # before join, where the chain puts it
        cache[key, alone] = cleaner
    return cache[key, alone]


def score(task: tuple) -> Counter:
    rec, key, alone = task
    result = _cleaner(key, alone).explain(rec["text"])
    c = Counter()
    if "labels" not in rec:  # tf: snippets
        text, out = norm(rec["text"]), norm(result.text)
        for s in rec["with"]:
            if norm(s) in text:
                c["content"] += 1
                c["content_kept"] += norm(s) in out
        for s in rec["without"]:
            if norm(s) in text:
                c["bp"] += 1
                c["bp_removed"] += norm(s) not in out
        return c
    decisions = [d for d in result.decisions if d.label != BLANK]
    for d in decisions[1:]:  # the first line left out, as the project's line figures do
        label = rec["labels"][d.line - 1]
        if label is None:
            continue
        kept = d.label in (KEEP, JOIN)
        if label == 1:
            c["content"] += 1
            c["content_kept"] += kept
        else:
            c["bp"] += 1
            c["bp_removed"] += not kept
    return c


def schemes(pages: list[dict], devset, jobs: int) -> tuple[dict, dict]:
    """The weights of every model to measure, and for each scheme the model that scores each page."""
    feats = {p["id"]: p for p in train.cached_features(devset, jobs)}
    rows = [feats[p["id"]] for p in pages]
    weights: dict[str, dict] = {}
    assign: dict[str, list] = {"site folds": [None] * len(pages), "leave one source out": [None] * len(pages)}
    for source in TRAIN_SOURCES:
        members = [i for i, r in enumerate(rows) if r["source"] in (source, f"{source}-forum")]
        folds = train.site_folds([rows[i] for i in members])
        for f in range(train.FOLDS):
            key = f"{source}.fold{f}"
            weights[key] = train.fit([rows[i] for i, g in zip(members, folds)
                                      if g != f and rows[i]["source"] == source])
            for i, g in zip(members, folds):
                if g == f:
                    assign["site folds"][i] = key
        key = f"without.{source}"
        weights[key] = train.fit([r for r in rows if r["source"] in TRAIN_SOURCES and r["source"] != source])
        for i in members:
            assign["leave one source out"][i] = key
    weights["shipped"] = Scorer.from_file().data
    assign["shipped"] = ["shipped"] * len(pages)
    return weights, assign


def run(devset, jobs: int, limit: int | None = None) -> dict:
    pages = model_data.load(devset, limit)
    weights, assign = schemes(pages, devset, jobs)
    threshold = weights["shipped"]["threshold"]
    tasks = [(p, None, False) for p in pages]
    labels = ["rules alone"]
    for scheme, keys in assign.items():
        for alone in (True, False):
            tasks += [(p, k, alone) for p, k in zip(pages, keys)]
            labels.append(f"{scheme}: {'model alone' if alone else 'chain + model'}")
    with Pool(jobs, _init, (weights, threshold)) as pool:
        counts = pool.map(score, tasks, chunksize=16)
    n = len(pages)
    table: dict = {}
    for k, label in enumerate(labels):
        by_source: dict[str, Counter] = {}
        for p, c in zip(pages, counts[k * n:(k + 1) * n]):
            by_source.setdefault(p["source"], Counter()).update(c)
        table[label] = {s: _figures(by_source.get(s, Counter())) for s in model_data.SOURCES}
    report(table, threshold)
    return {"threshold": threshold, "table": table}


def _figures(c: Counter) -> dict:
    return {"content": c["content"], "content_kept": c["content_kept"] / c["content"] if c["content"] else None,
            "bp": c["bp"], "bp_removed": c["bp_removed"] / c["bp"] if c["bp"] else None}


def report(table: dict, threshold: float) -> None:
    print(f"\nmodel (threshold {threshold}): content kept / boilerplate removed, first line left out;"
          " tf: `with` kept / `without` removed, in input")
    print(f"  {'':<44}" + "".join(f"{s:>16}" for s in model_data.SOURCES))
    for label, row in table.items():
        cells = "".join(f"{_cell(row[s]):>16}" for s in model_data.SOURCES)
        print(f"  {label:<44}{cells}")


def _cell(f: dict) -> str:
    if f["content_kept"] is None:
        return "n/a"
    return f"{f['content_kept']:.3f} / {f['bp_removed']:.3f}" if f["bp_removed"] is not None \
        else f"{f['content_kept']:.3f} / n/a"


def speed(devset, rounds: int = 3) -> dict:
    """CPU seconds of clean() over every devset page, the model off and on, in turns (one process)."""
    import time
    texts = [p["text"] for p in model_data.load(devset)]
    mb = sum(len(t.encode()) for t in texts) / 1e6
    cleaners = {"off": Cleaner(Config()), "on": Cleaner(Config(model=True))}
    for cleaner in cleaners.values():
        cleaner.clean(texts[0])  # rules and weights loaded before the clock starts
    best = {name: float("inf") for name in cleaners}
    for _ in range(rounds):
        for name, cleaner in cleaners.items():
            t0 = time.process_time()
            for text in texts:
                cleaner.clean(text)
            best[name] = min(best[name], time.process_time() - t0)
    share = (best["on"] - best["off"]) / best["on"]
    print(f"\n{len(texts)} pages, {mb:.1f} MB, best of {rounds} rounds (CPU s): model off {best['off']:.2f} s"
          f" ({mb / best['off']:.2f} MB/s), on {best['on']:.2f} s ({mb / best['on']:.2f} MB/s);"
          f" the model's share of the time with it on: {share:.1%}")
    return {"pages": len(texts), "mb": mb, "off_s": best["off"], "on_s": best["on"], "model_share": share}


if __name__ == "__main__":
    import argparse

    from _common import devset_path, machine, write_json
    ap = argparse.ArgumentParser(description="the model's cost: clean() with it off and on")
    ap.add_argument("--speed", action="store_true", required=True)
    ap.add_argument("--devset-dir")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json")
    args = ap.parse_args()
    print(machine())
    write_json(args.json, {"speed": speed(devset_path(args.devset_dir), args.rounds)})
