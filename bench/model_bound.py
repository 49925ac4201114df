"""How far the model's features can go: figures from each page's first-round features, in sample and held out.

    .venv/bin/python bench/model_bound.py                 # logistic (the shipped learner)
    .venv/bin/python bench/model_bound.py --boosted       # scikit-learn gradient boosting instead
    options: --devset-dir DIR  --schemes in,folds,loso

A fast stand-in for `bench/quality.py --model`: each page's features and
labels as the model step first sees them (bench/train.py's cache), the
model's removals at one threshold added to the rules' (no relabelling
after them), lines counted, the first line of each page left out. Schemes:
`in` trains and scores each source on its own pages (an upper bound: what
these features can tell apart when the sites are known), `folds` five site
folds inside each source, `loso` every other source. For each source and
scheme: the most boilerplate removed at a threshold that keeps content at
the issue's bar, and at 0.003 below the rules alone.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import devset_path, machine  # noqa: E402
import train  # noqa: E402

SOURCES = ("wcxb", "cev", "dragnet")
TRAIN = ("wcxb", "cev", "dragnet", "tf")
BARS = {"wcxb": 0.995, "cev": 0.98, "dragnet": 0.985}
GRID = [round(0.3 + 0.01 * k, 2) for k in range(70)]


def figures(pages, probs, t: float, source: str) -> tuple[float, float]:
    """Content lines kept and boilerplate lines removed on `source`, the model removing p >= t."""
    c = k = b = r = 0
    for p, q in zip(pages, probs):
        if p["source"] != source:
            continue
        ay, kept = p["all_y"][1:], p["rule_kept"][1:]
        c += int((ay == 0).sum())
        k += int(((ay == 0) & kept).sum())
        b += int((ay == 1).sum())
        r += int(((ay == 1) & ~kept).sum())
        hit = q >= t
        k -= int(((p["y"] == 0) & hit).sum())
        r += int(((p["y"] == 1) & hit).sum())
    return k / c, r / b


def cell(pages, probs, source: str, grid=GRID):
    """The rules alone's content kept on `source`; the most boilerplate removed (and its threshold) keeping
    content at the bar, None if no threshold does; the same keeping content at 0.003 below the rules alone
    (with the content kept), None if none does."""
    base = figures(pages, [np.zeros(len(p["y"])) for p in pages], 1.0, source)[0]
    curve = [(t, *figures(pages, probs, t, source)) for t in grid]
    at_bar = max(((b, t) for t, c, b in curve if c >= BARS[source]), default=None)
    near = max(((b, t, c) for t, c, b in curve if c >= base - 0.003), default=None)
    return base, at_bar, near


def cells(pages, probs, grid=GRID) -> list:
    """`cell` for each source."""
    return [cell(pages, probs, s, grid) for s in SOURCES]


def show(label: str, found: list) -> None:
    """Print the cells of one model and scheme, a source a line."""
    print(f"{label}:\n  " + "\n  ".join(describe(s, *c) for s, c in zip(SOURCES, found)), flush=True)


def describe(source: str, base: float, at_bar, near) -> str:
    return (f"{source}: rules alone {base:.3f}; at the bar {BARS[source]}: "
            + (f"{at_bar[0]:.3f} (t {at_bar[1]})" if at_bar else "unreachable")
            + "; at -0.003: " + (f"{near[0]:.3f} (t {near[1]}, content {near[2]:.3f})" if near else "-"))


def boosted_fit(pages):
    from sklearn.ensemble import HistGradientBoostingClassifier
    pages = [p for p in pages if len(p["y"])]
    X, y = train._rows(pages, [p["X"].astype(np.float64) for p in pages])
    model = HistGradientBoostingClassifier(max_iter=150, max_leaf_nodes=31, random_state=0, early_stopping=False)
    return model.fit(X, y)


def boosted_predict(model, pages):
    out = []
    for p in pages:
        if not len(p["y"]):
            out.append(np.zeros(0))
            continue
        idle = p["fixed"] | (p["X"][:, train._NO_BODY] > 0)
        out.append(np.where(idle, 0.0, model.predict_proba(p["X"].astype(np.float64))[:, 1]))
    return out


def scheme(pages, name: str, fit, predict) -> list:
    probs: list = [None] * len(pages)
    for s in TRAIN:
        idx = [i for i, p in enumerate(pages) if p["source"] in (s, f"{s}-forum")]
        if name == "in":
            parts = [(None, idx)]
        elif name == "loso":
            parts = [("loso", idx)]
        else:
            folds = train.site_folds([pages[i] for i in idx])
            parts = [(f, [i for i, g in zip(idx, folds) if g == f]) for f in range(train.FOLDS)]
        for f, test in parts:
            if name == "in":
                rows = [pages[i] for i in idx if pages[i]["source"] == s]
            elif name == "loso":
                rows = [p for p in pages if p["source"] in TRAIN and p["source"] != s]
            else:
                held = set(test)
                rows = [pages[i] for i in idx if i not in held and pages[i]["source"] == s]
            for i, q in zip(test, predict(fit(rows), [pages[i] for i in test])):
                probs[i] = q
    return probs


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset-dir")
    ap.add_argument("--boosted", action="store_true")
    ap.add_argument("--schemes", default="in,folds,loso")
    args = ap.parse_args(argv)
    print(machine())
    pages = train.cached_features(devset_path(args.devset_dir), 2)
    fit, predict = (boosted_fit, boosted_predict) if args.boosted else (train.fit, train.predict)
    for name in args.schemes.split(","):
        probs = scheme(pages, name, fit, predict)
        show(f"{'boosted' if args.boosted else 'logistic'} {name}", cells(pages, probs))


if __name__ == "__main__":
    main()
