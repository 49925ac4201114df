"""The cleaning contract as a property: idempotent, joins of neighbours only,
no other character changed, the final break kept, explain() replaying.

The documents are made of lines of the seeds and negatives and of the rules'
own examples (so that removals are common), cut and shrunk, in every layout.
Hypothesis runs derandomized and without a database: the same cases each run.
"""
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.contract import breaks

from .conftest import ROOT, read_exact

CLEANER = Cleaner()


def _pool():
    lines = []
    for path in sorted([*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "negatives").glob("*.txt")]):
        lines += [ln for ln in read_exact(path).splitlines() if ln.strip()]
    for path in sorted((ROOT / "rules").glob("*.toml")):
        for table in tomllib.loads(path.read_text(encoding="utf-8")).values():
            for rule in table if isinstance(table, list) else []:
                lines += rule.get("examples", [])
    return lines


POOL = _pool()


@st.composite
def lines(draw):
    line = draw(st.sampled_from(POOL))
    words = line.split()
    how = draw(st.integers(0, 4))
    if how == 1:  # a few words of it
        start = draw(st.integers(0, len(words) - 1))
        words = words[start:start + draw(st.integers(1, 5))]
    elif how == 2:  # its shape without its sense: every word shrunk to a letter
        words = [w[0] for w in words]
    elif how == 3:
        words = [*words, draw(st.sampled_from(["-", "—", "says:", "and", "..."]))]
    elif how == 4:
        return draw(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12))
    return " ".join(words) or line


@st.composite
def documents(draw):
    body = draw(st.lists(lines(), min_size=1, max_size=8))
    brk = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    text = ""
    for i, line in enumerate(body):
        text += line
        if i + 1 < len(body):
            text += brk if draw(st.integers(0, 3)) else brk + brk
    return text + draw(st.sampled_from(["", brk]))


@settings(max_examples=400, derandomize=True, database=None, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_the_contract_holds(text):
    assert breaks(CLEANER, text) == []


# Cases the fuzzer found, shrunk (bench/fuzz.py): each broke the contract once.
@pytest.mark.parametrize("text", [
    # a dash's line glued by its rule to the first of a run of short lines, whose others were left apart:
    # a second cleaning found the run two lines long and glued them
    "Putin, Raisi discuss boosting bilateral relations, stabilizing Syria\n\nThe two heads of states have "
    "expressed their intention to stabilize the situation in Syria and restore the country's territorial "
    "sovereignty.\n\nReactions -\n0\ndiscuss boosting bilateral",
    # a removed line before a blank line: the output lost the blank line, and a second pass joined
    ", d o\ncomment\n\nd w d\n",
    # the language of the output differed from the input's, and its rules removed more
    "By D\n6 t b t r s n f f m — r , R , a g M J a s t h n d — t e t t 0 . , o d t a 8 e h d as a re l r ’ e\n"
    "Comment\nbieren von Eählersektiven ütionierung\n",
    "n e a e l , b und it g A bt:\nNeueste Kommentare\nWarning: on line 2\n",
    # a join that made a byline
    "By Rps -\n1/0/19\n",
    # joins across a removed line
    "He -\nSíguenos\nP\n",
    "t 9 m\nr says:\na t d\n",
    "g a r\nCOMMENT BY X — 2\nd w d\n",
    # a repeated line kept because a sentence runs across it, then dropped again as a repeat
    "The committee will meet again on Monday to hear the remaining witnesses\nt\nv r a h a s a g f a h minority.\n"
    "b h t\nThe committee will meet again on Monday to hear the remaining witnesses\nb [ C\nt b t\ni\nr\n",
    # a glued paragraph of running text before the body: a second cleaning would move the body up
    "Back to top\nC\npaper.\nf c b\ny g u b t W t c experience.\n",
    # a copy kept again (its first copy is glued) is running text: the body reaches it
    "x y Z\nrenewal of the library lease for two more years; the board approved it.\nx y Council’s\n"
    "renewal of the library lease for two more years; the board approved it.\nunanimously.\n",
    # a dateline's broken line ended a list of links, which took it once glued
    "WASHINGTON -\rArticoli correlati\rP ( —\re\r",
    # a line glued into a summary cut off with an ellipsis made a run of three of them
    "s w w light...\r\na 3 o\r\nv e for...\r\ns w t making...\r\n",
    # a short tail line between a repeat and a date that a later step removes: furniture either way
    "The mayor said the new pool would open in the spring, to the delight of many families.\no\nWASHINGTON -\n"
    "The mayor said the new pool would open in the spring, to the delight of many families.\nW\nSept. 4 2019\n",
    # the last line a copy of a glued line: kept again, the line before it is glued to it
    "b w t\rrules for the town forum. These rules will be used to decide which posts are taken down from view\r"
    "a d s\rrules for the town forum. These rules will be used to decide which posts are taken down from view\r",
    # a glued dateline that ends like a dateline itself
    "B ( –\nwashington -\nT\n",
])
def test_a_case_the_fuzzer_found(text):
    assert breaks(CLEANER, text) == []
