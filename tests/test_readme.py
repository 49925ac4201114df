"""The README's examples, run as written.

Every fenced block runs. A shell line runs in a folder holding the files it
reads, made from the seeds by their names (see `_fixture`); the Python block
with `raw` a seed page; a TOML block that holds `[[step]]` tables as the rule
file its first comment names, the other as a config; the YAML block as the
`.pre-commit-config.yaml` of a temporary git repository that holds a corpus
and a LICENSE.txt. A block after `<!-- not run: why -->` is skipped, and the
reason must be given. New examples are picked up as they are added.
"""
from __future__ import annotations

import gzip
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest

from cleaner.cli import build_parser

from .conftest import ROOT, read_exact

README = ROOT / "README.md"
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
BIN = Path(sys.executable).parent
PATH = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"  # `cleaner` is this venv's
NOT_RUN = re.compile(r"<!-- not run: (.+?) -->")
DATA = (".jsonl.zst", ".jsonl.gz", ".jsonl", ".txt", ".html", ".htm")
LICENSE = ("Copyright (c) 2026 The Example Authors\n\nPermission is hereby granted, free of charge, to any\n"
           "person obtaining a copy of this software, to deal in the\nsoftware without restriction.\n")


@dataclass
class Block:
    lang: str
    text: str
    line: int
    not_run: str | None

    @property
    def path(self) -> str | None:
        """The file the block is, when its first line is a comment naming one (`# rules/team.toml`)."""
        first = self.text.split("\n", 1)[0]
        found = re.match(r"#\s*([\w./-]+\.(?:toml|ya?ml))\b", first)
        return found.group(1) if found else None


def _blocks() -> list[Block]:
    lines = README.read_text(encoding="utf-8").splitlines()
    blocks, i = [], 0
    while i < len(lines):
        opening = re.match(r"```(\w+)\s*$", lines[i])
        if not opening:
            i += 1
            continue
        before = next((ln for ln in reversed(lines[:i]) if ln.strip()), "")
        end = lines.index("```", i + 1)
        marker = NOT_RUN.search(before)
        blocks.append(Block(opening.group(1), "\n".join(lines[i + 1:end]) + "\n", i + 1,
                            marker.group(1) if marker else None))
        i = end + 1
    return blocks


BLOCKS = _blocks()


def _commands() -> list[tuple[str, str]]:
    """(where, command) for every shell line of every block that runs; `\\` continues a line."""
    found = []
    for block in BLOCKS:
        if block.lang not in ("bash", "sh", "shell") or block.not_run:
            continue
        for n, command in enumerate(block.text.replace("\\\n", " ").splitlines()):
            if command.strip() and not command.lstrip().startswith("#"):
                found.append((f"README.md:{block.line + 1 + n}", command))
    return found


COMMANDS = _commands()


def test_the_readme_has_examples_and_few_go_unrun():
    assert {"bash", "python", "toml", "yaml"} <= {b.lang for b in BLOCKS}
    assert len(COMMANDS) >= 8
    skipped = [b for b in BLOCKS if b.not_run]
    assert len(skipped) <= 2, [(b.line, b.not_run) for b in skipped]
    assert all(len(b.not_run.split()) >= 3 for b in skipped)  # a reason, not a bare marker


# ---- shell lines --------------------------------------------------------------------------------------------

def _segments(command: str) -> list[list[str]]:
    """The simple commands of a line (split at |, && and ;), redirections dropped with their targets."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split, lexer.commenters = True, "#"
    segments, current, skip = [], [], False
    for token in lexer:
        if token in ("|", "&&", ";", "||"):
            segments.append(current)
            current = []
        elif token in (">", ">>", "2>", "<"):
            skip = True
        elif skip:
            skip = False
        else:
            current.append(token)
    return [s for s in [*segments, current] if s]


def _redirects(command: str) -> list[str]:
    return re.findall(r"(?<![2&])>\s*([\w./-]+)", command.split("#")[0])


def _cleaner_args(segment: list[str]):
    if Path(segment[0]).name != "cleaner":
        return None
    return build_parser().parse_args(segment[1:])


def _inputs(args) -> list[str]:
    if args.command == "golden":
        return [str(args.seeds), str(args.golden)]
    if args.command == "rules":
        return [str(p) for p in args.check or ()]
    return [p for p in getattr(args, "paths", ()) if p != "-"]


def _page(text: str) -> str:
    lines = text.splitlines()
    body = "".join(f"<p>{line}</p>\n" for line in lines[1:])
    return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{lines[0]}</title></head>"
            f"<body><article><h1>{lines[0]}</h1>\n{body}</article></body></html>\n")


def _records(fields: set[str]) -> bytes:
    """One JSON record per seed: its text in every text field, a page made from it in every HTML field."""
    out = []
    for seed in SEEDS:
        text = read_exact(seed)
        record = {"id": seed.stem}
        for name in fields:
            record[name] = _page(text) if name.startswith("html") else text
        out.append(json.dumps(record, ensure_ascii=False) + "\n")
    return "".join(out).encode("utf-8")


def _fixture(where: Path, name: str, fields: set[str]) -> None:
    """The input `name`: by its extension; a folder is the seeds, as pages when it is named for pages."""
    path = where / name
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if name.rstrip("/") in ("seeds", "golden"):
        shutil.copytree(ROOT / name.rstrip("/"), path)
    elif name.endswith(".jsonl.zst"):
        import zstandard
        path.write_bytes(zstandard.ZstdCompressor().compress(_records(fields)))
    elif name.endswith(".jsonl.gz"):
        path.write_bytes(gzip.compress(_records(fields)))
    elif name.endswith(".jsonl"):
        path.write_bytes(_records(fields))
    elif name.endswith(".txt"):
        shutil.copyfile(SEEDS[0], path)
    elif name.endswith((".html", ".htm")):
        path.write_text(_page(read_exact(SEEDS[0])), encoding="utf-8")
    elif name.endswith(".toml"):
        block = next((b for b in BLOCKS if b.path == name), None)
        assert block is not None, f"no README block is {name}"
        path.write_text(block.text, encoding="utf-8")
    elif not path.suffix:
        path.mkdir()
        for seed in SEEDS:
            if "page" in name or "html" in name:
                (path / f"{seed.stem}.html").write_text(_page(read_exact(seed)), encoding="utf-8")
            else:
                shutil.copyfile(seed, path / seed.name)
    else:
        pytest.fail(f"no fixture for {name}: teach tests/test_readme.py how to make one")


def _run(command: str, cwd: Path, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    env = env or {**os.environ, "PATH": PATH}
    return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.parametrize("where,command", COMMANDS, ids=[w for w, _ in COMMANDS])
def test_a_shell_line_of_the_readme_runs(tmp_path, where, command):
    segments = _segments(command)
    for segment in segments:
        if shutil.which(segment[0], path=PATH) is None and not segment[0].startswith(".venv/"):
            pytest.skip(f"{segment[0]} is not installed")
    if "pip install" in command:
        return _installs(tmp_path, command)
    parsed = [a for a in map(_cleaner_args, segments) if a is not None]
    fields = {f for a in parsed for f in (getattr(a, "text_field", None) or "text", getattr(a, "html_field", None))
              if f}
    for segment in segments:
        args = _cleaner_args(segment)
        names = _inputs(args) if args is not None else [t for t in segment[1:] if t.endswith(DATA)]
        for name in names:
            _fixture(tmp_path, name, fields)
    done = _run(command, tmp_path)
    last = parsed[-1]
    expected = 1 if last.command == "check" else 0  # the fixtures hold boilerplate
    assert done.returncode == expected, f"{where}: {command}\n{done.stdout[-2000:]}{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr
    for args in parsed:
        if getattr(args, "output", None) is not None:
            assert any((tmp_path / args.output).rglob("*")), "nothing under -o"
        if getattr(args, "stats", None) not in (None, Path("-")):
            assert json.loads((tmp_path / args.stats).read_text())
        if getattr(args, "removed", None) is not None:
            assert (tmp_path / args.removed).read_text().strip()
    for target in _redirects(command):
        assert (tmp_path / target).stat().st_size > 0, f"{target} is empty"


def _installs(tmp_path: Path, command: str) -> None:
    """A line that installs the package: in a copy of the checkout, offline, the dependencies from this venv."""
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", "build", "data", "cleaned", "tests"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTHON"))}
    # The build backend from the wheels virtualenv carries (pyproject.toml asks for setuptools>=68).
    import virtualenv.seed.wheels.embed as wheels
    env.update(PIP_NO_INDEX="1", PIP_NO_DEPS="1", PIP_FIND_LINKS=str(Path(wheels.__file__).parent),
               PYTHONPATH=sysconfig.get_paths()["purelib"])
    done = _run(command, checkout, env)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for args in filter(None, map(_cleaner_args, _segments(command))):
        if args.command == "clean" and args.output is not None:
            for seed in SEEDS:
                assert (checkout / args.output / seed.name).read_bytes() == (ROOT / "golden" / seed.name).read_bytes()


# ---- Python, TOML ------------------------------------------------------------------------------------------

def _runnable(lang: str) -> list[Block]:
    return [b for b in BLOCKS if b.lang == lang and not b.not_run]


@pytest.mark.parametrize("block", _runnable("python"), ids=lambda b: f"README.md:{b.line}")
def test_a_python_block_of_the_readme_runs(tmp_path, block):
    prelude = f"raw = {read_exact(SEEDS[0])!r}\n"  # the page the prose speaks of
    done = subprocess.run([sys.executable, "-c", prelude + block.text], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr


RULE_BLOCKS = [b for b in _runnable("toml") if re.search(r"^\[\[\w+\]\]", b.text, re.M)]
CONFIG_BLOCKS = [b for b in _runnable("toml") if b not in RULE_BLOCKS]


def _cleaner(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cleaner", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("block", RULE_BLOCKS, ids=lambda b: f"README.md:{b.line}")
def test_a_rule_block_of_the_readme_is_a_sound_rule_file(tmp_path, block):
    import tomllib
    path = tmp_path / (block.path or "rules.toml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(block.text, encoding="utf-8")
    done = _cleaner("rules", "--check", str(path), cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.endswith("ok\n"), done.stderr
    for step, rules in tomllib.loads(block.text).items():
        for rule in rules:
            page = tmp_path / "page.txt"
            page.write_text(read_exact(SEEDS[0]).rstrip("\n") + "\n" + rule["examples"][0] + "\n", encoding="utf-8")
            done = _cleaner("explain", str(page), "--rules", str(path), cwd=tmp_path)
            assert done.returncode == 0 and rule["id"] in done.stdout, done.stderr


@pytest.mark.parametrize("block", CONFIG_BLOCKS, ids=lambda b: f"README.md:{b.line}")
def test_a_config_block_of_the_readme_loads(tmp_path, block):
    import tomllib
    config = tomllib.loads(block.text)
    for name in config.get("extra_rules", []):
        _fixture(tmp_path, name, set())
    (tmp_path / "cleaner.toml").write_text(block.text, encoding="utf-8")
    done = _cleaner("rules", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = {line.split()[1] for line in done.stdout.splitlines()[1:]}
    assert listed and not listed & set(config.get("disabled", []))
    for name in config.get("extra_rules", []):
        for rules in tomllib.loads((tmp_path / name).read_text(encoding="utf-8")).values():
            assert all(rule["id"] in done.stdout for rule in rules)


# ---- the pre-commit block ----------------------------------------------------------------------------------

YAML = _runnable("yaml")


@pytest.mark.skipif(shutil.which("git") is None or not (BIN / "pre-commit").exists(), reason="needs git and pre-commit")
@pytest.mark.parametrize("block", YAML, ids=lambda b: f"README.md:{b.line}")
def test_the_readme_pre_commit_block_works_as_pasted(tmp_path, block):
    from .test_precommit import _env, _git
    assert block.path == ".pre-commit-config.yaml"
    repo = tmp_path / "repo"
    repo.mkdir()
    env = _env(tmp_path / "cache")
    _git(repo, "init", "-q", env=env)
    _git(repo, "config", "core.autocrlf", "false", env=env)
    (repo / ".pre-commit-config.yaml").write_text(block.text, encoding="utf-8")
    for name in ("seeds", "golden"):
        shutil.copytree(ROOT / name, repo / name)
    (repo / "corpus").mkdir()
    for seed in SEEDS:
        shutil.copyfile(seed, repo / "corpus" / seed.name)
    for name in ("LICENSE.txt", "corpus/LICENSE.txt"):
        (repo / name).write_text(LICENSE, encoding="utf-8")
    done = subprocess.run(["pre-commit", "install"], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    _git(repo, "add", ".", env=env)
    first = _git(repo, "commit", "-m", "corpus", env=env)
    output = first.stdout + first.stderr
    assert first.returncode != 0, output  # the corpus holds boilerplate
    assert re.search(r"corpus/\S+\.txt:\d+: \w+ \(\S+\): ", output) or "files were modified" in output, output
    for name in ("LICENSE.txt", "corpus/LICENSE.txt"):
        assert (repo / name).read_text(encoding="utf-8") == LICENSE and name not in output
    for seed in SEEDS:  # cleaned (by hand, or by the fix hook): the commit goes through
        shutil.copyfile(ROOT / "golden" / seed.name, repo / "corpus" / seed.name)
    _git(repo, "add", ".", env=env)
    second = _git(repo, "commit", "-m", "corpus", env=env)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "cleaner golden" in second.stdout + second.stderr


# ---- the benchmarks' data ----------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [[], ["--html"]], ids=["text", "html"])
def test_the_quality_bench_says_where_its_data_comes_from_when_it_is_absent(tmp_path, args):
    (tmp_path / "tf-dev.jsonl").write_text("", encoding="utf-8")  # the HTML run gets as far as the pages
    missing = "tf-dev-html.tar.gz" if args else "dragnet-dev.jsonl"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "quality.py"), "--devset-dir", str(tmp_path), *args],
                          cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "Traceback" not in done.stderr, done.stderr
    assert str(tmp_path / missing) in done.stderr
    assert "not part of the repository" in done.stderr and "../shared/devset" in done.stderr
    assert "--devset-dir" in done.stderr
