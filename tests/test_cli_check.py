"""`cleaner check`: exit codes, the per-line report, --diff, and the fix mode (--write)."""
import gzip
import json
import os
import shutil
import subprocess

import pytest

from cleaner import clean, explain
from cleaner.cli import main

from .conftest import ROOT, read_exact

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _copy(tmp_path, source, name):
    shutil.copyfile(source, tmp_path / name)
    return name


def test_clean_files_pass(capsys):
    assert main(["check", *(str(ROOT / "golden" / s.name) for s in SEEDS)]) == 0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_a_seed_fails_naming_each_line_with_label_and_rule(tmp_path, capsys, seed):
    name = _copy(tmp_path, seed, "seed.txt")
    assert main(["check", name]) == 1
    out = capsys.readouterr().out.splitlines()
    changed = [d for d in explain(read_exact(seed)).decisions if d.removed or d.label == "join"]
    assert len(out) == len(changed) > 0
    for row, d in zip(out, changed):
        assert row.startswith(f"seed.txt:{d.line}: {d.label} ({d.rule_id}): ")
        assert d.text.strip().startswith(row.split("): ", 1)[1].rstrip("…"))


def test_json_lines_report_names_file_line_record_and_id(tmp_path, capsys):
    lines = [json.dumps({"id": "clean", "text": read_exact(ROOT / "golden" / SEEDS[0].name)}),
             json.dumps({"id": "dirty", "text": read_exact(SEEDS[1])})]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n")
    assert main(["check", "c.jsonl"]) == 1
    out = capsys.readouterr().out.splitlines()
    first = next(d for d in explain(read_exact(SEEDS[1])).decisions if d.removed or d.label == "join")
    assert out[0].startswith(f"c.jsonl:2: record 1 (id dirty), line {first.line}: {first.label} ({first.rule_id}): ")
    assert all(row.startswith("c.jsonl:2: record 1 (id dirty), line ") for row in out)


@pytest.mark.skipif(shutil.which("patch") is None, reason="needs patch(1)")
def test_diff_is_a_unified_diff_that_patch_applies(tmp_path, capsys):
    name = _copy(tmp_path, SEEDS[0], "seed.txt")
    assert main(["check", "--diff", name]) == 1
    diff = capsys.readouterr().out
    assert diff.startswith("--- seed.txt\toriginal\n+++ seed.txt\tcleaned\n@@ ")
    (tmp_path / "seed.diff").write_text(diff)
    subprocess.run(["patch", "-s", "-p0", "-i", "seed.diff"], cwd=tmp_path, check=True)
    assert (tmp_path / "seed.txt").read_bytes() == (ROOT / "golden" / SEEDS[0].name).read_bytes()


def test_write_fixes_only_the_files_that_change(tmp_path, capsys):
    seed = _copy(tmp_path, SEEDS[0], "seed.txt")
    done = _copy(tmp_path, ROOT / "golden" / SEEDS[1].name, "done.txt")
    before = os.stat(done)
    assert main(["check", "--write", seed, done]) == 1
    assert capsys.readouterr().out.startswith("fixed seed.txt: ")
    assert (tmp_path / seed).read_bytes() == (ROOT / "golden" / SEEDS[0].name).read_bytes()
    after = os.stat(done)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert main(["check", "--write", seed, done]) == 0
    assert main(["check", seed, done]) == 0


def test_write_fixes_compressed_json_lines(tmp_path):
    records = [json.dumps({"id": i, "text": read_exact(s)}) for i, s in enumerate(SEEDS)]
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress(("\n".join(records) + "\n").encode()))
    assert main(["check", "--write", "c.jsonl.gz"]) == 1
    got = [json.loads(line) for line in gzip.decompress((tmp_path / "c.jsonl.gz").read_bytes()).splitlines()]
    assert [r["text"] for r in got] == [clean(read_exact(s)) for s in SEEDS]
    assert main(["check", "c.jsonl.gz"]) == 0


def test_check_walks_folders_and_a_bad_file_makes_it_exit_2(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    _copy(tmp_path, SEEDS[0], "docs/seed.txt")
    (tmp_path / "docs" / "broken.txt").write_bytes(b"caf\xe9\n")
    assert main(["check", "docs"]) == 2
    out = capsys.readouterr()
    assert "docs/broken.txt: invalid UTF-8 at line 1 (byte 3)" in out.err
    assert "docs/seed.txt:" in out.out
    assert main(["check", "docs", "--skip-bad"]) == 1
