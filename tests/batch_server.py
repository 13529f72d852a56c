"""A local fake of OpenAI's Files and Batches endpoints (and chat completions), a real HTTP server
on 127.0.0.1 for the `verifier batch` tests.

It follows the request and response shapes of the API reference: `POST /v1/files` (multipart,
`purpose=batch`) answers a File object; `POST /v1/batches` (`input_file_id`, `endpoint`,
`completion_window`, `metadata`) and `GET /v1/batches/{id}` answer a Batch object (`status`,
`request_counts`, `output_file_id`, `error_file_id`); `POST /v1/batches/{id}/cancel` moves it to
`cancelling`; `GET /v1/files/{id}/content` answers the file's bytes. Output lines are
`{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}`; a request that
failed or was never run (an expired or cancelled batch) goes to the error file with
`"response": null` and `"error": {"code", "message"}`. What the fake does NOT do on its own: move
batches along. A test does that (`finish`, `expire`), as time would.

The answers: the first sentence of the passage as one claim, which the validators accept; a
request listed as broken gets an answer citing what the passage does not hold, which they refuse.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.llm_server import completion

PASSAGE = re.compile(r"<<<PASSAGE (\w+)\n(.*?)\nPASSAGE \1>>>", re.DOTALL)


def answer_for(body: dict[str, Any], broken: bool = False) -> dict[str, Any]:
    """A chat completion for a request body: one claim, the passage's first sentence. The answer
    takes the form the prompt asks for: sentence numbers when the passage is numbered ("[1] ..."),
    else the exact words as evidence. A broken answer cites what the passage does not hold."""
    found = next((m for m in (PASSAGE.search(x["content"]) for x in body["messages"]) if m), None)
    passage = found.group(2).strip() if found else ""
    if passage.startswith("[1] "):
        first = passage.split("\n", 1)[0][4:]
        claim: dict[str, Any] = {"sentences": [999 if broken else 1], "clause": None, "claim": first,
                                 "tags": [], "speaker": None}
    else:
        first = re.split(r"(?<=[.!?”])\s", passage, maxsplit=1)[0]
        evidence = "Words this passage never wrote, invented by the model." if broken else first
        claim = {"evidence": evidence, "claim": evidence, "tags": [], "speaker": None, "confidence": 0.7}
    return completion({"claims": [claim]}, prompt_tokens=1000, completion_tokens=100)


class FakeOpenAI:
    """Files, batches and chat completions, kept in memory."""

    def __init__(self) -> None:
        self.files: dict[str, dict[str, Any]] = {}
        self.contents: dict[str, bytes] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.calls: Counter[str] = Counter()  # "POST /v1/files", "GET /v1/files/content", ...
        self.chat_bodies: list[dict[str, Any]] = []
        self.refuse_batches = False  # answer POST /v1/batches with a 400, as over a quota
        self.broken_sync = False  # synchronous answers (chat completions) are broken too
        self._lock = threading.Lock()
        self._ids = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    # -- what time would do to a batch
    def requests_of(self, batch_id: str) -> list[dict[str, Any]]:
        data = self.contents[self.batches[batch_id]["input_file_id"]]
        return [json.loads(line) for line in data.splitlines() if line.strip()]

    def finish(self, batch_id: str, broken: frozenset[int] = frozenset(),
               failed: frozenset[int] = frozenset()) -> None:
        """Complete a batch: request i answered, invalid if i in `broken`, HTTP 500 if in `failed`."""
        self._settle(batch_id, "completed", done=None, broken=broken, failed=failed)

    def expire(self, batch_id: str, done: int) -> None:
        """Let the 24 hours run out with only the first `done` requests answered."""
        self._settle(batch_id, "expired", done=done)

    def fail(self, batch_id: str, message: str) -> None:
        """A batch that failed validation: no request run, no output file."""
        batch = self.batches[batch_id]
        batch.update(status="failed", failed_at=int(time.time()), errors={"object": "list", "data": [
            {"code": "token_limit_exceeded", "message": message, "param": None, "line": None}]})

    def cancelled(self, batch_id: str, done: int) -> None:
        """Let a cancelling batch come to rest with only the first `done` requests answered."""
        self._settle(batch_id, "cancelled", done=done)

    def _settle(self, batch_id: str, status: str, done: int | None,
                broken: frozenset[int] = frozenset(), failed: frozenset[int] = frozenset()) -> None:
        outputs, errors = [], []
        for i, request in enumerate(self.requests_of(batch_id)):
            line: dict[str, Any] = {"id": f"batch_req_{i}", "custom_id": request["custom_id"]}
            if done is not None and i >= done:
                code = "batch_expired" if status == "expired" else "batch_cancelled"
                errors.append({**line, "response": None, "error": {
                    "code": code, "message": f"This request was not executed ({status} batch)."}})
            elif i in failed:
                errors.append({**line, "error": None, "response": {
                    "status_code": 500, "request_id": f"req_{i}",
                    "body": {"error": {"message": "The server had an error", "type": "server_error"}}}})
            else:
                outputs.append({**line, "error": None, "response": {
                    "status_code": 200, "request_id": f"req_{i}",
                    "body": answer_for(request["body"], broken=i in broken)}})
        batch = self.batches[batch_id]
        batch["output_file_id"] = self._store_file(outputs, "batch_output") if outputs else None
        batch["error_file_id"] = self._store_file(errors, "batch_output") if errors else None
        batch["status"] = status
        batch[f"{status}_at"] = int(time.time())
        batch["request_counts"] = {"total": len(outputs) + len(errors), "completed": len(outputs),
                                   "failed": len(errors)}

    def _store_file(self, lines: list[dict[str, Any]], purpose: str, name: str = "output.jsonl") -> str:
        data = b"".join(json.dumps(x).encode() + b"\n" for x in lines)
        return self._new_file(data, purpose, name)["id"]

    def _new_file(self, data: bytes, purpose: str, name: str) -> dict[str, Any]:
        with self._lock:
            self._ids += 1
            file_id = f"file-{self._ids}"
        self.contents[file_id] = data
        self.files[file_id] = {"id": file_id, "object": "file", "bytes": len(data),
                               "created_at": int(time.time()), "filename": name,
                               "purpose": purpose, "status": "processed"}
        return self.files[file_id]

    # -- the endpoints
    def handle(self, method: str, path: str, headers: Any, body: bytes) -> tuple[int, Any]:
        if method == "POST" and path == "/v1/files":
            self.calls["POST /v1/files"] += 1
            fields = _multipart(headers.get("content-type", ""), body)
            if fields.get("purpose", (b"", ""))[0] != b"batch":
                return 400, {"error": {"message": "purpose must be batch", "type": "invalid_request_error"}}
            data, name = fields["file"]
            return 200, self._new_file(data, "batch", name)
        if method == "POST" and path == "/v1/batches":
            self.calls["POST /v1/batches"] += 1
            if self.refuse_batches:
                return 400, {"error": {"message": "Enqueued token limit reached for test-model",
                                       "type": "invalid_request_error", "code": "token_limit_exceeded"}}
            params = json.loads(body)
            if params.get("completion_window") != "24h" or params.get("endpoint") != "/v1/chat/completions" \
                    or params.get("input_file_id") not in self.files:
                return 400, {"error": {"message": "bad batch", "type": "invalid_request_error"}}
            with self._lock:
                self._ids += 1
                batch_id = f"batch_{self._ids}"
            total = len(self.contents[params["input_file_id"]].splitlines())
            self.batches[batch_id] = {
                "id": batch_id, "object": "batch", "endpoint": params["endpoint"],
                "input_file_id": params["input_file_id"], "completion_window": "24h",
                "status": "in_progress", "created_at": int(time.time()),
                "in_progress_at": int(time.time()), "expires_at": int(time.time()) + 86400,
                "output_file_id": None, "error_file_id": None, "errors": None,
                "metadata": params.get("metadata"),
                "request_counts": {"total": total, "completed": 0, "failed": 0}}
            return 200, self.batches[batch_id]
        found = re.fullmatch(r"/v1/batches/([\w-]+)(/cancel)?", path)
        if found and found.group(1) in self.batches:
            batch = self.batches[found.group(1)]
            if method == "POST" and found.group(2):
                self.calls["POST /v1/batches/cancel"] += 1
                if batch["status"] in ("validating", "in_progress", "finalizing"):
                    batch["status"] = "cancelling"
                    batch["cancelling_at"] = int(time.time())
                return 200, batch
            if method == "GET" and not found.group(2):
                self.calls["GET /v1/batches"] += 1
                return 200, batch
        found = re.fullmatch(r"/v1/files/([\w-]+)/content", path)
        if method == "GET" and found and found.group(1) in self.contents:
            self.calls["GET /v1/files/content"] += 1
            return 200, self.contents[found.group(1)]
        if method == "POST" and path == "/v1/chat/completions":
            self.calls["POST /v1/chat/completions"] += 1
            request = json.loads(body)
            self.chat_bodies.append(request)
            return 200, answer_for(request, broken=self.broken_sync)
        return 404, {"error": {"message": f"no route {method} {path}", "type": "invalid_request_error"}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self, method: str) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload = fake.handle(method, self.path.split("?")[0], self.headers, body)
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                kind = "application/octet-stream" if isinstance(payload, bytes) else "application/json"
                self.send_header("content-type", kind)
                self.send_header("content-length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                self._serve("GET")

            def do_POST(self) -> None:  # noqa: N802 - the http.server API
                self._serve("POST")

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def start(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _multipart(content_type: str, body: bytes) -> dict[str, tuple[bytes, str]]:
    """The fields of a multipart/form-data body: name -> (bytes, filename)."""
    message = email.message_from_bytes(b"content-type: " + content_type.encode() + b"\r\n\r\n" + body,
                                       policy=email.policy.HTTP)
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        fields[str(name)] = (part.get_payload(decode=True) or b"", part.get_filename() or "")
    return fields


@contextmanager
def fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    try:
        yield server
    finally:
        server.stop()
