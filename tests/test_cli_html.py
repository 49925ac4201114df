"""HTML through the batch CLI: pages to text files, HTML fields of records, metadata out."""
import json
import shutil
from pathlib import Path

import pytest

from cleaner.cli import main
from cleaner.html import clean_html

HTML = Path(__file__).parent / "html"


@pytest.fixture
def pages(tmp_path):
    src = tmp_path / "pages"
    (src / "news").mkdir(parents=True)
    shutil.copy(HTML / "boilerplate.html", src / "news" / "bridge.html")
    shutil.copy(HTML / "latin1_meta.html", src / "old.htm")
    shutil.copy(HTML / "empty.html", src / "empty.html")
    return src


def test_pages_are_cleaned_to_text_files_in_a_mirrored_tree(pages, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["clean", str(pages), "-o", str(out), "--quiet", "--jobs", "1"]) == 0
    bridge = (out / "news" / "bridge.txt").read_text(encoding="utf-8")
    assert bridge == clean_html((pages / "news" / "bridge.html").read_bytes()) + "\n"
    assert "footbridge" in bridge and "Read more" not in bridge and "cookies" not in bridge
    assert (out / "old.txt").exists() and not (out / "news" / "bridge.html").exists()
    # a page without article text: empty output and a warning naming it, not an error
    assert (out / "empty.txt").read_bytes() == b""
    assert "empty.html: no article text found" in capsys.readouterr().err


def test_metadata_sidecar_beside_each_text_output(pages, tmp_path):
    out = tmp_path / "out"
    assert main(["clean", str(pages), "-o", str(out), "--quiet", "--metadata"]) == 0
    meta = json.loads((out / "news" / "bridge.meta.json").read_text(encoding="utf-8"))
    assert meta["title"] == "Town approves new footbridge over the river"
    assert meta["sitename"] == "Riverside Gazette"
    assert meta["url"] == "https://gazette.example.org/news/footbridge-approved"
    assert meta["byline"].get("author") == "Tom Baker"
    assert not list(tmp_path.rglob("*.tmp*"))


def test_stats_count_pages_without_text(pages, tmp_path):
    stats = tmp_path / "stats.json"
    assert main(["clean", str(pages), "-o", str(tmp_path / "out"), "--quiet", "--stats", str(stats)]) == 0
    counts = json.loads(stats.read_text())
    assert counts["pages_without_text"] == 1
    assert counts["documents"] == 3


def test_output_is_the_same_whatever_the_number_of_jobs(pages, tmp_path):
    for jobs in ("1", "2"):
        assert main(["clean", str(pages), "-o", str(tmp_path / jobs), "--quiet", "--jobs", jobs, "--metadata"]) == 0
    one = {p.relative_to(tmp_path / "1"): p.read_bytes() for p in (tmp_path / "1").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "2"): p.read_bytes() for p in (tmp_path / "2").rglob("*") if p.is_file()}
    assert one == two and len(one) == 6


def test_html_field_of_json_lines(tmp_path):
    page = (HTML / "boilerplate.html").read_text(encoding="utf-8")
    corpus = tmp_path / "pages.jsonl"
    records = [{"id": "a", "html": page, "fetched": "2024-03-14"}, {"id": "b", "html": "<html><body></body></html>"}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "-o", str(out), "--html-field", "html", "--quiet"]) == 0
    got = [json.loads(line) for line in (out / "pages.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in got] == ["a", "b"]
    assert list(got[0])[:3] == ["id", "html", "fetched"]  # the record's own fields first, as they were
    assert got[0]["html"] == page and got[0]["text"] == clean_html(page)
    assert got[0]["metadata"]["title"] == "Town approves new footbridge over the river"
    assert got[1]["text"] == "" and "no-article-text" in got[1]["metadata"]["warnings"]


def test_metadata_field_for_text_records(tmp_path):
    corpus = tmp_path / "texts.jsonl"
    text = ("A headline about the harbour\nBy Jane Doe March 3, 2022\n"
            "The harbour reopened on Monday after a long winter of repairs.")
    corpus.write_text(json.dumps({"text": text}) + "\n", encoding="utf-8")
    assert main(["clean", str(corpus), "-o", str(tmp_path / "out"), "--metadata", "--quiet"]) == 0
    record = json.loads((tmp_path / "out" / "texts.jsonl").read_text(encoding="utf-8"))
    assert record["metadata"] == {"author": "Jane Doe", "date": "March 3, 2022"}
    assert "By Jane Doe" not in record["text"]


def test_a_record_without_the_html_field_is_a_clear_error(tmp_path, capsys):
    corpus = tmp_path / "pages.jsonl"
    corpus.write_text(json.dumps({"id": 1, "body": "<p>x</p>"}) + "\n", encoding="utf-8")
    assert main(["clean", str(corpus), "-o", str(tmp_path / "out"), "--html-field", "html", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "pages.jsonl:1" in err and "html" in err


def test_pages_are_not_cleaned_in_place_nor_checked(pages, capsys):
    assert main(["clean", str(pages / "news" / "bridge.html"), "--in-place"]) == 2
    assert "not in place" in capsys.readouterr().err
    assert main(["check", str(pages / "old.htm")]) == 2
    capsys.readouterr()
    # a folder check passes over the pages, says so, and fails as it finds nothing else to check
    assert main(["check", str(pages)]) == 2
    assert "nothing to check" in capsys.readouterr().err


def test_explain_a_page_shows_the_extracted_lines_and_the_rules(capsys):
    assert main(["explain", str(HTML / "boilerplate.html")]) == 0
    out = capsys.readouterr().out
    assert "Town approves new footbridge over the river" in out
    assert "en.teaser.read-more-colon" in out and "<html" not in out


# --- where pages go ------------------------------------------------------------------------------


def test_compressed_pages_keep_their_compression_and_htm_becomes_txt(tmp_path):
    import gzip
    src = tmp_path / "pages"
    src.mkdir()
    page = (HTML / "boilerplate.html").read_bytes()
    (src / "bridge.html.gz").write_bytes(gzip.compress(page))
    shutil.copy(HTML / "cp1252_meta.html", src / "ferry.htm")
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--quiet", "--metadata"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["bridge.meta.json", "bridge.txt.gz", "ferry.meta.json",
                                                     "ferry.txt"]
    assert gzip.decompress((out / "bridge.txt.gz").read_bytes()).decode("utf-8") == clean_html(page) + "\n"


def test_one_page_to_a_named_text_file_with_its_sidecar(tmp_path):
    out = tmp_path / "got" / "bridge-text.txt"
    assert main(["clean", str(HTML / "boilerplate.html"), "-o", str(out), "--quiet", "--metadata"]) == 0
    assert out.read_text(encoding="utf-8") == clean_html((HTML / "boilerplate.html").read_bytes()) + "\n"
    meta = json.loads((tmp_path / "got" / "bridge-text.meta.json").read_text(encoding="utf-8"))
    assert meta["title"] == "Town approves new footbridge over the river" and meta["warnings"] == []


def test_a_page_cannot_be_written_to_an_html_file(tmp_path, capsys):
    assert main(["clean", str(HTML / "boilerplate.html"), "-o", str(tmp_path / "x.html"), "--quiet"]) == 2
    assert "cleaned to text" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_one_page_to_standard_output(capsys):
    assert main(["clean", str(HTML / "boilerplate.html"), "--quiet"]) == 0
    assert capsys.readouterr().out == clean_html((HTML / "boilerplate.html").read_bytes()) + "\n"


def test_metadata_needs_an_output_file_for_pages_and_texts(tmp_path, capsys):
    # Standard output has no "beside" for NAME.meta.json: refused rather than silently dropped.
    assert main(["clean", str(HTML / "boilerplate.html"), "--metadata", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "boilerplate.html" in err and "meta.json" in err and "-o" in err
    assert capsys.readouterr().out == ""


def test_a_page_on_standard_input_with_format_html(monkeypatch, capsys):
    import io
    import sys
    page = (HTML / "latin1_meta.html").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page)))
    assert main(["clean", "-", "--format", "html", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert out == clean_html(page) + "\n" and "Bäckerei" in out


def test_metadata_files_that_would_clash_are_a_usage_error(tmp_path, capsys):
    src = tmp_path / "notes"
    src.mkdir()
    (src / "a.txt").write_text("One article line that is long enough to stay where it is.\n", encoding="utf-8")
    (src / "a.md").write_text("Another article line that is long enough to stay as it is.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--metadata", "--quiet"]) == 2
    assert "a.meta.json" in capsys.readouterr().err
    assert not out.exists()
    # without --metadata the two outputs do not clash
    assert main(["clean", str(src), "-o", str(out), "--quiet"]) == 0


def test_text_files_get_their_byline_as_a_sidecar(tmp_path):
    src = tmp_path / "story.txt"
    src.write_text("A headline about the harbour\nBy Jane Doe March 3, 2022\n"
                   "The harbour reopened on Monday after a long winter of repairs.\n", encoding="utf-8")
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "--metadata", "--quiet"]) == 0
    meta = json.loads((tmp_path / "out" / "story.meta.json").read_text(encoding="utf-8"))
    assert meta == {"author": "Jane Doe", "date": "March 3, 2022"}


# --- in place, check ------------------------------------------------------------------------------


def test_in_place_on_a_folder_with_pages_refuses_and_writes_nothing(tmp_path, capsys):
    src = tmp_path / "crawl"
    src.mkdir()
    story = "A story line that goes on for long enough to be article text here.\nRead More\n"
    (src / "story.txt").write_text(story, encoding="utf-8")
    shutil.copy(HTML / "boilerplate.html", src / "page.html")
    assert main(["clean", str(src), "--in-place", "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "page.html" in err and "not in place" in err and "--exclude" in err
    assert (src / "story.txt").read_text(encoding="utf-8") == story
    assert sorted(p.name for p in src.iterdir()) == ["page.html", "story.txt"]
    # the way out the message names: leave the pages alone
    assert main(["clean", str(src), "--in-place", "--quiet", "--exclude", "*.html"]) == 0
    assert "Read More" not in (src / "story.txt").read_text(encoding="utf-8")
    assert (src / "page.html").read_bytes() == (HTML / "boilerplate.html").read_bytes()


def test_check_passes_over_pages_even_when_told_they_are_html(pages, capsys):
    assert main(["check", str(pages), "--format", "html"]) == 2
    assert "HTML pages skipped" in capsys.readouterr().err
    assert main(["check", str(pages / "news" / "bridge.html")]) == 2
    assert "check takes text and JSON Lines" in capsys.readouterr().err


# --- pages without text, bad pages, encodings ------------------------------------------------------


def test_a_record_without_article_text_is_named_and_counted(tmp_path, capsys):
    corpus = tmp_path / "pages.jsonl"
    page = (HTML / "boilerplate.html").read_text(encoding="utf-8")
    records = [{"html": page}, {"html": (HTML / "cookie_wall.html").read_text(encoding="utf-8")}, {"html": ""}]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    stats = tmp_path / "stats.json"
    assert main(["clean", str(corpus), "-o", str(tmp_path / "out"), "--html-field", "html",
                 "--stats", str(stats)]) == 0
    err = capsys.readouterr().err
    assert "pages.jsonl:2: no article text found" in err and "pages.jsonl:3: no article text found" in err
    assert "pages.jsonl:1:" not in err
    assert "2 pages without text" in err  # the summary line
    counts = json.loads(stats.read_text())
    assert counts["pages_without_text"] == 2 and counts["documents"] == 3 and counts["bad_records"] == 0


def test_a_binary_file_named_html_is_bad_input(tmp_path, capsys):
    src = tmp_path / "pages"
    src.mkdir()
    (src / "a.html").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    shutil.copy(HTML / "boilerplate.html", src / "b.html")
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "--quiet"]) == 2
    assert "a.html: binary file" in capsys.readouterr().err
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "--quiet", "--skip-bad"]) == 0
    assert (tmp_path / "out" / "b.txt").exists() and not (tmp_path / "out" / "a.txt").exists()


@pytest.mark.parametrize("name, word", [("latin1_meta.html", "Bäckerei"), ("cp1252_meta.html", "€2"),
                                        ("latin1_label_cp1252_bytes.html", "island’s"),
                                        ("utf8_bom.html", "Zürich"), ("utf8_undeclared.html", "naïve")])
def test_pages_in_any_encoding_come_out_as_utf8_text(tmp_path, name, word):
    out = tmp_path / "out"
    assert main(["clean", str(HTML / name), "-o", str(out), "--quiet"]) == 0
    text = (out / Path(name).with_suffix(".txt")).read_bytes().decode("utf-8")
    assert word in text and "\ufffd" not in text and not text.startswith("\ufeff")


def test_a_utf16_page_with_a_byte_order_mark_is_not_taken_for_binary(tmp_path):
    page = (HTML / "boilerplate.html").read_text(encoding="utf-8")
    src = tmp_path / "wide.html"
    src.write_bytes(page.encode("utf-16"))  # with its byte order mark
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    assert (tmp_path / "out" / "wide.txt").read_text(encoding="utf-8") == clean_html(page) + "\n"


# --- JSON Lines ------------------------------------------------------------------------------------


def test_html_records_keep_every_other_field_byte_for_byte(tmp_path):
    page = json.dumps((HTML / "boilerplate.html").read_text(encoding="utf-8"))
    # Compact separators, a number json would respell, an escape json would unescape.
    line = '{"id":7,"score":1.0e5,"html":' + page + ',"note":"caf\\u00e9"}'
    corpus = tmp_path / "pages.jsonl"
    corpus.write_bytes(line.encode("utf-8") + b"\r\n")
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "-o", str(out), "--html-field", "html", "--quiet"]) == 0
    got = (out / "pages.jsonl").read_bytes()
    assert got.endswith(b"}\r\n")
    assert got.startswith(line[:-1].encode("utf-8") + b',"text":')  # the fields added follow the record's style
    record = json.loads(got)
    assert list(record) == ["id", "score", "html", "note", "text", "metadata"]
    assert record["text"] == clean_html(json.loads(page))


def test_the_text_field_replaces_an_existing_one_in_its_place(tmp_path):
    page = (HTML / "boilerplate.html").read_text(encoding="utf-8")
    corpus = tmp_path / "pages.jsonl"
    corpus.write_text(json.dumps({"content": "old", "raw": page, "id": 3}) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "-o", str(out), "--html-field", "raw", "--text-field", "content",
                 "--quiet"]) == 0
    record = json.loads((out / "pages.jsonl").read_text(encoding="utf-8"))
    assert list(record) == ["content", "raw", "id", "metadata"]
    assert record["content"] == clean_html(page) and record["raw"] == page


def test_a_lone_surrogate_in_an_html_field_is_replaced_and_flagged(tmp_path):
    corpus = tmp_path / "pages.jsonl"
    body = "<p>" + "The ferry left the harbour at dawn with every seat taken by commuters. " * 3 + "</p>"
    corpus.write_text('{"html": "<html><body><article>' + body.replace("dawn", "dawn \\ud800")
                      + '</article></body></html>"}\n', encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "-o", str(out), "--html-field", "html", "--quiet"]) == 0
    record = json.loads((out / "pages.jsonl").read_bytes())
    # lxml would stop reading at the surrogate: the text after it must come through
    assert record["text"].count("commuters") == 3 and "\ufffd" in record["text"]
    assert record["metadata"]["warnings"] == ["undecodable-bytes"]


def test_metadata_on_text_records_with_a_lone_surrogate(tmp_path):
    corpus = tmp_path / "texts.jsonl"
    corpus.write_text('{"text": "A line about the harbour \\ud800 that is long enough to stay.", "n": 1}\n',
                      encoding="utf-8")
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "-o", str(out), "--metadata", "--quiet"]) == 0
    got = (out / "texts.jsonl").read_text(encoding="utf-8")
    assert got == '{"text": "A line about the harbour \\ud800 that is long enough to stay.", "n": 1, ' \
                  '"metadata": {}}\n'


def test_text_records_are_untouched_without_metadata(tmp_path):
    line = b'{"id":1, "text":"The harbour reopened on Monday after a long winter of repairs.","x":1.50}\n'
    corpus = tmp_path / "texts.jsonl"
    corpus.write_bytes(line)
    assert main(["clean", str(corpus), "-o", str(tmp_path / "out"), "--quiet"]) == 0
    assert (tmp_path / "out" / "texts.jsonl").read_bytes() == line


def test_removed_lines_and_stats_of_pages_refer_to_the_extracted_text(tmp_path):
    page = (HTML / "boilerplate.html").read_text(encoding="utf-8")
    corpus = tmp_path / "pages.jsonl"
    corpus.write_text(json.dumps({"id": "p1", "html": page}) + "\n", encoding="utf-8")
    removed, stats = tmp_path / "removed.jsonl", tmp_path / "stats.json"
    assert main(["clean", str(corpus), "-o", str(tmp_path / "out"), "--html-field", "html", "--quiet",
                 "--removed", str(removed), "--stats", str(stats)]) == 0
    lines = [json.loads(x) for x in removed.read_text(encoding="utf-8").splitlines()]
    assert lines and {x["id"] for x in lines} == {"p1"}
    assert "en.teaser.read-more-colon" in {x["rule"] for x in lines}
    assert all("<" not in x["text"] for x in lines)
    counts = json.loads(stats.read_text())
    # changed: the chain took lines out of what trafilatura extracted
    assert counts["changed_documents"] == 1 and counts["lines_removed"] == len(lines)


def test_html_records_spread_over_workers_give_the_same_bytes(tmp_path, monkeypatch):
    import cleaner.corpus.plan as planning
    import cleaner.corpus.read as reading
    # Small chunks, so that two workers really share the file (and the plan counts on them).
    monkeypatch.setattr(reading, "CHUNK_RECORDS", 2)
    monkeypatch.setattr(reading, "CHUNK_BYTES", 4096)
    monkeypatch.setattr(planning, "CHUNK_BYTES", 4096)
    pages = [(HTML / n).read_text(encoding="utf-8", errors="replace")
             for n in ("boilerplate.html", "cookie_wall.html", "utf8_bom.html", "empty.html")]
    corpus = tmp_path / "pages.jsonl"
    corpus.write_text("".join(json.dumps({"n": i, "html": p}) + "\n" for i, p in enumerate(pages * 3)),
                      encoding="utf-8")
    got = {}
    for jobs in ("1", "3"):
        stats = tmp_path / f"stats{jobs}.json"
        assert main(["clean", str(corpus), "-o", str(tmp_path / jobs), "--html-field", "html", "--quiet",
                     "--jobs", jobs, "--stats", str(stats)]) == 0
        counts = json.loads(stats.read_text())
        counts.pop("seconds")
        got[jobs] = ((tmp_path / jobs / "pages.jsonl").read_bytes(), counts)
    assert got["1"] == got["3"]
    assert got["1"][1]["pages_without_text"] == 6


def test_trafilatura_is_imported_only_when_a_page_is_met(tmp_path):
    import subprocess
    import sys
    (tmp_path / "a.txt").write_text("The harbour reopened on Monday after a long winter of repairs.\n")
    shutil.copy(HTML / "boilerplate.html", tmp_path / "b.html")
    probe = ("import sys; from cleaner.cli import main; "
             "assert main(['clean', sys.argv[1], '-o', sys.argv[2], '-q', '-j', '1']) == 0; "
             "print('trafilatura' in sys.modules)")
    seen = [subprocess.run([sys.executable, "-c", probe, str(tmp_path / name), str(tmp_path / "out")],
                           capture_output=True, text=True, check=True).stdout.strip()
            for name in ("a.txt", "b.html")]
    assert seen == ["False", "True"]
