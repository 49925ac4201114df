"""The corpus mode (chrome repeated across a site) on the line-labelled sets: `quality.py --site-repeated`.

dragnet-dev is grouped by the host of `url` (pages without one are of no site), wcxb-dev by `domain`.
Each set is profiled whole (pass one), then every page is cleaned twice, alone and with its site's
counts, and scored as quality.py scores a page (a line kept when it is still in the output, verbatim
and in order). Figures: boilerplate lines removed and content lines kept, each page's first line left
out, for the pages whose site has at least 5 pages and for all pages. `--min-pages 2,3,4,5` sweeps the
threshold: the default is the value that keeps content kept within its bar on both sets while removing
the most (see the README).
"""
from __future__ import annotations

import sys
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_jsonl, rate  # noqa: E402

#: Which field is a record's site, per set.
SETS = (("dragnet", "url"), ("wcxb", "domain"))
BIG_SITE = 5

_plain = _site = None


def _init(site_lines) -> None:
    global _plain, _site
    from cleaner import Cleaner

    _plain, _site = Cleaner(), Cleaner(profile=site_lines)


def _score(item: tuple) -> Counter:
    from quality import aligned_kept

    rec, site, big = item
    text = rec["text"]
    src = text.split("\n") if text else []
    c = Counter()
    for mode, result in (("alone", _plain.explain(text)), ("site", _site.explain(text, site=site))):
        kept = aligned_kept(src, result.text.split("\n") if result.text else [])
        for i, (label, k) in enumerate(zip(rec["labels"], kept)):
            if label is None or i == 0:
                continue
            for group in ("big", "all") if big else ("all",):
                if label == 1:
                    c[f"{group} {mode} content"] += 1
                    c[f"{group} {mode} content_kept"] += k
                else:
                    c[f"{group} {mode} bp"] += 1
                    c[f"{group} {mode} bp_removed"] += not k
    c["pages big" if big else "pages small"] += 1
    return c


def profile_of(recs: list[dict], field: str):
    from cleaner.sites.build import lines_of
    from cleaner.sites.lines import site_of_value
    from cleaner.sites.profile import Profile

    profile = Profile()
    sites = [site_of_value(r.get(field)) for r in recs]
    for rec, site in zip(recs, sites):
        if site is not None:
            profile.add_page(site, lines_of(rec["text"]))
    return profile, sites


def run_site(args, devset: Path, thresholds: list[int]) -> dict:
    from cleaner.sites.profile import SiteLines

    out: dict = {}
    for name, field in SETS:
        recs = load_jsonl(devset / f"{name}-dev.jsonl", args.limit)
        profile, sites = profile_of(recs, field)
        per_site = Counter(s for s in sites if s is not None)
        items = [(r, s, s is not None and per_site[s] >= BIG_SITE) for r, s in zip(recs, sites)]
        big_sites = sum(1 for n in per_site.values() if n >= BIG_SITE)
        print(f"\n{name}-dev grouped by {field}: {len(recs)} pages, {len(per_site)} sites; "
              f"{sum(i[2] for i in items)} pages on the {big_sites} sites with >= {BIG_SITE} pages")
        print(f"  first line left out     {'':>9}{'boilerplate removed':>30}{'content kept':>26}")
        print(f"  {'pages':<14}{'min pages':>10}{'alone':>10}{'site mode':>11}{'gain':>9}"
              f"{'alone':>10}{'site mode':>11}{'lines lost':>11}")
        out[name] = {}
        for n in thresholds:
            with Pool(args.jobs, _init, (SiteLines(profile, n),)) as pool:
                c = sum(pool.imap_unordered(_score, items, chunksize=8), Counter())
            out[name][n] = {}
            for group, label in (("big", f"site >= {BIG_SITE}"), ("all", "all")):
                g = {k.split(" ", 1)[1]: v for k, v in c.items() if k.startswith(group + " ")}
                b0, b1 = g["alone bp_removed"], g["site bp_removed"]
                k0, k1 = g["alone content_kept"], g["site content_kept"]
                print(f"  {label:<14}{n:>10}{rate(b0, g['alone bp']):>10}{rate(b1, g['site bp']):>11}"
                      f"{(b1 - b0) / g['alone bp']:>+9.3f}{rate(k0, g['alone content']):>10}"
                      f"{rate(k1, g['site content']):>11}{k0 - k1:>11}")
                out[name][n][group] = {"bp": g["alone bp"], "content": g["alone content"],
                                       "bp_removed_alone": b0 / g["alone bp"], "bp_removed_site": b1 / g["site bp"],
                                       "content_kept_alone": k0 / g["alone content"],
                                       "content_kept_site": k1 / g["site content"]}
    return out
