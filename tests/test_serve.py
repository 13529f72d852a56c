"""`verifier serve`: the local review application, driven over real HTTP on a free port."""

from __future__ import annotations

import base64
import hashlib
import http.client
import re
import threading
import time
import uuid
from collections.abc import Callable

import pytest

from verifier.model.config import Settings
from verifier.model.errors import InputError
from verifier.web import serve

DRAFT = (
    "Lumora ships Kestrel 3\n\n"
    "Lumora Labs said its Kestrel 3 model outperforms rival systems in code generation.\n\n"
    "“Kestrel 3 is the fastest model we have ever shipped,” said Mira Okonkwo, the chief scientist.\n"
)
SOURCE = "Mira Okonkwo: Kestrel 3 is the fastest model we have shipped so far.\n"


@pytest.fixture()
def inline_server(start_review_server: Callable[..., serve.ReviewServer]) -> serve.ReviewServer:
    """Checks in threads of the test process, so a test can replace `serve.run_check` (the other
    tests use conftest's `review_server`: checks in worker processes, as `verifier serve` runs)."""
    return start_review_server(workers=0, max_upload=200_000)


def request(srv: serve.ReviewServer, method: str, path: str, body: bytes = b"",
            headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection("127.0.0.1", srv.server_address[1], timeout=10)
    conn.request(method, path, body=body or None, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read().decode("utf-8")
    conn.close()
    return resp.status, {k.lower(): v for k, v in resp.getheaders()}, data


def multipart(fields: list[tuple[str, str | None, str]]) -> tuple[bytes, str]:
    """(body, content type) for (name, filename or None, value) fields."""
    boundary = uuid.uuid4().hex
    out = []
    for name, filename, value in fields:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        out.append(f"--{boundary}\r\nContent-Disposition: {disp}\r\n\r\n{value}\r\n")
    out.append(f"--{boundary}--\r\n")
    return "".join(out).encode("utf-8"), f"multipart/form-data; boundary={boundary}"


def post(srv: serve.ReviewServer, fields: list[tuple[str, str | None, str]],
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    """A form post as a browser on the server's own page sends it (with its Origin)."""
    body, ctype = multipart(fields)
    origin = f"http://127.0.0.1:{srv.server_address[1]}"
    return request(srv, "POST", "/check", body, {"Content-Type": ctype, "Origin": origin, **(headers or {})})


def wait_for(srv: serve.ReviewServer, location: str) -> tuple[int, str]:
    for _ in range(200):
        status, _, page = request(srv, "GET", location)
        if "Checking " not in page:
            return status, page
        time.sleep(0.05)
    raise AssertionError("the check did not finish")


def test_form_page_is_served_with_a_strict_policy(review_server: serve.ReviewServer) -> None:
    status, headers, page = request(review_server, "GET", "/")
    assert status == 200
    assert 'enctype="multipart/form-data"' in page and 'name="draft"' in page
    assert "default-src 'none'" in headers["content-security-policy"]
    assert page.count("<script") == 1  # the size check only; its hash is the only script allowed
    assert "'unsafe-inline'" not in headers["content-security-policy"].split("script-src")[1].split(";")[0]


def test_a_submitted_draft_comes_back_as_the_review_page(review_server: serve.ReviewServer) -> None:
    status, headers, _ = post(review_server, [("draft", None, DRAFT), ("format", None, "text"),
                                       ("path", None, "articles/kestrel.txt"),
                                       ("source_text", None, SOURCE)])
    assert status == 303 and headers["location"].startswith("/job/")
    status, page = wait_for(review_server, headers["location"])
    assert status == 200
    assert '<article class="text"' in page and "Findings <span" in page
    assert 'data-path="articles/kestrel.txt"' in page
    assert "Kestrel 3 is the fastest model" in page


def test_front_matter_sources_are_never_read_for_a_client(inline_server: serve.ReviewServer, tmp_path,
                                                          monkeypatch) -> None:
    server = inline_server
    from verifier.ingest import sources

    secret = tmp_path / "secret.txt"
    secret.write_text("“Kestrel 3 is the fastest model we have ever shipped,” said Mira Okonkwo.\n", encoding="utf-8")
    looked_up: list[object] = []
    monkeypatch.setattr(sources, "sources_for", lambda *a, **k: looked_up.append(a) or [])
    draft = f"---\ntitle: Kestrel\nsources:\n  - {secret}\n---\n" + DRAFT.split("\n\n", 1)[1]
    _, headers, _ = post(server, [("draft", None, draft), ("format", None, "markdown")])
    status, page = wait_for(server, headers["location"])
    assert status == 200 and looked_up == []
    assert re.search(r'"(direct|partial)","unchecked"', page)  # the Quotes list's data
    assert not re.search(r'"(direct|partial)","verbatim"', page)


def test_an_uploaded_file_name_is_only_a_label(review_server: serve.ReviewServer) -> None:
    _, headers, _ = post(review_server, [("draft_file", "../../etc/passwd", DRAFT), ("format", None, "auto")])
    _, page = wait_for(review_server, headers["location"])
    assert 'data-path="passwd"' in page
    assert "root:" not in page


def test_an_empty_draft_is_an_error_on_the_page(review_server: serve.ReviewServer) -> None:
    status, _, page = post(review_server, [("draft", None, "   "), ("format", None, "text")])
    assert status == 422
    assert 'role="alert"' in page and "paste a draft" in page
    assert "Traceback" not in page


def test_uploads_over_the_limit_are_refused_unread(review_server: serve.ReviewServer) -> None:
    status, _, page = post(review_server, [("draft", None, "x" * 250_000)])
    assert status == 413
    assert "this server takes at most 200,000 bytes in all" in page
    size = re.search(r"This upload is ([\d,]+) bytes", page)
    assert size is not None and int(size.group(1).replace(",", "")) > 250_000
    assert "Back</strong> button: the form is still there with everything you typed" in page
    assert 'role="alert"' in page and 'action="/check"' not in page  # no empty form in its place


def test_the_form_page_carries_the_limit_and_a_script_its_csp_allows(review_server: serve.ReviewServer) -> None:
    status, headers, page = request(review_server, "GET", "/")
    assert status == 200
    assert f'data-max-upload="{review_server.max_upload}"' in page
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert script is not None and "maxUpload" in script.group(1)
    digest = base64.b64encode(hashlib.sha256(script.group(1).encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in headers["content-security-policy"]


def test_a_foreign_host_header_is_refused(review_server: serve.ReviewServer) -> None:
    status, _, page = request(review_server, "GET", "/", headers={"Host": "attacker.example:80"})
    assert status == 421
    assert "Check a draft" in page


def test_a_cross_site_post_is_refused(review_server: serve.ReviewServer) -> None:
    status, _, _ = post(review_server, [("draft", None, DRAFT)], headers={"Origin": "https://attacker.example"})
    assert status == 403


def test_progress_is_shown_while_a_check_runs(inline_server: serve.ReviewServer, monkeypatch) -> None:
    server = inline_server
    release = threading.Event()

    def slow_check(sub: serve.Submission, settings: Settings, progress=None, run=None) -> str:
        progress("claims: chunk 2 of 5")  # what the LLM extractor says between calls
        release.wait(5)
        return "<!doctype html><p>review of " + sub.label + "</p>"

    monkeypatch.setattr(serve, "run_check", slow_check)
    _, headers, _ = post(server, [("draft", None, DRAFT), ("path", None, "a.txt")])
    status, _, page = request(server, "GET", headers["location"])
    assert status == 200
    assert 'http-equiv="refresh"' in page and 'role="status"' in page and "rules" in page
    assert "claims: chunk 2 of 5" in page
    release.set()
    _, page = wait_for(server, headers["location"])
    assert "review of a.txt" in page


def test_an_unexpected_failure_shows_a_message_not_a_traceback(inline_server: serve.ReviewServer,
                                                              monkeypatch) -> None:
    server = inline_server
    def broken(sub: serve.Submission, settings: Settings, progress=None, run=None) -> str:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(serve, "run_check", broken)
    _, headers, _ = post(server, [("draft", None, DRAFT)])
    status, page = wait_for(server, headers["location"])
    assert status == 422
    assert "failed unexpectedly" in page
    assert "secret internal detail" not in page and "Traceback" not in page


def test_unknown_pages_and_jobs_are_404(review_server: serve.ReviewServer) -> None:
    assert request(review_server, "GET", "/nope")[0] == 404
    assert request(review_server, "GET", "/job/unknown")[0] == 404


def test_submission_prefers_the_upload_and_guesses_the_format_from_its_name() -> None:
    sub = serve.submission({"draft": [(None, b"pasted")], "draft_file": [("story.md", b"# Title\n\nText.\n")],
                            "format": [(None, b"auto")]})
    assert sub.fmt == "markdown" and sub.label == "story.md" and sub.text.startswith("# Title")


def test_a_pasted_draft_is_read_as_markdown_or_html_by_its_look() -> None:
    def fmt(text: str) -> str:
        return serve.submission({"draft": [(None, text.encode())], "format": [(None, b"auto")]}).fmt

    assert fmt("---\ntitle: Kestrel\n---\n\nLumora said so.\n") == "markdown"
    assert fmt("# Kestrel\n\nLumora said so.\n") == "markdown"
    assert fmt("<!DOCTYPE html><html><body><p>Lumora said so.</p></body></html>") == "html"
    assert fmt("Lumora said so.\n") == "text"
    chosen = serve.submission({"draft": [(None, b"# Kestrel\n")], "format": [(None, b"text")]})
    assert chosen.fmt == "text"


def test_a_form_error_keeps_everything_and_sits_beside_its_field(review_server: serve.ReviewServer) -> None:
    status, _, page = post(review_server, [("draft", None, "   "), ("format", None, "markdown"),
                                    ("path", None, "articles/kestrel.md"), ("source_text", None, SOURCE),
                                    ("source_files", "okonkwo.txt", "Okonkwo: we ship.\n")])
    assert status == 422
    assert 'id="draft-error"' in page and 'aria-invalid="true"' in page
    assert 'aria-describedby="draft-help draft-error"' in page
    assert 'value="articles/kestrel.md"' in page
    assert '<option value="markdown" selected>' in page
    assert "Mira Okonkwo: Kestrel 3 is the fastest model we have shipped so far." in page
    assert 'name="kept_source_label_1" value="okonkwo.txt"' in page
    assert 'name="kept_source_text_1" value="Okonkwo: we ship.\n"' in page


def test_an_undecodable_source_upload_keeps_the_pasted_draft(review_server: serve.ReviewServer) -> None:
    body, ctype = multipart([("draft", None, DRAFT), ("format", None, "auto")])
    bad = b"--" + ctype.split("=", 1)[1].encode() + b'\r\nContent-Disposition: form-data; name="source_files"; filename="s.txt"\r\n\r\ncaf\xe9\r\n'
    body = bad + body
    status, _, page = request(review_server, "POST", "/check", body,
                              {"Content-Type": ctype, "Origin": f"http://127.0.0.1:{review_server.server_address[1]}"})
    assert status == 422
    assert 'id="source_files-error"' in page and "cannot decode source s.txt as utf-8" in page
    assert "Kestrel 3 is the fastest model we have ever shipped" in page


def test_kept_sources_are_checked_when_the_form_is_sent_again() -> None:
    sub = serve.submission({"draft": [(None, DRAFT.encode())], "kept_source": [(None, b"1")],
                            "kept_source_label_1": [(None, b"okonkwo.txt")],
                            "kept_source_text_1": [(None, SOURCE.encode())]})
    assert sub.sources == [("okonkwo.txt", SOURCE)]
    unticked = serve.submission({"draft": [(None, DRAFT.encode())],
                                 "kept_source_label_1": [(None, b"okonkwo.txt")],
                                 "kept_source_text_1": [(None, SOURCE.encode())]})
    assert unticked.sources == []


def test_a_check_that_fails_gives_the_form_back_with_the_draft(review_server: serve.ReviewServer) -> None:
    draft = "---\ntitle: [unclosed\n---\n\nLumora said so.\n"
    _, headers, _ = post(review_server, [("draft", None, draft), ("format", None, "auto"),
                                  ("path", None, "articles/broken.md")])
    status, page = wait_for(review_server, headers["location"])
    assert status == 422
    assert "front matter is not valid YAML" in page and 'id="draft-error"' in page
    assert "title: [unclosed" in page and 'value="articles/broken.md"' in page


def test_binary_and_undecodable_uploads_are_input_errors() -> None:
    with pytest.raises(InputError, match="binary"):
        serve.decode_text(b"\x00\x01", "the upload")
    with pytest.raises(InputError, match="cannot decode"):
        serve.decode_text(b"caf\xe9", "the upload")


def test_safe_label_keeps_only_the_last_component() -> None:
    assert serve.safe_label("..\\..\\windows\\win.ini", "x") == "win.ini"
    assert serve.safe_label("/etc/passwd", "x") == "passwd"
    assert serve.safe_label(None, "draft") == "draft"


def test_cli_serve_refuses_a_bad_engine_and_a_busy_port() -> None:
    from typer.testing import CliRunner

    from verifier.cli.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["serve", "--engine", "bogus"])
    assert result.exit_code == 2 and "Invalid value for '--engine'" in result.output
    assert "must be one of auto, llm, rules, not 'bogus'" in result.output
    busy = serve.make_server("127.0.0.1", 0, Settings(engine="rules"))
    try:
        result = runner.invoke(app, ["serve", "--port", str(busy.server_address[1])])
        assert result.exit_code == 2 and "cannot listen" in result.output
    finally:
        busy.server_close()
