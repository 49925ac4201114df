"""JSON Lines corpora: fields and order kept, compression, the same bytes whatever --jobs, streaming."""
import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import zstandard

from cleaner import Config, clean
from cleaner.corpus.run import Batch
from cleaner.chain import Cleaner
from cleaner.cli import main
from cleaner.corpus.plan import plan
from cleaner.corpus.read import tasks
from cleaner.corpus.write import NullSink
from cleaner.corpus.pool import IN_FLIGHT, Executor
from cleaner.corpus.tasks import Options, Passed, Task

from .conftest import ROOT, read_exact

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
TEXTS = [read_exact(s) for s in SEEDS]


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def _records(n: int, seed: int = 1) -> list[str]:
    """Records with fields of every JSON kind around the text, in varied spellings."""
    rng = random.Random(seed)
    lines = []
    for i in range(n):
        record = {"id": f"doc-{i}", "url": f"https://example.org/ü/{i}", "score": rng.choice([1.50, 2e-3, 10]),
                  "text": TEXTS[i % len(TEXTS)], "tags": ["a", {"b": None, "c": True}], "title": "Ünïcode"}
        if i % 3 == 0:
            record = {"text": record.pop("text"), **record}  # the text first
        line = json.dumps(record, ensure_ascii=bool(i % 2), separators=(",", ":") if i % 4 == 0 else None)
        if i % 5 == 0:
            line = line.replace('"score"', ' "score" ').replace('"tags":', '"tags" :')
        lines.append(line + ("\r\n" if i % 7 == 3 else "\n"))
    return lines


def _spans_outside_text(line: str) -> tuple[str, str]:
    """The bytes before and after the text value, as written."""
    record = json.loads(line)
    encoded = [json.dumps(record["text"], ensure_ascii=a) for a in (True, False)]
    for value in encoded:
        at = line.find(value)
        if at != -1:
            return line[:at], line[at + len(value):]
    raise AssertionError("text value not found verbatim")


def test_json_lines_keep_every_other_field_byte_for_byte_and_the_order(tmp_path):
    lines = _records(30)
    (tmp_path / "c.jsonl").write_text("".join(lines), encoding="utf-8")
    assert main(["clean", "c.jsonl", "-o", "out", "-j", "1", "-q"]) == 0
    out = (tmp_path / "out" / "c.jsonl").read_bytes().decode("utf-8").splitlines(keepends=True)
    assert len(out) == len(lines)
    changed = 0
    for before, after in zip(lines, out):
        rec_before, rec_after = json.loads(before), json.loads(after)
        assert rec_after["text"] == clean(rec_before["text"])
        assert {k: v for k, v in rec_after.items() if k != "text"} == {k: v for k, v in rec_before.items() if k != "text"}
        assert list(rec_after) == list(rec_before)
        assert _spans_outside_text(after) == _spans_outside_text(before)
        # \u-escaped input stays ASCII; UTF-8 input stays UTF-8.
        assert after.isascii() == before.isascii()
        changed += after != before
    assert changed


def test_an_unchanged_record_is_passed_on_as_it_came(tmp_path):
    line = '{"text":"A plain sentence that is fine as it stands.",  "n": 1.50e0}\n'
    (tmp_path / "c.jsonl").write_text(line)
    assert main(["clean", "c.jsonl", "-o", "out", "-q"]) == 0
    assert (tmp_path / "out" / "c.jsonl").read_text() == line


def test_text_field_from_flag_and_config(tmp_path):
    (tmp_path / "c.jsonl").write_text("".join(json.dumps({"body": t, "text": "untouched"}) + "\n" for t in TEXTS))
    assert main(["clean", "c.jsonl", "-o", "out", "-q", "--text-field", "body"]) == 0
    got = [json.loads(line) for line in (tmp_path / "out" / "c.jsonl").read_text().splitlines()]
    assert [r["body"] for r in got] == [clean(t) for t in TEXTS] and {r["text"] for r in got} == {"untouched"}
    (tmp_path / "cleaner.toml").write_text('text_field = "body"\n')
    assert main(["clean", "c.jsonl", "-o", "out2", "-q"]) == 0
    assert (tmp_path / "out2" / "c.jsonl").read_bytes() == (tmp_path / "out" / "c.jsonl").read_bytes()


@pytest.mark.parametrize("suffix, opener", [
    (".jsonl.gz", lambda p: gzip.open(p, "rb")),
    (".jsonl.zst", lambda p: zstandard.ZstdDecompressor().stream_reader(open(p, "rb"))),
])
def test_compressed_json_lines_are_read_and_written_compressed(tmp_path, suffix, opener):
    plain = "".join(_records(12)).encode("utf-8")
    (tmp_path / "c.jsonl").write_bytes(plain)
    if suffix == ".jsonl.gz":
        (tmp_path / f"c{suffix}").write_bytes(gzip.compress(plain))
    else:
        (tmp_path / f"c{suffix}").write_bytes(zstandard.ZstdCompressor().compress(plain))
    assert main(["clean", "c.jsonl", f"c{suffix}", "-o", "out", "-q", "-j", "1"]) == 0
    with opener(tmp_path / "out" / f"c{suffix}") as f:
        assert f.read() == (tmp_path / "out" / "c.jsonl").read_bytes()
    assert (tmp_path / "out" / "c.jsonl").read_bytes() != plain


def test_format_flag_overrides_the_extension(tmp_path):
    (tmp_path / "dump.json").write_text(json.dumps({"text": TEXTS[0]}) + "\n")
    (tmp_path / "notes.log").write_text(TEXTS[1])
    assert main(["clean", "dump.json", "-o", "out", "-q", "--format", "jsonl"]) == 0
    assert json.loads((tmp_path / "out" / "dump.json").read_text())["text"] == clean(TEXTS[0])
    assert main(["clean", "notes.log", "-o", "out", "-q", "--format", "text"]) == 0
    assert (tmp_path / "out" / "notes.log").read_text() == clean(TEXTS[1])


def test_blank_lines_and_a_missing_final_newline_survive(tmp_path):
    body = json.dumps({"text": TEXTS[0]}) + "\n\n" + json.dumps({"text": TEXTS[1]})
    (tmp_path / "c.jsonl").write_text(body)
    assert main(["clean", "c.jsonl", "-o", "out", "-q"]) == 0
    out = (tmp_path / "out" / "c.jsonl").read_text()
    assert out == json.dumps({"text": clean(TEXTS[0])}) + "\n\n" + json.dumps({"text": clean(TEXTS[1])})


def _corpus(tmp_path: Path) -> Path:
    src = tmp_path / "corpus"
    (src / "texts").mkdir(parents=True)
    for seed in SEEDS:
        shutil.copyfile(seed, src / "texts" / seed.name)
    (src / "big.jsonl").write_text("".join(_records(60)), encoding="utf-8")
    (src / "small.jsonl.gz").write_bytes(gzip.compress("".join(_records(20, seed=2)).encode()))
    return src


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_output_is_byte_identical_whatever_the_number_of_jobs(tmp_path, monkeypatch):
    import cleaner.corpus.read
    monkeypatch.setattr(cleaner.corpus.read, "CHUNK_RECORDS", 4)  # many chunks, so records go to every worker
    src = _corpus(tmp_path)
    runs = {}
    for jobs in (1, 2, 3):
        out = tmp_path / f"out{jobs}"
        assert main(["clean", str(src), "-o", str(out), "-q", "-j", str(jobs),
                     "--stats", f"stats{jobs}.json", "--removed", f"removed{jobs}.jsonl"]) == 0
        stats = json.loads((tmp_path / f"stats{jobs}.json").read_text())
        del stats["seconds"]
        runs[jobs] = (_snapshot(out), stats, (tmp_path / f"removed{jobs}.jsonl").read_bytes())
    assert runs[1] == runs[2] == runs[3]
    files, stats, removed = runs[1]
    assert len(files) == len(SEEDS) + 2 and stats["documents"] == len(SEEDS) + 80 and removed


def test_records_of_one_big_file_are_spread_across_workers(tmp_path):
    (tmp_path / "big.jsonl").write_text("".join(_records(600)), encoding="utf-8")
    jobs = plan(["big.jsonl"], Config())
    made = [t for t in tasks(jobs, chunk_records=10) if isinstance(t, Task)]
    lines = [t.data.count(b"\n") for t in made]
    assert len(made) >= 60 and max(lines) == 10 and sum(lines) == 600
    # Each chunk says where it starts in the file: the lines and records of the chunks before it.
    assert [t.first_line for t in made] == [1 + sum(lines[:n]) for n in range(len(made))]
    assert [t.first_record for t in made] == [sum(lines[:n]) for n in range(len(made))]
    assert b"".join(t.data for t in made) == (tmp_path / "big.jsonl").read_bytes()
    (tmp_path / "big.jsonl").write_text("".join(_records(240)), encoding="utf-8")
    batch = Batch(plan(["big.jsonl"], Config()), Cleaner(), lambda job: NullSink(), workers=2, chunk_records=4)
    stats = batch.run()
    assert stats.tally.documents == 240
    assert len(batch.worker_pids) == 2


@pytest.mark.parametrize("chunk_records", [1, 2, 3, 50])
def test_chunks_know_their_first_line_and_record_past_blank_lines(tmp_path, chunk_records):
    lines = _records(12)
    for at, blank in [(0, "\n"), (3, "  \n"), (4, "\t\r\n"), (8, "\n"), (9, "\x0c\n")]:
        lines.insert(at, blank)
    lines.append(" ")  # a last line with no line end, blank too
    (tmp_path / "b.jsonl").write_text("".join(lines), encoding="utf-8")
    made = [t for t in tasks(plan(["b.jsonl"], Config()), chunk_records=chunk_records) if isinstance(t, Task)]
    texts = [t.data.decode("utf-8") for t in made]
    assert "".join(texts) == "".join(lines)
    for n, task in enumerate(made):
        before = "".join(texts[:n]).split("\n")[:-1]  # JSON Lines break lines at "\n" only
        assert task.first_line == len(before) + 1
        assert task.first_record == sum(1 for line in before if line.strip())


@pytest.mark.skipif(not Path("/proc/self/task").is_dir() or len(os.sched_getaffinity(0)) < 2,
                    reason="counts threads in /proc; on one CPU a pool has one thread anyway")
def test_one_job_cleans_on_one_cpu(tmp_path):
    """With --jobs 1 the language detection of a chunk is not spread over a thread per CPU."""
    (tmp_path / "c.jsonl").write_text("".join(_records(40)), encoding="utf-8")
    code = ("import os, sys; from cleaner.cli import main; "
            "main(['clean', 'c.jsonl', '-o', 'out.jsonl', '-q', '-j', '1']); "
            "print(len(os.listdir('/proc/self/task')))")
    env = {k: v for k, v in os.environ.items() if k != "RAYON_NUM_THREADS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env,
                          cwd=tmp_path)
    # This thread, and at most one more that detects while it waits.
    assert int(done.stdout) <= 2
    assert (tmp_path / "out.jsonl").read_bytes().count(b"\n") == 40


def test_the_pool_keeps_a_bounded_number_of_items_in_flight():
    made = []

    def items():
        for n in range(40):
            made.append(n)
            yield Task(0, "x", "text", TEXTS[n % len(TEXTS)].encode()) if n % 4 else Passed(0)

    executor = Executor([(Cleaner(), Options())], 2)
    try:
        for seen, (item, result) in enumerate(executor.ordered(items()), start=1):
            assert len(made) - seen <= IN_FLIGHT * 2, "the reader ran ahead of the writer"
            assert (result is None) == isinstance(item, Passed)
    finally:
        executor.close()
    assert len(made) == 40


def test_json_lines_are_read_lazily(tmp_path, monkeypatch):
    """Taking the first chunk reads about one chunk of the file from disk, not the file."""
    import cleaner.corpus.read
    (tmp_path / "big.jsonl").write_text("".join(_records(3000)), encoding="utf-8")
    size = (tmp_path / "big.jsonl").stat().st_size
    read = []

    class CountingFile(io.FileIO):
        def readinto(self, buffer):
            n = super().readinto(buffer)
            read.append(n or 0)
            return n

    def counting_open(path):
        stream = io.BufferedReader(CountingFile(path, "rb"))
        return stream, stream

    monkeypatch.setattr(cleaner.corpus.read, "open_read", counting_open)
    stream = tasks(plan(["big.jsonl"], Config()), chunk_bytes=64 * 1024)
    first = next(stream)
    assert isinstance(first, Task) and 32 * 1024 < len(first.data) <= 64 * 1024
    assert 0 < sum(read) < 64 * 1024 * 3 < size / 10
    stream.close()


def _peak_rss_mb(args: list[str], cwd: Path) -> float:
    code = ("import resource, sys; from cleaner.cli import main; code = main(sys.argv[1:]); "
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); sys.exit(code)")
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1]) / 1024


def test_memory_stays_flat_on_a_big_file(tmp_path):
    """Ten times the input, about the same peak memory: the file is streamed, not read whole."""
    rng = random.Random(3)
    words = "the of and to in a is that for it as was with be by on not he this are or his from at".split()

    def write(name: str, mb: int) -> None:
        with open(tmp_path / name, "w") as f:
            written = 0
            while written < mb * 1_000_000:
                # One long paragraph: cheap to clean, so the test measures memory, not the chain.
                text = " ".join(rng.choice(words) for _ in range(3000)) + "."
                line = json.dumps({"id": written, "text": text}) + "\n"
                f.write(line)
                written += len(line)

    write("small.jsonl", 2)
    write("big.jsonl", 22)
    small = _peak_rss_mb(["clean", "small.jsonl", "-o", "out", "-q", "-j", "1"], tmp_path)
    big = _peak_rss_mb(["clean", "big.jsonl", "-o", "out", "-q", "-j", "1"], tmp_path)
    assert (tmp_path / "out" / "big.jsonl").stat().st_size > 20_000_000
    assert big - small < 10, (small, big)
