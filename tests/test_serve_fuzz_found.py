"""`verifier serve`: what `scripts/fuzz_serve.py` found, each pinned by a test that failed before
its fix. Driven over raw sockets on a free loopback port (the point is a request no well-behaved
client sends) and through `serve.parse_form` for the body parser's cost.
"""

from __future__ import annotations

import socket
import time

import pytest

from verifier.web import serve

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options", "x-frame-options",
                    "referrer-policy", "cache-control")


def exchange(srv: serve.ReviewServer, data: bytes, timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of the answer to `data` sent as is, the sending side then shut."""
    with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=timeout) as conn:
        conn.sendall(data)
        conn.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith("HTTP/1."), f"no status line: {answer[:200]!r}"
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return int(lines[0].split()[1]), headers, body


def host(srv: serve.ReviewServer) -> str:
    return f"127.0.0.1:{srv.server_address[1]}"


def post_raw(srv: serve.ReviewServer, headers: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
    return exchange(srv, (f"POST /check HTTP/1.1\r\nHost: {host(srv)}\r\nOrigin: http://{host(srv)}\r\n"
                          f"{headers}\r\n").encode("latin-1") + body)


def message(body: bytes) -> str:
    page = body.decode("utf-8")
    start = page.index('id="error">')
    return page[start:page.index("</div>", start)]


# --------------------------------------------------------------------------- the request body


def test_a_body_shorter_than_its_content_length_is_refused_not_checked(review_server: serve.ReviewServer) -> None:
    form = "application/x-www-form-urlencoded"
    status, headers, body = post_raw(review_server, f"Content-Type: {form}\r\nContent-Length: 500\r\n",
                                     b"draft=Half+a+draft+that+stops")
    assert status == 400, "the part that came was checked as if it were the draft"
    assert "location" not in headers
    assert "ended after 29 of its 500 bytes" in message(body)


@pytest.mark.parametrize("framing", [
    "Content-Length: 8\r\nContent-Length: 100\r\n",  # two lengths: which one ends the body?
    "Content-Length: 8\r\nTransfer-Encoding: chunked\r\n",  # a length and chunks
])
def test_a_body_of_two_framings_is_refused(review_server: serve.ReviewServer, framing: str) -> None:
    status, headers, body = post_raw(
        review_server, f"Content-Type: application/x-www-form-urlencoded\r\n{framing}", b"draft=hi")
    assert status in (400, 411)
    assert "location" not in headers
    assert "Content-Length" in message(body)


def test_a_form_of_many_tiny_parts_is_refused_at_once() -> None:
    """Before: the email parser took about 50 s of the request thread (holding the server) on a
    5 MB body of 100,000 parts; a 1 MB one is enough to show it here."""
    part = b'--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n'
    body = part * 20_000 + b"--x--\r\n"
    started = time.perf_counter()
    with pytest.raises(serve.RequestError, match="more than 1,000 fields"):
        serve.parse_form("multipart/form-data; boundary=x", body)
    assert time.perf_counter() - started < 2


def test_a_urlencoded_form_of_many_fields_is_refused() -> None:
    with pytest.raises(serve.RequestError, match="more than 1,000 fields"):
        serve.parse_form("application/x-www-form-urlencoded", b"a=b&" * 5_000)


def test_the_body_parsers_take_linear_time_on_hostile_bodies() -> None:
    """Bodies of line breaks, of `%` signs and of near-boundaries: each about 2 MB, parsed in
    well under a second of the request thread (before: 2 to 5 s each at 5 MB)."""
    head = b'--x\r\nContent-Disposition: form-data; name="draft"\r\n\r\n'
    bodies = [("multipart/form-data; boundary=x", head + b"\r" * 2_000_000 + b"\r\n--x--\r\n"),
              ("multipart/form-data; boundary=x", head + b"\r\n--y" * 500_000 + b"\r\n--x--\r\n"),
              ("application/x-www-form-urlencoded", b"draft=" + b"%" * 2_000_000)]
    for content_type, body in bodies:
        started = time.perf_counter()
        fields = serve.parse_form(content_type, body)
        assert time.perf_counter() - started < 1.5, content_type
        assert len(fields["draft"][0][1]) >= 2_000_000


def test_the_multipart_reader_reads_what_browsers_send() -> None:
    """A preamble, UTF-8 and escaped file names, a part without headers, a Content-Type per part:
    the same fields the standard library's parser gave."""
    body = ('preamble\r\n--b0undary\r\nContent-Disposition: form-data; name="draft_file"; '
            'filename="ünï 文章.md"\r\nContent-Type: text/markdown\r\n\r\n# T\r\n\r\nbody\r\n'
            '--b0undary\r\nContent-Disposition: form-data; name="dr\\"aft"; filename="a\\\\b\\".md"\r\n\r\nx\r\n'
            '--b0undary\r\n\r\nno headers\r\n'
            '--b0undary\r\nContent-Disposition: form-data; name="path"\r\n\r\n\r\n'
            '--b0undary--\r\nepilogue').encode()
    fields = serve.parse_form('multipart/form-data; boundary="b0undary"', body)
    assert fields == {"draft_file": [("ünï 文章.md", b"# T\r\n\r\nbody")],
                      'dr"aft': [('a\\b".md', b"x")], "path": [(None, b"")]}


@pytest.mark.parametrize("body", [
    b'--x\r\nContent-Disposition: form-data; name="draft"\r\n\r\nno closing boundary',
    b'--x\r\nContent-Disposition: form-data; name="draft"' + b"; a=b" * 5_000 + b"\r\n\r\nx\r\n--x--\r\n",
    b"no boundary at all",
    b'--xjunk\r\nContent-Disposition: form-data; name="draft"\r\n\r\nx\r\n--x--\r\n',
])
def test_a_broken_multipart_body_is_a_request_error(body: bytes) -> None:
    with pytest.raises(serve.RequestError, match="form data could not be read"):
        serve.parse_form("multipart/form-data; boundary=x", body)


# --------------------------------------------------------------------------- http.server's refusals


@pytest.mark.parametrize(("request_line", "status"), [
    ("FOO / HTTP/1.1", 405), ("PUT /check HTTP/1.1", 405), ("OPTIONS * HTTP/1.1", 405),
    ("DELETE /job/x HTTP/1.1", 405), ("GARBAGE", 400), ("GET / HTTP/9.9", 505),
    ("GET /" + "a" * 70_000 + " HTTP/1.1", 414),
])
def test_refusals_are_the_servers_page_with_its_headers(review_server: serve.ReviewServer,
                                                        request_line: str, status: int) -> None:
    """Before: http.server's own page, without the CSP or nosniff, and for a request line it
    could not read, without even a status line."""
    got, headers, body = exchange(review_server, f"{request_line}\r\nHost: {host(review_server)}\r\n\r\n".encode())
    assert got == status
    assert all(name in headers for name in SECURITY_HEADERS)
    if status == 405:
        assert headers["allow"] == "GET, HEAD, POST"
        assert "answers GET, HEAD, POST requests only" in message(body)
    assert "<script>" not in body.decode("utf-8").replace("<script>// Checks the size", "")


def test_too_many_headers_is_431_with_the_headers(review_server: serve.ReviewServer) -> None:
    status, headers, _ = exchange(review_server, f"GET / HTTP/1.1\r\nHost: {host(review_server)}\r\n".encode()
                                  + b"X-A: b\r\n" * 200 + b"\r\n")
    assert status == 431
    assert all(name in headers for name in SECURITY_HEADERS)


def test_an_http09_request_is_refused_with_a_status_line(review_server: serve.ReviewServer) -> None:
    status, headers, _ = exchange(review_server, b"GET /\r\n")
    assert status == 400
    assert "content-security-policy" in headers


def test_head_is_answered_without_a_body(review_server: serve.ReviewServer) -> None:
    status, headers, body = exchange(review_server, f"HEAD / HTTP/1.1\r\nHost: {host(review_server)}\r\n\r\n".encode())
    assert status == 200
    assert int(headers["content-length"]) > 1000
    assert body == b""


def test_no_page_may_be_framed_by_another_site(review_server: serve.ReviewServer) -> None:
    for path in ("/", "/job/nothing"):
        _, headers, _ = exchange(review_server, f"GET {path} HTTP/1.1\r\nHost: {host(review_server)}\r\n\r\n".encode())
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["server"] == "verifier"


# --------------------------------------------------------------------------- slow requests


def test_a_request_trickled_in_is_cut_off_at_the_request_time(start_review_server, monkeypatch) -> None:
    """A client that sends a header line every 0.3 s is never idle for the 30 s timeout: before,
    it held its connection (one of `max_connections`) as long as it kept trickling."""
    monkeypatch.setattr(serve, "REQUEST_TIME", 1.0, raising=False)
    srv = start_review_server(workers=0)
    with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=5) as conn:
        conn.sendall(f"GET / HTTP/1.1\r\nHost: {host(srv)}\r\n".encode())
        started = time.monotonic()
        closed = None
        while time.monotonic() - started < 6:
            try:
                conn.sendall(b"X-Trickle: y\r\n")
                conn.settimeout(0.3)
                if conn.recv(65536) == b"":
                    closed = time.monotonic() - started
                    break
            except TimeoutError:
                continue
            except OSError:
                closed = time.monotonic() - started
                break
        assert closed is not None, "the trickling connection was still open after 6 s"
        assert closed < 4
    # and a request that arrives in time is answered as ever
    status, headers, _ = exchange(srv, f"GET / HTTP/1.1\r\nHost: {host(srv)}\r\n\r\n".encode())
    assert status == 200


def trickle(srv: serve.ReviewServer, first: bytes, seconds: float) -> float | None:
    """Send `first`, then a header line every 0.3 s for up to `seconds`: when the server closed
    the connection (seconds after the start), or None if it was still open."""
    with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=5) as conn:
        conn.sendall(first)
        started = time.monotonic()
        while time.monotonic() - started < seconds:
            try:
                conn.sendall(b"X-Trickle: y\r\n")
                conn.settimeout(0.3)
                if conn.recv(65536) == b"":
                    return time.monotonic() - started
            except TimeoutError:
                continue
            except OSError:
                return time.monotonic() - started
    return None


def test_trickled_headers_are_cut_off_long_before_the_request_time(start_review_server, monkeypatch) -> None:
    """The request line and headers have a deadline of their own (`HEAD_TIME`), far shorter than
    the whole request's: before, slow clients trickling headers held every one of the
    `max_connections` slots for the full `REQUEST_TIME` (120 s) and others were answered 503."""
    monkeypatch.setattr(serve, "HEAD_TIME", 1.0, raising=False)
    assert serve.REQUEST_TIME >= 60  # the whole request's limit stays generous
    srv = start_review_server(workers=0, max_connections=4)
    closed = trickle(srv, f"GET / HTTP/1.1\r\nHost: {host(srv)}\r\n".encode(), 6)
    assert closed is not None, "trickled headers held the connection for 6 s"
    assert closed < 4
    # four slow clients fill every slot; once their headers are late, a browser is served again
    slow = [socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=5) for _ in range(4)]
    try:
        for conn in slow:
            conn.sendall(b"GET / HTTP/1.1\r\n")
        time.sleep(0.3)
        assert exchange(srv, f"GET / HTTP/1.1\r\nHost: {host(srv)}\r\n\r\n".encode())[0] == 503
        time.sleep(2.5)
        status, _, _ = exchange(srv, f"GET / HTTP/1.1\r\nHost: {host(srv)}\r\n\r\n".encode())
        assert status == 200
    finally:
        for conn in slow:
            conn.close()


def test_a_body_may_take_longer_than_the_headers_deadline(start_review_server, monkeypatch) -> None:
    """The short deadline is for the line and headers only: a form whose body comes slowly (a large
    upload on a slow line) is still read in full and checked."""
    monkeypatch.setattr(serve, "HEAD_TIME", 0.5, raising=False)
    srv = start_review_server(workers=0)
    body = b"draft=" + b"Revenue+rose+12+percent%2C+the+mayor+said.+" * 8 + b"&format=html"
    head = (f"POST /check HTTP/1.1\r\nHost: {host(srv)}\r\nOrigin: http://{host(srv)}\r\n"
            f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n")
    with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=10) as conn:
        conn.sendall(head.encode())
        for i in range(0, len(body), len(body) // 6 + 1):  # the body over about 1.5 s
            time.sleep(0.25)
            conn.sendall(body[i:i + len(body) // 6 + 1])
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.0 303") or answer.startswith(b"HTTP/1.1 303"), answer[:200]


def test_the_workers_start_with_the_server_not_with_the_first_check(start_review_server) -> None:
    """The check workers import the product and make their engine when the server starts, while
    the editor is still pasting: before, the first check of a fresh server spent its first
    seconds on the page "waiting for a free worker" on a server with nothing else to do."""
    srv = start_review_server(workers=2)
    processes = srv.checker.pool._processes  # noqa: SLF001 - the pool's own record of its workers
    assert processes is not None and len(processes) == 2, "no worker started before any check"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and srv.checker.pool._pending_work_items:  # noqa: SLF001
        time.sleep(0.05)
    assert not srv.checker.pool._pending_work_items, "the workers never became ready"  # noqa: SLF001
    assert all(p.is_alive() for p in processes.values())
