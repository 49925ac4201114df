"""The boilerplate lines the chain leaves, on one half of the sites, to read them without reading the other.

    .venv/bin/python bench/misses.py --set dragnet [--show-half 0 --top 60] [--devset-dir DIR]

The sites of a labelled set (wcxb's `domain`, else the host of `url`, else
the page id) are split in two by the parity of the MD5 of the name; wcxb's
forum pages are left out (their posts are content). For each half it
prints how many boilerplate lines the chain leaves (each page's first line
left out, a line kept when it still appears in order in the output), and
with `--show-half H --top N` the N kinds of line left on half H that occur
on the most sites (lower case, digits folded), one example each. Rules are
written after reading one half only; the other half then says how far they
carry. This is how the rules of 2026-12-04 were found (README, Quality).
"""
from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, devset_path, load_jsonl, machine  # noqa: E402

sys.path.insert(0, str(REPO))  # this checkout's cleaner, before quality imports one
from quality import aligned_kept  # noqa: E402

from cleaner import Cleaner  # noqa: E402


# Not quality.py's `_site` nor site_eval.py's halves: these are the halves the
# rules of 2026-12-04 were read on, and the README's table counts them.
def site_of(rec: dict) -> str:
    return rec.get("domain") or urlsplit(rec.get("url") or "").hostname or rec["id"]


def half_of(site: str) -> int:
    return int(hashlib.md5(site.encode("utf-8")).hexdigest(), 16) % 2


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset-dir")
    ap.add_argument("--set", required=True, choices=("dragnet", "cev", "wcxb"))
    ap.add_argument("--show-half", type=int, choices=(0, 1))
    ap.add_argument("--top", type=int, default=50)
    args = ap.parse_args(argv)
    print(machine())
    records = load_jsonl(devset_path(args.devset_dir) / f"{args.set}-dev.jsonl")
    cleaner = Cleaner()
    left = [0, 0]
    kinds: dict[str, set[str]] = defaultdict(set)
    example: dict[str, str] = {}
    for rec in records:
        if rec.get("page_type") == "forum":
            continue
        site = site_of(rec)
        half = half_of(site)
        lines = rec["text"].split("\n")
        out = cleaner.clean(rec["text"])
        kept = aligned_kept(lines, out.split("\n") if out else [])
        for i, (label, k) in enumerate(zip(rec["labels"], kept)):
            if i == 0 or label != 0 or not k:
                continue
            left[half] += 1
            if half == args.show_half:
                text = lines[i].strip()
                key = re.sub(r"\d+", "0", text.lower())[:60]
                kinds[key].add(site)
                example[key] = text[:120]
    for h in (0, 1):
        print(f"{args.set}-dev, sites of half {h}: {left[h]} boilerplate lines left (first line of each page out)")
    if args.show_half is not None:
        print(f"half {args.show_half}, kinds of line left by the number of sites they are on:")
        for key, sites in sorted(kinds.items(), key=lambda kv: -len(kv[1]))[:args.top]:
            print(f"  {len(sites):3d}  {example[key]!r}")


if __name__ == "__main__":
    main()
