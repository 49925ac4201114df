"""One digest of everything the chain decides on the devset, to show a speed change changes nothing.

    .venv/bin/python bench/outputs_digest.py [--devset-dir DIR] [--site] [--datatrove] [--model] [--show N]

For every page of ../shared/devset/*.jsonl (field `text`): the cleaned text,
the language, each decision's line, label, step and rule id, and the
metadata; each page alone, and all of them in batches of 256 (the batch
path detects languages in one call); and the same for the pages in other
layouts (CRLF, blank lines, spaces around lines, no final break). `--site` adds the corpus mode: a
profile of the pages grouped by the host of `url`, then every page cleaned
against it. `--datatrove` adds `CleanerStep` on the same pages (text and
`metadata["cleaner"]` of each forwarded document, the dropped ones, and the
stats). `--model` adds the chain with the model on. Run it before and after a change: the digests must be equal.
`--show N` prints the per-page digests of the first N pages too.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import devset_path, load_jsonl  # noqa: E402

BATCH = 256


def pages(devset: Path) -> list[dict]:
    return [r for p in sorted(devset.glob("*.jsonl")) for r in load_jsonl(p)]


def variants(recs: list[dict]) -> list[dict]:
    """The pages in other layouts, which take other paths through parsing and rendering: CRLF
    breaks, blank lines between paragraphs, spaces around lines, no final break."""
    out = []
    for n, r in enumerate(recs):
        text = r["text"]
        kind = n % 4
        if kind == 0:
            text = text.replace("\n", "\r\n")
        elif kind == 1:
            text = text.replace("\n", "\n\n")
        elif kind == 2:
            text = "  " + text.replace("\n", " \n\t")
        else:
            text = text.rstrip("\n")
        out.append({**r, "text": text})
    return out


def _result_bytes(result) -> bytes:
    rows = [[d.line, d.label, d.step, d.rule_id, d.text] for d in result.decisions]
    return json.dumps([result.text, result.lang, rows, result.metadata], ensure_ascii=False,
                      sort_keys=True).encode("utf-8")


def digest_chain(recs: list[dict], cleaner, sites=None) -> tuple[str, str, list[str]]:
    texts = [r["text"] for r in recs]
    alone, batched = hashlib.sha256(), hashlib.sha256()
    each = []
    for n, text in enumerate(texts):
        site = None if sites is None else sites[n]
        b = _result_bytes(cleaner.explain(text, site=site))
        alone.update(b)
        each.append(hashlib.sha256(b).hexdigest()[:12])
    for k in range(0, len(texts), BATCH):
        part = None if sites is None else sites[k:k + BATCH]
        for result in cleaner.explain_many(texts[k:k + BATCH], sites=part):
            batched.update(_result_bytes(result))
    return alone.hexdigest(), batched.hexdigest(), each


def digest_datatrove(recs: list[dict], profile=None) -> str:
    from datatrove.data import Document
    from datatrove.utils.stats import PipelineStats  # noqa: F401  (the step's stats type)

    from cleaner.datatrove import CleanerStep

    step = CleanerStep(profile=profile)
    docs = [Document(text=r["text"], id=r["id"], metadata={"url": r.get("url")}) for r in recs]
    h = hashlib.sha256()
    for doc in step.run(iter(docs)):
        h.update(json.dumps([doc.id, doc.text, doc.metadata], ensure_ascii=False, sort_keys=True).encode())
    stats = {k: (v.total, v.n) for k, v in step.stats.stats.items()}
    h.update(json.dumps(stats, sort_keys=True).encode())
    return h.hexdigest()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset-dir")
    ap.add_argument("--site", action="store_true", help="also the corpus mode (a profile of the devset's sites)")
    ap.add_argument("--datatrove", action="store_true", help="also CleanerStep over the same pages")
    ap.add_argument("--model", action="store_true", help="also the chain with the model on")
    ap.add_argument("--show", type=int, default=0)
    args = ap.parse_args(argv)
    from cleaner import Cleaner

    recs = pages(devset_path(args.devset_dir))
    alone, batched, each = digest_chain(recs, Cleaner())
    print(f"pages: {len(recs)}")
    print(f"chain, each page alone:   {alone}")
    print(f"chain, batches of {BATCH}:    {batched}")
    for r, d in list(zip(recs, each))[: args.show]:
        print(f"  {r['id']}: {d}")
    alone, batched, _ = digest_chain(variants(recs), Cleaner())
    print(f"layouts, each alone:      {alone}")
    print(f"layouts, batches:         {batched}")
    if args.model:
        from cleaner.config import Config

        alone, batched, _ = digest_chain(recs, Cleaner(Config(model=True)))
        print(f"model on, each alone:     {alone}")
        print(f"model on, batches:        {batched}")
    profile = None
    if args.site or args.datatrove:
        from cleaner.sites.build import lines_of
        from cleaner.sites.lines import site_of_value
        from cleaner.sites.profile import Profile

        sites = [site_of_value(r.get("url")) for r in recs]
        profile = Profile()
        for r, site in zip(recs, sites):
            if site is not None:
                profile.add_page(site, lines_of(r["text"]))
    if args.site:
        alone, batched, _ = digest_chain(recs, Cleaner(profile=profile), sites)
        print(f"site mode, each alone:    {alone}")
        print(f"site mode, batches:       {batched}")
    if args.datatrove:
        print(f"CleanerStep:              {digest_datatrove(recs)}")
        print(f"CleanerStep, layouts:     {digest_datatrove(variants(recs))}")
        print(f"CleanerStep with profile: {digest_datatrove(recs, profile)}")


if __name__ == "__main__":
    main()
