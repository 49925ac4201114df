"""The corpus mode (chrome repeated across a site) on the line-labelled sets: `quality.py --site-repeated`.

dragnet-dev and cev-dev are grouped by the host of `url` (pages without one are of no site), wcxb-dev
by `domain`. Each set is profiled whole (pass one), then every page is cleaned twice, alone and with its
site's counts, and scored as quality.py scores a page (a line kept when it is still in the output,
verbatim and in order). Figures: boilerplate lines removed and content lines kept, each page's first
line left out, for the pages whose site has at least 5 pages (also split in two halves of sites by a
hash of their name, A and B: what is chosen on one half is checked on the other) and for all pages;
and the pages whose output changes when cleaned again with the same profile (0: idempotent).
`--site-repeated 2,3,4,5` sweeps the threshold (see the README).
"""
from __future__ import annotations

import hashlib
import sys
from collections import Counter
from multiprocessing import Pool
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import load_jsonl, rate  # noqa: E402

#: Which field is a record's site, per set.
SETS = (("dragnet", "url"), ("wcxb", "domain"), ("cev", "url"))
BIG_SITE = 5

_plain = _site = _twice = None


def _init(site_lines, twice) -> None:
    global _plain, _site, _twice
    from cleaner import Cleaner

    _plain, _site, _twice = Cleaner(), Cleaner(profile=site_lines), twice


def _score(item: tuple) -> Counter:
    from quality import aligned_kept

    rec, site, big = item
    groups = ("all", "big", f"half {half_of(site)}") if big else ("all",)
    text = rec["text"]
    src = text.split("\n") if text else []
    results = (("alone", _plain.explain(text)), ("site", _site.explain(text, site=site)))
    once = results[1][1].text
    c = Counter({"pages again": _site.clean(once, site=site) != once})
    for mode, result in results:
        kept = aligned_kept(src, result.text.split("\n") if result.text else [])
        for i, (label, k) in enumerate(zip(rec["labels"], kept)):
            if label is None or i == 0:
                continue
            for group in groups:
                if label == 1:
                    c[f"{group} {mode} content"] += 1
                    c[f"{group} {mode} content_kept"] += k
                else:
                    c[f"{group} {mode} bp"] += 1
                    c[f"{group} {mode} bp_removed"] += not k
                    if mode == "alone" and k and _on_two_pages(site, src[i]):
                        c[f"{group} alone bp_left_repeated"] += 1
    c["pages big" if big else "pages small"] += 1
    return c


def _on_two_pages(site: str | None, line: str) -> bool:
    """Whether the line is on two pages of its site or more: what any threshold could take."""
    from cleaner.sites.lines import fingerprint, line_key

    key = line_key(line.strip())
    return site is not None and bool(key) and fingerprint(site, key) in _twice


def half_of(site: str) -> str:
    """A or B: the sites split in two by a hash of their name, to choose on one half and check on the
    other."""
    return "AB"[hashlib.blake2b(site.encode("utf-8"), digest_size=2).digest()[0] & 1]


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
            twice = set(SiteLines(profile, 2).counts)
            with Pool(args.jobs, _init, (SiteLines(profile, n), twice)) as pool:
                c = sum(pool.imap_unordered(_score, items, chunksize=8), Counter())
            out[name][n] = {}
            rows = [("big", f"site >= {BIG_SITE}"), ("half A", "  sites A"), ("half B", "  sites B"), ("all", "all")]
            for group, label in rows:
                g = {k[len(group) + 1:]: v for k, v in c.items() if k.startswith(group + " ")}
                if not g.get("alone bp") or not g.get("alone content"):
                    continue
                b0, b1 = g["alone bp_removed"], g["site bp_removed"]
                k0, k1 = g["alone content_kept"], g["site content_kept"]
                print(f"  {label:<14}{n:>10}{rate(b0, g['alone bp']):>10}{rate(b1, g['site bp']):>11}"
                      f"{(b1 - b0) / g['alone bp']:>+9.3f}{rate(k0, g['alone content']):>10}"
                      f"{rate(k1, g['site content']):>11}{k0 - k1:>11}")
                out[name][n][group] = {"bp": g["alone bp"], "content": g["alone content"],
                                       "bp_removed_alone": b0 / g["alone bp"], "bp_removed_site": b1 / g["site bp"],
                                       "content_kept_alone": k0 / g["alone content"],
                                       "content_kept_site": k1 / g["site content"]}
            out[name][n]["pages_changed_again"] = c["pages again"]
            left = c["big alone bp_left_repeated"]
            if n == thresholds[0] and c["big alone bp"]:
                print(f"  {'':<14}{'':>10}  sites >= {BIG_SITE}: boilerplate lines the page alone leaves on 2 pages "
                      f"of their site or more: {left}\n  {'':<14}{'':>10}  ({left / c['big alone bp']:.3f} of the "
                      f"boilerplate: what taking every repeated line would add, neighbours aside)")
                out[name]["big_bp_left_on_two_pages"] = left / c["big alone bp"]
            print(f"  {'':<14}{'':>10}  pages whose output a second cleaning with the profile changes: "
                  f"{c['pages again']}")
    return out
