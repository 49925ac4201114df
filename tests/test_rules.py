"""Every rule's examples and counter-examples, the schema, and clear errors."""
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner, Config, RuleError
from cleaner.registry import PATTERN_STEPS, REMOVING
from cleaner.rules import RuleSet, load_file, packs_dir, probe

from .conftest import ROOT

BUNDLED = RuleSet.bundled()
RULES = BUNDLED.all_rules()


def test_every_language_pack_covers_every_removing_label_with_patterns():
    removing = set(PATTERN_STEPS) & set(REMOVING)
    assert removing >= {"chrome", "byline", "teaser", "cookie", "comment"}
    for lang in ("en", "de", "fr", "es"):
        steps = {r.step for r in load_file(packs_dir() / f"{lang}.toml")}
        assert removing <= steps, lang


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


#: A line beginning that no rule's phrase starts with, in any language.
NO_PHRASE = "qxzjvk"


def test_a_rule_without_keywords_is_tried_only_on_lines_its_beginning_admits():
    """A rule without keywords is tried on a line only when its pattern can start the way the line
    does (RuleBook). One whose pattern admits any beginning (an optional run of any words before
    its phrase, a lookahead inside an alternation) is tried on every line of the body: three such
    rules once made the chain 2.7 times slower. Such a rule names its phrases as keywords instead;
    one of the tail alone (an address block) is tried on few lines and may stay."""
    every = [r.id for r in RULES if not r.keywords and r.zone != "tail"
             and r.beginning.match(NO_PHRASE, partial=True)]
    assert every == []


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
    "example-missed": (GOOD.replace('["Big Banner"]', '["Big Banner", "Small Banner"]'),
                       "example 'Small Banner' does not match the pattern"),
    "counter-example-matched": (GOOD.replace('["A big banner flew over the stadium."]', '["BIG BANNER"]'),
                                "counter-example 'BIG BANNER' matches the pattern"),
    # the issue's case: an overlapping repeat that backtracks without end on a run of "a" and a "!"
    "catastrophic": (GOOD.replace("big banner$", "(a|a)+$").replace('["Big Banner"]', '["aaaa"]'),
                     "backtracks without end"),
    # menu words are compared with a line in lower case: one written otherwise would never count
    "menu-words": ('[menu]\nwords = ["Gazette"]\n' + GOOD, "[menu] must hold one key, words"),
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
    if case not in ("syntax", "bad-id", "unknown-table", "wrong-step", "menu-words"):
        assert "rule mysite.chrome.banner" in str(err.value)


SQUAD = ["Goalkeepers", "Jordan Pickford", "Nick Pope", "Defenders", "Kyle Walker", "John Stones", "Luke Shaw",
         "Forwards", "Harry Kane", "Phil Foden"]
REPORT = ["England name their squad for the summer",
          "The manager said he had picked the players who were in form this season, and that they would meet on Monday.",
          "He left out two experienced players, saying the door was not closed on either of them before the summer."]


def test_a_run_of_short_lines_is_a_menu_only_when_two_items_name_sections_of_a_site(tmp_path):
    # The squad stays (no item is a menu word); a pack whose [menu] words name two of its lines makes
    # the same run a site's menu, which the chrome step takes whole.
    text = "\n".join([*SQUAD, *REPORT]) + "\n"
    assert Cleaner().clean(text) == text
    path = tmp_path / "mysite.toml"
    path.write_text('[menu]\nwords = ["goalkeepers", "forwards"]\n' + GOOD, encoding="utf-8")
    result = Cleaner(Config(extra_rules=(path,))).explain(text)
    assert result.text == "\n".join(REPORT) + "\n"
    assert {d.rule_id for d in result.decisions if d.label == "chrome"} == {"pos.chrome.menu-above-title"}


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
                    .replace("big banner$", "big banner now$").replace('["Big Banner"]', '["Big Banner now"]'), encoding="utf-8")
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


SLOW = '''
[[chrome]]
id = "mysite.chrome.slow"
description = "A run of a letter (written to backtrack without end)."
pattern = '(a|a)+$'
examples = ["aaaa"]
counter_examples = ["bbbb"]
'''
#: Passes the checks at load (its examples never enter the repeat), but a line
#: of "ab" pairs ending otherwise makes the engine try every way to split it.
SLOW_AT_RUN = SLOW.replace("mysite.chrome.slow", "mysite.chrome.pairs").replace("(a|a)+$", "x$|(ab|ab)+$") \
    .replace('["aaaa"]', '["x"]')
PAGE = "The harbour reopened on Monday after a long winter of repairs, the mayor said.\n" + "a" * 40 + "!\n"
GUARD = 120  # seconds: only a guard against the hang itself; the run ends in about a second


def _cleaner(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    try:
        return subprocess.run([sys.executable, "-m", "cleaner", *args], cwd=cwd, capture_output=True, text=True,
                              timeout=GUARD)
    except subprocess.TimeoutExpired:
        pytest.fail(f"cleaner {' '.join(args)} still running after {GUARD} s")


def test_the_issues_catastrophic_user_rule_stops_the_run_naming_the_rule(tmp_path):
    (tmp_path / "slow.toml").write_text(SLOW, encoding="utf-8")
    (tmp_path / "page.txt").write_text(PAGE, encoding="utf-8")
    done = _cleaner("clean", "page.txt", "--rules", "slow.toml", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "slow.toml" in done.stderr and "mysite.chrome.slow" in done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_user_rule_that_backtracks_on_a_line_stops_the_run_naming_rule_and_file(tmp_path, jobs):
    (tmp_path / "pairs.toml").write_text(SLOW_AT_RUN, encoding="utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.txt").write_text(PAGE.replace("a" * 40, "ab" * 40), encoding="utf-8")
    done = _cleaner("clean", "in", "-o", "out", "--jobs", jobs, "--rules", "pairs.toml", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "mysite.chrome.pairs" in done.stderr and "pairs.toml" in done.stderr
    assert "page.txt" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out" / "page.txt").exists()


def test_the_library_raises_a_rule_error_for_a_rule_that_runs_too_long(tmp_path):
    path = tmp_path / "pairs.toml"
    path.write_text(SLOW_AT_RUN, encoding="utf-8")
    cleaner = Cleaner(Config(extra_rules=(path,)))
    assert cleaner.clean("x\nSome text") == "Some text"
    with pytest.raises(RuleError, match=r"pairs\.toml: rule mysite\.chrome\.pairs: matching took over"):
        cleaner.clean(PAGE.replace("a" * 40, "ab" * 40))


def test_the_load_time_probes_pass_every_bundled_rule():
    # The probes must not reject sound patterns: the bundled ones are.
    for rule in RULES:
        assert probe(rule) is None, rule.id


def test_rules_check_reports_every_bad_rule_and_counts_the_good(tmp_path):
    good = tmp_path / "good.toml"
    good.write_text(GOOD + GOOD.replace("banner", "flag").replace("Banner", "Flag"), encoding="utf-8")
    done = _cleaner("rules", "--check", str(good), cwd=tmp_path)
    assert (done.returncode, done.stdout, done.stderr) == (0, "2 rules ok\n", "")
    bad = tmp_path / "bad.toml"
    bad.write_text(BAD["example-missed"][0] + SLOW + GOOD.replace("mysite.chrome.banner", "mysite.chrome.flag"),
                   encoding="utf-8")
    done = _cleaner("rules", "--check", str(good), str(bad), cwd=tmp_path)
    assert done.returncode == 2 and "rules ok" not in done.stdout
    errors = done.stderr.splitlines()
    assert len(errors) == 3, done.stderr  # the two bad rules, and an id used in good.toml
    assert "mysite.chrome.banner" in errors[0] and "'Small Banner' does not match" in errors[0]
    assert "mysite.chrome.slow" in errors[1] and "backtracks" in errors[1]
    assert "mysite.chrome.flag" in errors[2] and "already used in" in errors[2]
    assert all(str(bad) in e for e in errors)


def test_rules_check_names_a_file_that_is_not_a_rule_file(tmp_path):
    done = _cleaner("rules", "--check", "missing.toml", cwd=tmp_path)
    assert done.returncode == 2 and "missing.toml" in done.stderr and "Traceback" not in done.stderr


def test_rules_check_passes_the_bundled_packs():
    packs = sorted(packs_dir().glob("*.toml"))
    done = _cleaner("rules", "--check", *map(str, packs), cwd=ROOT)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"{len(RULES)} rules ok\n"


def test_a_rule_is_tried_on_every_line_it_matches_though_it_opens_with_a_lookahead():
    # RuleBook picks the rules to try by a line's first characters, asking each rule's
    # pattern without its leading lookarounds: that must still admit every line it matches.
    from cleaner.rules import PREFIX, _without_leading_lookarounds

    assert _without_leading_lookarounds("(?=a{2})(?!b)c") == "c"
    assert _without_leading_lookarounds("(?-i:(?!\\p{Ll}))x") == "x"
    assert _without_leading_lookarounds("(?=[)(])z") == "z"
    assert _without_leading_lookarounds("(?i:(?=a)b)c") == "(?i:(?=a)b)c"  # more than the lookaround
    for rule in RuleSet.bundled().all_rules():
        for example in rule.examples:
            text = example.strip()
            for n in (PREFIX, 6):
                assert rule.beginning.match(text[:n], partial=True), (rule.id, example)


def test_the_books_of_all_languages_share_one_keyword_finder():
    # Each book's own automaton held the common pack's keywords once a language (a DFA: tens of MB).
    rules = RuleSet.bundled()
    en, de, other = rules.book("en"), rules.book("de"), rules.book("xx")
    assert en._finder is de._finder is other._finder
    lines = ["Setze ein Lesezeichen auf den Permalink.", "The harbour reopened on Monday.",
             "This entry was posted in Travel. Bookmark the permalink."]
    # A book is told only of its own rules' keywords, by their order in it.
    de_lines, en_lines = de.keyword_lines(lines), en.keyword_lines(lines)
    assert set(de_lines) == {0, 2} and set(en_lines) == {2}
    assert {de.rules[n].id for n in de_lines[0]} == {"de.chrome.beitrag-meta"}
    assert {en.rules[n].id for n in en_lines[2]} == {"en.chrome.entry-meta"}
    assert [r and r.id for r in de.match_lines(lines)][0] == "de.chrome.beitrag-meta"
    assert [r and r.id for r in en.match_lines(lines)] == [None, None, "en.chrome.entry-meta"]
