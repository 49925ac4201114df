"""The steps of the chain, in the order they run: the one list of them.

Everything else that names steps or labels is derived from `STEPS`: the
labels a line may get and those that remove it, the tables a rule file may
hold and the ones whose rules may open a section, the names `disabled`
accepts, the CLI's help and the tests. A new step is a module
`cleaner/steps/NAME.py` holding a class `Name` (see `steps/base.py`) and one
entry here.

Plain data on purpose: the config, the CLI's help and `document.py` read it
without loading the rule machinery.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StepInfo:
    #: The step's label, its switch in the config and its `[[name]]` table in rule files.
    name: str
    #: Its label takes the line out of the output; join's glues the line to the next instead.
    removes: bool = True
    #: Rule files may hold rules for it; a step without decides from position alone.
    patterns: bool = True
    #: Its rules may open a section (`opens_section`): what follows belongs to the step too.
    sections: bool = False

    @property
    def module(self) -> str:
        return f"cleaner.steps.{self.name}"

    @property
    def class_name(self) -> str:
        return self.name.capitalize()


#: Removals first, each seeing only the lines the earlier ones kept; join
#: last, so that it glues the lines that are really left side by side.
STEPS = (
    StepInfo("chrome", sections=True),
    StepInfo("cookie"),
    StepInfo("byline"),
    StepInfo("teaser", sections=True),
    StepInfo("comment", sections=True),
    StepInfo("duplicate", patterns=False),
    StepInfo("join", removes=False),
)

STEP_NAMES = tuple(s.name for s in STEPS)
#: Labels that take a line out of the output, in the order the chain assigns them.
REMOVING = tuple(s.name for s in STEPS if s.removes)
#: Steps whose rules are patterns in rule files, in chain order.
PATTERN_STEPS = tuple(s.name for s in STEPS if s.patterns)
#: Steps whose rules may open a section: a comment thread, a list of links, a footer.
SECTION_STEPS = tuple(s.name for s in STEPS if s.sections)


def unknown_step(name: str) -> str | None:
    """The message for a name that is no step, or None for a step."""
    if name in STEP_NAMES:
        return None
    return f"unknown step {name!r}; steps are {', '.join(STEP_NAMES)}"
