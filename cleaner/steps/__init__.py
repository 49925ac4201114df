"""The step classes, loaded in the order of `cleaner/registry.py`, and their position rules."""
from importlib import import_module

from ..registry import STEP_NAMES
from ..registry import STEPS as _INFO
from .base import PositionRule, Step

STEPS: tuple[type[Step], ...] = tuple(getattr(import_module(info.module), info.class_name) for info in _INFO)
for _cls, _info in zip(STEPS, _INFO):
    if _cls.name != _info.name:  # the label a step gives is the name it is registered under
        raise ImportError(f"{_info.module}.{_info.class_name} labels lines {_cls.name!r}, not {_info.name!r}")


def position_rules() -> list[PositionRule]:
    """Every rule the steps apply in code, in chain order."""
    return [rule for cls in STEPS for rule in cls.position_rules]


__all__ = ["STEPS", "STEP_NAMES", "position_rules"]
