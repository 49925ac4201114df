"""Rule examples, negatives and test texts that are devset lines word for word.

The devset README: "rules must not quote their pages". This lists every rule
example and counter-example (rules/*.toml), every line of tests/negatives/,
and every string literal in tests/*.py that equals a line of a development
set's `text` or `gold`, after collapsing whitespace ("verbatim"), or after
also lower-casing and folding every digit to 0 ("near"). It needs the sets
(../shared/devset or --devset-dir), so no test runs it.

    .venv/bin/python bench/devset_overlap.py               # offending texts, longest first
    .venv/bin/python bench/devset_overlap.py --min-words 1 # also one-word labels ("Share")

Short template labels ("Share", "Leave a Reply") recur on thousands of sites
and may stand in a rule as the kind they are: they are left out below
--min-words words (default 3), and each hit says on how many pages of how many
sets the line occurs, so a label common across sets reads apart from one
page's own line.
"""
from __future__ import annotations

import argparse
import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import LABELLED_SETS, REPO, devset_path, load_jsonl  # noqa: E402

import tomllib  # noqa: E402

_WS = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")


def verbatim(s: str) -> str:
    return _WS.sub(" ", s).strip()


def near(s: str) -> str:
    return _DIGIT.sub("0", verbatim(s).lower())


def texts_under_test() -> list[tuple[str, str]]:
    """(where, text) for every rule example, negative line and test string literal."""
    out = []
    for path in sorted((REPO / "rules").glob("*.toml")):
        for step, tables in tomllib.loads(path.read_text(encoding="utf-8")).items():
            if not isinstance(tables, list):
                continue
            for t in tables:
                for key in ("examples", "counter_examples"):
                    out += [(f"{t.get('id', path.stem)} {key}", s) for s in t.get(key, [])]
    for path in sorted((REPO / "tests" / "negatives").glob("*.txt")):
        out += [(f"tests/negatives/{path.name}:{i}", line)
                for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)]
    for path in sorted((REPO / "tests").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                out += [(f"tests/{path.name}:{node.lineno}", line) for line in node.value.splitlines()]
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset-dir")
    ap.add_argument("--min-words", type=int, default=3, help="skip texts of fewer words (default 3)")
    args = ap.parse_args(argv)
    devset = devset_path(args.devset_dir)
    pages: dict[str, dict[str, set]] = {"verbatim": defaultdict(set), "near": defaultdict(set)}
    for name in ("tf-dev", *LABELLED_SETS):
        for rec in load_jsonl(devset / f"{name}.jsonl"):
            for field in ("text", "gold"):
                for line in (rec.get(field) or "").split("\n"):
                    if line.strip():
                        pages["verbatim"][verbatim(line)].add((name, rec["id"]))
                        pages["near"][near(line)].add((name, rec["id"]))
    hits = []
    for where, text in texts_under_test():
        if len(text.split()) < args.min_words:
            continue
        for kind, key in (("verbatim", verbatim(text)), ("near", near(text))):
            found = pages[kind].get(key)
            if found:
                sets = sorted({s for s, _ in found})
                hits.append((where, kind, text, len(found), sets))
                break
    for where, kind, text, n, sets in sorted(hits, key=lambda h: (-len(h[2]), h[0])):
        print(f"{kind:<9}{n:>4} pages ({', '.join(sets)})  {where}\n    {text!r}")
    rules = sorted({h[0].split(" ")[0] for h in hits if not h[0].startswith("tests/")})
    print(f"\n{len(hits)} texts of {args.min_words}+ words are devset lines"
          f" ({sum(h[1] == 'verbatim' for h in hits)} verbatim); rules: {', '.join(rules) or 'none'}")
    return 1 if hits else 0


if __name__ == "__main__":
    sys.exit(main())
