"""Language detection: seeded, bounded, and the fast port agrees with langdetect."""
import pytest

from cleaner import explain
from cleaner.lang import SAMPLE_CHARS, detect, sample

from .conftest import ROOT, read_exact

DOCS = sorted([*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "negatives").glob("*.txt")])


def _lines(path):
    return [ln.strip() for ln in read_exact(path).splitlines() if ln.strip()]


def test_sample_is_bounded_and_in_document_order():
    lines = ["short", "a much longer line of running text " * 10, "another line of text with words " * 10]
    got = sample(lines, 100)
    assert len(got) <= 100 + len(lines)
    assert got.startswith("a much longer")
    assert sample(lines * 100) and len(sample(lines * 100)) <= SAMPLE_CHARS + 100


def test_same_text_same_answer():
    text = "Der Bundestag hat am Donnerstag ein neues Gesetz beschlossen, das ab Januar gilt."
    assert {detect([text]) for _ in range(5)} == {"de"}


def test_no_letters_is_unknown():
    assert detect(["12345", "67 89"]) == "unknown"
    assert explain("12345\n67890").lang == "unknown"


@pytest.mark.parametrize("path", DOCS, ids=lambda p: p.stem)
def test_fast_port_agrees_with_langdetect(path):
    langdetect = pytest.importorskip("langdetect")
    port = pytest.importorskip("langdetect_rs")
    langdetect.DetectorFactory.seed = 0
    port.DetectorFactory.seed = 0
    text = sample(_lines(path))
    assert port.detect(text) == langdetect.detect(text)
    for line in _lines(path)[:5]:
        try:
            expected = langdetect.detect(line)
        except langdetect.lang_detect_exception.LangDetectException:
            continue
        assert port.detect(line) == expected


def test_a_document_that_cleans_to_nothing_is_cleaned_in_its_own_language():
    # The output has no language of its own: that is no reason to doubt the input's.
    assert explain("This website uses cookies to improve your experience.").text == ""


def test_a_document_is_cleaned_in_the_language_its_output_reads_as():
    # German-looking words in an English sample: once the English rules have
    # removed the error line, what is left reads as German, whose rules take
    # the comment heading; a second cleaning then finds nothing more.
    text = "n e a e l , b und it g A bt:\nNeueste Kommentare\nWarning: on line 2\n"
    result = explain(text)
    assert explain(result.text).text == result.text
    assert explain(result.text).lang == result.lang
