"""`verifier serve` under load and abuse: results kept, workers isolated, bad requests answered 4xx.

Driven over real HTTP (and raw sockets where the point is a malformed or idle connection) on a
free loopback port.
"""

from __future__ import annotations

import http.client
import logging
import socket
import time
from collections.abc import Callable

import pytest

from verifier.model.config import Settings
from verifier.model.errors import VerifierError
from verifier.web import serve

Start = Callable[..., serve.ReviewServer]  # conftest's `start_review_server`
DRAFT = "Kestrel ships\n\n“Kestrel 3 is fast,” said Mira Okonkwo, the chief scientist.\n"


def connect(srv: serve.ReviewServer, timeout: float = 10) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=timeout)


def origin(srv: serve.ReviewServer) -> str:
    return f"http://127.0.0.1:{srv.server_address[1]}"


def post(srv: serve.ReviewServer, draft: str, headers: dict[str, str] | None = None,
         timeout: float = 10) -> tuple[int, str]:
    """(status, Location) of a form post; `headers` replace the browser-like defaults."""
    body = ("draft=" + _quote(draft) + "&format=text").encode("ascii")
    sent = {"Content-Type": "application/x-www-form-urlencoded", "Origin": origin(srv)}
    sent.update(headers or {})
    conn = connect(srv, timeout)
    conn.request("POST", "/check", body=body, headers={k: v for k, v in sent.items() if v is not None})
    resp = conn.getresponse()
    resp.read()
    conn.close()
    return resp.status, resp.getheader("Location") or ""


def get(srv: serve.ReviewServer, path: str, timeout: float = 10) -> tuple[int, str]:
    conn = connect(srv, timeout)
    conn.request("GET", path)
    resp = conn.getresponse()
    page = resp.read().decode("utf-8")
    conn.close()
    return resp.status, page


def finished(srv: serve.ReviewServer, location: str, seconds: float = 60) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        status, page = get(srv, location)
        if "Checking " not in page:
            return status, page
        time.sleep(0.05)
    raise AssertionError(f"{location} did not finish in {seconds} s")


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


# --------------------------------------------------------------------------- results are kept


def test_no_result_is_lost_when_more_than_fifty_are_waiting(review_server: serve.ReviewServer) -> None:
    """60 checks submitted before any is read: every one can still be read (a count limit of 50
    used to evict the first ten unread)."""
    locations = []
    for i in range(60):
        status, location = post(review_server, DRAFT.replace("Kestrel ships", f"Kestrel ships {i}"))
        assert status == 303
        locations.append(location)
    for location in locations:
        status, page = finished(review_server, location)
        assert status == 200 and '<article class="text"' in page, page[:300]


def test_results_expire_by_time_and_memory_not_by_count() -> None:
    store = serve.JobStore(ttl=60, memory=1000)
    jobs = [serve.Job(id=str(i), label="x", engine="rules", model=None, size=10) for i in range(80)]
    for job in jobs:
        store.add(job)
    for job in jobs:
        store.finish(job, ("p" * 10, None, None))
    assert all(job.id in store.jobs for job in jobs)  # 80 > 50: all kept
    # over the memory budget with every result unread: the new check is refused, nothing dropped
    with pytest.raises(serve.RequestError) as refused:
        store.add(serve.Job(id="big", label="x", engine="rules", model=None, size=500))
    assert refused.value.status == 503 and len(store.jobs) == 80
    # room is made by dropping results already read, never unread ones
    assert store.get("79") is not None  # read now
    store.add(serve.Job(id="next", label="x", engine="rules", model=None, size=205))  # 800 held
    assert "next" in store.jobs and "79" not in store.jobs and len(store.jobs) == 80
    # a result read long ago, or unread past its time to live, goes
    now = time.monotonic()
    jobs[0].read_at = now - serve.READ_GRACE - 1
    jobs[1].read_at = None
    jobs[1].finished = now - 61
    store._sweep()
    assert "0" not in store.jobs and "1" not in store.jobs and "2" in store.jobs


# --------------------------------------------------------------------------- isolation


def test_a_heavy_draft_does_not_stall_the_other_pages(review_server: serve.ReviewServer) -> None:
    """A draft that once held the interpreter for seconds inside one regex: the form page is
    still answered at once while it is checked."""
    status, location = post(review_server, "B" * 30000)
    assert status == 303
    time.sleep(1.5)  # the check is well under way (a single regex call of 30 s, before the fix)
    started = time.monotonic()
    status, page = get(review_server, "/", timeout=3)
    assert status == 200 and time.monotonic() - started < 3
    assert finished(review_server, location)[0] == 200


def test_a_check_over_its_time_budget_is_stopped_with_a_clear_error(start_review_server: Start) -> None:
    srv = start_review_server(Settings(engine="rules", timeout_per_article=1.0))
    status, location = post(srv, "“a" * 100000)  # 100,000 quotes: many seconds of work
    assert status == 303
    status, page = finished(srv, location)
    assert status == 422 and "took longer than 1 s" in page
    status, location = post(srv, DRAFT)  # the worker is free again
    assert finished(srv, location)[0] == 200


# --------------------------------------------------------------------------- connections


def test_the_listen_backlog_is_not_five() -> None:
    assert serve.ReviewServer.request_queue_size >= 128


def test_an_idle_connection_is_closed(start_review_server: Start, monkeypatch) -> None:
    assert serve.ReviewHandler.timeout is not None and serve.ReviewHandler.timeout <= 60
    monkeypatch.setattr(serve.ReviewHandler, "timeout", 0.3)  # to see it happen quickly
    srv = start_review_server()
    with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\n")  # and then nothing more
        started = time.monotonic()
        try:
            data = sock.recv(1024)
        except TimeoutError:
            pytest.fail("the server kept an idle connection open")
        assert data == b"" and time.monotonic() - started < 4


def test_connections_over_the_limit_are_answered_503_at_once(start_review_server: Start) -> None:
    srv = start_review_server(max_connections=3)
    idle = [socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=5) for _ in range(3)]
    time.sleep(0.2)
    with socket.create_connection(("127.0.0.1", srv.server_address[1]), timeout=5) as extra:
        assert extra.recv(1024).startswith(b"HTTP/1.0 503")
    for sock in idle:
        sock.close()
    time.sleep(0.2)
    assert get(srv, "/")[0] == 200  # the slots are free again


def test_a_bad_content_length_is_400_not_500(start_review_server: Start) -> None:
    """On a server of its own: the connection is dropped before the whole answer is read, and
    the server's line about it may come after the test (see the next test)."""
    server = start_review_server()
    with socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=5) as sock:
        sock.sendall(b"POST /check HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nOrigin: %s\r\n"
                     b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \xb2\r\n\r\n"
                     % (server.server_address[1], origin(server).encode()))
        reply = sock.recv(200)
    assert reply.startswith(b"HTTP/1.0 400"), reply


def test_a_client_that_goes_away_is_one_log_line(start_review_server: Start, monkeypatch, caplog) -> None:
    """On a server of its own (it patches the handler and counts the server's log lines, which
    the shared server's connections could add to)."""
    def gone(self: serve.ReviewHandler) -> None:
        raise BrokenPipeError(32, "Broken pipe")

    server = start_review_server()
    monkeypatch.setattr(serve.ReviewHandler, "_get", gone)
    with caplog.at_level(logging.INFO, logger="verifier.serve"), pytest.raises(http.client.HTTPException):
        get(server, "/")
    records = [r for r in caplog.records if "closed early" in r.getMessage()]
    assert len(records) == 1 and records[0].exc_info is None
    assert not any(r.exc_info for r in caplog.records)


# --------------------------------------------------------------------------- origin


@pytest.mark.parametrize("headers", [
    {"Origin": "null"},
    {"Origin": "null", "Sec-Fetch-Site": "cross-site"},  # a sandboxed frame on another site
    {"Origin": None},  # no Origin and no Sec-Fetch-Site: a script, not this page
    {"Origin": None, "Sec-Fetch-Site": "cross-site"},
    {"Origin": "https://127.0.0.1:1"},
], ids=["null", "null cross-site", "missing", "cross-site fetch", "other port"])
def test_a_post_not_from_this_page_is_refused(review_server: serve.ReviewServer, headers) -> None:
    assert post(review_server, DRAFT, headers)[0] == 403


@pytest.mark.parametrize("origin", [None, "null"])
def test_a_same_origin_post_without_a_usable_origin_is_accepted(review_server: serve.ReviewServer, origin) -> None:
    """What a browser sends from a page with a strict referrer policy: `Origin: null` (or none)
    and `Sec-Fetch-Site: same-origin`."""
    assert post(review_server, DRAFT, {"Origin": origin, "Sec-Fetch-Site": "same-origin"})[0] == 303


def test_serve_and_the_cli_accept_the_same_encodings(review_server: serve.ReviewServer) -> None:
    text = "“Kestrel 3 is fast,” said Mira Okonkwo.\n"
    assert serve.decode_text(text.encode("utf-16"), "the upload") == text
    assert serve.decode_text(b"\xef\xbb\xbf" + text.encode("utf-8"), "the upload") == text
    with pytest.raises(VerifierError):
        serve.decode_text(b"caf\xe9", "the upload")


def test_a_killed_worker_fails_its_check_and_the_next_check_runs(start_review_server: Start) -> None:
    """On a server of its own: its worker processes are killed."""
    import os
    import signal

    server = start_review_server()
    status, location = post(server, "“a" * 100000)  # long enough to be killed in the middle
    assert status == 303
    pool = server.checker.pool
    for _ in range(100):
        if getattr(pool, "_processes", None):
            break
        time.sleep(0.05)
    time.sleep(1.0)
    for pid in list(pool._processes):  # type: ignore[attr-defined]
        os.kill(pid, signal.SIGKILL)
    status, page = finished(server, location)
    assert status == 422 and "failed unexpectedly" in page
    status, location = post(server, DRAFT)
    assert status == 303 and finished(server, location)[0] == 200
