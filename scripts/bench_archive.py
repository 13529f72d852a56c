"""Archive throughput of the rules engine through the command line, with `--jobs`.

    python scripts/bench_archive.py [--copies 100] [--jobs 1 2]

Builds a throwaway archive in a temporary folder (the PolNeAR dev texts from ../shared/ when
present, else the example articles; `--copies` of each, every copy a little different so each
has its own digest), then times `verifier check ARCHIVE --engine rules --format jsonl --output
FILE --quiet --jobs N` end to end (start-up, reading, checking, writing) for each N, and a
`--resume` of the finished file (every article skipped: what resuming costs before any work).
Prints wall seconds and articles per second, and CPU seconds (user + system, the process and its
workers), which a machine shared with other work disturbs less. With `--memory FORMAT...`, also
the peak memory (resident set) of one `--jobs 1` run writing each format to a file: what holding
the reports (or not) costs an archive run. Nothing is written into the project.

    python scripts/bench_archive.py --copies 10 --jobs 2 --memory jsonl json sarif github
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "eval" / "external" / "polnear" / "polnear_dev_subset.jsonl"


def texts() -> tuple[str, list[tuple[str, str]]]:
    """(what they are, [(file name, text)])."""
    if POLNEAR.exists():
        docs = [json.loads(x)["text"] for x in POLNEAR.read_text(encoding="utf-8").splitlines() if x]
        return "PolNeAR dev texts", [(f"polnear-{i}.txt", t) for i, t in enumerate(docs)]
    found = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "examples").iterdir())
             if p.is_file() and p.suffix in (".txt", ".html")]
    return "example articles", found


def build(folder: Path, copies: int) -> tuple[str, int, int]:
    kind, docs = texts()
    size = 0
    for i in range(copies):
        for name, text in docs:
            data = (text + f"\n\nArchive copy {i}.\n").encode("utf-8")
            (folder / f"{i:05d}-{name}").write_bytes(data)
            size += len(data)
    return kind, copies * len(docs), size


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds, and CPU seconds (user + system) of the process and its workers."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "verifier.cli", *args], capture_output=True, text=True)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode not in (0, 1):
        raise SystemExit(f"verifier failed ({out.returncode}): {out.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return seconds, cpu


def peak_memory(args: list[str]) -> tuple[float, int]:
    """Wall seconds and the peak resident set (bytes) of one verifier process."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "verifier.cli", *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        raise SystemExit(f"verifier failed ({proc.returncode}): {proc.stderr.read().decode() if proc.stderr else ''}")
    return seconds, usage.ru_maxrss * 1024  # Linux reports kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=100)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--memory", nargs="*", default=[], metavar="FORMAT",
                        help="formats whose peak memory to measure (one --jobs 1 run each)")
    opts = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="verifier-archive-"))
    try:
        archive = work / "archive"
        archive.mkdir()
        kind, count, size = build(archive, opts.copies)
        print(f"archive: {count} articles ({kind}, {opts.copies} copies each), {size / 1e6:.1f} MB")
        for jobs in opts.jobs:
            output = work / f"out-{jobs}.jsonl"
            seconds, cpu = timed(["check", str(archive), "--engine", "rules", "--format", "jsonl",
                                  "--output", str(output), "--quiet", "--resume", "--jobs", str(jobs)])
            print(f"--jobs {jobs}: {seconds:6.2f} s wall, {count / seconds:7.1f} articles/s; "
                  f"{cpu:6.2f} CPU s, {count / cpu:6.1f} articles per CPU second (start-up included)")
        output = work / f"out-{opts.jobs[-1]}.jsonl"
        seconds, cpu = timed(["check", str(archive), "--engine", "rules", "--format", "jsonl",
                              "--output", str(output), "--quiet", "--resume"])
        print(f"--resume of the finished file: {seconds:6.2f} s wall, {cpu:6.2f} CPU s (reads "
              f"{count} reports and hashes {count} files, checks none)")
        for fmt in opts.memory:
            output = work / f"memory.{fmt}"
            seconds, peak = peak_memory(["check", str(archive), "--engine", "rules", "--format", fmt,
                                         "--output", str(output), "--quiet", "--jobs", "1"])
            print(f"--format {fmt:8} --jobs 1: peak memory {peak / 2**20:6.0f} MB, {seconds:6.2f} s wall, "
                  f"{output.stat().st_size / 1e6:.1f} MB written")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
