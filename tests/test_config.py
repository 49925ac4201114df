"""Config discovery (walking up), validation (unknown keys named), and flags overriding the file."""
import json
import shutil
from pathlib import Path

import pytest

import cleaner.corpus.plan
from cleaner import Config
from cleaner.cli import main
from cleaner.config import ConfigError, find_config, load_config
from cleaner.corpus.globs import glob_matches
from cleaner.registry import STEP_NAMES

from .conftest import ROOT

SEED = sorted((ROOT / "seeds").glob("*.txt"))[0]
#: Every step off, as a config file writes it.
ALL_OFF = f"disabled = {json.dumps(list(STEP_NAMES))}\n"


@pytest.fixture
def deep(tmp_path: Path) -> Path:
    folder = tmp_path / "a" / "b" / "c"
    folder.mkdir(parents=True)
    return folder


def test_no_config_gives_the_defaults(deep):
    config = load_config(deep)
    assert config == Config(root=deep.resolve())


def test_pyproject_tool_cleaner_is_found_walking_up(deep, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\ndisabled = ["join"]\ntext_field = "body"\n')
    (tmp_path / "a" / "pyproject.toml").write_text('[project]\nname = "other"\n')  # no [tool.cleaner]: passed over
    assert find_config(deep) == (tmp_path / "pyproject.toml").resolve()
    config = load_config(deep)
    assert config.disabled == {"join"} and config.text_field == "body"
    assert config.root == tmp_path.resolve()


def test_nearest_cleaner_toml_wins(deep, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\ndisabled = ["join"]\n')
    (tmp_path / "a" / "b" / "cleaner.toml").write_text('disabled = ["teaser"]\nlang = "en"\n')
    config = load_config(deep)
    assert config.disabled == {"teaser"} and config.lang == "en"
    assert config.source == (tmp_path / "a" / "b" / "cleaner.toml").resolve()


@pytest.mark.parametrize("text, message", [
    ('[tool.cleaner]\ndisable = ["join"]\n', "unknown key 'disable'"),
    ('[tool.cleaner]\ntext_field = 3\n', "text_field must be a string"),
    ('[tool.cleaner]\nexclude = "*.md"\n', "exclude must be a list of strings"),
    ('[tool.cleaner]\ndisabled = ["joins"]\n', "unknown step 'joins'"),
    ('[tool.cleaner\n', "not valid TOML"),
])
def test_bad_config_is_an_error_naming_file_and_key(tmp_path, text, message):
    (tmp_path / "pyproject.toml").write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path)
    assert str(tmp_path / "pyproject.toml") in str(caught.value) and message in str(caught.value)


def test_flags_override_the_file(tmp_path):
    (tmp_path / "cleaner.toml").write_text(
        'disabled = ["join", "teaser"]\nexclude = ["drafts"]\ntext_field = "body"\nlang = "de"\n'
        'extra_rules = ["rules/mine.toml"]\n')
    config = load_config(tmp_path, disable=["cookie"], enable=["teaser"], exclude=["*.md"],
                         extra_rules=["more.toml"], text_field="content", lang="fr")
    assert config.disabled == {"join", "cookie"}
    assert config.exclude == ("drafts", "*.md")
    assert config.extra_rules == (tmp_path / "rules" / "mine.toml", Path("more.toml"))
    assert (config.text_field, config.lang) == ("content", "fr")
    with pytest.raises(ConfigError, match="unknown step 'nope'"):
        load_config(tmp_path, disable=["nope"])


def test_cli_reads_the_config_of_the_working_directory(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(SEED, tmp_path / "seed.txt")
    assert main(["check", "seed.txt"]) == 1
    capsys.readouterr()
    # Every step off: nothing would change.
    (tmp_path / "pyproject.toml").write_text('[tool.cleaner]\n' + ALL_OFF)
    assert main(["check", "seed.txt"]) == 0
    # ... and a flag turns one back on.
    assert main(["check", "seed.txt", "--enable", "teaser"]) == 1
    assert all(" teaser (" in line for line in capsys.readouterr().out.splitlines())


def test_cli_exits_2_on_an_unknown_key(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cleaner.toml").write_text('colour = "blue"\n')
    shutil.copyfile(SEED, tmp_path / "seed.txt")
    for command in (["check", "seed.txt"], ["clean", "seed.txt"], ["rules"]):
        assert main(command) == 2
        assert "unknown key 'colour'" in capsys.readouterr().err


def test_explicit_config_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(SEED, tmp_path / "seed.txt")
    (tmp_path / "off.toml").write_text(ALL_OFF)
    assert main(["check", "seed.txt", "--config", "off.toml"]) == 0
    assert main(["check", "seed.txt", "--config", "missing.toml"]) == 2


def test_extra_rules_from_the_config_load(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "team.toml").write_text(
        '[[chrome]]\nid = "team.chrome.house-banner"\npattern = \'house banner$\'\nflags = "i"\n'
        'examples = ["House banner"]\ncounter_examples = ["The house banner flew over the town all week."]\n')
    (tmp_path / "cleaner.toml").write_text('extra_rules = ["rules/team.toml"]\n')
    (tmp_path / "doc.txt").write_text("House banner\n" + SEED.read_text(encoding="utf-8").split("\n", 1)[0] + "\n")
    main(["check", "doc.txt"])
    assert "doc.txt:1: chrome (team.chrome.house-banner): House banner" in capsys.readouterr().out


@pytest.mark.parametrize("pattern, path, hit", [
    ("*.md", "notes/readme.md", True),
    ("*.md", "notes/readme.txt", False),
    ("drafts", "corpus/drafts/a.txt", True),
    ("drafts", "corpus/drafts.txt", False),
    ("corpus/*.txt", "corpus/a.txt", True),
    ("corpus/*.txt", "corpus/sub/a.txt", False),
    ("corpus/**/*.txt", "corpus/sub/deep/a.txt", True),
    ("corpus/**/*.txt", "corpus/a.txt", True),
    ("golden/", "golden/x.txt", True),
    ("/golden", "seeds/golden.txt", False),
    ("data/[ab].jsonl", "data/a.jsonl", True),
    ("data/[!ab].jsonl", "data/a.jsonl", False),
])
def test_exclude_globs(pattern, path, hit):
    assert glob_matches(pattern, path) == hit


def test_excluded_files_are_left_alone(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for name in ("keep/a.txt", "drafts/b.txt", "keep/c.txt"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        shutil.copyfile(SEED, tmp_path / name)
    (tmp_path / "cleaner.toml").write_text('exclude = ["drafts"]\n')
    assert main(["clean", ".", "-o", "out", "-q", "-j", "1", "--exclude", "c.txt"]) == 0
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.txt")) == ["keep/a.txt"]
    # Excludes apply to files named on the command line too (pre-commit names them).
    assert main(["check", "drafts/b.txt"]) == 0


def _repo(tmp_path: Path) -> Path:
    """A repository whose config leaves its LICENSE.txt alone (a seed, which check would change)."""
    repo = tmp_path / "repo"
    (repo / "docs").mkdir(parents=True)
    shutil.copyfile(SEED, repo / "LICENSE.txt")
    shutil.copyfile(SEED, repo / "docs" / "page.txt")
    (repo / "pyproject.toml").write_text('[tool.cleaner]\nexclude = ["LICENSE.txt"]\n')
    return repo


def test_the_config_is_found_from_each_file_not_the_working_directory(tmp_path, monkeypatch, capsys):
    repo = _repo(tmp_path)
    answers = []
    for where, path in ((repo, "LICENSE.txt"), (tmp_path, "repo/LICENSE.txt"), (repo / "docs", "../LICENSE.txt")):
        monkeypatch.chdir(where)
        answers.append((main(["check", path]), capsys.readouterr().out))
    assert answers[0][0] == 0 and answers[1:] == answers[:1] * 2
    monkeypatch.chdir(tmp_path)
    assert main(["check", "repo/docs/page.txt", "-q"]) == 1  # not excluded: the pattern is the repo's LICENSE.txt
    assert main(["clean", "repo", "-o", "out", "-q", "-j", "1"]) == 0
    assert sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.txt")) == [
        "docs/page.txt"]


def test_files_under_different_configs_in_one_run_each_get_their_own(tmp_path, monkeypatch, capsys):
    _repo(tmp_path)
    shutil.copyfile(SEED, tmp_path / "outside.txt")
    monkeypatch.chdir(tmp_path)
    # outside.txt has no config (it would change); the repo's LICENSE.txt is excluded by the repo's.
    assert main(["check", "outside.txt", "repo/LICENSE.txt"]) == 1
    out = capsys.readouterr().out
    assert "outside.txt:" in out and "LICENSE.txt" not in out
    # --config names one for every file: the repo's exclude no longer applies.
    (tmp_path / "none.toml").write_text("")
    assert main(["check", "outside.txt", "repo/LICENSE.txt", "--config", "none.toml"]) == 1
    assert "repo/LICENSE.txt:" in capsys.readouterr().out


def _two_corpora(tmp_path: Path) -> None:
    """Corpus a keeps its texts in a `body` field with join off; corpus b has a team rule of its own."""
    first = SEED.read_text(encoding="utf-8").rstrip("\n") + "\n"
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "cleaner.toml").write_text('text_field = "body"\ndisabled = ["join"]\n')
    (tmp_path / "a" / "x.jsonl").write_text(
        "".join(json.dumps({"id": i, "body": first}) + "\n" for i in range(3)), encoding="utf-8")
    (tmp_path / "b" / "rules").mkdir(parents=True)
    (tmp_path / "b" / "rules" / "team.toml").write_text(
        '[[chrome]]\nid = "team.chrome.house-banner"\npattern = \'house banner$\'\nflags = "i"\n'
        'examples = ["House banner"]\ncounter_examples = ["The house banner flew over the town all week."]\n')
    (tmp_path / "b" / "cleaner.toml").write_text('extra_rules = ["rules/team.toml"]\n')
    (tmp_path / "b" / "doc.txt").write_text("House banner\n" + first, encoding="utf-8")


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_corpora_in_one_run_give_what_each_gives_alone(tmp_path, monkeypatch, capsys):
    _two_corpora(tmp_path)
    for corpus in ("a", "b"):
        monkeypatch.chdir(tmp_path / corpus)
        assert main(["clean", ".", "-o", str(tmp_path / "alone"), "-q", "-j", "1"]) == 0
    alone = _tree(tmp_path / "alone")
    assert b"House banner" not in alone["doc.txt"]  # b's own rule
    assert json.loads(alone["x.jsonl"].splitlines()[0])["body"] != json.loads(
        (tmp_path / "a" / "x.jsonl").read_bytes().splitlines()[0])["body"]  # a's field was cleaned
    monkeypatch.chdir(tmp_path)
    for jobs in ("1", "2"):
        assert main(["clean", "a", "b", "-o", f"both{jobs}", "-q", "-j", jobs]) == 0
        assert _tree(tmp_path / f"both{jobs}") == alone
        assert main(["clean", "a/x.jsonl", "b/doc.txt", "-q", "-j", jobs]) == 0
        assert capsys.readouterr().out.encode() == (b"==> a/x.jsonl <==\n" + alone["x.jsonl"]
                                                    + b"\n==> b/doc.txt <==\n" + alone["doc.txt"])


def test_two_corpora_checked_in_one_run_report_what_each_reports_alone(tmp_path, monkeypatch, capsys):
    _two_corpora(tmp_path)
    monkeypatch.setattr(cleaner.corpus.plan, "WORKER_BYTES", 1)  # so that -j 2 does start two workers
    reports = []
    for corpus in ("a", "b"):
        monkeypatch.chdir(tmp_path / corpus)
        assert main(["check", ".", "-q", "-j", "1"]) == 1
        reports.append((corpus, capsys.readouterr().out.splitlines()))
    assert "team.chrome.house-banner" in str(reports[1]) and " join (" not in str(reports[0])
    for where, prefix in ((tmp_path, ""), (tmp_path / "b", "../")):
        monkeypatch.chdir(where)
        for jobs in ("1", "2"):
            assert main(["check", f"{prefix}a", f"{prefix}b", "-q", "-j", jobs]) == 1
            out = capsys.readouterr().out
            assert out == "".join(f"{prefix}{corpus}/{line}\n" for corpus, lines in reports for line in lines)


def test_a_bad_config_of_one_corpus_is_named(tmp_path, monkeypatch, capsys):
    _two_corpora(tmp_path)
    (tmp_path / "b" / "cleaner.toml").write_text('colour = "blue"\n')
    monkeypatch.chdir(tmp_path)
    assert main(["check", "a", "b"]) == 2
    assert f"{(tmp_path / 'b' / 'cleaner.toml').resolve()}: unknown key 'colour'" in capsys.readouterr().err


def test_config_flag_takes_a_pyproject_shaped_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(SEED, tmp_path / "seed.txt")
    (tmp_path / "other.toml").write_text('[project]\nname = "x"\n\n[tool.cleaner]\n' + ALL_OFF)
    assert main(["check", "seed.txt", "--config", "other.toml"]) == 0
    assert load_config(config_file=tmp_path / "other.toml").disabled == set(STEP_NAMES)
    (tmp_path / "bare.toml").write_text('[tool.black]\nline-length = 100\n')
    with pytest.raises(ConfigError, match=r"bare.toml: no \[tool.cleaner\] table"):
        load_config(config_file=tmp_path / "bare.toml")


def test_a_folder_with_its_own_config_inside_a_folder_named_gets_its_own(tmp_path, monkeypatch, capsys):
    repo = _repo(tmp_path)
    shutil.copyfile(SEED, repo / "other.txt")
    (repo / "docs" / "cleaner.toml").write_text(ALL_OFF)
    answers = []
    for where, path in ((tmp_path, "repo"), (repo / "docs", "..")):
        monkeypatch.chdir(where)
        assert main(["check", path]) == 1
        captured = capsys.readouterr()
        names = {line.split(":")[0] for line in captured.out.splitlines()}
        assert names == {f"{path}/other.txt"}  # LICENSE.txt excluded by the repo, docs all off by its own
        answers.append(captured.out.replace(f"{path}/", ""))
        assert "checked 2 files" in captured.err
    assert answers[0] == answers[1]
    monkeypatch.chdir(tmp_path)
    assert main(["clean", "repo", "-o", "out", "-q"]) == 0
    assert (tmp_path / "out" / "docs" / "page.txt").read_bytes() == (repo / "docs" / "page.txt").read_bytes()
    assert not (tmp_path / "out" / "LICENSE.txt").exists()
