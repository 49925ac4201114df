"""Speed of cleaner.datatrove's CleanerStep against datatrove's C4 pipeline (issue 11).

    .venv/bin/python bench/datatrove_step.py [--size-mb 100] [--rounds 3] [--json FILE]

The corpus is bench/speed.py's (the devset texts repeated under distinct
ids), cut into two shard files, since datatrove gives each task whole files.
Every pipeline is JsonlReader -> X -> JsonlWriter, uncompressed, two tasks,
in LocalPipelineExecutor:

- peer: X = C4QualityFilter(min_num_sentences=-1), one worker (as in speed.py:
  the sentence count needs spaCy, which datatrove does not install);
- CleanerStep() with one worker, then with two;
- for reference, `cleaner clean --jobs 1` on the same two files (the chain's
  own speed, with the CLI's reading and writing).

Rounds run the three in turn, so that a slow spell of a shared machine hits
all alike. MB is 10**6 bytes of the JSON Lines input. Memory: the largest
resident set of one process (with one worker the tasks run in the main
process; with two, in the pool's), from GNU time and /proc samples.
Needs `pip install ".[datatrove]"`.
"""
from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import time
import shutil
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, devset_path, machine, write_json  # noqa: E402
from speed import build_corpus, cleaner_command, run_measured  # noqa: E402

PIPELINE = """
import sys
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.filters import C4QualityFilter
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
kind, workers, shards, out, logs = sys.argv[1:]
if kind == "c4":
    step = C4QualityFilter(min_num_sentences=-1)
else:
    from cleaner.datatrove import CleanerStep
    step = CleanerStep()
LocalPipelineExecutor(pipeline=[
    JsonlReader(shards, compression=None, recursive=False),
    step,
    JsonlWriter(out, output_filename="${rank}.jsonl", compression=None),
], tasks=2, workers=int(workers), logging_dir=logs).run()
"""

SHARDS = 2
RUNS = (("datatrove C4 pipeline, 1 worker", "c4", 1), ("CleanerStep, 1 worker", "cleaner", 1),
        ("CleanerStep, 2 workers", "cleaner", 2), ("cleaner clean --jobs 1 (reference)", "cli", 1))


def shard(corpus: Path, folder: Path) -> None:
    """The corpus in SHARDS files of whole records, alternating (cached)."""
    if folder.exists():
        return
    tmp = folder.with_suffix(".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    outs = [(tmp / f"part-{k}.jsonl").open("wb") for k in range(SHARDS)]
    with corpus.open("rb") as f:
        for n, line in enumerate(f):
            outs[n % SHARDS].write(line)
    for out in outs:
        out.close()
    tmp.rename(folder)


def _burn(_) -> None:
    x = 0
    for i in range(20_000_000):
        x += i


def ceiling() -> float:
    """What two processes get here now: two busy loops side by side against one alone.

    On a machine shared with other work this, not 2.0, bounds the two-worker ratio.
    """
    t = time.perf_counter()
    _burn(0)
    one = time.perf_counter() - t
    with multiprocessing.get_context("fork").Pool(2) as pool:
        t = time.perf_counter()
        pool.map(_burn, [0, 1])
        two = time.perf_counter() - t
    return 2 * one / two


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.glob("*.jsonl")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--devset-dir", help="folder of the devset (default ../shared/devset from the repo root)")
    ap.add_argument("--size-mb", type=int, default=100, help="corpus size in MB (default 100)")
    ap.add_argument("--rounds", type=int, default=3, help="times each pipeline runs (default 3)")
    ap.add_argument("--json", metavar="FILE", help="write the numbers as JSON")
    args = ap.parse_args(argv)
    print(machine())
    corpus, meta = build_corpus(devset_path(args.devset_dir), args.size_mb)
    shards = DATA / f"{corpus.stem}-{SHARDS}shards"
    shard(corpus, shards)
    mb = meta["file_bytes"] / 1e6
    for p in shards.iterdir():  # in the page cache before the first timed run
        p.read_bytes()
    work = DATA / "datatrove-step-runs"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    print(f"corpus: {shards} ({mb:.0f} MB in {SHARDS} files, {meta['docs']} records)")
    print(f"  {'run':<40}{'seconds':>9}{'CPU s':>8}{'MB/s':>8}{'MB/CPU s':>10}{'max RSS MB':>12}")
    rounds: list[dict[str, dict]] = []
    # Compared within a round: the code under test may change between rounds on a shared checkout.
    same_by_round: list[bool] = []
    for n in range(1, args.rounds + 1):
        this, digests = {}, {}
        for name, kind, workers in RUNS:
            out, logs = work / f"out-{kind}-{workers}", work / f"logs-{kind}-{workers}"
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(logs, ignore_errors=True)  # else datatrove skips the tasks it finished before
            cmd = [sys.executable, "-c", PIPELINE, kind, str(workers), str(shards), str(out), str(logs)]
            if kind == "cli":  # the chain's own speed, with the CLI's reading and writing
                cmd = cleaner_command() + ["clean", str(shards), "-o", str(out), "--jobs", str(workers)]
            run = run_measured(cmd, work / f"{kind}-{workers}.log")
            run["mb_per_s"] = mb / run["seconds"]
            failed = "" if run["rc"] == 0 else f"  FAILED (exit {run['rc']}), see {work}/{kind}-{workers}.log"
            print(f"  {name + f' (round {n})':<40}{run['seconds']:>9.1f}{run['cpu_seconds']:>8.1f}"
                  f"{run['mb_per_s']:>8.2f}{mb / run['cpu_seconds']:>10.2f}{run['max_rss_mb']:>12.0f}{failed}", flush=True)
            if kind == "cleaner":
                digests[workers] = digest(out)
            shutil.rmtree(out, ignore_errors=True)
            this[name] = run
        this["ceiling"] = ceiling()
        rounds.append(this)
        same_by_round.append(digests[1] == digests[2])
    peer, one, two, cli = (name for name, _, _ in RUNS)
    vs_peer = [r[one]["mb_per_s"] / r[peer]["mb_per_s"] for r in rounds]
    scaling = [r[two]["mb_per_s"] / r[one]["mb_per_s"] for r in rounds]
    # CPU seconds vary less than the clock on a shared machine: the same ratio by them.
    vs_peer_cpu = [r[peer]["cpu_seconds"] / r[one]["cpu_seconds"] for r in rounds]
    memory = max(r[name]["max_rss_mb"] for r in rounds for name in (one, two))
    same = all(same_by_round)
    print(f"  CleanerStep 1 worker / C4 pipeline, by round: {', '.join(f'{x:.2f}x' for x in vs_peer)};"
          f" median {statistics.median(vs_peer):.2f}x (bar 0.9x)")
    print(f"  the same by CPU seconds: {', '.join(f'{x:.2f}x' for x in vs_peer_cpu)}")
    vs_cli_cpu = [r[cli]["cpu_seconds"] / r[one]["cpu_seconds"] for r in rounds]
    print(f"  CleanerStep 1 worker / cleaner clean --jobs 1, by CPU seconds: "
          f"{', '.join(f'{x:.2f}x' for x in vs_cli_cpu)}")
    print(f"  CleanerStep 2 workers / 1 worker, by round: {', '.join(f'{x:.2f}x' for x in scaling)};"
          f" median {statistics.median(scaling):.2f}x (bar 1.7x)")
    ceilings = [r["ceiling"] for r in rounds]
    print(f"  two busy loops / one on this machine, by round: {', '.join(f'{x:.2f}x' for x in ceilings)}"
          " (the most two workers could get)")
    print(f"  largest process of any CleanerStep run: {memory:.0f} MB (bar: under 300 MB a worker)")
    print(f"  output of 1 and 2 workers byte-identical: {'yes' if same else 'NO'}")
    write_json(args.json, {"datatrove_step": {"corpus": {"path": str(shards), **meta}, "rounds": rounds,
                                              "step_vs_c4": vs_peer, "step_vs_c4_cpu": vs_peer_cpu, "step_vs_cli_cpu": vs_cli_cpu,
                                              "two_vs_one": scaling, "ceiling": ceilings,
                                              "max_rss_mb": memory, "workers_identical": same}})


if __name__ == "__main__":
    main()
