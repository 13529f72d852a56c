"""Fuzz `verifier serve` over real HTTP: the server started as a user starts it, hostile requests.

    python scripts/fuzz_serve.py                       # 300 cases, seed 1
    python scripts/fuzz_serve.py --seconds 300 --seed 4

The server is `python -m verifier.cli serve --port 0` (the rules engine, one worker, a 200,000-byte
upload limit) started in a folder of its own that holds a file `secret.txt`; cases are sent over
raw sockets to 127.0.0.1. Kinds of case:

- `form`: a form post as a browser sends it (multipart, sometimes urlencoded) of a draft from
  `scripts/fuzz.py` with the payloads of `scripts/fuzz_surfaces.py` put in (`<script>`,
  `javascript:` links, `{{ }}`, bidi, `</textarea>`), uploaded under odd file names (`../../secret.txt`,
  NUL, CR LF, invalid UTF-8, payloads) in odd encodings (UTF-16 with and without a BOM, UTF-32,
  invalid UTF-8, NUL bytes, Latin-1), with a front matter or path that names `secret.txt`, and
  sources; the check is followed to its page.
- `raw`: a request with one or more things wrong: an unknown or malformed method, path traversal
  (`/../`, `%2e%2e`, `//`, an absolute URI, NUL), an odd HTTP version, a missing or foreign Host,
  a foreign Origin, Content-Length lies (short, long, negative, huge, two of them, with
  Transfer-Encoding), wrong content types, a broken multipart body, a body of many parts, a
  header line without a colon, a long header.
- `slow`: connections that send part of a request and stall while other requests are answered.
- `burst`: 10 to 80 hostile requests at once.

Every case asserts: an answer with a status line (none only for a request of no bytes); the status
is a 2xx, 303 or 4xx, or 503 when busy, never a 500; an HTML answer carries the security headers
(CSP with `frame-ancestors 'none'`, `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY`,
`Referrer-Policy`, `Cache-Control: no-store`) and a Content-Length equal to its body; a 4xx page
says why (`role="alert"`, or the too-large page); no answer holds a traceback or the text of
`secret.txt`; a finished check's page is parsed and holds no element, attribute, link or script that
came from the input (`fuzz_surfaces._html_ok`), a form page only the form's own; after each case the
server answers `GET /` within 10 s; and its log (stderr) has no traceback. At the start: it
listens on 127.0.0.1 only (/proc/net/tcp), as the default.

Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import fuzz  # noqa: E402
import fuzz_surfaces  # noqa: E402
from fuzz import Failure  # noqa: E402

MAX_UPLOAD = 200_000
SEEN: Counter[str] = Counter()  # answers by kind of case and status, and pages by kind, for the summary
SECRET = "verifier-fuzz-secret-4f1c9a"  # the text of secret.txt: it must never be in an answer
SECURITY = {"content-security-policy": "frame-ancestors 'none'", "x-content-type-options": "nosniff",
            "x-frame-options": "DENY", "referrer-policy": "", "cache-control": "no-store"}
ALLOWED = {200, 303, 400, 403, 404, 405, 411, 413, 414, 415, 421, 422, 431, 503, 505}
TRAVERSAL = ["/../../etc/passwd", "/job/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "//etc/passwd",
             "/job/%2e%2e%2fsecret.txt", "/secret.txt", "/./secret.txt", "/job/..%5csecret.txt",
             "http://evil.example/", "http://127.0.0.1/../secret.txt", "*", "/\x00", "/job/\x00secret",
             "/static/../secret.txt", "/favicon.ico", "/ja%ZZ", "/job/", "/job", "/check/../secret.txt",
             "/?file=secret.txt", "/%00", "/job/" + "a" * 3000, "\\..\\secret.txt", "/;/secret.txt"]
FILE_NAMES = ["draft.md", "../../secret.txt", "/etc/passwd", "C:\\Users\\x\\..\\secret.txt", "a\x00b.txt",
              "line\r\nbreak.md", "..", ".", "", " ", "\u202eevil.txt", "secret.txt", "x" * 300 + ".md",
              "%2e%2e%2fsecret.txt", *fuzz_surfaces.NAMES]
METHODS = ["PUT", "DELETE", "OPTIONS", "TRACE", "CONNECT", "PATCH", "FOO", "get", "G\x00T", "POST POST",
           "", "\u00e9T", "GET\tGET"]
VERSIONS = ["HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.1x", "HTTP/1", "", "HTTP/1.1 extra", "http/1.1"]
CONTENT_TYPES = ["text/plain", "", "application/json", "multipart/form-data", "multipart/form-data; boundary=",
                 "multipart/form-data; boundary=\"\"", "multipart/form-data; boundary=" + "b" * 80,
                 "multipart/mixed; boundary=x", "application/x-www-form-urlencoded; charset=utf-16",
                 "MULTIPART/FORM-DATA; BOUNDARY=x", "multipart/form-data; boundary=x; boundary=y",
                 "multipart/form-data; boundary=\u00e9"]


# --------------------------------------------------------------------------- the server


@dataclass
class Target:
    """A running server: its address, and how to read its log since a mark."""

    host: str
    port: int
    log: Callable[[], str]


@contextlib.contextmanager
def started_server(workers: int = 1) -> Iterator[Target]:
    """`verifier serve --port 0` in a temporary folder holding `secret.txt`, stopped on leaving."""
    with tempfile.TemporaryDirectory(prefix="fuzz-serve-") as folder:
        Path(folder, "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VERIFIER_", "OPENAI_"))}
        env["PYTHONPATH"] = str(ROOT)
        process = subprocess.Popen(
            [sys.executable, "-m", "verifier.cli", "serve", "--port", "0", "--engine", "rules",
             "--workers", str(workers), "--max-upload", str(MAX_UPLOAD)],
            cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
        lines: list[str] = []
        ready = threading.Event()

        def read() -> None:
            assert process.stderr is not None
            for line in process.stderr:
                lines.append(line)
                if "review page at" in line:
                    ready.set()
            ready.set()

        threading.Thread(target=read, daemon=True).start()
        try:
            if not ready.wait(60) or not any("review page at" in line for line in lines):
                raise RuntimeError("the server did not start:\n" + "".join(lines))
            url = re.search(r"review page at http://([^/]+):(\d+)/", "".join(lines))
            assert url is not None
            yield Target(url[1], int(url[2]), lambda: "".join(lines))
        finally:
            process.terminate()
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def listens_on_loopback_only(port: int) -> Failure | None:
    """The socket listening on `port` is bound to 127.0.0.1 (read from /proc/net/tcp{,6})."""
    local = []
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for row in Path(name).read_text().splitlines()[1:]:
                cols = row.split()
                address, _, hexport = cols[1].partition(":")
                if int(hexport, 16) == port and cols[3] == "0A":  # LISTEN
                    local.append(address)
    if not local:
        return None  # no /proc here: nothing to say
    if local != ["0100007F"]:
        return Failure("invariant", "the server listens beyond 127.0.0.1 by default", repr(local))
    return None


# --------------------------------------------------------------------------- requests


@dataclass
class Answer:
    raw: bytes
    seconds: float
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""

    @classmethod
    def parse(cls, raw: bytes, seconds: float) -> Answer:
        answer = cls(raw, seconds)
        head, sep, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        match = re.match(r"HTTP/1\.[01] (\d{3}) ", lines[0] + " ")
        if sep and match:
            answer.status = int(match[1])
            for line in lines[1:]:
                name, _, value = line.partition(":")
                answer.headers[name.strip().lower()] = value.strip()
            answer.body = body
        return answer


def exchange(target: Target, data: bytes, timeout: float = 30, chunks: int = 1) -> Answer:
    """Send `data` (in `chunks` pieces), shut the sending side, read the answer to its end."""
    started = time.perf_counter()
    with socket.create_connection((target.host, target.port), timeout=timeout) as conn:
        with contextlib.suppress(OSError):  # the server may answer and close before all is sent
            step = max(1, len(data) // chunks)
            for at in range(0, len(data), step):
                conn.sendall(data[at:at + step])
            conn.shutdown(socket.SHUT_WR)
        raw = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := conn.recv(65536):
                raw += chunk
    return Answer.parse(raw, time.perf_counter() - started)


def request(target: Target, method: str, path: str, headers: dict[str, str] | None = None,
            body: bytes = b"") -> bytes:
    """The bytes of a well-formed request, with Host (and a Content-Length for a body)."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: {target.host}:{target.port}"]
    if body or method == "POST":
        lines.append(f"Content-Length: {len(body)}")
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def multipart(fields: list[tuple[str, str | None, bytes]], rng: random.Random) -> tuple[bytes, str]:
    """(body, content type) of (name, file name or None, bytes) fields, as a browser frames them
    (a file name's `"` as %22, CR and LF as %0D %0A, the rest as UTF-8)."""
    boundary = f"----fuzz{rng.getrandbits(64):016x}"
    out = b""
    for name, filename, value in fields:
        disp = f'form-data; name="{name}"'
        if filename is not None:
            shown = filename.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
            disp += f'; filename="{shown}"'
        out += f"--{boundary}\r\nContent-Disposition: {disp}\r\n".encode("utf-8", "surrogateescape")
        if filename is not None:
            out += b"Content-Type: application/octet-stream\r\n"
        out += b"\r\n" + value + b"\r\n"
    return out + f"--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def encoded(rng: random.Random, text: str) -> bytes:
    """`text` as the bytes of an upload in one of the encodings editors' files come in."""
    kind = rng.randrange(10)
    if kind == 0:
        return b"\xef\xbb\xbf" + text.encode("utf-8", "surrogatepass")
    if kind == 1:
        return text.encode("utf-16", "surrogatepass")  # with a BOM
    if kind == 2:
        return text.encode("utf-16-le", "surrogatepass")  # without one
    if kind == 3:
        return text.encode("utf-32", "surrogatepass")
    if kind == 4:
        data = bytearray(text.encode("utf-8", "surrogatepass"))
        for _ in range(rng.randint(1, 5)):
            data.insert(rng.randint(0, len(data)), rng.choice([0xFF, 0xC3, 0x80, 0xED]))
        return bytes(data)
    if kind == 5:
        data = bytearray(text.encode("utf-8", "surrogatepass"))
        data.insert(rng.randint(0, len(data)), 0)
        return bytes(data)
    if kind == 6:
        return text.encode("latin-1", "replace")
    return text.encode("utf-8", "surrogatepass")


# --------------------------------------------------------------------------- cases


@dataclass
class ServeCase:
    kind: str
    data: bytes = b""  # the request (raw, form)
    chunks: int = 1
    follow: bool = False  # follow a 303 to the check's page
    many: list[bytes] = field(default_factory=list)  # burst: requests sent at once
    note: str = ""
    refuse: str = ""  # why the request must be refused (4xx), when it must

    def __repr__(self) -> str:
        shown = self.data[:600] if self.data else b"; ".join(m[:120] for m in self.many[:5])
        return f"ServeCase({self.kind}, {self.note}, {shown!r}{' ...' if len(self.data) > 600 else ''})"


def form_case(rng: random.Random, target: Target, draft: str) -> ServeCase:
    text = fuzz_surfaces.hostile(rng, draft) if rng.random() < 0.8 else draft
    if rng.random() < 0.2:
        text = f"---\ntitle: x\nsources: [secret.txt, ../secret.txt, /etc/passwd]\n---\n\n{text}"
    fields: list[tuple[str, str | None, bytes]] = []
    note = []
    if rng.random() < 0.5:
        name = rng.choice(FILE_NAMES)
        fields.append(("draft_file", name, encoded(rng, text)))
        note.append(f"upload {name!r}")
    else:
        fields.append(("draft", None, text.encode("utf-8", "surrogatepass")))
    fields.append(("format", None, rng.choice(["auto", "text", "markdown", "html", "bogus", "", "{{7*7}}"]).encode()))
    if rng.random() < 0.5:
        fields.append(("path", None, rng.choice(["../secret.txt", "secret.txt", *fuzz_surfaces.PAYLOADS]).encode("utf-8")))
    for _ in range(rng.choice([0, 0, 1, 2])):
        source = fuzz_surfaces.hostile(rng, fuzz_surfaces.transcript(rng, draft)[:4000])
        if rng.random() < 0.5:
            fields.append(("source_files", rng.choice(FILE_NAMES), encoded(rng, source)))
        else:
            fields.append(("source_text", None, source.encode("utf-8", "surrogatepass")))
    if rng.random() < 0.1:
        index = rng.choice(["1", "../x", "\u00e9", "{{7*7}}", ""])
        fields += [("kept_source", None, index.encode()), (f"kept_source_label_{index}", None, b"../secret.txt"),
                   (f"kept_source_text_{index}", None, rng.choice(fuzz_surfaces.PAYLOADS).encode())]
    rng.shuffle(fields)
    origin = {"Origin": f"http://{target.host}:{target.port}"}
    if rng.random() < 0.15:
        pairs = "&".join(f"{quote(n)}={quote(v.decode('utf-8', 'replace'))}" for n, _, v in fields)
        body, ctype = pairs.encode("ascii"), "application/x-www-form-urlencoded"
        note.append("urlencoded")
    else:
        body, ctype = multipart(fields, rng)
    data = request(target, "POST", "/check", {"Content-Type": ctype, **origin}, body)
    return ServeCase("form", data, follow=True, note=", ".join(note))


def raw_case(rng: random.Random, target: Target, draft: str) -> ServeCase:
    """A request with one to three things wrong with it."""
    own = f"{target.host}:{target.port}"
    method, path, version = "POST", "/check", "HTTP/1.1"
    headers: list[tuple[str, str]] = [("Host", own), ("Origin", f"http://{own}")]
    body, ctype = multipart([("draft", None, fuzz_surfaces.hostile(rng, draft)[:3000].encode("utf-8", "surrogatepass"))], rng)
    length: str | None = None
    extra_lines: list[bytes] = []
    notes = []
    for _ in range(rng.randint(1, 3)):
        what = rng.randrange(14)
        notes.append(str(what))
        if what == 0:
            method = rng.choice(METHODS + ["GET", "HEAD"])
        elif what == 1:
            method, path = rng.choice(["GET", "HEAD", "POST"]), rng.choice(TRAVERSAL + ["/job/" + quote(rng.choice(fuzz_surfaces.PAYLOADS))])
        elif what == 2:
            version = rng.choice(VERSIONS)
        elif what == 3:
            headers = [h for h in headers if h[0] != "Host"]
            choice = rng.choice([None, "evil.example", f"evil.example:{target.port}", own + "\x00", own + ", evil",
                                 "localhost:1", rng.choice(fuzz_surfaces.PAYLOADS)])
            if choice is not None:
                headers.append(("Host", choice))
            if rng.random() < 0.3:
                headers.append(("Host", own))
        elif what == 4:
            headers = [h for h in headers if h[0] != "Origin"]
            choice = rng.choice([None, "null", "http://evil.example", f"https://{own}", "http://" + own + ".evil",
                                 "javascript:alert(1)", ""])
            if choice is not None:
                headers.append(("Origin", choice))
            if rng.random() < 0.5:
                headers.append(("Sec-Fetch-Site", rng.choice(["same-origin", "cross-site", "none", "SAME-ORIGIN "])))
        elif what == 5:
            ctype = rng.choice(CONTENT_TYPES)
        elif what == 6:
            length = rng.choice([str(len(body) + rng.randint(1, 500)), str(max(0, len(body) - rng.randint(1, 50))),
                                 "-1", "99999999999999999999999", "0x10", " 5", "+5", "5 5", "", "\u0665"])
        elif what == 7:
            headers.append(("Content-Length", str(rng.choice([0, 1, len(body), len(body) + 1]))))
        elif what == 8:
            headers.append(("Transfer-Encoding", rng.choice(["chunked", "gzip", "identity", "chunked, chunked"])))
        elif what == 9:
            cut = rng.randint(0, len(body))
            body = body[:cut] + rng.choice([b"", b"\r\n--junk", b"\x00" * 10, b"--" * 100, body[:cut]]) + body[cut:]
        elif what == 10:
            body = rng.choice([b"", bytes(rng.randrange(256) for _ in range(rng.randint(1, 2000))),
                               b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n' * 3000 + b"--x--\r\n",
                               b"draft=" + b"%" * 150_000, b"a=b&" * 3000, b"x" * (MAX_UPLOAD + 10)])
            if rng.random() < 0.5:
                ctype = rng.choice(["multipart/form-data; boundary=x", "application/x-www-form-urlencoded"])
        elif what == 11:
            extra_lines.append(rng.choice([b"NoColonHere", b" folded continuation", b"X-\x00: y", b"X: \xff\xfe",
                                           b"X-Long: " + b"a" * 70_000, b": empty name", b"X-\xc3\xa9: v"]))
        elif what == 12:
            path = "/job/" + rng.choice(["", "x", "..", "%00", "a" * 100, quote(rng.choice(fuzz_surfaces.PAYLOADS))])
            method = "GET"
        else:
            headers.append(("Sec-Fetch-Site", "same-origin"))
            headers = [h for h in headers if h[0] != "Origin"]
    head = f"{method} {path}{' ' + version if version else ''}".encode("utf-8", "surrogateescape")
    lines = [head]
    for name, value in headers:
        lines.append(f"{name}: {value}".encode("utf-8", "surrogateescape"))
    if ctype:
        lines.append(f"Content-Type: {ctype}".encode())
    if length is None:
        length = str(len(body))
    if method != "GET" or rng.random() < 0.2:
        lines.append(f"Content-Length: {length}".encode())
    lines += extra_lines
    data = b"\r\n".join(lines) + b"\r\n\r\n" + (body if method not in ("GET", "HEAD") or rng.random() < 0.2 else b"")
    posted = (method, path, version) == ("POST", "/check", "HTTP/1.1") and not extra_lines
    refuse = _must_refuse(headers, own, length, len(body))
    return ServeCase("raw", data, chunks=rng.choice([1, 1, 1, 3, 17]), follow=True, note="+".join(notes),
                     refuse=", ".join(refuse) if posted else "")


def _must_refuse(headers: list[tuple[str, str]], own: str, length: str, size: int) -> list[str]:
    """What in a POST to /check must make the server refuse it, from its final headers."""
    out = []
    if [v for k, v in headers if k == "Host"][:1] != [own]:
        out.append("a foreign or missing Host")
    origin = [v for k, v in headers if k == "Origin"][:1]
    if origin and origin != ["null"] and origin != [f"http://{own}"]:
        out.append("a foreign Origin")
    if length != str(size):
        out.append("a Content-Length that is not the body's")
    if any(k == "Content-Length" for k, _ in headers):
        out.append("two Content-Lengths")
    if any(k == "Transfer-Encoding" for k, _ in headers):
        out.append("a Transfer-Encoding")
    return out


def slow_case(rng: random.Random, target: Target, draft: str) -> ServeCase:
    full = raw_case(rng, target, draft).data or b"GET / HTTP/1.1\r\n\r\n"
    return ServeCase("slow", full[:rng.randint(0, max(0, len(full) - 1))], note=f"{rng.randint(1, 20)} stalled")


def burst_case(rng: random.Random, target: Target, draft: str) -> ServeCase:
    many = [raw_case(rng, target, draft).data for _ in range(rng.randint(10, 80))]
    return ServeCase("burst", many=many, note=f"{len(many)} at once")


KINDS: list[tuple[str, Callable[[random.Random, Target, str], ServeCase], int]] = [
    ("form", form_case, 3), ("raw", raw_case, 10), ("slow", slow_case, 1), ("burst", burst_case, 1)]


def make_case(rng: random.Random, target: Target, draft: str) -> ServeCase:
    names = [k for k, _, w in KINDS for _ in range(w)]
    kind = rng.choice(names)
    return dict((k, f) for k, f, _ in KINDS)[kind](rng, target, draft[:20_000])


# --------------------------------------------------------------------------- checks


def answer_problem(answer: Answer, sent: bytes) -> Failure | None:
    """What is wrong with one answer (None: nothing)."""
    SEEN[f"status {answer.status}"] += 1
    if answer.status is None:
        if not sent.strip(b"\r\n"):
            return None  # nothing asked, nothing answered
        return Failure("invariant", "no status line in the answer", repr(answer.raw[:300]))
    if answer.status not in ALLOWED:
        return Failure("invariant", f"status {answer.status}", repr(answer.raw[:600]))
    text = answer.body.decode("utf-8", "replace")
    if "Traceback" in text:
        return Failure("invariant", "a traceback in the answer", text[:600])
    if SECRET in text:
        return Failure("invariant", "secret.txt was read for a client", repr(sent[:300]))
    is_head = sent.startswith(b"HEAD ")
    if answer.headers.get("content-length") not in (None, str(len(answer.body))) and not is_head:
        return Failure("invariant", "Content-Length is not the body's length",
                       f"{answer.headers.get('content-length')} != {len(answer.body)}")
    if answer.headers.get("content-type", "").startswith("text/html"):
        for name, needed in SECURITY.items():
            if needed not in answer.headers.get(name, "\x00"):
                return Failure("invariant", f"an HTML answer without {name}: {needed}", str(answer.headers))
    if 400 <= answer.status < 500 and not is_head and answer.body \
            and 'role="alert"' not in text and "upload too large" not in text:
        return Failure("invariant", f"a {answer.status} without a message", text[:300])
    return None


_FORM_TAGS = {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", (ROOT / "verifier/templates/form.html").read_text(encoding="utf-8"))}
_FORM_ATTRS = {a.lower() for a in re.findall(r"\s([a-zA-Z][a-zA-Z0-9-]*)=", (ROOT / "verifier/templates/form.html").read_text(encoding="utf-8"))} \
    | {"selected", "checked", "multiple", "hidden"}


def page_problem(answer: Answer) -> Failure | None:
    """A page that came from a draft: no element, attribute, link or script the input made."""
    text = answer.body.decode("utf-8", "replace")
    SEEN["review page" if "<title>verifier review" in text else "form page"] += 1
    if "<title>verifier review" in text:
        return fuzz_surfaces._html_ok(text.replace('<a href="/">New check</a>', '<a href="#">New check</a>'), [])
    page = fuzz_surfaces.Page()
    page.feed(text)
    page.close()
    foreign = fuzz_surfaces.foreign_markup(page, _FORM_TAGS, _FORM_ATTRS,
                                           ("a form page element", "a form page attribute"))
    if foreign:
        return foreign
    if len(page.scripts) > 1:
        return Failure("invariant", "a form page with more than its own script", str(len(page.scripts)))
    return None


def alive(target: Target) -> Failure | None:
    try:
        answer = exchange(target, request(target, "GET", "/"), timeout=10)
    except OSError as exc:
        return Failure("hang", "the server stopped answering", repr(exc))
    if answer.status != 200:
        return Failure("hang", "the server no longer serves its form", repr(answer.raw[:200]))
    return None


def follow(target: Target, answer: Answer, seconds: float = 60) -> Failure | None:
    """Follow a 303 to the check's page until it is done; check that page."""
    location = answer.headers.get("location", "")
    if answer.status != 303 or not location.startswith("/job/"):
        return page_problem(answer) if answer.status in (200, 422) and answer.body else None
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        page = exchange(target, request(target, "GET", location), timeout=20)
        problem = answer_problem(page, b"GET")
        if problem:
            return problem
        if page.status != 200 or "Checking " not in page.body.decode("utf-8", "replace"):
            if page.status not in (200, 422):
                return Failure("invariant", f"a check ended with status {page.status}", repr(page.body[:300]))
            return page_problem(page)
        time.sleep(0.05)
    return Failure("hang", "a check did not finish", location)


def case_problem(target: Target, case: ServeCase) -> Failure | None:
    mark = len(target.log())
    problem = _case_problem(target, case)
    if problem is None:
        problem = alive(target)
    log = target.log()[mark:]
    if problem is None and "Traceback" in log:
        last = [line for line in log.splitlines() if line and not line.startswith(" ")][-1:]
        problem = Failure("exception", f"a traceback in the server log: {last[0][:120] if last else ''}", log[-1500:])
    return problem


def _case_problem(target: Target, case: ServeCase) -> Failure | None:
    if case.kind in ("form", "raw"):
        answer = exchange(target, case.data, chunks=case.chunks)
        if answer.seconds > 20:
            return Failure("hang", f"{case.kind}: an answer took {answer.seconds:.0f} s", repr(case))
        if case.refuse and answer.status is not None and answer.status < 400:
            return Failure("invariant", f"a request with {case.refuse} was accepted", repr(answer.raw[:200]))
        return answer_problem(answer, case.data) or (follow(target, answer) if case.follow else None)
    if case.kind == "slow":
        stalled = []
        try:
            for _ in range(int(case.note.split()[0])):
                conn = socket.create_connection((target.host, target.port), timeout=5)
                conn.sendall(case.data)
                stalled.append(conn)
            started = time.perf_counter()
            problem = alive(target)
            if problem is None and time.perf_counter() - started > 5:
                problem = Failure("hang", "stalled connections slow the others", f"{time.perf_counter() - started:.1f} s")
            return problem
        finally:
            for conn in stalled:
                conn.close()
    answers: dict[int, Answer | BaseException] = {}

    def one(i: int, data: bytes) -> None:
        try:
            answers[i] = exchange(target, data)
        except OSError as exc:
            answers[i] = exc

    threads = [threading.Thread(target=one, args=(i, data)) for i, data in enumerate(case.many)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for i, data in enumerate(case.many):
        got = answers.get(i)
        if got is None:
            return Failure("hang", "a request of a burst got no answer in 60 s", case.note)
        if isinstance(got, BaseException):
            return Failure("invariant", f"a request of a burst failed: {type(got).__name__}", str(got))
        problem = answer_problem(got, data)
        if problem:
            return problem
    return None


# --------------------------------------------------------------------------- the run


def run(target: Target, rng: random.Random, seeds: list[tuple[str, str]], count: int, seconds: float = 0,
        show: bool = True) -> tuple[int, dict[str, tuple[Failure, ServeCase, int]]]:
    """(cases run, findings by key) of `count` cases (or `seconds`) against `target`."""
    findings: dict[str, tuple[Failure, ServeCase, int]] = {}
    started = time.perf_counter()
    done = 0
    drafts = fuzz.drafts(rng, seeds)
    while done < count and not (seconds and time.perf_counter() - started > seconds):
        _, draft = next(drafts)
        case = make_case(rng, target, draft)
        SEEN[f"case {case.kind}"] += 1
        done += 1
        try:
            problem = case_problem(target, case)
        except Exception as exc:  # noqa: BLE001 - the fuzzer's own request failed: the finding
            problem = fuzz.exception_failure(exc)
        if problem is None:
            continue
        key = f"{problem.kind} {problem.key}"
        if key in findings:
            f, c, n = findings[key]
            findings[key] = (f, c, n + 1)
        else:
            findings[key] = (problem, case, 1)
            if show:
                print(f"[{case.kind}] [{problem.kind}] {problem.key}", file=sys.stderr, flush=True)
        if problem.kind == "hang":
            break  # the server is gone: later cases would only repeat it
    return done, findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=0.0, help="stop after this long (0: no limit)")
    parser.add_argument("--polnear", type=int, default=50, help="PolNeAR train texts to read from ../shared")
    parser.add_argument("--no-shared", action="store_true", help="read nothing from ../shared")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)
    if args.count == 300 and args.seconds:
        args.count = 10**9
    seeds = fuzz.seed_texts(not args.no_shared, args.polnear)
    started = time.perf_counter()
    with started_server(args.workers) as target:
        failed = 0
        bound = listens_on_loopback_only(target.port)
        if target.host != "127.0.0.1" or bound:
            print(f"  the default address: {target.host} {bound}")
            failed += 1
        done, findings = run(target, random.Random(args.seed), seeds, args.count, args.seconds)
    print(f"serve: {done} cases, {time.perf_counter() - started:.0f} s, seed {args.seed}, "
          f"{len(findings)} distinct failures")
    print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(SEEN.items())))
    for i, (failure, case, n) in enumerate(findings.values(), 1):
        failed += 1
        print(f"  #{i} {failure.kind}: {failure.key} ({n} cases)")
        print("     " + failure.detail.replace("\n", "\n     ")[:1500])
        print(f"     case: {case!r}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
