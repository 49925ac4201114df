"""The commands agree: every one reads paths as `clean` does, says the same of bad input, and says
counts in good English; several documents on standard output can be split back."""
import gzip
import io
import json
import os
import re
import shutil
import sys

import pytest

from cleaner import clean, explain
from cleaner.cli import build_parser, main
from cleaner.html import clean_html

from .conftest import ROOT, read_exact

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = ROOT / "golden"
PAGE = ROOT / "tests" / "html" / "boilerplate.html"


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))


def _split(out: bytes) -> dict[str, bytes]:
    """Standard output of several documents back into {name: document}, as the help says to."""
    parts = re.split(rb"(?:^|(?<=\n)\n)==> (.+) <==\n", out)
    assert parts[0] == b""
    return {name.decode(): body for name, body in zip(parts[1::2], parts[2::2])}


def _ended(data: bytes) -> bytes:
    return data if data.endswith(b"\n") else data + b"\n"


# --- standard output of several documents --------------------------------------------------------

def test_several_text_files_on_stdout_are_headed_and_split_back(tmp_path, capsysbinary):
    shutil.copyfile(SEEDS[0], "a.txt")
    (tmp_path / "b.txt").write_bytes(read_exact(SEEDS[1]).rstrip("\n").encode())  # no final newline
    assert main(["clean", "a.txt", "b.txt", "-q", "-j", "1"]) == 0
    out = capsysbinary.readouterr().out
    assert out.startswith(b"==> a.txt <==\n")
    docs = _split(out)
    assert list(docs) == ["a.txt", "b.txt"]
    # a document without its final newline gets one, so that the next header starts its own line
    assert docs["a.txt"] == _ended((GOLDEN / SEEDS[0].name).read_bytes())
    assert docs["b.txt"] == (clean(read_exact(SEEDS[1]).rstrip("\n")) + "\n").encode()


def test_one_file_on_stdout_is_its_bytes_alone(capsysbinary):
    assert main(["clean", str(SEEDS[2]), "-q"]) == 0
    assert capsysbinary.readouterr().out == (GOLDEN / SEEDS[2].name).read_bytes()


def test_a_folder_of_pages_on_stdout_gives_one_text_each_ending_with_a_newline(tmp_path, capsysbinary):
    (tmp_path / "pages").mkdir()
    shutil.copyfile(PAGE, "pages/a.html")
    shutil.copyfile(PAGE, "pages/b.htm")
    assert main(["clean", "pages", "-q", "-j", "1"]) == 0
    docs = _split(capsysbinary.readouterr().out)
    text = (clean_html(PAGE.read_bytes()) + "\n").encode()
    assert docs == {"pages/a.html": text, "pages/b.htm": text}


def test_json_lines_files_on_stdout_join_record_after_record(tmp_path, capsysbinary):
    (tmp_path / "a.jsonl").write_text(json.dumps({"text": read_exact(SEEDS[0])}))  # no final newline
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": read_exact(SEEDS[1])}) + "\n")
    assert main(["clean", "a.jsonl", "b.jsonl", "-q", "-j", "1"]) == 0
    records = [json.loads(line) for line in capsysbinary.readouterr().out.splitlines()]
    assert [r["text"] for r in records] == [clean(read_exact(SEEDS[0])), clean(read_exact(SEEDS[1]))]


def test_a_page_text_ends_with_one_newline_and_cleaning_it_again_changes_nothing(tmp_path):
    assert main(["clean", str(PAGE), "-o", "out", "-q"]) == 0
    text = (tmp_path / "out" / "boilerplate.txt").read_bytes()
    assert text.endswith(b".\n") and not text.endswith(b"\n\n")
    assert main(["clean", "out/boilerplate.txt", "-o", "again", "-q"]) == 0
    assert (tmp_path / "again" / "boilerplate.txt").read_bytes() == text


def test_the_text_of_an_html_field_has_no_final_newline(tmp_path):
    (tmp_path / "p.jsonl").write_text(json.dumps({"html": PAGE.read_text(encoding="utf-8")}) + "\n")
    assert main(["clean", "p.jsonl", "--html-field", "html", "-o", "out", "-q"]) == 0
    record = json.loads((tmp_path / "out" / "p.jsonl").read_text(encoding="utf-8"))
    assert record["text"] == clean_html(PAGE.read_bytes()) and not record["text"].endswith("\n")


# --- check: what it checked, and nothing to check ----------------------------------------------

def test_check_always_says_how_many_files_it_checked(tmp_path, capsys):
    shutil.copyfile(GOLDEN / SEEDS[0].name, "done.txt")
    assert main(["check", "done.txt"]) == 0
    assert capsys.readouterr().err == "checked 1 file: 0 would be cleaned, 1 unchanged\n"
    shutil.copyfile(SEEDS[1], "dirty.txt")
    assert main(["check", "done.txt", "dirty.txt"]) == 1
    assert capsys.readouterr().err == "checked 2 files: 1 would be cleaned, 1 unchanged\n"
    assert main(["check", "-q", "done.txt", "dirty.txt"]) == 1
    captured = capsys.readouterr()
    assert captured.err == "" and "dirty.txt:" in captured.out


def test_check_of_an_empty_folder_exits_2(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["check", "empty"]) == 2
    assert "nothing to check" in capsys.readouterr().err


def test_check_of_a_folder_of_pages_says_they_were_skipped_and_exits_2(tmp_path, capsys):
    (tmp_path / "pages").mkdir()
    shutil.copyfile(PAGE, "pages/a.html")
    shutil.copyfile(PAGE, "pages/b.html")
    assert main(["check", "pages"]) == 2
    err = capsys.readouterr().err
    assert "nothing to check" in err and "2 HTML pages skipped" in err
    shutil.copyfile(SEEDS[0], "pages/c.txt")
    assert main(["check", "pages"]) == 1
    assert "checked 1 file: 1 would be cleaned, 0 unchanged; 2 HTML pages skipped" in capsys.readouterr().err


def test_check_of_files_all_excluded_by_the_config_passes(tmp_path, capsys):
    # What pre-commit does when a commit touches only files the team's config leaves alone.
    (tmp_path / "cleaner.toml").write_text('exclude = ["drafts/"]\n')
    (tmp_path / "drafts").mkdir()
    shutil.copyfile(SEEDS[0], "drafts/a.txt")
    assert main(["check", "drafts/a.txt"]) == 0
    assert "1 file excluded" in capsys.readouterr().err


def test_check_writes_stats_and_removed_lines(tmp_path):
    shutil.copyfile(SEEDS[0], "a.txt")
    assert main(["check", "a.txt", "--stats", "s.json", "--removed", "r.jsonl", "-q"]) == 1
    stats = json.loads((tmp_path / "s.json").read_text())
    removed = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text().splitlines()]
    gone = explain(read_exact(SEEDS[0])).removed
    assert stats["files"] == 1 and stats["lines_removed"] == len(gone) == len(removed) > 0
    assert [(r["line"], r["rule"]) for r in removed] == [(d.line, d.rule_id) for d in gone]
    assert (tmp_path / "a.txt").read_bytes() == SEEDS[0].read_bytes()


def test_check_uses_every_cpu_by_default_as_clean_does():
    parser = build_parser()
    assert parser.parse_args(["check", "x"]).jobs == parser.parse_args(["clean", "x"]).jobs == len(
        os.sched_getaffinity(0))


# --- explain takes what clean takes -------------------------------------------------------------

def test_explain_takes_several_files_a_folder_and_compressed_files(tmp_path, capsys):
    (tmp_path / "docs").mkdir()
    shutil.copyfile(SEEDS[0], "docs/a.txt")
    (tmp_path / "docs" / "b.txt.gz").write_bytes(gzip.compress(SEEDS[1].read_bytes()))
    shutil.copyfile(SEEDS[2], "c.txt")
    assert main(["explain", "docs", "c.txt"]) == 0
    out = capsys.readouterr().out
    headings = [line.split(":")[0] for line in out.splitlines() if line.startswith("# ")]
    assert headings == ["# docs/a.txt", "# docs/b.txt.gz", "# c.txt"]
    rows = sum(len(explain(read_exact(s)).decisions) for s in SEEDS[:3])
    assert len(out.splitlines()) == 3 + rows


def test_explain_reads_json_lines_on_standard_input(monkeypatch, capsys):
    _stdin(monkeypatch, (json.dumps({"id": "x", "text": read_exact(SEEDS[0])}) + "\n").encode())
    assert main(["explain", "-", "--format", "jsonl"]) == 0
    assert capsys.readouterr().out.startswith("# <stdin>:1 record 0 (id x): language ")


def test_explain_with_a_record_too_far_says_how_many_there_are(tmp_path, capsys):
    (tmp_path / "one.jsonl").write_text(json.dumps({"text": read_exact(SEEDS[0])}) + "\n")
    assert main(["explain", "one.jsonl", "--record", "3"]) == 2
    assert "one.jsonl: has 1 record; there is no record 3" in capsys.readouterr().err


@pytest.mark.parametrize("name, data, message", [
    ("bin.txt", b"\x00\x01\x02binary\x00" * 20, "bin.txt: "),
    ("latin.txt", b"caf\xe9\n", "latin.txt: invalid UTF-8 at line 1 (byte 3)"),
    ("bad.jsonl", b'{"text": "fine"}\n{"text": \n', "bad.jsonl:2: "),
    ("gone.txt", None, "gone.txt: "),
])
def test_every_command_says_the_same_of_the_same_bad_input(tmp_path, capsys, name, data, message):
    if data is not None:
        (tmp_path / name).write_bytes(data)
    said = []
    for command in (["clean", name], ["check", name], ["explain", name]):
        assert main([*command, "-j", "1"] if command[0] != "explain" else command) == 2, command
        err = [line for line in capsys.readouterr().err.splitlines() if message in line]
        assert err, command
        said.append(err[0].split(message, 1)[1])
    assert len(set(said)) == 1, said


# --- golden reads seeds as clean reads them ------------------------------------------------------

def test_golden_takes_json_lines_and_compressed_seeds(tmp_path, capsys):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "golden").mkdir()
    (tmp_path / "seeds" / "c.jsonl").write_text(json.dumps({"text": read_exact(SEEDS[0])}) + "\n")
    (tmp_path / "seeds" / "d.txt.gz").write_bytes(gzip.compress(SEEDS[1].read_bytes()))
    (tmp_path / "golden" / "c.jsonl").write_text(json.dumps({"text": clean(read_exact(SEEDS[0]))}) + "\n")
    (tmp_path / "golden" / "d.txt.gz").write_bytes(gzip.compress((GOLDEN / SEEDS[1].name).read_bytes()))
    assert main(["golden", "seeds", "golden"]) == 0
    assert "2 of 2 golden files match" in capsys.readouterr().err


def test_golden_with_one_seed_says_file_matches(tmp_path, capsys):
    (tmp_path / "seeds").mkdir()
    shutil.copyfile(SEEDS[0], tmp_path / "seeds" / "a.txt")
    (tmp_path / "golden").mkdir()
    shutil.copyfile(GOLDEN / SEEDS[0].name, tmp_path / "golden" / "a.txt")
    assert main(["golden", "seeds", "golden"]) == 0
    assert "1 of 1 golden file matches" in capsys.readouterr().err


def test_golden_says_of_a_bad_seed_what_clean_says(tmp_path, capsys):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "latin.txt").write_bytes(b"caf\xe9\n")
    assert main(["golden", "seeds", "golden"]) == 2
    assert "seeds/latin.txt: invalid UTF-8 at line 1 (byte 3)" in capsys.readouterr().err


def test_golden_ignores_the_config_exclude_patterns(tmp_path, capsys):
    # Seeds are dirty on purpose; a team keeps `check` off them and still compares them.
    (tmp_path / "cleaner.toml").write_text('exclude = ["seeds/"]\n')
    (tmp_path / "seeds").mkdir()
    shutil.copyfile(SEEDS[0], tmp_path / "seeds" / "a.txt")
    assert main(["golden", "seeds", "golden"]) == 1
    assert "golden/a.txt: missing" in capsys.readouterr().out


# --- help, --stats -, -o, --lang ----------------------------------------------------------------

@pytest.mark.parametrize("command, words", [
    ("explain", "label"), ("rules", "rules in use"), ("golden", "compare"), ("check", "checked")])
def test_every_command_has_a_description_in_its_help(capsys, command, words):
    assert main([command, "--help"]) == 0
    out = capsys.readouterr().out
    description = out.split("\n\n")[1]
    assert words in description and not description.startswith(("positional", "options"))


def test_stats_dash_goes_to_stdout_when_the_outputs_are_files(tmp_path, capsys):
    assert main(["clean", str(SEEDS[0]), "-o", "out", "--stats", "-", "-q"]) == 0
    assert json.loads(capsys.readouterr().out)["files"] == 1
    assert not (tmp_path / "-").exists()


def test_stats_dash_goes_to_stderr_when_stdout_carries_the_text(tmp_path, capsysbinary):
    assert main(["clean", str(SEEDS[0]), "--stats", "-", "-q"]) == 0
    captured = capsysbinary.readouterr()
    assert captured.out == (GOLDEN / SEEDS[0].name).read_bytes()
    assert json.loads(captured.err)["files"] == 1
    assert not (tmp_path / "-").exists()


def test_output_that_is_an_existing_file_with_several_inputs_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "out.txt").write_text("keep\n")
    shutil.copyfile(SEEDS[0], "a.txt")
    shutil.copyfile(SEEDS[1], "b.txt")
    (tmp_path / "docs").mkdir()
    shutil.copyfile(SEEDS[2], "docs/c.txt")
    for inputs in (["a.txt", "b.txt"], ["docs"]):
        assert main(["clean", *inputs, "-o", "out.txt", "-q"]) == 2
        assert "out.txt exists and is not a folder" in capsys.readouterr().err
    assert (tmp_path / "out.txt").read_text() == "keep\n"


def test_an_unknown_language_is_a_usage_error_naming_the_packs(tmp_path, capsys):
    assert main(["clean", str(SEEDS[0]), "--lang", "xx", "-q"]) == 2
    err = capsys.readouterr().err
    assert "'xx'" in err and "de, en, es, fr" in err
    assert main(["rules", "--lang", "english"]) == 2
    (tmp_path / "cleaner.toml").write_text('lang = "eng"\n')
    (tmp_path / "seed.txt").write_bytes(SEEDS[0].read_bytes())  # under that config, found from the file
    assert main(["check", "seed.txt"]) == 2
    assert f"language 'eng' (--lang, or `lang` in {(tmp_path / 'cleaner.toml').resolve()})" in capsys.readouterr().err


def test_a_language_without_a_pack_gets_the_common_rules_and_a_warning(capsysbinary):
    assert main(["clean", str(SEEDS[0]), "--lang", "it", "-q"]) == 0
    captured = capsysbinary.readouterr()
    assert b"no rule pack for language 'it'" in captured.err
    from cleaner import Cleaner, Config
    assert captured.out == Cleaner(Config(lang="it")).clean(read_exact(SEEDS[0])).encode()


def test_counts_of_one_are_singular(tmp_path, capsys):
    shutil.copyfile(SEEDS[0], "a.txt")
    assert main(["clean", "a.txt", "-o", "out"]) == 0
    assert re.search(r"cleaned 1 document in 1 file: .*, \d+ lines? removed", capsys.readouterr().err)
    lines = explain(read_exact(SEEDS[0])).removed
    assert main(["check", "--write", "a.txt"]) == 1
    n = len(lines)
    assert f"fixed a.txt: {n} line{'s' * (n != 1)} removed" in capsys.readouterr().out


# --- check as a pre-commit hook: a few small files start no workers --------------------------------

def test_check_of_a_few_small_files_starts_no_worker_processes(tmp_path, monkeypatch):
    import concurrent.futures

    def no_pool(*args, **kwargs):
        raise AssertionError("a worker pool was started for a few small files")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", no_pool)
    for n, seed in enumerate(SEEDS):
        shutil.copyfile(seed, f"s{n}.txt")
    assert main(["check", "-q", "-j", "4", *(f"s{n}.txt" for n in range(len(SEEDS)))]) == 1


def test_useful_workers_bounds_workers_by_the_input_each_can_be_given():
    from pathlib import Path

    from cleaner.corpus.formats import Format
    from cleaner.corpus.plan import WORKER_BYTES, Job, useful_workers

    def files(n, size, fmt=Format("text")):
        return [Job(Path(f"{i}.txt"), f"{i}.txt", fmt, None, size) for i in range(n)]

    assert useful_workers(files(5, 4000), 4, WORKER_BYTES) == 1
    assert useful_workers(files(5, 4000), 4) == 4  # clean: one task each, no bound by size
    assert useful_workers(files(3, WORKER_BYTES), 4, WORKER_BYTES) == 3
    assert useful_workers(files(40, WORKER_BYTES), 4, WORKER_BYTES) == 4
    assert useful_workers(files(2, WORKER_BYTES // 4, Format("text", "gz")), 4, WORKER_BYTES) == 2


def test_a_bad_file_skipped_among_several_on_stdout_leaves_the_others_split_back(tmp_path, capsysbinary):
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01binary\x00" * 20)
    shutil.copyfile(SEEDS[0], "a.txt")
    shutil.copyfile(SEEDS[1], "b.txt")
    assert main(["clean", "bad.txt", "a.txt", "b.txt", "--skip-bad", "-q", "-j", "1"]) == 0
    docs = _split(capsysbinary.readouterr().out)
    assert docs == {"a.txt": _ended((GOLDEN / SEEDS[0].name).read_bytes()),
                    "b.txt": _ended((GOLDEN / SEEDS[1].name).read_bytes())}


def test_removed_dash_is_refused_rather_than_written_to_a_file_named_dash(tmp_path, capsys):
    for command in ("clean", "check"):
        assert main([command, str(SEEDS[0]), "--removed", "-", "-q"]) == 2
        assert "name a file" in capsys.readouterr().err
    assert not (tmp_path / "-").exists()
