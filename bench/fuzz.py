"""Fuzz the cleaning contract: no crash, idempotence, joins of neighbours only,
no other character changed, the final line break kept, explain() replaying.

    .venv/bin/python bench/fuzz.py [--docs 100000] [--seed 0] [--jobs 2]
    .venv/bin/python bench/fuzz.py --devset [--devset-dir DIR]
    .venv/bin/python bench/fuzz.py --model ...    # with the learned labeller on

Generated documents are deterministic for a seed. Their lines come from real
extracted text: the repo's seeds/, tests/negatives/ and the examples of the
bundled rules (boilerplate that the rules know, so that removals are common),
plus the texts of ../shared/devset/*.jsonl when that directory is there (the
script says which it used). Each document is one of: real lines shuffled,
lines mutated (words cut, shrunk to letters, case changed, a dash or comma
appended), random Unicode, long lines, or a byte-level mutation of one of
those decoded with errors='replace'; and it is laid out with LF, CRLF, CR or
mixed breaks, blank lines or not, a final break or not.

`--devset` runs every page (`text` field) of every devset JSON Lines file.
Breaks are reported by kind, with a few examples shrunk to a small case.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import signal
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import REPO, devset_path, machine  # noqa: E402

from cleaner import Cleaner, Config  # noqa: E402
from cleaner.contract import KINDS, breaks  # noqa: E402

EXAMPLES_PER_KIND = 3
HANG_SECONDS = 30
SHRINK_TRIES = 400
_CHUNK = 200

_cleaner: Cleaner | None = None
_pools: tuple[list[str], list[str]] = ([], [])


def repo_lines() -> list[str]:
    lines = []
    for path in sorted([*(REPO / "seeds").glob("*.txt"), *(REPO / "tests" / "negatives").glob("*.txt")]):
        lines += [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    for path in sorted((REPO / "rules").glob("*.toml")):
        for table in tomllib.loads(path.read_text(encoding="utf-8")).values():
            for rule in table if isinstance(table, list) else []:
                lines += rule.get("examples", []) + rule.get("counter_examples", [])
    return lines


def devset_pages(devset: Path) -> dict[str, list[str]]:
    pages = {}
    for path in sorted(devset.glob("*.jsonl")):
        with path.open(encoding="utf-8") as f:
            pages[path.name] = [json.loads(line)["text"] for line in f if line.strip()]
    return pages


# --- generation ---------------------------------------------------------------------

_ALPHABETS = ["abcdefghijklmnopqrstuvwxyz", "äöüßéèàçñóíú", "ΑαΒβΓγΔδ", "ЖжЗзИиКк", "中文字", "مرحبا",
              " \t\u00a0\u2028\u200b", ".,;:!?-—–…'\"’”»«()[]/", "0123456789", "\ufeff\x00\x0b\x0c\x1c\x85"]


def _mutate_line(rng: random.Random, line: str) -> str:
    words = line.split()
    if not words:
        return line
    kind = rng.randrange(9)
    if kind == 0:  # cut to a few words
        start = rng.randrange(len(words))
        words = words[start:start + rng.randint(1, 6)]
    elif kind == 1:  # every word shrunk to a letter: the shape of a line without its sense
        words = [w[0] if rng.random() < 0.8 else w for w in words]
    elif kind == 2:
        return line.lower() if rng.random() < 0.5 else line.upper()
    elif kind == 3:
        return line.rstrip() + rng.choice([" -", " —", ",", ":", " says:", "...", " …", " and"])
    elif kind == 4:
        return rng.choice(["By ", "Von ", "Par ", "— ", "Comment ", "Read more: "]) + line
    elif kind == 5:  # random letters replaced
        chars = list(line)
        for _ in range(rng.randint(1, 5)):
            chars[rng.randrange(len(chars))] = rng.choice(rng.choice(_ALPHABETS))
        return "".join(chars)
    elif kind == 6:
        rng.shuffle(words)
    elif kind == 7:
        return line[: rng.randint(1, len(line))]
    else:
        return line
    return " ".join(words)


def _random_line(rng: random.Random) -> str:
    n = rng.choice([1, 3, 10, 40, 120])
    if rng.random() < 0.3:
        return "".join(chr(rng.randrange(0x20, 0x3000)) for _ in range(n))
    alphabet = rng.choice(_ALPHABETS[:6]) + " "
    return "".join(rng.choice(alphabet) for _ in range(n))


def _layout(rng: random.Random, lines: list[str]) -> str:
    style = rng.randrange(6)
    brk = {0: "\n", 1: "\n", 2: "\r\n", 3: "\r"}.get(style, "\n")
    out = []
    for i, line in enumerate(lines):
        out.append(line)
        if i + 1 < len(lines):
            if style == 4:  # mixed breaks and blank lines
                out.append(rng.choice(["\n", "\n\n", "\r\n", "\n \n", "\n\n\n", "\r"]))
            elif style == 1 or (style == 5 and rng.random() < 0.3):
                out.append(brk + rng.choice(["", " ", "\t"]) + brk)
            else:
                out.append(brk)
    lead = rng.choice(["", "", "", "\n", " \n", brk])
    tail = rng.choice(["", brk, brk, brk + brk, " "])
    return lead + "".join(out) + tail


def _byte_mutation(rng: random.Random, text: str) -> str:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 8)):
        if not data:
            break
        op, pos = rng.randrange(3), rng.randrange(len(data))
        if op == 0:
            data[pos] = rng.randrange(256)
        elif op == 1:
            del data[pos]
        else:
            data.insert(pos, rng.choice([0x0a, 0x0d, 0x20, 0xc3, 0xe2, rng.randrange(256)]))
    return data.decode("utf-8", errors="replace")


def generate(seed: int, index: int, pools: tuple[list[str], list[str]]) -> str:
    """Document `index` of `seed`; its lines come from the devset two times in three, else (or when there is no devset)
    from the repo."""
    rng = random.Random(f"{seed}-{index}")
    repo, dev = pools
    pool = dev if dev and rng.random() < 0.65 else repo
    kind = rng.randrange(10)
    if kind == 0:
        lines = [_random_line(rng) for _ in range(rng.randint(1, 12))]
    else:
        start = rng.randrange(len(pool))
        if rng.random() < 0.5:  # a run of neighbouring lines: the shape of a page
            lines = pool[start:start + rng.randint(1, 40)]
        else:
            lines = [rng.choice(pool) for _ in range(rng.randint(1, 25))]
        if kind in (1, 2, 3, 4, 5):
            lines = [_mutate_line(rng, ln) if rng.random() < 0.6 else ln for ln in lines]
        if kind == 6:
            rng.shuffle(lines)
        if kind == 7 and lines:
            i = rng.randrange(len(lines))
            lines[i] = (lines[i] + " ") * rng.randint(20, 200)
    text = _layout(rng, lines)
    if kind == 8 or rng.random() < 0.05:
        text = _byte_mutation(rng, text)
    return text


# --- running ------------------------------------------------------------------------


#: The settings fuzzed: --model turns the learned labeller on (worker processes are forked: they inherit it).
_config = Config()


def _init(pools: tuple[list[str], list[str]]) -> None:
    global _cleaner, _pools
    _cleaner, _pools = Cleaner(_config), pools


class _Hang(Exception):
    pass


def _alarm(*_):
    raise _Hang


def _check(text: str) -> list[tuple[str, str]]:
    """The breaks of one document; one that takes over HANG_SECONDS is a hang (an endless loop)."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(HANG_SECONDS)
    try:
        return [(kind, text) for kind in breaks(_cleaner, text)]
    except _Hang:
        return [("hang", text)]
    finally:
        signal.alarm(0)


def _run_generated(args: tuple[int, int, int]) -> tuple[int, list[tuple[str, str]]]:
    seed, start, stop = args
    found = []
    for i in range(start, stop):
        found += _check(generate(seed, i, _pools))
    return stop - start, found


def _run_texts(texts: list[str]) -> tuple[int, list[tuple[str, str]]]:
    found = []
    for text in texts:
        found += _check(text)
    return len(texts), found


def shrink(cleaner: Cleaner, text: str, kind: str) -> str:
    """A smaller text that breaks the same way: lines, then words, then characters dropped."""
    tries = 0

    def fails(candidate: str) -> bool:
        nonlocal tries
        tries += 1
        return kind in breaks(cleaner, candidate)

    def reduce(parts: list[str], joiner: str) -> list[str]:
        i = 0
        while i < len(parts) and tries < SHRINK_TRIES:
            candidate = parts[:i] + parts[i + 1:]
            if candidate and fails(joiner.join(candidate)):
                parts = candidate
            else:
                i += 1
        return parts

    lines = reduce(text.splitlines(keepends=True), "")
    out = []
    for n, line in enumerate(lines):
        rest = "".join(lines[n + 1:])
        body, end = line.rstrip("\r\n"), line[len(line.rstrip("\r\n")):]
        words = body.split(" ")
        i = 0
        while i < len(words) and tries < SHRINK_TRIES:
            for candidate in (words[:i] + words[i + 1:], words[:i] + [words[i][:1]] + words[i + 1:]):
                if candidate != words and " ".join(candidate).strip() \
                        and fails("".join(out) + " ".join(candidate) + end + rest):
                    words = candidate
                    break
            else:
                i += 1
        out.append(" ".join(words) + end)
    return "".join(out)


def report(title: str, docs: int, found: list[tuple[str, str]], seconds: float, do_shrink: bool) -> dict:
    counts = Counter(kind for kind, _ in found)
    broken = len({text for _, text in found})
    print(f"{title}: {docs} documents in {seconds:.0f} s, {broken} with a break")
    for kind in ("hang", *KINDS):
        if counts[kind]:
            print(f"  {kind}: {counts[kind]}")
    examples = {}
    cleaner = Cleaner(_config)
    for kind in ("hang", *KINDS):
        texts = [text for k, text in found if k == kind][:EXAMPLES_PER_KIND]
        if texts:  # a hang is shown as it came: shrinking would run it again
            examples[kind] = [shrink(cleaner, t, kind) if do_shrink and kind != "hang" else t for t in texts]
            for t in examples[kind]:
                print(f"    {kind}: {t!r}")
    return {"documents": docs, "broken": broken, "breaks": dict(counts), "examples": examples}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--devset", action="store_true", help="run every page of the devset instead")
    parser.add_argument("--devset-dir")
    parser.add_argument("--no-shrink", action="store_true")
    parser.add_argument("--model", action="store_true", help="with the learned labeller on")
    parser.add_argument("--json")
    args = parser.parse_args(argv)
    global _config
    _config = Config(model=args.model)
    devset = devset_path(args.devset_dir)
    print(machine())
    lines = repo_lines()
    print(f"lines from the repo: {len(lines)} (seeds/, tests/negatives/, rule examples)")
    pages = devset_pages(devset) if devset.is_dir() else {}
    if not pages:
        print(f"no devset at {devset}: generating from the repo's lines only")
        if args.devset:
            sys.exit(f"fuzz: --devset needs {devset}")
    started = time.perf_counter()
    results = {}
    if args.devset:
        with multiprocessing.get_context("fork").Pool(args.jobs, _init, ((lines, []),)) as pool:
            for name, texts in pages.items():
                t0 = time.perf_counter()
                done, found = 0, []
                for n, f in pool.imap(_run_texts, [texts[i:i + 20] for i in range(0, len(texts), 20)]):
                    done, found = done + n, found + f
                results[name] = report(name, done, found, time.perf_counter() - t0, not args.no_shrink)
    else:
        dev_lines = [ln for texts in pages.values() for text in texts for ln in text.splitlines() if ln.strip()]
        if dev_lines:
            print(f"lines from {devset}: {len(dev_lines)} ({', '.join(pages)})")
        with multiprocessing.get_context("fork").Pool(args.jobs, _init, ((lines, dev_lines),)) as pool:
            tasks = [(args.seed, i, min(i + _CHUNK, args.docs)) for i in range(0, args.docs, _CHUNK)]
            done, found = 0, []
            for n, f in pool.imap_unordered(_run_generated, tasks):
                done, found = done + n, found + f
                if sys.stderr.isatty():
                    print(f"\r{done}/{args.docs}", end="", file=sys.stderr, flush=True)
            print(file=sys.stderr)
        results["generated"] = report(f"generated (seed {args.seed})", done, found,
                                      time.perf_counter() - started, not args.no_shrink)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if any(r["broken"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
