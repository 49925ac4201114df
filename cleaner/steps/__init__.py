"""One step per label, in the order the chain runs them."""
from .byline import Byline
from .chrome import Chrome
from .comment import Comment
from .cookie import Cookie
from .duplicate import Duplicate
from .join import Join
from .model import Model
from .teaser import Teaser

#: Removals first, each seeing only the lines the earlier ones kept; join
#: last, so that it glues the lines that are really left side by side. The
#: model decides after the rules, only the lines they kept.
STEPS = (Chrome, Cookie, Byline, Teaser, Comment, Duplicate, Model, Join)
STEP_NAMES = tuple(s.name for s in STEPS)

__all__ = ["STEPS", "STEP_NAMES"]
