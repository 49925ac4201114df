"""The stoplist of a language, from the files jusText ships (it comes with trafilatura).

The files are read without importing justext itself, which pulls in lxml:
the model needs a word list, not an HTML parser.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

#: langdetect codes to the names of jusText's stoplist files.
NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English", "es": "Spanish",
    "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French", "gu": "Gujarati", "he": "Hebrew",
    "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "id": "Indonesian", "it": "Italian", "kn": "Kannada",
    "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam", "mr": "Marathi",
    "ne": "Nepali", "nl": "Dutch", "no": "Norwegian_Bokmal", "pa": "Western_Panjabi", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog", "tr": "Turkish",
    "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}


def _folder() -> Path | None:
    spec = importlib.util.find_spec("justext")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "stoplists"


@lru_cache(maxsize=None)
def stoplist(lang: str) -> frozenset[str]:
    """The lower-cased stopwords of `lang` (a langdetect code); empty when jusText has none for it."""
    name = NAMES.get(lang)
    folder = _folder() if name else None
    if folder is None:
        return frozenset()
    try:
        text = (folder / f"{name}.txt").read_text(encoding="utf-8")
    except OSError:
        return frozenset()
    return frozenset(w.strip().lower() for w in text.split("\n") if w.strip())
