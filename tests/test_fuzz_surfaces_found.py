"""Regression tests for what `scripts/fuzz_surfaces.py` found around the pipeline (files, sources,
formats, command line, llm answers): each a minimal input and the behaviour it must keep."""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.cli_runner import verifier, verifier_process
from tests.llm_server import Step, completion, serve
from verifier.ingest import textfile
from verifier.ingest.load import load_text
from verifier.model.config import Settings
from verifier.model.errors import InputError
from verifier.run import batch, pipeline
from verifier.stages import ground

# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("data", [
    "\ufeff“Hi,” said Ana.".encode("utf-32-le"), "\ufeff“Hi,” said Ana.".encode("utf-32-be"),
], ids=["le", "be"])
def test_a_utf32_file_is_named_as_utf32_not_binary(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        textfile.decode(data, "a.txt")
    assert "UTF-32, which is not supported" in str(caught.value)
    assert "iconv -f utf-32 -t utf-8" in str(caught.value)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_named_with_the_iconv_to_fix_it(codec: str) -> None:
    with pytest.raises(InputError) as caught:
        textfile.decode("“Hi,” said Ana Ruiz.".encode(codec), "a.txt")
    assert "looks like UTF-16 without a byte-order mark" in str(caught.value)
    assert f"iconv -f {codec[:6]}{codec[7:]} -t utf-8" in str(caught.value)  # utf-16le, utf-16be


@pytest.mark.parametrize("data", [b"abc\x00def", "林晓峰说a".encode("utf-16-le"), b"\x00" * 4 + b"abcd",
                                  b"\x00\x01", b"\x01\x00\x02\x00"])
def test_other_nul_bytes_are_still_a_binary_file(data: bytes) -> None:
    with pytest.raises(InputError, match="binary file"):
        textfile.decode(data, "a.txt")


def test_check_names_a_utf32_file_with_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes("\ufeff“Hi,” said Ana.".encode("utf-32"))
    ran = verifier("check", str(path), "--engine", "rules")
    assert ran.returncode == 2
    assert f"verifier: error: {path}: file is UTF-32, which is not supported" in ran.stderr
    assert "Traceback" not in ran.stderr


# --------------------------------------------------------------------------- JSON Lines read back


def test_render_reads_back_jsonl_reports_holding_a_line_separator(tmp_path: Path) -> None:
    """A report is one line of JSON; U+2028 in a draft is written as itself (ensure_ascii off), so
    the reader must split at LF only, as `--resume` does, not at every `splitlines` boundary."""
    (tmp_path / "a.txt").write_text("“It is here,\u2028” said Ana Ruiz.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Revenue rose, the company said.\u0085\n", encoding="utf-8")
    out = tmp_path / "r.jsonl"
    ran = verifier("check", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--engine", "rules",
                   "--format", "jsonl", "--output", str(out))
    assert ran.returncode in (0, 1) and "\u2028" in out.read_text(encoding="utf-8")
    again = verifier("render", str(out), "--format", "json")
    assert again.returncode in (0, 1), again.stderr
    assert [r["article"]["path"] for r in json.loads(again.stdout)["reports"]] == [
        str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]


def test_a_kept_lenient_answer_holding_a_line_separator_reads_back(tmp_path: Path) -> None:
    answer = {"claims": [{"sentences": [1], "claim": "It is here,\u2028 she said.\u2029"}]}
    batch._keep_lenient(tmp_path, "a#1", answer)
    batch._keep_lenient(tmp_path, "b#1", {"claims": []})
    assert batch._load_lenient(tmp_path) == {"a#1": answer, "b#1": {"claims": []}}


# --------------------------------------------------------------------------- llm answers


DECOMPOSED = "Corvane said on Tuesday that Zoe\u0308 runs twice as fast as the Lumen X2.\n"


@pytest.mark.parametrize(("clause", "span"), [
    ("Corvane said on Tuesday that Zoe", "Corvane said on Tuesday that Zoe\u0308"),
    ("\u0308 runs twice as fast", "e\u0308 runs twice as fast"),
], ids=["stops-before-the-mark", "starts-at-the-mark"])
def test_a_clause_cut_at_a_combining_mark_grounds_on_whole_letters(clause: str, span: str) -> None:
    """A hand-built answer from a real HTTP server on 127.0.0.1 (tests/llm_server.py): the model's
    clause stops before (or starts at) the diaeresis of a decomposed 'ë'; the claim's span takes
    the whole letter instead of cutting the mark from it."""
    claim = {"sentences": [1], "clause": clause, "claim": "Zoë runs twice as fast as the Lumen X2.",
             "tags": [{"tag": "benchmark_dependent", "reason": "a speed comparison"}], "speaker": None}
    with serve([Step(body=completion({"claims": [claim]}))]) as server:
        s = Settings(engine="llm", base_url=server.base_url, model="test-model", max_retries=0,
                     cache=False, timeout=5.0)
        article = load_text(DECOMPOSED, path="a.txt")
        report = pipeline.check_article(article, s, source_docs=[])
    assert [c.span.text for c in report.claims] == [span]


def test_grounding_never_cuts_a_mark_from_its_letter() -> None:
    assert ground.align_strict(DECOMPOSED, "that Zoe") == ground.Match(24, 33, "exact")
    assert ground.align(DECOMPOSED, "Zoe") == ground.Match(29, 33, "exact")
    assert ground.align(DECOMPOSED, "\u0308 runs") == ground.Match(31, 38, "exact")
    assert ground.align("Zoë runs.", "Zoë") == ground.Match(0, 3, "exact")  # precomposed: as it was


# --------------------------------------------------------------------------- configuration


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail the test when the block runs past `seconds` (a read of a FIFO once blocked forever)."""
    def ring(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize(("line", "message"), [
    ("max_bytes = 99999999999999999999999", "max_bytes must be at most 4,611,686,018,427,387,904"),
    ("jobs = 3000000000", "jobs must be at most 1,024, not 3000000000"),
    ("timeout_per_article = 1e30", "timeout_per_article must be at most 100,000,000, not 1e+30"),
    ("timeout_per_article = inf", "timeout_per_article must be at most 100,000,000, not inf"),
    ("timeout = nan", "timeout must be a number above 0, not nan"),
])
def test_a_value_past_what_a_run_can_use_is_refused_at_its_line(tmp_path: Path, line: str, message: str) -> None:
    (tmp_path / "verifier.toml").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("Revenue rose, the company said.\n", encoding="utf-8")
    ran = verifier("check", str(tmp_path / "a.md"), "--engine", "rules")
    assert ran.returncode == 2
    assert f"verifier: error: {tmp_path / 'verifier.toml'}:1: {message}" in ran.stderr


@pytest.mark.parametrize(("flag", "value"), [("--max-bytes", "99999999999999999999999"),
                                             ("--jobs", "3000000000"), ("--timeout-per-article", "inf")])
def test_a_flag_past_what_a_run_can_use_is_refused(tmp_path: Path, flag: str, value: str) -> None:
    (tmp_path / "a.md").write_text("Revenue rose, the company said.\n", encoding="utf-8")
    ran = verifier("check", str(tmp_path / "a.md"), "--engine", "rules", flag, value)
    assert ran.returncode == 2
    assert f"verifier: error: {flag} must be at most" in ran.stderr


@pytest.mark.parametrize("args", [("--config", "{fifo}"), ("--baseline", "{fifo}")], ids=["config", "baseline"])
def test_a_fifo_named_as_config_or_baseline_is_refused_unread(tmp_path: Path, args: tuple[str, str]) -> None:
    fifo = tmp_path / "named.pipe"
    os.mkfifo(fifo)
    (tmp_path / "a.md").write_text("Revenue rose, the company said.\n", encoding="utf-8")
    with deadline(20):
        ran = verifier("check", str(tmp_path / "a.md"), "--engine", "rules", args[0], args[1].format(fifo=fifo))
    assert ran.returncode == 2
    assert f"{fifo}: " in ran.stderr and "is not a regular file; it was not read" in ran.stderr


def test_render_refuses_a_fifo_unread(tmp_path: Path) -> None:
    fifo = tmp_path / "report.jsonl"
    os.mkfifo(fifo)
    with deadline(20):
        ran = verifier("render", str(fifo))
    assert ran.returncode == 2
    assert f"verifier: error: {fifo}: report is a FIFO (named pipe), not a regular file" in ran.stderr


# --------------------------------------------------------------------------- sources


def test_a_source_folder_that_holds_no_files_is_an_error_not_unchecked_quotes(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("“We will win,” said Ana Ruiz.\n", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".hidden.txt").write_text("ANA RUIZ: We will win.\n", encoding="utf-8")
    ran = verifier("check", str(tmp_path / "a.md"), "--engine", "rules", "--source", str(tmp_path / "empty"))
    assert ran.returncode == 2
    assert f"verifier: error: {tmp_path / 'empty'}: source folder holds no files" in ran.stderr


def test_an_empty_sibling_sources_folder_is_still_no_sources(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("“We will win,” said Ana Ruiz.\n", encoding="utf-8")
    (tmp_path / "a.sources").mkdir()
    ran = verifier("check", str(tmp_path / "a.md"), "--engine", "rules", "--format", "json")
    assert ran.returncode == 0
    assert [q["source_check"]["status"] for q in json.loads(ran.stdout)["quotes"]] == ["unchecked"]


# --------------------------------------------------------------------------- resume


def test_resume_over_a_folder_holding_a_fifo_does_not_block(tmp_path: Path) -> None:
    """--resume hashes each article it may skip: a FIFO named like an article must not be read
    (it blocked the second run forever); it is reported as unreadable again, nothing lost."""
    drafts = tmp_path / "drafts"
    drafts.mkdir()
    (drafts / "a.md").write_text("Revenue rose, the company said.\n", encoding="utf-8")
    os.mkfifo(drafts / "pipe.md")
    out = tmp_path / "out.jsonl"
    args = ("check", str(drafts), "--engine", "rules", "--format", "jsonl", "--output", str(out), "--resume")
    first = verifier(*args)
    # a process of its own: the run that blocked caught the alarm of an in-process deadline
    again = verifier_process(*args, timeout=60)
    assert first.returncode == again.returncode == 2
    reports = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["article"]["path"], r["error"] is not None) for r in reports] == [
        (str(drafts / "a.md"), False), (str(drafts / "pipe.md"), True)]
