"""Language detection: langdetect, seeded, on a bounded sample of the document.

langdetect costs about the same per call whatever the length, so the sample
is bounded to keep long documents cheap, and made of the longest running-text
lines so that a menu or a byline does not decide the language. The Rust port
`langdetect_rs` gives the same answers much faster and can take a batch of
documents in one call, spread over threads; langdetect itself is the fallback.

Even the port costs a fifth of the chain on a corpus of pages, and most
samples leave no doubt: one where an eighth of the words or more are English
(or German) function words that neighbouring languages do not write that
way, and the other language's barely appear, is that language without
asking (`plain_language`). Others, short ones and those in other
languages, go to langdetect. The lists are the commonest words of each
language minus those that are words of Dutch, the Scandinavian languages,
Spanish, Portuguese or Italian too ("of", "was", "die", "den", "es", "das").
"""
from __future__ import annotations

import os
from collections.abc import Sequence

try:
    import ahocorasick_rs
except ImportError:  # pragma: no cover - exercised where the wheel is missing
    ahocorasick_rs = None

UNKNOWN = "unknown"
SAMPLE_CHARS = 600
_MIN_SPACES = 3  # four words or more: a line of text, not a label

_backend = None

#: Function words by language, for `plain_language`.
FUNCTION_WORDS = {
    "en": "the and that with this are you have from which they would been were their there what when who "
          "has can our your its than them these those into about more not but".split(),
    "de": "und ist nicht sich auf für ein eine einen auch wird werden sind noch nach bei oder aber wir "
          "ich sie im zum zur vom einer eines von zu dass wurde kann nur wenn über durch sehr hat haben "
          "schon diese dieser dieses unter".split(),
}
_LANGS = tuple(FUNCTION_WORDS)
#: A sample is plainly in a language when at least this share of its words are
#: the language's function words, and this many times the other's.
PLAIN_SHARE = 0.12
PLAIN_MARGIN = 4
#: Samples of fewer words are left to langdetect.
PLAIN_MIN_WORDS = 20
_finder = None


def backend():
    """The detection module in use: langdetect_rs when it imports, else langdetect."""
    global _backend
    if _backend is None:
        try:
            import langdetect_rs as module
        except ImportError:  # pragma: no cover - exercised where the wheel is missing
            import langdetect as module
        module.DetectorFactory.seed = 0
        _backend = module
    return _backend


def limit_threads(n: int) -> None:
    """Let a batch use at most `n` threads in this process and those it starts.

    The Rust port spreads a batch over a thread pool as large as the machine;
    the CLI calls this with its --jobs, so that `--jobs 1` keeps to one CPU
    (a pool already made keeps its size: call it before the first detection).
    A RAYON_NUM_THREADS the user set wins.
    """
    os.environ.setdefault("RAYON_NUM_THREADS", str(max(1, n)))


def sample(lines: Sequence[str], limit: int = SAMPLE_CHARS) -> str:
    """The longest lines of running text, in document order, up to `limit` characters."""
    return sample_text(lines, sample_lines(lines, limit), limit)


def sample_text(lines: Sequence[str], chosen: Sequence[int], limit: int = SAMPLE_CHARS) -> str:
    """The sample made of the lines `sample_lines` chose."""
    return "\n".join(lines[i] for i in chosen)[:limit + len(chosen)]


def sample_lines(lines: Sequence[str], limit: int = SAMPLE_CHARS) -> list[int]:
    """The indexes of the lines `sample` takes, in order. Which they are depends only on
    the lines themselves and the longer ones: taking out other lines leaves them."""
    lengths = list(map(len, lines))
    # Longest first, and among equals the first in the document (the sort is
    # stable); lines of a few words are passed over, unless all are such.
    longest = sorted(range(len(lines)), key=lengths.__getitem__, reverse=True)
    chosen: list[int] = []
    total = 0
    for picky in (True, False):
        for i in longest:
            if total >= limit:
                break
            if not picky or lines[i].count(" ") >= _MIN_SPACES:
                chosen.append(i)
                total += lengths[i]
        if chosen:
            break
    chosen.sort()
    return chosen


def detect(lines: Sequence[str]) -> str:
    """The langdetect code of the text (`unknown` when it has no letters to go on)."""
    return detect_many([lines])[0]


def detect_many(documents: Sequence[Sequence[str]]) -> list[str]:
    """`detect` for many documents; the Rust port takes them in one call."""
    return detect_samples([sample(lines) for lines in documents])


def detect_samples(samples: Sequence[str]) -> list[str]:
    """The language of each sample made by `sample`."""
    found = list(map(plain_language, samples))
    asked = [n for n, lang in enumerate(found) if lang is None]
    if asked:
        for n, lang in zip(asked, langdetect_samples([samples[n] for n in asked])):
            found[n] = lang
    return found


def langdetect_samples(samples: Sequence[str]) -> list[str]:
    """The language langdetect finds in each sample."""
    module = backend()
    batch = getattr(module, "detect_batch", None)
    if batch is not None:
        return [lang or UNKNOWN for lang in batch([s if s.strip() else "" for s in samples])]
    return [_one(module, s) for s in samples]


def _one(module, text: str) -> str:
    if not text.strip():
        return UNKNOWN
    try:
        return module.detect(text)
    except module.LangDetectException:
        return UNKNOWN


def plain_language(text: str) -> str | None:
    """The language of `text` when its function words leave no doubt (see the module's doc), else None."""
    global _finder
    if _finder is None:
        _finder = _function_word_finder()
    if not _finder:
        return None
    words = text.count(" ") + text.count("\n") + 1
    if words < PLAIN_MIN_WORDS:
        return None
    data = f" {text} ".encode("utf-8", "replace")
    langs, automaton = _finder
    # Overlapping: in "and the", the space between is the end of one word and the start of the next.
    found = automaton.find_matches_as_indexes(data, overlapping=True)
    hits = [0] * len(_LANGS)
    for index, _, _ in found:
        hits[langs[index]] += 1
    best = max(hits)
    if best < PLAIN_SHARE * words or len(found) - best > best / PLAIN_MARGIN:
        return None
    return _LANGS[hits.index(best)]


def _function_word_finder() -> tuple:
    """(the language of each pattern, by its index in _LANGS; an automaton of them all),
    or () where ahocorasick_rs is missing.

    Each word is looked for as written and Capitalized, after a space or a line break and before
    a space, a line break, a comma or a full stop: the text is not lower-cased or split, which
    would cost more than the search (see `plain_language`)."""
    if ahocorasick_rs is None:  # pragma: no cover
        return ()
    patterns, langs = [], []
    for n, words in enumerate(FUNCTION_WORDS.values()):
        for word in words:
            for spelling in dict.fromkeys((word, word.capitalize())):
                patterns += [f"{before}{spelling}{after}".encode("utf-8") for before in " \n" for after in " \n,."]
        langs += [n] * (len(patterns) - len(langs))
    return langs, ahocorasick_rs.BytesAhoCorasick(patterns, implementation=ahocorasick_rs.Implementation.DFA)
