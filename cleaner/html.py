"""HTML in: trafilatura as the front end, the chain after it, metadata out.

    >>> from cleaner.html import clean_html, explain_html
    >>> text = clean_html(page_bytes)            # doctest: +SKIP
    >>> result = explain_html(page_bytes)        # doctest: +SKIP
    >>> result.metadata["title"], result.metadata["warnings"]  # doctest: +SKIP

trafilatura is imported here only, and only when a page is met.

Decoding
--------
Bytes are decoded by `cleaner.encoding.decode_html` (byte order mark, then
valid UTF-8, then the charset the page declares read as browsers read it,
then the language's legacy code page or detection); trafilatura gets the
decoded text, never the bytes, because on its own it ignores the page's
declaration and guesses: in the devset it read an ISO-8859-1 page as
windows-1250, turned the windows-1252 punctuation of another into C1 control
characters, and replaced the stray Latin-1 bytes of four UTF-8 pages by U+FFFD.

Settings, chosen by measurement
-------------------------------
`SETTINGS` ask trafilatura for recall, with comments and tables: the settings
the devset `text` itself was made with, and the ones that keep the most of
the article as issue 4 measures it (`bench/quality.py --html`: the share of
the `with` snippets found in the devset text that survive). The chain after
them removes the comments, teasers and chrome that recall lets through.

Measured over the twelve combinations of favor_recall / favor_precision /
include_comments / include_tables on the 697 pages of
``shared/devset/tf-dev-html.tar.gz`` (trafilatura 2.3.1; a one-off script
over the twelve, not kept: `bench/quality.py --html` gives the reference
columns), trafilatura alone -> with the chain, "with
kept" / "without removed" among the snippets found in the devset text:

    recall+comments+tables (chosen)   0.998 -> 0.998    0.000 -> 0.426
    default (comments+tables)         0.992 -> 0.992    0.140 -> 0.500
    precision+comments+tables         0.968 -> 0.967    0.314 -> 0.562

The default settings let the chain remove more, but then trafilatura plus
the chain keeps one `with` snippet fewer than trafilatura's default alone;
recall keeps eleven more. Precision loses 46 `with` snippets, which no
cleaning after it can bring back. Over *all* snippets (not only those in the
devset text) the default keeps 5 more than recall: the measure is not
neutral between settings, since the devset text was made with recall. The
figures move with the rules; `bench/quality.py --html` gives the current ones.

Output
------
`html_to_text` gives the extracted text one paragraph a line, runs of
whitespace inside a paragraph collapsed to one space, empty paragraphs
dropped (as the devset `text` was made; the devset adds a final newline, we
do not, so that a page without text gives exactly ``""`` and the output of
`explain_html` is always `replay` of its decisions), and trafilatura's
metadata as a plain dict with the keys of `METADATA_KEYS`, None where it
found nothing (also for a page without article text, whose title is still
read).

`explain_html` returns a `cleaner.Result` over that text (one decision per
line of the extracted text, so `cleaner.render.replay(extracted, decisions)`
gives the output back). Its metadata holds:

- ``title``, ``author``, ``date``, ``sitename``, ``url``: trafilatura's,
  always present, None where missing;
- ``byline``: what the chain took out of the byline lines it removed
  (``{"author": ..., "date": ...}``, either key only when found, ``{}`` when
  none), kept apart from trafilatura's fields so the source of each value
  stays plain;
- ``warnings``: a list of codes, empty for an ordinary page. `NO_TEXT`
  (``"no-article-text"``) when the output is empty, because trafilatura found
  no article or the chain removed every line it found; `UNDECODABLE`
  (``"undecodable-bytes"``) when some bytes could not be decoded and became
  U+FFFD. A page without text is not an error: the output is ``""``, and a
  batch counts pages whose ``metadata["warnings"]`` holds `NO_TEXT`. No Python
  warning is raised: those are shown once per call site, so they cannot be
  counted, and in a batch they would be noise.
"""
from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING, Any

from .encoding import decode_html

if TYPE_CHECKING:  # pragma: no cover
    from .chain import Cleaner
    from .document import Result

#: The metadata fields taken from trafilatura, in this order.
METADATA_KEYS = ("title", "author", "date", "sitename", "url")

#: Warning codes in ``Result.metadata["warnings"]``.
NO_TEXT = "no-article-text"
UNDECODABLE = "undecodable-bytes"

#: The trafilatura settings of the HTML path (see the module docstring for why).
SETTINGS: dict[str, Any] = {
    "favor_recall": True,
    "favor_precision": False,
    "include_comments": True,
    "include_tables": True,
}

_trafilatura = None
_default: Cleaner | None = None


def _traf():
    global _trafilatura
    if _trafilatura is None:
        import trafilatura

        _trafilatura = trafilatura
    return _trafilatura


def _cleaner() -> Cleaner:
    global _default
    if _default is None:
        from .chain import Cleaner

        _default = Cleaner()
    return _default


def html_to_text(html: str | bytes, *, url: str | None = None) -> tuple[str, dict]:
    """The article text of a page, one paragraph a line, and trafilatura's metadata."""
    text, meta, _ = _html_to_text(html, url, SETTINGS)
    return text, meta


def _html_to_text(html: str | bytes, url: str | None, settings: dict[str, Any]) -> tuple[str, dict, bool]:
    if isinstance(html, (bytes, bytearray, memoryview)):
        decoded = decode_html(bytes(html))
        page, replaced = decoded.text, decoded.replaced
    elif isinstance(html, str):
        page, replaced = html, False
    else:
        raise TypeError(f"html must be str or bytes, not {type(html).__name__}")
    meta = dict.fromkeys(METADATA_KEYS)
    if not page.strip():
        return "", meta, replaced
    page = _drop_xml_declaration(page)
    traf = _traf()
    doc = traf.bare_extraction(page, url=url, with_metadata=True, output_format="python", **settings)
    if doc is None:
        # No article; the page may still say what it is.
        tree = traf.load_html(page)
        if tree is not None:
            _fill(meta, traf.extract_metadata(tree, default_url=url))
        return "", meta, replaced
    _fill(meta, doc)
    # The text as trafilatura.extract(..., output_format="txt") renders it: body, then comments.
    raw = doc.text or ""
    if settings.get("include_comments", True) and doc.comments:
        raw = f"{raw}\n{doc.comments}"
    return _paragraphs(unicodedata.normalize("NFC", raw)), meta, replaced


def _fill(meta: dict, doc: Any) -> None:
    for key in METADATA_KEYS:
        value = getattr(doc, key, None)
        meta[key] = value if value else None


def _paragraphs(raw: str) -> str:
    lines = [" ".join(line.split()) for line in raw.split("\n")]
    lines = [line for line in lines if line]
    return "\n".join(lines)


def _drop_xml_declaration(page: str) -> str:
    # lxml refuses a str that carries an encoding declaration, and trafilatura then
    # re-encodes the page to UTF-8 bytes, which lxml may decode by the declared charset.
    head = page.lstrip("\ufeff \t\r\n")
    if head.startswith("<?xml"):
        end = head.find("?>")
        if end != -1:
            return head[end + 2:]
    return page


def explain_html(
    html: str | bytes, lang: str | None = None, *, url: str | None = None, cleaner: Cleaner | None = None
) -> Result:
    """The cleaned article text, the language, one decision per extracted line, and the metadata.

    The decisions refer to the lines of `html_to_text(html)[0]`.
    """
    text, meta, replaced = _html_to_text(html, url, SETTINGS)
    result = (cleaner or _cleaner()).explain(text, lang)
    warnings = []
    if not result.text.strip():
        warnings.append(NO_TEXT)
    if replaced:
        warnings.append(UNDECODABLE)
    result.metadata = {**meta, "byline": dict(result.metadata), "warnings": warnings}
    return result


def clean_html(
    html: str | bytes, lang: str | None = None, *, url: str | None = None, cleaner: Cleaner | None = None
) -> str:
    """The article text of a page without its boilerplate, one paragraph a line ("" when none)."""
    return explain_html(html, lang, url=url, cleaner=cleaner).text


__all__ = ["METADATA_KEYS", "NO_TEXT", "SETTINGS", "UNDECODABLE", "clean_html", "explain_html", "html_to_text"]
