"""The commands: clean (files, folders, stdin, stdout), explain, rules, golden, and what they print."""
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner, explain
from cleaner.cli import main
from cleaner.steps import position_rules

from .conftest import ROOT, read_exact

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """Run in an empty folder, so no config file of the checkout is found."""
    monkeypatch.chdir(tmp_path)


def _tree(tmp_path: Path) -> Path:
    """The seeds spread over nested folders, with a file the walk must ignore."""
    src = tmp_path / "corpus"
    for n, seed in enumerate(SEEDS):
        target = src / ("" if n < 2 else f"sub{n % 2}/deeper" if n % 3 else "sub") / seed.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(seed, target)
    (src / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    (src / ".hidden").mkdir()
    shutil.copyfile(SEEDS[0], src / ".hidden" / "skipped.txt")
    return src


def test_clean_mirrors_a_tree_under_out(tmp_path):
    src = _tree(tmp_path)
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "-j", "1", "-q"]) == 0
    outputs = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*") if p.is_file())
    inputs = sorted(p.relative_to(src) for p in src.rglob("*.txt") if ".hidden" not in p.parts)
    assert outputs == inputs
    for rel in outputs:
        assert read_exact(tmp_path / "out" / rel) == read_exact(ROOT / "golden" / rel.name)
        assert read_exact(src / rel) == read_exact(ROOT / "seeds" / rel.name), "an input was touched"


def test_clean_single_file_to_stdout(capsysbinary):
    assert main(["clean", str(SEEDS[0]), "-j", "1", "-q"]) == 0
    assert capsysbinary.readouterr().out == (ROOT / "golden" / SEEDS[0].name).read_bytes()


def test_clean_standard_input(monkeypatch, capsysbinary):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(SEEDS[1].read_bytes())))
    assert main(["clean", "-", "-q"]) == 0
    assert capsysbinary.readouterr().out == (ROOT / "golden" / SEEDS[1].name).read_bytes()


def test_clean_one_file_to_a_named_output_file(tmp_path):
    assert main(["clean", str(SEEDS[2]), "-o", str(tmp_path / "cleaned.txt"), "-q"]) == 0
    assert read_exact(tmp_path / "cleaned.txt") == read_exact(ROOT / "golden" / SEEDS[2].name)


def test_in_place_rewrites_only_the_files_that_change(tmp_path):
    seed = tmp_path / "seed.txt"
    done = tmp_path / "done.txt"
    shutil.copyfile(SEEDS[0], seed)
    shutil.copyfile(ROOT / "golden" / SEEDS[0].name, done)
    os.chmod(seed, 0o640)
    before = os.stat(done)
    assert main(["clean", str(tmp_path), "--in-place", "-j", "1", "-q"]) == 0
    assert read_exact(seed) == read_exact(ROOT / "golden" / SEEDS[0].name)
    assert os.stat(seed).st_mode & 0o777 == 0o640, "permissions of the rewritten input kept"
    after = os.stat(done)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns), "unchanged file rewritten"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["done.txt", "seed.txt"]


def test_in_place_through_a_symlink_rewrites_the_file_and_keeps_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    shutil.copyfile(SEEDS[0], tmp_path / "real" / "seed.txt")
    (tmp_path / "link.txt").symlink_to(tmp_path / "real" / "seed.txt")
    assert main(["clean", "link.txt", "--in-place", "-q"]) == 0
    assert (tmp_path / "link.txt").is_symlink()
    assert read_exact(tmp_path / "real" / "seed.txt") == read_exact(ROOT / "golden" / SEEDS[0].name)


def test_summary_line_and_stats_file(tmp_path, capsys):
    stats = tmp_path / "stats.json"
    assert main(["clean", *map(str, SEEDS), "-o", str(tmp_path / "out"), "-j", "1", "--stats", str(stats)]) == 0
    lines = capsys.readouterr().err.strip().splitlines()
    results = [explain(read_exact(s)) for s in SEEDS]
    removed = sum(len(r.removed) for r in results)
    assert len(lines) == 1 and lines[0].startswith(f"cleaned {len(SEEDS)} documents in {len(SEEDS)} files")
    assert f"{removed} lines removed" in lines[0]
    data = json.loads(stats.read_text())
    assert data["documents"] == len(SEEDS)
    assert data["bytes_in"] == sum(s.stat().st_size for s in SEEDS)
    assert data["bytes_out"] == sum((ROOT / "golden" / s.name).stat().st_size for s in SEEDS)
    assert data["lines_removed"] == removed
    by_label, by_rule = {}, {}
    for d in (d for r in results for d in r.removed):
        by_label[d.label] = by_label.get(d.label, 0) + 1
        by_rule[d.rule_id] = by_rule.get(d.rule_id, 0) + 1
    assert data["removed_by_label"] == by_label
    assert data["removed_by_rule"] == by_rule
    assert data["languages"] == {"en": len(SEEDS)}
    assert isinstance(data["seconds"], float)


def test_removed_file_has_one_record_per_removed_line(tmp_path):
    removed = tmp_path / "removed.jsonl"
    assert main(["clean", str(SEEDS[0]), str(SEEDS[1]), "-o", str(tmp_path / "out"), "-j", "1", "-q",
                 "--removed", str(removed)]) == 0
    got = [json.loads(line) for line in removed.read_text(encoding="utf-8").splitlines()]
    want = [{"file": str(s), "record": None, "id": None, "line": d.line, "label": d.label, "rule": d.rule_id,
             "text": d.text} for s in SEEDS[:2] for d in explain(read_exact(s)).removed]
    assert got == want and got


def test_progress_bar_on_a_terminal_only(tmp_path, monkeypatch):
    class Terminal(io.StringIO):
        def isatty(self):
            return True

    for quiet, tty in ((False, True), (True, True), (False, False)):
        err = Terminal() if tty else io.StringIO()
        monkeypatch.setattr(sys, "stderr", err)
        flags = ["-q"] if quiet else []
        assert main(["clean", str(SEEDS[0]), "-o", str(tmp_path / f"o{quiet}{tty}"), "-j", "1", *flags]) == 0
        text = err.getvalue()
        assert ("docs/s" in text and "B/s" in text) == (tty and not quiet), (quiet, tty, text)
        assert ("cleaned 1 document in 1 file:" in text) == (not quiet)


def test_explain_prints_every_line_with_label_and_rule(capsys):
    assert main(["explain", str(SEEDS[0])]) == 0
    out = capsys.readouterr().out.splitlines()
    result = explain(read_exact(SEEDS[0]))
    assert out[0].startswith(f"# {SEEDS[0]}: language {result.lang}")
    assert len(out) == 1 + len(result.decisions)
    for row, d in zip(out[1:], result.decisions):
        number, label, rule, *text = row.split(None, 3)
        assert (int(number), label, rule) == (d.line, d.label, d.rule_id or "-")
        assert row.endswith(d.text)


def test_explain_a_record_of_json_lines(tmp_path, capsys):
    data = tmp_path / "c.jsonl"
    data.write_text("".join(json.dumps({"id": i, "text": read_exact(s)}) + "\n" for i, s in enumerate(SEEDS)))
    assert main(["explain", str(data), "--record", "2"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"# {data}:3 record 2 (id 2): language en")
    assert len(out) == 1 + len(explain(read_exact(SEEDS[2])).decisions)
    assert main(["explain", str(data), "--record", "9"]) == 2


def test_rules_lists_id_step_zone_and_description(capsys):
    assert main(["rules"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].split() == ["id", "step", "zone", "description"]
    listed = {row.split()[0]: row.split()[1:3] for row in rows[1:]}
    from cleaner.sites.profile import SITE_RULE
    bundled = [*Cleaner().rules.all_rules(), *position_rules(), SITE_RULE]
    assert listed == {r.id: [r.step, r.zone] for r in bundled}
    assert "pos.comment.under-comment-heading" in listed
    assert main(["rules", "--lang", "de", "--step", "teaser"]) == 0
    ids = [row.split()[0] for row in capsys.readouterr().out.splitlines()[1:]]
    assert ids and all(i.split(".")[0] in ("common", "de", "pos") and i.split(".")[1] == "teaser" for i in ids)
    assert main(["rules", "--step", "nonsense"]) == 2


def test_golden_passes_fails_with_a_diff_and_updates(tmp_path, capsys):
    seeds, golden = tmp_path / "seeds", tmp_path / "golden"
    shutil.copytree(ROOT / "seeds", seeds)
    shutil.copytree(ROOT / "golden", golden)
    assert main(["golden", str(seeds), str(golden)]) == 0
    assert f"{len(SEEDS)} of {len(SEEDS)} golden files match" in capsys.readouterr().err

    broken = golden / SEEDS[0].name
    broken.write_bytes(b"An extra line.\n" + broken.read_bytes())
    (golden / SEEDS[1].name).unlink()
    assert main(["golden", str(seeds), str(golden)]) == 1
    out = capsys.readouterr().out
    assert f"--- {broken}\tgolden\n+++ {broken}\tcleaned {seeds / SEEDS[0].name}" in out
    assert "\n-An extra line.\n" in out
    assert f"{golden / SEEDS[1].name}: missing" in out

    assert main(["golden", str(seeds), str(golden), "--update"]) == 1
    for seed in SEEDS:
        assert (golden / seed.name).read_bytes() == (ROOT / "golden" / seed.name).read_bytes()
    assert main(["golden", str(seeds), str(golden)]) == 0


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main([]) == 2
    assert main(["clean"]) == 2
    assert main(["clean", str(SEEDS[0]), "-o", "x", "--in-place"]) == 2
    (tmp_path / "notes.log").write_text("hello\n")
    assert main(["clean", "notes.log"]) == 2
    assert "notes.log: unknown format" in capsys.readouterr().err
    assert main(["clean", "-", "-o", "out"]) == 2
    assert main(["clean", str(SEEDS[0]), "--jobs", "0"]) == 2
    assert main(["golden", "nowhere", "golden"]) == 2


def test_a_bad_rule_file_exits_2_naming_file_and_rule(tmp_path, capsys):
    bad = tmp_path / "mine.toml"
    bad.write_text('[[chrome]]\nid = "mine.chrome.broken"\npattern = "(unclosed"\n'
                   'examples = ["x"]\ncounter_examples = ["y"]\n')
    for command in (["clean", str(SEEDS[0])], ["check", str(SEEDS[0])], ["explain", str(SEEDS[0])], ["rules"]):
        assert main([*command, "--rules", str(bad)]) == 2, command
        err = capsys.readouterr().err
        assert str(bad) in err and "mine.chrome.broken" in err


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "clean" in capsys.readouterr().out


LIGHT = {"tqdm", "zstandard", "gzip", "multiprocessing", "concurrent", "trafilatura", "langdetect",
         "langdetect_rs", "difflib"}


@pytest.mark.parametrize("argv, allowed", [
    (["rules"], set()),
    (["explain", str(SEEDS[0])], {"langdetect", "langdetect_rs"}),
    (["clean", str(SEEDS[0]), "-j", "1"], {"langdetect", "langdetect_rs"}),
    (["check", str(SEEDS[0])], {"langdetect", "langdetect_rs"}),
])
def test_commands_import_only_what_they_need(argv, allowed):
    code = ("import os, sys; from cleaner.cli import main; sys.stdout = open(os.devnull, 'w'); main(%r); "
            "sys.__stdout__.write(repr(sorted({m.split('.')[0] for m in sys.modules})))" % argv)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(eval(done.stdout))
    assert loaded & LIGHT <= allowed, loaded & LIGHT


def test_console_script_runs(tmp_path):
    script = Path(sys.executable).parent / "cleaner"
    done = subprocess.run([str(script), "check", str(ROOT / "golden" / SEEDS[0].name)], capture_output=True)
    assert done.returncode == 0, done.stderr
