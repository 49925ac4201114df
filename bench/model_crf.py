"""A linear-chain CRF over the kept lines of a page, measured against the logistic model as bench/model_bound.py
measures it.

    .venv/bin/pip install -e ".[train]"        # numpy, scikit-learn, python-crfsuite: for training only
    .venv/bin/python bench/model_crf.py         # tune c2 on site folds, then the table and the speed
    options: --devset-dir DIR  --c2 X (skip the tuning)  --c2-grid X,Y  --tune-only  --schemes in,folds,loso
             --fine (thresholds every 0.001)  --no-logistic  --no-speed

The issue's alternative: a linear-chain CRF (python-crfsuite, L-BFGS on the
L2-regularised log-likelihood, no randomness) in place of the two logistic
stages. A page is one sequence of the lines the rules kept; each line's
attributes are its feature vector (bench/train.py's cache; the neighbours'
features are already in it), each divided by its standard deviation over
the training lines the model decides, plus a constant `bias`. Labels:
`B` boilerplate and `C` content for the lines the model decides
(bench/train.py's `_decided`), `T` for running text (attribute `fixed`),
which the model never decides; a line the rules kept but the gold does not
label (tf mostly, where only snippets are judged) cuts the sequence in two,
so a transition is learned only between labelled neighbours. Pages without
running text do not train and score 0, as for the logistic model.

Scoring: the marginal probability of `B` for each line, from a forward-
backward pass with running text held at `T` and every other line `B` or
`C` (what a shipped CRF would compute: `marginals`, pure Python, one dot
product a line). The figures are model_bound's: the model's removals added
to the rules', first line left out, the most boilerplate removed at a
threshold keeping content at the bar (else at 0.003 below the rules alone),
in sample, five site folds in each source, leave one source out. The L2
coefficient c2 is chosen on site folds only: the grid value with the most
boilerplate removed summed over wcxb, cev and dragnet (the figure at the
bar where it is reachable, else at -0.003), the first on a tie.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from math import exp
from operator import mul
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import devset_path, machine  # noqa: E402
import model_bound  # noqa: E402
import model_data  # noqa: E402
import train  # noqa: E402

from cleaner.model.features import NAMES  # noqa: E402
from cleaner.model.scorer import Scorer  # noqa: E402

C2_GRID = (0.1, 1.0, 10.0, 100.0, 300.0, 1000.0, 3000.0, 10000.0)
#: --fine: thresholds every 0.001 (the CRF's marginals are sharper than the logistic's near 1).
FINE = [round(0.3 + 0.001 * k, 3) for k in range(700)]
STATES = ("B", "C", "T")
MAX_ITERATIONS = 1000


def _scale(pages: list[dict]) -> np.ndarray:
    """Each feature's standard deviation over the training lines the model decides (1 where it is ~0)."""
    X = np.concatenate([p["X"][train._decided(p)].astype(np.float64) for p in pages])
    std = X.std(axis=0)
    std[std < 1e-6] = 1.0
    return std


def _sequences(page: dict, std: np.ndarray):
    """The training sequences of a page: its kept lines, cut at the ones neither fixed nor labelled."""
    X = page["X"].astype(np.float64) / std
    seq: list = []
    for x, f, y in zip(X, page["fixed"], page["y"]):
        if f:
            seq.append(({"bias": 1.0, "fixed": 1.0}, "T"))
        elif y < 0:
            if seq:
                yield seq
            seq = []
        else:
            attrs = {"bias": 1.0}
            attrs.update((NAMES[j], float(x[j])) for j in np.flatnonzero(x))
            seq.append((attrs, "B" if y == 1 else "C"))
    if seq:
        yield seq


def _with_body(page: dict) -> bool:
    return len(page["y"]) > 0 and page["X"][0, train._NO_BODY] == 0


def fit(pages: list[dict], c2: float) -> dict:
    """The CRF's weights in the shape `marginals` reads: B minus C on the raw features, the transitions."""
    import pycrfsuite
    pages = [p for p in pages if _with_body(p)]
    std = _scale(pages)
    trainer = pycrfsuite.Trainer(verbose=False)
    for p in pages:
        for seq in _sequences(p, std):
            trainer.append(pycrfsuite.ItemSequence([a for a, _ in seq]), [y for _, y in seq])
    trainer.set_params({"c1": 0.0, "c2": c2, "max_iterations": MAX_ITERATIONS})
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "crf.model")
        trainer.train(path)
        tagger = pycrfsuite.Tagger()
        tagger.open(path)
        info = tagger.info()
        tagger.close()
    state = info.state_features
    diff = [state.get((n, "B"), 0.0) - state.get((n, "C"), 0.0) for n in NAMES]
    trans = [[info.transitions.get((a, b), 0.0) for b in STATES] for a in STATES]
    return {"coef": [float(d / s) for d, s in zip(diff, std)],
            "intercept": state.get(("bias", "B"), 0.0) - state.get(("bias", "C"), 0.0),
            "transitions": trans, "c2": c2, "iterations": trainer.logparser.last_iteration["num"]
            if trainer.logparser.last_iteration else None}


def marginals(weights: dict, vectors: list, fixed: list[bool]) -> list[float]:
    """P(boilerplate) of each line, running text held at T and the others B or C: forward-backward, scaled,
    pure Python (what the library would run; 0 for the fixed lines)."""
    w, b = weights["coef"], weights["intercept"]
    (e00, e01, e02), (e10, e11, e12), (e20, e21, e22) = [[exp(t) for t in row] for row in weights["transitions"]]
    phi = []
    for v, f in zip(vectors, fixed):
        if f:
            phi.append((0.0, 0.0, 1.0))
            continue
        d = b + sum(map(mul, v, w))
        phi.append((1.0, exp(-d), 0.0) if d >= 0 else (exp(d), 1.0, 0.0))
    n = len(phi)
    if not n:
        return []
    alpha = [phi[0]] * n
    a0, a1, a2 = phi[0]
    for t in range(1, n):
        p0, p1, p2 = phi[t]
        a0, a1, a2 = (p0 * (a0 * e00 + a1 * e10 + a2 * e20), p1 * (a0 * e01 + a1 * e11 + a2 * e21),
                      p2 * (a0 * e02 + a1 * e12 + a2 * e22))
        s = a0 + a1 + a2
        a0, a1, a2 = a0 / s, a1 / s, a2 / s
        alpha[t] = (a0, a1, a2)
    out = [0.0] * n
    b0 = b1 = b2 = 1.0
    for t in range(n - 1, -1, -1):
        if not fixed[t]:
            a0, a1, _ = alpha[t]
            m0, m1 = a0 * b0, a1 * b1
            out[t] = m0 / (m0 + m1)
        p0, p1, p2 = phi[t]
        q0, q1, q2 = p0 * b0, p1 * b1, p2 * b2
        b0, b1, b2 = (e00 * q0 + e01 * q1 + e02 * q2, e10 * q0 + e11 * q1 + e12 * q2,
                      e20 * q0 + e21 * q1 + e22 * q2)
        s = b0 + b1 + b2
        b0, b1, b2 = b0 / s, b1 / s, b2 / s
    return out


def _inputs(page: dict) -> tuple[list, list[bool]]:
    """A page as the library's model step holds it: a vector for each line it decides, None for running text."""
    fixed = page["fixed"].tolist()
    return [None if f else row for row, f in zip(page["X"].astype(np.float64).tolist(), fixed)], fixed


def predict(weights: dict, pages: list[dict]) -> list[np.ndarray]:
    return [np.asarray(marginals(weights, *_inputs(p))) if _with_body(p) else np.zeros(len(p["y"]))
            for p in pages]


def _summary(cells) -> float:
    """What the tuning maximises: the boilerplate removed at the bar, else at -0.003, summed over the sources."""
    return sum((at_bar or near or (0.0,))[0] for _, at_bar, near in cells)


def tune(pages: list[dict], grid=C2_GRID) -> float:
    best = None
    for c2 in grid:
        t0 = time.process_time()
        cells = model_bound.cells(pages, model_bound.scheme(pages, "folds", lambda rows: fit(rows, c2), predict))
        model_bound.show(f"crf c2={c2} folds (sum {_summary(cells):.3f}, {time.process_time() - t0:.0f} s)", cells)
        if best is None or _summary(cells) > best[0]:
            best = (_summary(cells), c2)
    return best[1]


def speed(pages: list[dict], crf: dict, rounds: int = 3) -> None:
    """CPU time a line of the two scorers in pure Python over the devset pages with running text."""
    scorer = Scorer.from_file()
    inputs = [_inputs(p) for p in pages if _with_body(p)]
    lines = sum(len(f) - sum(f) for _, f in inputs)

    def best(run) -> float:
        times = []
        for _ in range(rounds):
            t0 = time.process_time()
            for v, f in inputs:
                run(v, f)
            times.append(time.process_time() - t0)
        return min(times)

    logistic = best(scorer.probabilities)
    chain = best(lambda v, f: marginals(crf, v, f))
    print(f"speed over {len(inputs)} pages, {lines} lines decided (best of {rounds}, CPU): two-stage logistic "
          f"{logistic / lines * 1e6:.2f} µs a line, CRF forward-backward {chain / lines * 1e6:.2f} µs a line "
          f"({chain / logistic:.2f}x)", flush=True)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset-dir")
    ap.add_argument("--c2", type=float, help="use this L2 coefficient instead of tuning it on site folds")
    ap.add_argument("--c2-grid", help=f"tune over these (comma-separated; default {','.join(map(str, C2_GRID))})")
    ap.add_argument("--tune-only", action="store_true", help="stop after the tuning")
    ap.add_argument("--fine", action="store_true", help="thresholds every 0.001 instead of model_bound's 0.01")
    ap.add_argument("--schemes", default="in,folds,loso")
    ap.add_argument("--no-logistic", action="store_true", help="do not measure the logistic model again")
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args(argv)
    print(machine())
    pages = train.cached_features(devset_path(args.devset_dir), 2)
    grid = FINE if args.fine else model_bound.GRID
    c2 = args.c2 if args.c2 is not None else tune(pages, [float(c) for c in args.c2_grid.split(",")]
                                                   if args.c2_grid else C2_GRID)
    print(f"c2 = {c2}", flush=True)
    if args.tune_only:
        return
    for name in args.schemes.split(","):
        if not args.no_logistic:
            logistic = model_bound.scheme(pages, name, train.fit, train.predict)
            model_bound.show(f"logistic {name}", model_bound.cells(pages, logistic, grid))
        crf = model_bound.scheme(pages, name, lambda rows: fit(rows, c2), predict)
        model_bound.show(f"crf {name}", model_bound.cells(pages, crf, grid))
    if not args.no_speed:
        shippable = [p for p in pages if p["source"] in model_data.SHIPPABLE]
        speed(pages, fit(shippable, c2))


if __name__ == "__main__":
    main()
