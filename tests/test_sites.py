"""The corpus mode: chrome repeated across a site's pages (cleaner/sites, `cleaner profile`, --profile)."""
from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import Cleaner
from cleaner.cli import main
from cleaner.sites.lines import _line_key_patterns, line_key, site_of_file, site_of_value
from cleaner.sites.profile import MAGIC, RULE_ID, Profile, ProfileError, SiteLines
from cleaner.sites.table import CountTable

from .site_pages import CHROME, QUOTED, page, records, write_folders, write_jsonl


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no cleaner.toml of the repo's own on the way up


def test_lines_are_normalised_as_ccnet_does():
    assert line_key("Updated 3 May 2021 | 10:42") == line_key("updated 4 may 2022 — 19:15") == "updated 0 may 0000 00 00"
    assert line_key("SHARE!") == line_key("  share ") == "share"
    assert line_key("Café, über") == "café über"
    assert line_key("| * |") == ""
    # Lines with other characters: curly quotes and spaces of other kinds fold, digits of other scripts
    # count as digits (a circled one is a number, not a digit), letters of every script stay.
    assert line_key("„Wir sagen’s“\u00a0— Seite ٣ von ②_3") == "wir sagen s seite 0 von ② 0"
    assert line_key("Ⅻ. Straße\u3000東京 ǅ") == "ⅻ straße 東京 ǆ"
    assert line_key("Share this") != line_key("Share that")


@settings(max_examples=500, deadline=None)
# ASCII mixed with the other characters lines hold: digits of other scripts, dashes, quotes, spaces, marks.
@given(st.text(st.one_of(st.characters(max_codepoint=127), st.characters(
    categories=("Nd", "No", "Pd", "Pi", "Pf", "Po", "Zs", "Lu", "Ll", "Lt", "Lo", "Mn", "Sm", "So")))))
def test_line_key_equals_the_ccnet_patterns_on_any_text(text):
    # The byte-table paths must write what the patterns write: a profile made before them stays valid.
    assert line_key(text) == _line_key_patterns(text)


def test_a_site_is_the_host_of_a_url_or_the_folder_of_a_file(tmp_path):
    assert site_of_value("https://www.Example.com/a/b?c=1") == "example.com"
    assert site_of_value("news.example.org") == "news.example.org"
    assert site_of_value("") is None and site_of_value(None) is None and site_of_value(7) is None
    (tmp_path / "corpus" / "example.com").mkdir(parents=True)
    assert site_of_file("corpus/example.com/page.txt") == "example.com"


def test_the_table_counts_exactly_until_full_then_never_too_high_and_within_its_deficit():
    rng = random.Random(0)
    true: dict[int, int] = {}
    table = CountTable(capacity=64)
    for _ in range(400):
        page = {rng.randrange(40) for _ in range(5)} | {1000 + rng.randrange(10**6) for _ in range(3)}
        table.add(page)
        for fp in page:
            true[fp] = true.get(fp, 0) + 1
        assert len(table.counts) <= 64
    assert table.deficit > 0  # it did fill
    for fp, n in true.items():
        assert n - table.deficit <= table.get(fp) <= n
    # the lines on many pages are still counted, the ones seen once are gone
    assert all(table.get(fp) > 0 for fp in range(40) if true.get(fp, 0) > table.deficit)
    exact = CountTable(capacity=10**6)
    for fp, n in true.items():
        for _ in range(n):
            exact.add([fp])
    assert exact.deficit == 0 and exact.counts == true


def test_a_profile_counts_a_line_once_per_page():
    profile = Profile()
    profile.add_page("a.example", ["Menu", "menu!", "Menu", "A story."])
    profile.add_page("a.example", ["MENU"])
    profile.add_page("b.example", ["Menu"])
    lines = SiteLines(profile, min_pages=2)
    assert profile.pages == 3 and profile.header()["sites"] == 2
    assert len(lines.counts) == 1  # "menu" on two pages of a.example; nothing else twice


def test_a_profile_round_trips_through_its_file(tmp_path):
    profile = Profile()
    for rec in records():
        profile.add_page(site_of_value(rec["url"]), rec["text"].split("\n"))
    profile.save(tmp_path / "p.bin")
    back = Profile.load(tmp_path / "p.bin")
    assert back.table.counts == profile.table.counts and back.sites.counts == profile.sites.counts
    assert back.header() == profile.header()
    assert (tmp_path / "p.bin").read_bytes() == back.to_bytes()


@pytest.mark.parametrize("content, why", [
    (b"not a profile at all\n", "not a site-lines profile"),
    (MAGIC + b'{"version": 99, "normalisation": "x"}\n', "format version 99"),
    (MAGIC + b"{broken\n", "damaged"),
    ("truncated", "damaged"),
])
def test_a_bad_profile_is_refused_naming_the_file(tmp_path, capsys, content, why):
    corpus = write_folders(tmp_path)
    if content == "truncated":
        assert main(["profile", str(corpus), "-o", "good.bin", "-q"]) == 0
        content = (tmp_path / "good.bin").read_bytes()[:-10]
    (tmp_path / "bad.bin").write_bytes(content)
    assert main(["clean", "--profile", "bad.bin", str(corpus), "-o", "out"]) == 2
    err = capsys.readouterr().err
    assert "bad.bin" in err and why in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    with pytest.raises(ProfileError, match="bad.bin"):
        Profile.load(tmp_path / "bad.bin")


def _clean_folder(tmp_path, *flags) -> dict[str, str]:
    corpus = write_folders(tmp_path)
    assert main(["clean", str(corpus), "-o", "out", "-q", *flags]) == 0
    return {str(p.relative_to(tmp_path / "out")): p.read_text("utf-8") for p in sorted((tmp_path / "out").rglob("*.txt"))}


def test_clean_with_a_profile_drops_the_chrome_of_a_folders_pages_and_keeps_text_quoted_twice(tmp_path):
    corpus = write_folders(tmp_path)
    assert main(["profile", str(corpus), "-o", "site-lines.bin", "-q"]) == 0
    alone = _clean_folder(tmp_path)
    with_profile = _clean_folder(tmp_path, "--profile", "site-lines.bin")
    assert with_profile.keys() == alone.keys() and len(alone) == 10
    for name, text in with_profile.items():
        site = name.split("/")[0]
        for chrome in CHROME[site]:
            assert chrome not in text
        # every other line is what the page alone keeps: the story, and the sentence two pages quote
        assert text.splitlines() == [ln for ln in alone[name].splitlines() if ln not in CHROME[site]]
    assert sum(QUOTED in text for text in with_profile.values()) == 4
    assert any(any(c in text for c in CHROME[name.split("/")[0]]) for name, text in alone.items())
    # one command, two passes: the same outputs
    assert _clean_folder(tmp_path, "--site-repeated") == with_profile


def test_a_line_on_fewer_pages_than_the_threshold_stays(tmp_path):
    assert _clean_folder(tmp_path, "--site-repeated", "--min-pages", "6") == _clean_folder(tmp_path)


def test_check_with_a_profile_fails_and_names_the_rule(tmp_path, capsys):
    corpus = write_folders(tmp_path)
    assert main(["profile", str(corpus), "-o", "site-lines.bin", "-q"]) == 0
    capsys.readouterr()
    assert main(["check", "--profile", "site-lines.bin", str(corpus / "courier.example" / "page-3.txt")]) == 1
    out = capsys.readouterr().out
    assert f"chrome ({RULE_ID}): Courier readers' panel" in out
    assert QUOTED not in out
    # without the profile, only the rules of a page alone speak
    main(["check", str(corpus / "courier.example" / "page-3.txt")])
    out = capsys.readouterr().out
    assert RULE_ID not in out and "Courier readers' panel" not in out


def test_explain_shows_site_repeated_decisions(tmp_path, capsys):
    corpus = write_folders(tmp_path)
    assert main(["profile", str(corpus), "-o", "p.bin", "-q"]) == 0
    capsys.readouterr()
    assert main(["explain", "--profile", "p.bin", str(corpus / "gazette.example" / "page-2.txt")]) == 0
    rows = {row.split(None, 3)[-1]: row.split()[1:3] for row in capsys.readouterr().out.splitlines()[1:]}
    assert rows["Tip us off with a story"] == ["chrome", RULE_ID]
    assert rows[QUOTED] == ["keep", "-"]


def test_the_output_does_not_depend_on_jobs(tmp_path):
    write_jsonl(tmp_path / "corpus" / "part-0.jsonl", records()[:6])
    write_jsonl(tmp_path / "corpus" / "part-1.jsonl", records()[6:])
    runs = {}
    for jobs in ("1", "2"):
        assert main(["clean", "--site-repeated", "corpus", "-o", f"out{jobs}", "-j", jobs, "-q"]) == 0
        runs[jobs] = [(tmp_path / f"out{jobs}" / f"part-{k}.jsonl").read_bytes() for k in (0, 1)]
    assert runs["1"] == runs["2"]
    texts = [json.loads(line)["text"] for part in runs["1"] for line in part.splitlines()]
    assert not any("Download the Courier app" in t for t in texts) and sum(QUOTED in t for t in texts) == 4


def test_records_without_a_site_and_pages_alone_come_out_as_today():
    profile = Profile()
    for rec in records():
        profile.add_page(site_of_value(rec["url"]), rec["text"].split("\n"))
    corpus_mode, alone = Cleaner(profile=profile), Cleaner()
    text = page("gazette.example", 3)
    assert corpus_mode.explain(text).text == alone.explain(text).text  # no site given
    assert corpus_mode.explain(text, site="elsewhere.example").text == alone.explain(text).text
    assert corpus_mode.explain(text, site="gazette.example").text != alone.explain(text).text


def test_site_field_names_the_records_site(tmp_path, capsys):
    recs = [{"id": r["id"], "domain": site_of_value(r["url"]), "text": r["text"]} for r in records()]
    write_jsonl(tmp_path / "c.jsonl", recs)
    assert main(["profile", "c.jsonl", "-o", "p.bin", "--site-field", "domain"]) == 0
    assert "10 pages of 2 sites" in capsys.readouterr().err
    assert main(["check", "--profile", "p.bin", "--site-field", "domain", "c.jsonl"]) == 1
    assert RULE_ID in capsys.readouterr().out
    main(["check", "--profile", "p.bin", "c.jsonl"])
    assert RULE_ID not in capsys.readouterr().out  # no `url`: no site, each record a page alone


def test_bad_input_while_profiling_names_the_file_and_line(tmp_path, capsys):
    (tmp_path / "c.jsonl").write_text('{"text": "a", "url": "https://a.example/"}\n{"text": 3}\n', "utf-8")
    assert main(["profile", "c.jsonl", "-o", "p.bin"]) == 2
    err = capsys.readouterr().err
    assert "c.jsonl:2:" in err and "not a string" in err and "Traceback" not in err
    assert not (tmp_path / "p.bin").exists()


def test_site_repeated_refuses_standard_input(capsys):
    assert main(["clean", "--site-repeated", "--format", "text", "-"]) == 2
    assert "standard input" in capsys.readouterr().err


def test_ascii_lines_fold_as_the_pattern_folds_every_line():
    import re
    pattern = lambda text: re.sub(r"[\W_]+", " ", re.sub(r"\d", "0", text.lower())).strip()
    for text in ["Updated 3 May | 10:42", "__init__ and  _private_", "a\tb\x0bc\x1fd", "Ünïcode — 3½ ¾",
                 "ΟΔΟΣ ΣΟΦΟΚΛΕΟΥΣ", "   ", "K-9 (Kelvin \u212a)", "x_1, y_2!"]:
        assert line_key(text) == pattern(text)


def test_the_profile_does_not_depend_on_jobs_and_bad_records_are_skipped_when_asked(tmp_path, capsys):
    write_jsonl(tmp_path / "corpus" / "part-0.jsonl", records()[:6])
    write_jsonl(tmp_path / "corpus" / "part-1.jsonl", records()[6:])
    write_folders(tmp_path)
    with (tmp_path / "corpus" / "part-1.jsonl").open("a") as f:
        f.write('{"url": "https://a.example/", "text": null}\n')
    assert main(["profile", "corpus", "-o", "one.bin", "-j", "1"]) == 2
    assert "part-1.jsonl:5:" in capsys.readouterr().err
    for jobs in ("1", "2"):
        assert main(["profile", "corpus", "-o", f"p{jobs}.bin", "-j", jobs, "--skip-bad"]) == 0
    err = capsys.readouterr().err
    assert "part-1.jsonl:5:" in err and "20 pages of 2 sites" in err
    assert (tmp_path / "p1.bin").read_bytes() == (tmp_path / "p2.bin").read_bytes()


def test_cleaner_rules_lists_the_corpus_modes_rule(capsys):
    assert main(["rules", "--step", "chrome"]) == 0
    rows = [row.split()[:3] for row in capsys.readouterr().out.splitlines()[1:]]
    assert [RULE_ID, "chrome", "any"] in rows
    assert main(["rules", "--disable", "chrome"]) == 0
    assert RULE_ID not in capsys.readouterr().out


def test_cleaning_with_a_profile_is_idempotent():
    profile = Profile()
    for rec in records():
        profile.add_page(site_of_value(rec["url"]), rec["text"].split("\n"))
    cleaner = Cleaner(profile=SiteLines(profile, min_pages=2))
    for rec in records():
        site = site_of_value(rec["url"])
        once = cleaner.clean(rec["text"], site=site)
        assert cleaner.clean(once, site=site) == once


def test_merged_tables_stay_within_their_capacity_and_their_deficit():
    rng = random.Random(1)
    true: dict[int, int] = {}
    merged = CountTable(capacity=50)
    for _ in range(30):
        part = CountTable(capacity=10**6)
        for _ in range(10):
            page = {rng.randrange(30) for _ in range(4)} | {10**3 + rng.randrange(10**6) for _ in range(4)}
            part.add(page)
            for fp in page:
                true[fp] = true.get(fp, 0) + 1
        merged.merge(part)
        assert len(merged.counts) <= 50
    assert merged.deficit > 0
    assert all(n - merged.deficit <= merged.get(fp) <= n for fp, n in true.items())


# Invented pages of invented sites: each page its own two paragraphs; `frame` and `chrome` lines as the
# test places them. Unique short lines use words, not digits (digits fold to one symbol).
NAMES = ("Ashby", "Brill", "Colne", "Dent", "Eske", "Fosse", "Garth")
MENU = "The Harbour Post, read along the coast"
BYLINE = "Mara Quill at the quay"
SIGNATURE = "— Mara"
POLICY = "We read every letter before it is printed, and we keep the right to shorten the ones we print."


def _paragraphs(k: int) -> list[str]:
    name = NAMES[k]
    return [f"The ferry to {name} will leave an hour later from Monday while the pier is being repaired.",
            f"Passengers for {name} were told that the old timetable would return once the work is done."]


def _profiled(pages: dict[str, list[list[str]]]) -> Cleaner:
    profile = Profile()
    for site, texts in pages.items():
        for lines in texts:
            profile.add_page(site, lines)
    return Cleaner(profile=profile)


def test_a_repeated_line_that_frames_the_pages_own_text_stays_unless_it_opens_a_block_of_chrome():
    framed = [[MENU, f"{NAMES[k]} ferry runs late", BYLINE, *_paragraphs(k), SIGNATURE] for k in range(6)]
    apart = [[MENU, BYLINE, f"{NAMES[k]} ferry runs late", *_paragraphs(k), SIGNATURE, "Letters to the editor",
              "Harbour Post, the quay"] for k in range(6)]
    cleaner = _profiled({"framed.example": framed, "apart.example": apart})
    for lines in framed:
        text = "\n".join(lines) + "\n"
        alone = Cleaner().clean(text)
        assert BYLINE in alone and SIGNATURE in alone and MENU in alone  # what the page alone keeps
        out = cleaner.clean(text, site="framed.example").splitlines()
        assert MENU not in out  # on every page, apart from the text: chrome
        assert out == [ln for ln in lines if ln != MENU]  # the byline and signature touch the text: kept
    for lines in apart:
        out = cleaner.clean("\n".join(lines) + "\n", site="apart.example").splitlines()
        # the same lines among the site's chrome (under the menu; opening the footer) go with it
        assert out == [lines[2], *lines[3:5]]


def test_a_line_needs_one_page_more_inside_the_text_than_in_the_head_or_tail():
    def site(place: str, on: int) -> list[list[str]]:
        pages = []
        for k in range(6):
            line = ["Webcam of the week"] if k < on else []
            first, second = _paragraphs(k)
            if place == "tail":
                pages.append([MENU, first, second, f"Filed by {NAMES[k]}", *line])
            else:
                pages.append([MENU, first, f"Pictured: {NAMES[k]} pier", *line, f"Tides at {NAMES[k]}", second])
        return pages

    sites = {"tail3.example": site("tail", 3), "body3.example": site("body", 3), "body4.example": site("body", 4)}
    cleaner = _profiled(sites)
    kept = {name: sum("Webcam of the week" in cleaner.clean("\n".join(p), site=name) for p in pages)
            for name, pages in sites.items()}
    assert kept == {"tail3.example": 0, "body3.example": 3, "body4.example": 0}
    assert Cleaner().clean("\n".join(sites["tail3.example"][0])).count("Webcam of the week") == 1


def test_a_stock_paragraph_on_most_pages_goes_even_under_the_text():
    pages = [[MENU, f"{NAMES[k]} ferry runs late", *_paragraphs(k), POLICY] for k in range(6)]
    pages[5] = pages[5][:-1]  # on five of the six pages
    cleaner = _profiled({"letters.example": pages})
    for lines in pages[:5]:
        out = cleaner.clean("\n".join(lines), site="letters.example")
        assert POLICY in Cleaner().clean("\n".join(lines)) and POLICY not in out
        assert all(p in out for p in lines[2:4])


def test_a_repeated_line_that_a_removed_paragraph_kept_inside_the_text_goes_in_the_same_cleaning():
    # Below the story, a line on three pages of its site, then a notice that a rule removes: the
    # notice is running text, so the line sits inside the text and needs a fourth page. A second
    # cleaning does not see the notice, finds the line in the tail, and would take it: the first
    # cleaning must take it already.
    pages = [[MENU, *_paragraphs(k), f"Filed by {NAMES[k]}", *(["Webcam of the week"] if k < 3 else []),
              f"This website uses cookies to remember the tides you looked up for {NAMES[k]} and the ferries."]
             for k in range(6)]
    cleaner = _profiled({"notice.example": pages})
    for lines in pages[:3]:
        result = cleaner.explain("\n".join(lines) + "\n", site="notice.example")
        assert "Webcam of the week" not in result.text
        assert cleaner.clean(result.text, site="notice.example") == result.text
        assert [d.rule_id for d in result.decisions if d.text == "Webcam of the week"] == [RULE_ID]
