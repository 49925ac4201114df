"""Rule packs: load and validate `rules/*.toml`, compile them with `regex`.

A pack file holds one array of tables per pattern step (`[[chrome]]`,
`[[teaser]]`, ...). The rules of a language (the common pack plus the
language's own) make one `RuleBook`, which tries on each line only the rules
that could match it.

Every rule's examples must match it and its counter-examples must not, as it
loads. A user's rule files are held to more than the bundled packs, which the
tests validate: their patterns are probed for endless backtracking, and every
match is bounded in time (see `TIMEOUT`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from itertools import compress, repeat
from operator import itemgetter
from pathlib import Path

import regex

from . import tomlfile
from .keywords import KeywordFinder, spellings
from .registry import PATTERN_STEPS, SECTION_STEPS

#: Where in a document a rule may fire: anywhere, or only outside the body
#: (before the first or after the last paragraph of running text).
ZONES = ("any", "edge", "head", "tail")
COMMON = "_common"
#: How many first characters of a line choose the rules tried on it, and how
#: many such beginnings are remembered (later ones are worked out each time).
PREFIX = 3
MAX_PREFIXES = 50_000
#: Where some rule may start with those, a longer beginning narrows them: a
#: look-up costs a tenth of a failed match, and most rules fail within the
#: first few characters (on the devset, half as many patterns tried).
LONGER = 6
#: A line's beginning, as the rules are looked up by; and what the look-up gives for one not seen yet.
_BEGINNING = itemgetter(slice(PREFIX))
_LONGER_BEGINNING = itemgetter(slice(LONGER))
_UNKNOWN = object()
DEFINE = "define"
#: The table of words that sites name their sections with (`words = [...]`, lower case): a run of
#: short lines is a navigation menu only when two of its items are such words (steps/menus.py).
MENU = "menu"
_PLACEHOLDER = regex.compile(r"\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}")
REVERSE = "r"
_FLAGS = set("imsx" + REVERSE)
_KEYS = {"id", "pattern", "flags", "examples", "counter_examples", "zone", "description",
         "opens_section", "keywords"}
_REQUIRED = ("id", "pattern", "examples", "counter_examples")
#: Seconds a user rule may take on one line. A sound pattern takes microseconds;
#: one whose repeats can split the same text in many ways ((a|a)+, (\w+\s?)+)
#: takes longer than a run has on some lines. Past the bound the run stops
#: with an error naming the rule: skipping the rule there instead would make
#: the output depend on how busy the machine is.
TIMEOUT = 1.0
#: How many times a probe repeats a character of an example (see `probe`):
#: enough for a repeat that backtracks without end to take far past TIMEOUT.
PUMP = 32


class RuleError(ValueError):
    """A rule file that cannot be used; the message names the file and the rule."""


class RuleTimeout(RuleError):
    """A user rule ran past TIMEOUT on a line."""


class _Bounded:
    """A user rule's compiled pattern whose matches give up after TIMEOUT seconds."""

    __slots__ = ("pattern", "rule")

    def __init__(self, pattern: regex.Pattern, rule: "Rule"):
        self.pattern, self.rule = pattern, rule

    def match(self, text: str, partial: bool = False) -> regex.Match | None:
        try:
            return self.pattern.match(text, partial=partial, timeout=TIMEOUT)
        except TimeoutError:
            raise RuleTimeout(f"{self.rule.source}: rule {self.rule.id}: matching took over {TIMEOUT:g} s on a "
                              f"line of {len(text)} characters ({_start(text)}): the pattern backtracks without "
                              f"end; write its repeats so that a text can match them in one way only") from None


def _start(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:40] + "...")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    step: str
    pattern: str
    flags: str = ""
    zone: str = "any"
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = ()
    description: str = ""
    #: Lower-case words one of which the line must contain before the rule is
    #: tried (in lower case, Capitalized, Title Case or UPPER CASE: see keywords.py);
    #: one that ends in "\n" must end the (stripped) line.
    keywords: tuple[str, ...] = ()
    #: A heading rule: what follows it is comments, a list of links or footer.
    opens_section: bool = False
    source: str = ""
    #: A user's rule: its matches are bounded by TIMEOUT.
    bounded: bool = False

    @property
    def source_pattern(self) -> str:
        """The pattern as compiled: flag "r" matches it from the line's end (see `regex`)."""
        if REVERSE in self.flags:
            return f"(?r)^{self.forward_pattern}"
        return self.forward_pattern

    @property
    def forward_pattern(self) -> str:
        scoped = self.flags.replace(REVERSE, "")
        return f"(?{scoped}:{self.pattern})" if scoped else f"(?:{self.pattern})"

    @property
    def regex(self) -> regex.Pattern:
        """The compiled rule; `.match(line)` tells whether it fires on the stripped line.

        A reverse rule matches the same lines (it must end with `$`, and is
        anchored at the start too), but the engine works from the end of the
        line: a line that does not end the right way fails at once, however
        long it is. Named groups may then capture differently, so rules
        whose groups are read (bylines) should not be reversed.
        """
        return self._bound(_compile(self.source_pattern))

    @property
    def forward(self) -> regex.Pattern:
        """The pattern matched from the start: what a line's beginning admits is asked of it."""
        return self._bound(_compile(self.forward_pattern))

    @property
    def beginning(self) -> regex.Pattern:
        """What a line's beginning must admit, for `RuleBook` to try the rule on it: the forward
        pattern without the lookarounds it opens with. A line the rule matches matches the rest
        too, and a lookaround over the whole line would admit every beginning."""
        rest = _without_leading_lookarounds(self.pattern)
        if rest == self.pattern:
            return self.forward
        scoped = self.flags.replace(REVERSE, "")
        return self._bound(_compile(f"(?{scoped}:{rest})" if scoped else f"(?:{rest})"))

    def _bound(self, pattern: regex.Pattern) -> regex.Pattern | _Bounded:
        return _Bounded(pattern, self) if self.bounded else pattern

    def matches(self, text: str) -> regex.Match | None:
        return self.regex.match(text.strip())


_LOOKAROUND = regex.compile(r"\(\?(?:[a-zA-Z]*-?[a-zA-Z]*:\(\?)?<?[=!]")


def _without_leading_lookarounds(pattern: str) -> str:
    """`pattern` less the zero-width groups it starts with: `(?=...)`, `(?!...)`, `(?<=...)`,
    `(?<!...)`, or one of them alone in a group of flags, `(?-i:(?!...))`."""
    while (m := _LOOKAROUND.match(pattern)) is not None:
        end = _group_end(pattern, 0)
        if end is None:
            return pattern
        if m.group().count("(") == 2 and _group_end(pattern, pattern.index("(", 1)) != end - 1:
            return pattern  # a group of flags that holds more than the lookaround
        pattern = pattern[end:]
    return pattern


def _group_end(pattern: str, start: int) -> int | None:
    """The index after the parenthesis that closes the group opening at `start`."""
    depth, i, in_class = 0, start, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern[i + 1:i + 2] == "^":
                i += 1
            if pattern[i + 1:i + 2] == "]":  # a first "]" is a member, not the end
                i += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return None


@lru_cache(maxsize=None)
def _compile(source: str) -> regex.Pattern:
    return regex.compile(source)


def packs_dir() -> Path:
    """The folder of the bundled packs: installed beside the package, or the checkout's rules/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "packs", here.parent / "rules"):
        if (candidate / f"{COMMON}.toml").is_file():
            return candidate
    raise RuleError(f"bundled rule packs not found in {here / 'packs'} or {here.parent / 'rules'}")


def read_toml(path: Path) -> dict:
    return tomlfile.read_toml(path, RuleError, "rule file")


def definitions(path: Path, data: dict, inherited: dict[str, str] | None = None) -> dict[str, str]:
    """The `[define]` table: named pieces of pattern that rules use as `{{name}}`."""
    defined = dict(inherited or {})
    table = data.get(DEFINE, {})
    if not isinstance(table, dict) or not all(isinstance(v, str) for v in table.values()):
        raise RuleError(f"{path}: [{DEFINE}] must map names to pattern strings")
    for name, value in table.items():
        defined[name] = _expand(path, f"[{DEFINE}] {name}", value, defined)
    return defined


def menu_words(path: Path, data: dict) -> frozenset[str]:
    """The `[menu]` table's `words`: what sites call their sections ("home", "news", "contact us")."""
    table = data.get(MENU, {})
    words = table.get("words", []) if isinstance(table, dict) else None
    if not isinstance(words, list) or not all(isinstance(w, str) and w == w.lower() and w.strip() == w and w
                                                  for w in words) or set(table) - {"words"}:
        raise RuleError(f"{path}: [{MENU}] must hold one key, words, a list of lower-case words or phrases")
    return frozenset(words)


def _expand(path: Path, where: str, pattern: str, defined: dict[str, str]) -> str:
    def piece(m: regex.Match) -> str:
        if m.group(1) not in defined:
            raise RuleError(f"{path}: {where}: {{{{{m.group(1)}}}}} is not defined in [{DEFINE}]")
        return f"(?:{defined[m.group(1)]})"
    return _PLACEHOLDER.sub(piece, pattern)


def load_file(path: Path, inherited: dict[str, str] | None = None, bounded: bool = False,
              problems: list[str] | None = None) -> list[Rule]:
    """Read and validate one pack; every problem is a RuleError naming the file.

    `bounded`: a user's file (see `TIMEOUT` and `probe`). With a `problems`
    list, the message of each bad rule goes there and the others load.
    """
    return load_pack(path, inherited, bounded, problems)[0]


def load_pack(path: Path, inherited: dict[str, str] | None = None, bounded: bool = False,
              problems: list[str] | None = None) -> tuple[list[Rule], frozenset[str]]:
    """`load_file`, and the pack's `[menu]` words, from one reading of the file."""
    data = read_toml(path)
    words = menu_words(path, data)
    if inherited is None and path.stem != COMMON:
        common = packs_dir() / f"{COMMON}.toml"
        inherited = definitions(common, read_toml(common))
    defined = definitions(path, data, inherited)
    rules: list[Rule] = []
    for step, tables in data.items():
        if step in (DEFINE, MENU):
            continue
        if step not in PATTERN_STEPS:
            raise RuleError(f"{path}: unknown table [[{step}]]; expected one of {', '.join(PATTERN_STEPS)}")
        if not isinstance(tables, list):
            raise RuleError(f"{path}: [{step}] must be an array of tables, written [[{step}]]")
        for n, table in enumerate(tables, start=1):
            try:
                rules.append(_rule(path, step, n, table, defined, bounded))
            except RuleError as exc:
                if problems is None:
                    raise
                problems.append(str(exc))
    return rules, words


def check_files(paths: list[Path]) -> tuple[int, list[str]]:
    """`cleaner rules --check`: how many rules of these user files are sound, and what is wrong with the others.

    Loaded as a run loads them, beside the bundled packs: an id the packs or
    an earlier file use is a problem too (a pack checked itself stands in
    for its bundled copy).
    """
    checked = {path.resolve() for path in paths}
    seen = {r.id: r.source for r in RuleSet.bundled().all_rules() if Path(r.source).resolve() not in checked}
    common = packs_dir() / f"{COMMON}.toml"
    inherited = definitions(common, read_toml(common))
    problems: list[str] = []
    sound = 0
    for path in paths:
        try:
            rules = load_file(path, inherited, bounded=True, problems=problems)
        except RuleError as exc:
            problems.append(str(exc))
            continue
        for rule in rules:
            if rule.id in seen:
                problems.append(f"{path}: rule {rule.id}: id already used in {seen[rule.id]}")
            else:
                seen[rule.id] = str(path)
                sound += 1
    return sound, problems


def probe(rule: Rule) -> str | None:
    """What is wrong when the pattern backtracks without end on a probe, or None.

    The probes are the rule's examples and counter-examples with one of their
    characters repeated PUMP times where it stands, then a character that
    ends no pattern: a repeat that can match the same run in many ways tries
    them all there. A complement to TIMEOUT, which bounds every match: a
    pattern that passes the probes may still be stopped by a line.
    """
    pattern = _compile(rule.source_pattern)
    texts = [text.strip() for text in (*rule.examples, *rule.counter_examples)]
    probes = dict.fromkeys(text[:i] + char * PUMP + "\x00" for text in texts for i, char in enumerate(text))
    for text in probes:
        try:
            pattern.match(text, timeout=TIMEOUT)
        except TimeoutError:
            return (f"the pattern backtracks without end: matching {_start(text)} took over {TIMEOUT:g} s; "
                    f"write its repeats so that a text can match them in one way only")
    return None


def _rule(path: Path, step: str, n: int, table: dict, defined: dict[str, str], bounded: bool = False) -> Rule:
    where = f"{path}: [[{step}]] #{n}"
    if not isinstance(table, dict):
        raise RuleError(f"{where}: must be a table")
    if isinstance(table.get("id"), str):
        where = f"{path}: rule {table['id']}"
    unknown = sorted(set(table) - _KEYS)
    if unknown:
        raise RuleError(f"{where}: unknown key {unknown[0]!r}")
    for key in _REQUIRED:
        if key not in table:
            raise RuleError(f"{where}: missing key {key!r}")
    if not isinstance(table["id"], str) or not regex.fullmatch(r"[a-z0-9_]+\.[a-z]+\.[a-z0-9-]+", table["id"]):
        raise RuleError(f"{where}: id must look like 'pack.step.name' in lower case")
    if table["id"].split(".")[1] != step:
        raise RuleError(f"{where}: id names step {table['id'].split('.')[1]!r} but stands in [[{step}]]")
    for key in ("examples", "counter_examples"):
        value = table[key]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            raise RuleError(f"{where}: {key} must be a non-empty list of strings")
    flags = table.get("flags", "")
    if not isinstance(flags, str) or set(flags) - _FLAGS:
        raise RuleError(f"{where}: flags must be letters among {''.join(sorted(_FLAGS))}")
    zone = table.get("zone", "any")
    if zone not in ZONES:
        raise RuleError(f"{where}: zone must be one of {', '.join(ZONES)}")
    opens = table.get("opens_section", False)
    if not isinstance(opens, bool) or (opens and step not in SECTION_STEPS):
        raise RuleError(f"{where}: opens_section is true or false, and only for "
                        f"{' and '.join(f'[[{s}]]' for s in SECTION_STEPS)} rules")
    keywords = table.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) and k.rstrip("\n") and k == k.lower()
                                                 and "\n" not in k[:-1] and "\r" not in k for k in keywords):
        raise RuleError(f"{where}: keywords must be a list of non-empty lower-case strings on one line "
                        f"(a final \\n: at the end of the line)")
    pattern = table["pattern"]
    if not isinstance(pattern, str) or not pattern:
        raise RuleError(f"{where}: pattern must be a non-empty string")
    if REVERSE in flags and not pattern.endswith("$"):
        raise RuleError(f"{where}: flag {REVERSE!r} (match from the end) needs a pattern that ends with $")
    rule = Rule(
        id=table["id"], step=step, pattern=_expand(path, f"rule {table['id']}", pattern, defined), flags=flags, zone=zone,
        examples=tuple(table["examples"]), counter_examples=tuple(table["counter_examples"]),
        description=str(table.get("description", "")), opens_section=opens, keywords=tuple(keywords), source=str(path),
        bounded=bounded,
    )
    try:
        rule.regex
    except regex.error as exc:
        raise RuleError(f"{where}: pattern does not compile: {exc}") from None
    if bounded and (slow := probe(rule)) is not None:
        raise RuleError(f"{where}: {slow}")
    if REVERSE in flags:
        for text in (*rule.examples, *rule.counter_examples):
            if bool(rule.regex.match(text)) != bool(rule.forward.match(text)):
                raise RuleError(f"{where}: matched from the end, the pattern does not decide {text!r} as it does "
                                f"from the start: anchor every alternative with $")
    if regex.search(r"\(\?P<_r\d", pattern):
        raise RuleError(f"{where}: group names starting with _r are reserved")
    for example in rule.examples:
        if keywords and not any(s in example.strip() + "\n" for k in keywords for s in spellings(k)):
            raise RuleError(f"{where}: example {example!r} contains none of the keywords "
                            f"(in lower case, Capitalized, Title Case or UPPER CASE)")
        if not rule.matches(example):
            raise RuleError(f"{where}: example {example!r} does not match the pattern")
    for counter in rule.counter_examples:
        if rule.matches(counter):
            raise RuleError(f"{where}: counter-example {counter!r} matches the pattern")
    return rule


def _pack_language(path: Path) -> str:
    """An extra file named `de.toml` or `mysite.de.toml` is for German only; others for all."""
    tail = path.stem.rsplit(".", 1)[-1]
    return tail if regex.fullmatch(r"[a-z]{2}(?:-[a-z]{2})?", tail) else COMMON


class RuleBook:
    """The rules of one language, ready for matching by zone.

    A line is tried only against the rules that can start with its first three
    characters (found once per beginning with a partial match), and where there
    are some, its first six, so its cost does not grow with the number of rules. Rules that look for a phrase
    anywhere in a line name keywords instead, and are tried only on lines that
    contain one of them.
    """

    def __init__(self, rules: list[Rule], finder: KeywordFinder | None = None,
                 menu_words: frozenset[str] = frozenset()):
        """`finder`: one that finds the keywords of these rules and perhaps others, valued by rule id
        (`keyword_finder`), shared by the books of all languages; else one of these rules alone.
        `menu_words`: the packs' `[menu]` words (see MENU)."""
        self.rules = rules
        self.menu_words = menu_words
        self._order = {r.id: n for n, r in enumerate(rules)}
        self._zones: dict[str, tuple[list[tuple[Rule, regex.Pattern]], list[tuple[Rule, regex.Pattern]]]] = {}
        # The head and tail lists hold only the rules kept for them: a line
        # there has been tried against the others already (see `match_lines`).
        for zone, admits in (("body", {"any"}), ("head", {"edge", "head"}), ("tail", {"edge", "tail"})):
            anchored = [(r, r.regex) for r in rules if r.zone in admits and not r.keywords]
            keyed = [(r, r.regex) for r in rules if r.zone in admits and r.keywords]
            self._zones[zone] = (anchored, keyed)
        self._by_start: dict[str, dict[str, list[tuple[Rule, regex.Pattern, regex.Pattern]]]] = {
            zone: {} for zone in self._zones}
        self._by_longer: dict[str, dict[str, list[tuple[Rule, regex.Pattern, regex.Pattern]]]] = {
            zone: {} for zone in self._zones}
        self._anchored = {zone: [(r, p, r.beginning) for r, p in anchored] for zone, (anchored, _) in self._zones.items()}
        #: What the beginnings shorter than PREFIX let through (few: they are reused by the longer).
        self._shorter: dict[tuple[str, str], list[tuple[Rule, regex.Pattern, regex.Pattern]]] = {}
        # Keyword rules by chain order: which zones admit them, their patterns,
        # and the chain order of each by its id (what the finder names).
        self._patterns = [r.regex for r in rules]
        self._keyed_in = {zone: {self._order[r.id] for r, _ in keyed} for zone, (_, keyed) in self._zones.items()}
        self._local = {r.id: n for n, r in enumerate(rules) if r.keywords}
        self._finder = keyword_finder(rules) if finder is None else finder

    def _starting_with(self, zone: str, start: str) -> list[tuple[Rule, regex.Pattern, regex.Pattern]]:
        """The rules a line beginning with `start` may match.

        Asked of the first character, then of the first two, then of all
        three, each time only of the rules the shorter beginning let through
        (a rule that can start with "abc" can start with "ab"): a new
        beginning costs a few partial matches, not one per rule.
        """
        rules = self._anchored[zone]
        for n in range(1, len(start)):
            key = (zone, start[:n])
            shorter = self._shorter.get(key)
            if shorter is None:
                shorter = [(r, p, forward) for r, p, forward in rules if forward.match(start[:n], partial=True)]
                if len(self._shorter) < MAX_PREFIXES:
                    self._shorter[key] = shorter
            rules = shorter
        return self._narrowed(self._by_start[zone], start, rules)

    @staticmethod
    def _narrowed(known: dict, start: str, rules: list[tuple[Rule, regex.Pattern, regex.Pattern]]) -> list:
        """Those of `rules` that a line beginning with `start` may match, remembered in `known`."""
        found = [rule for rule in rules if rule[2].match(start, partial=True)]
        if len(known) < MAX_PREFIXES:
            known[start] = found
        return found

    def match(self, text: str, zone: str = "body") -> Rule | None:
        """The first rule, in chain order, that matches the stripped line in this zone."""
        found = self.match_lines([text])
        return found[0] if zone == "body" else self.match_lines([text], [zone], found)[0]

    def match_lines(self, texts: list[str], zones: list[str] | None = None,
                    body_hits: list[Rule | None] | None = None,
                    flagged: dict[int, set[int]] | None = None) -> list[Rule | None]:
        """`match` for every line of a document at once: in the body, or at the edges.

        Lines of the head or tail (`zones`) are tried only against the rules
        kept for the edges, and their `body_hits` (what `match_lines(texts)`
        found) stand unless an edge rule comes first in chain order.

        Keywords are looked for in the whole document in one go (most occur
        nowhere in it), unless `flagged` says already which lines hold which
        (`keyword_lines`); a line is then tried against the rules its
        beginning allows, and the keyword rules only if it holds one of
        their keywords.
        """
        if not texts:
            return []
        if flagged is None:
            flagged = self.keyword_lines(texts)
        if zones is None and body_hits is None:
            return self._match_body(texts, flagged)
        order = self._order
        zone = "body"
        # Most lines match no rule: the list starts empty and takes the hits.
        found: list[Rule | None] = [None] * len(texts)
        for i, text in enumerate(texts):
            if not text:
                continue
            if zones is not None:
                zone = zones[i]
            candidates = self._candidates(zone, text)
            hit = None
            for rule, pattern, _ in candidates:
                if pattern.match(text):
                    hit = rule
                    break
            if i in flagged:
                hit = self._keyed(text, zone, flagged[i], hit)
            if body_hits is not None and (hit is None or (
                    body_hits[i] is not None and order[body_hits[i].id] < order[hit.id])):
                hit = body_hits[i]
            found[i] = hit
        return found

    def _match_body(self, texts: list[str], flagged: dict[int, set[int]]) -> list[Rule | None]:
        """`match_lines` in the body: the beginnings of all lines looked up in C first, so that the
        lines no rule may start like (most of them) cost no step of Python."""
        known, longer = self._by_start["body"], self._by_longer["body"]
        found: list[Rule | None] = [None] * len(texts)
        # The lines some rule may start like, or whose beginning is not known yet; then the same
        # with their longer beginnings (for a line of PREFIX characters or fewer, the same rules).
        some = list(compress(range(len(texts)), map(known.get, map(_BEGINNING, texts), repeat(_UNKNOWN))))
        starts = list(map(_LONGER_BEGINNING, map(texts.__getitem__, some)))
        for i, start in compress(zip(some, starts), map(longer.get, starts, repeat(_UNKNOWN))):
            text = texts[i]
            if not text:
                continue
            candidates = longer.get(start)
            if candidates is None:
                candidates = self._candidates("body", text)
            for rule, pattern, _ in candidates:
                if pattern.match(text):
                    found[i] = rule
                    break
        for i, orders in flagged.items():
            if texts[i]:
                found[i] = self._keyed(texts[i], "body", orders, found[i])
        return found

    def _candidates(self, zone: str, text: str) -> list:
        """The rules of `zone` that may start like `text` (a non-empty line), in chain order:
        looked up by its first PREFIX characters, then narrowed by its first LONGER."""
        start = text[:PREFIX]
        candidates = self._by_start[zone].get(start)
        if candidates is None:
            candidates = self._starting_with(zone, start)
        if candidates and len(text) > PREFIX:
            longer = self._by_longer[zone]
            start = text[:LONGER]
            narrowed = longer.get(start)
            candidates = self._narrowed(longer, start, candidates) if narrowed is None else narrowed
        return candidates

    def keyword_lines(self, texts: list[str], data: bytes | None = None) -> dict[int, set[int]]:
        """The lines holding a keyword: line index -> chain order of the rules they admit.

        A line's entry depends on that line alone, so it holds for the line
        in any list of lines (`match_lines(..., flagged=)`). `data`: the lines
        each followed by "\\n" in UTF-8, when known (an entry for a line that
        `texts` leaves empty is then harmless: an empty text matches no rule)."""
        local = self._local
        if not local:
            return {}
        found = self._finder.by_line(texts, data)
        # The finder may name rules of every pack: this book's are kept, by their order here.
        flagged = {}
        for line, ids in found.items():
            orders = {local[i] for i in ids if i in local}
            if orders:
                flagged[line] = orders
        return flagged

    def _keyed(self, text: str, zone: str, orders: set[int], hit: Rule | None) -> Rule | None:
        """The keyword rule that matches before `hit` in chain order, or `hit`."""
        admitted = self._keyed_in[zone]
        last = len(self.rules) if hit is None else self._order[hit.id]
        for n in sorted(orders):
            if n > last:
                break
            if n in admitted and self._patterns[n].match(text):
                return self.rules[n]
        return hit


def keyword_finder(rules: list[Rule]) -> KeywordFinder:
    """A finder of the keywords of `rules`, each valued by the ids of the rules that name it."""
    owners: dict[str, set[str]] = {}
    for rule in rules:
        for k in rule.keywords:
            owners.setdefault(k, set()).add(rule.id)
    return KeywordFinder(list(owners.values()), list(owners))


@dataclass
class RuleSet:
    """All loaded packs; hands out a RuleBook per language."""

    files: list[Path]
    extra: list[Path] = field(default_factory=list)
    disabled: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self._rules: dict[str, list[Rule]] = {}
        self._menu_words: dict[str, frozenset[str]] = {}
        seen: dict[str, str] = {}
        common = [p for p in self.files if p.stem == COMMON]
        inherited = definitions(common[0], read_toml(common[0])) if common else {}
        for path in [*self.files, *self.extra]:
            rules, words = load_pack(path, inherited, bounded=path in self.extra)
            for rule in rules:
                if rule.id in seen:
                    raise RuleError(f"{path}: rule {rule.id}: id already used in {seen[rule.id]}")
                seen[rule.id] = str(path)
            key = _pack_language(path) if path in self.extra else path.stem
            self._rules.setdefault(key, []).extend(rules)
            self._menu_words[key] = self._menu_words.get(key, frozenset()) | words
        self._books: dict[str, RuleBook] = {}
        self._finder: KeywordFinder | None = None

    @classmethod
    def bundled(cls, extra: tuple[Path, ...] = (), disabled: frozenset[str] = frozenset()) -> "RuleSet":
        files = sorted(packs_dir().glob("*.toml"))
        return cls(files, [Path(p) for p in extra], frozenset(disabled))

    def all_rules(self) -> list[Rule]:
        return [r for rules in self._rules.values() for r in rules]

    def book(self, lang: str) -> RuleBook:
        if lang not in self._rules:
            lang = COMMON  # no pack of its own: every such language shares one book
        book = self._books.get(lang)
        if book is None:
            rules = [*self._rules.get(COMMON, []), *self._rules.get(lang, [])]
            order = {s: n for n, s in enumerate(PATTERN_STEPS)}
            rules = [r for r in rules if r.step not in self.disabled]
            rules.sort(key=lambda r: order[r.step])
            words = self._menu_words.get(COMMON, frozenset()) | self._menu_words.get(lang, frozenset())
            book = self._books[lang] = RuleBook(rules, self.keywords(), words)
        return book

    def keywords(self) -> KeywordFinder:
        """One finder of the keywords of every rule, valued by rule id, for the books of all
        languages: its automaton grows with the keywords' bytes (a DFA, about 0.7 KB a byte), and
        each book building its own held the common pack's keywords once a language."""
        if self._finder is None:
            self._finder = keyword_finder([r for r in self.all_rules() if r.step not in self.disabled])
        return self._finder

    def __getstate__(self):
        # Compiled books are rebuilt lazily in the worker; the rules travel as data.
        return {"files": self.files, "extra": self.extra, "disabled": self.disabled,
                "_rules": self._rules, "_menu_words": self._menu_words}

    def __setstate__(self, state):
        self.files, self.extra, self.disabled = state["files"], state["extra"], state["disabled"]
        self._rules, self._menu_words = state["_rules"], state["_menu_words"]
        self._books = {}
        self._finder = None
