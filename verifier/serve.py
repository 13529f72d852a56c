"""serve: the review page as a small local web application (`verifier serve`).

An editor pastes or uploads a draft and its sources; the check runs in a background thread with the
configured engine while the browser shows its progress; the result is the same page as
`--format html`, where each finding can be accepted or dismissed and the decisions downloaded as a
baseline file.

What the server will not do, on purpose:
- read a file named by the client: uploaded names are labels only, and sources are the uploaded
  texts (never `sources:` paths from front matter or sibling folders);
- accept a body over `max_upload` bytes, or answer a Host it was not bound for (DNS rebinding), or a
  cross-site POST;
- show a traceback: errors become a message on the page, details go to the server log.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any
from urllib.parse import parse_qs, urlsplit

from verifier.config import Settings
from verifier.errors import InputError, VerifierError
from verifier.extract import Progress

log = logging.getLogger("verifier.serve")

DEFAULT_MAX_UPLOAD = 5_000_000  # bytes per request: the draft and all its sources
MAX_JOBS = 50  # finished checks kept in memory; the oldest go first
FORMATS = {"text", "markdown", "html"}
_EXTENSIONS = {".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
_FORM_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; "
             "base-uri 'none'")


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
    stage: str = "starting"  # what the check is doing now, from the pipeline's progress
    sub: Submission | None = None  # what was sent, to fill the form again if the check fails

    @property
    def done(self) -> bool:
        return self.finished is not None

    def elapsed(self) -> float:
        return (self.finished or time.monotonic()) - self.started


# --------------------------------------------------------------------------- the request body


def parse_form(content_type: str, body: bytes) -> dict[str, list[tuple[str | None, bytes]]]:
    """Form fields by name: each value is (uploaded file name or None, bytes)."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        fields = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
        return {k: [(None, v.encode()) for v in vs] for k, vs in fields.items()}
    if not content_type.startswith("multipart/form-data"):
        raise RequestError("send the form as multipart/form-data", HTTPStatus.UNSUPPORTED_MEDIA_TYPE)
    head = b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n"
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise RequestError("the form data could not be read")
    out: dict[str, list[tuple[str | None, bytes]]] = {}
    for part in message.iter_parts():
        name = _field_name(part)
        if name:
            payload = part.get_payload(decode=True)
            out.setdefault(name, []).append((part.get_filename(), payload if isinstance(payload, bytes) else b""))
    return out


def _field_name(part: Message) -> str | None:
    name = part.get_param("name", header="content-disposition")
    return name if isinstance(name, str) else None


def decode_text(data: bytes, what: str, field: str | None = None) -> str:
    """Uploaded bytes as text: UTF-8 (a BOM is dropped), otherwise an error the page shows."""
    if b"\x00" in data:
        raise FormError(f"{what} looks like a binary file, not text", field)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormError(f"{what} is not UTF-8 text (byte {exc.start})", field) from exc


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
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    from verifier.load import _format_of  # the CLI's own guess for stdin, so both agree

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


def run_check(sub: Submission, settings: Settings, progress: Progress | None = None) -> str:
    """Check one submission and return its review page (raises VerifierError on bad input)."""
    from verifier import load, pipeline
    from verifier.render import RenderContext, html
    from verifier.sources import SourceDoc

    if len(sub.text.encode("utf-8")) > settings.max_bytes:
        raise InputError(f"the draft is larger than {settings.max_bytes} bytes")
    article = load.load_text(sub.text, path=None, fmt=sub.fmt, settings=settings)  # type: ignore[arg-type]
    docs = [SourceDoc(path=label, text=text) for label, text in sub.sources]
    # An explicit list, even empty: the pipeline must not look for sources named by the draft.
    report = pipeline.check_article(article, settings, source_docs=docs, progress=progress)
    info = report.article.model_copy(update={"path": sub.label})
    report = report.model_copy(update={"article": info})
    ctx = RenderContext(settings=settings, extra={"serve": {"new_url": "/"}})
    return html.render([pipeline.Result(report, article)], ctx)


def serve_settings(settings: Settings) -> Settings:
    """The server's settings with everything that would read files on behalf of a draft turned off."""
    return replace(settings, sources=[], source_map={}, changed_since=None, update_baseline=False)


# --------------------------------------------------------------------------- the server


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], settings: Settings,
                 max_upload: int = DEFAULT_MAX_UPLOAD) -> None:
        super().__init__(address, ReviewHandler)
        self.settings = serve_settings(settings)
        self.max_upload = max_upload
        self.jobs: OrderedDict[str, Job] = OrderedDict()
        self.lock = threading.Lock()

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
                  engine=self.settings.resolved_engine(), model=self.settings.model, sub=sub)
        with self.lock:
            self.jobs[job.id] = job
            while len(self.jobs) > MAX_JOBS:
                self.jobs.popitem(last=False)
        threading.Thread(target=self._run, args=(job, sub), daemon=True).start()
        return job

    def _run(self, job: Job, sub: Submission) -> None:
        try:
            job.page = run_check(sub, self.settings, progress=lambda stage: setattr(job, "stage", stage))
        except VerifierError as exc:
            job.error = str(exc)
            job.error_field = "draft" if isinstance(exc, InputError) else None
        except Exception:  # an unexpected failure: the page says so, the log keeps the details
            log.exception("check %s failed", job.id)
            job.error = "the check failed unexpectedly; the server log has the details"
        finally:
            job.finished = time.monotonic()

    def job(self, job_id: str) -> Job | None:
        with self.lock:
            return self.jobs.get(job_id)


class ReviewHandler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "verifier"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self._guarded(self._get)

    def do_POST(self) -> None:  # noqa: N802
        self._guarded(self._post)

    def _guarded(self, handle: Any) -> None:
        try:
            self._check_host()
            handle()
        except RequestError as exc:
            self._page(exc.status, "form.html", error=str(exc))
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
        origin = self.headers.get("Origin")
        if origin and origin != "null" and urlsplit(origin).netloc != self.headers.get("Host", ""):
            raise RequestError("cross-site form posts are refused", HTTPStatus.FORBIDDEN)

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise RequestError("the request has no Content-Length", HTTPStatus.LENGTH_REQUIRED)
        if int(length) > self.server.max_upload:
            self.close_connection = True  # the unread body must not be taken for a next request
            raise RequestError(f"the upload is larger than the limit of {self.server.max_upload:,} bytes",
                               HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        return self.rfile.read(int(length))

    # -- responses
    def _page(self, status: HTTPStatus, template: str, **values: Any) -> None:
        from verifier.render.html import environment

        values.setdefault("form", FormValues())
        values.setdefault("field", None)
        page = environment().get_template(template).render(
            settings=self.server.settings, max_upload=self.server.max_upload, **values)
        self._send(status, page, csp=_FORM_CSP)

    def _send(self, status: HTTPStatus, page: str, csp: str) -> None:
        data = page.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Content-Security-Policy", csp)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        log.info("%s %s", self.address_string(), format % args)


def make_server(host: str, port: int, settings: Settings,
                max_upload: int = DEFAULT_MAX_UPLOAD) -> ReviewServer:
    """A review server bound to host:port (port 0 picks a free one); call `serve_forever()`."""
    return ReviewServer((host, port), settings, max_upload)
