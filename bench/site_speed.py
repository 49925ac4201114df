"""`speed.py corpus`: the corpus mode's two passes on a JSON Lines corpus, timed, with peak memory.

The corpus is the devset texts repeated (as for `speed.py cli`), each record given a `url` on one of
`--hosts` synthetic hosts, so that the profile holds many sites and more distinct lines than its
table: memory must stay flat all the same. The file is built in bench/data, after a look at the free
disk (the corpus and one output), and removed at the end.

Runs: `cleaner profile` (pass one) and `cleaner clean --profile` (pass two), each with --jobs 2; with
--all-runs also pass two with --jobs 1 and `cleaner clean --site-repeated` (both passes, one command),
whose outputs must be byte-identical to the first. Peak memory is the largest process's resident set
(a worker, or the main process holding the table) and the sum over the tree.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from _common import DATA


def build_site_corpus(devset: Path, size_mb: int, hosts: int, texts) -> tuple[Path, dict]:
    path = DATA / f"site-corpus-{size_mb}mb.jsonl"
    recs = texts(devset)
    docs = file_bytes = 0
    DATA.mkdir(parents=True, exist_ok=True)
    print(f"building {path} ...", flush=True)
    with path.open("w", encoding="utf-8") as f:
        k = 0
        while file_bytes < size_mb * 1e6:
            k += 1
            for r in recs:
                # A stable spread of pages over hosts: the same page lands on other hosts in other passes.
                n = int.from_bytes(hashlib.blake2b(f"{r['id']}~{k}".encode(), digest_size=4).digest(), "little")
                line = json.dumps({"id": f"{r['id']}~{k}", "url": f"https://site{n % hosts}.example/{k}",
                                   "text": r["text"]}, ensure_ascii=False) + "\n"
                f.write(line)
                docs += 1
                file_bytes += len(line.encode("utf-8"))
    return path, {"docs": docs, "file_bytes": file_bytes, "hosts": hosts}


def mode_corpus(args, devset: Path, run_measured, cleaner_command, texts) -> dict:
    need = 2.2 * args.size_mb * 1e6  # the corpus, one output at a time, and room to spare
    free = shutil.disk_usage(DATA.parent).free
    if free < need:
        raise SystemExit(f"speed.py corpus: {free / 1e9:.1f} GB free, {need / 1e9:.1f} GB needed; try --size-mb")
    work = DATA / "corpus-runs"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    corpus, meta = build_site_corpus(devset, args.size_mb, args.hosts, texts)
    mb = meta["file_bytes"] / 1e6
    print(f"\ncorpus: {corpus} ({mb:.0f} MB, {meta['docs']} records on {args.hosts} hosts)")
    print(f"  {'run':<44}{'seconds':>9}{'CPU s':>8}{'MB/s':>8}{'max RSS MB':>12}{'tree RSS MB':>13}")
    profile = work / "site-lines.bin"
    runs: dict = {}
    plan = [("cleaner profile --jobs 2", ["profile", str(corpus), "-o", str(profile), "--jobs", "2"], None)]
    plan += [(f"cleaner clean --profile --jobs {j}", ["clean", "--profile", str(profile), str(corpus), "-o",
                                                       str(work / f"out{j}"), "--jobs", str(j)], work / f"out{j}")
             for j in ((2, 1) if args.all_runs else (2,))]
    if args.all_runs:
        plan += [("cleaner clean --site-repeated --jobs 2", ["clean", "--site-repeated", str(corpus), "-o",
                                                             str(work / "out-both"), "--jobs", "2"], work / "out-both")]
    digests = {}
    try:
        for name, cmd, out in plan:
            run = run_measured(cleaner_command() + cmd, work / f"{len(runs)}.log")
            run["mb_per_s"] = mb / run["seconds"]
            runs[name] = run
            status = "" if run["rc"] == 0 else f"  FAILED (exit {run['rc']}), see {work}/{len(runs) - 1}.log"
            print(f"  {name:<44}{run['seconds']:>9.1f}{run['cpu_seconds']:>8.1f}{run['mb_per_s']:>8.2f}"
                  f"{run['max_rss_mb']:>12.0f}{run['tree_rss_mb']:>13.0f}{status}", flush=True)
            if out is not None and out.exists():
                digests[name] = hashlib.sha256((out / corpus.name).read_bytes()).hexdigest()
                shutil.rmtree(out)
        print((work / "0.log").read_text().strip().splitlines()[-1])
        same = len(set(digests.values())) == 1
        if len(digests) > 1:
            print(f"  outputs of {', '.join(digests)} byte-identical: {'yes' if same else 'NO'}")
        both = runs["cleaner profile --jobs 2"]["seconds"] + runs["cleaner clean --profile --jobs 2"]["seconds"]
        print(f"  two passes at --jobs 2: {both:.1f} s, {mb / both:.2f} MB/s")
    finally:
        corpus.unlink(missing_ok=True)
        profile.unlink(missing_ok=True)
    return {"corpus": meta, "runs": runs, "identical": same}
