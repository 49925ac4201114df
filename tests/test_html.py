"""HTML in: decoding, trafilatura as the front end, the chain after it, metadata out.

The pages in tests/html/ are small hand-written pages, each stored in the
encoding its name says.
"""
import subprocess
import sys

import pytest

from cleaner import Cleaner, Config
from cleaner.encoding import decode_html, declared_charset, normalise
from cleaner.html import METADATA_KEYS, NO_TEXT, UNDECODABLE, clean_html, explain_html, html_to_text
from cleaner.render import replay

from .conftest import ROOT

PAGES = ROOT / "tests" / "html"


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


# name, the codec that wrote it, what must come out, how the codec was chosen
ENCODED = [
    ("latin1_meta.html", "latin-1", ["Die Bäckerei am Marktplatz schließt", "Öfen", "größere Mengen Brötchen", "Café"], "declared"),
    ("cp1252_meta.html", "cp1252", ["Ferry fares rise by €2", "island’s", "“Fuel and crew costs", "unimpressed… ‘It’s", "month — the"], "declared"),
    ("latin1_label_cp1252_bytes.html", "cp1252", ["by €2", "“Fuel", "‘It’s the only way to get to work,’"], "declared"),
    ("utf8_bom.html", "utf-8-sig", ["Zürich opens a naïve art museum", "former café", "(about €13)", "from Σάμος"], "bom"),
    ("utf8_undeclared.html", "utf-8", ["Zürich opens a naïve art museum", "former café", "(about €13)", "from Σάμος"], "utf-8"),
]


@pytest.mark.parametrize(("name", "codec", "expected", "source"), ENCODED, ids=[e[0] for e in ENCODED])
def test_pages_in_each_encoding_come_out_with_the_right_characters(name, codec, expected, source):
    data = page(name)
    assert decode_html(data).source == source
    text, _ = html_to_text(data)
    for snippet in expected:
        assert snippet in text
    for bad in ("\ufffd", "Ã", "â€", "\x80", "\x93", "\ufeff"):
        assert bad not in text


@pytest.mark.parametrize(("name", "codec"), [(e[0], e[1]) for e in ENCODED], ids=[e[0] for e in ENCODED])
def test_bytes_and_the_decoded_str_give_the_same_result(name, codec):
    data = page(name)
    as_str = data.decode(codec)
    assert html_to_text(data) == html_to_text(as_str)
    assert clean_html(data) == clean_html(as_str)
    assert explain_html(data).metadata == explain_html(as_str).metadata


def test_the_chain_removes_what_trafilatura_left():
    data = page("boilerplate.html")
    extracted, _ = html_to_text(data)
    # trafilatura keeps the teasers, the byline, the advertisement and the cookie notice ...
    assert "Read more: Council budget for next year leaves little room for new projects" in extracted.split("\n")
    assert "This website uses cookies" in extracted
    result = explain_html(data)
    # ... and the chain takes them out, saying why, and keeps the article whole.
    assert result.text == "\n".join([
        "Town approves new footbridge over the river",
        "The town council voted on Tuesday evening to build a footbridge between the old mill and the railway station, "
        "ending a debate that has gone on for more than a decade.",
        "The bridge will be 85 metres long and wide enough for bicycles. Work is due to start in September and should take "
        "about fourteen months, the council said.",
        "Residents of the east bank, who now walk twenty minutes to reach the station, welcomed the decision. Shopkeepers "
        "near the mill hope for more customers from commuters.",
        "The cost, estimated at 4.2 million euros, will be shared between the town, the regional government and a European "
        "fund for cycling routes.",
    ])
    assert [d.label for d in result.removed] == ["byline", "teaser", "teaser", "chrome", "cookie"]
    assert all(d.rule_id for d in result.removed)
    assert result.lang == "en"
    assert clean_html(data) == result.text


def test_metadata_merges_trafilatura_and_the_byline():
    meta = explain_html(page("boilerplate.html")).metadata
    assert meta == {
        "title": "Town approves new footbridge over the river",
        "author": "Jane Doe",
        "date": "2024-03-14",
        "sitename": "Riverside Gazette",
        "url": "https://gazette.example.org/news/footbridge-approved",
        "byline": {"author": "Tom Baker"},  # the role is not part of the name
        "warnings": [],
    }
    _, only_trafilatura = html_to_text(page("boilerplate.html"))
    assert tuple(only_trafilatura) == METADATA_KEYS


def test_missing_metadata_is_none_and_the_keys_are_always_there():
    meta = explain_html(page("utf8_undeclared.html")).metadata
    assert set(meta) == {*METADATA_KEYS, "byline", "warnings"}
    assert meta["title"] == "Zürich opens a naïve art museum"
    assert meta["author"] is None and meta["sitename"] is None
    assert meta["byline"] == {} and meta["warnings"] == []


def test_the_url_given_is_the_url_out_when_the_page_names_none():
    meta = explain_html(page("cp1252_meta.html"), url="https://ferries.example.net/fares").metadata
    assert meta["url"] == "https://ferries.example.net/fares"


@pytest.mark.parametrize("name", ["empty.html", "cookie_wall.html"])
def test_a_page_without_article_text_gives_empty_output_and_a_warning(name):
    result = explain_html(page(name))
    assert result.text == ""
    assert clean_html(page(name)) == ""
    assert result.metadata["warnings"] == [NO_TEXT]
    # what the page says about itself is still returned
    assert result.metadata["title"] in ("Loading", "Before you continue")


def test_warnings_can_be_counted_over_a_batch():
    names = ["boilerplate.html", "empty.html", "cookie_wall.html", "latin1_meta.html"]
    results = [explain_html(page(n)) for n in names]
    assert sum(NO_TEXT in r.metadata["warnings"] for r in results) == 2


@pytest.mark.parametrize("html", ["", "   \n", b"", "plain words, no markup", b"\x00\x01\x02", "<html></html>"])
def test_degenerate_input_is_not_an_error(html):
    result = explain_html(html)
    assert result.text == ""
    assert result.metadata["warnings"] == [NO_TEXT]
    assert html_to_text(html) == ("", dict.fromkeys(METADATA_KEYS))


@pytest.mark.parametrize("name", sorted(p.name for p in PAGES.glob("*.html")))
def test_explain_html_replays_to_its_output(name):
    data = page(name)
    extracted, _ = html_to_text(data)
    result = explain_html(data)
    assert replay(extracted, result.decisions) == result.text
    assert len(result.decisions) == len(extracted.split("\n")) * bool(extracted)
    assert [d.text for d in result.decisions] == (extracted.split("\n") if extracted else [])
    # the output is clean text: cleaning it again changes nothing
    assert Cleaner().clean(result.text) == result.text


def test_extracted_text_is_one_collapsed_paragraph_a_line():
    html = ("<html><head><title>t</title></head><body><article><h1>A   heading</h1>"
            "<p>First\tparagraph,\n   broken over\u00a0lines in the source, long enough to count as running text here.</p>"
            "<p></p><p>Second paragraph of the article, also long enough to be kept by the extractor.</p>"
            "</article></body></html>")
    text, _ = html_to_text(html)
    assert text == ("A heading\n"
                    "First paragraph, broken over lines in the source, long enough to count as running text here.\n"
                    "Second paragraph of the article, also long enough to be kept by the extractor.")


def test_a_custom_cleaner_and_a_language_are_used():
    data = page("boilerplate.html")
    no_teasers = Cleaner(Config(disabled=frozenset({"teaser"})))
    kept = clean_html(data, cleaner=no_teasers)
    assert "Read more: Flood defences on the east bank to be raised by half a metre" in kept
    assert "This website uses cookies" not in kept
    assert explain_html(data, lang="en").lang == "en"


def test_other_input_types_are_refused():
    with pytest.raises(TypeError):
        html_to_text(None)
    with pytest.raises(TypeError):
        explain_html(12)


def test_an_xml_declaration_in_a_str_page_does_no_harm():
    body = page("utf8_undeclared.html").decode("utf-8")
    xhtml = '<?xml version="1.0" encoding="iso-8859-1"?>\n' + body
    assert html_to_text(xhtml) == html_to_text(body)


def test_trafilatura_is_imported_only_when_html_is_met():
    code = ("import sys, cleaner, cleaner.html; cleaner.clean('A line of text.'); "
            "assert 'trafilatura' not in sys.modules; "
            "cleaner.html.html_to_text('<html><body><p>x</p></body></html>'); "
            "assert 'trafilatura' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# decoding, byte by byte

def test_a_declared_single_byte_charset_loses_to_valid_utf8():
    data = '<meta charset="iso-8859-1"><p>Grüße aus Köln</p>'.encode("utf-8")
    decoded = decode_html(data)
    assert decoded.text.endswith("Grüße aus Köln</p>")
    assert decoded.source == "utf-8"


def test_pure_ascii_is_the_same_whatever_is_declared():
    data = b'<meta charset="windows-1251"><p>plain words</p>'
    assert decode_html(data).text == data.decode("ascii")


def test_stray_latin1_bytes_in_utf8_are_read_as_windows_1252():
    data = '<meta charset="utf-8"><p>Café – naïve</p><p>'.encode("utf-8") + "Mäscot“".encode("cp1252") + b"</p>"
    decoded = decode_html(data)
    assert decoded.text.endswith("<p>Café – naïve</p><p>Mäscot“</p>")
    assert not decoded.replaced
    undeclared = decode_html(data.replace(b'<meta charset="utf-8">', b""))
    assert undeclared.text == decoded.text.replace('<meta charset="utf-8">', "")
    assert undeclared.source == "mixed"
    # a legacy label loses to the evidence too
    mislabelled = decode_html(data.replace(b'charset="utf-8"', b'charset="iso-8859-1"'))
    assert mislabelled.text == decoded.text.replace('charset="utf-8"', 'charset="iso-8859-1"')
    # while a page that is really windows-1252 stays windows-1252
    legacy = '<meta charset="iso-8859-1"><p>Café – naïve “quoted” Mäscot</p>'
    assert decode_html(legacy.encode("cp1252")).text == legacy


def test_the_five_undefined_windows_1252_bytes_do_not_fail():
    data = b'<meta charset="windows-1252"><p>\x81\x8d\x8f\x90\x9d \x80</p>'
    decoded = decode_html(data)
    assert decoded.text.endswith("<p>\x81\x8d\x8f\x90\x9d €</p>")
    assert not decoded.replaced


@pytest.mark.parametrize(("lang", "text", "codec"), [
    ("fr", "Le château coûte 3 € — “très” cher, à l’évidence.", "cp1252"),
    ("pl", "Zażółć gęślą jaźń, powiedział łódzki żółw.", "cp1250"),
    ("ru", "Съешь же ещё этих мягких французских булок.", "cp1251"),
])
def test_undeclared_legacy_pages_use_the_code_page_of_their_language(lang, text, codec):
    data = f'<html lang="{lang}"><body><p>{text}</p></body></html>'.encode(codec)
    decoded = decode_html(data)
    assert text in decoded.text
    assert (decoded.encoding, decoded.source) == (codec, "lang")


def test_undeclared_legacy_pages_without_a_language_are_detected():
    text = ("Съешь же ещё этих мягких французских булок, да выпей чаю. "
            "В чащах юга жил бы цитрус? Да, но фальшивый экземпляр!")
    decoded = decode_html(f"<html><body><p>{text}</p></body></html>".encode("cp1251"))
    assert text in decoded.text
    assert decoded.source == "detected"


@pytest.mark.parametrize(("data", "expected"), [
    (b'<meta charset="UTF-8">', "utf_8"),
    (b"<META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=ISO-8859-1'>", "cp1252"),
    (b'<meta http-equiv="content-type" content="text/html;charset=gb2312" />', "gb18030"),
    (b'<?xml version="1.0" encoding="windows-1250"?><html>', "cp1250"),
    (b'<meta charset="utf-16">', "utf_8"),
    (b'<meta charset="no-such-charset">', None),
    (b"<p>charset=utf-8 in running text</p>", None),
])
def test_declared_charsets_are_read_as_browsers_read_them(data, expected):
    assert declared_charset(data) == expected


def test_byte_order_marks_decide():
    text = "<p>Grüße €</p>"
    for codec in ("utf-8-sig", "utf-16", "utf-32"):
        decoded = decode_html(text.encode(codec))
        assert (decoded.text, decoded.source) == (text, "bom")
    # a BOM beats a declaration
    assert decode_html(b"\xef\xbb\xbf" + '<meta charset="iso-8859-1">é'.encode("utf-8")).text.endswith("é")


def test_undecodable_bytes_are_replaced_and_reported():
    data = b'<meta charset="shift_jis"><p>\x81</p>'
    decoded = decode_html(data)
    assert decoded.replaced and "\ufffd" in decoded.text
    html = (b'<html><head><meta charset="euc-jp"><title>t</title></head><body><article><p>'
            + "A paragraph of article text that is long enough to be kept by the extractor. ".encode("ascii") * 3
            + b"\xff</p></article></body></html>")
    assert UNDECODABLE in explain_html(html).metadata["warnings"]


def test_labels_normalise_to_browser_codecs():
    assert normalise("latin1") == "cp1252"
    assert normalise("US-ASCII") == "cp1252"
    assert normalise("Shift_JIS") == "cp932"
    assert normalise("utf8") == "utf_8"
    assert normalise("x-unknown") is None
