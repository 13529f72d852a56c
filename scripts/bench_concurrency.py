"""Throughput of `verifier check --concurrency N` against a local OpenAI-compatible test server.

The server answers every chat completion after a fixed delay (default 0.25 s) with one claim whose
evidence is the passage's first sentence, so the time measured is the pipeline waiting on a slow
model. Articles are generated (fictional). The cache is off, so every article costs one call.

    .venv/bin/python scripts/bench_concurrency.py [--articles 24] [--delay 0.25] [--levels 1,2,4,8]
"""

from __future__ import annotations

import argparse
import json
import re
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from verifier.model.config import Settings
from verifier.run import pipeline

PASSAGE = re.compile(r"<<<PASSAGE \S+\n(.*?)\nPASSAGE \S+>>>", re.DOTALL)


def answer(request: dict[str, Any]) -> dict[str, Any]:
    """A tool-call completion claiming the passage's first sentence."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    match = PASSAGE.search(user)
    passage = match.group(1) if match else ""
    first = passage.split(". ")[0].strip()
    claims = [{"evidence": first, "claim": first, "tags": [], "speaker": None, "confidence": 0.5}]
    return {"id": "bench", "object": "chat.completion", "created": 0, "model": "bench",
            "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
                "role": "assistant", "content": None,
                "tool_calls": [{"id": "c", "type": "function", "function": {
                    "name": "Claims", "arguments": json.dumps({"claims": claims})}}]}}],
            "usage": {"prompt_tokens": 500, "completion_tokens": 40, "total_tokens": 540}}


def start_server(delay: float) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the http.server API
            request = json.loads(self.rfile.read(int(self.headers["content-length"])))
            time.sleep(delay)
            body = json.dumps(answer(request)).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def write_articles(folder: Path, count: int) -> list[str]:
    paths = []
    for i in range(count):
        path = folder / f"article-{i:03d}.txt"
        path.write_text(f"Harbour town {i} opens a ferry line\n\n"
                        f"The town of Eskvik {i} opened a ferry line on Monday. The mayor said "
                        f"the line would carry {100 + i} passengers a day.\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=24)
    parser.add_argument("--delay", type=float, default=0.25, help="seconds per request")
    parser.add_argument("--levels", default="1,2,4,8", help="concurrency levels to try")
    args = parser.parse_args()
    server = start_server(args.delay)
    base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_articles(Path(tmp), args.articles)
        print(f"{args.articles} articles, one call each, server delay {args.delay:.2f} s per request")
        print(f"{'concurrency':>11}  {'seconds':>8}  {'articles/s':>10}  {'speed-up':>8}")
        warm = Settings(engine="llm", base_url=base_url, model="bench", cache=False, max_retries=0)
        pipeline.check_paths(paths[:1], warm)  # imports and first connection out of the figures
        baseline = None
        for level in (int(x) for x in args.levels.split(",")):
            settings = Settings(engine="llm", base_url=base_url, model="bench", cache=False,
                                concurrency=level, max_retries=0)
            started = time.perf_counter()
            results = pipeline.check_paths(paths, settings)
            seconds = time.perf_counter() - started
            failed = sum(r.failed for r in results)
            baseline = baseline or seconds
            note = f"  ({failed} failed)" if failed else ""
            print(f"{level:>11}  {seconds:>8.2f}  {len(paths) / seconds:>10.2f}  "
                  f"{baseline / seconds:>7.1f}x{note}")
    server.shutdown()


if __name__ == "__main__":
    main()
