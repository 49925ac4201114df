"""Train the model's weights from the development sets (read ../shared/devset/README.md).

    .venv/bin/pip install -e ".[train]"     # numpy and scikit-learn, for training only
    .venv/bin/python bench/train.py          # writes cleaner/model/weights.json
    options: --devset-dir DIR  --jobs N  --out FILE  --threshold P

The shipped weights learn only from the sources whose licences allow it in
an Apache-2.0 wheel: wcxb-dev without its forum pages (CC-BY-4.0) and tf-dev
(Apache-2.0). Deterministic: the pages are read in file order, the folds are
made from sorted site names, and the solver (L-BFGS) has no randomness.

The threshold is chosen on held-out data: five folds of the training pages
grouped by site give each page a probability from a model that never saw
its site, and the threshold is the lowest at which the model's removals
keep CONTENT_KEPT of the content lines on every training source.
"""
from __future__ import annotations

import argparse
import json
import sys
import zlib
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, devset_path, machine  # noqa: E402
import model_data  # noqa: E402

from cleaner.model.features import NAMES  # noqa: E402
from cleaner.model.scorer import STAGE2  # noqa: E402

#: Regularisation of both stages (scikit-learn's C): chosen by site-grouped folds.
C = 0.3
FOLDS = 5
#: The share of content lines the model's removals must keep on held-out pages.
CONTENT_KEPT = 0.998
GRID = [round(0.5 + 0.005 * k, 3) for k in range(100)]  # 0.5 .. 0.995
WEIGHTS = REPO / "cleaner" / "model" / "weights.json"
_NO_BODY = NAMES.index("no_body")


def _logistic(X: np.ndarray, y: np.ndarray):
    from sklearn.linear_model import LogisticRegression
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std[std < 1e-6] = 1.0
    model = LogisticRegression(C=C, max_iter=2000)
    model.fit((X - mean) / std, y)
    coef = model.coef_[0] / std
    return coef, float(model.intercept_[0] - (coef * mean).sum()), mean


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


def stage1(pages: list[dict], coef, intercept) -> list[np.ndarray]:
    return [np.where(p["fixed"], 0.0, _sigmoid(p["X"].astype(np.float64) @ coef + intercept)) for p in pages]


def stage2_inputs(page: dict, p1: np.ndarray) -> np.ndarray:
    n = len(p1)
    pad = np.concatenate([[0.0, 0.0], p1, [0.0, 0.0]])
    near = np.stack([pad[0:n], pad[1:n + 1], pad[3:n + 3], pad[4:n + 4]], axis=1)
    return np.concatenate([page["X"].astype(np.float64), p1[:, None], near, near.max(axis=1, keepdims=True)],
                          axis=1)


def _decided(page: dict) -> np.ndarray:
    """The labelled lines the model decides: not running text, on a page that has some."""
    return (page["y"] >= 0) & ~page["fixed"] & (page["X"][:, _NO_BODY] == 0)


def _rows(pages: list[dict], parts: list[np.ndarray]):
    X = np.concatenate([m[_decided(p)] for p, m in zip(pages, parts)])
    y = np.concatenate([p["y"][_decided(p)] for p in pages])
    return X, y


def fit(pages: list[dict]) -> dict:
    """The weights of both stages, learned from the labelled lines the rules kept (running text aside)."""
    pages = [p for p in pages if len(p["y"])]
    X, y = _rows(pages, [p["X"].astype(np.float64) for p in pages])
    w1, b1, _ = _logistic(X, y)
    p1 = stage1(pages, w1, b1)
    X2, y2 = _rows(pages, [stage2_inputs(p, q) for p, q in zip(pages, p1)])
    w2, b2, means = _logistic(X2, y2)
    return {"features": list(NAMES), "stage2_features": list(STAGE2),
            "stage1": {"coef": [round(float(c), 6) for c in w1], "intercept": round(b1, 6)},
            "stage2": {"coef": [round(float(c), 6) for c in w2], "intercept": round(b2, 6),
                       "means": [round(float(m), 6) for m in means]},
            "threshold": 0.9}


def predict(weights: dict, pages: list[dict]) -> list[np.ndarray]:
    """Stage two's probabilities of the kept lines of each page (first round: before any removal)."""
    w1, b1 = np.array(weights["stage1"]["coef"]), weights["stage1"]["intercept"]
    w2, b2 = np.array(weights["stage2"]["coef"]), weights["stage2"]["intercept"]
    out = []
    for p, q in zip(pages, stage1(pages, w1, b1)):
        idle = p["fixed"] | (p["X"][:, _NO_BODY] > 0)
        out.append(np.where(idle, 0.0, _sigmoid(stage2_inputs(p, q) @ w2 + b2)) if len(q) else q)
    return out


def site_folds(pages: list[dict], k: int = FOLDS) -> list[int]:
    """A fold per page, by a stable hash of its site: no site on both sides of a split."""
    return [zlib.crc32(p["site"].encode()) % k for p in pages]


def held_out(pages: list[dict], k: int = FOLDS) -> list[np.ndarray]:
    """Each page's probabilities from a model trained on the other folds (forum pages never train)."""
    folds = site_folds(pages, k)
    probs: list = [None] * len(pages)
    for f in range(k):
        train = [p for p, g in zip(pages, folds) if g != f and p["source"] != "wcxb-forum"]
        weights = fit(train)
        test = [i for i, g in enumerate(folds) if g == f]
        for i, q in zip(test, predict(weights, [pages[i] for i in test])):
            probs[i] = q
    return probs


def content_kept(pages: list[dict], probs: list[np.ndarray], t: float) -> float:
    """Share of the content lines (all, rules' losses included) still kept once the model removes p >= t."""
    total = kept = 0
    for p, q in zip(pages, probs):
        total += int((p["all_y"] == 0).sum())
        kept += int(((p["all_y"] == 0) & p["rule_kept"]).sum())
        kept -= int(((p["y"] == 0) & (q >= t)).sum())
    return kept / total if total else 1.0


def model_keeps(pages: list[dict], probs: list[np.ndarray], t: float) -> float:
    """Share of the content lines that reach the model (the rules kept them) that it keeps."""
    total = sum(int((p["y"] == 0).sum()) for p in pages)
    lost = sum(int(((p["y"] == 0) & (q >= t)).sum()) for p, q in zip(pages, probs))
    return 1 - lost / total if total else 1.0


def choose_threshold(pages: list[dict], probs: list[np.ndarray], sources) -> float:
    """The lowest threshold at which the model keeps CONTENT_KEPT of what reaches it, on every source."""
    for t in GRID:
        if all(model_keeps(*_of(pages, probs, s), t) >= CONTENT_KEPT for s in sources):
            return t
    return GRID[-1]


def _of(pages, probs, source):
    pairs = [(p, q) for p, q in zip(pages, probs) if p["source"] == source]
    return [p for p, _ in pairs], [q for _, q in pairs]


def cached_features(devset: Path, jobs: int, alone: bool = False) -> list[dict]:
    """The featurised pages, cached in bench/data (git-ignored) keyed by the code and rules behind them."""
    import hashlib
    import pickle
    files = sorted([*REPO.glob("cleaner/**/*.py"), *REPO.glob("rules/*.toml"), REPO / "bench" / "model_data.py"])
    code = b"".join(f.read_bytes() for f in files if f.name != "weights.json")
    key = hashlib.sha1(code + repr(NAMES).encode() + str(alone).encode()).hexdigest()[:12]
    path = REPO / "bench" / "data" / f"model-features-{key}.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    pages = model_data.featurise_all(model_data.load(devset), jobs, alone)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(pickle.dumps(pages))
    return pages


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset-dir", help="folder of the devset (default ../shared/devset from the repo root)")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--out", default=str(WEIGHTS), help=f"where to write the weights (default {WEIGHTS})")
    ap.add_argument("--threshold", type=float, help="ship this threshold instead of choosing one")
    args = ap.parse_args(argv)
    print(machine())
    pages = [p for p in cached_features(devset_path(args.devset_dir), args.jobs)
             if p["source"] in model_data.SHIPPABLE]
    probs = held_out(pages)
    t = args.threshold or choose_threshold(pages, probs, model_data.SHIPPABLE)
    for s in model_data.SHIPPABLE:
        sp, sq = _of(pages, probs, s)
        print(f"{s}: held out at threshold {t}: the model keeps {model_keeps(sp, sq, t):.4f} of the content"
              f" it sees; content kept with the rules {content_kept(sp, sq, t):.4f}")
    weights = fit(pages)
    weights["threshold"] = t
    weights["trained_on"] = sorted({p["source"] for p in pages})
    Path(args.out).write_text(json.dumps(weights, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(pages)} pages, threshold {t}")


if __name__ == "__main__":
    main()
