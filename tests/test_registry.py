"""The step registry is the one list of steps: labels, rule tables, config, CLI and position rules follow it."""
import re
import shutil
import subprocess
import sys

import pytest

from cleaner import LABELS, Cleaner, Config, explain
from cleaner.cli import build_parser, main
from cleaner.config import ConfigError, load_config
from cleaner.registry import PATTERN_STEPS, REMOVING, SECTION_STEPS, STEP_NAMES
from cleaner.rules import RuleSet
from cleaner.steps import STEPS, position_rules
from cleaner.steps.base import MARK

from .conftest import ROOT, read_exact

POSITION_RULES = position_rules()


def _document(example: tuple[str, ...]) -> tuple[str, list[bool]]:
    """The example's text without its marks, and which lines are marked."""
    marked = [line.startswith(MARK) for line in example]
    return "\n".join(line[len(MARK):] if m else line for line, m in zip(example, marked)), marked


def _labelled_by(rule, example) -> list[bool]:
    text, _ = _document(example)
    return [d.rule_id == rule.id for d in explain(text, lang="en").decisions]


EXAMPLES = [pytest.param(rule, example, id=f"{rule.id}-{n}")
            for rule in POSITION_RULES for n, example in enumerate(rule.examples)]
MISSES = [pytest.param(rule, example, id=f"{rule.id}-miss-{n}", marks=pytest.mark.xfail(strict=True))
          for rule in POSITION_RULES for n, example in enumerate(rule.misses)]


@pytest.mark.parametrize("rule, example", EXAMPLES)
def test_a_position_rule_labels_the_marked_lines_of_its_examples_and_no_other(rule, example):
    assert _labelled_by(rule, example) == _document(example)[1]


@pytest.mark.parametrize("rule, example", MISSES)
def test_known_misses_of_position_rules(rule, example):
    assert _labelled_by(rule, example) == _document(example)[1]


@pytest.mark.parametrize("rule", POSITION_RULES, ids=lambda r: r.id)
def test_a_position_rule_is_described_and_belongs_to_a_registered_step(rule):
    assert re.fullmatch(r"pos\.[a-z]+\.[a-z0-9-]+", rule.id)
    assert rule.step in STEP_NAMES and rule.description and rule.examples
    assert rule.zone in ("any", "edge", "head", "tail")
    assert rule in next(cls for cls in STEPS if cls.name == rule.step).position_rules


def test_every_position_rule_id_in_the_code_is_listed():
    # The steps give position rules by their declared objects: an id written
    # as a string anywhere else in the package would be one `cleaner rules` misses.
    listed = {rule.id for rule in POSITION_RULES}
    assert len(listed) == len(POSITION_RULES)
    written = set()
    for path in (ROOT / "cleaner").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"""f["']pos\.""", source), f"{path}: a position rule id built at run time"
        written.update(re.findall(r"""["'](pos\.[a-z]+\.[a-z0-9-]+)["']""", source))
    assert written == listed


def test_every_position_rule_given_on_the_seeds_and_negatives_is_listed():
    listed = {rule.id for rule in POSITION_RULES}
    given = set()
    for path in [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "negatives").glob("*.txt")]:
        given.update(d.rule_id for d in explain(read_exact(path)).decisions if (d.rule_id or "").startswith("pos."))
    assert given and given <= listed


def test_cleaner_rules_lists_the_position_rules_of_the_steps_left_on(capsys):
    assert main(["rules", "--disable", "teaser"]) == 0
    ids = {row.split()[0] for row in capsys.readouterr().out.splitlines()[1:]}
    assert {r.id for r in POSITION_RULES if r.step != "teaser"} <= ids
    assert not {i for i in ids if i.split(".")[1] == "teaser"}
    assert main(["rules", "--step", "duplicate"]) == 0
    assert capsys.readouterr().out.splitlines()[1].split()[:3] == ["pos.duplicate.repeated-paragraph", "duplicate",
                                                                   "any"]


def test_cleaner_rules_shows_the_examples_of_every_rule_it_lists(capsys):
    assert main(["rules", "--step", "teaser", "--examples"]) == 0
    out = capsys.readouterr().out
    listed = [r for r in [*RuleSet.bundled().all_rules(), *POSITION_RULES] if r.step == "teaser"]
    assert any(r.id.startswith("pos.") for r in listed) and any(not r.id.startswith("pos.") for r in listed)
    for rule in listed:
        for example in rule.examples:
            for line in [example] if isinstance(example, str) else example:
                assert f" {line}\n" in out, (rule.id, line)


def test_the_labels_are_keep_blank_and_the_steps_in_chain_order():
    assert LABELS == ("keep", "blank", *STEP_NAMES)
    assert tuple(cls.name for cls in STEPS) == STEP_NAMES
    assert [name for name in STEP_NAMES if name not in REMOVING] == ["join"]
    assert set(SECTION_STEPS) <= set(PATTERN_STEPS) <= set(STEP_NAMES)


def test_rule_tables_are_the_pattern_steps_and_a_book_orders_them_so():
    bundled = RuleSet.bundled()
    assert {r.step for r in bundled.all_rules()} == set(PATTERN_STEPS)
    steps = [r.step for r in bundled.book("en").rules]
    assert sorted(steps, key=PATTERN_STEPS.index) == steps


@pytest.mark.parametrize("name", STEP_NAMES)
def test_every_registered_step_can_be_turned_off_and_only_those(tmp_path, name):
    (tmp_path / "cleaner.toml").write_text(f'disabled = ["{name}"]\n')
    assert load_config(tmp_path).disabled == {name}
    assert name not in [s.name for s in Cleaner(Config(disabled=frozenset({name}))).steps]
    with pytest.raises(ConfigError, match=f"unknown step '{name}s'; steps are {', '.join(STEP_NAMES)}"):
        load_config(tmp_path, disable=[f"{name}s"])


def test_the_cli_help_names_every_step(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["rules", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"only the rules of this step: {', '.join(STEP_NAMES)}" in help_text


NEW_STEP = '''"""shout: a line in capitals that is no heading of the text (a test's step)."""
from .base import PatternStep


class Shout(PatternStep):
    name = "shout"
'''
SHOUT_RULES = '''[[shout]]
id = "team.shout.buy-now"
description = "A call to buy in capitals."
pattern = 'BUY NOW!*$'
examples = ["BUY NOW!!"]
counter_examples = ["Buy now, pay later, the advert said."]
'''


def test_a_new_step_registers_in_one_place(tmp_path):
    # A copy of the package with one entry added to the registry and the
    # step's module: rule files, the config, the chain and `cleaner rules`
    # all know the step, and nothing else was edited.
    shutil.copytree(ROOT / "cleaner", tmp_path / "cleaner", ignore=shutil.ignore_patterns("__pycache__", "packs"))
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    registry = tmp_path / "cleaner" / "registry.py"
    source = registry.read_text(encoding="utf-8")
    entry = '    StepInfo("duplicate", patterns=False),\n'
    assert entry in source
    registry.write_text(source.replace(entry, entry + '    StepInfo("shout"),\n'), encoding="utf-8")
    (tmp_path / "cleaner" / "steps" / "shout.py").write_text(NEW_STEP, encoding="utf-8")
    (tmp_path / "shout.toml").write_text(SHOUT_RULES, encoding="utf-8")
    page = "The bakery on the corner sold out of bread before nine on Saturday, its owner said.\nBUY NOW!!\n"
    (tmp_path / "page.txt").write_text(page, encoding="utf-8")

    def run(*args):
        done = subprocess.run([sys.executable, "-m", "cleaner", *args, "--rules", "shout.toml"], cwd=tmp_path,
                              capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path)})
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert "BUY NOW" not in run("clean", "page.txt")
    assert "shout" in run("explain", "page.txt") and "team.shout.buy-now" in run("explain", "page.txt")
    assert run("rules", "--step", "shout").splitlines()[1].split()[:2] == ["team.shout.buy-now", "shout"]
    assert run("clean", "page.txt", "--disable", "shout") == page
