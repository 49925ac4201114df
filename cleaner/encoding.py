"""Bytes of a web page to text: the byte order mark, then the evidence, then the label.

The order, and why:

1. A byte order mark (UTF-8, UTF-16, UTF-32) decides, as it does in browsers.
2. Bytes that are valid UTF-8 are UTF-8 whatever the page declares: text in a
   legacy code page is almost never valid UTF-8 by accident, while pages whose
   template declares ISO-8859-1 but whose server sends UTF-8 are common (the
   HTTP header, which we do not see, overrides the meta tag in a browser).
   Pure ASCII decodes the same either way. The same holds for bytes that are
   mostly UTF-8 (more valid multi-byte sequences than stray bytes): each
   stray byte is then taken as windows-1252 (a pasted Latin-1 word), instead
   of the whole page being read in a legacy code page.
3. The charset the page declares, in ``<meta charset>``, ``<meta http-equiv=
   "Content-Type" content="...; charset=...">`` or an XML declaration. Labels
   are read as browsers read them (WHATWG): ISO-8859-1 and US-ASCII mean
   windows-1252 (so curly quotes and the euro sign in 0x80-0x9F come out
   right), GB2312 means GB18030, Shift_JIS means cp932, and so on; a UTF-16
   label on a page without a byte order mark means UTF-8. A page that declares
   UTF-8 is read as UTF-8 with stray bytes taken as windows-1252, however few
   its multi-byte sequences.
4. Undeclared pages are read in the legacy code page that browsers use for
   the language in ``<html lang>`` (windows-1252 for Western European
   languages, windows-1250 for Central European ones, windows-1251 for
   Cyrillic ...); failing that, in what charset_normalizer (a dependency of
   trafilatura) detects among the legacy web encodings; failing that, in
   windows-1252.

windows-1252 leaves five bytes undefined; like browsers, we map them to the
C1 control characters of the same number instead of failing. Only a codec
that cannot decode the bytes at all leaves replacement characters, and
`Decoded.replaced` says so.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

_SCAN = 32 * 1024  # how far into the page to look for a declaration

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf_32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf_32"),
    (codecs.BOM_UTF8, "utf_8_sig"),
    (codecs.BOM_UTF16_LE, "utf_16"),
    (codecs.BOM_UTF16_BE, "utf_16"),
)
_META = re.compile(rb"""<meta\s[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
_LANG = re.compile(rb"""<html[^>]*?\slang\s*=\s*["']?\s*([A-Za-z]{2,3})\b""", re.I)
_UTF8_MULTI = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
_HIGH = re.compile(rb"[\x80-\xff]")

#: Python codec name -> the superset browsers actually decode with (WHATWG Encoding).
_SUPERSET = {
    "ascii": "cp1252",
    "iso8859_1": "cp1252",
    "iso8859_9": "cp1254",
    "iso8859_11": "cp874",
    "tis_620": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
    "utf_16": "utf_8",
    "utf_16_le": "utf_8",
    "utf_16_be": "utf_8",
    "utf_32": "utf_8",
    "utf_32_le": "utf_8",
    "utf_32_be": "utf_8",
    "utf_8_sig": "utf_8",
}

#: Language of <html lang> -> the legacy code page browsers fall back to for it.
_LANG_CODEPAGE = {
    **dict.fromkeys(("cs", "sk", "pl", "hu", "sl", "hr", "bs", "ro"), "cp1250"),
    **dict.fromkeys(("ru", "uk", "be", "bg", "sr", "mk"), "cp1251"),
    "el": "cp1253",
    **dict.fromkeys(("tr", "az"), "cp1254"),
    **dict.fromkeys(("he", "iw", "yi"), "cp1255"),
    **dict.fromkeys(("ar", "fa", "ur"), "cp1256"),
    **dict.fromkeys(("lt", "lv", "et"), "cp1257"),
    "vi": "cp1258",
    "th": "cp874",
    "ja": "cp932",
    "ko": "cp949",
    "zh": "gb18030",
    **dict.fromkeys(
        ("en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "nb", "nn", "fi", "is", "ga", "ca",
         "eu", "gl", "sq", "af", "id", "ms", "sw", "la", "lb", "fo", "cy", "br", "oc", "rm", "wa"),
        "cp1252",
    ),
}

#: What charset_normalizer may choose among: the legacy encodings of the web.
_DETECTABLE = [
    "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "cp874",
    "koi8_r", "koi8_u", "iso8859_2", "iso8859_5", "iso8859_7", "iso8859_8", "iso8859_13", "iso8859_15",
    "gb18030", "big5", "cp932", "euc_jp", "cp949",
]


def _c1(err: UnicodeDecodeError) -> tuple[str, int]:
    # windows-1252's five undefined bytes are the C1 controls of the same number, as in browsers.
    return err.object[err.start:err.end].decode("latin-1"), err.end


def _stray_cp1252(err: UnicodeDecodeError) -> tuple[str, int]:
    # A byte that is not UTF-8 inside UTF-8 text: take it as windows-1252.
    return err.object[err.start:err.end].decode("cp1252", "cleaner.c1"), err.end


codecs.register_error("cleaner.c1", _c1)
codecs.register_error("cleaner.cp1252", _stray_cp1252)


@dataclass(frozen=True, slots=True)
class Decoded:
    """The page as text, the codec that decoded it and what decided it."""

    text: str
    encoding: str  # Python codec name, e.g. "utf_8", "cp1252"
    source: str  # "str", "bom", "utf-8", "declared", "mixed", "lang", "detected" or "default"
    replaced: bool = False  # some bytes could not be decoded and became U+FFFD


def declared_charset(data: bytes) -> str | None:
    """The codec the page declares, as browsers read the label, or None."""
    head = data[:_SCAN]
    found = _XML.search(head) or _META.search(head)
    if not found:
        return None
    return normalise(found.group(1).decode("ascii"))


def normalise(label: str) -> str | None:
    """A charset label as the Python codec browsers would use for it, or None when unknown."""
    try:
        name = codecs.lookup(label.strip().strip("'\"")).name.replace("-", "_")
    except LookupError:
        return None
    return _SUPERSET.get(name, name)


def decode_html(data: bytes | str) -> Decoded:
    """Decode the bytes of a web page (see the module docstring for the order)."""
    if isinstance(data, str):
        return Decoded(data, "str", "str")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode(data, codec, "bom")
    declared = declared_charset(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return Decoded(text, "utf_8", "declared" if declared == "utf_8" else "utf-8")
    if declared == "utf_8":
        return _decode(data, "utf_8", "declared")
    multi = _UTF8_MULTI.findall(data)
    stray = len(_HIGH.findall(data)) - sum(len(m) for m in multi)
    if len(multi) > stray:
        return _decode(data, "utf_8", "mixed")
    if declared is not None:
        return _decode(data, declared, "declared")
    lang = _LANG.search(data[:_SCAN])
    codec = _LANG_CODEPAGE.get(lang.group(1).decode("ascii").lower()) if lang else None
    if codec is not None:
        try:
            return Decoded(_strict(data, codec), codec, "lang")
        except UnicodeDecodeError:
            pass
    codec = _detect(data)
    if codec is not None:
        try:
            return Decoded(_strict(data, codec), codec, "detected")
        except (UnicodeDecodeError, LookupError):
            pass
    return _decode(data, "cp1252", "default")


def _strict(data: bytes, codec: str) -> str:
    if codec == "cp1252":
        return data.decode("cp1252", "cleaner.c1")
    if codec == "utf_8":
        return data.decode("utf-8", "cleaner.cp1252")
    return data.decode(codec)


def _decode(data: bytes, codec: str, source: str) -> Decoded:
    try:
        return Decoded(_strict(data, codec), codec, source)
    except UnicodeDecodeError:
        return Decoded(data.decode(codec, "replace"), codec, source, replaced=True)


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - trafilatura depends on it
        return None
    sample = data if len(data) <= 20000 else data[:10000] + data[-10000:]
    best = from_bytes(sample, cp_isolation=_DETECTABLE).best()
    return normalise(best.encoding) if best is not None else None


__all__ = ["Decoded", "decode_html", "declared_charset", "normalise"]
