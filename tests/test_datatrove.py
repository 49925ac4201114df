"""cleaner.datatrove: the chain as a datatrove step, in real pipelines.

The corpus is the repo's seeds and negatives as JSON Lines records, plus one
record of nothing but boilerplate; the reference is `cleaner clean` on the
same files.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from datatrove.data import Document
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader, ParquetReader
from datatrove.pipeline.writers import JsonlWriter, ParquetWriter

from cleaner import Cleaner, Config
from cleaner.cli import main
from cleaner.datatrove import EMPTY, METADATA_KEY, CleanerStep

from .conftest import ROOT, read_exact

#: Lines of the kinds every site has, and nothing else: the record cleans to nothing.
ALL_BOILERPLATE = ("Follow us on Twitter for the latest updates\nShare on Facebook Share on Twitter\n"
                   "Copyright © 2022 A Local Publisher Ltd. All rights reserved.\n")
STEP_STATS = "🔻 - FILTER: 🧹 cleaner"


def _records() -> list[dict]:
    paths = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "negatives").glob("*.txt"))
    recs = [{"id": p.stem, "text": read_exact(p), "source": p.parent.name, "n": n} for n, p in enumerate(paths)]
    recs.append({"id": "all-boilerplate", "text": ALL_BOILERPLATE, "source": "made", "n": len(recs)})
    return recs


def _write_shards(folder: Path, recs: list[dict], shards: int = 2) -> None:
    """Shards: datatrove gives each task whole files."""
    folder.mkdir(parents=True)
    for k in range(shards):
        with (folder / f"part-{k}.jsonl").open("w", encoding="utf-8") as f:
            for rec in recs[k::shards]:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def _read_jsonl(folder: Path) -> list[dict]:
    return [json.loads(line) for p in sorted(folder.glob("*.jsonl")) for line in p.read_text("utf-8").splitlines()]


def _total(value) -> float:
    """A metric's total in datatrove's stats.json (a bare number when it is all there is)."""
    return value["total"] if isinstance(value, dict) else value


def _step_stats(logs: Path) -> dict[str, float]:
    merged = json.loads((logs / "stats.json").read_text())
    (step,) = [s for s in merged if s["name"] == STEP_STATS]
    return {key: _total(value) for key, value in step["stats"].items()}


@pytest.fixture(scope="module")
def pipeline_run(tmp_path_factory):
    """The corpus through JsonlReader -> CleanerStep -> JsonlWriter, 2 tasks on 2 workers."""
    tmp = tmp_path_factory.mktemp("datatrove")
    recs = _records()
    _write_shards(tmp / "in", recs)
    step = CleanerStep(exclusion_writer=JsonlWriter(str(tmp / "excluded"), compression=None),
                       removed_writer=JsonlWriter(str(tmp / "removed"), compression=None))
    LocalPipelineExecutor(pipeline=[
        JsonlReader(str(tmp / "in")),
        step,
        JsonlWriter(str(tmp / "out"), compression=None),
    ], tasks=2, workers=2, logging_dir=str(tmp / "logs")).run()
    return tmp, recs


def test_cleaned_texts_equal_cleaner_clean_byte_for_byte(pipeline_run, monkeypatch):
    tmp, recs = pipeline_run
    monkeypatch.chdir(tmp)  # no cleaner.toml of the repo's own on the way up
    assert main(["clean", str(tmp / "in"), "-o", str(tmp / "cli")]) == 0
    expected = {r["id"]: r["text"] for r in _read_jsonl(tmp / "cli")}
    got = {r["id"]: r["text"] for r in _read_jsonl(tmp / "out")}
    assert expected["all-boilerplate"].strip() == ""  # the one the step drops
    del expected["all-boilerplate"]
    assert got == expected
    # Not trivially equal: the seeds lose lines, the negatives keep every byte.
    originals = {r["id"]: r["text"] for r in recs}
    assert any(got[i] != originals[i] for i in got)
    assert all(got[i] == originals[i] for i in got if i.startswith(("de_", "en_", "es_", "fr_")))


def test_ids_and_metadata_survive_and_what_was_found_is_added(pipeline_run):
    tmp, recs = pipeline_run
    by_id = {r["id"]: r for r in recs}
    cleaner = Cleaner()
    out = _read_jsonl(tmp / "out")
    assert len(out) == len(recs) - 1
    for rec in out:
        original = by_id[rec["id"]]
        meta = rec["metadata"]
        assert meta["source"] == original["source"] and meta["n"] == original["n"]
        result = cleaner.explain(original["text"])
        assert meta[METADATA_KEY] == {
            "lang": result.lang, "lines_removed": len(result.removed),
            "lines_joined": result.labels.count("join"),
            "byline": {"author": result.metadata.get("author", ""), "date": result.metadata.get("date", "")}}
    authors = [r["metadata"][METADATA_KEY]["byline"]["author"] for r in out]
    assert any(authors), "a seed has a byline: its author must reach the metadata"


def test_merged_stats_add_up_to_the_chains_totals(pipeline_run):
    tmp, recs = pipeline_run
    stats = _step_stats(tmp / "logs")
    cleaner = Cleaner()
    want: dict[str, float] = {"total": len(recs), "forwarded": len(recs) - 1, "dropped": 1, "dropped_empty": 1,
                              "bytes_in": 0, "bytes_out": 0, "lines_in": 0, "lines_removed": 0, "changed": 0}
    for rec in recs:
        result = cleaner.explain(rec["text"])
        want["bytes_in"] += len(rec["text"].encode("utf-8"))
        if result.text.strip():
            want["bytes_out"] += len(result.text.encode("utf-8"))
        want["lines_in"] += len(result.labels)
        want["changed"] += result.text != rec["text"]
        want[f"lang/{result.lang}"] = want.get(f"lang/{result.lang}", 0) + 1
        for d in result.removed:
            want["lines_removed"] += 1
            for key in (f"removed_label/{d.label}", f"removed_rule/{d.rule_id}"):
                want[key] = want.get(key, 0) + 1
    assert want["lines_removed"] > 10 and want["changed"] > 3
    assert {k: stats.get(k, 0) for k in want} == want
    # And nothing counted that the chain did not find.
    found = {k for k in stats if k.startswith(("removed_rule/", "removed_label/", "lang/"))}
    assert found <= set(want)


def test_the_dropped_document_goes_to_the_exclusion_writer_as_it_came(pipeline_run):
    tmp, _ = pipeline_run
    (excluded,) = _read_jsonl(tmp / "excluded")
    assert excluded["id"] == "all-boilerplate"
    assert excluded["text"] == ALL_BOILERPLATE
    assert excluded["metadata"]["filter_reason"] == EMPTY
    assert excluded["metadata"][METADATA_KEY]["lines_removed"] == 3


def test_removed_lines_go_to_their_writer_with_label_and_rule(pipeline_run):
    tmp, recs = pipeline_run
    cleaner = Cleaner()
    want = sorted((r["id"], d.line, d.label, d.rule_id, d.text) for r in recs for d in cleaner.explain(r["text"]).removed)
    got = sorted((r["metadata"]["document_id"], r["metadata"]["line"], r["metadata"]["label"],
                  r["metadata"]["rule_id"], r["text"]) for r in _read_jsonl(tmp / "removed"))
    assert got == want
    ids = [r["id"] for r in _read_jsonl(tmp / "removed")]
    assert len(set(ids)) == len(ids)


def _run_step(step: CleanerStep, texts: list[str]) -> list[Document]:
    return list(step.run(iter(Document(text=t, id=str(n)) for n, t in enumerate(texts))))


def test_the_step_honours_a_config_and_its_own_overrides(tmp_path):
    seeds = [read_exact(p) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    no_join = Config(disabled=frozenset({"join"}))
    assert [d.text for d in _run_step(CleanerStep(no_join), seeds)] == [Cleaner(no_join).clean(t) for t in seeds]
    rules = tmp_path / "team.toml"
    rules.write_text('[[chrome]]\nid = "team.chrome.desk"\ndescription = "Our desk sign-off."\n'
                     'pattern = "From the night desk$"\nexamples = ["From the night desk"]\n'
                     'counter_examples = ["We spoke to the night desk."]\n', "utf-8")
    text = "A council voted on Tuesday to keep the old bridge open for another ten years.\nFrom the night desk\n"
    (doc,) = _run_step(CleanerStep(lang="en", disabled=["join"], extra_rules=[rules]), [text])
    assert doc.text == "A council voted on Tuesday to keep the old bridge open for another ten years.\n"
    assert doc.metadata[METADATA_KEY]["lang"] == "en"  # given, not detected
    assert _run_step(CleanerStep(), [text])[0].text == text  # without the team's rule the line stays


def test_an_empty_result_is_kept_when_asked():
    (doc,) = _run_step(CleanerStep(drop_empty=False), [ALL_BOILERPLATE])
    assert doc.text.strip() == "" and doc.metadata[METADATA_KEY]["lines_removed"] == 3


def test_a_bad_step_name_fails_when_the_pipeline_is_built():
    with pytest.raises(ValueError, match="unknown step 'joins'"):
        CleanerStep(disabled=["joins"])


def test_parquet_in_and_out(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    recs = _records()
    (tmp_path / "in").mkdir()
    pq.write_table(pa.Table.from_pylist(recs), tmp_path / "in" / "part-0.parquet")
    LocalPipelineExecutor(pipeline=[
        ParquetReader(str(tmp_path / "in")),
        CleanerStep(),
        ParquetWriter(str(tmp_path / "out")),
    ], tasks=1, workers=1, logging_dir=str(tmp_path / "logs")).run()
    out = pq.read_table(tmp_path / "out").to_pylist()
    cleaner = Cleaner()
    want = {r["id"]: cleaner.explain(r["text"]) for r in recs if r["id"] != "all-boilerplate"}
    assert {r["id"]: r["text"] for r in out} == {i: res.text for i, res in want.items()}
    # One schema for every record: a byline found late in the file is not lost.
    assert {r["id"]: r["metadata"][METADATA_KEY]["byline"]["author"] for r in out} == {
        i: res.metadata.get("author", "") for i, res in want.items()}


def test_after_datatroves_trafilatura_extractor(tmp_path):
    import trafilatura
    from datatrove.pipeline.extractors import Trafilatura

    pages = {p.stem: p.read_text("utf-8") for p in sorted((ROOT / "tests" / "html").glob("*.html"))
             if p.stem in ("boilerplate", "cookie_wall", "utf8_undeclared")}
    _write_shards(tmp_path / "in", [{"id": k, "text": v} for k, v in pages.items()], shards=1)
    LocalPipelineExecutor(pipeline=[
        JsonlReader(str(tmp_path / "in")),
        Trafilatura(favour_precision=True, timeout=30),
        CleanerStep(),
        JsonlWriter(str(tmp_path / "out"), compression=None),
    ], tasks=1, workers=1, logging_dir=str(tmp_path / "logs")).run()
    got = {r["id"]: r["text"] for r in _read_jsonl(tmp_path / "out")}
    cleaner = Cleaner()
    # What datatrove's extractor gives, then the chain; pages left empty are dropped.
    extracted = {k: trafilatura.extract(v, favor_precision=True, include_comments=False, deduplicate=True)
                 for k, v in pages.items()}
    want = {k: cleaner.clean(t) for k, t in extracted.items() if t}
    assert got == {k: t for k, t in want.items() if t.strip()}
    assert got and any(got[k] != extracted[k] for k in got)


def test_without_datatrove_the_import_error_says_what_to_install():
    code = ("import sys; sys.modules['datatrove'] = None\n"
            "try:\n    import cleaner.datatrove\nexcept ImportError as exc:\n    print(exc)\n")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 'pip install "cleaner[datatrove]"' in run.stdout
    # and `import cleaner` alone never needs it
    code = "import sys; sys.modules['datatrove'] = None\nimport cleaner\nprint(cleaner.clean('A line.'))\n"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "A line.\n"
