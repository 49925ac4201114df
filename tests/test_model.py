"""The learned labeller: its features, its decisions in the chain and in explain(), its switches."""
import importlib.util
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from cleaner import Cleaner, Config
from cleaner.config import ConfigError, load_config
from cleaner.contract import breaks
from cleaner.document import Document
from cleaner.explaining import format_result
from cleaner.model.features import NAMES, line_features
from cleaner.model.scorer import STAGE2_NAMES, WEIGHTS, Scorer, shipped
from cleaner.model.stoplists import stoplist
from cleaner.steps.model import Model

from .conftest import read_exact

ROOT = Path(__file__).resolve().parent.parent

PAGE = ("Search this site\n"
        "A headline about the harbour\n"
        "The harbour reopened on Monday after a long winter, and the boats came back in numbers.\n"
        "The mayor said the town had waited for this day for months, and thanked the crews.\n"
        "Write to news@example.org or visit https://example.org/contact\n"
        "Photos by the harbour office")


def _features(text: str, zones=None, lang="en") -> list[dict]:
    lines = Document.parse(text).lines
    vectors = line_features(lines, zones or ["body"] * len(lines), stoplist(lang))
    return [dict(zip(NAMES, v)) for v in vectors]


def _scorer(stage2: dict[str, float], intercept: float, threshold: float = 0.5) -> Scorer:
    """A made-up model: stage one says nothing, stage two weighs the named features."""
    return Scorer({"features": list(NAMES), "threshold": threshold,
                   "stage1": {"coef": [0.0] * len(NAMES), "intercept": 0.0},
                   "stage2": {"coef": [stage2.get(n, 0.0) for n in STAGE2_NAMES], "intercept": intercept,
                              "means": [0.0] * len(STAGE2_NAMES)}})


def _with_model(scorer: Scorer, threshold=None, **config) -> Cleaner:
    cleaner = Cleaner(Config(**config))
    steps = [s for s in cleaner.steps if not isinstance(s, Model)]
    steps.insert(len(steps) - 1, Model(scorer, threshold))  # before join, as in the chain
    cleaner.steps = steps
    return cleaner


# ---- features ----------------------------------------------------------------------------------------------

def test_features_of_made_up_lines():
    first, title, body, _, contact, last = _features(PAGE, ["head", "head", "body", "body", "tail", "tail"])
    assert first["first"] == 1 and last["last"] == 1 and body["first"] == body["last"] == 0
    assert contact["url"] == 1 and contact["email"] == 1 and body["url"] == body["email"] == 0
    assert body["body"] == 1 and body["terminal"] == 1 and title["body"] == 0
    assert body["stop"] > title["stop"] > 0  # running English text is full of stopwords
    assert first["head"] == 1 and last["tail"] == 1
    # A line of the tail has its own features twice, the second time under its own weights.
    assert last["tail.words"] == last["words"] > 0 and last["tail.tail"] == 1
    assert first["tail.words"] == body["tail.words"] == 0
    assert body["caps"] < first["caps"]
    assert last["body_vocab"] > first["body_vocab"]  # "harbour" is in the body, "site" not
    assert _features("The harbour opens\nMore harbour news")[1]["title_vocab"] == pytest.approx(1 / 3)
    assert first["next1.exists"] == 1 and first["prev1.exists"] == 0 and first["next1.body"] == 0
    assert title["next1.body"] == 1


def test_repetition_handles_digits_and_separators():
    rows = _features("Home | News | Sport\nFollow @harbour_news\nHome | News | Sport\nCall 0123 456 789 in 2024")
    assert rows[0]["repeat"] > 0 and rows[1]["repeat"] == 0
    assert rows[0]["seps"] > 0 and rows[1]["handle"] == 1
    assert rows[3]["digits"] > 0.3 and rows[3]["year"] == 1 and rows[0]["year"] == 0


def test_the_stoplist_is_the_language_s():
    line = "Die Stadt hat den Hafen am Montag wieder geöffnet."
    assert _features(line, lang="de")[0]["stop"] > _features(line, lang="en")[0]["stop"]
    assert _features(line, lang="xx")[0]["lang_known"] == 0 and stoplist("xx") == frozenset()


def test_a_line_s_vector_does_not_depend_on_which_lines_are_skipped():
    # Skipped running text is read only as a neighbour, by a shorter path: its
    # neighbours must see it as they would if its own vector were made.
    text = ("Menu | News | Sport\n"
            "HEADLINE ABOUT 2024\n"
            "The harbour reopened on Monday, www.example.org says, and 12 boats | 3 ferries came back in numbers.\n"
            "Photo: the harbour office\n"
            "The harbour reopened on Monday, www.example.org says, and 12 boats | 3 ferries came back in numbers.\n"
            "Der Hafen wurde am Montag wieder geöffnet, und viele Boote kamen zurück an den Steg im Norden.\n"
            "Share this\n"
            "Contact news@example.org")
    lines = Document.parse(text).lines
    zones = ["head", "head", "body", "body", "body", "body", "tail", "tail"]
    skip = [False, False, True, False, True, True, False, False]
    full = line_features(lines, zones, stoplist("en"))
    some = line_features(lines, zones, stoplist("en"), skip)
    assert [v is None for v in some] == skip
    assert [f for f, s in zip(full, some) if s is not None] == [s for s in some if s is not None]
    photo = dict(zip(NAMES, some[3]))
    assert photo["prev1.body"] == photo["next1.body"] == 1 and photo["next1.repeat"] > 0
    assert photo["next1.url"] == 1 and photo["next1.seps"] > 0 and photo["next1.digits"] > 0


# ---- the model in the chain --------------------------------------------------------------------------------

def test_a_model_decision_says_its_rule_id_probability_and_features():
    cleaner = _with_model(_scorer({"url": 8.0}, -4.0))
    result = cleaner.explain(PAGE)
    d = next(d for d in result.decisions if d.rule_id and d.rule_id.startswith("model."))
    assert d.text.startswith("Write to") and d.label == "chrome" and d.rule_id == "model.chrome"
    assert d.probability == pytest.approx(1 / (1 + 2.718281828 ** -4), rel=1e-3)
    assert d.features[0][0] == "url" and d.features[0][1] > 0
    assert "Write to" not in result.text
    shown = format_result(result, "page")
    assert "model.chrome" in shown and "p=0.982: url +8.00" in shown


def test_running_text_in_the_body_is_never_the_model_s():
    cleaner = _with_model(_scorer({}, 20.0))  # a model sure that every line is boilerplate
    result = cleaner.explain(PAGE)
    assert result.text.split("\n") == [
        "The harbour reopened on Monday after a long winter, and the boats came back in numbers.",
        "The mayor said the town had waited for this day for months, and thanked the crews."]
    assert "model.chrome" in {d.rule_id for d in result.removed}


def test_a_line_between_two_paragraphs_of_running_text_is_never_the_model_s():
    # Between the first and the last paragraph the model leaves every line: on the
    # devset its removals there were content (subheads the gold keeps).
    lines = PAGE.split("\n")
    text = "\n".join([*lines[:3], "A busy spring ahead", *lines[3:]])
    result = _with_model(_scorer({}, 20.0)).explain(text)  # a model sure that every line is boilerplate
    assert result.text.split("\n") == [lines[2], "A busy spring ahead", lines[3]]
    assert "model.chrome" in {d.rule_id for d in result.removed}  # the head and the tail are its


def test_the_model_labels_by_where_a_line_sits():
    text = ("A headline about the harbour\n"
            "The harbour reopened on Monday after a long winter, and the boats came back in numbers.\n"
            "Leave a Reply\n"
            "Great news for the town\n"
            "I agree with the mayor on this")
    labels = {d.text: d.rule_id for d in _with_model(_scorer({}, 20.0)).explain(text, "en").decisions}
    assert labels["Great news for the town"] == "model.comment"
    teasers = "\n".join(f"Harbour story number {n} of the week" for n in range(4))
    text = f"{teasers}\nThe harbour reopened on Monday after a long winter, and the boats came back in numbers."
    assert [d.label for d in _with_model(_scorer({}, 20.0)).explain(text, "en").decisions][:4] == ["teaser"] * 4


def test_a_threshold_above_the_probability_keeps_the_line():
    scorer = _scorer({"url": 8.0}, -4.0)  # p = 0.982 on the contact line, 0.018 elsewhere
    assert "Write to" not in _with_model(scorer, 0.98).clean(PAGE)
    assert "Write to" in _with_model(scorer, 0.99).clean(PAGE)


def test_cleaning_with_the_model_is_idempotent():
    for scorer in (_scorer({}, 20.0), _scorer({"url": 8.0}, -4.0), _scorer({"short": 3.0, "prev1.exists": 2.0}, -4.0)):
        cleaner = _with_model(scorer)
        for text in (PAGE, PAGE.replace("\n", "\n\n"), "Menu\n" + PAGE + "\nShare\nHome | News"):
            assert breaks(cleaner, text) == []



def test_a_model_that_peels_a_long_menu_line_by_line_reaches_its_own_output():
    # A made-up model that removes whatever line comes first: each removal
    # makes the next menu entry first, so it takes the menu one line a round,
    # and stopping before the end leaves lines that a second cleaning removes.
    menu = "\n".join(f"Section {n}" for n in range(120))
    body = ("The harbour reopened on Monday after a long winter, and the boats came back in numbers.\n"
            "The mayor said the town had waited for this day for months, and thanked the crews.")
    cleaner = _with_model(_scorer({"first": 9.0}, -5.0))
    text = f"{menu}\n{body}"
    assert breaks(cleaner, text) == []
    assert cleaner.clean(text) == body


def test_a_round_that_marks_no_line_ends_the_model_s_loop(monkeypatch):
    # A paragraph of join's view whose lines are all taken out already: the
    # model scores it over the threshold but has nothing to mark, and scoring
    # the same inputs again would never end (found by bench/fuzz.py --model).
    import cleaner.steps.model as step
    real, calls, added = step.model_inputs, [], []

    def removed_paragraph(ctx, vocab=None):
        calls.append(1)
        assert len(calls) < 20, "the model scored the same inputs round after round"
        groups, vectors, fixed = real(ctx, vocab)
        gone = [i for i, label in enumerate(ctx.labels) if label != "keep"]
        if not gone:
            return groups, vectors, fixed
        added.append(1)
        return [*groups, gone[:1]], [*vectors, [0.0] * len(NAMES)], [*fixed, False]

    monkeypatch.setattr(step, "model_inputs", removed_paragraph)
    cleaner = _with_model(_scorer({}, 20.0))  # every line it may decide is boilerplate
    result = cleaner.explain("Share this article\n" + PAGE)
    assert added, "no round held a paragraph already taken out"
    assert len(calls) < 20
    assert "The mayor said the town" in result.text


def test_lines_join_keeps_again_are_not_the_model_s_removals():
    # Join keeps again the lines between a broken sentence and its
    # continuation: the model's removals of them no longer hold, and labelling
    # the page again without them glued the sentence to the wrong line (found
    # by bench/fuzz.py --model).
    text = ("The harbour reopened on Monday after a long winter, and the boats came back in numbers.\n"
            "The mayor said\nPhoto\n12\nthe town had waited for months.")
    cleaner = _with_model(_scorer({"w1": 9.0}, -5.0))  # a line of one word is boilerplate
    result = cleaner.explain(text)
    assert breaks(cleaner, text) == []
    assert result.text == text
    assert not result.removed


def test_join_s_view_for_the_model_leaves_the_page_s_decisions_as_they_are():
    # The model reads the page as join would glue it, by a dry run of join on a
    # copy; a line that dry run keeps again must stay the model's removal on
    # the page itself until the real join decides.
    from cleaner.steps.base import Context
    from cleaner.steps.model import paragraphs
    text = ("The harbour reopened on Monday after a long winter, and the boats came back in numbers.\n"
            "The mayor said\nPhoto\n12\nthe town had waited for months.")
    cleaner = Cleaner()
    ctx = Context(Document.parse(text), "en", cleaner.rules.book("en"))
    for i in (2, 3):
        ctx.mark(i, "chrome", "model", "model.chrome")
        ctx.scores[i] = (0.99, ())
    groups, _ = paragraphs(ctx)
    assert [2] in groups and [3] in groups  # the dry run kept them again
    assert sorted(ctx.scores) == [2, 3] and ctx.labels[2] == ctx.labels[3] == "chrome"


# ---- switches ----------------------------------------------------------------------------------------------

def test_the_model_is_off_by_default_and_config_turns_it_on():
    assert not any(isinstance(s, Model) for s in Cleaner().steps)
    assert not any(isinstance(s, Model) for s in Cleaner(Config(model=False)).steps)
    steps = Cleaner(Config(model=True, model_threshold=0.97)).steps
    model = next(s for s in steps if isinstance(s, Model))
    assert model.threshold == 0.97 and steps[-1].name == "join" and steps[-2] is model


def test_pyproject_keys_and_flags_set_the_model(tmp_path):
    (tmp_path / "cleaner.toml").write_text("model = true\nmodel_threshold = 0.95\n")
    config = load_config(tmp_path)
    assert config.model is True and config.model_threshold == 0.95
    flagged = load_config(tmp_path, model=False, model_threshold=0.8)
    assert flagged.model is False and flagged.model_threshold == 0.8


@pytest.mark.parametrize("text, message", [
    ('model = "no"\n', "model must be true or false"),
    ("model_threshold = 1.5\n", "model_threshold must be a number between 0 and 1"),
    ("model_threshold = true\n", "model_threshold must be a number between 0 and 1"),
])
def test_bad_model_keys_are_errors(tmp_path, text, message):
    (tmp_path / "cleaner.toml").write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(tmp_path)


def test_cli_flags_turn_the_model_on_and_off_and_check_the_threshold(tmp_path, capsys):
    from cleaner.cli import main
    page = tmp_path / "page.txt"
    page.write_text(PAGE + "\n")
    (tmp_path / "cleaner.toml").write_text("model = true\n")
    assert main(["explain", "--no-model", str(page)]) == 0
    assert "model." not in capsys.readouterr().out
    assert main(["explain", "--model", "--model-threshold", "0.01", str(page)]) == 0
    assert "model.chrome" in capsys.readouterr().out  # at p >= 0.01 the model takes the contact line
    assert main(["clean", "--model-threshold", "2", str(page)]) == 2


# ---- the shipped weights -----------------------------------------------------------------------------------

def test_the_shipped_weights_fit_the_features():
    scorer = shipped()
    assert scorer is not None and len(scorer.w1) == len(NAMES) and len(scorer.w2) == len(STAGE2_NAMES)
    assert 0.5 <= scorer.threshold < 1
    data = json.loads(WEIGHTS.read_text())
    # Licences: only wcxb (CC-BY-4.0) and tf (Apache-2.0) may train what the wheel ships.
    assert set(data["trained_on"]) <= {"wcxb", "tf"}


def test_the_wheel_carries_the_weights(tmp_path):
    import shutil
    import sysconfig

    import virtualenv.seed.wheels.embed as wheels
    checkout = tmp_path / "checkout"
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", "build", "data", "tests"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "VIRTUAL_ENV", "PYTHON"))}
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(Path(wheels.__file__).parent),
               PYTHONPATH=sysconfig.get_paths()["purelib"])
    done = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path / "dist"),
                           str(checkout)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    wheel = next((tmp_path / "dist").glob("cleaner-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    assert "cleaner/model/weights.json" in names and "cleaner/model/scorer.py" in names


# ---- training ----------------------------------------------------------------------------------------------

@pytest.mark.skipif(importlib.util.find_spec("sklearn") is None, reason="training needs the train extra")
def test_training_is_deterministic_on_a_tiny_made_up_set():
    import numpy as np
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import train
    finally:
        sys.path.pop(0)
    rng = np.random.default_rng(0)
    pages = []
    for n in range(12):
        X = rng.random((6, len(NAMES))).astype(np.float32)
        y = np.array([n % 2, 1, 0, 1, 0, -1], dtype=np.int8)
        X[:, NAMES.index("url")] = y == 1  # a feature that tells the classes apart
        X[:, NAMES.index("no_body")] = 0  # pages with running text: the model decides there only
        pages.append({"X": X, "y": y, "fixed": np.zeros(6, dtype=bool), "source": "wcxb", "site": f"s{n}"})
    a, b = train.fit(pages), train.fit(list(pages))
    assert a == b
    assert a["stage2"]["coef"][NAMES.index("url")] > 0
    assert train.site_folds(pages) == train.site_folds(list(reversed(pages)))[::-1]


def test_the_model_leaves_a_list_at_the_head_that_the_menu_rules_judged_the_pages_own():
    # At a threshold this low the model takes every line it may decide: the headline goes, but the
    # squad above the report, which names no section of a site, is the page's and stays whole.
    text = read_exact(ROOT / "tests" / "negatives" / "en_squad_list_above_report.txt")
    result = Cleaner(Config(model=True, model_threshold=0.01)).explain(text)
    lines = text.split("\n")
    squad = range(2, lines.index(next(line for line in lines if len(line.split()) > 12)) + 1)
    assert [d.rule_id for d in result.decisions if d.line == 1] == ["model.chrome"]
    assert all(d.label == "keep" for d in result.decisions if d.line in squad)
    assert len(squad) == 15
