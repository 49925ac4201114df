"""Every rule's examples and counter-examples, the schema, and clear errors."""
from pathlib import Path

import pytest

from cleaner import Cleaner, Config, RuleError
from cleaner.rules import PATTERN_STEPS, RuleSet, load_file, packs_dir

from .conftest import ROOT

BUNDLED = RuleSet.bundled()
RULES = BUNDLED.all_rules()


def test_every_language_pack_covers_every_label():
    for lang in ("en", "de", "fr", "es"):
        steps = {r.step for r in load_file(packs_dir() / f"{lang}.toml")}
        assert {"chrome", "byline", "teaser", "cookie", "comment"} <= steps, lang


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_matches_its_examples(rule):
    lang = rule.id.split(".")[0]
    book = BUNDLED.book("xx" if lang == "common" else lang)
    zone = {"any": "body", "edge": "head", "head": "head", "tail": "tail"}[rule.zone]
    for example in rule.examples:
        assert rule.matches(example), f"{rule.id} misses its example {example!r}"
        # through the book too: first-character dispatch and keywords must let it fire
        hit = book.match(example.strip(), zone)
        assert hit is not None and hit.step == rule.step, f"{example!r} gives {hit and hit.id}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_no_rule_of_the_step_matches_a_counter_example(rule):
    lang = rule.id.split(".")[0]
    book = BUNDLED.book("xx" if lang == "common" else lang)
    for counter in rule.counter_examples:
        for zone in ("body", "head", "tail"):
            hit = book.match(counter.strip(), zone)
            assert hit is None or hit.step != rule.step, f"{hit.id} matches {counter!r}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_rule_schema(rule):
    pack, step, _ = rule.id.split(".")
    assert step == rule.step and step in PATTERN_STEPS
    assert pack == ("common" if Path(rule.source).stem == "_common" else Path(rule.source).stem)
    assert rule.description


def test_rule_ids_are_unique():
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))


def test_rules_quote_no_seed_text():
    """Rules describe kinds of lines: none quotes a seed's article text or a long line of it.

    Short template phrases ("Leave a Reply") recur on thousands of sites and may
    stand in a rule's examples; a seed's own sentences may not.
    """
    sources = [p.read_text(encoding="utf-8") for p in [*(ROOT / "rules").glob("*.toml"), *(ROOT / "cleaner").rglob("*.py")]]
    for labels in (ROOT / "labels").glob("*.tsv"):
        for row in labels.read_text(encoding="utf-8").splitlines()[1:]:
            _, label, line = row.split("\t", 2)
            line = line.strip()
            if (label == "keep" and len(line) >= 12) or len(line) > 60:
                assert not any(line in src for src in sources), f"{labels.name} line quoted: {line!r}"


GOOD = '''
[[chrome]]
id = "mysite.chrome.banner"
description = "A banner."
pattern = 'big banner$'
flags = "i"
examples = ["Big Banner"]
counter_examples = ["A big banner flew over the stadium."]
'''

BAD = {
    "syntax": ("[[chrome]\nid = 1", "not valid TOML"),
    "unknown-key": (GOOD.replace('flags = "i"', 'flags = "i"\nweight = 2'), "unknown key 'weight'"),
    "missing-key": (GOOD.replace('examples = ["Big Banner"]\n', ""), "missing key 'examples'"),
    "bad-id": (GOOD.replace("mysite.chrome.banner", "Banner"), "id must look like"),
    "wrong-step": (GOOD.replace("mysite.chrome.banner", "mysite.teaser.banner"), "names step 'teaser'"),
    "bad-regex": (GOOD.replace("big banner$", "big (banner$"), "does not compile"),
    "unknown-table": (GOOD.replace("[[chrome]]", "[[sidebar]]"), "unknown table [[sidebar]]"),
    "bad-zone": (GOOD.replace('flags = "i"', 'flags = "i"\nzone = "middle"'), "zone must be one of"),
    "undefined-piece": (GOOD.replace("big banner$", "{{nothing}}$"), "{{nothing}} is not defined"),
    "no-examples": (GOOD.replace('examples = ["Big Banner"]', "examples = []"), "examples must be a non-empty list"),
    "keyword-two-lines": (GOOD.replace('flags = "i"', 'flags = "i"\nkeywords = ["big\\nbanner"]'), "on one line"),
    "reverse-unanchored": (GOOD.replace("big banner$", "big banner").replace('flags = "i"', 'flags = "ir"'),
                           "needs a pattern that ends with $"),
    # "big banner" alone is not anchored at the end: from the end the pattern decides the example otherwise
    "reverse-half-anchored": (GOOD.replace("big banner$", "big banner|huge banner$")
                              .replace('flags = "i"', 'flags = "ir"').replace('["Big Banner"]', '["Big Banner here"]')
                              .replace('["A big banner flew over the stadium."]', '["Huge banners"]'),
                              "anchor every alternative with $"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_rule_file_names_file_and_rule(tmp_path, case):
    content, message = BAD[case]
    path = tmp_path / "mysite.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RuleError) as err:
        Cleaner(Config(extra_rules=(path,)))
    assert str(path) in str(err.value)
    assert message in str(err.value)
    if case not in ("syntax", "bad-id", "unknown-table", "wrong-step"):
        assert "rule mysite.chrome.banner" in str(err.value)


def test_duplicate_rule_id_is_an_error(tmp_path):
    path = tmp_path / "mysite.toml"
    path.write_text(GOOD.replace("mysite.chrome.banner", "en.chrome.advertisement"), encoding="utf-8")
    with pytest.raises(RuleError, match="already used"):
        Cleaner(Config(extra_rules=(path,)))


def test_extra_rule_file_adds_a_rule(tmp_path):
    path = tmp_path / "mysite.toml"
    path.write_text(GOOD, encoding="utf-8")
    text = "A headline about the harbour\nThe harbour reopened on Monday after a long winter of repairs.\nBig Banner"
    result = Cleaner(Config(extra_rules=(path,))).explain(text)
    assert result.text == "A headline about the harbour\nThe harbour reopened on Monday after a long winter of repairs."
    assert result.decisions[-1].rule_id == "mysite.chrome.banner"


def test_extra_rule_file_for_one_language(tmp_path):
    path = tmp_path / "mysite.de.toml"
    path.write_text(GOOD, encoding="utf-8")
    text = "The harbour reopened on Monday after a long winter of repairs, the mayor said.\nBig Banner"
    cleaner = Cleaner(Config(extra_rules=(path,)))
    assert cleaner.clean(text, lang="de").endswith("said.")
    assert cleaner.clean(text, lang="en") == text


REVERSED = [r for r in RULES if "r" in r.flags]


def test_some_bundled_rules_match_from_the_end():
    assert REVERSED, "no rule uses flag r: the test below checks nothing"


@pytest.mark.parametrize("rule", REVERSED, ids=lambda r: r.id)
def test_reverse_rule_decides_every_line_as_forward_does(rule):
    # Lines of every seed and negative document, the examples of all rules,
    # and those lines cut at every tenth character: matched from the end, a
    # rule must fire on exactly the lines it fires on from the start.
    lines = {ex for r in RULES for ex in (*r.examples, *r.counter_examples)}
    for path in [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "negatives").glob("*.txt")]:
        lines.update(ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip())
    lines.update(line[:cut] for line in list(lines) for cut in range(10, len(line), 10))
    forward = [line for line in lines if rule.forward.match(line)]
    assert forward == [line for line in lines if rule.regex.match(line)]
    assert set(forward) >= set(rule.examples)


def test_edge_rule_first_in_chain_order_wins_over_a_body_hit(tmp_path):
    path = tmp_path / "mysite.toml"
    path.write_text(GOOD.replace("big banner$", "big banner(?: now)?$").replace("flags = \"i\"", 'flags = "i"\nzone = "tail"')
                    + GOOD.replace("[[chrome]]", "[[teaser]]").replace("mysite.chrome.banner", "mysite.teaser.banner")
                    .replace("big banner$", "big banner now$"), encoding="utf-8")
    book = RuleSet.bundled(extra=(path,)).book("xx")
    assert book.match("Big banner now").id == "mysite.teaser.banner"  # in the body only the teaser rule may fire
    assert book.match("Big banner now", "tail").id == "mysite.chrome.banner"  # chrome comes first in the chain
    assert book.match("Big banner", "head") is None


def test_a_keyword_ending_in_a_line_break_must_end_the_line(tmp_path):
    path = tmp_path / "mysite.toml"
    path.write_text(GOOD.replace("big banner$", "big banner.*$").replace('flags = "i"', 'flags = "i"\nkeywords = ["banner\\n"]'),
                    encoding="utf-8")
    book = RuleSet.bundled(extra=(path,)).book("xx")
    assert book.match("Big Banner").id == "mysite.chrome.banner"
    assert book.match("BIG BANNER").id == "mysite.chrome.banner"
    assert book.match("Big banner ahead") is None  # the pattern alone would take it
    assert book.match_lines(["Big banner ahead", "Big banner"]) == [None, book.match("Big banner")]
