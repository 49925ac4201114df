"""The byte contract of LABELLING.md, on the seeds, the negatives and variants of them."""
import random

import pytest

from cleaner import clean, explain
from cleaner.render import replay

from .conftest import ROOT, read_exact

DOCS = [read_exact(p) for p in sorted([*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "negatives").glob("*.txt")])]
CHROME = ["Advertisement", "Read More", "None", "Share this article", "This website uses cookies to improve your experience.",
          "Leave a Reply", "Photo: Jane Doe, AP"]


def variants():
    rng = random.Random(7)
    for n, doc in enumerate(DOCS):
        lines = doc.replace("\r\n", "\n").split("\n")
        for style in range(4):
            body = list(lines)
            for _ in range(rng.randint(0, 3)):
                body.insert(rng.randint(0, len(body)), rng.choice(CHROME))
            sep = "\n\n" if style % 2 else "\n"
            text = sep.join(ln for ln in body if ln.strip())
            if style >= 2:
                text = text.replace("\n", "\r\n")
            if rng.random() < 0.5:
                text += "\r\n" if style >= 2 else "\n"
            yield pytest.param(text, id=f"doc{n}-style{style}")


def _paragraphs(text: str) -> list[str]:
    return [p for p in text.replace("\r\n", "\n").split("\n") if p.strip()]


@pytest.mark.parametrize("text", list(variants()))
def test_contract(text):
    result = explain(text)
    out = result.text
    # the output ends with a line break exactly when the input did
    assert out.endswith("\n") == text.endswith("\n")
    # CRLF documents stay CRLF: no bare line feed appears
    if "\r\n" in text:
        assert "\n" not in out.replace("\r\n", "")
    # every output paragraph is an input line, or input lines glued by join
    by_line = {d.line: d for d in result.decisions}
    kept, glue = [], []
    for number in sorted(by_line):
        d = by_line[number]
        if d.label == "join":
            glue.append(d.text)
        elif d.label == "keep":
            kept.append(" ".join([*glue, d.text]))
            glue = []
    assert _paragraphs(out) == kept
    # the separator between paragraphs is one the input used
    assert replay(text, result.decisions) == out
    assert clean(out) == out


def test_nothing_to_remove_comes_back_identical():
    text = "A headline\r\n\r\nThe first paragraph says what happened and why it matters.\r\n\r\nThe second one adds detail.\r\n"
    assert clean(text) == text


@pytest.mark.parametrize("text", [
    "", " ", "\n", "\n\n\n", "   \n\t\n", "One single line", "One single line\n", "None",
    "Title\nA sentence without a final newline.",
    "Nul\x00bytes in the middle of a line are just characters.\nRead More",
    "Ελληνικό κείμενο χωρίς πακέτο κανόνων, που πρέπει να μείνει όπως είναι.\nΔεύτερη γραμμή.",
    "中文文本没有规则包，应该保持原样。\n第二行文字。",
    "12345\n67890",
    "\ufeffA text that starts with a byte order mark.\nAdvertisement\n",
    "line one\rline two\rAdvertisement\r",
])
def test_awkward_input_gets_a_correct_result(text):
    result = explain(text)
    assert isinstance(result.text, str)
    assert clean(result.text) == result.text
    assert replay(text, result.decisions) == result.text
    assert result.text.endswith(("\n", "\r")) == text.endswith(("\n", "\r")) or not result.text.strip()
    assert len(result.decisions) == (text != "") * len(text.replace("\r\n", "\n").replace("\r", "\n").split("\n")) - text.endswith(("\n", "\r"))


def test_whitespace_only_text_is_returned_as_is():
    for text in ("", "  ", "\n\n", " \r\n \r\n"):
        assert clean(text) == text


def test_a_megabyte_line_is_kept_whole():
    long_line = ("All work and no play makes a very long paragraph of text. " * 20000).strip()
    text = f"A title\n{long_line}\nAdvertisement\n"
    assert clean(text) == f"A title\n{long_line}\n"


def test_text_in_a_script_without_a_pack_uses_the_common_rules():
    text = "Ελληνικό κείμενο για τον καιρό της εβδομάδας που έρχεται και τις βροχές.\nnull\n© 2024 Εφημερίδα"
    result = explain(text)
    assert result.lang == "el"
    assert result.text == "Ελληνικό κείμενο για τον καιρό της εβδομάδας που έρχεται και τις βροχές."
    assert [d.rule_id for d in result.removed] == ["common.chrome.null-token", "common.chrome.copyright"]


def test_bytes_are_refused_with_a_clear_error():
    with pytest.raises(TypeError, match="text must be str"):
        clean(b"bytes")  # type: ignore[arg-type]


def test_a_batch_gives_what_one_document_at_a_time_gives():
    from cleaner import Cleaner

    cleaner = Cleaner()
    texts = DOCS + ["", "\n", "12345"]
    batch = cleaner.explain_many(texts)
    for text, result in zip(texts, batch):
        alone = cleaner.explain(text)
        assert (result.text, result.lang, result.decisions, result.metadata) == \
            (alone.text, alone.lang, alone.decisions, alone.metadata)
