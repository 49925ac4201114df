"""The chain: detect the language, let each step label lines, render once."""
from __future__ import annotations

from collections.abc import Sequence

from .config import Config
from .document import Document, Result
from .lang import UNKNOWN, detect_many
from .render import render
from .rules import RuleSet
from .steps import STEP_NAMES, STEPS
from .steps.base import Context


class Cleaner:
    """Loads the rules once; reusable, and picklable into worker processes."""

    def __init__(self, config: Config | None = None):
        self.config = config or Config()
        unknown = sorted(set(self.config.disabled) - set(STEP_NAMES))
        if unknown:
            raise ValueError(f"unknown step {unknown[0]!r}; steps are {', '.join(STEP_NAMES)}")
        self.rules = RuleSet.bundled(tuple(self.config.extra_rules), frozenset(self.config.disabled))
        self.steps = [cls() for cls in STEPS if cls.name not in self.config.disabled]

    def clean(self, text: str, lang: str | None = None) -> str:
        return self.explain(text, lang).text

    def explain(self, text: str, lang: str | None = None) -> Result:
        return self.explain_many([text], lang)[0]

    def explain_many(self, texts: Sequence[str], lang: str | None = None) -> list[Result]:
        """`explain` for a batch of documents: their languages are detected in one call."""
        for text in texts:
            if not isinstance(text, str):
                raise TypeError(f"text must be str, not {type(text).__name__}")
        docs = [Document.parse(text) for text in texts]
        lang = lang or self.config.lang
        if lang:
            langs = [lang] * len(docs)
        else:
            found = iter(detect_many([[ln.stripped for ln in doc.lines] for doc in docs if doc.lines]))
            langs = [next(found) if doc.lines else UNKNOWN for doc in docs]
        return [self._explain(doc, doc_lang) for doc, doc_lang in zip(docs, langs)]

    def _explain(self, doc: Document, lang: str) -> Result:
        if not doc.lines:
            return Result.labelled(doc.text, lang, doc, [], [], [], {})
        ctx = Context(doc, lang, self.rules.book(lang))
        for step in self.steps:
            step.apply(ctx)
        ctx.settle_zones()
        for step in self.steps:
            step.apply_edges(ctx)
        for step in self.steps:
            step.finish(ctx)
        return Result.labelled(render(doc, ctx.labels), lang, doc, ctx.labels, ctx.steps, ctx.rule_ids,
                               dict(ctx.metadata))


__all__ = ["Cleaner"]
