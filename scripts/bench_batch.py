"""CPU cost of `verifier batch submit` and `collect` per article, against the local fake of the
Files and Batches endpoints that the tests use (tests/batch_server.py), so no network and no cost.

    python scripts/bench_batch.py [--copies 30]

Builds the same throwaway archive as scripts/bench_archive.py, submits it, lets the fake finish
every batch, collects (writing jsonl reports), and prints wall and CPU seconds for each step. The
CPU figure is this process's, and so includes the fake server's work (writing answers, serving
files): an upper bound on what verifier itself spends. Nothing is written into the project.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from typer.testing import CliRunner  # noqa: E402

from scripts.bench_archive import build  # noqa: E402
from tests.batch_server import fake_openai  # noqa: E402
from verifier.cli import cli  # noqa: E402
from verifier.engines import llm  # noqa: E402, F401
from verifier.run import batch  # noqa: E402, F401 - imported before timing: start-up is not per article


def timed(args: list[str]) -> tuple[float, float, str]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = CliRunner().invoke(cli.app, args)
    if out.exit_code not in (0, 1):
        raise SystemExit(f"verifier {args[1]} failed: {out.output}")
    return time.perf_counter() - wall, time.process_time() - cpu, out.output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=30)
    opts = parser.parse_args()
    os.environ["OPENAI_API_KEY"] = "sk-bench-fake-server"  # the fake accepts any key
    work = Path(tempfile.mkdtemp(prefix="verifier-batch-"))
    try:
        (work / "archive").mkdir()
        kind, count, _ = build(work / "archive", opts.copies)
        with fake_openai() as fake:
            wall, cpu, said = timed(["batch", "submit", str(work / "archive"), "--state", str(work / "run"),
                                     "--base-url", fake.base_url, "--model", "test-model",
                                     "--cache-dir", str(work / "cache")])
            print(f"{count} articles ({kind}): {said.splitlines()[0]}")
            print(f"submit:  {wall:6.2f} s wall, {cpu:6.2f} CPU s, {cpu / count * 1000:5.1f} CPU ms an article")
            for batch_id in list(fake.batches):
                fake.finish(batch_id)
            wall, cpu, _ = timed(["batch", "collect", "--state", str(work / "run"), "--format", "jsonl",
                                  "--output", str(work / "reports.jsonl"), "--fail-on", "never", "--quiet"])
            print(f"collect: {wall:6.2f} s wall, {cpu:6.2f} CPU s, {cpu / count * 1000:5.1f} CPU ms an article")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
