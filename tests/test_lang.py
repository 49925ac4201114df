"""Language detection: seeded, bounded, and the fast port agrees with langdetect."""
import pytest

from cleaner import explain
from cleaner.lang import SAMPLE_CHARS, detect, langdetect_samples, plain_language, sample

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


ENGLISH = ("The council said that the new bridge would open in the spring, and that work on the roads "
           "around it has been slower than they had hoped when the plan was first drawn up.")
GERMAN = ("Die Stadt hat am Montag mitgeteilt, dass die neue Brücke erst im Frühjahr eröffnet wird, "
          "weil die Arbeiten an den Straßen langsamer vorankommen, als man es bei der Planung gehofft hatte.")
# Languages that share words with English or German ("of", "was", "die", "der", "den", "es", "das"):
# never taken for them without langdetect.
NEIGHBOURS = {
    "nl": "Het was een koude dag in de stad, en die avond had de burgemeester gezegd dat de brug van "
          "het centrum pas in het voorjaar open zou gaan, of misschien later als het weer slecht is.",
    "da": "Der var koldt i byen den dag, og borgmesteren sagde at den nye bro i centrum først ville "
          "åbne til foråret, eller måske senere hvis vejret er dårligt, men det er ikke sikkert endnu.",
    "es": "Es un día frío en la ciudad y el alcalde dijo que el nuevo puente del centro no se abrirá "
          "hasta la primavera, o quizás más tarde si el tiempo es malo, pero no es seguro todavía.",
    "pt": "Foi um dia frio na cidade e o prefeito disse que a nova ponte das margens do centro só vai "
          "abrir na primavera, ou talvez mais tarde se o tempo for ruim, mas ainda não é certo.",
}


def test_plain_english_and_german_are_known_without_langdetect():
    assert plain_language(ENGLISH) == "en"
    assert plain_language(GERMAN) == "de"
    assert detect([ENGLISH]) == "en" and detect([GERMAN]) == "de"


@pytest.mark.parametrize("lang", sorted(NEIGHBOURS))
def test_neighbouring_languages_are_left_to_langdetect(lang):
    assert plain_language(NEIGHBOURS[lang]) is None
    assert detect([NEIGHBOURS[lang]]) == lang


def test_short_and_mixed_samples_are_left_to_langdetect():
    assert plain_language("The bridge will open in the spring.") is None  # too few words to be sure
    half = ENGLISH.split(". ")[0] + " " + GERMAN
    assert plain_language(half) is None  # neither language's words outnumber the other's four to one


def test_the_shortcut_agrees_with_langdetect_where_it_answers():
    answered = 0
    for path in DOCS:
        text = sample(_lines(path))
        plain = plain_language(text)
        if plain is not None:
            answered += 1
            assert plain == langdetect_samples([text])[0], path.name
    assert answered >= len(DOCS) // 3  # the shortcut is taken, not only declined


def test_no_other_language_passes_for_english_or_german():
    # The hardest text there is for the check: nothing but another language's stopwords
    # (jusText's lists, which hold English loanwords too), in any order.
    import random

    from cleaner.model.stoplists import NAMES, stoplist
    rng = random.Random(0)
    tried = 0
    for code in sorted(set(NAMES) - {"en", "de"}):
        words = sorted(stoplist(code))
        for _ in range(20 if words else 0):
            tried += 1
            assert plain_language(" ".join(rng.choice(words) for _ in range(60))) is None, code
    assert tried >= 40 * 20


def test_langdetect_itself_serves_where_the_port_is_missing(monkeypatch):
    langdetect = pytest.importorskip("langdetect")
    import cleaner.lang as lang
    monkeypatch.setattr(lang, "_backend", langdetect)
    langdetect.DetectorFactory.seed = 0
    assert lang.langdetect_samples([NEIGHBOURS["nl"], "", "12345"]) == ["nl", "unknown", "unknown"]
