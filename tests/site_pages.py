"""Invented pages of invented sites, for the corpus mode's tests: each page its own story, framed by
its site's chrome, and one sentence two pages of a site quote."""
from __future__ import annotations

import json
from pathlib import Path

TOWNS = ("Ashford", "Bramley", "Carlow", "Dunmore", "Elsworth", "Fenwick", "Glenby")
TOPICS = ("the old bridge", "a new library", "the bus routes", "the harbour wall", "a school roof",
          "the market square", "the flood barrier")
VERBS = ("repair", "extend", "close", "rebuild", "inspect", "fund", "move")
#: Each site's chrome: what its pages repeat around the story.
CHROME = {
    "gazette.example": ("Weather · Traffic · Obituaries · Classifieds", "Our newsroom is open weekdays",
                        "Tip us off with a story", "Gazette Media Group, all rights kept"),
    "courier.example": ("Front page | Region | Opinion | Puzzles", "Courier readers' panel",
                        "Download the Courier app"),
}
#: Running text that two pages of a site quote: it must stay on both.
QUOTED = "The mayor said the town had waited long enough and that the work would begin before winter."


def page(site: str, n: int) -> str:
    town, topic, verb = TOWNS[n % len(TOWNS)], TOPICS[(n * 3) % len(TOPICS)], VERBS[(n * 5) % len(VERBS)]
    head, *tail = CHROME[site]
    story = [f"{town} votes to {verb} {topic}",
             f"Councillors in {town} agreed on a plan to {verb} {topic} after a long debate about its cost.",
             f"Residents of {town} had asked for years that someone finally {verb} {topic}, the clerk recalled."]
    if n in (1, 2):
        story.append(QUOTED)
    return "\n".join([head, *story, *tail]) + "\n"


def write_folders(root: Path, pages: int = 5) -> Path:
    """corpus/SITE/page-N.txt for each site."""
    for site in CHROME:
        folder = root / "corpus" / site
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(pages):
            (folder / f"page-{n}.txt").write_text(page(site, n), encoding="utf-8")
    return root / "corpus"


def records(pages: int = 5) -> list[dict]:
    """One record a page, its site in `url`, the sites' pages interleaved."""
    return [{"id": f"{site}-{n}", "url": f"https://www.{site}/news/{n}", "text": page(site, n)}
            for n in range(pages) for site in CHROME]


def write_jsonl(path: Path, recs: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs), encoding="utf-8")
    return path
