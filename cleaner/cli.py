"""The `cleaner` command: clean, check, explain, rules, golden.

Exit codes (every command):
  0    done; for check and golden: nothing would change (check: also when every file named
       is excluded by the config)
  1    check: some file would change (with --write: was changed); golden: some file differs
  2    check: nothing to check (an empty folder, or pages only); usage error, bad config,
       bad rule file, or bad input (unreadable, vanished, binary, not UTF-8, malformed JSON
       record, text field missing or not a string) or an output that cannot be written;
       the message names the file (and the JSON Lines line)
  3    internal error (a bug: please report it with the traceback)
  130  interrupted (Ctrl-C): worker processes ended, temporary files removed, outputs already
       finished kept
  143  terminated (SIGTERM): as for Ctrl-C

Each command imports what it needs when it runs, so `cleaner rules` does not
load the worker pool, the progress bar or the compressors.
"""
from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

OK, CHANGED, ERROR, INTERNAL, INTERRUPTED, TERMINATED = 0, 1, 2, 3, 130, 143


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:  # --help, or a usage error argparse has printed
        return exc.code if isinstance(exc.code, int) else ERROR
    except KeyboardInterrupt:
        _forget_interrupt()
        print("cleaner: interrupted", file=sys.stderr)
        return INTERRUPTED
    previous = _on_sigterm(_terminate)
    try:
        return args.run(args)
    except KeyboardInterrupt as exc:
        _forget_interrupt()
        from .corpus.write import remove_leftovers
        remove_leftovers()
        what = "terminated" if isinstance(exc, Terminated) else "interrupted"
        print(f"cleaner: {what}; temporary files removed, finished outputs kept", file=sys.stderr)
        return TERMINATED if isinstance(exc, Terminated) else INTERRUPTED
    except BrokenPipeError:
        # The reader of standard output went away (`| head`): stop quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return OK
    except Exception as exc:
        if isinstance(exc, _user_errors()):
            print(f"cleaner: error: {exc}", file=sys.stderr)
            return ERROR
        import traceback
        traceback.print_exc()
        print("cleaner: internal error (a bug); please report it with the traceback above", file=sys.stderr)
        return INTERNAL
    finally:
        _on_sigterm(previous)


def _forget_interrupt() -> None:
    """Undo CPython's note that a KeyboardInterrupt went unhandled, which it makes when one
    passes through code compiled from a string (a dataclass's __init__, a namedtuple being
    made, both common while modules load) even if the program catches it later; with the note
    the interpreter, at exit, kills itself with SIGINT instead of exiting with our code. Each
    run of string-compiled code starts by clearing the note, and this one ends cleanly."""
    exec("None")


class Terminated(KeyboardInterrupt):
    """SIGTERM, met as Ctrl-C is: every cleanup that Ctrl-C runs (workers ended, temporary files
    removed) runs for it too."""


def _terminate(signum, frame):
    raise Terminated()


def _on_sigterm(handler):
    """Set the SIGTERM handler and return the one before (nothing to do off the main thread)."""
    import signal
    import threading
    if handler is None or threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, handler)


def _user_errors() -> tuple[type[BaseException], ...]:
    from .corpus.write import OutputError
    from .corpus.run import BadInput
    from .config import ConfigError
    from .corpus.plan import UsageError
    from .rules import RuleError
    from .corpus.read import TextError
    from .sites.profile import ProfileError
    return OutputError, BadInput, ConfigError, UsageError, RuleError, TextError, ProfileError, OSError


def build_parser() -> argparse.ArgumentParser:
    from .corpus.formats import FORMAT_NAMES
    from .registry import STEP_NAMES
    parser = argparse.ArgumentParser(prog="cleaner", description="Strip boilerplate from extracted web text.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    settings = argparse.ArgumentParser(add_help=False)
    group = settings.add_argument_group("settings (override the config file)")
    group.add_argument("--config", type=Path, metavar="FILE",
                       help="config file to use instead of the nearest cleaner.toml or pyproject.toml")
    group.add_argument("--disable", action="append", default=[], metavar="STEP",
                       help=f"turn a step off: {', '.join(STEP_NAMES)}")
    group.add_argument("--enable", action="append", default=[], metavar="STEP",
                       help="turn on a step that the config file turns off")
    group.add_argument("--rules", action="append", default=[], metavar="FILE", help="an extra rule file")
    group.add_argument("--lang", metavar="CODE", help="language of the texts, instead of detecting it")
    group.add_argument("--model", action=argparse.BooleanOptionalAction, default=None,
                       help="let the learned labeller decide the lines the rules keep (default: off)")
    group.add_argument("--model-threshold", type=float, metavar="P",
                       help="probability of boilerplate above which the model removes a line")

    corpus = argparse.ArgumentParser(add_help=False)
    group = corpus.add_argument_group("input")
    group.add_argument("--format", choices=FORMAT_NAMES,
                       help="read every file as this format (default: by extension; .gz/.zst still decompress)")
    group.add_argument("--text-field", metavar="NAME", help="JSON Lines field holding the text (default: text)")
    group.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="leave matching files alone")
    group.add_argument("--skip-bad", action="store_true",
                       help="report bad files and records and carry on; bad records are left out of the "
                            "output (see --rejects), and a file rewritten in place that holds any is left "
                            "as it was")

    site = argparse.ArgumentParser(add_help=False)
    group = site.add_argument_group("chrome repeated across a site (see `cleaner profile`)")
    group.add_argument("--profile", type=Path, metavar="FILE",
                       help="a site-lines profile (`cleaner profile`): a line on many pages of its site is "
                            "chrome (rule site.repeated)")
    group.add_argument("--site-field", metavar="NAME", default="url",
                       help="JSON Lines: the field whose URL (or host) is a record's site (default: url); a "
                            "text file's site is its folder")
    group.add_argument("--min-pages", type=_at_least_two, metavar="N", default=None,
                       help=f"a line is repeated when it is on at least N pages of its site in a page's head "
                            f"or tail (default: {_MIN_PAGES}), N+1 elsewhere; running text also on at least "
                            f"half of them")

    clean = commands.add_parser("clean", parents=[settings, corpus, site], help="clean files and folders",
                                description="Clean text, JSON Lines and HTML files. Without -o or --in-place "
                                            "the cleaned text goes to standard output; when several text or "
                                            "HTML files go there, each is headed by a line `==> NAME <==` "
                                            "(as head(1) does) and followed by a blank line, and one that "
                                            "does not end with a newline gets one; JSON Lines files are "
                                            "joined record after record. An HTML page (.html, "
                                            ".htm) goes through trafilatura, then the chain, and becomes text: "
                                            "NAME.html is written as NAME.txt (mirrored under -o); --in-place "
                                            "refuses pages, since the output is not HTML. A page without "
                                            "article text gives an empty output and a warning, not an error, "
                                            "and is counted in --stats as pages_without_text. A page's text "
                                            "ends with a newline, as a text file does; with --html-field the "
                                            "JSON string holds the text without one, as a text field does.")
    clean.add_argument("paths", nargs="+", metavar="PATH", help="files and folders ('-' for standard input)")
    where = clean.add_mutually_exclusive_group()
    where.add_argument("-o", "--output", type=Path, metavar="OUT", help="mirror the inputs under this folder")
    where.add_argument("--in-place", action="store_true",
                       help="rewrite the inputs (only those that change); not for HTML pages, whose output "
                            "is text: use -o")
    clean.add_argument("-j", "--jobs", type=_positive, default=_cpus(), metavar="N",
                       help="worker processes, and the CPUs the run keeps busy (default: the CPU count)")
    clean.add_argument("--stats", type=Path, metavar="FILE", help=STATS_HELP)
    clean.add_argument("--removed", type=_named_file, metavar="FILE",
                       help="write one JSON record per removed line")
    clean.add_argument("--html-field", metavar="NAME",
                       help="JSON Lines: the field holding a page's HTML; its cleaned text goes to the "
                            "--text-field field and its metadata to the --metadata-field field (see "
                            "--metadata); other fields and the record order are kept")
    clean.add_argument("--metadata", action="store_true",
                       help="write metadata: a `metadata` field in every JSON Lines record, and "
                            "NAME.meta.json beside each text or HTML file's output (so not with standard "
                            "output). A page's: title, author, date, sitename, url, byline, warnings; "
                            "a text's: the author and date of the byline lines removed. A record's "
                            "field is added at its end when missing; when the record has it already "
                            "as an object (datatrove's `metadata`), that object is kept as it is and "
                            "cleaner's metadata go into it under `cleaner`; any other value is a bad record")
    clean.add_argument("--metadata-field", metavar="NAME", default="metadata",
                       help="JSON Lines: the field --metadata and --html-field write to (default: metadata)")
    clean.add_argument("--rejects", type=_named_file, metavar="FILE",
                       help="write the bad records and files --skip-bad passes over as JSON Lines: "
                            "{file, line, reason, raw} for a record (the line as it was; raw_base64 "
                            "when it is not UTF-8), {file, reason} for a file")
    clean.add_argument("--resume", action="store_true",
                       help="with -o: leave out each input whose output (and metadata file) is already "
                            "there and newer than it, as after a run that was stopped; it trusts those "
                            "outputs to come from the same settings")
    clean.add_argument("--site-repeated", action="store_true",
                       help="two passes: profile the inputs (as `cleaner profile` does), then clean them "
                            "with that profile")
    clean.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary")
    clean.set_defaults(run=_clean)

    check = commands.add_parser("check", parents=[settings, corpus, site], help="fail when files hold boilerplate",
                                description="Exit 1 and list the lines that would go when a file would change; "
                                            "then say how many files were checked. Takes text and JSON Lines "
                                            "files; HTML pages in a folder are skipped (and counted), as their "
                                            "output is not a page. Exit 2 when there is nothing to check, "
                                            "unless every file named is excluded by the config (a pre-commit "
                                            "hook's commit of excluded files only).")
    check.add_argument("paths", nargs="+", metavar="PATH", help="files and folders ('-' for standard input)")
    check.add_argument("--diff", action="store_true", help="print a unified diff instead of the lines")
    check.add_argument("--write", action="store_true", help="fix mode: rewrite the files that change")
    check.add_argument("-j", "--jobs", type=_positive, default=_cpus(), metavar="N",
                       help="worker processes, and the CPUs the run keeps busy (default: the CPU count; "
                            "a few small files are checked in this process)")
    check.add_argument("--stats", type=Path, metavar="FILE", help=STATS_HELP)
    check.add_argument("--removed", type=_named_file, metavar="FILE",
                       help="write one JSON record per line that would be removed")
    check.add_argument("-q", "--quiet", action="store_true", help="no summary line")
    check.set_defaults(run=_check)

    explain = commands.add_parser("explain", parents=[settings, corpus, site], help="show each line's label and rule",
                                  description="Print every line of each document with its number, its label "
                                              "and the id of the rule that decided it (`-` when no rule did), "
                                              "under a heading naming the document, its language and its "
                                              "metadata. Takes the paths `clean` takes; an HTML page's lines "
                                              "are those of the text extracted from it.")
    explain.add_argument("paths", nargs="+", metavar="PATH", help="files and folders ('-' for standard input)")
    explain.add_argument("--record", type=int, metavar="N",
                         help="only the record with this index (from 0) of each JSON Lines file")
    explain.set_defaults(run=_explain)

    profile = commands.add_parser("profile", parents=[settings, corpus], help="count the lines repeated across sites",
                                  description="Pass one of the corpus mode: count, for each site, the pages "
                                              "each line is on (normalised: lower case, digits folded, "
                                              "punctuation and spaces folded), and write the counts to a "
                                              "profile for clean, check and explain --profile. A text file's "
                                              "site is its folder; a JSON Lines record's, the host of its "
                                              "--site-field. The counts live in a table of at most --capacity "
                                              "entries: a count is never too high, and too low by at most the "
                                              "deficit the summary gives (0 while the table never filled).")
    profile.add_argument("paths", nargs="+", metavar="PATH", help="files and folders")
    profile.add_argument("-o", "--output", dest="profile_out", type=_named_file, required=True, metavar="FILE",
                         help="the profile to write")
    profile.add_argument("--site-field", metavar="NAME", default="url",
                         help="JSON Lines: the field whose URL (or host) is a record's site (default: url)")
    profile.add_argument("--capacity", type=_at_least_two, default=None, metavar="ENTRIES",
                         help="entries the table holds at most (default: 1048576, about 80 MB)")
    profile.add_argument("-j", "--jobs", type=_positive, default=_cpus(), metavar="N",
                         help="worker processes (default: the CPU count); the profile is the same at any N")
    profile.add_argument("-q", "--quiet", action="store_true", help="no summary and no warnings")
    profile.set_defaults(run=_profile)

    rules = commands.add_parser("rules", parents=[settings], help="list the rules",
                                description="List the rules in use: id, step, zone and description; "
                                            "with --lang, those of that language (the common rules and "
                                            "its pack). The pos.* rules are those the steps apply in "
                                            "code, from position and neighbours, in every language.")
    rules.add_argument("--step", metavar="STEP", help=f"only the rules of this step: {', '.join(STEP_NAMES)}")
    rules.add_argument("--examples", action="store_true",
                       help="under each rule its examples (a position rule's are documents, the lines it "
                            "labels marked »)")
    rules.add_argument("--check", nargs="+", type=Path, metavar="FILE",
                       help="check these rule files instead (schema, examples, counter-examples, patterns "
                            "that backtrack without end, ids already used); exit 2 when one is wrong")
    rules.set_defaults(run=_rules)

    golden = commands.add_parser("golden", parents=[settings], help="compare cleaned seeds with golden files",
                                 description="Clean each file under SEEDS_DIR as `clean SEEDS_DIR -o GOLDEN_DIR` "
                                             "would and compare the result with the file that run would "
                                             "write; print a diff for each that differs. Exit 1 when any "
                                             "differs or is missing. The config's exclude patterns do not "
                                             "apply to the seeds.")
    golden.add_argument("seeds", type=Path, metavar="SEEDS_DIR")
    golden.add_argument("golden", type=Path, metavar="GOLDEN_DIR")
    golden.add_argument("--update", action="store_true", help="write the golden files that differ, for review")
    golden.set_defaults(run=_golden)
    return parser


STATS_HELP = ("write the run's counts as JSON; '-': to standard output, or to standard error when "
              "standard output carries the cleaned text or check's report")


def _config(args):
    """The one configuration of a command without paths: --config, or the working directory's."""
    from .config import load_config
    config = load_config(config_file=args.config, disable=args.disable, enable=args.enable,
                         extra_rules=args.rules, lang=args.lang, model=args.model,
                         model_threshold=args.model_threshold)
    if config.lang is not None:
        _known_language(config.lang, config.extra_rules)
    return config


def _configs(args):
    """Each file's configuration, found from its folder (or --config for all), the flags on top."""
    from .config import Configs
    return Configs(args.config, disable=args.disable, enable=args.enable, extra_rules=args.rules,
                   exclude=args.exclude, text_field=args.text_field, lang=args.lang, model=args.model,
                   model_threshold=args.model_threshold)


def _settings(configs, jobs, options_of, site_lines=None) -> list[tuple]:
    """(Cleaner, options_of(config)) per configuration of the run, as Job.setting indexes them.

    Only the configurations some job takes get a Cleaner: one whose files are all
    excluded costs no rule loading. `site_lines`: the profile every Cleaner reads.
    """
    from .chain import Cleaner
    used = {job.setting for job in jobs}
    for config in configs.all:
        if config.lang is not None:
            _known_language(config.lang, config.extra_rules, config.source)
    return [(Cleaner(config, profile=site_lines) if index in used else None, options_of(config))
            for index, config in enumerate(configs.all)]


def _side_outputs(args, jobs) -> None:
    """--removed, --stats and --rejects never name an input or an output of the run, nor one
    another: written at the end, each would replace the file it shares a name with."""
    from .corpus.plan import UsageError
    taken = {p.resolve() for job in jobs for p in (job.src, job.dst, job.sidecar) if p is not None}
    named: dict[Path, str] = {}
    for flag in ("removed", "stats", "rejects"):
        path = getattr(args, flag, None)
        if path is None or str(path) == "-":  # (--stats -: a stream)
            continue
        where = path.resolve()
        if where in taken:
            raise UsageError(f"--{flag} {path} is an input or an output of the run; name another file")
        if where in named:
            raise UsageError(f"--{named[where]} and --{flag} are the same file ({path}); name one for each")
        named[where] = flag


def _known_language(lang: str, extra_rules, source: Path | None = None) -> None:
    """A --lang with a rule pack is fine; one langdetect knows has only the common rules, which is
    said; any other cannot be a language detection would give, so it is a typo and refused."""
    import importlib.util

    from .corpus.plan import UsageError
    from .rules import COMMON, _pack_language, packs_dir

    packs = {p.stem for p in packs_dir().glob("*.toml")} | {_pack_language(Path(p)) for p in extra_rules}
    packs.discard(COMMON)
    if lang in packs:
        return
    known = ", ".join(sorted(packs))
    # Found without importing langdetect, which `cleaner rules` does not load.
    spec = importlib.util.find_spec("langdetect")
    profiles = Path(next(iter(spec.submodule_search_locations)), "profiles") if spec else None
    if profiles is not None and (profiles / lang).is_file():
        print(f"warning: no rule pack for language {lang!r}: only the common rules apply "
              f"(packs: {known})", file=sys.stderr)
        return
    where = f"--lang, or `lang` in {source}" if source is not None else "--lang"
    raise UsageError(f"language {lang!r} ({where}): not a code language "
                     f"detection gives; the rule packs are {known}, and a code such as 'it' or 'nl' "
                     f"gets the common rules")


class _StatsOut:
    """Where --stats goes: a file, opened before the run so that an unwritable one is found before
    hours of work, or a stream for '-'."""

    def __init__(self, path: Path, stdout_busy: bool):
        from .corpus.write import AtomicFile
        self.stream = (sys.stderr if stdout_busy else sys.stdout) if str(path) == "-" else None
        self.file = AtomicFile(path) if self.stream is None else None

    def write(self, stats) -> None:
        if self.stream is not None:
            self.stream.write(stats.to_json().decode("utf-8"))
            self.stream.flush()
        else:
            self.file.write(stats.to_json())
            self.file.commit()

    def discard(self) -> None:
        if self.file is not None:
            self.file.discard()


def _clean(args) -> int:
    from .corpus.run import Batch, Listener
    from .corpus.plan import plan, useful_workers
    from .corpus.formats import compression_of
    from .lang import limit_threads
    from .corpus.write import FileSink
    from .corpus.tasks import Options
    from .corpus.pool import start_server

    configs = _configs(args)
    jobs = plan(args.paths, configs, fmt=args.format, out=args.output, in_place=args.in_place,
                metadata=args.metadata)
    _side_outputs(args, jobs)
    _check_fields(args, configs.all)
    if args.resume:
        from .corpus.resume import still_to_do
        jobs = still_to_do(jobs, args.output)
    if not jobs:
        print("cleaner: no files to clean", file=sys.stderr)
        return OK
    limit_threads(args.jobs)
    workers = useful_workers(jobs, args.jobs)
    if workers > 1:
        start_server()
    settings = _settings(configs, jobs, lambda config: Options(
        config.text_field, removed=args.removed is not None, html_field=args.html_field,
        metadata=args.metadata, metadata_field=args.metadata_field, site_field=args.site_field),
        _site_lines(args, configs, jobs))

    to_stdout = [job for job in jobs if job.dst is None]
    stdout_sink = _SharedStdout(to_stdout)

    def sink_for(job):
        if job.dst is None:
            return stdout_sink(job)
        if job.in_place:  # through a symlink to the file itself, so the link stays a link
            return FileSink(job.dst.resolve(), compression_of(job.dst), only_if_changed=True)
        return FileSink(job.dst, compression_of(job.dst))

    # Opened before the run, so an unwritable stats file is found before hours of work.
    stats_file = _StatsOut(args.stats, stdout_busy=bool(to_stdout)) if args.stats is not None else None
    show = not args.quiet and sys.stderr.isatty()
    listener = _progress(jobs) if show else Listener()
    batch = Batch(jobs, None, sink_for, workers=workers, skip_bad=args.skip_bad, removed_to=args.removed,
                  rejects_to=args.rejects, listener=listener, settings=settings)
    try:
        stats = batch.run()
    except BaseException:
        if stats_file is not None:
            stats_file.discard()
        raise
    finally:
        getattr(listener, "close", lambda: None)()
    if stats_file is not None:
        stats_file.write(stats)
    if not args.quiet:
        print(stats.summary(), file=sys.stderr)
    return OK


class _SharedStdout:
    """The sinks of the documents that share standard output, one after the other.

    Several documents each end with a newline; when any is text, each comes
    under a `==> NAME <==` line, after a blank line when something came before.
    """

    def __init__(self, jobs):
        self.several = len(jobs) > 1
        self.headed = self.several and any(job.fmt.kind != "jsonl" for job in jobs)
        self.previous = None
        self.started = False

    def __call__(self, job):
        from .corpus.write import StdoutSink

        self.started = self.started or (self.previous is not None and self.previous.last != b"")
        head = b""
        if self.headed:  # (a file found bad before it wrote anything leaves no trace)
            head = (b"\n" if self.started else b"") + b"==> " + os.fsencode(job.name) + b" <==\n"
        self.previous = StdoutSink(head, end_line=self.several)
        return self.previous


def _check_fields(args, configs) -> None:
    from .corpus.plan import UsageError
    if not args.metadata_field:
        raise UsageError("--metadata-field must not be empty")
    for config in configs:
        if (args.metadata or args.html_field) and args.metadata_field in (config.text_field, args.html_field):
            raise UsageError(f"--metadata-field {args.metadata_field!r} is the field of the text or the HTML"
                             + (f" (of {config.source})" if config.source else ""))
    if args.rejects is not None and not args.skip_bad:
        raise UsageError("--rejects collects what --skip-bad passes over; add --skip-bad")


def _progress(jobs):
    from .progress import Progress
    return Progress(sum(job.size for job in jobs))


def _check(args) -> int:
    from .check import check
    from .corpus.plan import WORKER_BYTES, plan, useful_workers
    from .lang import limit_threads

    limit_threads(args.jobs)
    configs = _configs(args)
    left_out: Counter = Counter()
    jobs = plan(args.paths, configs, fmt=args.format, in_place=args.write, html=False, left_out=left_out)
    _side_outputs(args, jobs)
    settings = _settings(configs, jobs, lambda config: config.text_field, _site_lines(args, configs, jobs))
    stats_file = _StatsOut(args.stats, stdout_busy=True) if args.stats is not None else None
    try:
        code, stats = check(jobs, settings, write=args.write, diff=args.diff,
                            workers=useful_workers(jobs, args.jobs, WORKER_BYTES), skip_bad=args.skip_bad,
                            quiet=args.quiet, removed_to=args.removed, left_out=left_out,
                            site_field=args.site_field)
    except BaseException:
        if stats_file is not None:
            stats_file.discard()
        raise
    if stats_file is not None:
        if stats is None:
            from .corpus.stats import RunStats
            stats = RunStats()
        stats_file.write(stats)
    return code


def _explain(args) -> int:
    from .corpus.plan import UsageError, plan
    from .explaining import explain_paths

    configs = _configs(args)
    jobs = plan(args.paths, configs, fmt=args.format)
    if not jobs:
        raise UsageError(f"nothing to explain in {' '.join(args.paths)}")
    settings = _settings(configs, jobs, lambda config: config.text_field, _site_lines(args, configs, jobs))
    return explain_paths(jobs, settings, record=args.record, skip_bad=args.skip_bad, site_field=args.site_field)


def _rules(args) -> int:
    from .registry import STEP_NAMES, unknown_step
    from .rules import RuleSet
    from .steps import position_rules

    if args.check:
        return _check_rules(args.check)
    config = _config(args)
    if args.step is not None and (problem := unknown_step(args.step)) is not None:
        print(f"cleaner: error: {problem}", file=sys.stderr)
        return ERROR
    ruleset = RuleSet.bundled(config.extra_rules, config.disabled)
    chosen = ruleset.book(config.lang).rules if config.lang else ruleset.all_rules()
    # The rules steps apply in code, from position, and the corpus mode's: they hold in every language.
    from .sites.profile import SITE_RULE
    chosen = [*chosen, *position_rules(), SITE_RULE]
    chosen = [r for r in chosen if r.step not in config.disabled and args.step in (None, r.step)]
    width, steps = max((len(r.id) for r in chosen), default=2), max(len(name) for name in STEP_NAMES)
    print(f"{'id':<{width}}  {'step':<{steps}}  {'zone':<4}  description")
    for r in chosen:
        print(f"{r.id:<{width}}  {r.step:<{steps}}  {r.zone:<4}  {r.description}")
        if args.examples:
            for example in r.examples:
                # A position rule's example is a document: one line a line, its marked lines labelled.
                lines = [example] if isinstance(example, str) else example
                print("    e.g. " + "\n         ".join(lines))
    return OK


def _check_rules(files: list[Path]) -> int:
    from .rules import check_files

    sound, problems = check_files(files)
    for problem in problems:
        print(f"cleaner: error: {problem}", file=sys.stderr)
    if problems:
        return ERROR
    print(f"{sound} rule{'' if sound == 1 else 's'} ok")
    return OK


def _golden(args) -> int:
    from .chain import Cleaner
    from .check import golden

    config = _config(args)
    return golden(args.seeds, args.golden, config, Cleaner(config), update=args.update)


_MIN_PAGES = 3  # cleaner.sites.profile.MIN_PAGES, not imported for --help


def _site_lines(args, configs, jobs):
    """The profile of the run, as the workers read it (None without --profile or --site-repeated)."""
    from .corpus.plan import UsageError
    repeated = getattr(args, "site_repeated", False)
    if args.profile is None and not repeated:
        if args.min_pages is not None:
            raise UsageError("--min-pages is the threshold of a profile; add --profile FILE"
                             + (" or --site-repeated" if hasattr(args, "site_repeated") else ""))
        return None
    from .sites.profile import MIN_PAGES, Profile, SiteLines
    if repeated:
        if args.profile is not None:
            raise UsageError("--site-repeated makes the profile of the inputs; drop --profile, or drop "
                             "--site-repeated to use the profile given")
        if any(job.src is None for job in jobs):
            raise UsageError("--site-repeated reads the inputs twice, and standard input can be read once: "
                             "make a profile with `cleaner profile` and clean with --profile")
        from .corpus.plan import useful_workers
        from .sites.build import profile_jobs
        profile = profile_jobs(jobs, [config.text_field for config in configs.all], args.site_field,
                               skip_bad=args.skip_bad, workers=useful_workers(jobs, args.jobs), quiet=args.quiet)
    else:
        profile = Profile.load(args.profile)
    return SiteLines(profile, args.min_pages or MIN_PAGES)


def _profile(args) -> int:
    from .corpus.plan import UsageError, plan, useful_workers
    from .lang import limit_threads
    from .sites.build import profile_jobs
    from .sites.table import DEFAULT_CAPACITY

    configs = _configs(args)
    jobs = plan(args.paths, configs, fmt=args.format)
    if any(job.src is None for job in jobs):
        raise UsageError("cleaner profile reads files and folders, not standard input")
    if not jobs:
        raise UsageError(f"nothing to profile in {' '.join(args.paths)}")
    if args.profile_out.resolve() in {job.src.resolve() for job in jobs}:
        raise UsageError(f"-o {args.profile_out} is an input of the run; name another file")
    limit_threads(args.jobs)
    profile = profile_jobs(jobs, [config.text_field for config in configs.all], args.site_field,
                           capacity=args.capacity or DEFAULT_CAPACITY, skip_bad=args.skip_bad,
                           workers=useful_workers(jobs, args.jobs), quiet=args.quiet)
    profile.save(args.profile_out)
    if not args.quiet:
        head = profile.header()
        print(f"profiled {head['pages']:,} pages of {head['sites']:,} sites into {args.profile_out}: "
              f"{head['entries']:,} counts (of at most {head['capacity']:,}), each too low by at most "
              f"{head['deficit']}", file=sys.stderr)
    return OK


def _at_least_two(value: str) -> int:
    number = int(value)
    if number < 2:
        raise argparse.ArgumentTypeError("must be at least 2")
    return number


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _named_file(value: str) -> Path:
    if value == "-":  # not a file named '-', which is what a user asking for standard output would get
        raise argparse.ArgumentTypeError("'-' (standard output) is not offered here; name a file")
    return Path(value)


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _version() -> str:
    from . import __version__
    return __version__


if __name__ == "__main__":
    sys.exit(main())
