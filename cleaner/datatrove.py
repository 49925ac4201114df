"""cleaner as a datatrove pipeline step: `CleanerStep`.

    from cleaner.datatrove import CleanerStep
    pipeline = [JsonlReader("crawl/"), CleanerStep(), JsonlWriter("cleaned/")]

It cleans `doc.text` in place (the text `cleaner clean` gives for the same
record), keeps the other fields and metadata, and adds what the chain found
under `doc.metadata["cleaner"]`:

    {"lang": "en", "lines_removed": 4, "lines_joined": 0,
     "byline": {"author": "Jane Doe", "date": "May 3, 2021"}}

`author` and `date` are "" when none was found, so that every record has the
same shape (datatrove's Parquet writer takes its schema from the first one).

A document that cleans to nothing but whitespace is dropped (unless
`drop_empty=False`) and goes to `exclusion_writer` with its text as it came
in and `metadata["filter_reason"] = "empty"`, as datatrove's filters do.
`removed_writer` gets one record per removed line: the line as `text`, id
`DOC_ID/LINE`, metadata `document_id`, `line` (1-based), `label`, `rule_id`.

Stats (datatrove's `stat_update`, merged over tasks into stats.json):
`total`, `forwarded`, `dropped`, `dropped_empty` (documents, as every
datatrove filter counts them), and, counted as `cleaner clean --stats`
counts them and added once per batch (unit "batch", so their totals are
exact and their means are per batch): `changed`
(documents whose text changed), `bytes_in` and `bytes_out` (UTF-8 bytes of
the text; out counts forwarded documents only), `lines_in`,
`lines_removed`, `lines_joined`, `removed_label/LABEL`,
`removed_rule/RULE_ID` and `lang/CODE`.

The corpus mode (chrome repeated across a site) is two stages, as datatrove's
own deduplication is: `SiteLinesCounter` writes each task's counts to a
folder, `SiteLinesMerge` (one task) merges them into one profile, and
`CleanerStep(profile=...)` reads it, the site of a document being the host
of `doc.metadata[site_field]` (JsonlReader puts a record's `url` there):

    LocalPipelineExecutor([JsonlReader("crawl/"), SiteLinesCounter("counts/")], tasks=8).run()
    LocalPipelineExecutor([SiteLinesMerge("counts/", "site-lines.bin")], tasks=1).run()
    LocalPipelineExecutor([JsonlReader("crawl/"), CleanerStep(profile="site-lines.bin"),
                           JsonlWriter("cleaned/")], tasks=8).run()

The folders and the profile are local (or mounted) paths, written atomically.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

try:
    from datatrove.data import Document, DocumentsPipeline
    from datatrove.pipeline.base import PipelineStep
    from datatrove.pipeline.filters.base_filter import BaseFilter
    from datatrove.pipeline.writers.disk_base import DiskWriter
except ImportError as exc:  # the extra is not installed
    raise ImportError('cleaner.datatrove needs datatrove: pip install "cleaner[datatrove]"') from exc

from .chain import Cleaner
from .collector import settled
from .config import Config
from .corpus.stats import Tally
from .document import Result
from .lang import limit_threads
from .sites.lines import site_of_value
from .sites.profile import MIN_PAGES, Profile, SiteLines
from .sites.table import DEFAULT_CAPACITY

#: The key of `doc.metadata` that holds what the chain found.
METADATA_KEY = "cleaner"
#: `metadata["filter_reason"]` of a document dropped because nothing was left.
EMPTY = "empty"


class CleanerStep(BaseFilter):
    """Cleans each document's text with cleaner's chain; drops those left empty.

    `config` is a `cleaner.Config` (or `cleaner.config.load_config()` to read
    a cleaner.toml); `lang`, `disabled` and `extra_rules` given here replace
    its own. The rules are loaded here, so that a bad rule file or step name
    fails when the pipeline is built, not in a worker. Documents are cleaned
    `batch_size` at a time: their languages are detected in one call.
    `detector_threads` bounds the language detector's thread pool in each
    task (a datatrove task is one CPU unless you give it more).

    `profile`: a site-lines profile (a path, as `SiteLinesMerge` or `cleaner
    profile` writes it, or a `Profile`), read here; each document's site is
    the host of `doc.metadata[site_field]`, and a line on `min_pages` pages
    of it is chrome in a page's head or tail, on one more elsewhere (rule
    `site.repeated`, see `cleaner.sites.profile.SiteLines.repeated`).
    """

    name = "🧹 cleaner"

    def __init__(
        self,
        config: Config | None = None,
        *,
        lang: str | None = None,
        disabled: Iterable[str] | None = None,
        extra_rules: Iterable[str | Path] | None = None,
        drop_empty: bool = True,
        exclusion_writer: DiskWriter | None = None,
        removed_writer: DiskWriter | None = None,
        batch_size: int = 256,
        detector_threads: int = 1,
        profile: str | Path | Profile | None = None,
        site_field: str = "url",
        min_pages: int = MIN_PAGES,
    ):
        super().__init__(exclusion_writer, batch_size)
        changes: dict = {}
        if lang is not None:
            changes["lang"] = lang
        if disabled is not None:
            changes["disabled"] = frozenset(disabled)
        if extra_rules is not None:
            changes["extra_rules"] = tuple(Path(p) for p in extra_rules)
        self.config = replace(config or Config(), **changes)
        if isinstance(profile, (str, Path)):
            profile = Profile.load(Path(profile))
        self.site_field = site_field
        self.cleaner = Cleaner(self.config, profile=None if profile is None else SiteLines(profile, min_pages))
        self.drop_empty = drop_empty
        self.removed_writer = removed_writer
        self.detector_threads = detector_threads
        self._rank = 0

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        limit_threads(self.detector_threads)
        self._rank = rank
        # The rules and language profiles live as long as the task: out of the
        # collector's sight while it runs, and young collections less often, as
        # in the CLI's workers (see collector.py); the collector as it was after.
        with settled(), self.removed_writer if self.removed_writer else contextlib.nullcontext():
            yield from super().run(data, rank, world_size)

    def filter(self, doc: Document) -> bool | tuple[bool, str]:
        return self.filter_batch([doc])[0]

    def filter_batch(self, batch: list[Document]) -> list[bool | tuple[bool, str]]:
        sites = None
        if self.cleaner.site_lines is not None:
            sites = [site_of_value(doc.metadata.get(self.site_field)) for doc in batch]
        results = self.cleaner.explain_many([doc.text for doc in batch], sites=sites)
        tally = Tally()  # counted as `cleaner clean --stats` counts
        verdicts: list[bool | tuple[bool, str]] = []
        for doc, result in zip(batch, results):
            removed, joined = tally.lines_removed, tally.lines_joined
            tally.add(result, doc.text)
            size_in, size_out = result.utf8_sizes()
            tally.bytes_in += size_in
            doc.metadata[METADATA_KEY] = _found(result, tally.lines_removed - removed, tally.lines_joined - joined)
            if self.removed_writer and tally.lines_removed > removed:
                self._write_removed(doc, result)
            if self.drop_empty and (not result.text or result.text.isspace()):
                verdicts.append((False, EMPTY))  # the exclusion writer gets the text as it came
                continue
            doc.text = result.text
            tally.bytes_out += size_out
            verdicts.append(True)
        self._count(tally)
        return verdicts

    def _count(self, t: Tally) -> None:
        for key, value in (("changed", t.changed_documents), ("bytes_in", t.bytes_in), ("bytes_out", t.bytes_out),
                           ("lines_in", t.lines_in), ("lines_removed", t.lines_removed),
                           ("lines_joined", t.lines_joined)):
            self.stat_update(key, value=value, unit="batch")
        for prefix, counter in (("removed_label/", t.removed_by_label), ("removed_rule/", t.removed_by_rule),
                                ("lang/", t.languages)):
            for key, value in counter.items():
                self.stat_update(prefix + key, value=value, unit="batch")

    def _write_removed(self, doc: Document, result: Result) -> None:
        for d in result.removed:
            line = Document(text=d.text, id=f"{doc.id}/{d.line}",
                            metadata={"document_id": doc.id, "line": d.line, "label": d.label,
                                      "rule_id": d.rule_id or ""})
            self.removed_writer.write(line, self._rank)


def _found(result: Result, removed: int, joined: int) -> dict:
    byline = result.metadata
    return {"lang": result.lang, "lines_removed": removed, "lines_joined": joined,
            "byline": {"author": byline.get("author", ""), "date": byline.get("date", "")}}


#: The suffix of a task's counts in SiteLinesCounter's folder.
COUNTS_SUFFIX = ".site-lines"


class SiteLinesCounter(PipelineStep):
    """Stage one of the corpus mode: counts each document's lines under its site and writes the task's
    counts to `output_folder/RANK.site-lines` (the documents go no further, as in datatrove's
    deduplication signatures). `capacity` bounds each task's table (see cleaner/sites/table.py)."""

    name = "🧹 cleaner: site lines"
    type = "📊 - STATS"

    def __init__(self, output_folder: str | Path, site_field: str = "url", capacity: int = DEFAULT_CAPACITY):
        super().__init__()
        self.output_folder = Path(output_folder)
        self.site_field = site_field
        self.capacity = capacity

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        from .sites.build import lines_of
        from .corpus.write import write_atomic

        profile = Profile(self.capacity)
        for doc in data or ():
            site = site_of_value(doc.metadata.get(self.site_field))
            self.stat_update("documents")
            if site is not None:
                profile.add_page(site, lines_of(doc.text))
                self.stat_update("counted")
        write_atomic(self.output_folder / f"{rank:05d}{COUNTS_SUFFIX}", profile.to_bytes())
        return
        yield  # a generator that forwards nothing


class SiteLinesMerge(PipelineStep):
    """Stage two: merges the tasks' counts in `input_folder` into the profile `output` (run it with
    one task; the result does not depend on how the corpus was cut into tasks)."""

    name = "🧹 cleaner: merge site lines"
    type = "📊 - STATS"

    def __init__(self, input_folder: str | Path, output: str | Path, capacity: int = DEFAULT_CAPACITY):
        super().__init__()
        self.input_folder = Path(input_folder)
        self.output = Path(output)
        self.capacity = capacity

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if rank == 0:
            merge_counts(sorted(self.input_folder.glob(f"*{COUNTS_SUFFIX}")), self.capacity).save(self.output)
        return
        yield


def merge_counts(paths, capacity: int = DEFAULT_CAPACITY) -> Profile:
    """One profile of several tasks' counts."""
    merged = Profile(capacity)
    for path in paths:
        merged.merge(Profile.load(path))
    return merged


__all__ = ["COUNTS_SUFFIX", "CleanerStep", "EMPTY", "METADATA_KEY", "SiteLinesCounter", "SiteLinesMerge",
           "merge_counts"]
