"""The hooks of .pre-commit-hooks.yaml, run by the real `pre-commit` in a temporary git repository.

The hook repository is a copy of this checkout's package files committed to a
temporary git repository (the checkout's HEAD may not hold the files being
worked on). pre-commit installs it into its own virtualenv as it would for a
user. The test runs offline: the install is told not to fetch dependencies,
and the hook then finds them (regex, langdetect, ...) in this test's
virtualenv through PYTHONPATH; `cleaner` itself comes from the hook's own
virtualenv.
"""
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from cleaner import explain

from .conftest import ROOT, read_exact

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(shutil.which("git") is None or not (BIN / "pre-commit").exists(),
                                reason="needs git and pre-commit")


def _env(home: Path, **extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PRE_COMMIT", "GIT_", "VIRTUAL_ENV"))}
    env.update(PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", PRE_COMMIT_HOME=str(home),
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.org",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.org")
    env.pop("PYTHONPATH", None)
    env.update(extra)
    return env


def _git(cwd: Path, *args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def hooks(tmp_path_factory):
    """(hook repo path, commit sha, environment for commits) with the hook environments installed."""
    base = tmp_path_factory.mktemp("precommit")
    repo = base / "hook-repo"
    repo.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "cleaner", repo / "cleaner", ignore=ignore)
    shutil.copytree(ROOT / "rules", repo / "rules", ignore=ignore)
    for name in ("pyproject.toml", ".pre-commit-hooks.yaml"):
        shutil.copyfile(ROOT / name, repo / name)
    readme = ROOT / "README.md"
    (repo / "README.md").write_text(readme.read_text(encoding="utf-8") if readme.exists() else "# cleaner\n")
    home = base / "cache"
    env = _env(home)
    _git(repo, "init", "-q", env=env)
    _git(repo, "add", "-A", env=env)
    assert _git(repo, "commit", "-q", "-m", "hooks", env=env).returncode == 0
    sha = _git(repo, "rev-parse", "HEAD", env=env).stdout.strip()

    work = _work_repo(base / "installer", repo, sha, ["cleaner-check", "cleaner-fix", "cleaner-golden"], env)
    # Install offline: no index, no dependencies, the build backend the virtualenv brings.
    install = _env(home, PIP_NO_INDEX="1", PIP_NO_DEPS="1", PIP_NO_BUILD_ISOLATION="0")
    done = subprocess.run(["pre-commit", "install-hooks"], cwd=work, env=install, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    site = sysconfig.get_paths()["purelib"]
    return repo, sha, _env(home, PYTHONPATH=site), home


def _work_repo(path: Path, hook_repo: Path, sha: str, ids: list[str], env: dict, args: str = "") -> Path:
    path.mkdir()
    _git(path, "init", "-q", env=env)
    _git(path, "config", "core.autocrlf", "false", env=env)
    hooks = "".join(f"    - id: {i}\n" + (f"      args: {args}\n" if args else "") for i in ids)
    (path / ".pre-commit-config.yaml").write_text(f"repos:\n- repo: {hook_repo}\n  rev: {sha}\n  hooks:\n{hooks}")
    return path


@pytest.fixture
def work(tmp_path, hooks):
    def make(ids: list[str], args: str = "") -> tuple[Path, dict]:
        repo, sha, env, _ = hooks
        path = _work_repo(tmp_path / "work", repo, sha, ids, env, args)
        done = subprocess.run(["pre-commit", "install"], cwd=path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        _git(path, "add", ".pre-commit-config.yaml", env=env)
        return path, env
    return make


def _commit(path: Path, env: dict, *files: str) -> subprocess.CompletedProcess:
    _git(path, "add", *files, env=env)
    return _git(path, "commit", "-m", "corpus", env=env)


def _committed(path: Path, env: dict) -> bool:
    return _git(path, "rev-parse", "--verify", "-q", "HEAD", env=env).returncode == 0


def test_the_installed_hook_loads_the_bundled_rules(hooks, tmp_path):
    from cleaner.rules import RuleSet
    from cleaner.steps import position_rules
    _, _, env, home = hooks
    [installed] = home.glob("repo*/py_env-*/bin/cleaner")
    done = subprocess.run([str(installed), "rules"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) - 1 == len(RuleSet.bundled().all_rules()) + len(position_rules()) + 1  # site.repeated


def test_committing_the_seeds_fails_and_names_their_boilerplate_lines(work):
    path, env = work(["cleaner-check"])
    (path / "corpus").mkdir()
    for seed in SEEDS:
        shutil.copyfile(seed, path / "corpus" / seed.name)
    done = _commit(path, env, ".")
    output = done.stdout + done.stderr
    assert done.returncode != 0 and not _committed(path, env), output
    assert "cleaner check" in output and "Failed" in output
    for seed in SEEDS:
        for d in explain(read_exact(seed)).removed:
            assert f"corpus/{seed.name}:{d.line}: {d.label} ({d.rule_id}): " in output, (seed.name, d)


def test_committing_the_golden_files_passes(work):
    path, env = work(["cleaner-check"])
    (path / "corpus").mkdir()
    for seed in SEEDS:
        shutil.copyfile(ROOT / "golden" / seed.name, path / "corpus" / seed.name)
    done = _commit(path, env, ".")
    assert done.returncode == 0, done.stdout + done.stderr
    assert _committed(path, env)
    assert "cleaner check" in done.stdout + done.stderr and "Passed" in done.stdout + done.stderr


def test_the_fix_hook_turns_each_seed_into_its_golden_file(work):
    path, env = work(["cleaner-fix"])
    (path / "corpus").mkdir()
    for seed in SEEDS:
        shutil.copyfile(seed, path / "corpus" / seed.name)
    first = _commit(path, env, ".")
    assert first.returncode != 0 and not _committed(path, env)
    assert "files were modified by this hook" in first.stdout + first.stderr
    for seed in SEEDS:
        assert (path / "corpus" / seed.name).read_bytes() == (ROOT / "golden" / seed.name).read_bytes()
    second = _commit(path, env, ".")
    assert second.returncode == 0, second.stdout + second.stderr


def test_json_lines_go_through_the_hooks_too(work):
    import json
    path, env = work(["cleaner-fix"])
    lines = [json.dumps({"id": s.stem, "text": read_exact(s)}) + "\n" for s in SEEDS]
    (path / "corpus").mkdir()
    (path / "corpus" / "pages.jsonl").write_text("".join(lines))
    assert _commit(path, env, ".").returncode != 0
    got = [json.loads(line)["text"] for line in (path / "corpus" / "pages.jsonl").read_text().splitlines()]
    assert got == [read_exact(ROOT / "golden" / s.name) for s in SEEDS]
    assert _commit(path, env, ".").returncode == 0


def test_the_golden_hook(work):
    path, env = work(["cleaner-golden"], args="[seeds, golden]")
    shutil.copytree(ROOT / "seeds", path / "seeds")
    shutil.copytree(ROOT / "golden", path / "golden")
    assert _commit(path, env, ".").returncode == 0
    broken = path / "golden" / SEEDS[0].name
    broken.write_bytes(b"A line the cleaner would keep.\n" + broken.read_bytes())
    done = _commit(path, env, ".")
    assert done.returncode != 0 and "-A line the cleaner would keep." in done.stdout + done.stderr


#: Text files a repository holds beside a corpus (or in it) that are no corpus documents.
#: Written for this test: a copyright line, and lines broken in mid-sentence the join step would glue.
NOT_DOCUMENTS = {
    "LICENSE.txt": "Copyright (c) 2026 The Example Authors\n\nPermission is hereby granted, free of charge, to any\n"
                   "person obtaining a copy of this software, to deal in the\nsoftware without restriction.\n",
    "README.txt": "Example project\nRead more\nThe files in this folder were gathered from\npublic pages.\n",
    "requirements.txt": "regex>=2023.0\nShare\n",
    "docs/CMakeLists.txt": "cmake_minimum_required(VERSION 3.20)\nproject(example\nLANGUAGES C)\n",
    "corpus/LICENSE.txt": "Copyright 2026 Example Corpus Team. All rights reserved.\nThe pages are shared for\n"
                          "research use only.\n",
    "corpus/README.txt": "Pages of the example corpus.\nRead more\n",
}


@pytest.mark.parametrize("hook", ["cleaner-fix", "cleaner-check"])
def test_the_default_hooks_leave_files_that_are_not_corpus_documents_alone(work, hook):
    path, env = work([hook])
    for name, text in NOT_DOCUMENTS.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_bytes(text.encode("utf-8"))
    assert any(explain(text).text != text for text in NOT_DOCUMENTS.values())  # the cleaner would change them
    shutil.copyfile(SEEDS[0], path / "corpus" / SEEDS[0].name)
    done = _commit(path, env, ".")
    assert done.returncode != 0, done.stdout + done.stderr  # the corpus document holds boilerplate
    for name, text in NOT_DOCUMENTS.items():
        assert (path / name).read_bytes() == text.encode("utf-8"), name
        assert name not in done.stdout + done.stderr
