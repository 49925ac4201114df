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
    assert bridge == clean_html((pages / "news" / "bridge.html").read_bytes())
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
    text = "A headline about the harbour\nBy Jane Doe March 3, 2022\nThe harbour reopened on Monday after a long winter of repairs."
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
    # a folder check passes over the pages and finds nothing else to check
    assert main(["check", str(pages)]) == 0


def test_explain_a_page_shows_the_extracted_lines_and_the_rules(capsys):
    assert main(["explain", str(HTML / "boilerplate.html")]) == 0
    out = capsys.readouterr().out
    assert "Town approves new footbridge over the river" in out
    assert "en.teaser.read-more-colon" in out and "<html" not in out
