"""Config: which steps run, which extra rule files load, and the corpus settings.

Settings come from three places, each overriding the one before: the
defaults of `Config`, the first `cleaner.toml` or `pyproject.toml` with a
`[tool.cleaner]` table found walking up from the folder of each path a
command names (as ruff and codespell find theirs, so that a file gets the
same answer from any working directory), and the command-line flags
(`load_config`). In one run each file gets its own nearest configuration
(`Configs`), so a folder named may hold corpora with configs of their own;
`--config` names one for all.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .registry import unknown_step
from .tomlfile import read_toml


@dataclass(frozen=True)
class Config:
    #: Step names (labels) that do not run.
    disabled: frozenset[str] = frozenset()
    #: Rule files loaded after the bundled packs.
    extra_rules: tuple[Path, ...] = ()
    #: Glob patterns of files the CLI leaves alone.
    exclude: tuple[str, ...] = ()
    #: The field of a JSON Lines record that holds the text.
    text_field: str = "text"
    #: A language code to use instead of detecting one.
    lang: str | None = None
    #: Whether the learned labeller decides the lines the rules kept: off by
    #: default while it misses its quality bars (README, "The model").
    model: bool = False
    #: The probability of boilerplate above which the model removes a line;
    #: None: the one chosen with the shipped weights.
    model_threshold: float | None = None
    #: The folder `exclude` patterns are relative to: the config file's
    #: folder, or the working directory when there is no config file.
    root: Path | None = None
    #: The config file these settings were read from, if any.
    source: Path | None = None


class ConfigError(ValueError):
    """A config file or flag that cannot be used; the message names the file and the key."""


CONFIG_FILE = "cleaner.toml"
PYPROJECT = "pyproject.toml"
#: The keys a config file may hold, with the type each must have.
KEYS = {"disabled": list, "extra_rules": list, "exclude": list, "text_field": str, "lang": str, "model": bool,
        "model_threshold": float}


def find_config(start: Path | None = None, cache: dict[Path, Path | None] | None = None) -> Path | None:
    """The nearest `cleaner.toml`, or `pyproject.toml` with `[tool.cleaner]`, from `start` up.

    `cache` (folder -> its config) spares the walk up for the folders of a tree already seen.
    """
    here = (start or Path.cwd()).resolve()
    cache = {} if cache is None else cache
    seen = []
    found = None
    for folder in (here, *here.parents):
        if folder in cache:
            found = cache[folder]
            break
        seen.append(folder)
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            found = candidate
            break
        candidate = folder / PYPROJECT
        if candidate.is_file() and "cleaner" in _read(candidate).get("tool", {}):
            found = candidate
            break
    for folder in seen:
        cache[folder] = found
    return found


class Configs:
    """The configuration of each file of a run: its nearest config file's, or the one `config_file`
    names for all; the flags (`load_config`'s overrides) apply on top of every one.

    `all` lists the configurations met, in the order met; `index_of` gives a file's place in it.
    """

    def __init__(self, config_file: Path | None = None, **flags):
        _check_flags(flags)
        self.flags = flags
        self.config_file = config_file
        self.all: list[Config] = []
        self._index: dict[Path | None, int] = {}
        self._found: dict[Path, Path | None] = {}  # folder -> its config file, for find_config
        self._folders: dict[Path | None, int] = {}  # a folder as named -> its index: resolved once
        if config_file is not None:
            self.index_of(None)  # read now, so that a bad file is said before anything is planned

    def index_of(self, path: Path | None) -> int:
        """The place in `all` of the configuration of the file `path` (None: standard input, found
        from the working directory)."""
        folder = None if path is None else path.parent
        if folder not in self._folders:
            source = self.config_file
            if source is None:
                source = find_config(Path.cwd() if folder is None else folder, self._found)
            if source not in self._index:
                self._index[source] = len(self.all)
                self.all.append(_configure(source, None, **self.flags))
            self._folders[folder] = self._index[source]
        return self._folders[folder]


def read_config(path: Path) -> dict:
    """The validated settings of one config file, with rule paths made absolute.

    A file with a `tool` table (a pyproject.toml, by any name) holds them in `[tool.cleaner]`.
    """
    data = _read(path)
    where = f"{path}"
    if path.name == PYPROJECT or "tool" in data:
        data = data.get("tool", {})
        if not isinstance(data, dict) or "cleaner" not in data:
            raise ConfigError(f"{path}: no [tool.cleaner] table")
        data = data["cleaner"]
        where = f"{path}: [tool.cleaner]"
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: must be a table")
    for key, value in data.items():
        if key not in KEYS:
            raise ConfigError(f"{where}: unknown key {key!r}; known keys are {', '.join(KEYS)}")
        if key == "model_threshold":
            data[key] = check_threshold(value, f"{where}: model_threshold")
            continue
        if not isinstance(value, KEYS[key]) or (
                KEYS[key] is list and not all(isinstance(v, str) for v in value)):
            kind = {list: "a list of strings", bool: "true or false"}.get(KEYS[key], "a string")
            raise ConfigError(f"{where}: {key} must be {kind}")
    if "disabled" in data:
        _check_steps(data["disabled"], f"{where}: disabled")
    if "text_field" in data and not data["text_field"]:
        raise ConfigError(f"{where}: text_field must not be empty")
    if "extra_rules" in data:
        data["extra_rules"] = [str(path.parent / p) for p in data["extra_rules"]]
    return data


def load_config(
    start: Path | None = None,
    *,
    config_file: Path | None = None,
    disable: Iterable[str] = (),
    enable: Iterable[str] = (),
    extra_rules: Iterable[str | Path] = (),
    exclude: Iterable[str] = (),
    text_field: str | None = None,
    lang: str | None = None,
    model: bool | None = None,
    model_threshold: float | None = None,
) -> Config:
    """Defaults, then the config file (given, or found from `start` up), then these overrides.

    List settings add to the file's (`enable` takes steps back out of
    `disabled`); single values replace it.
    """
    source = config_file if config_file is not None else find_config(start)
    flags = dict(disable=list(disable), enable=list(enable), extra_rules=list(extra_rules),
                 exclude=list(exclude), text_field=text_field, lang=lang, model=model,
                 model_threshold=model_threshold)
    _check_flags(flags)
    return _configure(source, start, **flags)


def _check_flags(flags: dict) -> None:
    _check_steps([*flags.get("disable", ()), *flags.get("enable", ())], "--disable/--enable")
    if flags.get("text_field") is not None and not flags["text_field"]:
        raise ConfigError("--text-field must not be empty")
    if flags.get("model_threshold") is not None:
        check_threshold(flags["model_threshold"], "--model-threshold")


def check_threshold(value, where: str) -> float:
    """A probability strictly between 0 and 1 (a bool is not a number here)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value < 1:
        raise ConfigError(f"{where} must be a number between 0 and 1 (exclusive)")
    return float(value)


def _configure(source: Path | None, start: Path | None, *, disable=(), enable=(), extra_rules=(), exclude=(),
               text_field: str | None = None, lang: str | None = None, model: bool | None = None,
               model_threshold: float | None = None) -> Config:
    if source is not None and not Path(source).is_file():
        raise ConfigError(f"{source}: config file not found")
    settings = read_config(Path(source)) if source is not None else {}
    disabled = (set(settings.get("disabled", ())) | set(disable)) - set(enable)
    root = Path(source).resolve().parent if source is not None else (start or Path.cwd()).resolve()
    config = Config(
        disabled=frozenset(disabled),
        extra_rules=tuple(Path(p) for p in [*settings.get("extra_rules", ()), *extra_rules]),
        exclude=tuple([*settings.get("exclude", ()), *exclude]),
        text_field=settings.get("text_field", Config.text_field),
        lang=settings.get("lang"),
        model=settings.get("model", Config.model),
        model_threshold=settings.get("model_threshold"),
        root=root,
        source=Path(source).resolve() if source is not None else None,
    )
    changes = {k: v for k, v in (("text_field", text_field), ("lang", lang), ("model", model),
                                 ("model_threshold", model_threshold)) if v is not None}
    return replace(config, **changes)


def _read(path: Path) -> dict:
    return read_toml(path, ConfigError, "config file")


def _check_steps(names: Iterable[str], where: str) -> None:
    for name in names:
        if (problem := unknown_step(name)) is not None:
            raise ConfigError(f"{where}: {problem}")
