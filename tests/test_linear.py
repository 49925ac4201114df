"""Cleaning one document costs work in proportion to its size.

Counted, not timed: every read of a line's label by the steps, on documents
that repeat a block that once made the work grow with the square of the size.
"""
import pytest

from cleaner import Cleaner
from cleaner.steps import base

BODY = "".join(f"The council met on Tuesday to decide the future of the old pool number {i}, and it voted.\n"
               for i in range(10))
BLOCKS = {
    "list headings": "Related articles\nA short headline\n" + BODY,
    "comment headings": BODY * 2 + "Leave a Reply\nName\n",
    "headings in a row": "Related articles\n" * 5 + BODY,
    "broken lines": "a line broken in the middle of its\nsentence goes on here and\n" * 5 + BODY,
}


class CountingList(list):
    reads = 0

    def __getitem__(self, i):
        CountingList.reads += 1
        return super().__getitem__(i)


@pytest.fixture
def counted(monkeypatch):
    original = base.Context.__post_init__

    def post_init(self):
        original(self)
        self.labels = CountingList(self.labels)

    monkeypatch.setattr(base.Context, "__post_init__", post_init)
    cleaner = Cleaner()

    def reads(text):
        CountingList.reads = 0
        cleaner.explain(text, lang="en")
        return CountingList.reads

    return reads


@pytest.mark.parametrize("block", list(BLOCKS.values()), ids=list(BLOCKS))
def test_label_reads_grow_with_the_document_not_its_square(counted, block):
    small, large = counted(block * 100), counted(block * 400)
    assert large <= 4.5 * small, (small, large)


def test_a_long_document_loses_what_each_of_its_parts_loses():
    page = BLOCKS["list headings"]
    assert Cleaner().clean(page * 2000, lang="en") == BODY * 2000
