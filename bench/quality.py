"""Quality of the chain on the development sets (read ../shared/devset/README.md).

The sets are not shipped with the repository: they are read from
../shared/devset beside the checkout, or from --devset-dir DIR.

    .venv/bin/python bench/quality.py                      # all four sets, summary + rule table
    .venv/bin/python bench/quality.py --show-losses        # every `with` snippet lost, and by which rule
    .venv/bin/python bench/quality.py --show-misses 40     # a sample of `without` snippets left in
    .venv/bin/python bench/quality.py --html               # trafilatura alone vs + chain (issue 4)
    .venv/bin/python bench/quality.py --model              # the learned labeller: folds, sources, shipped
    .venv/bin/python bench/quality.py --site-repeated 3,4  # the corpus mode beside the page alone (issue 11)
    options: --devset-dir DIR  --limit N  --jobs N  --json FILE

tf-dev, as the devset README defines it: snippets are case-sensitive
substrings after collapsing whitespace runs to one space; only snippets found
in `text` count. "with kept, in input" = found in the output / found in
`text`; "without removed, in input" = not found in the output / found in `text`.

dragnet-dev, cev-dev, wcxb-dev: a labelled line (1 content, 0 boilerplate; null lines are not
counted) is kept when it still appears, verbatim and in order, in the output.
"In order" is an alignment of input lines to output lines (difflib, autojunk
off), not a search for each line on its own: a search would let a removed
"Share" count as kept because a later "Share" survived. Output lines that are
no input line verbatim are lines glued by `join` (input lines joined by one
space): between two aligned lines, an input line is kept when it fills the
next stretch of such an output line, from where the previous piece ended up
to a space or the line end. A looser "substring of some output line" test
would count a removed short line ("Comments") as kept whenever the word occurs
inside a kept paragraph. The chain's own decisions are compared with this
alignment and any disagreement is reported.

--html: every page of tf-dev-html.tar.gz through trafilatura's default
extract(html), the devset README's reference extract(html,
include_comments=False), favor_precision=True, and cleaner.html.clean_html
(skipped with a note while that module does not exist). "In input" stays the
snippets found in tf-dev.jsonl `text` of the same page, so the columns are
comparable with each other and with the text-only figures.
"""
from __future__ import annotations

import argparse
import difflib
import random
import re
import sys
import tarfile
import time
from bisect import bisect_right
from collections import Counter, defaultdict
from multiprocessing import Pool
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import BREAK, devset_path, load_jsonl, machine, norm, rate, require, write_json  # noqa: E402

from cleaner.document import BLANK, JOIN, KEEP, REMOVING  # noqa: E402

_cleaner = None


def _init_worker() -> None:
    global _cleaner
    from cleaner import Cleaner

    _cleaner = Cleaner()


def _site(rec: dict) -> str:
    """The page's site: wcxb's `domain`, else the url's host without www; the page id when neither is known."""
    host = rec.get("domain") or urlsplit(rec.get("url") or "").hostname or rec["id"]
    return host.removeprefix("www.")


def _rule(d) -> str:
    return d.rule_id or f"<{d.step or d.label}, no rule id>"


def _fired(decisions) -> dict[str, list]:
    out: dict[str, list] = {}
    for d in decisions:
        if d.label not in (KEEP, BLANK) and (d.rule_id or d.label in REMOVING):
            out.setdefault(_rule(d), [d.label, 0])[1] += 1
    return out


# --- tf-dev -------------------------------------------------------------------


def _holders(text: str, starts: list[int], snippet: str) -> list[list[int]]:
    """For each occurrence of the snippet (whitespace-collapsed match), the 1-based lines holding it."""
    pattern = r"\s+".join(re.escape(p) for p in norm(snippet).split(" "))
    found = []
    for m in re.finditer(pattern, text):
        s, e = m.span()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            found.append(list(range(bisect_right(starts, s), bisect_right(starts, e - 1) + 1)))
    return found


def score_tf(rec: dict) -> dict:
    text = rec["text"]
    r = _cleaner.explain(text)
    ntext, nout = norm(text), norm(r.text)
    starts = [0] + [m.end() for m in BREAK.finditer(text)]
    line = {d.line: d for d in r.decisions}
    body = [d.line for d in r.decisions if d.label != BLANK]
    with_in = [s for s in rec["with"] if norm(s) in ntext]
    res = {"id": rec["id"], "site": _site(rec), "lang": rec["lang"], "with_in": len(with_in), "with_kept": 0,
           "without_in": 0, "without_removed": 0, "lost": [], "missed": [], "fired": _fired(r.decisions)}

    def text_of(nums):
        return " ⏎ ".join(line[n].text for n in nums if n in line)

    for s in with_in:
        if norm(s) in nout:
            res["with_kept"] += 1
            continue
        occ = _holders(text, starts, s)
        nums = sorted({n for o in occ for n in o})
        rules = sorted({_rule(line[n]) for n in nums if n in line and line[n].removed}) or ["<not a removal?>"]
        res["lost"].append({"snippet": s, "rules": rules, "line": text_of(nums)})

    for s in rec["without"]:
        if norm(s) not in ntext:
            continue
        res["without_in"] += 1
        if norm(s) not in nout:
            res["without_removed"] += 1
            continue
        occ = _holders(text, starts, s)
        # The occurrence that survived is the one on kept lines.
        nums = next((o for o in occ if all(n in line and not line[n].removed for n in o)), occ[0] if occ else [])
        held = norm(text_of(nums))
        if any(norm(w) in held for w in with_in):
            kind = "shares its line with a `with` snippet"
        elif held.strip() == norm(s).strip():
            kind = "a whole line"
        else:
            kind = "part of a longer line"
        pos = body.index(nums[0]) if nums and nums[0] in body else -1
        where = "first 3 lines" if 0 <= pos < 3 else "last 3 lines" if pos >= len(body) - 3 else "middle"
        res["missed"].append({"snippet": s, "kind": kind, "where": where, "line": text_of(nums)})
    return res


# --- dragnet-dev, cev-dev, wcxb-dev: one label a line ------------------------------------------------------------------


def aligned_kept(src: list[str], out: list[str]) -> list[bool]:
    """Which input lines survive in order in the output (see the module docstring)."""
    kept = [False] * len(src)
    a0 = b0 = 0
    for a, b, size in difflib.SequenceMatcher(None, src, out, autojunk=False).get_matching_blocks():
        j, off = b0, 0  # joined output lines in the gap, consumed piece by piece
        for i in range(a0, a):
            if j >= b:
                break
            piece, target = src[i], out[j]
            end = off + len(piece)
            if piece and target.startswith(piece, off) and (end == len(target) or target[end] == " "):
                kept[i] = True
                off = end + 1
                if off >= len(target):
                    j, off = j + 1, 0
        for k in range(size):
            kept[a + k] = True
        a0, b0 = a + size, b + size
    return kept


def score_labelled(rec: dict) -> dict:
    text = rec["text"]
    r = _cleaner.explain(text)
    src = text.split("\n") if text else []
    kept = aligned_kept(src, r.text.split("\n") if r.text else [])
    line = {d.line: d for d in r.decisions}
    c = Counter()
    content_lost: Counter = Counter()
    for i, (label, k) in enumerate(zip(rec["labels"], kept)):
        if label is None:
            continue
        d = line.get(i + 1)
        by_decision = d is not None and d.label in (KEEP, JOIN)
        c["disagree"] += by_decision != k
        c["content_kept_dec" if label == 1 else "bp_removed_dec"] += by_decision == (label == 1)
        for suffix in ("", "_rest") if i else ("",):
            if label == 1:
                c["content" + suffix] += 1
                c["content_kept" + suffix] += k
            else:
                c["bp" + suffix] += 1
                c["bp_removed" + suffix] += not k
        if label == 1 and d is not None and d.removed:
            content_lost[_rule(d)] += 1
    return {"id": rec["id"], "site": _site(rec), "page_type": rec.get("page_type"), "counts": dict(c), "fired": _fired(r.decisions),
            "content_lost": dict(content_lost)}


# --- reports --------------------------------------------------------------------


def _tf_row(name: str, rows: list[dict]) -> tuple:
    wi, wk = sum(r["with_in"] for r in rows), sum(r["with_kept"] for r in rows)
    oi, orm = sum(r["without_in"] for r in rows), sum(r["without_removed"] for r in rows)
    print(f"  {name:<8}{len(rows):>6}{wi:>9}{wk:>7}   {rate(wk, wi):>9}{oi:>12}{orm:>9}   {rate(orm, oi):>15}")
    return {"pages": len(rows), "with_in": wi, "with_kept": wk, "with_kept_rate": wk / wi if wi else None,
            "without_in": oi, "without_removed": orm, "without_removed_rate": orm / oi if oi else None}


def report_tf(results: list[dict], args) -> dict:
    print(f"\ntf-dev: {len(results)} pages")
    print(f"  {'lang':<8}{'pages':>6}{'with in':>9}{'kept':>7}   {'with kept':>9}{'without in':>12}"
          f"{'removed':>9}   {'without removed':>15}")
    out = {"all": _tf_row("all", results)}
    by_lang = defaultdict(list)
    for r in results:
        by_lang[r["lang"]].append(r)
    for lang, rows in sorted(by_lang.items(), key=lambda kv: (-len(kv[1]), kv[0])):
        out[lang] = _tf_row(lang, rows)

    lost = [(r["id"], r["lang"], x) for r in results for x in r["lost"]]
    missed = [(r["id"], r["lang"], x) for r in results for x in r["missed"]]
    print(f"\n  `with` snippets lost: {len(lost)}" + ("" if args.show_losses or not lost else " (--show-losses lists them)"))
    if args.show_losses:
        for pid, lang, x in lost:
            print(f"    {pid} [{lang}] {', '.join(x['rules'])}\n      snippet: {x['snippet']!r}\n"
                  f"      line:    {_cut(x['line'], 300)!r}")
    print(f"  `without` snippets missed: {len(missed)}, of which")
    for kind, n in Counter(x["kind"] for _, _, x in missed).most_common():
        wheres = Counter(x["where"] for _, _, x in missed if x["kind"] == kind)
        print(f"    {n:>5}  {kind}  ({', '.join(f'{w}: {c}' for w, c in wheres.most_common())})")
    recurring = Counter(s for _, s in {(pid, norm(x["snippet"]).strip()) for pid, _, x in missed})
    top = [(s, n) for s, n in recurring.most_common(12) if n > 1]
    if top:
        print("  missed on several pages: " + "; ".join(f"{_cut(s, 40)!r} x{n}" for s, n in top))
    if args.show_misses:
        sample = random.Random(0).sample(missed, min(args.show_misses, len(missed)))
        print(f"\n  sample of {len(sample)} missed `without` snippets:")
        for pid, lang, x in sorted(sample, key=lambda t: t[0]):
            print(f"    {pid} [{lang}] {x['kind']}, {x['where']}\n      snippet: {x['snippet']!r}\n"
                  f"      line:    {_cut(x['line'], 300)!r}")
    out["with_lost"] = [{"id": p, **x} for p, _, x in lost]
    out["missed_kinds"] = dict(Counter(x["kind"] for _, _, x in missed))
    return out


_LINE_ROWS = (("content lines kept", "content_kept", "content"),
              ("boilerplate lines removed", "bp_removed", "bp"),
              ("  first line left out: content kept", "content_kept_rest", "content_rest"),
              ("  first line left out: boilerplate removed", "bp_removed_rest", "bp_rest"))


def _line_figures(results: list[dict]) -> dict:
    c = Counter()
    for r in results:
        c.update(r["counts"])
    out = {}
    for _, num, den in _LINE_ROWS:
        out[num] = c[num] / c[den] if c[den] else None
        out[den] = c[den]
        out[num + "_n"] = c[num]
    out["pages"] = len(results)
    return out, c


def report_labelled(name: str, results: list[dict]) -> dict:
    """A line-labelled set (dragnet, cev, wcxb): the four line figures, and for wcxb by page type."""
    out, c = _line_figures(results)
    print(f"\n{name}: {len(results)} pages{'':<14}{'lines':>8}{'counted':>9}{'share':>8}")
    for label, num, den in _LINE_ROWS:
        print(f"  {label:<42}{c[den]:>8}{c[num]:>9}{rate(c[num], c[den]):>8}")
    if c["disagree"]:
        print(f"  note: on {c['disagree']} labelled lines the alignment disagrees with the chain's decisions:"
              " a line that occurs twice, of which the alignment\n  takes the other copy for the kept one. By the"
              f" decisions: content kept {rate(c['content_kept_dec'], c['content'])},"
              f" boilerplate removed {rate(c['bp_removed_dec'], c['bp'])}")
    out["disagree"] = c["disagree"]
    types = Counter(r["page_type"] for r in results if r.get("page_type"))
    if types:
        # Forum posts are the page's content there, reader comments elsewhere (devset README).
        groups = [("without forum pages", [r for r in results if r["page_type"] != "forum"])]
        groups += [(t, [r for r in results if r["page_type"] == t]) for t, _ in types.most_common()]
        print(f"  {'pages':<22}{'n':>5}{'content kept':>14}{'bp removed':>12}{'first line out:':>17}"
              f"{'content':>8}{'bp':>7}")
        for label, rows in groups:
            g, _ = _line_figures(rows)
            print(f"  {label:<22}{len(rows):>5}{_r(g['content_kept']):>14}{_r(g['bp_removed']):>12}{'':>17}"
                  f"{_r(g['content_kept_rest']):>8}{_r(g['bp_removed_rest']):>7}")
            out[label] = g
    return out


def _r(x) -> str:
    return "  n/a" if x is None else f"{x:.3f}"


SOURCES = ("tf", "dragnet", "cev", "wcxb")


def report_rules(by_source: dict[str, list[dict]]) -> dict:
    table: dict[str, dict] = {}
    sites: dict[str, set] = defaultdict(set)
    for name, results in by_source.items():
        for r in results:
            for rule, (label, n) in r["fired"].items():
                row = table.setdefault(rule, Counter(label=label))
                row[f"{name}_pages"] += 1
                row["lines"] += n
                sites[rule].add(r["site"])
            for x in r.get("lost", []):
                for rule in x["rules"]:
                    table.setdefault(rule, Counter(label="?"))["lost"] += 1
            for rule, n in r.get("content_lost", {}).items():
                table.setdefault(rule, Counter(label="?"))["lost"] += n
    for row in table.values():
        row["pages"] = sum(row[f"{s}_pages"] for s in SOURCES)
        row["sources"] = sum(row[f"{s}_pages"] > 0 for s in SOURCES)
    for rule, row in table.items():
        row["sites"] = len(sites[rule])
    print("\nrules that fired (non-keep decisions): pages per source, sources (of 4), sites and lines; lost = `with`"
          " snippets (tf) plus content lines (dragnet, cev, wcxb) on the lines it removed")
    print(f"  {'rule id':<46}{'label':<10}" + "".join(f"{s:>8}" for s in SOURCES)
          + f"{'sources':>8}{'sites':>6}{'lines':>7}{'lost':>6}")
    order = sorted(table.items(), key=lambda kv: (-kv[1]["pages"], kv[0]))
    for rule, row in order:
        flag = ("  <- ONE PAGE ONLY" if row["pages"] == 1 else "  <- ONE SITE ONLY" if row["sites"] == 1
                else "  <- ONE SOURCE ONLY" if row["sources"] == 1 else "")
        print(f"  {_cut(rule, 45):<46}{row['label']:<10}" + "".join(f"{row[f'{s}_pages']:>8}" for s in SOURCES)
              + f"{row['sources']:>8}{row['sites']:>6}{row['lines']:>7}{row['lost']:>6}{flag}")
    single = [rule for rule, row in order if row["pages"] == 1]
    one_site = [rule for rule, row in order if row["pages"] > 1 and row["sites"] == 1]
    one_source = [rule for rule, row in order if row["sites"] > 1 and row["sources"] == 1]
    print(f"  {len(table)} rules fired; {len(single)} on one page only" + (f": {', '.join(single)}" if single else ""))
    print(f"  {len(one_site)} more on one site only" + (f": {', '.join(one_site)}" if one_site else ""))
    print(f"  {len(one_source)} more on one source only (tf holds all but a few non-English pages)" + (f": {', '.join(one_source)}" if one_source else ""))
    from cleaner.rules import RuleSet

    # A rule no page fires on is not measured at all: it rests on its examples alone.
    idle = sorted(r.id for r in RuleSet.bundled().all_rules() if r.id not in table)
    print(f"  {len(idle)} bundled rules fired on no page" + (f": {', '.join(idle)}" if idle else ""))
    return {rule: dict(row) for rule, row in order}


def _cut(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


# --- --html -----------------------------------------------------------------------

_columns: dict = {}


def _init_html() -> None:
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)  # per-page warnings drown the table
    _columns["trafilatura default"] = trafilatura.extract
    _columns["trafilatura no comments (README ref)"] = lambda h: trafilatura.extract(h, include_comments=False)
    _columns["trafilatura favor_precision"] = lambda h: trafilatura.extract(h, favor_precision=True)
    clean_html = html_front_end()
    if clean_html:
        _columns["trafilatura + chain (clean_html)"] = clean_html


def html_front_end():
    """cleaner.html.clean_html, or None while it is not written yet."""
    try:
        from cleaner.html import clean_html
    except ImportError:
        return None
    return clean_html


def score_html(page: tuple) -> dict:
    pid, html, with_in, without_in = page
    res = {}
    for name, fn in _columns.items():
        t = time.perf_counter()
        out = norm(fn(html) or "")
        secs = time.perf_counter() - t
        res[name] = (sum(norm(s) in out for s in with_in), sum(norm(s) not in out for s in without_in), secs)
    return {"id": pid, "with_in": len(with_in), "without_in": len(without_in), "cols": res}


def html_pages(devset: Path, records: list[dict]):
    wanted = {r["id"]: r for r in records}
    with tarfile.open(devset / "tf-dev-html.tar.gz") as tar:
        for member in tar:
            pid = Path(member.name).stem
            if member.isfile() and pid in wanted:
                rec = wanted[pid]
                ntext = norm(rec["text"])
                yield (pid, tar.extractfile(member).read(),
                       [s for s in rec["with"] if norm(s) in ntext],
                       [s for s in rec["without"] if norm(s) in ntext])


def run_html(args, devset: Path) -> dict:
    records = load_jsonl(devset / "tf-dev.jsonl", args.limit)
    require(devset / "tf-dev-html.tar.gz")
    if html_front_end() is None:
        print("note: cleaner.html.clean_html does not exist yet: the trafilatura + chain column is skipped")
    t0 = time.perf_counter()
    with Pool(args.jobs, _init_html) as pool:
        results = list(pool.imap_unordered(score_html, html_pages(devset, records), chunksize=4))
    wall = time.perf_counter() - t0
    wi, oi = sum(r["with_in"] for r in results), sum(r["without_in"] for r in results)
    print(f"\ntf-dev-html: {len(results)} pages ({args.jobs} processes, {wall:.1f} s); "
          f"in input = snippets found in tf-dev.jsonl text: {wi} with, {oi} without")
    print(f"  {'column':<40}{'with kept':>10}{'without removed':>17}{'pages/s (1 core)':>18}")
    out = {}
    for name in results[0]["cols"] if results else []:
        wk = sum(r["cols"][name][0] for r in results)
        orm = sum(r["cols"][name][1] for r in results)
        secs = sum(r["cols"][name][2] for r in results)
        print(f"  {name:<40}{rate(wk, wi):>10}{rate(orm, oi):>17}{len(results) / secs:>18.1f}")
        out[name] = {"with_kept": wk / wi, "without_removed": orm / oi, "pages_per_s": len(results) / secs}
    return out


# --- main ---------------------------------------------------------------------------


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset-dir", help="folder of the devset (default ../shared/devset from the repo root)")
    ap.add_argument("--limit", type=int, help="only the first N pages of each set")
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    ap.add_argument("--show-losses", action="store_true", help="list every `with` snippet lost")
    ap.add_argument("--show-misses", type=int, default=0, metavar="N", help="print a sample of N missed `without` snippets")
    ap.add_argument("--html", action="store_true", help="trafilatura alone vs trafilatura + chain on the raw HTML")
    ap.add_argument("--model", action="store_true",
                    help="the learned labeller: site folds, leave one source out, shipped (bench/model_eval.py)")
    ap.add_argument("--site-repeated", nargs="?", const="", metavar="N,N",
                    help="the corpus mode beside the page alone on dragnet and wcxb (bench/site_eval.py); "
                         "optionally the thresholds (--min-pages) to sweep, e.g. 2,3,4,5")
    ap.add_argument("--json", metavar="FILE", help="write the numbers as JSON")
    args = ap.parse_args(argv)
    devset = devset_path(args.devset_dir)
    print(machine())
    if args.site_repeated is not None:
        from cleaner.sites.profile import MIN_PAGES
        from site_eval import run_site
        sweep = [int(n) for n in args.site_repeated.split(",") if n] or [MIN_PAGES]
        write_json(args.json, {"site_repeated": run_site(args, devset, sweep)})
        return
    if args.html:
        write_json(args.json, {"html": run_html(args, devset)})
        return
    if args.model:
        import model_eval
        write_json(args.json, {"model": model_eval.run(devset, args.jobs, args.limit)})
        return
    tf_recs = load_jsonl(devset / "tf-dev.jsonl", args.limit)
    labelled = {name: load_jsonl(devset / f"{name}-dev.jsonl", args.limit) for name in SOURCES[1:]}
    t0 = time.perf_counter()
    # A rule file that does not load fails here, with its message: in a
    # pool's initializer it would make the pool start workers for ever.
    _init_worker()
    with Pool(args.jobs, _init_worker) as pool:
        by_source = {"tf": pool.map(score_tf, tf_recs, chunksize=8)}
        for name, recs in labelled.items():
            by_source[name] = pool.map(score_labelled, recs, chunksize=8)
    print(f"scored {' + '.join(str(len(v)) for v in by_source.values())} pages in"
          f" {time.perf_counter() - t0:.1f} s with {args.jobs} processes")
    data = {"tf": report_tf(by_source["tf"], args)}
    for name in SOURCES[1:]:
        data[name] = report_labelled(f"{name}-dev", by_source[name])
    data["rules"] = report_rules(by_source)
    write_json(args.json, data)

if __name__ == "__main__":
    main()
