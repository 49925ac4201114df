"""What the chain removes from text that holds nothing to remove: each page's gold text, cleaned alone.

    .venv/bin/python bench/gold_alone.py [--model] [--half H] [--show N] [--devset-dir DIR]

The gold of wcxb, cev and dragnet is the page's content as a person cleaned
it, one paragraph, heading or list item a line: every line the chain
removes from it is a line of content lost, whatever the page carried
around it. Counted per set (wcxb's forum pages apart, their posts being
content), with the rules that removed most and an example of each.
`--half H` keeps the sites of one half (bench/misses.py's halves), so that
false removals can be read on one half and checked on the other.

The golds follow their own conventions, which differ from our guide (see
../shared/devset/README.md): cev's and wcxb's keep reader comments,
bylines and lists of related links that the guide drops, and some of
wcxb's documentation golds put each token of a code sample on a line of
its own. So this is not a figure to bring to zero: it is where to look
for removals that no guide would make.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, devset_path, load_jsonl, machine  # noqa: E402

sys.path.insert(0, str(REPO))  # this checkout's cleaner
from misses import half_of, site_of  # noqa: E402

from cleaner import Cleaner, Config  # noqa: E402

SETS = ("wcxb", "cev", "dragnet")


def score(source: str, records: list[dict], cleaner: Cleaner, half: int | None) -> dict[str, dict]:
    """Per part (a set, wcxb's forums apart): gold lines, lines removed, and removals by rule with examples."""
    parts: dict[str, dict] = {}
    for rec in records:
        gold = rec.get("gold") or ""
        site = site_of(rec)
        if not gold.strip() or (half is not None and half_of(site) != half):
            continue
        name = source + ("-forum" if rec.get("page_type") == "forum" else "")
        part = parts.setdefault(name, {"lines": 0, "removed": 0, "rules": Counter(), "examples": defaultdict(list)})
        for d in cleaner.explain(gold).decisions:
            if d.label == "blank":
                continue
            part["lines"] += 1
            if d.removed:
                part["removed"] += 1
                part["rules"][d.rule_id] += 1
                part["examples"][d.rule_id].append((site, d.text))
    return parts


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset-dir")
    ap.add_argument("--model", action="store_true", help="the chain with the model on")
    ap.add_argument("--half", type=int, choices=(0, 1))
    ap.add_argument("--show", type=int, default=8, help="rules to list per set")
    args = ap.parse_args(argv)
    print(machine())
    cleaner = Cleaner(Config(model=args.model))
    for name in SETS:
        records = load_jsonl(devset_path(args.devset_dir) / f"{name}-dev.jsonl")
        for part, f in sorted(score(name, records, cleaner, args.half).items()):
            print(f"{part}: {f['removed']} of {f['lines']} gold lines removed ({f['removed'] / f['lines']:.4f})")
            for rule, n in f["rules"].most_common(args.show):
                sites = len({s for s, _ in f["examples"][rule]})
                site, text = f["examples"][rule][0]
                print(f"  {n:6}  {sites:3} sites  {rule:40}  e.g. {site[:24]}: {text[:70]!r}")


if __name__ == "__main__":
    main()
