"""Helpers shared by the bench scripts: paths, the machine line, devset loading."""
from __future__ import annotations

import json
import os
import platform
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: The development sets are not shipped: they sit beside the checkout, in
#: ../shared/devset (tf-dev.jsonl, tf-dev-html.tar.gz, dragnet-dev.jsonl ...,
#: described by the README there), or wherever --devset-dir says.
DEFAULT_DEVSET = REPO.parent / "shared" / "devset"
WHERE = ("the development sets are not part of the repository: the benchmarks read them from "
         f"{DEFAULT_DEVSET} (../shared/devset beside the checkout) or from the folder given with --devset-dir DIR")
#: The sets labelled line by line (1 content, 0 boilerplate, null no word character).
LABELLED_SETS = ("dragnet-dev", "cev-dev", "wcxb-dev")
DATA = Path(__file__).resolve().parent / "data"  # git-ignored cache

# The devset README: "case-sensitive substrings after collapsing runs of
# whitespace to one space". Nothing else (no strip, no case folding).
_WS = re.compile(r"\s+")
# The same line breaks as cleaner.document, so line numbers match decisions.
BREAK = re.compile(r"\r\n|\n|\r")


def norm(s: str) -> str:
    return _WS.sub(" ", s)


def devset_path(arg: str | None) -> Path:
    return Path(arg).resolve() if arg else DEFAULT_DEVSET


def require(path: Path) -> Path:
    """`path` of a development set, named on standard output; a clear exit when it is absent."""
    if not path.exists():
        print(f"bench: {path} not found; {WHERE}", file=sys.stderr)
        sys.exit(2)  # a usage error, as the CLI's
    print(f"data: {path}")
    return path


def load_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    require(path)
    out = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if limit is not None and len(out) >= limit:
                break
            out.append(json.loads(line))
    return out


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    # Other work on the machine skews every timing: say how busy it was.
    load = "load average %.2f %.2f %.2f" % os.getloadavg()
    return f"machine: {model}, {cores} cores, Python {platform.python_version()} ({sys.executable}); {load}"


def rate(num: float, den: float) -> str:
    return f"{num / den:.3f}" if den else "  n/a"


def write_json(path: str | None, data: dict) -> None:
    if path:
        Path(path).write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nwrote {path}")
