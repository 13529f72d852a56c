"""The command line end to end: exit codes 0/1/2, bad input, formats, stdin, the JSON Schema.

Commands run in this process through typer's CliRunner (`tests.cli_runner.verifier`); the one
test at the end starts real processes, for the console-script entry and a real pipe on stdin.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from tests.cli_runner import verifier as run
from tests.cli_runner import verifier_process
from verifier.model.schema import report_json_schema

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SCHEMA = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))


def test_committed_schema_is_the_generated_one():
    assert SCHEMA == json.loads(json.dumps(report_json_schema()))


def test_json_report_validates_and_spans_match_the_file():
    out = run("check", str(EXAMPLES / "council-vote.txt"), "--format", "json", "--fail-on", "never")
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    jsonschema.validate(report, SCHEMA)
    text = (EXAMPLES / "council-vote.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    for item in report["claims"] + report["quotes"]:
        span = item["span"]
        assert text[span["start"]:span["end"]] == span["text"]
        assert lines[span["line"] - 1][span["column"] - 1:].startswith(span["text"].split("\n")[0])
    assert report["engine"] == {"extractor": "rules", "model": None, "prompt_version": None}


@pytest.mark.parametrize("name", ["chipmaker-launch.md", "robotics-feature.html"])
def test_markdown_and_html_line_columns_point_at_the_words(name):
    out = run("check", str(EXAMPLES / name), "--format", "json", "--fail-on", "never")
    report = json.loads(out.stdout)
    jsonschema.validate(report, SCHEMA)
    raw = (EXAMPLES / name).read_text(encoding="utf-8")
    lines = raw.split("\n")
    for item in report["claims"] + report["quotes"] + [f for f in report["findings"] if f["span"]]:
        span = item["span"]
        assert raw[span["start"]:span["end"]] == span["text"]
        first_line = span["text"].split("\n")[0]
        assert lines[span["line"] - 1][span["column"] - 1:].startswith(first_line)


def test_exit_codes_follow_the_fail_level():
    council = str(EXAMPLES / "council-vote.txt")  # warnings and info, no errors
    assert run("check", council).returncode == 0
    assert run("check", council, "--fail-on", "warning").returncode == 1
    assert run("check", council, "--fail-on", "info").returncode == 1
    assert run("check", council, "--fail-on", "never").returncode == 0


def test_error_finding_fails_by_default(tmp_path):
    draft = tmp_path / "d.txt"
    draft.write_text("The meeting ended.\n\n“The market will double by next year.”\n", encoding="utf-8")
    out = run("check", str(draft))
    assert out.returncode == 1
    assert "quote-unattributed" in out.stdout


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"", "file is empty"),
    (b"\x00\x01\x02binary", "binary"),
    (b"caf\xe9", "cannot decode file as utf-8"),
])
def test_bad_input_exits_2_with_a_clear_message_and_no_traceback(tmp_path, content, message):
    path = tmp_path / "bad.txt"
    if content is not None:
        path.write_bytes(content)
    out = run("check", str(path))
    assert out.returncode == 2
    assert message in out.stderr and str(path) in out.stderr
    assert "Traceback" not in out.stderr


def test_an_empty_path_is_named_as_such_not_as_standard_input() -> None:
    out = run("check", "")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "verifier: error: '': an empty path was given" in out.stderr
    assert "<stdin>" not in out.stdout + out.stderr
    assert run("check", "-", stdin="").returncode == 2  # "-" is still standard input (empty: exit 2)


def test_one_bad_file_does_not_stop_the_others(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("The bridge opened in 1932 after four years of work.\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    out = run("check", str(bad), str(good), "--format", "jsonl")
    assert out.returncode == 2
    reports = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["error"] is not None for r in reports] == [True, False]
    assert reports[1]["summary"]["claims"] == 1
    assert "file is empty" in out.stderr


def test_directory_without_articles_and_too_big_file(tmp_path):
    (tmp_path / "empty").mkdir()
    out = run("check", str(tmp_path / "empty"))
    assert out.returncode == 2 and "directory holds no articles" in out.stderr
    big = tmp_path / "big.txt"
    big.write_text("word " * 1000, encoding="utf-8")
    out = run("check", str(big), "--max-bytes", "1000")
    assert out.returncode == 2 and "limit" in out.stderr


def test_stdin_and_multi_article_json(tmp_path):
    out = run("check", "-", "--format", "json", stdin="“We won,” said Ana Ruiz.\n")
    report = json.loads(out.stdout)
    assert report["article"]["path"] is None and report["quotes"][0]["speaker"] == "Ana Ruiz"
    out = run("check", str(EXAMPLES), "--format", "json", "--fail-on", "never")
    multi = json.loads(out.stdout)
    assert multi["schema_version"] == "1" and len(multi["reports"]) == 3
    for report in multi["reports"]:
        jsonschema.validate(report, SCHEMA)


def test_usage_errors_exit_2():
    assert run("check", str(EXAMPLES), "--format", "pdf").returncode == 2
    assert run("check", str(EXAMPLES), "--fail-on", "sometimes").returncode == 2
    assert run("check").returncode == 2


def test_text_output_announces_the_rules_engine_and_version():
    out = run("check", str(EXAMPLES / "council-vote.txt"))
    assert "rules engine (no LLM configured)" in out.stdout
    assert "council-vote.txt:6:2:" in out.stdout  # file:line:col
    assert "\x1b[" not in out.stdout  # no colours when stdout is not a terminal
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("verifier ")


def test_rules_pages():
    listing = run("rules")
    assert listing.returncode == 0 and "benchmark-uncited" in listing.stdout
    page = run("rules", "quote-altered")
    assert "Why it matters" in page.stdout and "How to fix" in page.stdout
    assert run("rules", "no-such-rule").returncode == 2


def test_an_archive_is_written_article_by_article(tmp_path, monkeypatch):
    """`iter_checks` checks the next article only when the one before has been handed over, and
    the text, jsonl and json formats write each report as it comes: pieces that join to the whole
    (json holds its first report until the second shows it is a list, and closes the list at the end)."""
    from verifier import render
    from verifier.model.config import Settings
    from verifier.run import pipeline

    for i, name in enumerate(["a.txt", "b.txt", "c.txt"]):
        (tmp_path / name).write_text(f"Headline {i}\n\nThe council said on Monday it would vote {i} times.\n",
                                     encoding="utf-8")
    checked = []
    real = pipeline._check_one
    monkeypatch.setattr(pipeline, "_check_one", lambda t, *a: checked.append(t.path) or real(t, *a))
    results = pipeline.iter_checks([str(tmp_path)], Settings(engine="rules"))
    first = next(results)
    assert checked == [first.report.article.path] and first.report.article.path.endswith("a.txt")
    rest = list(results)
    assert len(checked) == 3 and [r.report.article.path[-5:] for r in rest] == ["b.txt", "c.txt"]
    everything = [first, *rest]
    for fmt in ("text", "jsonl", "json"):
        pieces = list(render.stream(fmt, iter(everything)))
        assert len(pieces) == (4 if fmt == "json" else 3)
        assert "".join(pieces) == render.render(fmt, everything)
    out = run("check", str(tmp_path), "--format", "jsonl", "--fail-on", "never")
    assert out.returncode == 0, out.stderr
    assert [json.loads(line)["article"]["path"][-5:] for line in out.stdout.splitlines()] == ["a.txt", "b.txt", "c.txt"]


def test_an_unwritable_output_fails_before_any_article_is_checked(tmp_path, monkeypatch):
    from verifier.run import pipeline

    checked = []
    monkeypatch.setattr(pipeline, "_check_one", lambda target, *a: checked.append(target))
    out = run("check", str(EXAMPLES / "council-vote.txt"), "--engine", "rules",
              "--output", str(tmp_path / "missing" / "r.json"))
    assert out.returncode == 2
    assert "cannot write" in out.stderr and checked == []


def test_jobs_check_articles_in_worker_processes_with_the_same_reports_in_order(tmp_path):
    """`--jobs 2` hands the articles to two worker processes; the reports are those of one
    process, in the order of the arguments, a missing file included."""
    from verifier.model.config import Settings
    from verifier.run import pipeline

    for i in range(5):
        (tmp_path / f"a{i}.txt").write_text(f"Headline {i}\n\n“We will vote {i} times,” Mayor Ana Ruiz said.\n",
                                            encoding="utf-8")
    paths = [str(tmp_path / "a0.txt"), str(tmp_path / "missing.txt"), str(tmp_path)]

    def zeroed(report: dict) -> dict:
        report["usage"]["seconds"] = 0
        return report

    one = [zeroed(r.report.model_dump(mode="json")) for r in pipeline.iter_checks(paths, Settings(engine="rules"))]
    out = run("check", *paths, "--jobs", "2", "--format", "jsonl", "--fail-on", "never")
    assert out.returncode == 2, out.stderr  # the missing file
    two = [zeroed(json.loads(line)) for line in out.stdout.splitlines()]
    assert two == one
    assert [r["article"]["path"][-6:] if r["article"]["path"] else None for r in two][:3] == \
        ["a0.txt", "ng.txt", "a0.txt"]
    assert two[1]["error"]["message"].endswith("missing.txt: no such file")
    assert [q["speaker"] for r in two[2:] for q in r["quotes"]] == ["Ana Ruiz"] * 5
    bad = run("check", str(tmp_path), "--jobs", "0")
    assert bad.returncode == 2 and "--jobs must be 1 or more" in bad.stderr


def test_the_console_script_and_python_m_run_the_command_with_a_real_pipe_on_stdin():
    """The two ways to start the command as a process: the `verifier` console script (where the
    package is installed) and `python -m verifier.cli`, reading a draft from a real pipe."""
    draft = "“We won,” said Ana Ruiz.\n"
    out = verifier_process("check", "-", "--format", "json", stdin=draft)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["quotes"][0]["speaker"] == "Ana Ruiz"
    script = shutil.which("verifier", path=str(Path(sys.executable).parent))
    if script is None:
        pytest.skip("the `verifier` console script is not installed beside this Python")
    version = subprocess.run([script, "--version"], capture_output=True, text=True, timeout=120)
    assert version.returncode == 0 and version.stdout.startswith("verifier ")


@pytest.mark.parametrize(("command", "argument"), [
    (["check"], "PATH"), (["render"], "REPORT"), (["rules"], "RULE"), (["eval"], "GOLD_DIR"),
    (["batch", "submit"], "PATH")])
def test_help_names_the_arguments_as_the_readme_does(command: list[str], argument: str) -> None:
    """Each command's usage line names its argument as README's Usage does (`verifier check
    PATH...`), not by the Python parameter (`{paths}...`)."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    name = " ".join(command)
    assert f"verifier {name} {argument}" in readme or f"verifier {name} [{argument}]" in readme
    usage = run(*command, "--help").stdout.splitlines()[0]
    assert usage.startswith(f"Usage: verifier {' '.join(command)} [OPTIONS] ")
    assert argument in usage.split("[OPTIONS]", 1)[1]


HELP_COMMANDS = [["check"], ["render"], ["rules"], ["serve"], ["eval"], ["batch", "submit"],
                 ["batch", "status"], ["batch", "collect"], ["batch", "cancel"]]


@pytest.mark.parametrize("command", HELP_COMMANDS)
def test_help_names_option_values_not_python_types(command: list[str]) -> None:
    """`--source FILE`, `--jobs N`, `PATH`: before, the help wrote `--source <list[str]>`,
    `--jobs <int>`, `--output <path>` and `PATH <list[str]>` (typer's type labels); choices are
    still listed (`--fail-on <error|warning|info|never>`)."""
    text = run(*command, "--help").stdout
    assert not re.search(r"<(str|int|float|path|list\[[a-z]+\])>", text), text


def test_check_help_writes_each_value_as_the_readme_usage_does() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("verifier check PATH...")
    usage = readme[start:readme.index("verifier batch submit", start)]
    pairs = re.findall(r"\[(--[a-z-]+) ([A-Z]+)\]", usage)
    assert len(pairs) >= 10
    text = " ".join(run("check", "--help").stdout.split())
    for flag, value in pairs:
        assert f"{flag} {value}" in text, (flag, value)
