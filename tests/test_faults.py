"""Bad input and faults: a clear message naming the file (and line), a documented exit code, nothing lost.

After every failure, each output (and each in-place input) is either as it
was or complete, and no temporary file is left behind.
"""
import gzip
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cleaner.corpus.plan
import cleaner.corpus.read
import cleaner.corpus.run
import cleaner.corpus.work
from cleaner import clean
from cleaner.corpus.write import TEMP_SUFFIX
from cleaner.cli import main

from .conftest import ROOT, read_exact

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
GOLDEN = [ROOT / "golden" / s.name for s in SEEDS]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _no_temp_files(*folders: Path) -> None:
    for folder in folders:
        left = [p for p in folder.rglob("*") if p.name.endswith(TEMP_SUFFIX)]
        assert not left, left


def _three(tmp_path: Path, middle: bytes, name: str = "b.txt") -> Path:
    """a.txt, the bad middle file, c.txt: the order the run meets them."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copyfile(SEEDS[0], src / "a.txt")
    (src / name).write_bytes(middle)
    shutil.copyfile(SEEDS[1], src / "c.txt")
    return src


def _run(*argv: str) -> int:
    return main(["clean", *argv, "-q", "-j", "1"])


BAD_FILES = [
    pytest.param(SEEDS[2].read_bytes().replace(b"\n", b"\n\xff\xfe", 1), "b.txt",
                 "b.txt: invalid UTF-8 at line 2", id="invalid-utf8"),
    pytest.param(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)), "b.txt",
                 "b.txt: binary file (NUL byte at offset 8)", id="binary-text"),
    pytest.param(b"\x7fELF\x02\x01\x01\0\0\0" * 50, "b.jsonl",
                 "b.jsonl: binary file (NUL byte at offset 7)", id="binary-jsonl"),
    pytest.param(gzip.compress(("".join(json.dumps({"text": t}) + "\n" for t in
                                        [read_exact(s) for s in SEEDS] * 40)).encode())[:3000],
                 "b.jsonl.gz", "b.jsonl.gz: cannot read: corrupt or truncated gzip stream", id="truncated-gzip"),
    pytest.param(b"not gzip at all", "b.jsonl.gz", "b.jsonl.gz: cannot read: corrupt or truncated gzip stream",
                 id="not-gzip"),
]


@pytest.mark.parametrize("data, name, message", BAD_FILES)
def test_a_bad_file_stops_the_run_with_exit_2(tmp_path, capsys, data, name, message):
    src = _three(tmp_path, data, name)
    assert _run(str(src), "-o", "out") == 2
    err = capsys.readouterr().err
    assert message.replace(name, str(src / name)) in err, err
    assert read_exact(tmp_path / "out" / "a.txt") == read_exact(GOLDEN[0])  # finished before: complete
    assert not (tmp_path / "out" / name).exists()
    assert not (tmp_path / "out" / "c.txt").exists()  # the run stopped
    assert (src / name).read_bytes() == data
    _no_temp_files(tmp_path)


@pytest.mark.parametrize("data, name, message", BAD_FILES)
def test_skip_bad_carries_on_and_counts_the_file(tmp_path, capsys, data, name, message):
    src = _three(tmp_path, data, name)
    assert _run(str(src), "-o", "out", "--skip-bad", "--stats", "stats.json") == 0
    assert "(skipped)" in capsys.readouterr().err
    assert read_exact(tmp_path / "out" / "a.txt") == read_exact(GOLDEN[0])
    assert read_exact(tmp_path / "out" / "c.txt") == read_exact(GOLDEN[1])
    assert not (tmp_path / "out" / name).exists()
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert (stats["bad_files"], stats["files"], stats["documents"]) == (1, 2, 2)
    _no_temp_files(tmp_path)


def _jsonl_with_bad_records() -> tuple[list[str], dict[int, str]]:
    good = [json.dumps({"id": i, "text": read_exact(s)}) + "\n" for i, s in enumerate(SEEDS)]
    lines = [good[0], '{"id": 1, "text": "unterminated\n', good[1], '{"id": 3, "body": "no text field"}\n',
             '{"id": 4, "text": 42}\n', '["an", "array"]\n', good[2]]
    problems = {2: "malformed JSON: Unterminated string", 4: "the record has no 'text' field",
                5: "the 'text' field is a number, not a string", 6: "the record is an array, not a JSON object"}
    return lines, problems


def test_a_bad_record_names_file_and_line_and_exits_2(tmp_path, capsys):
    lines, problems = _jsonl_with_bad_records()
    (tmp_path / "c.jsonl").write_text("".join(lines))
    assert _run("c.jsonl", "-o", "out") == 2
    err = capsys.readouterr().err
    assert f"c.jsonl:2: {problems[2]}" in err
    assert not (tmp_path / "out" / "c.jsonl").exists()
    _no_temp_files(tmp_path)


def _with_broken_utf8() -> tuple[bytes, dict[int, str]]:
    lines, problems = _jsonl_with_bad_records()
    lines.insert(3, "\xff".join(['{"text": "', '"}\n']))  # written as UTF-8 below, then broken
    raw = "".join(lines).encode("utf-8").replace(b"\xc3\xbf", b"\xff")
    problems = {k + (k > 3): v for k, v in problems.items()} | {4: "invalid UTF-8 at column 11"}
    return raw, problems


def test_skip_bad_leaves_bad_records_out_of_the_output_and_counts_them(tmp_path, capsys):
    raw, problems = _with_broken_utf8()
    (tmp_path / "c.jsonl").write_bytes(raw)
    assert _run("c.jsonl", "-o", "out", "--skip-bad", "--stats", "stats.json") == 0
    err = capsys.readouterr().err
    for line, problem in problems.items():
        assert f"c.jsonl:{line}: {problem}" in err, (line, err)
    good = [line for number, line in enumerate(raw.splitlines(), start=1) if number not in problems]
    out = (tmp_path / "out" / "c.jsonl").read_bytes().splitlines()
    assert [json.loads(line)["text"] for line in out] == [clean(json.loads(line)["text"]) for line in good]
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert (stats["bad_records"], stats["documents"], stats["bad_files"]) == (len(problems), 3, 0)


def test_rejects_file_holds_each_bad_record_as_it_was_and_each_bad_file(tmp_path, capsys):
    raw, problems = _with_broken_utf8()
    src = _three(tmp_path, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)))
    (src / "d.jsonl").write_bytes(raw)
    assert _run("in", "-o", "out", "--skip-bad", "--rejects", "rejects.jsonl") == 0
    rejects = [json.loads(line) for line in (tmp_path / "rejects.jsonl").read_text().splitlines()]
    lines = raw.splitlines()
    got = {}
    for entry in rejects:
        if "line" not in entry:
            assert entry["file"] == str(Path("in", "b.txt")) and "binary" in entry["reason"]
            continue
        assert entry["file"] == str(Path("in", "d.jsonl"))
        body = entry["raw"].encode() if "raw" in entry else __import__("base64").b64decode(entry["raw_base64"])
        assert body == lines[entry["line"] - 1]
        got[entry["line"]] = entry["reason"]
    assert len(rejects) == len(problems) + 1
    assert all(got[line].startswith(problem) for line, problem in problems.items()), got
    assert not (tmp_path / "out" / "b.txt").exists()
    _no_temp_files(tmp_path)


def test_rejects_without_skip_bad_is_a_usage_error(tmp_path, capsys):
    (tmp_path / "c.jsonl").write_text('{"text": "a"}\n')
    assert _run("c.jsonl", "-o", "out", "--rejects", "rejects.jsonl") == 2
    assert "--skip-bad" in capsys.readouterr().err
    assert not (tmp_path / "rejects.jsonl").exists()


def test_an_in_place_file_with_bad_records_is_left_as_it_was(tmp_path, capsys):
    raw, problems = _with_broken_utf8()
    (tmp_path / "c.jsonl").write_bytes(raw)
    assert _run("c.jsonl", "--in-place", "--skip-bad") == 0
    assert "c.jsonl: left as it was" in capsys.readouterr().err
    assert (tmp_path / "c.jsonl").read_bytes() == raw
    _no_temp_files(tmp_path)


def test_empty_files_are_written_empty_with_a_warning(tmp_path, capsys):
    for name in ("e.txt", "e.jsonl"):
        (tmp_path / name).write_bytes(b"")
    assert _run("e.txt", "e.jsonl", "-o", "out", "--stats", "stats.json") == 0
    err = capsys.readouterr().err
    assert "warning: e.txt: empty file, written empty" in err and "warning: e.jsonl: empty file" in err
    assert (tmp_path / "out" / "e.txt").read_bytes() == b"" == (tmp_path / "out" / "e.jsonl").read_bytes()
    assert json.loads((tmp_path / "stats.json").read_text())["empty_files"] == 2
    assert main(["check", "e.txt", "e.jsonl"]) == 0


def test_a_file_that_vanishes_during_the_run(tmp_path, monkeypatch, capsys):
    src = _three(tmp_path, SEEDS[2].read_bytes())
    real_plan = cleaner.corpus.plan.plan

    def plan_then_vanish(*args, **kwargs):
        jobs = real_plan(*args, **kwargs)
        (src / "b.txt").unlink()  # listed, then gone before its turn
        return jobs

    monkeypatch.setattr(cleaner.corpus.plan, "plan", plan_then_vanish)
    assert _run(str(src), "-o", "out") == 2
    assert f"{src / 'b.txt'}: cannot read: the file does not exist (any more)" in capsys.readouterr().err
    assert (tmp_path / "out" / "a.txt").exists() and not (tmp_path / "out" / "c.txt").exists()
    shutil.copyfile(SEEDS[2], src / "b.txt")
    assert _run(str(src), "-o", "out2", "--skip-bad") == 0
    assert sorted(p.name for p in (tmp_path / "out2").iterdir()) == ["a.txt", "c.txt"]


@pytest.mark.parametrize("change, message", [
    (lambda path: path.unlink(), "cannot read: the file does not exist (any more)"),
    (lambda path: path.write_bytes(path.read_bytes()[:100]), "cannot read: the file changed while it was read"),
], ids=["vanishes", "shrinks"])
def test_a_json_lines_file_that_changes_before_a_worker_reads_its_chunk(tmp_path, monkeypatch, capsys, change,
                                                                       message):
    """With workers, a chunk of a plain file is read by the worker: what it finds then is checked."""
    import cleaner.corpus.run
    records = "".join(json.dumps({"id": n, "text": read_exact(SEEDS[n % len(SEEDS)])}) + "\n" for n in range(30))
    (tmp_path / "a.jsonl").write_text(records, encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(records, encoding="utf-8")
    real_tasks = cleaner.corpus.run.tasks

    def change_after_reading(jobs, *args, **kwargs):
        for item in real_tasks(jobs, *args, **kwargs):
            if getattr(item, "span", None) is not None and item.name == "b.jsonl" and item.first_line == 1:
                assert kwargs["by_reference"] and not item.data
                change(tmp_path / "b.jsonl")  # read by this process, not yet by a worker
            yield item

    monkeypatch.setattr(cleaner.corpus.run, "tasks", change_after_reading)
    assert main(["clean", "a.jsonl", "b.jsonl", "-o", "out", "-q", "-j", "2"]) == 2
    assert f"b.jsonl: {message}" in capsys.readouterr().err
    assert (tmp_path / "out" / "a.jsonl").read_bytes().count(b"\n") == 30  # finished before: complete
    assert not (tmp_path / "out" / "b.jsonl").exists()
    _no_temp_files(tmp_path / "out")


def test_a_file_that_cannot_be_read(tmp_path, monkeypatch, capsys):
    src = _three(tmp_path, SEEDS[2].read_bytes())
    real_open = cleaner.corpus.read.open_read

    def refuse(path):
        if path.name == "b.txt":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(cleaner.corpus.read, "open_read", refuse)
    assert _run(str(src), "-o", "out") == 2
    assert f"{src / 'b.txt'}: cannot read: Permission denied" in capsys.readouterr().err
    assert main(["check", str(src)]) == 2  # check reports every file, then fails
    out = capsys.readouterr()
    assert "a.txt:" in out.out and "c.txt:" in out.out and "b.txt: cannot read" in out.err


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission(tmp_path, capsys):
    src = _three(tmp_path, SEEDS[2].read_bytes())
    os.chmod(src / "b.txt", 0)
    assert _run(str(src), "-o", "out") == 2
    assert "b.txt: cannot read: Permission denied" in capsys.readouterr().err


def test_an_output_folder_that_cannot_be_written(tmp_path, capsys):
    (tmp_path / "out").write_text("not a folder\n")
    assert _run(str(SEEDS[0]), "-o", "out/sub") == 2
    err = capsys.readouterr().err
    assert f"out/sub/{SEEDS[0].name}: cannot write:" in err, err
    assert (tmp_path / "out").read_text() == "not a folder\n"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to tell the temporary files apart")
def test_a_disk_that_fills_up_mid_run(tmp_path, monkeypatch, capsys):
    src = _three(tmp_path, SEEDS[2].read_bytes())
    real_fdopen = os.fdopen

    class Full:
        def __init__(self, file):
            self.file = file

        def write(self, data):
            raise OSError(28, "No space left on device")

        def close(self):
            self.file.close()

    def fdopen(fd, *args, **kwargs):
        file = real_fdopen(fd, *args, **kwargs)
        return Full(file) if "/.b.txt." in os.readlink(f"/proc/self/fd/{fd}") else file

    monkeypatch.setattr(os, "fdopen", fdopen)
    assert _run(str(src), "-o", "out") == 2
    assert "error: out/b.txt: cannot write: No space left on device" in capsys.readouterr().err
    assert read_exact(tmp_path / "out" / "a.txt") == read_exact(GOLDEN[0])
    assert not (tmp_path / "out" / "b.txt").exists() and not (tmp_path / "out" / "c.txt").exists()
    _no_temp_files(tmp_path)


def test_ctrl_c_mid_run_keeps_finished_outputs_and_removes_temp_files(tmp_path, monkeypatch, capsys):
    src = _three(tmp_path, SEEDS[2].read_bytes())
    real_process = cleaner.corpus.work.process
    calls = []

    def interrupted(task):
        calls.append(task.name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real_process(task)

    monkeypatch.setattr(cleaner.corpus.work, "process", interrupted)
    assert _run(str(src), "-o", "out") == 130
    assert "interrupted" in capsys.readouterr().err
    assert read_exact(tmp_path / "out" / "a.txt") == read_exact(GOLDEN[0])
    assert read_exact(tmp_path / "out" / "b.txt") == read_exact(GOLDEN[2])
    assert not (tmp_path / "out" / "c.txt").exists()
    _no_temp_files(tmp_path)


def _big_jsonl(path: Path, records: int) -> bytes:
    data = "".join(json.dumps({"id": i, "text": read_exact(SEEDS[i % len(SEEDS)])}) + "\n"
                   for i in range(records)).encode()
    path.write_bytes(data)
    return data


def test_ctrl_c_during_an_in_place_rewrite_leaves_the_input_as_it_was(tmp_path, monkeypatch):
    data = _big_jsonl(tmp_path / "c.jsonl", 400)
    monkeypatch.setattr(cleaner.corpus.read, "CHUNK_RECORDS", 50)
    monkeypatch.setattr("cleaner.corpus.write.HOLD_BYTES", 10_000)  # so a temporary file is open when Ctrl-C comes
    real_process = cleaner.corpus.work.process
    calls = []

    def interrupted(task):
        calls.append(task)
        if len(calls) == 5:
            assert list(tmp_path.glob(f"*{TEMP_SUFFIX}")), "the rewrite should be under way"
            raise KeyboardInterrupt
        return real_process(task)

    monkeypatch.setattr(cleaner.corpus.work, "process", interrupted)
    assert _run("c.jsonl", "--in-place") == 130
    assert (tmp_path / "c.jsonl").read_bytes() == data
    _no_temp_files(tmp_path)


def test_a_stopped_pool_asks_its_workers_to_stop_and_never_kills_one():
    """A worker killed while it sends a result leaves half a message that the pool waits on for ever:
    stopping mid-run, workers end their chunk and exit of their own accord (exit code 0)."""
    from cleaner.chain import Cleaner
    from cleaner.corpus.pool import Executor
    from cleaner.corpus.tasks import Options, Task
    texts = [read_exact(path) for path in SEEDS]
    items = (Task(0, f"{n}.txt", "text", (texts[n % len(texts)] * 40).encode()) for n in range(40))
    executor = Executor([(Cleaner(), Options())], 2)
    try:
        next(executor.ordered(items))  # mid-run: the first result back, the workers busy with the next
        workers = list(executor.pool._processes.values())
    finally:
        executor.close(cancel=True)
    assert len(workers) == 2 and [w.exitcode for w in workers] == [0, 0]


def test_ctrl_c_while_a_task_is_handed_to_the_pool_comes_after_it():
    from cleaner.corpus.pool import _signals_deferred
    handed = []
    with pytest.raises(KeyboardInterrupt):
        with _signals_deferred():
            signal.raise_signal(signal.SIGINT)
            handed.append(True)
    assert handed == [True]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_an_unwritable_stats_file_is_found_before_the_run(tmp_path, monkeypatch, capsys):
    (tmp_path / "stats").write_text("a file, not a folder\n")
    cleaned = []
    real_process = cleaner.corpus.work.process
    monkeypatch.setattr(cleaner.corpus.work, "process", lambda task: cleaned.append(task) or real_process(task))
    assert _run(str(SEEDS[0]), "-o", "out", "--stats", "stats/run.json") == 2
    assert "stats/run.json: cannot write" in capsys.readouterr().err
    assert cleaned == [] and not (tmp_path / "out").exists()


def test_the_input_is_never_overwritten_without_in_place(tmp_path, capsys):
    src = _three(tmp_path, SEEDS[2].read_bytes())
    before = {p.name: p.read_bytes() for p in src.iterdir()}
    assert _run(str(src), "-o", str(src)) == 2
    assert "the output would overwrite the input; use --in-place" in capsys.readouterr().err
    assert _run(str(src / "a.txt"), "-o", str(src / "a.txt")) == 2
    assert {p.name: p.read_bytes() for p in src.iterdir()} == before


def test_two_inputs_that_would_land_on_one_output(tmp_path, capsys):
    for folder in ("x", "y"):
        (tmp_path / folder).mkdir()
        shutil.copyfile(SEEDS[0], tmp_path / folder / "same.txt")
    assert _run("x", "y", "-o", "out") == 2
    assert "would both be written to" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_a_missing_path_argument(tmp_path, capsys):
    assert _run("nowhere.txt", "-o", "out") == 2
    assert "nowhere.txt: cannot read: the file does not exist" in capsys.readouterr().err
    assert main(["check", "nowhere.txt"]) == 2


def _session(sid: int) -> list[int]:
    """The live processes of a session (zombies are gone for good: they hold nothing)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z" and int(fields[3]) == sid:
            found.append(int(stat.parent.name))
    return found


def _gone(sid: int, seconds: float = 20) -> list[int]:
    deadline = time.monotonic() + seconds
    while (left := _session(sid)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


@pytest.fixture
def start(tmp_path):
    """Starts `cleaner ARGV...` in a session of its own, which is killed whole at the end of the test."""
    started = []

    def run(*argv: str) -> subprocess.Popen:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        child = subprocess.Popen([sys.executable, "-m", "cleaner.cli", *argv], cwd=tmp_path, env=env,
                                 stderr=subprocess.PIPE, start_new_session=True)
        started.append(child)
        return child

    yield run
    for child in started:
        try:
            os.killpg(child.pid, signal.SIGKILL)  # what a failed test left running
        except ProcessLookupError:
            pass
        child.wait()


def _wait_for(child: subprocess.Popen, ready, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not ready():
        assert child.poll() is None, child.stderr.read()
        assert time.monotonic() < deadline
        time.sleep(0.02)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_sigterm_ends_every_process_of_the_run_and_removes_temp_files(tmp_path, start):
    data = _big_jsonl(tmp_path / "c.jsonl", 3000)
    child = start("clean", "c.jsonl", "-o", "out", "-j", "2")
    _wait_for(child, lambda: list((tmp_path / "out").glob(f"*{TEMP_SUFFIX}")) and len(_session(child.pid)) > 2)
    child.terminate()  # the main process only, as a service manager or `kill` does
    _, err = child.communicate(timeout=60)
    assert child.returncode == 143, err
    assert b"terminated" in err and b"Traceback" not in err
    assert _gone(child.pid) == []
    assert (tmp_path / "c.jsonl").read_bytes() == data
    assert not (tmp_path / "out" / "c.jsonl").exists()
    _no_temp_files(tmp_path)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
@pytest.mark.parametrize("signum, code, word", [(signal.SIGINT, 130, b"interrupted"),
                                                (signal.SIGTERM, 143, b"terminated")])
def test_a_signal_to_the_process_group_of_a_running_pool(tmp_path, start, signum, code, word):
    """The real thing: Ctrl-C, or SIGTERM as a job scheduler sends it, to the whole process group
    while two workers clean a big file in place."""
    data = _big_jsonl(tmp_path / "c.jsonl", 3000)
    child = start("clean", "c.jsonl", "--in-place", "-j", "2")
    _wait_for(child, lambda: list(tmp_path.glob(f"*{TEMP_SUFFIX}")))  # the rewrite has begun
    os.killpg(child.pid, signum)
    _, err = child.communicate(timeout=120)
    assert child.returncode == code, err
    assert word in err and b"Traceback" not in err
    assert _gone(child.pid) == []
    assert (tmp_path / "c.jsonl").read_bytes() == data
    _no_temp_files(tmp_path)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_ctrl_c_while_the_fork_server_starts_prints_no_traceback(tmp_path, start):
    _big_jsonl(tmp_path / "c.jsonl", 3000)
    child = start("clean", "c.jsonl", "-o", "out", "-j", "2")
    _wait_for(child, lambda: len(_session(child.pid)) > 1)  # the fork server is loading the package
    os.killpg(child.pid, signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130, err
    assert b"Traceback" not in err, err.decode()
    assert _gone(child.pid) == []
    _no_temp_files(tmp_path)


def _stdin(monkeypatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))


def test_json_lines_on_standard_input_are_not_cleaned_as_text_without_a_word(monkeypatch, capsys):
    record = json.dumps({"id": 1, "text": read_exact(SEEDS[0])}) + "\n"
    data = ("\n" + record + record).encode()
    _stdin(monkeypatch, data)
    assert main(["clean", "-", "-q", "-j", "1"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "standard input looks like JSON Lines" in captured.err and "--format jsonl" in captured.err
    _stdin(monkeypatch, data)
    assert main(["clean", "-", "-q", "-j", "1", "--format", "jsonl"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "" and out[1] == out[2]  # the repeated record survives
    assert json.loads(out[2])["text"] == clean(read_exact(SEEDS[0]))


@pytest.mark.parametrize("first", ["Not a record\n", '{"a": 1} is how the setting is written\n', "[1, 2]\n"])
def test_text_on_standard_input_is_read_whole_after_the_look(monkeypatch, capsys, first):
    data = (first + read_exact(SEEDS[0])).encode()
    _stdin(monkeypatch, data)
    assert main(["clean", "-", "-q", "-j", "1"]) == 0
    assert capsys.readouterr().out == clean(data.decode())


DATATROVE = {"text": "", "id": "<urn:uuid:1>",
             "metadata": {"dump": "CC-MAIN-2024-10", "url": "https://example.org/a", "date": "2024-02-21T09:00:00Z",
                          "language_score": 0.93}}


BYLINED = ("A headline about the harbour\nBy Ann Roe May 5, 2023\n"
           "The harbour reopened on Monday after a long winter of repairs.")


def _datatrove_line(metadata) -> str:
    record = {**DATATROVE, "text": BYLINED, "metadata": metadata}
    return json.dumps(record, separators=(",", ":"))  # as datatrove's writer spells it


def test_metadata_goes_into_the_metadata_a_record_has_keeping_its_bytes(tmp_path):
    line = _datatrove_line(DATATROVE["metadata"])
    (tmp_path / "c.jsonl").write_text(line + "\n")
    assert _run("c.jsonl", "-o", "out", "--metadata") == 0
    out = (tmp_path / "out" / "c.jsonl").read_text()
    record = json.loads(out)
    assert {k: v for k, v in record["metadata"].items() if k != "cleaner"} == DATATROVE["metadata"]
    assert record["metadata"]["cleaner"] == {"author": "Ann Roe", "date": "May 5, 2023"}
    kept = json.dumps(DATATROVE["metadata"], separators=(",", ":"))[:-1]  # its members, spelled as they were
    assert kept + ',"cleaner":' in out
    assert record["text"] == clean(BYLINED)


def test_metadata_field_names_where_the_metadata_go(tmp_path):
    (tmp_path / "c.jsonl").write_text(_datatrove_line("not an object") + "\n")
    assert _run("c.jsonl", "-o", "out", "--metadata", "--metadata-field", "cleaner_meta") == 0
    record = json.loads((tmp_path / "out" / "c.jsonl").read_text())
    assert record["metadata"] == "not an object"
    assert list(record)[-1] == "cleaner_meta" and "author" in record["cleaner_meta"]


def test_a_metadata_field_that_is_not_an_object_is_never_overwritten(tmp_path, capsys):
    line = _datatrove_line(["a", "list"])
    (tmp_path / "c.jsonl").write_text(line + "\n")
    assert _run("c.jsonl", "-o", "out", "--metadata") == 2
    err = capsys.readouterr().err
    assert "c.jsonl:1: the 'metadata' field is an array, not an object" in err and "--metadata-field" in err
    assert not (tmp_path / "out" / "c.jsonl").exists()


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_resume_finishes_a_stopped_folder_run_and_clears_its_temporary_files(tmp_path, capsys):
    src = tmp_path / "in"
    src.mkdir()
    for seed in SEEDS:
        shutil.copyfile(seed, src / seed.name)
    assert _run("in", "-o", "out") == 0
    out = tmp_path / "out"
    written = sorted(out.iterdir())
    assert len(written) == len(SEEDS) >= 4
    # As a run killed with SIGKILL half-way leaves it: some outputs, and the temporary file being written.
    for path in written[len(written) // 2:]:
        path.unlink()
    stale = out / f".{written[-1].name}.{_dead_pid()}.abcd1234{TEMP_SUFFIX}"
    stale.write_bytes(b"part of an output")
    other = subprocess.Popen(["sleep", "60"])  # a run that is still writing into the same folder
    try:
        alive = out / f".{written[0].name}.{other.pid}.efgh5678{TEMP_SUFFIX}"
        alive.write_bytes(b"another run's")
        kept = {p.name: p.stat() for p in written[:len(written) // 2]}
        capsys.readouterr()
        assert _run("in", "-o", "out", "--resume") == 0
        err = capsys.readouterr().err
        assert f"{len(kept)} files already cleaned, left out" in err
        assert "removed 1 temporary file left by an earlier run" in err
        assert not stale.exists() and alive.exists()
        for name, before in kept.items():  # not written again
            after = (out / name).stat()
            assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
        for seed in SEEDS:
            assert read_exact(out / seed.name) == clean(read_exact(seed))
    finally:
        other.kill()
        other.wait()


def test_resume_cleans_again_an_input_newer_than_its_output(tmp_path):
    (tmp_path / "a.txt").write_text("First text.\n")
    assert _run("a.txt", "-o", "out") == 0
    (tmp_path / "a.txt").write_text("Second text.\n")
    later = (tmp_path / "out" / "a.txt").stat().st_mtime_ns + 1_000_000_000
    os.utime(tmp_path / "a.txt", ns=(later, later))
    assert _run("a.txt", "-o", "out", "--resume") == 0
    assert (tmp_path / "out" / "a.txt").read_text() == "Second text.\n"


def test_resume_needs_an_output_folder(tmp_path, capsys):
    (tmp_path / "a.txt").write_text("First text.\n")
    assert _run("a.txt", "--resume") == 2
    assert "--resume" in capsys.readouterr().err


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_the_temporary_file_of_a_run_killed_outright_goes_with_the_next_run(tmp_path, start):
    _big_jsonl(tmp_path / "c.jsonl", 3000)
    child = start("clean", "c.jsonl", "-o", "out", "-j", "2")
    _wait_for(child, lambda: list((tmp_path / "out").glob(f"*{TEMP_SUFFIX}")))
    os.killpg(child.pid, signal.SIGKILL)
    child.wait()
    assert _gone(child.pid) == []
    assert list((tmp_path / "out").glob(f"*{TEMP_SUFFIX}"))
    assert _run("c.jsonl", "-o", "out") == 0
    _no_temp_files(tmp_path)
    assert (tmp_path / "out" / "c.jsonl").stat().st_size > 0


@pytest.mark.parametrize("command", [
    pytest.param(["clean", "c.jsonl", "-o", "out", "--skip-bad", "--rejects", "c.jsonl"], id="rejects-input"),
    pytest.param(["clean", "c.jsonl", "-o", "out", "--removed", "c.jsonl"], id="removed-input"),
    pytest.param(["clean", "c.jsonl", "-o", "out", "--stats", "c.jsonl"], id="stats-input"),
    pytest.param(["clean", "c.jsonl", "-o", "out", "--stats", "out/c.jsonl"], id="stats-output"),
    pytest.param(["clean", "c.jsonl", "-o", "out", "--removed", "out/c.jsonl"], id="removed-output"),
    pytest.param(["clean", "c.jsonl", "--in-place", "--removed", "./c.jsonl"], id="removed-in-place"),
    pytest.param(["clean", "c.jsonl", "-o", "out", "--removed", "side.json", "--stats", "side.json"],
                 id="removed-is-stats"),
    pytest.param(["clean", "c.jsonl", "-o", "out", "--skip-bad", "--rejects", "side.json", "--removed",
                  "side.json"], id="rejects-is-removed"),
    pytest.param(["check", "c.jsonl", "--removed", "c.jsonl"], id="check-removed-input"),
    pytest.param(["check", "c.jsonl", "--stats", "c.jsonl"], id="check-stats-input"),
    pytest.param(["check", "c.jsonl", "--stats", "side.json", "--removed", "side.json"], id="check-stats-is-removed"),
])
def test_a_side_output_never_overwrites_an_input_an_output_or_another(tmp_path, capsys, command):
    (tmp_path / "c.jsonl").write_text('{"text": "a"}\n')
    assert main([*command, "-q"]) == 2
    err = capsys.readouterr().err
    assert "cleaner: error: --" in err and ("is an input or an output" in err or "are the same file" in err)
    assert (tmp_path / "c.jsonl").read_text() == '{"text": "a"}\n'
    assert not (tmp_path / "out").exists() and not (tmp_path / "side.json").exists()


def test_output_and_rejects_are_the_same_whatever_the_number_of_jobs(tmp_path, monkeypatch):
    # Small chunks, so that two workers really share the file (and the plan counts on them).
    monkeypatch.setattr(cleaner.corpus.read, "CHUNK_RECORDS", 2)
    monkeypatch.setattr(cleaner.corpus.read, "CHUNK_BYTES", 4096)
    monkeypatch.setattr(cleaner.corpus.plan, "CHUNK_BYTES", 4096)
    raw, problems = _with_broken_utf8()
    (tmp_path / "c.jsonl").write_bytes(raw * 3)
    assert cleaner.corpus.plan.useful_workers(cleaner.corpus.plan.plan(["c.jsonl"], cleaner.Config()), 2) == 2
    got = []
    for jobs in ("1", "2"):
        assert main(["clean", "c.jsonl", "-o", f"out{jobs}", "-q", "-j", jobs, "--skip-bad",
                     "--rejects", f"rejects{jobs}.jsonl"]) == 0
        got.append(((tmp_path / f"out{jobs}" / "c.jsonl").read_bytes(),
                    (tmp_path / f"rejects{jobs}.jsonl").read_bytes()))
    assert got[0] == got[1]
    assert len(got[0][1].splitlines()) == 3 * len(problems)


def test_ctrl_c_while_the_command_line_is_read(monkeypatch, capsys):
    def interrupted():
        raise KeyboardInterrupt
    monkeypatch.setattr("cleaner.cli.build_parser", interrupted)
    assert main(["rules"]) == 130
    assert capsys.readouterr().err == "cleaner: interrupted\n"


def test_ctrl_c_in_code_compiled_from_a_string_still_exits_with_130(tmp_path):
    """CPython notes a KeyboardInterrupt that passes through string-compiled code (a dataclass's
    __init__ being made as a module loads) as unhandled, and under `python -m` kills itself with
    SIGINT at exit even though the command handled it: the command clears the note."""
    (tmp_path / "interrupted_run.py").write_text(
        "import sys\n"
        "import cleaner.cli as cli\n"
        "cli._clean = lambda args: exec('raise KeyboardInterrupt')\n"
        "sys.argv = ['cleaner', 'clean', 'page.txt']\n"
        "sys.exit(cli.main())\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "interrupted_run"], cwd=tmp_path, env=env, capture_output=True,
                          timeout=120)
    assert done.returncode == 130, done.stderr
    assert done.stderr == b"cleaner: interrupted; temporary files removed, finished outputs kept\n"
