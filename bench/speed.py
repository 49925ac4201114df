"""Speed of cleaner: the library, the batch CLI against datatrove, the HTML path.

    .venv/bin/python bench/speed.py lib                 # MB/s of clean(), share of language detection (issue 2)
    .venv/bin/python bench/speed.py cli [--size-mb 500] [--rounds N] [--model]
                                                        # cleaner clean --jobs 1/2 vs datatrove C4 (issue 3)
    .venv/bin/python bench/speed.py datatrove [--size-mb 200] [--rounds 3]
                                                        # CleanerStep with 1 and 2 workers vs the C4 pipeline (issue 11)
    .venv/bin/python bench/speed.py html                # pages/s, trafilatura alone vs + chain (issue 4)
    .venv/bin/python bench/speed.py corpus [--size-mb 1000] [--hosts 5000]
                                                        # the corpus mode's two passes: s, MB/s, peak memory (issue 11)
    .venv/bin/python bench/speed.py size [--sizes 1,10,100]
                                                        # one document of growing size: s, MB/s, peak memory (issue 9)
    options: --devset-dir DIR  --json FILE

Bench-only dependency: the `cli` mode times datatrove as the usual peer.
Install it into the venv with `.venv/bin/pip install datatrove orjson`
(orjson: datatrove's JSON Lines reader needs it and does not declare it).
Without it the peer is skipped with a note.

MB here is 10**6 bytes: of UTF-8 text for `lib`, of the JSON Lines file for
`cli` (end to end: what the command reads).

The datatrove peer is JsonlReader -> C4QualityFilter -> JsonlWriter
(uncompressed, one task, like `cleaner clean --jobs 1`). The filter keeps its
defaults except min_num_sentences=-1: the page-level sentence count is not
part of the line filter and needs spaCy, which datatrove does not install;
without it the peer does less work, so the ratio errs in the peer's favour.
datatrove cannot split one file across tasks, so it runs with one task.

Peak memory is reported two ways: the largest resident set of any one process
of the run ("max RSS"), and the largest sum over the process tree ("tree
RSS", sampled every 0.1 s from /proc; it counts pages shared between a parent
and its forked workers twice, so it is an upper bound). CPU seconds of the
whole tree are given too: on a shared machine they vary less than the clock.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import DATA, devset_path, load_jsonl, machine, require, write_json  # noqa: E402


def devset_texts(devset: Path) -> list[dict]:
    return load_jsonl(devset / "tf-dev.jsonl") + load_jsonl(devset / "dragnet-dev.jsonl")


# --- lib ----------------------------------------------------------------------------


def mode_lib(args, devset: Path) -> dict:
    import cleaner.chain
    from cleaner import Cleaner

    recs = devset_texts(devset)
    texts = [r["text"] for r in recs]
    per_pass = sum(len(t.encode("utf-8")) for t in texts)
    passes = max(1, math.ceil(args.min_mb * 1e6 / per_pass))
    c = Cleaner()
    # Rule books compile lazily, per language and per rule, so the first pass
    # pays one-time costs: time it apart and report the passes after it.
    t0 = time.perf_counter()
    for t in texts:
        c.clean(t)
    first = time.perf_counter() - t0

    detect, spent = cleaner.chain.detect_samples, [0.0, 0]

    def timed_detect(samples):
        t = time.perf_counter()
        try:
            return detect(samples)
        finally:
            spent[0] += time.perf_counter() - t
            spent[1] += 1

    cleaner.chain.detect_samples = timed_detect  # the chain looks the name up in its own module at each call
    per_doc = [0.0] * len(texts)
    cpu0, t0 = time.process_time(), time.perf_counter()
    for _ in range(passes):
        for i, t in enumerate(texts):
            t1 = time.perf_counter()
            c.clean(t)
            per_doc[i] += time.perf_counter() - t1
    secs = time.perf_counter() - t0
    cpu = time.process_time() - cpu0
    cleaner.chain.detect_samples = detect
    mb = per_pass * passes / 1e6
    out = {"docs": len(texts) * passes, "mb": mb, "seconds": secs, "mb_per_s": mb / secs,
           "mb_per_cpu_s": mb / cpu, "first_pass_mb_per_s": per_pass / 1e6 / first,
           "detect_share": spent[0] / secs, "detect_calls": spent[1],
           "detect_ms_per_call": 1000 * spent[0] / spent[1] if spent[1] else None}
    print(f"\nclean() in one process: {len(texts)} devset texts ({per_pass / 1e6:.1f} MB)")
    print(f"  first pass (rules compile on first use): {per_pass / 1e6 / first:.2f} MB/s")
    print(f"  then {passes} passes, {mb:.1f} MB in {secs:.1f} s: {mb / secs:.2f} MB/s, {out['docs'] / secs:.0f} docs/s"
          f" ({mb / cpu:.2f} MB per CPU second: other load on the machine shows as a gap between the two)")
    print(f"  language detection: {100 * out['detect_share']:.1f} % of the time, {spent[1]} calls, "
          f"{out['detect_ms_per_call']:.3f} ms per call")
    # A few pathological pages can dominate the total: name them.
    slow = sorted(range(len(texts)), key=lambda i: -per_doc[i])[:5]
    print("  slowest pages: " + ", ".join(
        f"{recs[i]['id']} ({len(texts[i].encode('utf-8')) // 1000} KB, {1000 * per_doc[i] / passes:.0f} ms)" for i in slow))
    out["slowest_ms"] = {recs[i]["id"]: 1000 * per_doc[i] / passes for i in slow}
    return out


# --- cli ----------------------------------------------------------------------------


def build_corpus(devset: Path, size_mb: int) -> tuple[Path, dict]:
    """A JSON Lines file of at least size_mb MB: the devset texts repeated under distinct ids (cached)."""
    path = DATA / f"corpus-{size_mb}mb.jsonl"
    meta_path = path.with_suffix(".meta.json")
    if path.exists() and meta_path.exists():
        return path, json.loads(meta_path.read_text())
    DATA.mkdir(parents=True, exist_ok=True)
    recs = devset_texts(devset)
    docs = text_bytes = file_bytes = 0
    tmp = path.with_suffix(".tmp")
    print(f"building {path} ...", flush=True)
    with tmp.open("w", encoding="utf-8") as f:
        k = 0
        while file_bytes < size_mb * 1e6:  # whole passes, so the mix of pages stays the devset's
            k += 1
            for r in recs:
                line = json.dumps({"id": f"{r['id']}~{k}", "url": r.get("url"), "text": r["text"]},
                                  ensure_ascii=False) + "\n"
                f.write(line)
                docs += 1
                text_bytes += len(r["text"].encode("utf-8"))
                file_bytes += len(line.encode("utf-8"))
    meta = {"docs": docs, "text_bytes": text_bytes, "file_bytes": file_bytes}
    tmp.rename(path)  # only a complete corpus is ever reused
    meta_path.write_text(json.dumps(meta) + "\n")
    return path, meta


_PAGE, _TICK = os.sysconf("SC_PAGE_SIZE"), os.sysconf("SC_CLK_TCK")


def _proc(pid: int) -> tuple[int, float, list[int]]:
    """Resident bytes and CPU seconds of one process, and its children."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()  # the name before ")" may hold spaces
    children = []
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            children.extend(int(c) for c in f.read().split())
    return int(fields[21]) * _PAGE, (int(fields[11]) + int(fields[12])) / _TICK, children


def _sample_tree(pid: int, cpu: dict[int, float]) -> tuple[int, int]:
    """Resident bytes of pid and its descendants now (sum, largest); updates cpu per pid."""
    total = largest = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            rss, cpu[p], children = _proc(p)
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we looked
        total, largest = total + rss, max(largest, rss)
        todo.extend(children)
    return total, largest


TIME = Path("/usr/bin/time")


def run_measured(cmd: list[str], log: Path) -> dict:
    """Run cmd: seconds, CPU seconds, exit code and peak memory.

    The largest process and the CPU seconds (on a shared machine steadier than
    the wall clock) come from GNU time where it exists, and from sampling
    /proc every 0.1 s. wait4's ru_maxrss in this process would not do: Linux
    carries the parent's resident set at fork over into the child's maximum.
    """
    peak, cpu_seen = [0, 0], {}
    done = threading.Event()
    time_file = log.with_suffix(".time")
    if TIME.exists():
        cmd = [str(TIME), "-f", "%M %U %S", "-o", str(time_file), *cmd]
    with log.open("wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)

        def sample():
            while not done.wait(0.1):
                total, largest = _sample_tree(proc.pid, cpu_seen)
                peak[0], peak[1] = max(peak[0], total), max(peak[1], largest)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        rc = proc.wait()
        secs = time.perf_counter() - t0
        done.set()
        sampler.join()
    # Workers a forkserver starts are never reaped by the command itself, so
    # GNU time misses them: take the larger of its figure and the samples.
    max_rss, cpu = peak[1], sum(cpu_seen.values())
    if TIME.exists() and time_file.exists():
        kb, user, system = time_file.read_text().split()[-3:]
        max_rss, cpu = max(max_rss, int(kb) * 1024), max(cpu, float(user) + float(system))
    return {"seconds": secs, "cpu_seconds": cpu, "rc": rc, "max_rss_mb": max_rss / 1e6, "tree_rss_mb": peak[0] / 1e6}


def cleaner_command() -> list[str]:
    script = Path(sys.executable).with_name("cleaner")
    return [str(script)] if script.exists() else [sys.executable, "-m", "cleaner.cli"]


def check_cli(work: Path) -> None:
    """Fail early and clearly while the batch CLI (issue 3) is not there or does not work."""
    if importlib.util.find_spec("cleaner.cli") is None:
        sys.exit("speed.py cli: cleaner.cli does not exist yet (the batch CLI of issue 3); nothing to time.")
    tiny = work / "smoke.jsonl"
    tiny.write_text(json.dumps({"id": "x", "text": "A headline\nThe story in one sentence.\nRead More\n"}) + "\n")
    cmd = cleaner_command() + ["clean", str(tiny), "-o", str(work / "smoke-out"), "--jobs", "1"]
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"speed.py cli: `{' '.join(cmd)}` failed (exit {run.returncode}):\n{run.stderr[-2000:]}")


DATATROVE = """
import sys
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.filters import C4QualityFilter
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter
folder, name, out, logs = sys.argv[1:]
LocalPipelineExecutor(pipeline=[
    JsonlReader(folder, glob_pattern=name, compression=None, recursive=False),
    C4QualityFilter(min_num_sentences=-1),
    JsonlWriter(out, output_filename="${rank}.jsonl", compression=None),
], tasks=1, workers=1, logging_dir=logs).run()
"""


def _tree_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            with p.open("rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
    return h.hexdigest()


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def mode_cli(args, devset: Path) -> dict:
    work = DATA / "cli-runs"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    check_cli(work)
    corpus, meta = build_corpus(devset, args.size_mb)
    mb = meta["file_bytes"] / 1e6
    with corpus.open("rb") as f:  # in the page cache before the first timed run, as for the others
        while f.read(1 << 24):
            pass
    print(f"\ncorpus: {corpus} ({mb:.0f} MB, {meta['docs']} records, {meta['text_bytes'] / 1e6:.0f} MB of text)")
    print(f"  {'run':<34}{'seconds':>9}{'CPU s':>8}{'MB/s':>8}{'docs/s':>9}{'max RSS MB':>12}{'tree RSS MB':>13}"
          f"{'out MB':>8}")
    runs, every_round, digests = {}, {}, {}

    def report(name, run, out_dir):
        run["mb_per_s"] = mb / run["seconds"]
        run["out_mb"] = _size(out_dir) / 1e6 if out_dir.exists() else 0.0
        status = "" if run["rc"] == 0 else f"  FAILED (exit {run['rc']}), see {out_dir}.log"
        print(f"  {name:<34}{run['seconds']:>9.1f}{run['cpu_seconds']:>8.1f}{run['mb_per_s']:>8.2f}{meta['docs'] / run['seconds']:>9.0f}"
              f"{run['max_rss_mb']:>12.0f}{run['tree_rss_mb']:>13.0f}{run['out_mb']:>8.0f}{status}", flush=True)

    # Rounds alternate the two, so that a slow spell of a shared machine hits
    # both alike; every run is printed, and the best of each is kept.
    for round_ in range(1, args.rounds + 1):
        for jobs, extra in ((1, []), (2, []), *([(1, ["--model"])] if args.model else [])):
            out_dir = work / f"out-jobs{jobs}{''.join(extra)}"
            cmd = cleaner_command() + ["clean", str(corpus), "-o", str(out_dir), "--jobs", str(jobs), *extra]
            run = run_measured(cmd, out_dir.with_suffix(".log"))
            name = " ".join([f"cleaner clean --jobs {jobs}", *extra])
            every_round[f"{name} (round {round_})"] = run
            report(f"{name} (round {round_})" if args.rounds > 1 else name, run, out_dir)
            if name not in runs or run["seconds"] < runs[name]["seconds"]:
                runs[name] = run
            if not extra:
                digests.setdefault(jobs, set()).add(_tree_digest(out_dir) if out_dir.exists() else None)
            shutil.rmtree(out_dir, ignore_errors=True)  # half a GB each; the digest is all we compare
    ratios = []
    if args.rounds > 1:
        print(f"  best of {args.rounds} rounds: --jobs 1 {runs['cleaner clean --jobs 1']['mb_per_s']:.2f} MB/s, "
              f"--jobs 2 {runs['cleaner clean --jobs 2']['mb_per_s']:.2f} MB/s")
        # Within a round the two runs are minutes apart; a ratio across rounds would mix spells.
        ratios = [every_round[f"cleaner clean --jobs 2 (round {n})"]["mb_per_s"]
                  / every_round[f"cleaner clean --jobs 1 (round {n})"]["mb_per_s"] for n in range(1, args.rounds + 1)]
        print(f"  --jobs 2 / --jobs 1 by round: {', '.join(f'{r:.2f}x' for r in ratios)}; "
              f"median {statistics.median(ratios):.2f}x")
    same = len(digests[1] | digests[2]) == 1 and None not in digests[1]
    print(f"  output of --jobs 1 and --jobs 2 byte-identical: {'yes' if same else 'NO'}")

    if importlib.util.find_spec("datatrove") is None or importlib.util.find_spec("orjson") is None:
        print("  datatrove peer skipped: datatrove or orjson is not importable; "
              "`.venv/bin/pip install datatrove orjson` to include it")
    else:
        out_dir = work / "out-datatrove"
        cmd = [sys.executable, "-c", DATATROVE, str(corpus.parent), corpus.name, str(out_dir), str(work / "dt-logs")]
        runs["datatrove JsonlReader+C4+Writer"] = run_measured(cmd, out_dir.with_suffix(".log"))
        report("datatrove JsonlReader+C4+Writer", runs["datatrove JsonlReader+C4+Writer"], out_dir)
        shutil.rmtree(out_dir, ignore_errors=True)
        peer = runs["datatrove JsonlReader+C4+Writer"]["mb_per_s"]
        for name in [n for n in runs if n.startswith("cleaner clean")]:
            print(f"  {name.removeprefix('cleaner clean ')} / datatrove: {runs[name]['mb_per_s'] / peer:.2f}x")
    j1, j2 = runs["cleaner clean --jobs 1"]["mb_per_s"], runs["cleaner clean --jobs 2"]["mb_per_s"]
    print(f"  --jobs 2 / --jobs 1: {j2 / j1:.2f}x")
    if args.model:  # by CPU seconds, which a shared machine disturbs less than the clock
        off, on = runs["cleaner clean --jobs 1"]["cpu_seconds"], runs["cleaner clean --jobs 1 --model"]["cpu_seconds"]
        print(f"  the model's share of --jobs 1 --model, by CPU seconds: {1 - off / on:.0%}")
    return {"corpus": {"path": str(corpus), **meta}, "runs": runs, "rounds": every_round, "ratios_by_round": ratios,
            "jobs_identical": same}


# --- datatrove ----------------------------------------------------------------------
# The corpus of `cli` cut into two shard files (datatrove gives each task whole
# files); every pipeline is JsonlReader -> X -> JsonlWriter, uncompressed, two
# tasks, in LocalPipelineExecutor: X = C4QualityFilter(min_num_sentences=-1)
# with one worker (the peer, as in `cli`), CleanerStep() with one worker, then
# two; and `cleaner clean --jobs 1` on the same two files for reference.
# Rounds run them in turn, so that a slow spell of a shared machine hits all
# alike. With one worker the tasks run in the main process; with two, in the
# pool's.

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
DT_RUNS = (("datatrove C4 pipeline, 1 worker", "c4", 1), ("CleanerStep, 1 worker", "cleaner", 1),
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
    import multiprocessing

    t = time.perf_counter()
    _burn(0)
    one = time.perf_counter() - t
    with multiprocessing.get_context("fork").Pool(2) as pool:
        t = time.perf_counter()
        pool.map(_burn, [0, 1])
        two = time.perf_counter() - t
    return 2 * one / two


def _jsonl_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.glob("*.jsonl")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def mode_datatrove(args, devset: Path) -> dict:
    if importlib.util.find_spec("datatrove") is None or importlib.util.find_spec("orjson") is None:
        sys.exit('speed.py datatrove: needs datatrove and orjson: .venv/bin/pip install ".[datatrove]"')
    corpus, meta = build_corpus(devset, args.size_mb)
    shards = DATA / f"{corpus.stem}-{SHARDS}shards"
    shard(corpus, shards)
    mb = meta["file_bytes"] / 1e6
    for p in shards.iterdir():  # in the page cache before the first timed run
        p.read_bytes()
    work = DATA / "datatrove-step-runs"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    print(f"\ncorpus: {shards} ({mb:.0f} MB in {SHARDS} files, {meta['docs']} records)")
    print(f"  {'run':<44}{'seconds':>9}{'CPU s':>8}{'MB/s':>8}{'MB/CPU s':>10}{'max RSS MB':>12}{'tree RSS MB':>13}")
    rounds: list[dict[str, dict]] = []
    same_by_round: list[bool] = []  # within a round: the code may change between rounds on a shared checkout
    for n in range(1, args.rounds + 1):
        this, digests = {}, {}
        for name, kind, workers in DT_RUNS:
            out, logs = work / f"out-{kind}-{workers}", work / f"logs-{kind}-{workers}"
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(logs, ignore_errors=True)  # else datatrove skips the tasks it finished before
            cmd = [sys.executable, "-c", PIPELINE, kind, str(workers), str(shards), str(out), str(logs)]
            if kind == "cli":
                cmd = cleaner_command() + ["clean", str(shards), "-o", str(out), "--jobs", str(workers)]
            run = run_measured(cmd, work / f"{kind}-{workers}.log")
            run["mb_per_s"] = mb / run["seconds"]
            failed = "" if run["rc"] == 0 else f"  FAILED (exit {run['rc']}), see {work}/{kind}-{workers}.log"
            print(f"  {name + f' (round {n})':<44}{run['seconds']:>9.1f}{run['cpu_seconds']:>8.1f}"
                  f"{run['mb_per_s']:>8.2f}{mb / run['cpu_seconds']:>10.2f}{run['max_rss_mb']:>12.0f}"
                  f"{run['tree_rss_mb']:>13.0f}{failed}", flush=True)
            if kind == "cleaner":
                digests[workers] = _jsonl_digest(out)
            shutil.rmtree(out, ignore_errors=True)
            this[name] = run
        this["ceiling"] = ceiling()
        rounds.append(this)
        same_by_round.append(digests[1] == digests[2])
    peer, one, two, cli = (name for name, _, _ in DT_RUNS)

    def by_round(label: str, values: list[float], bar: str = "") -> None:
        print(f"  {label}: {', '.join(f'{x:.2f}x' for x in values)}; median {statistics.median(values):.2f}x{bar}")

    vs_peer = [r[one]["mb_per_s"] / r[peer]["mb_per_s"] for r in rounds]
    vs_peer_cpu = [r[peer]["cpu_seconds"] / r[one]["cpu_seconds"] for r in rounds]  # steadier than the clock
    vs_cli_cpu = [r[cli]["cpu_seconds"] / r[one]["cpu_seconds"] for r in rounds]
    cli_vs_peer = [r[cli]["mb_per_s"] / r[peer]["mb_per_s"] for r in rounds]
    scaling = [r[two]["mb_per_s"] / r[one]["mb_per_s"] for r in rounds]
    ceilings = [r["ceiling"] for r in rounds]
    memory = max(r[name]["max_rss_mb"] for r in rounds for name in (one, two))
    by_round("CleanerStep 1 worker / C4 pipeline, by round", vs_peer, " (bar 0.9x)")
    by_round("the same by CPU seconds", vs_peer_cpu)
    by_round("CleanerStep 1 worker / cleaner clean --jobs 1, by CPU seconds", vs_cli_cpu)
    by_round("cleaner clean --jobs 1 / C4 pipeline, by round", cli_vs_peer)
    by_round("CleanerStep 2 workers / 1 worker, by round", scaling, " (bar 1.7x)")
    by_round("two busy loops / one on this machine (the most two workers could get)", ceilings)
    print(f"  largest process of any CleanerStep run: {memory:.0f} MB (bar: under 300 MB a worker)")
    same = all(same_by_round)
    print(f"  output of 1 and 2 workers byte-identical: {'yes' if same else 'NO'}")
    return {"corpus": {"path": str(shards), **meta}, "rounds": rounds, "step_vs_c4": vs_peer,
            "step_vs_c4_cpu": vs_peer_cpu, "step_vs_cli_cpu": vs_cli_cpu, "cli_vs_c4": cli_vs_peer,
            "two_vs_one": scaling, "ceiling": ceilings, "max_rss_mb": memory, "workers_identical": same}


def mode_corpus(args, devset: Path) -> dict:
    from site_speed import mode_corpus as corpus_mode  # the corpus mode's own module (bench/site_speed.py)
    return corpus_mode(args, devset, run_measured, cleaner_command, devset_texts)


# --- html ---------------------------------------------------------------------------


def mode_html(args, devset: Path) -> dict:
    import logging

    import trafilatura

    import cleaner.chain

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    try:
        from cleaner.html import clean_html
    except ImportError:
        clean_html = None
        print("note: cleaner.html.clean_html does not exist yet: only trafilatura alone is timed")
    with tarfile.open(require(devset / "tf-dev-html.tar.gz")) as tar:
        pages = [tar.extractfile(m).read() for m in tar if m.isfile()][: args.limit]

    explain, in_chain = cleaner.chain.Cleaner.explain, [0.0]

    def timed_explain(self, *a, **kw):
        t = time.perf_counter()
        try:
            return explain(self, *a, **kw)
        finally:
            in_chain[0] += time.perf_counter() - t

    cleaner.chain.Cleaner.explain = timed_explain  # the chain's own share of clean_html
    if clean_html:
        clean_html(pages[0])  # rules and language profiles load outside the clock
    out: dict = {"pages": len(pages)}
    t_alone = t_chain = 0.0
    for page in pages:  # interleaved, so that drift in the machine hits both alike
        t = time.perf_counter()
        trafilatura.extract(page)
        t_alone += time.perf_counter() - t
        if clean_html:
            t = time.perf_counter()
            clean_html(page)
            t_chain += time.perf_counter() - t
    cleaner.chain.Cleaner.explain = explain
    print(f"\nHTML path, one process, {len(pages)} pages of tf-dev-html")
    print(f"  trafilatura.extract(html) alone:   {len(pages) / t_alone:6.1f} pages/s")
    out["trafilatura_pages_per_s"] = len(pages) / t_alone
    if clean_html:
        share = in_chain[0] / (t_chain - in_chain[0])
        print(f"  cleaner.html.clean_html(html):     {len(pages) / t_chain:6.1f} pages/s "
              f"({100 * (t_chain / t_alone - 1):+.1f} % time against trafilatura's default extract)")
        print(f"  the chain inside clean_html:       {1000 * in_chain[0] / len(pages):6.1f} ms per page, adds "
              f"{100 * share:.1f} % to the rest of the HTML path (bar: under 15 %)")
        out.update(clean_html_pages_per_s=len(pages) / t_chain, chain_ms_per_page=1000 * in_chain[0] / len(pages),
                   chain_added_share=share)
    return out


# --- size ---------------------------------------------------------------------------


_BLOCK_BODY = "".join(f"The council met on Tuesday to decide the future of the old pool number {i}, and it voted.\n"
                      for i in range(10))


def one_document(devset: Path, size_mb: float, kind: str = "pages") -> str:
    """One page of about `size_mb` MB. `pages`: the devset texts one after the other, as often as
    it takes (the seeds when there is no devset), so that its lines are real extracted lines; the
    first comment heading then opens a comment section to the end. `blocks`: a list heading, a
    headline and ten lines of text, repeated (the shape that once took the square of the size)."""
    if kind == "blocks":
        block = "Related articles\nA short headline\n" + _BLOCK_BODY
        return block * math.ceil(size_mb * 1e6 / len(block))
    if devset.is_dir():
        texts = [r["text"] for name in ("tf-dev", "dragnet-dev", "wcxb-dev", "cev-dev")
                 if (devset / f"{name}.jsonl").exists() for r in load_jsonl(devset / f"{name}.jsonl")]
    else:
        texts = [p.read_text(encoding="utf-8") for p in sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))]
    parts, size, i = [], 0, 0
    while size < size_mb * 1e6:
        text = texts[i % len(texts)].rstrip("\n") + "\n"
        parts.append(text)
        size += len(text.encode("utf-8"))
        i += 1
    return "".join(parts)


def _size_child(devset: Path, size_mb: float, kind: str) -> None:
    """In a process of its own, so that its peak memory is this document's: clean one document, print JSON."""
    import resource

    from cleaner import Cleaner

    c = Cleaner()
    c.clean("Ein Satz, der die Regeln lädt.\nAdvertisement\n")
    text = one_document(devset, size_mb, kind)
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB: the rules, the runtime and the text
    mb = len(text.encode("utf-8")) / 1e6
    t0, cpu0 = time.perf_counter(), time.process_time()
    result = c.explain(text)
    secs, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"mb": mb, "lines": text.count("\n"), "seconds": secs, "cpu_seconds": cpu,
                      "mb_per_s": mb / secs, "peak_rss_mb": peak / 1e3, "before_mb": base / 1e3,
                      "growth_per_mb": (peak - base) / 1e3 / mb, "kept_share": len(result.text.encode("utf-8")) / 1e6 / mb,
                      "lang": result.lang}))


def mode_size(args, devset: Path) -> dict:
    if not devset.is_dir():
        print(f"no devset at {devset}: the document repeats the seeds")
    sizes = [float(x) for x in args.sizes.split(",")]
    out = {}
    print(f"\none document ({args.doc}) of growing size, cleaned by explain() in a process of its own;"
          " peak RSS before = after loading the rules and making the text")
    print(f"  {'MB':>6} {'lines':>9} {'seconds':>8} {'MB/s':>6} {'CPU s':>7} {'peak RSS MB':>12} "
          f"{'before':>7} {'growth per MB of text':>22} {'kept':>5}")
    for mb in sizes:
        proc = subprocess.run([sys.executable, __file__, "size", "--child", str(mb), "--doc", args.doc,
                               "--devset-dir", str(devset)], capture_output=True, text=True, check=True)
        row = json.loads(proc.stdout.strip().splitlines()[-1])
        out[str(mb)] = row
        print(f"  {row['mb']:6.1f} {row['lines']:9d} {row['seconds']:8.2f} {row['mb_per_s']:6.2f} {row['cpu_seconds']:7.2f}"
              f" {row['peak_rss_mb']:12.0f} {row['before_mb']:7.0f} {row['growth_per_mb']:19.1f} MB"
              f" {100 * row['kept_share']:4.0f}%")
    rates = [row["mb_per_s"] for row in out.values()]
    print(f"  MB/s from the smallest to the largest: {rates[0]:.2f} -> {rates[-1]:.2f} "
          f"({rates[-1] / rates[0]:.2f} of it: 1.00 is linear)")
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("mode", choices=("lib", "cli", "datatrove", "html", "size", "corpus"))
    ap.add_argument("--devset-dir", help="folder of the devset (default ../shared/devset from the repo root)")
    ap.add_argument("--min-mb", type=float, default=20, help="lib: clean at least this much text (default 20)")
    ap.add_argument("--size-mb", type=int, default=None, help="cli, datatrove, corpus: corpus size in MB "
                    "(default 500; datatrove: 200; corpus: 1000)")
    ap.add_argument("--hosts", type=int, default=5000, help="corpus: synthetic hosts the pages are spread over")
    ap.add_argument("--all-runs", action="store_true", help="corpus: also pass two with --jobs 1, and "
                    "clean --site-repeated, and compare their outputs")
    ap.add_argument("--rounds", type=int, help="cli: run --jobs 1 and --jobs 2 in turn this many times "
                    "and keep the best of each (default 1); datatrove: run the four pipelines in turn (default 3)")
    ap.add_argument("--model", action="store_true", help="cli: also `cleaner clean --jobs 1 --model`, and the "
                    "learned labeller's share of its time")
    ap.add_argument("--limit", type=int, help="html: only the first N pages")
    ap.add_argument("--sizes", default="1,10,100", help="size: document sizes in MB (default 1,10,100)")
    ap.add_argument("--doc", choices=("pages", "blocks"), default="pages",
                    help="size: the document, devset pages one after the other or a block repeated (see one_document)")
    ap.add_argument("--child", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--json", metavar="FILE", help="write the numbers as JSON")
    args = ap.parse_args(argv)
    devset = devset_path(args.devset_dir)
    if args.size_mb is None:
        args.size_mb = {"datatrove": 200, "corpus": 1000}.get(args.mode, 500)
    if args.rounds is None:
        args.rounds = 3 if args.mode == "datatrove" else 1
    if args.child is not None:
        return _size_child(devset, args.child, args.doc)
    print(machine())
    data = {"lib": mode_lib, "cli": mode_cli, "datatrove": mode_datatrove, "html": mode_html, "size": mode_size,
            "corpus": mode_corpus}[args.mode](args, devset)
    write_json(args.json, {args.mode: data})


if __name__ == "__main__":
    main()
