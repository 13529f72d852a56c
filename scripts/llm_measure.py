"""What the LLM engine costs and keeps on real files with a real local model: claims kept, claims
dropped, requests per chunk and completion tokens per article.

It puts a counting proxy on 127.0.0.1 in front of an OpenAI-compatible server (e.g. llama-cpp-python
serving SmolLM2 or Gemma), so every HTTP request is counted whatever the engine reports, and runs
`verifier check --engine llm` in this process with no cache and no transport retries. It imports
`verifier` from wherever PYTHONPATH points, so the same measurement runs on an older checkout:

    .venv/bin/python scripts/llm_measure.py --base-url http://127.0.0.1:8814/v1 --model local \
        examples/council-vote.txt examples/chipmaker-launch.md examples/robotics-feature.html
    PYTHONPATH=/path/to/old/checkout .venv/bin/python scripts/llm_measure.py ...   # before

Not a test: it needs a model server, and prints figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Counter:
    """Requests and completion tokens seen by the proxy."""

    def __init__(self) -> None:
        self.requests = 0
        self.completion_tokens = 0
        self.lock = threading.Lock()
        self.deadline = float("inf")  # time.monotonic() after which requests are refused
        self.refused = 0


def proxy(target: str, counter: Counter) -> ThreadingHTTPServer:
    """A pass-through HTTP proxy to `target` (the server's /v1 root) that counts what goes by."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            body = self.rfile.read(int(self.headers.get("content-length") or 0))
            if time.monotonic() > counter.deadline:  # the file's time is up: answer 503 at once
                with counter.lock:
                    counter.refused += 1
                payload = b'{"error": {"message": "measurement deadline", "type": "deadline"}}'
                self.send_response(503)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                return
            with counter.lock:
                counter.requests += 1
            request = urllib.request.Request(target + self.path.removeprefix("/v1"), data=body,
                                             headers={"content-type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=3600) as answer:
                    status, payload = answer.status, answer.read()
            except urllib.error.HTTPError as exc:
                status, payload = exc.code, exc.read()
            try:
                used = json.loads(payload).get("usage") or {}
                with counter.lock:
                    counter.completion_tokens += int(used.get("completion_tokens") or 0)
            except (ValueError, AttributeError):
                pass
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def chunks_of(path: str, settings: Any) -> int:
    from verifier.engines import chunking
    from verifier.ingest import load
    from verifier.stages import segment

    (target,) = load.expand_paths([path], settings)
    article = load.load_target(target, settings)
    return len(chunking.make_chunks(article, segment.segment(article), settings.chunk_tokens))


def measure(path: str, settings: Any, counter: Counter, deadline: float) -> dict[str, Any]:
    from verifier.run import pipeline

    before = (counter.requests, counter.completion_tokens, counter.refused)
    started = time.monotonic()
    counter.deadline = started + deadline
    (result,) = pipeline.check_paths([path], settings)
    report = result.report
    rules = [f.rule for f in report.findings]
    return {"file": path, "chunks": chunks_of(path, settings),
            "requests": counter.requests - before[0],
            "completion_tokens": counter.completion_tokens - before[1],
            "claims_kept": 0 if report.error or "llm-failed" in rules else len(report.claims),
            "claims_dropped": rules.count("claim-ungrounded"),
            "failed": bool(report.error) or "llm-failed" in rules,
            "deadline_hit": counter.refused > before[2],
            "seconds": round(time.monotonic() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    parser.add_argument("--deadline", type=float, default=float("inf"),
                        help="seconds per file; later requests are answered 503 and the row says so")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()

    from verifier.model.config import Settings

    counter = Counter()
    server = proxy(args.base_url.rstrip("/"), counter)
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    settings = Settings(engine="llm", base_url=url, model=args.model, cache=False, max_retries=0,
                        timeout=3600.0, concurrency=1)
    if args.json:  # each row as soon as its file is done
        for path in args.files:
            print(json.dumps(measure(path, settings, counter, args.deadline)), flush=True)
        server.shutdown()
        return
    rows = [measure(path, settings, counter, args.deadline) for path in args.files]
    server.shutdown()
    print(f"{'file':<34} {'chunks':>6} {'requests':>8} {'req/chunk':>9} {'kept':>5} {'dropped':>7} "
          f"{'compl. tok':>10} {'failed':>6} {'deadline':>8} {'s':>6}")
    for r in rows:
        print(f"{r['file'][-34:]:<34} {r['chunks']:>6} {r['requests']:>8} "
              f"{r['requests'] / max(r['chunks'], 1):>9.2f} {r['claims_kept']:>5} {r['claims_dropped']:>7} "
              f"{r['completion_tokens']:>10} {str(r['failed']):>6} {str(r['deadline_hit']):>8} {r['seconds']:>6}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
