"""Clean articles that merely look risky must come through unchanged."""
import pytest

from cleaner import clean, explain

from .conftest import ROOT, read_exact

NEGATIVES = sorted((ROOT / "tests" / "negatives").glob("*.txt"))


def test_enough_negatives():
    assert len(NEGATIVES) >= 15


@pytest.mark.parametrize("doc", NEGATIVES, ids=lambda p: p.stem)
def test_negative_document_is_unchanged(doc):
    text = read_exact(doc)
    result = explain(text)
    touched = [(d.line, d.label, d.rule_id) for d in result.decisions if d.label not in ("keep", "blank")]
    assert touched == []
    assert clean(text) == text


@pytest.mark.parametrize("doc", NEGATIVES, ids=lambda p: p.stem)
def test_negative_language_is_detected(doc):
    expected = doc.stem.split("_")[0]
    assert explain(read_exact(doc)).lang == expected
