"""The corpus mode in datatrove: counts per task, a merge, then the cleaning step, as the CLI does it."""
from __future__ import annotations

import json

from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

from cleaner.cli import main
from cleaner.datatrove import CleanerStep, SiteLinesCounter, SiteLinesMerge
from cleaner.sites.profile import Profile

from .site_pages import CHROME, QUOTED, records, write_jsonl


def _texts(folder) -> dict[str, str]:
    return {r["id"]: r["text"] for p in sorted(folder.glob("*.jsonl")) for r in map(json.loads, p.read_text("utf-8").splitlines())}


def test_two_stages_and_a_merge_equal_clean_site_repeated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    recs = records()
    write_jsonl(tmp_path / "in" / "part-0.jsonl", recs[:5])  # each task sees part of each site
    write_jsonl(tmp_path / "in" / "part-1.jsonl", recs[5:])
    LocalPipelineExecutor([JsonlReader(str(tmp_path / "in")), SiteLinesCounter(tmp_path / "counts")],
                          tasks=2, workers=2, logging_dir=str(tmp_path / "logs1")).run()
    assert len(list((tmp_path / "counts").iterdir())) == 2
    LocalPipelineExecutor([SiteLinesMerge(tmp_path / "counts", tmp_path / "site-lines.bin")],
                          tasks=1, logging_dir=str(tmp_path / "logs2")).run()
    LocalPipelineExecutor([JsonlReader(str(tmp_path / "in")), CleanerStep(profile=tmp_path / "site-lines.bin"),
                           JsonlWriter(str(tmp_path / "out"), compression=None)],
                          tasks=2, workers=2, logging_dir=str(tmp_path / "logs3")).run()

    assert main(["profile", "in", "-o", "cli.bin", "-q"]) == 0
    assert (tmp_path / "cli.bin").read_bytes() == (tmp_path / "site-lines.bin").read_bytes()
    assert main(["clean", "--site-repeated", "in", "-o", "cli", "-q"]) == 0
    got, want = _texts(tmp_path / "out"), _texts(tmp_path / "cli")
    assert got == want and len(got) == len(recs)
    assert not any(line in text for text in got.values() for lines in CHROME.values() for line in lines)
    assert sum(QUOTED in text for text in got.values()) == 4
    assert Profile.load(tmp_path / "site-lines.bin").header()["pages"] == len(recs)
