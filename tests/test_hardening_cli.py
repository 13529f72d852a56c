"""Bad input a hostile contributor or a busy newsroom can give `verifier check`: each ends in exit
status 2 and one line on stderr, never a traceback or a hang, and the run's other articles are
still checked. Sources named by a draft stay inside its project root.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.cli_runner import Ran, verifier, verifier_process
from verifier.cli.cli import app
from verifier.model.schema import report_json_schema

ROOT = Path(__file__).resolve().parents[1]
GOOD = "The bridge opened in 1932 after four years of work.\n"
QUOTED = "Kestrel ships\n\n“Kestrel 3 is fast,” said Mira Okonkwo.\n"
SECRET_WORDS = "machine api.example login hunter2 password s3cret"


def check(*args: str, env: dict[str, str] | None = None) -> Ran:
    """`verifier check` in this process (quicker; for what needs no process of its own)."""
    return verifier("check", *args, env=env)


def one_clean_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if not line.startswith("verifier: no LLM configured")]
    assert "Traceback" not in stderr
    assert len(lines) == 1, stderr
    return lines[0]


def invoke(*args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["check", *args], env=env)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize("env, args, message", [
    ({"VERIFIER_MAX_BYTES": "abc"}, [], "VERIFIER_MAX_BYTES must be a whole number above 0, not 'abc'"),
    ({"VERIFIER_ENGINE": "bogus"}, [], "VERIFIER_ENGINE must be one of auto, llm, rules, not 'bogus'"),
    ({}, ["--max-bytes", "0"], "--max-bytes must be 1 or more, not 0"),
    ({}, ["--max-bytes", "-1"], "--max-bytes must be 1 or more, not -1"),
    ({}, ["--timeout", "-5"], "--timeout must be a number of seconds above 0, not -5"),
    ({}, ["--timeout-per-article", "0"], "--timeout-per-article must be a number of seconds above 0, not 0"),
], ids=["max-bytes env", "engine env", "max-bytes 0", "max-bytes -1", "timeout -5", "per-article 0"])
def test_bad_settings_are_usage_errors_before_any_article(tmp_path, env, args, message) -> None:
    article = write(tmp_path / "a.txt", GOOD)
    out = check(str(article), "--format", "jsonl", *args, env=env)
    assert out.returncode == 2
    assert out.stdout == ""  # a usage error, not an error report per article
    assert one_clean_line(out.stderr) == f"verifier: error: {message}"


def test_a_report_that_cannot_be_written_is_one_line(tmp_path) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full here")
    article = write(tmp_path / "a.txt", GOOD)
    with open("/dev/full", "w") as full:
        out = verifier_process("check", str(article), stdout=full)  # a real full stdout
    assert out.returncode == 2
    assert one_clean_line(out.stderr) == ("verifier: error: cannot write the report to standard "
                                          "output: No space left on device")


# --------------------------------------------------------------------------- non-regular files


@pytest.fixture()
def fifo(tmp_path) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs here")
    path = tmp_path / "pipe.md"
    os.mkfifo(path)
    return path


def test_a_fifo_article_is_refused_and_the_run_goes_on(tmp_path, fifo) -> None:
    good = write(tmp_path / "good.txt", GOOD)
    out = check(str(fifo), str(good), "--format", "jsonl")
    assert out.returncode == 2
    reports = [json.loads(line) for line in out.stdout.splitlines()]
    assert reports[0]["error"]["message"].endswith("file is a FIFO (named pipe), not a regular file; it was not read")
    assert reports[1]["error"] is None and reports[1]["summary"]["claims"] == 1


def test_a_fifo_inside_a_directory_is_refused(tmp_path, fifo) -> None:
    write(tmp_path / "good.txt", GOOD)
    out = check(str(tmp_path), "--format", "jsonl")
    assert out.returncode == 2
    reports = {Path(r["article"]["path"]).name: r for r in map(json.loads, out.stdout.splitlines())}
    assert "FIFO" in reports["pipe.md"]["error"]["message"]
    assert reports["good.txt"]["error"] is None


@pytest.mark.parametrize("source", ["fifo", "/dev/zero"])
def test_a_fifo_or_device_source_is_refused(tmp_path, fifo, source) -> None:
    article = write(tmp_path / "a.txt", QUOTED)
    named = str(fifo) if source == "fifo" else source
    if not os.path.exists(named):
        pytest.skip(f"no {named} here")
    out = check(str(article), "--source", named)
    assert out.returncode == 2
    line = one_clean_line(out.stderr)
    assert named in line and "not a regular file; it was not read" in line


# --------------------------------------------------------------------------- sources confined


def article_with_sources(folder: Path, *sources: str) -> Path:
    listed = "".join(f"  - {s}\n" for s in sources)
    return write(folder / "story.md", f"---\ntitle: Kestrel\nsources:\n{listed}---\n\n" + QUOTED)


@pytest.fixture()
def secret(tmp_path) -> Path:
    return write(tmp_path / "home" / ".netrc", f"“Kestrel 3 is fast,” said Mira Okonkwo. {SECRET_WORDS}\n")


def assert_refused_without_contents(out: Ran, shown: str) -> None:
    assert out.returncode == 2
    assert shown in out.stderr and "it was not read" in out.stderr
    for text in (out.stdout, out.stderr):
        assert "hunter2" not in text and "s3cret" not in text


@pytest.mark.parametrize("fmt", ["text", "json", "markdown", "github"])
def test_front_matter_cannot_name_an_absolute_path(tmp_path, secret, fmt) -> None:
    article = article_with_sources(tmp_path / "repo", str(secret))
    out = check(str(article), "--format", fmt)
    assert_refused_without_contents(out, str(secret))
    assert "absolute path" in out.stderr


def test_front_matter_cannot_climb_out_with_dotdot(tmp_path, secret) -> None:
    article = article_with_sources(tmp_path / "repo", "../home/.netrc")
    out = check(str(article))
    assert_refused_without_contents(out, "../home/.netrc")
    assert "outside the project root" in out.stderr


def test_front_matter_cannot_follow_a_link_out(tmp_path, secret) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "notes.txt").symlink_to(secret)
    out = check(str(article_with_sources(repo, "notes.txt")))
    assert_refused_without_contents(out, "notes.txt")


def test_a_sibling_sources_folder_cannot_link_out(tmp_path, secret) -> None:
    repo = tmp_path / "repo"
    write(repo / "story.txt", QUOTED)
    (repo / "story.sources").mkdir()
    (repo / "story.sources" / "call.txt").symlink_to(secret)
    out = check(str(repo / "story.txt"))
    assert_refused_without_contents(out, "call.txt")


def test_source_map_and_config_sources_stay_in_the_config_folder(tmp_path, secret) -> None:
    repo = tmp_path / "repo"
    article = write(repo / "drafts" / "story.txt", QUOTED)
    write(repo / "verifier.toml", f'[source_map]\n"drafts/*.txt" = ["{secret}"]\n')
    assert_refused_without_contents(check(str(article)), str(secret))
    write(repo / "verifier.toml", 'sources = ["../home/.netrc"]\n')
    assert_refused_without_contents(check(str(article)), "home/.netrc")


def test_sources_inside_the_project_root_still_work(tmp_path) -> None:
    repo = tmp_path / "repo"
    write(repo / "verifier.toml", "")
    write(repo / "sources" / "call.txt", "Mira Okonkwo: Kestrel 3 is fast.\n")
    article = article_with_sources(repo / "drafts", "../sources/call.txt")  # up, but inside the root
    out = check(str(article), "--format", "json")
    quote = json.loads(out.stdout)["quotes"][0]
    assert quote["source_check"]["status"] == "verbatim"


def test_the_command_line_may_name_any_regular_file(tmp_path, secret) -> None:
    article = write(tmp_path / "repo" / "a.txt", QUOTED)
    out = check(str(article), "--source", str(secret), "--format", "json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["quotes"][0]["source_check"]["status"] == "verbatim"


def test_a_source_over_max_bytes_is_refused_unread(tmp_path) -> None:
    article = write(tmp_path / "a.txt", QUOTED)
    big = write(tmp_path / "big.txt", "Mira Okonkwo: Kestrel 3 is fast.\n" * 100)
    out = check(str(article), "--source", str(big), "--max-bytes", "1000")
    assert out.returncode == 2
    assert "source is over the 1,000-byte limit" in one_clean_line(out.stderr)


def test_memory_running_out_reading_a_file_is_one_line(tmp_path, monkeypatch) -> None:
    import builtins

    article = write(tmp_path / "a.txt", GOOD)
    real_open = builtins.open

    def opener(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file) == str(article):
            raise MemoryError
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", opener)
    result = invoke(str(article))
    assert result.exit_code == 2
    assert "too large to read into memory" in result.output


# --------------------------------------------------------------------------- unreadable folders


def test_an_unreadable_directory_is_an_error_not_an_empty_one(tmp_path, monkeypatch) -> None:
    """Listed second, after a readable one: it used to be 'holds no articles'."""
    good = write(tmp_path / "ok" / "a.txt", GOOD)
    locked = tmp_path / "locked"
    locked.mkdir()
    real_scandir = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    result = invoke(str(good.parent), str(locked), "--format", "jsonl")
    assert result.exit_code == 2
    assert "cannot read directory: Permission denied" in result.output
    assert "holds no articles" not in result.output


def test_a_configuration_search_through_an_unreadable_folder_goes_on(tmp_path, monkeypatch) -> None:
    from verifier.model import configfile

    article = write(tmp_path / "a.txt", GOOD)
    real_is_file = Path.is_file

    def is_file(self: Path) -> bool:
        if self.name == "verifier.toml":
            raise PermissionError(13, "Permission denied", str(self))
        return real_is_file(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    assert configfile.find(article) is None
    assert invoke(str(article)).exit_code == 0


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads every folder; the simulated tests above stand in")
def test_a_real_unreadable_directory(tmp_path) -> None:
    good = write(tmp_path / "ok" / "a.txt", GOOD)
    locked = tmp_path / "locked"
    locked.mkdir()
    write(locked / "b.txt", GOOD)
    locked.chmod(0)
    try:
        out = check(str(good.parent), str(locked))
    finally:
        locked.chmod(0o755)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "holds no articles" not in out.stderr


# --------------------------------------------------------------------------- time budget


def test_an_article_over_its_time_budget_is_an_error_and_the_run_goes_on(tmp_path) -> None:
    slow = write(tmp_path / "slow.txt", "“a" * 100_000)  # 100,000 quotes: many seconds of work
    good = write(tmp_path / "good.txt", GOOD)
    out = check(str(slow), str(good), "--format", "jsonl", "--timeout-per-article", "1")
    assert out.returncode == 2
    reports = [json.loads(line) for line in out.stdout.splitlines()]
    assert reports[0]["error"]["type"] == "CheckTimeoutError"
    assert "took longer than 1 s" in reports[0]["error"]["message"]
    assert reports[1]["error"] is None and reports[1]["summary"]["claims"] == 1


# --------------------------------------------------------------------------- output


def test_control_characters_are_escaped_in_text_output(tmp_path) -> None:
    title = "Kestrel \x1b]0;owned\x07 ships a model that the company says is fast"
    article = write(tmp_path / "a.txt", title + "\n\n" + "“Kestrel 3 is \x1b[2J fast,” said Mira Okonkwo.\n"
                    + "The company opened a new office in Oslo last year. " * 4 + "\n")
    out = check(str(article))
    assert "\x1b" not in out.stdout and "\x07" not in out.stdout
    assert "\\x1b]0;owned\\x07" in out.stdout and "\\x1b[2J" in out.stdout


def test_spans_index_the_text_after_a_bom(tmp_path) -> None:
    text = "The bridge opened in 1932 after four years of work.\n"
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    report = json.loads(check(str(path), "--format", "json").stdout)
    span = report["claims"][0]["span"]
    assert span["start"] == 0 and span["column"] == 1
    assert text[span["start"]:span["end"]] == span["text"]
    described = report_json_schema()["$defs"]["Span"]["properties"]["start"]["description"]
    assert "byte-order mark removed" in described


def test_lone_cr_line_ends_are_line_breaks(tmp_path) -> None:
    path = tmp_path / "mac.txt"
    path.write_bytes(b"Headline\r\rThe bridge opened in 1932.\r\rThe council approved it.\r")
    report = json.loads(check(str(path), "--format", "json").stdout)
    lines = [c["span"]["line"] for c in report["claims"]]
    assert lines == [3, 5]


def test_the_schema_documents_both_json_shapes() -> None:
    described = report_json_schema()["description"]
    assert "bare when the run checked one article" in described
    assert '{"schema_version": "1", "reports": [<report>, ...]}' in described


def test_bidirectional_overrides_are_escaped_in_text_and_github_output(tmp_path) -> None:
    """A right-to-left override in a draft (U+202E, "Trojan Source") makes a terminal or a job log
    show the words reordered, and the mark itself is invisible: the text and github formats write
    it as `\\u202e`, as they write ESC as `\\x1b`. Letters of right-to-left scripts and the marks
    that do not reorder (U+200F) are left as they are."""
    article = write(tmp_path / "a.txt", "Kestrel ships\n\n"
                    "“Kestrel 3 is \u202eslow\u202c and \u2067fast\u2069,” said Mira Okonkwo.\n\n"
                    "The company said שלום \u200f is fine.\n\nRevenue rose \u202e21\u202c percent last year.\n")
    out = check(str(article))
    assert "\u202e" not in out.stdout and "\u2067" not in out.stdout
    assert "\\u202eslow\\u202c and \\u2067fast\\u2069" in out.stdout
    out = check(str(article), "--format", "github")
    assert "\u202e" not in out.stdout and "\\u202e" in out.stdout
    assert "שלום \u200f" in check(str(article), "--format", "json").stdout


def test_bidirectional_overrides_show_as_marked_escapes_in_the_review_page(tmp_path) -> None:
    """The review page writes no direction override of the draft's as itself: the reading view shows
    each as a marked `\\u202e`, and findings, claims, attributes and the folded lists as the escape,
    so no line of the page reads reordered. Right-to-left letters and U+200F stay as they are."""
    article = write(tmp_path / "a.txt", "Kestrel ships\n\n"
                    "“Kestrel 3 is \u202eslow\u202c and \u2067fast\u2069,” said Mira Okonkwo.\n\n"
                    "The company said שלום \u200f is fine.\n")
    page = check(str(article), "--format", "html").stdout
    assert not re.search("[\u202a-\u202e\u2066-\u2069]", page)
    assert page.count('<span class="bidi"') == 4  # the four overrides of the reading view
    assert '>\\u202e</span>slow<span class="bidi"' in page
    assert '"Kestrel 3 is \\\\u202eslow\\\\u202c and' in page  # the quotes list: the escape, in JSON
    assert "שלום \u200f is fine" in page


def test_a_page_of_a_draft_without_overrides_marks_none(tmp_path) -> None:
    article = write(tmp_path / "a.txt", "Kestrel ships\n\n“Kestrel 3 is fast,” said Mira Okonkwo.\n")
    page = check(str(article), "--format", "html").stdout
    assert 'class="bidi"' not in page and "\\u20" not in page


def test_a_reader_that_goes_away_stops_the_run_quietly(tmp_path) -> None:
    """`verifier check archive | head -3`: the run stops when `head` has its lines, with the
    status a tool killed by SIGPIPE has (141) and nothing on stderr. Before: exit 2 and
    `verifier: error: cannot write the report to standard output: Broken pipe`."""
    import subprocess
    import sys

    folder = tmp_path / "archive"
    for i in range(150):  # about 10 KB of text each: far more than a pipe holds
        write(folder / f"{i:03d}.md", (ROOT / "examples" / "chipmaker-launch.md").read_text(encoding="utf-8")
              + f"\n\nCopy {i}.\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "VERIFIER_"))}
    proc = subprocess.Popen([sys.executable, "-m", "verifier.cli", "check", str(folder), "--engine", "rules"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    head = [proc.stdout.readline() for _ in range(3)]
    proc.stdout.close()  # the reader goes away
    err = proc.stderr.read().decode()
    proc.wait(timeout=120)
    assert head[0].startswith(str(folder).encode())
    assert proc.returncode == 141, err
    assert "Broken pipe" not in err and "Traceback" not in err and "error" not in err, err
