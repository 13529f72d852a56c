"""A real OpenAI-compatible HTTP server on 127.0.0.1 for the LLM failure tests.

It answers `POST /v1/chat/completions` from a script: each step is one HTTP exchange (a JSON
answer with a status and headers, a dropped connection, a slow answer, a raw body), or a function
of the request. Every request body is kept, so tests can count attempts and read re-asks.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Step:
    """One scripted exchange."""

    status: int = 200
    body: Any = None  # dict -> JSON; bytes -> sent as they are
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering
    delay: float = 0.0
    content_type: str = "application/json"


def completion(arguments: Any, prompt_tokens: int = 100, completion_tokens: int = 20,
               finish_reason: str = "tool_calls", cached_tokens: int | None = None) -> dict[str, Any]:
    """A chat completion whose tool call carries `arguments` (a dict is JSON-encoded)."""
    args = arguments if isinstance(arguments, str) else json.dumps(arguments)
    usage: dict[str, Any] = {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                             "total_tokens": prompt_tokens + completion_tokens}
    if cached_tokens is not None:  # what hosted servers with a prompt cache report
        usage["prompt_tokens_details"] = {"cached_tokens": cached_tokens}
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": 0, "model": "test-model",
        "choices": [{"index": 0, "finish_reason": finish_reason, "message": {
            "role": "assistant", "content": None,
            "tool_calls": [{"id": "call_1", "type": "function",
                            "function": {"name": "Claims", "arguments": args}}]}}],
        "usage": usage,
    }


def error_body(message: str, kind: str = "error") -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, "code": None}}


class ScriptedServer:
    """Serves `script` steps in order (the last one repeats), or `handler(request) -> Step`."""

    def __init__(self, script: list[Step] | None = None,
                 handler: Callable[[dict[str, Any]], Step] | None = None) -> None:
        self.script = list(script or [])
        self.handler = handler
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    @property
    def attempts(self) -> int:
        return len(self.requests)

    def _next(self, request: dict[str, Any]) -> Step:
        with self._lock:
            self.requests.append(request)
            if self.handler is None:
                return self.script.pop(0) if len(self.script) > 1 else self.script[0]
        return self.handler(request)  # outside the lock, so requests can be served in parallel

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                length = int(self.headers.get("content-length") or 0)
                request = json.loads(self.rfile.read(length) or b"{}")
                step = server._next(request)
                if step.delay:
                    time.sleep(step.delay)
                if step.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                payload = step.body if isinstance(step.body, bytes) else json.dumps(step.body).encode()
                try:
                    self.send_response(step.status)
                    self.send_header("content-type", step.content_type)
                    self.send_header("content-length", str(len(payload)))
                    for name, value in step.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up first (timeout tests)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def start(self) -> ScriptedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def serve(script: list[Step] | None = None,
          handler: Callable[[dict[str, Any]], Step] | None = None) -> Iterator[ScriptedServer]:
    server = ScriptedServer(script, handler).start()
    try:
        yield server
    finally:
        server.stop()
