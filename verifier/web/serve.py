"""serve: the review page as a small local web application (`verifier serve`).

An editor pastes or uploads a draft and its sources; the check runs in a worker process with the
configured engine while the browser shows its progress; the result is the same page as
`--format html`, where each finding can be accepted or dismissed and the decisions downloaded as a
baseline file.

Under load (a newsroom sharing one server):
- checks run in a bounded pool of worker processes (`workers`), so one heavy draft never holds up
  the pages of the others, and each check has a time budget (`--timeout-per-article`);
- a finished result is kept until it has been read (and a few minutes more, for a reload, unless
  the memory is needed) or until its time to live runs out (`ttl`); the results and the submissions
  waiting for a worker share a memory budget (`memory`), and a submission that would exceed it is
  answered 503, never by dropping a result nobody has read;
- the listen backlog is 128, every connection has a timeout, and at most `max_connections` are
  served at once (the rest are answered 503 at once); a request's line and headers must arrive
  within `HEAD_TIME` (10 s) and the whole request within `REQUEST_TIME` (120 s, for a large
  upload on a slow line), so clients that trickle their headers free their slots in seconds;
- a client that disconnects is one line in the log.

What the server will not do, on purpose:
- read a file named by the client: uploaded names are labels only, and sources are the uploaded
  texts (never `sources:` paths from front matter or sibling folders);
- accept a body over `max_upload` bytes (the form checks the size in the browser first, so the
  form is not lost; a request over the limit is answered 413 unread, with a page that names the
  limit and says the browser's Back button keeps the form), or answer a Host it was not bound for (DNS rebinding), or a
  POST that does not come from its own page (an `Origin` of its own address, or, with no `Origin`
  or `Origin: null`, `Sec-Fetch-Site: same-origin`; a bare POST is refused);
- show a traceback: errors become a message on the page, details go to the server log.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import logging
import multiprocessing
import multiprocessing.util
import os
import re
import secrets
import socket
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from email.message import Message
from email.utils import collapse_rfc2231_value
from functools import cache
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup

from verifier.engines.extract import Progress
from verifier.model.config import Settings
from verifier.model.errors import InputError, VerifierError
from verifier.model.options import SUFFIXES
from verifier.run.context import RunContext
from verifier.run.deadline import deadline

log = logging.getLogger("verifier.serve")

DEFAULT_MAX_UPLOAD = 5_000_000  # bytes per request: the draft and all its sources
DEFAULT_TTL = 30 * 60.0  # seconds a finished, unread result is kept
READ_GRACE = 5 * 60.0  # seconds a result is kept after it was first read (a reload, a second tab)
DEFAULT_MEMORY = 256_000_000  # bytes of pending submissions and finished pages kept at once
DEFAULT_MAX_CONNECTIONS = 64  # connections served at once
CONNECTION_TIMEOUT = 30.0  # seconds a connection may sit idle between two pieces of its request
HEAD_TIME = 10.0  # seconds the request line and headers may take to arrive (a browser: milliseconds)
REQUEST_TIME = 120.0  # seconds a whole request (line, headers, body) may take to arrive
LISTEN_BACKLOG = 128
FORMATS = {"text", "markdown", "html"}
ALLOWED_METHODS = "GET, HEAD, POST"


@cache
def form_script_and_policy() -> tuple[Markup, str]:
    """The form page's script (the size check before sending) and a CSP that lets only it run."""
    from verifier.render.html import environment

    script = environment().get_template("form.js").render()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
           "img-src data:; form-action 'self'; base-uri 'none'")
    return Markup(script), csp


class FormError(InputError):
    """A form the check cannot run on; `field` names the form field the message belongs beside."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RequestError(VerifierError):
    """A request the server refuses; `status` is the HTTP status to answer with."""

    def __init__(self, message: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST) -> None:
        super().__init__(message)
        self.status = status


class TooLargeError(RequestError):
    """A request body over the upload limit (never read): `size` is its Content-Length."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"the upload is larger than the limit of {limit:,} bytes",
                         HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self.size = size
        self.limit = limit


@dataclass(slots=True)
class Submission:
    """What the editor sent: the draft, its format, a label for it, and the source texts."""

    text: str
    fmt: str
    label: str
    sources: list[tuple[str, str]] = field(default_factory=list)  # (label, text)


@dataclass(slots=True)
class FormValues:
    """What the form shows again after an error, so the editor loses nothing they sent."""

    draft: str = ""
    draft_name: str = ""  # the uploaded draft's label, kept when its text moves into the text box
    path: str = ""
    fmt: str = "auto"
    source_text: str = ""
    kept: list[tuple[str, str]] = field(default_factory=list)  # uploaded sources: (label, text)


@dataclass(slots=True)
class Job:
    id: str
    label: str
    engine: str
    model: str | None
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    page: str | None = None  # the review page once done
    error: str | None = None
    error_field: str | None = None  # the form field the error belongs beside
    stage: str = "waiting for a free worker"  # what the check is doing now (pipeline progress)
    sub: Submission | None = None  # what was sent, to fill the form again if the check fails
    size: int = 0  # bytes held for it: the submission while pending, then the page or message
    read_at: float | None = None  # when its result was first served

    @property
    def done(self) -> bool:
        return self.finished is not None

    def expired(self, now: float, ttl: float) -> bool:
        """Whether its result may go: read a while ago, or unread past its time to live."""
        if self.finished is None:
            return False
        if self.read_at is not None and now - self.read_at > min(READ_GRACE, ttl):
            return True
        return now - self.finished > ttl

    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started


# --------------------------------------------------------------------------- the request body


def parse_form(content_type: str, body: bytes) -> dict[str, list[tuple[str | None, bytes]]]:
    """Form fields by name: each value is (uploaded file name or None, bytes).

    Read in one pass over the body (a form of a million tiny parts, or a body of line breaks, costs
    no more than a draft of the same size), and at most `MAX_FIELDS` fields: the request thread
    must not hold the server for a minute on a hostile body."""
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind == "application/x-www-form-urlencoded":
        return _urlencoded(body)
    if kind != "multipart/form-data":
        raise RequestError("send the form as multipart/form-data", HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    out: dict[str, list[tuple[str | None, bytes]]] = {}
    for headers, payload in _parts(body, _boundary(content_type)):
        name, filename = _disposition(headers)
        if name:
            out.setdefault(name, []).append((filename, payload))
    return out


MAX_FIELDS = 1_000  # form fields (multipart parts) in one request
MAX_PART_HEADERS = 16_384  # bytes of one part's header block


_ESCAPE = re.compile(rb"%([0-9A-Fa-f]{2})")


def _urlencoded(body: bytes) -> dict[str, list[tuple[str | None, bytes]]]:
    """`application/x-www-form-urlencoded` fields (as `parse_qs` reads them, blanks kept), in
    one pass: `parse_qs` takes seconds on a body of five million `%` signs."""
    pairs = [pair for pair in body.split(b"&", MAX_FIELDS) if pair]
    if len(pairs) > MAX_FIELDS:
        raise RequestError(f"the form has more than {MAX_FIELDS:,} fields")
    out: dict[str, list[tuple[str | None, bytes]]] = {}
    for pair in pairs:
        key, _, value = pair.partition(b"=")
        name = _unquote_plus(key).decode("utf-8", "replace")
        text = _unquote_plus(value).decode("utf-8", "replace")
        out.setdefault(name, []).append((None, text.encode("utf-8")))
    return out


def _unquote_plus(data: bytes) -> bytes:
    return _ESCAPE.sub(lambda m: bytes((int(m[1], 16),)), data.replace(b"+", b" "))


def _boundary(content_type: str) -> bytes:
    """The multipart boundary of a Content-Type (RFC 2046: 1 to 70 characters)."""
    header = Message()
    header["Content-Type"] = content_type
    boundary = header.get_param("boundary")
    if not isinstance(boundary, str) or not 1 <= len(boundary) <= 70 or not boundary.isascii() \
            or any(ch in boundary for ch in "\r\n"):
        raise RequestError("the form data could not be read (no usable multipart boundary)")
    return boundary.encode("ascii")


def _parts(body: bytes, boundary: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(header block, content) of each part of a multipart body, found with `bytes.find` only."""
    delimiter = b"--" + boundary
    if body.startswith(delimiter):
        pos = 0
    else:  # a preamble before the first delimiter
        pos = body.find(b"\r\n" + delimiter)
        if pos < 0:
            raise RequestError("the form data could not be read (no part starts with its boundary)")
        pos += 2
    count = 0
    while True:
        pos += len(delimiter)
        if body.startswith(b"--", pos):  # the closing delimiter
            return
        line_end = body.find(b"\r\n", pos)
        if line_end < 0 or body[pos:line_end].strip(b" \t"):
            raise RequestError("the form data could not be read (a boundary line is broken)")
        count += 1
        if count > MAX_FIELDS:
            raise RequestError(f"the form has more than {MAX_FIELDS:,} fields")
        start = line_end + 2
        if body.startswith(b"\r\n", start):  # a part without headers
            head, content_start = b"", start + 2
        else:
            head_end = body.find(b"\r\n\r\n", start, start + MAX_PART_HEADERS)
            if head_end < 0:
                raise RequestError("the form data could not be read (a part's headers do not end)")
            head, content_start = body[start:head_end], head_end + 4
        end = body.find(b"\r\n" + delimiter, content_start)
        if end < 0:
            raise RequestError("the form data could not be read (it ends before its closing boundary)")
        yield head, body[content_start:end]
        pos = end + 2


def _disposition(head: bytes) -> tuple[str | None, str | None]:
    """(field name, file name) from a part's Content-Disposition header."""
    for line in head.decode("utf-8", "replace").split("\r\n"):
        key, sep, value = line.partition(":")
        if sep and key.strip().lower() == "content-disposition":
            header = Message()
            header["Content-Disposition"] = value.strip()
            name = header.get_param("name", header="content-disposition")
            if isinstance(name, tuple):  # name*=charset'lang'value
                name = collapse_rfc2231_value(name)
            filename = header.get_filename()
            return (name if isinstance(name, str) else None), filename
    return None, None


def decode_text(data: bytes, what: str, field: str | None = None) -> str:
    """Uploaded bytes as text, decoded as the command line decodes files (UTF-8, UTF-8 or UTF-16
    with a BOM, which is dropped), otherwise an error the page shows beside `field`."""
    from verifier.ingest import textfile

    try:
        return textfile.decode(data, what, what=what)[0]
    except InputError as exc:
        raise FormError(exc.message, field) from None


def safe_label(name: str | None, fallback: str) -> str:
    """A display label from a client-side file name: its last component only, never opened."""
    if not name:
        return fallback
    base = PureWindowsPath(PurePosixPath(name).name).name.strip()
    return "".join(ch for ch in base if ch.isprintable())[:200] or fallback


def submission(fields: dict[str, list[tuple[str | None, bytes]]]) -> Submission:
    """The draft and sources from the form: an uploaded file wins over pasted text."""
    upload = [(n, d) for n, d in fields.get("draft_file", []) if d]
    pasted = b"".join(d for _, d in fields.get("draft", []))
    if upload:
        name, data = upload[0]
        text = decode_text(data, "the uploaded draft", "draft_file")
    elif pasted.strip():
        name = _first(fields, "draft_name") or None  # an upload kept in the text box after an error
        text = decode_text(pasted, "the pasted draft", "draft").replace("\r\n", "\n")
    else:
        raise FormError("paste a draft or choose a file to upload", "draft")
    if not text.strip():
        raise FormError("the draft is empty", "draft")
    label = _first(fields, "path").strip() or safe_label(name, "draft")
    return Submission(text=text, fmt=_format(_first(fields, "format"), name, text), label=label[:200],
                      sources=_sources(fields))


def form_values(fields: dict[str, list[tuple[str | None, bytes]]]) -> FormValues:
    """The form as sent, for showing it again: an uploaded draft or source that is readable text
    is kept as text (a browser cannot refill a file input)."""
    values = FormValues(path=_first(fields, "path"), fmt=_first(fields, "format") or "auto",
                        source_text=_first(fields, "source_text"),
                        draft=b"".join(d for _, d in fields.get("draft", [])).decode("utf-8", "replace"),
                        draft_name=_first(fields, "draft_name"))
    for name, data in fields.get("draft_file", []):
        text = _readable(data)
        if text is not None and text.strip():
            values.draft, values.draft_name = text, safe_label(name, "draft")
    for label, text in _kept_sources(fields):
        values.kept.append((label, text))
    for i, (name, data) in enumerate(fields.get("source_files", []), start=1):
        text = _readable(data)
        if text is not None and text.strip():
            values.kept.append((safe_label(name, f"source {i}"), text))
    return values


def submitted_values(sub: Submission) -> FormValues:
    """The form again for a submission whose check failed."""
    pasted = [text for label, text in sub.sources if label == "pasted source"]
    return FormValues(draft=sub.text, path=sub.label if sub.label != "draft" else "", fmt=sub.fmt,
                      source_text=pasted[0] if pasted else "",
                      kept=[(label, text) for label, text in sub.sources if label != "pasted source"])


def _readable(data: bytes) -> str | None:
    try:
        return decode_text(data, "upload") if data else None
    except InputError:
        return None


def _kept_sources(fields: dict[str, list[tuple[str | None, bytes]]]) -> list[tuple[str, str]]:
    """Sources uploaded with a form that came back with an error, and still ticked."""
    out = []
    for _, index in fields.get("kept_source", []):
        i = index.decode("ascii", "replace")
        label, text = _first(fields, f"kept_source_label_{i}"), _first(fields, f"kept_source_text_{i}")
        if text.strip():
            out.append((safe_label(label, f"source {i}"), text.replace("\r\n", "\n")))
    return out


def _first(fields: dict[str, list[tuple[str | None, bytes]]], name: str) -> str:
    values = fields.get(name)
    return values[0][1].decode("utf-8", "replace") if values else ""


def _format(chosen: str, filename: str | None, text: str = "") -> str:
    """The chosen format; else the file name's; else what the text looks like (a pasted draft)."""
    if chosen in FORMATS:
        return chosen
    suffix = PurePosixPath(filename or "").suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    from verifier.ingest.load import _format_of  # the CLI's own guess for stdin, so both agree

    return _format_of(None, text)


def _sources(fields: dict[str, list[tuple[str | None, bytes]]]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = _kept_sources(fields)
    for i, (name, data) in enumerate(fields.get("source_files", []), start=1):
        if data:
            label = safe_label(name, f"source {i}")
            out.append((label, decode_text(data, f"source {label}", "source_files")))
    pasted = _first(fields, "source_text").replace("\r\n", "\n")
    if pasted.strip():
        out.append(("pasted source", pasted))
    return out


# --------------------------------------------------------------------------- the check


def run_check(sub: Submission, settings: Settings, progress: Progress | None = None,
              run: RunContext | None = None) -> str:
    """Check one submission and return its review page (raises VerifierError on bad input).
    `run` is the server's (one per worker process): its extractor serves every submission."""
    from verifier.ingest import load
    from verifier.ingest.sources import SourceDoc
    from verifier.render import RenderContext, html
    from verifier.run import pipeline

    if len(sub.text.encode("utf-8")) > settings.max_bytes:
        raise InputError(f"the draft is larger than {settings.max_bytes} bytes")
    article = load.load_text(sub.text, path=None, fmt=sub.fmt)  # type: ignore[arg-type]
    docs = [SourceDoc(path=label, text=text) for label, text in sub.sources]
    # An explicit list, even empty: the pipeline must not look for sources named by the draft.
    report = pipeline.check_article(article, settings, source_docs=docs, progress=progress, run=run)
    info = report.article.model_copy(update={"path": sub.label})
    report = report.model_copy(update={"article": info})
    ctx = RenderContext(settings=settings, extra={"serve": {"new_url": "/"}})
    return html.render([pipeline.Result(report, article)], ctx)


def serve_settings(settings: Settings) -> Settings:
    """The server's settings with everything that would read files on behalf of a draft turned off."""
    return settings.model_copy(update={"sources": [], "source_map": {}, "changed_since": None,
                                       "update_baseline": False})


# --------------------------------------------------------------------------- the server


Outcome = tuple[str | None, str | None, str | None]  # page, error message, the field it concerns


def submission_size(sub: Submission) -> int:
    """About the bytes a submission holds in memory."""
    return len(sub.text) + sum(len(label) + len(text) for label, text in sub.sources)


class JobStore:
    """The checks the server knows of, by id, within a memory budget.

    A pending check holds its submission's size, a finished one its page's. Results go when they
    expire (`Job.expired`), or, when a new submission does not fit, those already read go first; a
    submission that does not fit even then is refused with 503, so a result is never dropped before
    its reader came for it or its time to live ran out.
    """

    def __init__(self, ttl: float = DEFAULT_TTL, memory: int = DEFAULT_MEMORY) -> None:
        self.ttl = ttl
        self.memory = memory
        self.jobs: dict[str, Job] = {}
        self.held = 0
        self.lock = threading.Lock()

    def add(self, job: Job) -> None:
        with self.lock:
            self._sweep()
            if self.held + job.size > self.memory:
                self._make_room(job.size)
            if self.held + job.size > self.memory and self.jobs:
                raise RequestError("the server is busy with other checks; try again in a minute",
                                   HTTPStatus.SERVICE_UNAVAILABLE)
            self.jobs[job.id] = job
            self.held += job.size

    def finish(self, job: Job, outcome: Outcome) -> None:
        page, error, error_field = outcome
        with self.lock:
            if page is not None:
                job.sub = None  # only a failed check gives its form back
            size = len(page.encode("utf-8")) if page is not None else len(error or "")
            size += submission_size(job.sub) if job.sub is not None else 0
            self.held += size - job.size
            job.size, job.page, job.error, job.error_field = size, page, error, error_field
            job.finished = time.monotonic()

    def get(self, job_id: str) -> Job | None:
        with self.lock:
            self._sweep()
            job = self.jobs.get(job_id)
            if job is not None and job.done and job.read_at is None:
                job.read_at = time.monotonic()
            return job

    def _make_room(self, size: int) -> None:
        """Drop results already read, the longest-read first, until `size` more bytes fit."""
        read = sorted((job for job in self.jobs.values() if job.read_at is not None),
                      key=lambda job: job.read_at or 0.0)
        for job in read:
            if self.held + size <= self.memory:
                return
            self.held -= self.jobs.pop(job.id).size

    def _sweep(self) -> None:
        now = time.monotonic()
        for job_id in [k for k, job in self.jobs.items() if job.expired(now, self.ttl)]:
            self.held -= self.jobs.pop(job_id).size


class Checker:
    """Runs checks: in a bounded pool of worker processes (`workers` >= 1), or, with `workers=0`,
    in threads of this process (for tests that replace `run_check`)."""

    def __init__(self, settings: Settings, workers: int | None) -> None:
        self.settings = settings
        count = workers if workers is not None else min(4, os.cpu_count() or 1)
        self.in_process = count == 0
        self.stages: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.pool: Executor
        self.run: RunContext | None = None
        if self.in_process:
            self.pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="verifier-check")
            self.run = RunContext(settings)  # the worker processes have one each
            return
        self.count = count
        self.context = multiprocessing.get_context("spawn")  # a fork would copy the server's threads
        self.progress: Any = self.context.Queue()
        self.pool = self._processes()
        threading.Thread(target=self._read_progress, daemon=True, name="verifier-progress").start()

    def _processes(self) -> ProcessPoolExecutor:
        """The pool, its workers started now: each imports the product and makes its engine (a
        few seconds), which the first editor's check would otherwise wait for ("waiting for a
        free worker" on an idle server)."""
        pool = ProcessPoolExecutor(max_workers=self.count, mp_context=self.context,
                                   initializer=_start_worker, initargs=(self.settings, self.progress))
        for _ in range(self.count):  # one worker is started per task while none is idle
            pool.submit(_ready)
        return pool

    def submit(self, job: Job, sub: Submission, store: JobStore) -> None:
        def done(future: Future[Outcome]) -> None:
            with self.lock:
                self.stages.pop(job.id, None)
            try:
                outcome = future.result()
            except Exception:  # a worker that died (killed, out of memory): the log has it
                log.exception("check %s failed", job.id)
                outcome = (None, "the check failed unexpectedly; the server log has the details", None)
            store.finish(job, outcome)

        with self.lock:
            self.stages[job.id] = job
        if self.in_process:
            future = self.pool.submit(_check_here, sub, self.settings,
                                      lambda stage: setattr(job, "stage", stage), self.run)
        else:
            try:
                future = self.pool.submit(_check_in_worker, job.id, sub)
            except BrokenProcessPool:  # a worker was killed (out of memory, by hand): start anew
                log.warning("a check worker died; starting a new pool")
                with self.lock:
                    self.pool = self._processes()
                future = self.pool.submit(_check_in_worker, job.id, sub)
        future.add_done_callback(done)

    def _read_progress(self) -> None:
        while True:
            try:
                item = self.progress.get()
            except (EOFError, OSError, ValueError):
                return
            if item is None:
                return
            job_id, stage = item
            with self.lock:
                job = self.stages.get(job_id)
            if job is not None:
                job.stage = stage

    def close(self) -> None:
        """Stop: queued checks are cancelled, and worker processes are ended, not left behind
        (a check in progress could run for its whole time budget)."""
        # the pool forgets its processes on shutdown: take them first
        processes = list((getattr(self.pool, "_processes", None) or {}).values())
        self.pool.shutdown(wait=False, cancel_futures=True)
        if self.run is not None:
            self.run.close()
        if not self.in_process:
            for process in processes:
                with contextlib.suppress(OSError, AttributeError):
                    process.terminate()
            with contextlib.suppress(OSError, ValueError):
                self.progress.put(None)


def _check_here(sub: Submission, settings: Settings, progress: Progress,
                run: RunContext | None = None) -> Outcome:
    """One check: (page, None, None), or (None, the message the page shows, the form field it
    belongs beside)."""
    try:
        with deadline(settings.timeout_per_article, sub.label):
            return run_check(sub, settings, progress=progress, run=run), None, None
    except VerifierError as exc:
        return None, str(exc), "draft" if isinstance(exc, InputError) else None
    except Exception:  # unexpected: the page says so, the log keeps the details
        log.exception("check of %s failed", sub.label)
        return None, "the check failed unexpectedly; the server log has the details", None


_worker: tuple[Settings, Any, RunContext] | None = None  # a worker's settings, progress queue, run


def _ready() -> None:
    """Nothing: the task that starts a worker before any check (`Checker._processes`)."""


def _start_worker(settings: Settings, progress: Any) -> None:
    global _worker
    run = RunContext(settings)
    multiprocessing.util.Finalize(run, run.close, exitpriority=10)  # closed when the worker exits
    _worker = (settings, progress, run)
    logging.basicConfig(level=logging.INFO, format="verifier serve worker: %(message)s")
    # imported now, not inside the first check's time budget
    from verifier.ingest import load  # noqa: F401
    from verifier.render import html  # noqa: F401
    from verifier.run import pipeline  # noqa: F401


def _check_in_worker(job_id: str, sub: Submission) -> Outcome:
    """`_check_here` in a worker process, its progress sent back to the server."""
    if _worker is None:
        raise RuntimeError("worker not started")
    settings, progress, run = _worker
    return _check_here(sub, settings, lambda stage: progress.put((job_id, stage)), run)


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = LISTEN_BACKLOG  # socketserver's default of 5 makes a busy client retry SYNs

    def __init__(self, address: tuple[str, int], settings: Settings,
                 max_upload: int = DEFAULT_MAX_UPLOAD, *, workers: int | None = None,
                 ttl: float = DEFAULT_TTL, memory: int = DEFAULT_MEMORY,
                 max_connections: int = DEFAULT_MAX_CONNECTIONS) -> None:
        super().__init__(address, ReviewHandler)
        self.settings = serve_settings(settings)
        self.max_upload = max_upload
        self.store = JobStore(ttl, memory)
        self.checker = Checker(self.settings, workers)
        self.connections = threading.BoundedSemaphore(max_connections)

    @property
    def url(self) -> str:
        host, port = str(self.server_address[0]), int(self.server_address[1])
        shown = host if ":" not in host else f"[{host}]"
        return f"http://{shown}:{port}/"

    def allowed_hosts(self) -> set[str] | None:
        """Host headers accepted: the loopback names, when bound to loopback (None = any)."""
        host, port = str(self.server_address[0]), int(self.server_address[1])
        if host not in ("127.0.0.1", "::1", "localhost"):
            return None
        return {f"{name}:{port}" for name in ("127.0.0.1", "localhost", "[::1]")}

    def start(self, sub: Submission) -> Job:
        job = Job(id=secrets.token_urlsafe(12), label=sub.label,
                  engine=self.settings.resolved_engine(), model=self.settings.model, sub=sub,
                  size=submission_size(sub))
        self.store.add(job)
        self.checker.submit(job, sub, self.store)
        return job

    def job(self, job_id: str) -> Job | None:
        return self.store.get(job_id)

    # -- connections
    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.connections.acquire(blocking=False):
            log.warning("%s: refused, %s connections already open", client_address[0],
                        DEFAULT_MAX_CONNECTIONS)
            with contextlib.suppress(OSError):
                request.sendall(b"HTTP/1.0 503 Service Unavailable\r\nRetry-After: 1\r\n"
                                b"Content-Length: 0\r\nConnection: close\r\n\r\n")
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self.connections.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.connections.release()

    def handle_error(self, request: Any, client_address: Any) -> None:
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            log.info("%s: connection closed early (%s)", client_address[0], type(exc).__name__)
            return
        log.exception("request from %s failed", client_address[0])

    def server_close(self) -> None:
        super().server_close()
        checker = getattr(self, "checker", None)  # absent when binding the address failed
        if checker is not None:
            checker.close()


class ReviewHandler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "verifier"
    sys_version = ""
    timeout = CONNECTION_TIMEOUT  # an idle connection is closed, its thread freed

    def setup(self) -> None:
        """The connection, and limits on the time its request takes to arrive: a client that
        trickles a byte now and then (never idle for `timeout`) would otherwise hold one of the
        `max_connections` for as long as it likes. The request line and headers have `HEAD_TIME`
        (a browser sends them at once), the whole request `REQUEST_TIME` (the body of a large
        upload may take a while). One request per connection (HTTP/1.0)."""
        super().setup()
        self._head = self._timer(HEAD_TIME, "request line and headers")
        self._arrival = self._timer(REQUEST_TIME, "request")

    def _timer(self, seconds: float, what: str) -> threading.Timer:
        timer = threading.Timer(seconds, self._too_slow, (what, seconds))
        timer.daemon = True
        timer.start()
        return timer

    def _arrived(self) -> None:
        self._head.cancel()
        self._arrival.cancel()

    def _too_slow(self, what: str, seconds: float) -> None:
        log.info("%s: %s not in after %.0f s; connection closed", self.client_address[0], what, seconds)
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def finish(self) -> None:
        self._arrived()
        super().finish()

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._guarded(self._get)

    def do_HEAD(self) -> None:  # noqa: N802
        self._guarded(self._get)  # `_send` writes the headers only

    def do_POST(self) -> None:  # noqa: N802
        self._guarded(self._post)

    def parse_request(self) -> bool:
        """http.server's reading of the request line and headers, less HTTP/0.9 (a request with
        no headers, so no Host to check, answered with a page without a status line)."""
        if not super().parse_request():
            return False
        self._head.cancel()  # the line and headers are in; the body has the rest of REQUEST_TIME
        if self.request_version == "HTTP/0.9":
            self.request_version = "HTTP/1.0"  # so that the refusal has a status line
            self.send_error(HTTPStatus.BAD_REQUEST, "HTTP/0.9 requests are not served")
            return False
        if self.command != "POST":
            self._arrived()  # the rest of a GET is ours to send
        return True

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (a malformed request line, a line or headers too long, an
        unknown method) as this server's page, with its security headers; an unknown method is
        405 with the methods it serves."""
        status = HTTPStatus(code)
        headers = {}
        if self.request_version == "HTTP/0.9":  # a request line it could not read
            self.request_version = "HTTP/1.0"
        if status == HTTPStatus.NOT_IMPLEMENTED and (message or "").startswith("Unsupported method"):
            status, headers["Allow"] = HTTPStatus.METHOD_NOT_ALLOWED, ALLOWED_METHODS
            message = f"this server answers {ALLOWED_METHODS} requests only, not {self.command}"
        self.close_connection = True
        self._page(status, "form.html", error=message or status.phrase, headers=headers)

    def version_string(self) -> str:
        return self.server_version

    def _guarded(self, handle: Any) -> None:
        try:
            self._check_host()
            handle()
        except (ConnectionError, TimeoutError) as exc:  # the client went away: nobody to answer
            self.close_connection = True
            log.info("%s: %s %s: connection closed early (%s)", self.address_string(),
                     self.command, self.path, type(exc).__name__)
        except RequestError as exc:
            self._refuse(exc)
        except Exception:
            log.exception("request %s %s failed", self.command, self.path)
            self._page(HTTPStatus.INTERNAL_SERVER_ERROR, "form.html",
                       error="something went wrong; the server log has the details")

    def _check_host(self) -> None:
        allowed = self.server.allowed_hosts()
        if allowed is not None and self.headers.get("Host", "") not in allowed:
            raise RequestError("this server answers only on its own address", HTTPStatus.MISDIRECTED_REQUEST)

    def _get(self) -> None:
        path = urlsplit(self.path).path
        if path == "/":
            self._page(HTTPStatus.OK, "form.html", error=None)
        elif path.startswith("/job/"):
            self._job(path.removeprefix("/job/"))
        else:
            raise RequestError("no such page", HTTPStatus.NOT_FOUND)

    def _job(self, job_id: str) -> None:
        job = self.server.job(job_id)
        if job is None:
            raise RequestError("no such check (the server may have restarted)", HTTPStatus.NOT_FOUND)
        if job.page is not None:
            from verifier.render.html import script_and_policy

            self._send(HTTPStatus.OK, job.page, csp=script_and_policy()[2])
        elif job.error is not None:
            values = submitted_values(job.sub) if job.sub else FormValues()
            self._page(HTTPStatus.UNPROCESSABLE_ENTITY, "form.html", error=job.error,
                       field=job.error_field, form=values)
        else:
            self._page(HTTPStatus.OK, "progress.html", job=job, elapsed=f"{job.elapsed():.0f}")

    def _post(self) -> None:
        if urlsplit(self.path).path != "/check":
            raise RequestError("no such page", HTTPStatus.NOT_FOUND)
        self._check_origin()
        body = self._read_body()
        self._arrived()
        fields = parse_form(self.headers.get("Content-Type", ""), body)
        try:
            sub = submission(fields)
        except RequestError:
            raise
        except VerifierError as exc:
            self._page(HTTPStatus.UNPROCESSABLE_ENTITY, "form.html", error=str(exc),
                       field=getattr(exc, "field", None), form=form_values(fields))
            return
        job = self.server.start(sub)
        self.send_response(HTTPStatus.SEE_OTHER)
        self.send_header("Location", f"/job/{job.id}")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _check_origin(self) -> None:
        """A POST must come from this server's own page: an `Origin` of its own address, or (from
        a browser that sends none) `Sec-Fetch-Site: same-origin`. `Origin: null` (a sandboxed
        frame, a redirect chain, a file: page) and a bare POST are refused."""
        origin = self.headers.get("Origin")
        if origin is not None and origin != "null":
            parts = urlsplit(origin)
            if parts.scheme != "http" or parts.netloc != self.headers.get("Host", ""):
                raise RequestError("cross-site form posts are refused", HTTPStatus.FORBIDDEN)
            return
        # no Origin, or `null` (what a page with `Referrer-Policy: no-referrer` sends even to
        # itself): only the browser's own word that the post is same-origin will do
        if self.headers.get("Sec-Fetch-Site", "").strip().lower() != "same-origin":
            raise RequestError("form posts must come from this page (no usable Origin header)",
                               HTTPStatus.FORBIDDEN)

    def _read_body(self) -> bytes:
        """The body, exactly Content-Length bytes. Refused unread (and the connection closed, so
        that an unread body is never taken for a next request): a chunked body, no length, two
        lengths, a length that is not a number, one over the limit; a body that ends before its
        length is refused too, not checked as the part that came."""
        lengths = self.headers.get_all("Content-Length") or []
        if self.headers.get("Transfer-Encoding") is not None:
            self.close_connection = True
            raise RequestError("send the form with a Content-Length, not a Transfer-Encoding",
                               HTTPStatus.LENGTH_REQUIRED)
        if not lengths:
            raise RequestError("the request has no Content-Length", HTTPStatus.LENGTH_REQUIRED)
        length = lengths[0].strip()
        if not (length.isascii() and length.isdigit()) or len(lengths) > 1:
            self.close_connection = True
            raise RequestError("the Content-Length is not one number of bytes")
        if int(length) > self.server.max_upload:
            self.close_connection = True
            raise TooLargeError(int(length), self.server.max_upload)
        body = self.rfile.read(int(length))
        if len(body) < int(length):
            self.close_connection = True
            raise RequestError(f"the request ended after {len(body):,} of its {int(length):,} bytes")
        return body

    # -- responses
    def _refuse(self, exc: RequestError) -> None:
        if exc.status == HTTPStatus.SERVICE_UNAVAILABLE:
            self.close_connection = True
        if isinstance(exc, TooLargeError):  # the form is in the browser's history, not here
            self._page(exc.status, "too_large.html", size=exc.size, limit=exc.limit)
            return
        self._page(exc.status, "form.html", error=str(exc))

    def _page(self, status: HTTPStatus, template: str, headers: dict[str, str] | None = None,
              **values: Any) -> None:
        from verifier.render.html import environment

        values.setdefault("form", FormValues())
        values.setdefault("field", None)
        script, csp = form_script_and_policy()
        page = environment().get_template(template).render(
            settings=self.server.settings, max_upload=self.server.max_upload, form_script=script,
            **values)
        self._send(status, page, csp=csp, headers=headers)

    def _send(self, status: HTTPStatus, page: str, csp: str, headers: dict[str, str] | None = None) -> None:
        """A page with the server's security headers: the CSP, no sniffing, no framing by other
        sites (the CSP's `frame-ancestors`, and X-Frame-Options for browsers without it), no
        referrer to other sites, no caching."""
        data = page.encode("utf-8")
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Security-Policy", f"{csp}; frame-ancestors 'none'")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("X-Frame-Options", "DENY")
        # same-origin, not no-referrer: a same-origin form post then carries its real Origin
        self.send_header("Referrer-Policy", "same-origin")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        log.info("%s %s", self.address_string(), format % args)


def make_server(host: str, port: int, settings: Settings,
                max_upload: int = DEFAULT_MAX_UPLOAD, **options: Any) -> ReviewServer:
    """A review server bound to host:port (port 0 picks a free one); call `serve_forever()`.
    `options`: `workers`, `ttl`, `memory`, `max_connections` (see `ReviewServer`)."""
    return ReviewServer((host, port), settings, max_upload, **options)
