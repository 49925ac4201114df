"""Features of a line and its neighbours that carry across sites and languages.

They are computed over the sequence of lines the rules kept, as a second
cleaning of the output would see them: a line the rules removed is not a
neighbour, so removing it again changes nothing. Plain float arithmetic on
str methods, for the lines the model decides and their neighbours only.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from functools import lru_cache
from itertools import repeat
from math import log
from operator import itemgetter

from ..document import Line
from ..words import PUNCT, vocabulary
from ..steps.base import is_body
from ..steps.neighbours import SHORT_WORDS

#: Characters that separate the items of a menu, a breadcrumb or a footer.
SEPARATORS = "|•·»›«‹/>–—"
#: Tokens shorter than this say little about vocabulary overlap.
VOCAB_MIN = 3
#: The shares of stopwords and capitals are read on a line's first words:
#: a paragraph's first forty say its kind as well as all of them.
HEAD_WORDS = 40
#: Lines on each side whose share of short lines a line's window gives.
WINDOW = 3
#: Lines up to this long keep their text features in the cache (bounding its memory).
CACHED_CHARS = 400

#: The features of the line itself, in vector order.
OWN = ("chars", "words", "w1", "w2_3", "w4_7", "w8_15", "terminal", "body", "colon_end", "stop", "no_stop",
       "caps", "upper", "digits", "seps", "url", "handle", "email", "bullet", "year", "repeat", "body_vocab",
       "title_vocab", "first", "last", "rel", "head", "tail", "no_body", "from_head", "from_tail", "short", "run",
       "run_pos", "lang_known", "near_body", "block", "block_pos", "window_short")
#: The features each neighbour (two on each side) contributes.
NEIGHBOUR = ("exists", "chars", "words", "terminal", "body", "stop", "caps", "digits", "short", "seps", "url",
             "repeat", "body_vocab")
OFFSETS = (-2, -1, 1, 2)
#: The line's own features again, for a line of the tail only (zeros elsewhere): the model decides the
#: head and the tail, whose furniture differs (menus and bylines above, link lists and footers below),
#: and these give it a weight for each in the tail apart. Not the year: below an article it marks a
#: copyright line on the sites trained on, and a list of references, works or records on others.
TAIL_OWN = tuple(n for n in OWN if n != "year")
TAIL = tuple(f"tail.{n}" for n in TAIL_OWN)
NAMES = (*OWN, *(f"{'prev' if d < 0 else 'next'}{abs(d)}.{n}" for d in OFFSETS for n in NEIGHBOUR), *TAIL)
_pick = itemgetter(*(OWN.index(n) for n in NEIGHBOUR[1:]))
_ABSENT = [0.0] * len(NEIGHBOUR)
_NOT_TAIL = [0.0] * len(TAIL_OWN)
_tail_part = itemgetter(*(OWN.index(n) for n in TAIL_OWN))


def _tokens(words: list[str]) -> list[str]:
    """The words lower-cased, without the punctuation around them."""
    return list(filter(None, map(str.strip, " ".join(words).lower().split(), repeat(PUNCT))))


def _head(text: str) -> list[str]:
    """The first HEAD_WORDS words."""
    return text.split(None, HEAD_WORDS)[:HEAD_WORDS]


def body_vocabulary(lines: Sequence[Line], bodies: Sequence[bool]) -> set[str]:
    """The words of the running text (see cleaner/words.py); only those of VOCAB_MIN letters or more are
    looked up."""
    return vocabulary([line.stripped for line, b in zip(lines, bodies) if b])


def _body_words(lines: Sequence[Line], bodies: Sequence[bool], vocab: dict | None) -> set[str]:
    """`body_vocabulary`, through the cache `vocab` when there is one."""
    if vocab is None:
        return body_vocabulary(lines, bodies)
    key = tuple(ln.stripped for ln, b in zip(lines, bodies) if b)
    words = vocab.get(key)
    if words is None:
        words = vocab[key] = body_vocabulary(lines, bodies)
    return words


def line_features(lines: Sequence[Line], zones: Sequence[str], stop: frozenset[str],
                  skip: Sequence[bool] | None = None, vocab: dict | None = None) -> list[list[float] | None]:
    """One vector (in `NAMES` order) per line of `lines`, the kept lines in document order.

    `zones`: head, body or tail of each line; `stop`: the stoplist of the
    document's language; `skip`: lines whose own vector is not needed (None
    in their place), only what they show their neighbours, and those only
    within two lines of one that is; `vocab`: a cache of the body's
    vocabulary by its lines, for a caller that scores one document again.
    Nothing here may depend on the lines the rules removed (a comment
    heading, say): a second cleaning does not see them.
    """
    n = len(lines)
    wanted = [True] * n if skip is None else [not s for s in skip]
    if not any(wanted):
        return [None] * n
    bodies = [is_body(ln) for ln in lines]
    # Most kept lines are running text that the model never decides: only
    # the lines it decides and their neighbours need features.
    need = [False] * n
    for i in range(n):
        if wanted[i]:
            for j in range(max(0, i - 2), min(n, i + 3)):
                need[j] = True
    title = {t for t in _tokens(_head(lines[0].stripped)) if len(t) >= VOCAB_MIN}
    counts = Counter(ln.stripped for ln in lines)
    shorts = [not ln.terminal and not ln.has_words(SHORT_WORDS + 1) for ln in lines]
    no_body = 0.0 if any(bodies) else 1.0
    known = 1.0 if stop else 0.0
    # The run of short lines each line belongs to: its length and where in it the line stands.
    runs: list[tuple[float, float]] = [(0.0, 0.0)] * n
    for i, j, short in _spans(shorts):
        length = j - i + 1 if short else 0
        run = log(1 + length) / 3
        for k in range(i, j + 1):
            runs[k] = (run, (k - i) / (length - 1) if length > 1 else 0.0)
    blocks = _blocks(bodies)
    body_words = None  # read only for a decided line with words: most pages' head and tail have none
    own: list[list[float] | None] = [None] * n
    picked: list[list[float] | None] = [None] * n
    for i, line in enumerate(lines):
        if not need[i]:
            continue
        text = line.stripped
        if bodies[i] and not wanted[i]:
            # Running text beside a line the model decides: only what the
            # neighbour reads of it, a third of the work on the longest lines.
            picked[i] = [1.0, *_running_text(line, stop), min(3, counts[text] - 1) / 3, 1.0]
            continue
        vector, long = _of_text(text, stop) if len(text) <= CACHED_CHARS else _text_features(text, stop)
        if bodies[i]:
            in_body, in_title = 1.0, 0.0  # running text is never the model's: these only inform its neighbours
        elif long:
            if body_words is None:
                body_words = _body_words(lines, bodies, vocab)
            in_body = sum(map(body_words.__contains__, long)) / len(long)
            in_title = sum(map(title.__contains__, long)) / len(long) if i else 0.0
        else:
            in_body = in_title = 0.0
        zone = zones[i]
        own[i] = [
            *vector, min(3, counts[text] - 1) / 3, in_body, in_title,
            float(i == 0), float(i == n - 1), i / (n - 1) if n > 1 else 0.0, float(zone == "head"),
            float(zone == "tail"), no_body, log(1 + i) / 5, log(n - i) / 5, float(shorts[i]), *runs[i], known,
            *blocks[i], sum(shorts[max(0, i - WINDOW):i + WINDOW + 1]) / (min(n, i + WINDOW + 1) - max(0, i - WINDOW)),
        ]
        picked[i] = [1.0, *_pick(own[i])]
    out: list[list[float] | None] = []
    for i, vector in enumerate(own):
        if not wanted[i]:
            out.append(None)
            continue
        out.append([*vector, *(picked[i - 2] if i >= 2 else _ABSENT), *(picked[i - 1] if i >= 1 else _ABSENT),
                    *(picked[i + 1] if i + 1 < n else _ABSENT), *(picked[i + 2] if i + 2 < n else _ABSENT),
                    *(_tail_part(vector) if zones[i] == "tail" else _NOT_TAIL)])
    return out


def _text_features(text: str, stop: frozenset[str]) -> tuple[tuple[float, ...], tuple[str, ...]]:
    """The features a line's text alone decides (`OWN` up to `year`), and its words of VOCAB_MIN letters or
    more."""
    line = Line(0, 0, text, "", text)
    chars = len(text)
    toks, stops, caps = _head_shares(text, stop)
    words = line.words
    at = "@" in text
    vector = (
        log(1 + chars) / 8, log(1 + words) / 5, words == 1, 2 <= words <= 3, 4 <= words <= 7,
        8 <= words <= 15, line.terminal, is_body(line), text.endswith(":"), stops,
        bool(stop) and words >= 3 and stops == 0.0,
        caps, text.isupper(), _digits(text) / chars, _separators(text),
        _has_url(text),
        at and any(w.startswith("@") and len(w) > 1 for w in text.split()),
        at and any("@" in w[1:-1] and "." in w.split("@")[-1] for w in text.split()),
        not text[0].isalnum(), _has_year(text),
    )
    return tuple(map(float, vector)), tuple(t for t in toks if len(t) >= VOCAB_MIN)


def _head_shares(text: str, stop: frozenset[str]) -> tuple[list[str], float, float]:
    """The tokens of the first HEAD_WORDS words, the share of them in `stop`, the share of capitals."""
    words40 = _head(text)
    toks = _tokens(words40)
    stops = sum(map(stop.__contains__, toks)) / (len(toks) or 1) if stop else 0.0
    letters = [w[0] for w in words40 if w[:1].isalpha()]
    caps = sum(map(str.isupper, letters)) / len(letters) if letters else 0.0
    return toks, stops, caps


def _running_text(line: Line, stop: frozenset[str]) -> tuple[float, ...]:
    """What a neighbour reads of a paragraph of running text (`NEIGHBOUR` from chars to url), as
    `_text_features` gives it: terminal and body by definition, and so never short."""
    text = line.stripped
    chars = len(text)
    _, stops, caps = _head_shares(text, stop)
    return (log(1 + chars) / 8, log(1 + line.words) / 5, 1.0, 1.0, float(stops), float(caps),
            _digits(text) / chars, 0.0, _separators(text),
            float(_has_url(text)))


#: Short lines' text features are cached: the model scores a document again
#: after each removal, and menus repeat across the pages of a site.
_of_text = lru_cache(maxsize=1 << 14)(_text_features)


def _blocks(bodies: list[bool]) -> list[tuple[float, float, float]]:
    """For each line: how far the nearest running text is, and the length of the block of other lines it
    belongs to (between two paragraphs of running text, or one and the edge) and where in it it stands."""
    n = len(bodies)
    out: list[tuple[float, float, float]] = [(0.0, 0.0, 0.0)] * n
    for i, j, body in _spans(bodies):
        if body:
            continue
        length = j - i + 1
        before = i > 0  # running text above the block
        after = j + 1 < n
        for k in range(i, j + 1):
            near = min(k - i + 1 if before else n, j - k + 1 if after else n)
            out[k] = (log(1 + near) / 4, log(1 + length) / 4, (k - i) / (length - 1) if length > 1 else 0.0)
    return out


def _spans(flags: Sequence[bool]) -> Iterator[tuple[int, int, bool]]:
    """The maximal runs of equal flags: first index, last index and the flag."""
    n = len(flags)
    i = 0
    while i < n:
        j = i
        while j + 1 < n and flags[j + 1] == flags[i]:
            j += 1
        yield i, j, flags[i]
        i = j + 1


def _separators(text: str) -> float:
    """Menu and breadcrumb separators, counted up to three."""
    return min(3, sum(map(text.count, SEPARATORS))) / 3


def _has_url(text: str) -> bool:
    return "http://" in text or "https://" in text or "www." in text


def _digits(text: str) -> int:
    """How many ASCII digits: counted in UTF-8, where no other character has a byte below 0x80."""
    data = text.encode("utf-8", "surrogatepass")
    return len(data) - len(data.translate(None, b"0123456789"))


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
