"""Features of a line and its neighbours that carry across sites and languages.

They are computed over the sequence of lines the rules kept, as a second
cleaning of the output would see them: a line the rules removed is not a
neighbour, so removing it again changes nothing. Plain float arithmetic on
str methods, in one pass over the lines, then one over their neighbours.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from math import log

from ..document import Line
from ..steps.base import is_body
from ..steps.neighbours import SHORT_WORDS

#: Characters that separate the items of a menu, a breadcrumb or a footer.
SEPARATORS = "|•·»›«‹/>–—"
_PUNCT = "\"'“”‘’«»()[]{}.,;:!?…-–—|/•·*#"
#: Tokens shorter than this say little about vocabulary overlap.
VOCAB_MIN = 3
#: The shares of stopwords and capitals are read on a line's first words:
#: a paragraph's first forty say its kind as well as all of them.
HEAD_WORDS = 40
_DIGITS = str.maketrans("", "", "0123456789")
_SEPARATORS = str.maketrans("", "", SEPARATORS)

#: The features of the line itself, in vector order.
OWN = ("chars", "words", "w1", "w2_3", "w4_7", "w8_15", "terminal", "body", "colon_end", "stop", "no_stop",
       "caps", "upper", "digits", "seps", "url", "handle", "email", "bullet", "year", "repeat", "body_vocab",
       "title_vocab", "first", "last", "rel", "head", "tail", "no_body", "from_head", "from_tail", "short", "run",
       "run_pos", "lang_known")
#: The features each neighbour (two on each side) contributes.
NEIGHBOUR = ("exists", "chars", "words", "terminal", "body", "stop", "caps", "digits", "short", "seps", "url",
             "repeat", "body_vocab")
OFFSETS = (-2, -1, 1, 2)
NAMES = (*OWN, *(f"{'prev' if d < 0 else 'next'}{abs(d)}.{n}" for d in OFFSETS for n in NEIGHBOUR))
_PICK = tuple(OWN.index(n) for n in NEIGHBOUR[1:])
_ABSENT = [0.0] * len(NEIGHBOUR)


def _tokens(text: str) -> list[str]:
    """The first HEAD_WORDS words, lower-cased, without the punctuation around them."""
    return [t for t in (w.strip(_PUNCT) for w in text.lower().split(None, HEAD_WORDS)[:HEAD_WORDS]) if t]


def line_features(lines: Sequence[Line], zones: Sequence[str], stop: frozenset[str],
                  skip: Sequence[bool] | None = None) -> list[list[float] | None]:
    """One vector (in `NAMES` order) per line of `lines`, the kept lines in document order.

    `zones`: head, body or tail of each line; `stop`: the stoplist of the
    document's language; `skip`: lines whose own vector is not needed (None
    in their place), only what they show their neighbours. Nothing here may
    depend on the lines the rules removed (a comment heading, say): a second
    cleaning does not see them.
    """
    n = len(lines)
    if not n:
        return []
    tokens = [_tokens(ln.stripped) for ln in lines]
    bodies = [is_body(ln) for ln in lines]
    # Each distinct word of the body once: stripping every word of every paragraph would cost more.
    raw = set()
    for line, b in zip(lines, bodies):
        if b:
            raw.update(line.stripped.lower().split())
    vocab = {t for t in (w.strip(_PUNCT) for w in raw) if len(t) >= VOCAB_MIN}
    title = {t for t in tokens[0] if len(t) >= VOCAB_MIN}
    counts = Counter(ln.stripped for ln in lines)
    shorts = [not ln.terminal and not ln.has_words(SHORT_WORDS + 1) for ln in lines]
    has_body = any(bodies)
    known = 1.0 if stop else 0.0
    own: list[list[float]] = []
    for i, (line, toks) in enumerate(zip(lines, tokens)):
        text = line.stripped
        chars = len(text)
        words = line.words
        head = len(toks) or 1
        stops = sum(1 for t in toks if t in stop) / head if stop else 0.0
        letters = [w for w in text.split(None, HEAD_WORDS)[:HEAD_WORDS] if w[:1].isalpha()]
        caps = sum(1 for w in letters if w[0].isupper()) / len(letters) if letters else 0.0
        if bodies[i]:
            in_body, in_title = 1.0, 0.0  # running text is never the model's: these only inform its neighbours
        else:
            long = [t for t in toks if len(t) >= VOCAB_MIN]
            in_body = sum(1 for t in long if t in vocab) / len(long) if long else 0.0
            in_title = sum(1 for t in long if t in title) / len(long) if long and i else 0.0
        zone = zones[i]
        at = "@" in text
        own.append([
            log(1 + chars) / 8, log(1 + words) / 5, words == 1, 2 <= words <= 3, 4 <= words <= 7,
            8 <= words <= 15, line.terminal, bodies[i], text.endswith(":"), stops,
            bool(stop) and words >= 3 and stops == 0.0,
            caps, text.isupper(), (chars - len(text.translate(_DIGITS))) / chars,
            min(3, chars - len(text.translate(_SEPARATORS))) / 3,
            "http://" in text or "https://" in text or "www." in text,
            at and any(w.startswith("@") and len(w) > 1 for w in text.split()),
            at and any("@" in w[1:-1] and "." in w.split("@")[-1] for w in text.split()),
            not text[0].isalnum(), _has_year(text), min(3, counts[text] - 1) / 3, in_body, in_title,
            i == 0, i == n - 1, i / (n - 1) if n > 1 else 0.0, zone == "head", zone == "tail", not has_body,
            log(1 + i) / 5, log(n - i) / 5, shorts[i], 0.0, 0.0, known,  # run, run_pos: below
        ])
    # The run of short lines each line belongs to, once its end is known.
    run_at = OWN.index("run")
    pos_at = OWN.index("run_pos")
    i = 0
    while i < n:
        j = i
        while j + 1 < n and shorts[j + 1] == shorts[i]:
            j += 1
        length = j - i + 1 if shorts[i] else 0
        for k in range(i, j + 1):
            own[k][run_at] = log(1 + length) / 3
            own[k][pos_at] = (k - i) / (length - 1) if length > 1 else 0.0
        i = j + 1
    picked = [[1.0, *(float(v[p]) for p in _PICK)] for v in own]
    out: list[list[float] | None] = []
    for i, vector in enumerate(own):
        if skip is not None and skip[i]:
            out.append(None)
            continue
        full = [float(v) for v in vector]
        for d in OFFSETS:
            j = i + d
            full.extend(picked[j] if 0 <= j < n else _ABSENT)
        out.append(full)
    return out


def _has_year(text: str) -> bool:
    """A four-digit 19xx or 20xx stands in the text (a date, a copyright year)."""
    start = 0
    while True:
        k = text.find("19", start), text.find("20", start)
        k = min((x for x in k if x >= 0), default=-1)
        if k < 0:
            return False
        if text[k + 2:k + 4].isdigit() and len(text[k:k + 4]) == 4 \
                and not (k and text[k - 1].isdigit()) and not text[k + 4:k + 5].isdigit():
            return True
        start = k + 1
