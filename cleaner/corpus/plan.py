"""A corpus on disk: which files a run takes and where each one goes.

Files are listed before anything is read, in a stable order, so that a file
that vanishes later is met as a read error in its turn (see read.py).
"""
from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..config import Config, Configs
from .formats import FORMAT_NAMES, Format, compression_of, detect
from .globs import glob_matches
from .stdin import starts_with_record
from .tasks import CHUNK_BYTES

STDIN = "-"


class UsageError(ValueError):
    """Arguments that cannot work together; nothing has been read or written."""


@dataclass(frozen=True)
class Job:
    """One input file and what becomes of it."""

    src: Path | None  # None: standard input
    name: str  # how messages name it
    fmt: Format
    dst: Path | None  # the output file; None: standard output, or no output (check)
    size: int = 0  # bytes on disk when the run was planned, for the progress bar
    sidecar: Path | None = None  # where its metadata goes (--metadata, text and HTML files only)
    setting: int = 0  # its configuration: the index in the run's Configs.all

    @property
    def in_place(self) -> bool:
        return self.src is not None and self.dst == self.src


def plan(paths: Sequence[str], config: Config | Configs, *, fmt: str | None = None, out: Path | None = None,
         in_place: bool = False, html: bool = True, metadata: bool = False,
         left_out: Counter | None = None) -> list[Job]:
    """The jobs for `paths` (files and folders, walked recursively), in a stable order.

    With `out`, a folder argument's tree is mirrored under it and a file
    argument lands directly in it; a single input file may also be written to
    `out` itself when `out` names a file of a known format. An HTML page
    becomes text: NAME.html goes to NAME.txt (NAME.html.gz to NAME.txt.gz).
    With `html` False (check) pages in folders are passed over and a page
    named is refused. With `metadata`, each text or HTML file's metadata goes
    to NAME.meta.json beside its output (see `sidecar_of`). `left_out`, when
    given, counts the files passed over: "excluded" by the config's patterns,
    "html" pages that check does not take. With `Configs`, each file gets
    its own configuration (Job.setting), whose exclude patterns it meets.
    """
    left_out = Counter() if left_out is None else left_out
    setting_of = config.index_of if isinstance(config, Configs) else lambda path: 0
    settings = config.all if isinstance(config, Configs) else [config]
    found: list[tuple[Path | None, str, Format, Path, int]] = []
    out_resolved = out.resolve() if out is not None else None
    for arg in paths:
        if arg == STDIN:
            if fmt is None and starts_with_record():
                raise UsageError("standard input looks like JSON Lines (its first line is a JSON object): say "
                                 "how to read it, --format jsonl to clean each record's text or --format "
                                 "text to clean it as one text")
            found.append((None, "<stdin>", Format(fmt or "text"), Path("stdin"), setting_of(None)))
            continue
        path = Path(arg)
        if path.is_dir():
            for file in _walk(path, out_resolved, fmt is not None):
                kind = detect(file, fmt)
                setting = setting_of(file)
                if excluded(file, settings[setting]):
                    left_out["excluded"] += 1
                elif not html and kind.kind == "html":
                    left_out["html"] += 1
                else:
                    found.append((file, str(file), kind, file.relative_to(path), setting))
            continue
        kind = detect(path, fmt)
        if kind is None:
            raise UsageError(f"{path}: unknown format; name it with --format {{{','.join(FORMAT_NAMES)}}}")
        if kind.kind == "html" and not html:
            raise UsageError(f"{path}: HTML is cleaned to text with `cleaner clean`; check takes text and JSON Lines")
        setting = setting_of(path)
        if excluded(path, settings[setting]):
            left_out["excluded"] += 1
        else:
            found.append((path, str(path), kind, Path(path.name), setting))
    jobs: list[Job] = []
    seen: dict[Path, str] = {}
    targets: dict[Path, str] = {}  # outputs and metadata files, so that no two runs' files share a name
    single_file = len(paths) == 1 and len(found) == 1 and not Path(paths[0]).is_dir()
    if out is not None and out.exists() and not out.is_dir() and not (single_file and detect(out) is not None):
        # Said here, before a folder is made inside a file, which the system calls "File exists".
        raise UsageError(f"{out} exists and is not a folder; -o names a folder"
                         + ("" if single_file else " when there are several inputs or a folder"))
    for src, name, kind, rel, setting in found:
        key = src.resolve() if src is not None else None
        if key is not None and key in seen:
            continue  # named twice, or named and found in a folder: clean it once
        if key is not None:
            seen[key] = name
        if kind.kind == "html":
            if in_place:
                # The output is text, not a page: rewriting the page would lose it, and
                # a NAME.txt beside it would be a new file that --in-place does not promise.
                raise UsageError(f"{name}: an HTML page is cleaned to text, not in place; use -o OUT "
                                 f"(or --exclude '*.html' --exclude '*.htm' to leave pages alone)")
            rel = text_name(rel, kind)
        dst = _target(src, rel, out, in_place, single_file)
        produced = "text" if kind.kind == "html" else kind.kind
        if dst is not None and dst == out and detect(out).kind != produced:
            what = "an HTML page, cleaned to text," if kind.kind == "html" else kind.kind
            raise UsageError(f"{name} is {what} but {out} names a {detect(out).kind} file")
        if src is None and (out is not None or in_place):
            raise UsageError("standard input is cleaned to standard output; drop -o and --in-place")
        if dst is not None and not in_place:
            if src is not None and _same_file(src, dst):
                raise UsageError(f"{name}: the output would overwrite the input; use --in-place to mean it")
            clash = targets.get(dst.resolve())
            if clash is not None:
                raise UsageError(f"{name} and {clash} would both be written to {dst}")
            targets[dst.resolve()] = name
        side = None
        if metadata and kind.kind != "jsonl":  # JSON Lines carry their metadata in each record
            if dst is None:
                raise UsageError(f"{name}: --metadata writes NAME.meta.json beside each output file, and "
                                 f"this output is standard output" + ("; use -o" if src is not None else ""))
            side = sidecar_of(dst)
            clash = targets.get(side.resolve())
            if clash is not None:
                raise UsageError(f"the metadata of {name} and {clash} would both be written to {side}")
            targets[side.resolve()] = f"the metadata of {name}"
        jobs.append(Job(src, name, kind, dst, _size(src), side, setting))
    return jobs


def text_name(rel: Path, fmt: Format) -> Path:
    """Where the text of a page goes: NAME.txt for NAME.html, NAME.txt.gz for NAME.html.gz."""
    zipped = rel.suffix if fmt.compression else ""
    return (rel.with_suffix("") if zipped else rel).with_suffix(".txt" + zipped)


def sidecar_of(output: Path) -> Path:
    """The metadata file of an output: NAME.meta.json for NAME.txt (and NAME.txt.gz, NAME.md)."""
    return (output.with_suffix("") if compression_of(output) else output).with_suffix(".meta.json")


def _target(src: Path | None, rel: Path, out: Path | None, in_place: bool, single_file: bool) -> Path | None:
    if in_place:
        return src
    if out is None:
        return None
    if single_file and not out.is_dir() and detect(out) is not None:
        return out
    return out / rel


def _walk(top: Path, skip: Path | None, every_file: bool) -> Iterator[Path]:
    """Files under `top` in name order; hidden entries and the output folder are left out."""
    for folder, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and (skip is None or Path(folder, d).resolve() != skip))
        for name in sorted(files):
            file = Path(folder, name)
            if not name.startswith(".") and (every_file or detect(file) is not None):
                yield file


def excluded(path: Path, config: Config) -> bool:
    """True when a pattern of `config.exclude` matches `path` (see globs.py)."""
    if not config.exclude:
        return False
    root = (config.root or Path.cwd()).resolve()
    try:
        rel = path.resolve().relative_to(root).as_posix()
    except ValueError:
        rel = path.as_posix()
    return any(glob_matches(pattern, rel) for pattern in config.exclude)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _size(src: Path | None) -> int:
    try:
        return src.stat().st_size if src is not None else 0
    except OSError:
        return 0


#: Workers start in about half a second (a fork server that loads the package, then the
#: rules), in which this process cleans a few MB of text: below this much input per worker,
#: starting one costs more than it saves. For `check`, which a pre-commit hook runs on the
#: few files of a commit.
WORKER_BYTES = 4 << 20


def useful_workers(jobs: Sequence[Job], requested: int, per_worker: int = 0) -> int:
    """No more workers than there can be tasks: a small input is cleaned in this process.

    With `per_worker`, also no more than one for each `per_worker` bytes of input
    (compressed files count several times their size on disk, as they hold that much text).
    """
    tasks = 0
    work = 0
    for job in jobs:
        # Compressed text is several times its size on disk.
        size = job.size * (4 if job.fmt.compression else 1)
        work += size
        if job.fmt.kind != "jsonl":
            tasks += 1
        elif job.src is None:
            return requested  # standard input: no size to go by
        else:
            tasks += 1 + size // CHUNK_BYTES
        if tasks >= requested and (not per_worker or work >= requested * per_worker):
            return requested
    if per_worker:
        tasks = min(tasks, 1 + work // per_worker)
    return max(1, min(requested, tasks))
