"""bench/quality.py --model: the learned labeller measured per source, three ways; its cost.

    .venv/bin/python bench/quality.py --model --jobs 2     # the quality table
    .venv/bin/python bench/model_eval.py --speed            # CPU time of clean(), the model off and on
    .venv/bin/python bench/model_eval.py --peel             # the model's rounds per page, what later rounds take

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

import copy
import time
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


def peel(devset, top: int = 5) -> dict:
    """The rounds the model takes per page (with the shipped weights, the chain as shipped), and what it
    removes in rounds after the first: a feature that moves with each removal peels a block a line a round.

    A round is one scoring of the kept lines that removes something, the
    relabellings of the chain included; a line's round is the one that took
    it out. Content: a line labelled content (wcxb, cev, dragnet) or holding a
    `with` snippet (tf)."""
    pages = model_data.load(devset)
    cleaner = Cleaner(Config(model=True))
    state: dict = {}
    step = next(s for s in cleaner.steps if s.name == Model.name)
    scorer, real = copy.copy(step.scorer), step.scorer.probabilities

    def probabilities(vectors, fixed):
        # The lines the last round took out (the step marks them before it scores again).
        ctx = state["ctx"]
        for i, by in enumerate(ctx.steps):
            if by == Model.name:
                state["when"].setdefault(ctx.lines[i].number, state["round"])
        probs, p1 = real(vectors, fixed)
        state["round"] += any(p >= step.threshold for p in probs)
        return probs, p1

    scorer.probabilities = probabilities
    step.scorer = scorer
    apply_edges = step.apply_edges

    def counted(ctx):
        state["ctx"] = ctx
        apply_edges(ctx)
    step.apply_edges = counted
    explain = cleaner._explain

    def fresh(doc, lang):
        state.update(round=0, when={})
        return explain(doc, lang)
    cleaner._explain = fresh
    rounds: Counter = Counter()
    by_round: dict[str, Counter] = {}
    worst, slow = [], []
    for rec in pages:
        t0 = time.process_time()
        result = cleaner.explain(rec["text"])
        slow.append((round(time.process_time() - t0, 2), state["round"], rec["id"]))
        rounds[state["round"]] += 1
        src = rec["text"].split("\n") if "labels" not in rec else None
        withs = [norm(s) for s in rec.get("with", ())]
        late = 0
        c = by_round.setdefault(rec["source"], Counter())
        for d in result.decisions:
            if not (d.rule_id or "").startswith("model."):
                continue
            r = state["when"].get(d.line, 1)
            content = rec["labels"][d.line - 1] == 1 if src is None else any(w in norm(src[d.line - 1]) for w in withs)
            later = "later" if r >= 2 else "first"
            c[f"{later}.lines"] += 1
            c[f"{later}.content"] += content
            late += content and r >= 2
        if late:
            worst.append((late, state["round"], rec["source"], rec["id"]))
    dist = dict(sorted(rounds.items()))
    total = sum(k * v for k, v in rounds.items())
    print(f"\n{len(pages)} pages; rounds of the model per page (rounds: pages): {dist}; "
          f"{sum(v for k, v in rounds.items() if k >= 2)} pages with 2 rounds or more, {total} rounds in all")
    for s, c in by_round.items():
        print(f"  {s:<11} removed in round 1: {c['first.lines']} lines ({c['first.content']} content);"
              f" in rounds >= 2: {c['later.lines']} lines ({c['later.content']} content)")
    worst.sort(reverse=True)
    print("  most content lost in rounds >= 2 (lines, rounds, source, id):", worst[:top])
    slow.sort(reverse=True)
    print(f"  CPU s in all {sum(t for t, _, _ in slow):.1f}; slowest pages (CPU s, rounds, id):", slow[:top])
    return {"rounds": dist, "by_source": {s: dict(c) for s, c in by_round.items()}, "worst": worst[:top],
            "slow": slow[:top]}


if __name__ == "__main__":
    import argparse

    from _common import devset_path, machine, write_json
    ap = argparse.ArgumentParser(description="the model's cost: clean() with it off and on")
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--peel", action="store_true", help="the model's rounds per page and what later rounds remove")
    ap.add_argument("--devset-dir")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json")
    args = ap.parse_args()
    print(machine())
    if not (args.speed or args.peel):
        ap.error("say --speed or --peel")
    out = {}
    if args.peel:
        out["peel"] = peel(devset_path(args.devset_dir))
    if args.speed:
        out["speed"] = speed(devset_path(args.devset_dir), args.rounds)
    write_json(args.json, out)
