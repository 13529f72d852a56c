"""Shared test setup: no test reaches the network, none sees the user's LLM settings or cache, and
recorded LLM traffic replays from the top-level `cassettes/` folder.

The network guard allows loopback only: the failure tests start real HTTP servers on 127.0.0.1,
and cassettes are re-recorded from a model served on 127.0.0.1 (scripts/record-cassettes.sh).
A connection anywhere else fails the test, even when the code under test swallows the error.
"""

from __future__ import annotations

import contextlib
import ipaddress
import itertools
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from verifier.model.config import Settings
    from verifier.web.serve import ReviewServer

ROOT = Path(__file__).resolve().parent.parent
CASSETTES = ROOT / "cassettes"

_ENV_PREFIXES = ("OPENAI_", "VERIFIER_")
# Headers that identify the account or the client; none is needed to replay an answer.
_SCRUBBED_REQUEST_HEADERS = ["authorization", "api-key", "x-api-key", "openai-organization",
                             "openai-project", "cookie", "user-agent"]
_SCRUBBED_RESPONSE_HEADERS = {"set-cookie", "openai-organization", "openai-project",
                              "x-request-id", "cf-ray", "date", "server"}


def _loopback(host: object) -> bool:
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like never leave the machine
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Refuse, and fail the test on, any connection or name lookup beyond loopback."""
    attempts: list[str] = []
    real_connect, real_connect_ex = socket.socket.connect, socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address: Any) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if not _loopback(host):
            attempts.append(str(host))
            raise ConnectionRefusedError(f"network access in a test: {host}")

    def connect(self: socket.socket, address: Any) -> Any:
        check(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        check((host.decode() if isinstance(host, bytes) else host,))
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    if attempts:
        pytest.fail(f"test tried to reach the network: {sorted(set(attempts))}")


@pytest.fixture(scope="session")
def _cache_homes(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("user-cache")


_CACHE_HOMES = itertools.count()


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch, _cache_homes: Path) -> None:
    """No OPENAI_*/VERIFIER_* variable of the person running the tests, and a private cache: a
    folder of its own for each test, which no other test has used. Only its path is set: the
    cache makes the folder when a test first writes to it (`LLMCache`), so the thousands of tests
    that never write leave no empty folder to make and, at a later run, delete."""
    import os

    for name in list(os.environ):
        if name.startswith(_ENV_PREFIXES):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_homes / f"test-{next(_CACHE_HOMES)}"))


def _scrub_request(request: Any) -> Any:
    # x-stainless-* name the client's OS, runtime and versions: noise in a cassette, never matched.
    for name in list(request.headers):
        if name.lower().startswith("x-stainless"):
            del request.headers[name]
    return request


def _scrub_response(response: dict[str, Any]) -> dict[str, Any]:
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in _SCRUBBED_RESPONSE_HEADERS:
            del headers[name]
    return response


@pytest.fixture(scope="module")
def vcr_config() -> dict[str, Any]:
    """Cassettes match on the body too, so a changed prompt or schema fails instead of replaying
    a stale answer. The record mode is left to pytest-recording: `none` unless --record-mode."""
    return {
        "match_on": ["method", "scheme", "host", "port", "path", "query", "body"],
        "filter_headers": _SCRUBBED_REQUEST_HEADERS,
        "before_record_request": _scrub_request,
        "before_record_response": _scrub_response,
        "decode_compressed_response": True,
    }


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(CASSETTES)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`-n auto --dist loadgroup`, the README's test command) every test runs
    on whichever worker is free, except the browser tests: one Chromium drives them all, so they
    share one worker (their module-scoped browser and its screenshots in artifacts/review/)."""
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))


# --------------------------------------------------------------------------- the review server

SHARED_MAX_UPLOAD = 200_000  # the shared review server's limit (tests/test_serve.py asserts it)


@contextlib.contextmanager
def serving(settings: Settings | None = None, **options: Any) -> Iterator[ReviewServer]:
    """`verifier serve` on a free loopback port, answering from a thread; shut down and closed
    (its worker processes ended) on leaving. `options` go to `serve.make_server`."""
    from verifier.model.config import Settings
    from verifier.web import serve

    srv = serve.make_server("127.0.0.1", 0, settings or Settings(engine="rules"), **options)
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield srv
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.fixture(scope="session")
def review_server() -> Iterator[ReviewServer]:
    """The server as `verifier serve` runs it (rules engine, checks in worker processes), with an
    upload limit of 200,000 bytes: one for all the tests that only send it requests, so its
    worker processes start once (each start imports the product, about 1.5 s of CPU). A test that
    patches the server's code, counts its log lines, leaves a connection half read, kills its
    workers or needs other options starts its own with `start_review_server`."""
    with serving(max_upload=SHARED_MAX_UPLOAD) as srv:
        yield srv


@pytest.fixture()
def start_review_server() -> Iterator[Callable[..., ReviewServer]]:
    """`start(settings=None, **options)`: a review server of the test's own, closed after it."""
    with contextlib.ExitStack() as stack:
        def start(settings: Settings | None = None, **options: Any) -> ReviewServer:
            return stack.enter_context(serving(settings, **options))
        yield start
