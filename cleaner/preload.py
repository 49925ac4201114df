"""Imported once by the fork server that starts the workers of `--jobs N`.

Every worker would otherwise import the package, compile the bundled rules
and load the language profiles on its own, one after the other on a small
machine; forked from a server that did it once, they start warm. Loading the
rules validates them, which compiles every pattern into the cache that rules
look them up in, so extra rule files (compiled in the worker) are unaffected.
"""
import gc

from .corpus import work  # noqa: F401  (the module the pool runs)
from .lang import langdetect_samples
from .rules import RuleSet

RuleSet.bundled()
langdetect_samples(["Ein Satz, der die Profile der Sprachen lädt, bevor die Arbeit beginnt."])
gc.freeze()  # what every worker inherits stays out of the collector's walks (see corpus.work.init)
