"""The chain: detect the language, let each step label lines, render once."""
from __future__ import annotations

from collections.abc import Sequence

from .config import Config
from .document import JOIN, KEEP, Document, Line, Result
from .lang import UNKNOWN, detect_samples, sample, sample_lines, sample_text
from .render import _final_break, _gap, paragraph_lines, paragraph_view, render
from .rules import RuleSet
from .model.scorer import shipped
from .registry import STEP_NAMES, unknown_step
from .sites.profile import SITE_RULE
from .steps import STEPS
from .steps.base import Context, is_body
from .steps.model import Model


#: Cleanings of one document in the language its output reads as, at most.
LANG_ROUNDS = 3


class Cleaner:
    """Loads the rules once; reusable, and picklable into worker processes."""

    def __init__(self, config: Config | None = None, profile=None):
        """`profile`: a site-lines profile (`cleaner.sites.profile.Profile`, or a `SiteLines` with its own
        threshold): the lines repeated across a document's site (`site=`) are then chrome."""
        self.config = config or Config()
        if profile is not None and not hasattr(profile, "repeated"):
            from .sites.profile import SiteLines
            profile = SiteLines(profile)
        self.site_lines = profile
        unknown = sorted(set(self.config.disabled) - set(STEP_NAMES))
        if unknown:
            raise ValueError(unknown_step(unknown[0]))
        self.rules = RuleSet.bundled(tuple(self.config.extra_rules), frozenset(self.config.disabled))
        self.steps = [cls() for cls in STEPS if cls.name not in self.config.disabled]
        # The model is a source of labels, not a label of its own: it decides
        # after the removal steps, before join glues what is left.
        scorer = shipped() if self.config.model else None
        if scorer is not None:
            at = next((n for n, step in enumerate(self.steps) if step.name == "join"), len(self.steps))
            self.steps.insert(at, Model(scorer, self.config.model_threshold))

    def clean(self, text: str, lang: str | None = None, site: str | None = None) -> str:
        return self.explain(text, lang, site).text

    def explain(self, text: str, lang: str | None = None, site: str | None = None) -> Result:
        """`site`: the document's site, whose repeated lines the profile knows (without one, or
        without a profile, the document is cleaned as a page alone)."""
        return self.explain_many([text], lang, None if site is None else [site])[0]

    def explain_many(self, texts: Sequence[str], lang: str | None = None,
                     sites: Sequence[str | None] | None = None) -> list[Result]:
        """`explain` for a batch of documents: their languages are detected in one call."""
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"text must be str, not {type(text).__name__}")
        docs = [Document.parse(text) for text in texts]
        if sites is not None and self.site_lines is not None:
            for doc, site in zip(docs, sites, strict=True):
                if self.site_lines.knows(site):
                    doc.site, doc.site_repeated = site, self.site_lines.repeated(site, doc.lines, is_body)
        lang = lang or self.config.lang
        if lang:
            return [self._explain(doc, lang) for doc in docs]
        results: list[Result | None] = [None if doc.lines else self._explain(doc, UNKNOWN) for doc in docs]
        # A second cleaning detects the language of the output: a document is
        # done when its output reads as the language it was cleaned in (the
        # same sample is the same answer, so most need one detection only).
        # Cleaned in the language its output reads as, it may read as yet
        # another: after a few rounds, or a language met twice, it is left
        # as it came, which cleans to itself.
        samples: dict[int, str] = {}
        chosen: dict[int, list[int]] = {}
        for n, doc in enumerate(docs):
            if doc.lines:
                lines = doc.stripped
                chosen[n] = sample_lines(lines)
                samples[n] = sample_text(lines, chosen[n])
        tried: dict[int, set[str]] = {n: set() for n in samples}
        todo, rounds = list(samples), 0
        while todo:
            rounds += 1
            again = []
            for n, found in zip(todo, detect_samples([samples[n] for n in todo])):
                done = results[n]
                if done is not None and done.lang == found:
                    continue
                if found in tried[n] or rounds > LANG_ROUNDS:
                    results[n] = _unchanged(docs[n], results[n].lang)
                    continue
                tried[n].add(found)
                results[n] = done = self._explain(docs[n], found)
                if rounds == 1 and JOIN not in done.labels and all(done.labels[i] == KEEP for i in chosen[n]):
                    continue  # the output's sample is the input's: its lines are all there, none glued
                kept = _output_lines(docs[n], done.labels)
                out = sample(kept) if kept else samples[n]  # an empty output cleans to itself
                if out != samples[n]:
                    samples[n] = out
                    again.append(n)
            todo = again
        return results

    def _explain(self, doc: Document, lang: str) -> Result:
        if not doc.lines:
            return Result.labelled(doc.text, lang, doc, [], [], [], {})
        ctx = self._label(doc, lang)
        taken = self._site_lines_of_output(ctx)
        if not ctx.scores and not taken:
            return Result.labelled(render(doc, ctx.labels), lang, doc, ctx.labels, ctx.steps, ctx.rule_ids,
                                   dict(ctx.metadata))
        # The model took lines out, or the site's profile takes lines from the
        # output, which may change what the rules decide about their
        # neighbours (a refrain one copy short, a run broken): label again
        # without them, as a second cleaning would, until neither takes out
        # anything more (each round takes out a line, so it ends; a cap would
        # leave lines that cleaning the output removes).
        labels, steps, rule_ids, scores = list(ctx.labels), list(ctx.steps), list(ctx.rule_ids), dict(ctx.scores)
        first_hits = ctx.prior_hits
        left = list(range(len(doc.lines)))
        while ctx.scores or taken:
            for k in taken:
                labels[left[k]], steps[left[k]], rule_ids[left[k]] = SITE_RULE.step, SITE_RULE.step, SITE_RULE.id
            left = [i for k, i in enumerate(left) if k not in ctx.scores and k not in taken]
            ctx = self._label(_without(doc, left), lang, [first_hits[i] for i in left])
            for k, i in enumerate(left):
                labels[i], steps[i], rule_ids[i] = ctx.labels[k], ctx.steps[k], ctx.rule_ids[k]
                if k in ctx.scores:
                    scores[i] = ctx.scores[k]
            taken = self._site_lines_of_output(ctx)
        return Result.labelled(render(doc, labels), lang, doc, labels, steps, rule_ids, dict(ctx.metadata), scores)

    def _site_lines_of_output(self, ctx: Context) -> set[int]:
        """The kept lines that the site's profile takes from the output, which it did not take from the
        document: the output lacks the paragraphs the rules removed, so a repeated line that one of them
        held inside the text may stand in the tail now (see SiteLines.repeated). Indexes in ctx's lines."""
        doc = ctx.doc
        if doc.site is None or self.site_lines is None or all(label == KEEP for label in ctx.labels):
            return set()  # no site to go by, or the output's lines are the document's
        groups = paragraph_lines(ctx.labels)
        output = paragraph_view(doc.lines, groups)
        # The lines the profile took from the document were the chrome step's to label: it leaves those
        # that another step's rule matched to that step.
        judged = set(doc.site_repeated)
        return {i for k in self.site_lines.repeated(doc.site, output, is_body)
                if judged.isdisjoint(groups[k]) for i in groups[k]}

    def _label(self, doc: Document, lang: str, hits: list | None = None) -> Context:
        ctx = Context(doc, lang, self.rules.book(lang), prior_hits=hits)
        if hits is None:
            ctx.prior_hits = ctx.hits  # before the edge rules: what labelling again starts from
        for step in self.steps:
            step.apply(ctx)
        ctx.settle_zones()
        for step in self.steps:
            step.apply_edges(ctx)
        for step in self.steps:
            step.finish(ctx)
        return ctx


def _without(doc: Document, left: list[int]) -> Document:
    """The document with only the lines `left` (indexes), each followed by the gap the output puts there."""
    lines = doc.lines
    out = []
    for k, i in enumerate(left):
        line = lines[i]
        if k + 1 < len(left):
            j = left[k + 1]
            gap = line.gap if j == i + 1 else _gap(doc, i, j)
        else:
            gap = line.gap if i == len(lines) - 1 else _final_break(doc.text)
        out.append(Line(k, line.number, line.text, gap, line.stripped))
    where = {i: k for k, i in enumerate(left)}
    return Document(doc.text, doc.lead, out, [], [ln.stripped for ln in out],
                    [where[i] for i in doc.site_repeated if i in where], doc.site)


def _output_lines(doc: Document, labels: list[str]) -> list[str]:
    """The stripped lines that a second cleaning of the output would see."""
    return [line.stripped for line in paragraph_view(doc.lines, paragraph_lines(labels))]


def _unchanged(doc: Document, lang: str) -> Result:
    n = len(doc.lines)
    return Result.labelled(doc.text, lang, doc, [KEEP] * n, [None] * n, [None] * n, {})


__all__ = ["Cleaner"]
