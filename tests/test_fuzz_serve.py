"""The invariants of `scripts/fuzz_serve.py` over a fixed set of its cases, against the review
server on a free loopback port: hostile form posts (payload drafts, odd file names and encodings,
front matter naming a file next to the server), malformed and lying requests, stalled
connections and bursts. And checks that its checks fail on the faults they are for. Longer runs
are the script's (`python scripts/fuzz_serve.py --seconds 300`)."""

from __future__ import annotations

import logging
import random
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from verifier.model.config import Settings
from verifier.web import serve

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
try:
    import fuzz
    import fuzz_serve as fz
finally:
    sys.path.remove(str(ROOT / "scripts"))

SEED = 20261201


class Lines(logging.Handler):
    """The server's log as text (tracebacks included), as its stderr would show it."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.text: list[str] = []
        self.setFormatter(logging.Formatter("%(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.text.append(self.format(record) + "\n")


@pytest.fixture()
def target(review_server: serve.ReviewServer) -> Iterator[fz.Target]:
    lines = Lines()
    logger = logging.getLogger("verifier.serve")
    logger.addHandler(lines)
    old = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield fz.Target("127.0.0.1", review_server.server_address[1], lambda: "".join(lines.text))
    finally:
        logger.removeHandler(lines)
        logger.setLevel(old)


def test_a_fixed_set_of_hostile_requests_keeps_every_invariant(target: fz.Target) -> None:
    done, findings = fz.run(target, random.Random(SEED), fuzz.seed_texts(False, 0), count=30, show=False)
    assert done == 30
    assert not findings, "\n".join(f"{k}: {f.detail[:400]}\n{c!r}" for k, (f, c, _) in findings.items())


def test_the_cases_cover_each_kind_and_repeat_for_a_seed(target: fz.Target) -> None:
    def kinds(seed: int) -> list[tuple[str, bytes]]:
        rng = random.Random(seed)
        drafts = fuzz.drafts(rng, fuzz.seed_texts(False, 0))
        out = []
        for _ in range(45):
            case = fz.make_case(rng, target, next(drafts)[1])
            out.append((case.kind, case.data[:200] or b"".join(case.many)[:200]))
        return out

    first = kinds(SEED)
    assert {k for k, _ in first} == {"form", "raw", "slow", "burst"}
    assert first == kinds(SEED)
    assert first != kinds(SEED + 1)


def test_the_real_command_listens_on_loopback_only_and_answers_hostile_requests() -> None:
    with fz.started_server() as target:
        assert target.host == "127.0.0.1"
        assert fz.listens_on_loopback_only(target.port) is None
        done, findings = fz.run(target, random.Random(SEED + 1), fuzz.seed_texts(False, 0), count=3, show=False)
    assert done == 3
    assert not findings, list(findings)


def test_the_address_check_fails_for_a_server_on_every_address() -> None:
    srv = serve.make_server("0.0.0.0", 0, Settings(engine="rules"), workers=0)
    try:
        found = fz.listens_on_loopback_only(srv.server_address[1])
    finally:
        srv.server_close()
    if not Path("/proc/net/tcp").exists():
        pytest.skip("no /proc/net/tcp here")
    assert found is not None and "beyond 127.0.0.1" in found.key


def answer(raw: bytes) -> fz.Answer:
    return fz.Answer.parse(raw, 0.1)


HEADERS = (b"Content-Type: text/html; charset=utf-8\r\nContent-Security-Policy: default-src 'none'; "
           b"frame-ancestors 'none'\r\nX-Content-Type-Options: nosniff\r\nX-Frame-Options: DENY\r\n"
           b"Referrer-Policy: same-origin\r\nCache-Control: no-store\r\n")


def test_the_answer_checks_fail_on_what_they_are_for() -> None:
    page = b'<p role="alert">no</p>'
    good = b"HTTP/1.0 404 Not Found\r\n" + HEADERS + b"Content-Length: %d\r\n\r\n" % len(page) + page
    assert fz.answer_problem(answer(good), b"GET /x HTTP/1.1\r\n\r\n") is None
    cases = {
        "no status line": b"<!DOCTYPE HTML><p>Error code: 400</p>",
        "status 501": good.replace(b"404 Not Found", b"501 Unsupported"),
        "status 500": good.replace(b"404 Not Found", b"500 Internal Server Error"),
        "without content-security-policy": good.replace(b"frame-ancestors 'none'", b""),
        "without x-content-type-options": good.replace(b"X-Content-Type-Options: nosniff\r\n", b""),
        "without x-frame-options": good.replace(b"X-Frame-Options: DENY\r\n", b""),
        "a traceback": good.replace(b"no</p>", b"Traceback</p>"),
        "secret.txt was read": good.replace(b"no</p>", fz.SECRET.encode() + b"</p>"),
        "without a message": good.replace(b'role="alert"', b'role="xlert"'),
        "Content-Length is not": good.replace(b"Content-Length: 22", b"Content-Length: 21"),
    }
    for want, raw in cases.items():
        found = fz.answer_problem(answer(raw), b"GET /x HTTP/1.1\r\n\r\n")
        assert found is not None and want in found.key, (want, found)


def test_the_page_check_fails_on_markup_from_the_draft() -> None:
    form = (ROOT / "verifier/templates/form.html").read_text(encoding="utf-8")
    assert fz.page_problem(answer(b"HTTP/1.0 422 X\r\n\r\n<main><p>x</p></main>")) is None
    for planted in ("<img src=x onerror=alert(1)>", "<p onclick=x>", "<script>alert(1)</script><script>x</script>"):
        found = fz.page_problem(answer(b"HTTP/1.0 422 X\r\n\r\n<main>" + planted.encode() + b"</main>"))
        assert found is not None, planted
    assert "<textarea" in form  # the form's own vocabulary is read from its template


def test_a_request_that_must_be_refused_is_a_failure_when_accepted(target: fz.Target) -> None:
    """A lying Content-Length that the server took (as it did before) is reported."""
    case = fz.ServeCase("raw", fz.request(target, "GET", "/"), refuse="a Content-Length that is not the body's")
    found = fz.case_problem(target, case)
    assert found is not None and "was accepted" in found.key


def test_a_server_that_stops_answering_is_a_hang() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    found = fz.alive(fz.Target("127.0.0.1", port, lambda: ""))
    assert found is not None and found.kind == "hang"
