"""The hand-labelled seeds: output, labels, idempotence and replay, byte for byte."""
from pathlib import Path

import pytest

from cleaner import clean, explain
from cleaner.render import replay

from .conftest import ROOT, read_exact

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


def test_seeds_are_there():
    assert len(SEEDS) >= 5


def _labels(seed: Path) -> dict[int, str]:
    rows = (ROOT / "labels" / f"{seed.stem}.tsv").read_text(encoding="utf-8").splitlines()[1:]
    return {int(row.split("\t")[0]): row.split("\t")[1] for row in rows}


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_output_equals_golden(seed):
    assert clean(read_exact(seed)) == read_exact(ROOT / "golden" / seed.name)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_labels_equal_hand_labels(seed):
    got = {d.line: d.label for d in explain(read_exact(seed)).decisions}
    assert got == _labels(seed)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_cleaning_is_idempotent(seed):
    once = clean(read_exact(seed))
    assert clean(once) == once


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_explanation_replays_to_output(seed):
    text = read_exact(seed)
    result = explain(text)
    assert replay(text, result.decisions) == result.text
    assert all(d.rule_id for d in result.decisions if d.label not in ("keep", "blank"))
