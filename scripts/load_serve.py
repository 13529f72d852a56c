"""Load on `verifier serve`: N checks, C at a time, over loopback; prints lost results and p50/p95.

Starts the real command (`python -m verifier.cli serve --host 127.0.0.1 --port 0`), then C client
threads each submit a draft as the review page's form does (a POST with the page's Origin), follow
the redirect to the check's page and read it until the review is there. A result is lost when its
page answers 404 ("no such check") or never shows the review. Bounded: `--requests` checks at most,
`--max-seconds` in all; loopback only. Figures: docs/performance.md.

    python scripts/load_serve.py --requests 1000 --concurrency 50
"""

from __future__ import annotations

import argparse
import http.client
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = [ROOT / "examples" / "council-vote.txt", ROOT / "examples" / "chipmaker-launch.md"]
HOST = "127.0.0.1"


@dataclass
class Tally:
    done: int = 0
    lost: int = 0
    busy_retries: int = 0
    errors: list[str] = field(default_factory=list)
    total_ms: list[float] = field(default_factory=list)  # submit to review page
    post_ms: list[float] = field(default_factory=list)  # the POST alone
    page_ms: list[float] = field(default_factory=list)  # each GET of a check's page
    lock: threading.Lock = field(default_factory=threading.Lock)


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read().decode("utf-8")
    finally:
        conn.close()


def one_check(port: int, n: int, tally: Tally, stop_at: float) -> None:
    draft = DRAFTS[n % len(DRAFTS)]
    text = draft.read_text(encoding="utf-8").replace("\n", f" (copy {n})\n", 1)
    body = f"draft={quote(text, safe='')}&format=auto&path={quote(draft.name)}".encode("ascii")
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Origin": f"http://{HOST}:{port}"}
    started = time.perf_counter()
    while True:
        status, head, _ = request(port, "POST", "/check", body, headers)
        if status != 503:
            break
        with tally.lock:
            tally.busy_retries += 1
        time.sleep(float(head.get("retry-after", "1")))
    posted = time.perf_counter()
    if status != 303:
        return record(tally, lost=True, why=f"POST answered {status}")
    location = head["location"]
    while time.monotonic() < stop_at:
        asked = time.perf_counter()
        status, _, page = request(port, "GET", location)
        with tally.lock:
            tally.page_ms.append((time.perf_counter() - asked) * 1000)
        if status == 200 and '<article class="text"' in page:  # the review page
            return record(tally, total=(time.perf_counter() - started) * 1000,
                          post=(posted - started) * 1000)
        if status != 200 or "Checking " not in page:
            return record(tally, lost=True, why=f"{location} answered {status}")
        time.sleep(0.2)
    record(tally, lost=True, why=f"{location} not done when the time ran out")


def record(tally: Tally, lost: bool = False, why: str = "", total: float = 0.0, post: float = 0.0) -> None:
    with tally.lock:
        if lost:
            tally.lost += 1
            tally.errors.append(why)
        else:
            tally.done += 1
            tally.total_ms.append(total)
            tally.post_ms.append(post)


def start_server(workers: int | None) -> tuple[subprocess.Popen[str], int]:
    command = [sys.executable, "-m", "verifier.cli", "serve", "--host", HOST, "--port", "0",
               "--engine", "rules"]
    if workers:
        command += ["--workers", str(workers)]
    proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            text=True)
    assert proc.stderr is not None
    for line in proc.stderr:
        found = re.search(rf"http://{re.escape(HOST)}:(\d+)/", line)
        if found:
            threading.Thread(target=lambda: [None for _ in proc.stderr], daemon=True).start()  # type: ignore[union-attr]
            return proc, int(found.group(1))
    raise SystemExit("the server did not start: " + (proc.stderr.read() if proc.stderr else ""))


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1] if len(values) > 1 else values[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--workers", type=int, default=None, help="server worker processes")
    parser.add_argument("--max-seconds", type=float, default=900.0)
    args = parser.parse_args()
    if not 0 < args.requests <= 100_000 or not 0 < args.concurrency <= 500:
        raise SystemExit("--requests must be 1..100000 and --concurrency 1..500")
    proc, port = start_server(args.workers)
    tally = Tally()
    started = time.perf_counter()
    stop_at = time.monotonic() + args.max_seconds
    try:
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for future in [pool.submit(one_check, port, n, tally, stop_at) for n in range(args.requests)]:
                try:
                    future.result()
                except Exception as exc:  # a refused or reset connection counts as a lost result
                    record(tally, lost=True, why=f"{type(exc).__name__}: {exc}")
    finally:
        proc.terminate()  # SIGTERM: the server stops as on Ctrl-C and ends its workers
        proc.wait(timeout=30)
    seconds = time.perf_counter() - started
    print(f"{args.requests} checks, {args.concurrency} at a time, server workers "
          f"{args.workers or 'default'}: {tally.done} results, {tally.lost} lost, "
          f"{tally.busy_retries} busy (503) retries, {seconds:.1f} s")
    print(f"submit to review page: p50 {percentile(tally.total_ms, 50):.0f} ms, "
          f"p95 {percentile(tally.total_ms, 95):.0f} ms")
    print(f"POST /check: p50 {percentile(tally.post_ms, 50):.1f} ms, p95 {percentile(tally.post_ms, 95):.1f} ms")
    print(f"GET /job/<id> ({len(tally.page_ms)} requests): p50 {percentile(tally.page_ms, 50):.1f} ms, "
          f"p95 {percentile(tally.page_ms, 95):.1f} ms")
    for why in tally.errors[:10]:
        print("  lost:", why)
    return 1 if tally.lost else 0


if __name__ == "__main__":
    sys.exit(main())
