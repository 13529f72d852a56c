"""The CI check end to end: a git repository of drafts, every format, exit codes, configuration,
suppressions, baselines, --changed-since, rule pages and the pre-commit hook."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from tests._ci_helpers import git
from verifier.cli.cli import app
from verifier.model.catalog import RULES

ROOT = Path(__file__).resolve().parent.parent
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text())

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

ALTERED = "We built Kestrel 3 to answer questions our customers actually ask,"
KESTREL = f"""\
---
title: Orbital Lantern unveils Kestrel 3
---
# Orbital Lantern unveils Kestrel 3

Orbital Lantern on Tuesday released Kestrel 3, its newest language model.

“{ALTERED}” Zoë Brandvold-Ngata, the company’s chief executive, said at the launch.

“Nobody else is close on maths,” Brandvold-Ngata said.
"""
SOURCE = ("ZOË BRANDVOLD-NGATA: We built Kestrel 3 to answer the questions our customers really "
          "ask. Nobody else is close on maths.\n")
HARBOUR = """\
<html><head><title>Harbour desk reopens</title></head><body>
<h1>Harbour desk reopens</h1>
<p>The Saltmarsh Harbour information desk reopened on Monday after repairs.</p>
</body></html>
"""


@pytest.fixture
def newsroom(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository of drafts: one Markdown draft with an altered quote, one HTML draft."""
    repo = tmp_path / "newsroom"
    (repo / "drafts").mkdir(parents=True)
    (repo / "sources").mkdir()
    (repo / "drafts" / "kestrel.md").write_text(KESTREL, encoding="utf-8")
    (repo / "drafts" / "harbour.html").write_text(HARBOUR, encoding="utf-8")
    (repo / "sources" / "kestrel-call.txt").write_text(SOURCE, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "drafts")
    monkeypatch.chdir(repo)
    return repo


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["check", *args], env=env)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


SRC = ("--source", "sources/kestrel-call.txt")


def quote_position() -> tuple[int, int]:
    """Line and code-point column of the altered quote's first word, from the file itself."""
    for number, line in enumerate(KESTREL.splitlines(), start=1):
        if ALTERED in line:
            return number, line.index(ALTERED) + 1
    raise AssertionError("fixture lost its quote")


def sarif_results(text: str) -> list[dict]:
    log = json.loads(text)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    return log["runs"][0]["results"]


# --------------------------------------------------------------------------- acceptance


def test_altered_quote_fails_then_baseline_accepts_it(newsroom: Path) -> None:
    code, out, err = run("drafts", *SRC, "--format", "sarif", "--output", "report.sarif")
    assert code == 1, err
    results = sarif_results((newsroom / "report.sarif").read_text(encoding="utf-8"))
    altered = [r for r in results if r["ruleId"] == "quote-altered"]
    assert len(altered) == 1 and altered[0]["level"] == "error"
    location = altered[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "drafts/kestrel.md"
    line, column = quote_position()
    assert (location["region"]["startLine"], location["region"]["startColumn"]) == (line, column)

    code, _, err = run("drafts", *SRC, "--baseline", "ci/baseline.json", "--update-baseline")
    assert code == 0 and "wrote" in err
    entries = json.loads((newsroom / "ci" / "baseline.json").read_text())["findings"]
    assert any(e["rule"] == "quote-altered" and e["path"] == "../drafts/kestrel.md" for e in entries)

    code, out, err = run("drafts", *SRC, "--format", "sarif", "--baseline", "ci/baseline.json")
    assert code == 0, err
    assert [r for r in sarif_results(out) if r["ruleId"] == "quote-altered"] == []


def test_baseline_from_another_directory_and_new_findings(newsroom: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("drafts", *SRC, "--baseline", "baseline.json", "--update-baseline")[0] == 0
    monkeypatch.chdir(newsroom / "drafts")
    assert run("kestrel.md", "--source", "../sources/kestrel-call.txt",
               "--baseline", "../baseline.json")[0] == 0
    # a second altered quote is new: the run fails on it alone
    (newsroom / "drafts" / "kestrel.md").write_text(
        KESTREL.replace("Nobody else is close on maths", "Nobody else comes close on maths"),
        encoding="utf-8")
    code, out, _ = run("kestrel.md", "--source", "../sources/kestrel-call.txt",
                       "--baseline", "../baseline.json", "--format", "json")
    assert code == 1
    assert [f["span"]["text"] for f in json.loads(out)["findings"] if f["rule"] == "quote-altered"] \
        == ["Nobody else comes close on maths,"]


def test_baseline_errors_exit_2(newsroom: Path) -> None:
    code, _, err = run("drafts", "--baseline", "missing.json")
    assert code == 2 and "baseline file not found" in err
    code, _, err = run("drafts", "--update-baseline")
    assert code == 2 and "--update-baseline needs --baseline" in err
    code, _, err = run("drafts", "--baseline", "b.json", "--update-baseline", "--changed-since", "HEAD")
    assert code == 2 and "drop --changed-since" in err and not (newsroom / "b.json").exists()


# --------------------------------------------------------------------------- formats


def test_every_format(newsroom: Path) -> None:
    outputs = {}
    for fmt in ("text", "json", "jsonl", "sarif", "github", "junit", "markdown", "html"):
        code, out, err = run("drafts", *SRC, "--format", fmt)
        assert code == 1, (fmt, err)
        outputs[fmt] = out
    assert len(json.loads(outputs["json"])["reports"]) == 2
    assert [json.loads(x)["article"]["path"] for x in outputs["jsonl"].splitlines()] == \
        ["drafts/harbour.html", "drafts/kestrel.md"]
    assert any(r["ruleId"] == "quote-altered" for r in sarif_results(outputs["sarif"]))
    line, column = quote_position()
    assert re.search(rf"^::error file=drafts/kestrel.md,line={line},col={column},.*quote-altered::",
                     outputs["github"], re.M)
    assert outputs["github"].splitlines()[-1].startswith("verifier: 1 error,")
    suite = ET.fromstring(outputs["junit"].encode())
    assert [c.get("name") for c in suite.iter("testcase")] == ["drafts/harbour.html",
                                                               "drafts/kestrel.md"]
    assert suite.get("failures") == "1"
    assert outputs["markdown"].startswith("<!-- verifier-report -->")
    assert f"`drafts/kestrel.md:{line}:{column}`" in outputs["markdown"]
    assert "kestrel.md" in outputs["text"] and "<html" in outputs["html"].lower()


# --------------------------------------------------------------------------- exit codes


ONLY_ALTERED = """\
disable = ["claim-unattributed", "attribution-vague", "opinion-unattributed", "benchmark-uncited",
           "quote-unattributed", "quote-minor-difference", "quote-unbalanced", "claim-ungrounded",
           "quote-not-in-source", "quote-speaker-mismatch"]
[severity]
quote-altered = "{level}"
"""


@pytest.mark.parametrize(("level", "fail_on", "expected"), [
    ("error", "error", 1), ("error", "warning", 1), ("error", "info", 1), ("error", "never", 0),
    ("warning", "error", 0), ("warning", "warning", 1), ("warning", "info", 1),
    ("info", "error", 0), ("info", "warning", 0), ("info", "info", 1), ("info", "never", 0),
])
def test_exit_code_for_each_fail_level(newsroom: Path, level: str, fail_on: str,
                                       expected: int) -> None:
    (newsroom / "verifier.toml").write_text(ONLY_ALTERED.format(level=level), encoding="utf-8")
    code, out, err = run("drafts", *SRC, "--fail-on", fail_on, "--format", "json")
    assert code == expected, err
    findings = [f for r in json.loads(out)["reports"] for f in r["findings"]]
    assert [(f["rule"], f["severity"]) for f in findings] == [("quote-altered", level)]


def test_usage_and_input_errors_exit_2(newsroom: Path) -> None:
    assert run("drafts", "--fail-on", "sometimes")[0] == 2
    assert run("drafts", "--format", "pdf")[0] == 2
    assert run("drafts/missing.md")[0] == 2
    code, _, err = run("drafts", env={"VERIFIER_FAIL_ON": "loud"})
    assert code == 2 and "VERIFIER_FAIL_ON must be one of" in err


# --------------------------------------------------------------------------- configuration


def test_config_precedence_file_env_flag(newsroom: Path) -> None:
    (newsroom / "verifier.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    assert run("drafts", *SRC)[0] == 0                                          # file
    assert run("drafts", *SRC, env={"VERIFIER_FAIL_ON": "error"})[0] == 1       # env > file
    assert run("drafts", *SRC, "--fail-on", "never",
               env={"VERIFIER_FAIL_ON": "error"})[0] == 0                       # flag > env


def test_pyproject_table_and_explicit_config(newsroom: Path) -> None:
    (newsroom / "pyproject.toml").write_text(
        '[project]\nname = "desk"\n\n[tool.verifier.severity]\nquote-altered = "off"\n',
        encoding="utf-8")
    code, out, _ = run("drafts", *SRC, "--format", "json")
    assert code == 0 and "quote-altered" not in out
    strict = newsroom / "ci" / "strict.toml"
    strict.parent.mkdir()
    strict.write_text('[severity]\nclaim-unattributed = "error"\n', encoding="utf-8")
    code, out, _ = run("drafts", *SRC, "--config", str(strict), "--format", "json")
    assert code == 1 and '"quote-altered"' in out  # the explicit file replaces pyproject's


def test_sources_from_the_configuration(newsroom: Path) -> None:
    (newsroom / "verifier.toml").write_text(
        '[source_map]\n"drafts/kestrel*.md" = ["sources/kestrel-call.txt"]\n', encoding="utf-8")
    code, out, _ = run("drafts", "--format", "json")
    assert code == 1 and '"quote-altered"' in out
    (newsroom / "verifier.toml").write_text(
        '[source_map]\n"drafts/other*.md" = ["sources/kestrel-call.txt"]\n', encoding="utf-8")
    code, out, _ = run("drafts", "--format", "json")
    assert '"quote-altered"' not in out


def test_sources_from_the_configuration_are_named_relative_to_the_run(
        newsroom: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A source the configuration file names is shown as `sources/kestrel-call.txt` in the finding
    (a CI annotation, a SARIF result), as `--source` shows it, not by the runner's absolute path;
    one outside the current folder stays absolute."""
    (newsroom / "verifier.toml").write_text(
        '[source_map]\n"drafts/kestrel*.md" = ["sources/kestrel-call.txt"]\n', encoding="utf-8")
    code, out, _ = run("drafts", "--format", "github")
    altered = next(line for line in out.splitlines() if "quote-altered" in line)
    assert "differ from the source at sources/kestrel-call.txt:1:" in altered
    assert str(newsroom) not in out
    (newsroom / "verifier.toml").write_text('sources = ["sources/kestrel-call.txt"]\n', encoding="utf-8")
    code, out, _ = run("drafts", "--format", "json")
    assert '"source": "sources/kestrel-call.txt"' in out and str(newsroom) not in out
    monkeypatch.chdir(newsroom / "drafts")
    code, out, _ = run(".", "--format", "github")
    assert f"differ from the source at {newsroom / 'sources' / 'kestrel-call.txt'}:1:" in out


def test_config_found_upward_from_the_article(newsroom: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    (newsroom / "verifier.toml").write_text('fail_on = "never"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert run(str(newsroom / "drafts" / "kestrel.md"), "--source",
               str(newsroom / "sources" / "kestrel-call.txt"))[0] == 0


def test_bad_config_names_file_and_line(newsroom: Path) -> None:
    (newsroom / "verifier.toml").write_text('engine = "rules"\n[severity]\nquote-altered = "loud"\n',
                                            encoding="utf-8")
    code, out, err = run("drafts")
    assert code == 2 and out == ""
    assert f"{newsroom / 'verifier.toml'}:3: severity.quote-altered must be one of" in err


# --------------------------------------------------------------------------- suppressions


def test_inline_suppression(newsroom: Path) -> None:
    draft = newsroom / "drafts" / "kestrel.md"
    draft.write_text(KESTREL.replace("“We built", "<!-- verifier: ignore quote-altered -->\n“We built"),
                     encoding="utf-8")
    code, out, _ = run("drafts", *SRC, "--format", "json")
    assert code == 0 and '"quote-altered"' not in out
    draft.write_text(KESTREL.replace("“We built", "<!-- verifier: ignore quote-unbalanced -->\n“We built"),
                     encoding="utf-8")
    assert run("drafts", *SRC)[0] == 1


def test_inline_suppression_in_html(newsroom: Path) -> None:
    html = ("<html><body><h1>Kestrel 3</h1>\n<!-- verifier: ignore quote-altered -->"
            f"<p>“{ALTERED}” Zoë Brandvold-Ngata said.</p>\n"
            "<p>“We will lead in maths,” Brandvold-Ngata said.</p></body></html>\n")
    (newsroom / "drafts" / "kestrel.md").unlink()
    (newsroom / "drafts" / "kestrel.html").write_text(html, encoding="utf-8")
    code, out, _ = run("drafts/kestrel.html", *SRC, "--format", "json")
    rules = [f["rule"] for f in json.loads(out)["findings"]]
    assert "quote-altered" not in rules and code == 1  # the second quote is still checked
    assert any(r.startswith("quote-") for r in rules)


# --------------------------------------------------------------------------- changed since


def test_changed_since_checks_only_touched_paragraphs(newsroom: Path) -> None:
    draft = newsroom / "drafts" / "kestrel.md"
    draft.write_text(KESTREL.replace("newest language model", "newest and largest language model"),
                     encoding="utf-8")
    code, out, err = run("drafts", *SRC, "--changed-since", "HEAD", "--format", "json")
    assert code == 0, err
    findings = [f for r in json.loads(out)["reports"] for f in r["findings"]]
    assert findings and all("largest" in f["span"]["text"] for f in findings if f["span"])
    # the quote's paragraph touched: its finding comes back
    draft.write_text(KESTREL.replace("at the launch", "at the launch event"), encoding="utf-8")
    code, out, _ = run("drafts", *SRC, "--changed-since", "HEAD", "--format", "json")
    assert code == 1 and '"quote-altered"' in out


def test_changed_since_in_text_shows_only_what_changed(newsroom: Path) -> None:
    """An editor's terminal run over many drafts with one changed: the changed draft and its
    changed paragraph only, and one line counting the drafts left out. Before, every unchanged
    draft's header, quotes and footer were printed."""
    for i in range(5):
        (newsroom / "drafts" / f"other{i}.md").write_text(KESTREL.replace(
            "at the launch", f"at launch number {i}"), encoding="utf-8")
    git(newsroom, "add", ".")
    git(newsroom, "commit", "-qm", "more drafts")
    (newsroom / "drafts" / "other3.md").write_text(KESTREL.replace("at the launch", "at launch number 3").replace(
        "newest language model", "newest and largest language model"), encoding="utf-8")
    code, out, err = run("drafts", "--changed-since", "HEAD")
    assert code == 0, err
    headers = [line for line in out.splitlines() if line.startswith("drafts/")]
    assert headers == ["drafts/other3.md — Orbital Lantern unveils Kestrel 3"]
    assert "Q1" not in out and "Nobody else" not in out  # the quotes' paragraphs did not change
    assert "(2 quotes in unchanged paragraphs not shown)" in out
    assert "largest" in out
    assert "verifier: 6 drafts unchanged since HEAD with nothing to report, not shown" in err
    # the machine formats keep every draft's report
    code, out, _ = run("drafts", "--changed-since", "HEAD", "--format", "json")
    assert len(json.loads(out)["reports"]) == 7


def test_changed_since_new_file_is_checked_whole(newsroom: Path) -> None:
    (newsroom / "drafts" / "copy.md").write_text(KESTREL, encoding="utf-8")
    code, out, _ = run("drafts/copy.md", *SRC, "--changed-since", "HEAD", "--format", "json")
    assert code == 1 and '"quote-altered"' in out


def test_changed_since_unknown_revision(newsroom: Path) -> None:
    code, out, err = run("drafts", "--changed-since", "v9.9-nope")
    assert code == 2 and "unknown git revision 'v9.9-nope'" in err
    # one error for the run, naming the path, before any draft is read (not one per draft)
    assert err.count("unknown git revision") == 1 and "drafts: unknown git revision" in err
    assert out == ""


# --------------------------------------------------------------------------- rules, pre-commit


def test_rules_list_and_pages() -> None:
    runner = CliRunner()
    listing = runner.invoke(app, ["rules"])
    assert listing.exit_code == 0
    assert [line.split()[0] for line in listing.stdout.splitlines()] == list(RULES)
    for rule in RULES:
        page = runner.invoke(app, ["rules", rule])
        assert page.exit_code == 0
        for heading in ("What it does", "Why it matters", "Example", "How to fix", "How to suppress"):
            assert heading in page.stdout
        assert f"<!-- verifier: ignore {rule} -->" in page.stdout
    assert runner.invoke(app, ["rules", "no-such-rule"]).exit_code == 2


def test_pre_commit_hook_definition_runs(newsroom: Path) -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    hook = next(h for h in hooks if h["id"] == "verifier")
    assert set(hook["types_or"]) == {"markdown", "html"} and hook["language"] == "python"
    assert re.search(hook["exclude"], "drafts/kestrel.sources/call.md")
    assert not re.search(hook["exclude"], "drafts/kestrel.md")
    entry = hook["entry"].split()
    assert entry[:2] == ["verifier", "check"]
    # pre-commit appends the staged file names to the entry and its args
    args = [*entry[2:], *hook.get("args", []), "drafts/kestrel.md", "drafts/harbour.html"]
    code, _, _ = run(*args, *SRC)
    assert code == 1
    (newsroom / "drafts" / "kestrel.md").write_text(KESTREL.replace(ALTERED, ALTERED.replace(
        "questions our customers actually ask", "the questions our customers really ask")),
        encoding="utf-8")
    assert run(*args, *SRC)[0] == 0


def test_include_globs_are_relative_to_the_configuration_file(
        newsroom: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`include = ["drafts/*.md"]` picks the same drafts whichever folder verifier runs from (the
    docs say paths in the file are relative to it): before, from inside drafts/ `verifier check .`
    matched no path as given and every draft was left out."""
    (newsroom / "verifier.toml").write_text('include = ["drafts/*.md"]\n', encoding="utf-8")
    code, out, _ = run("drafts", "--format", "github")  # from the root, the Markdown draft is checked
    assert code == 0 and out.splitlines()[-1].endswith(" in 1 article")
    monkeypatch.chdir(newsroom / "drafts")
    for given in (".", "*.md", "*", str(newsroom / "drafts")):  # a folder, globs, an absolute path
        code, out, err = run(given, "--format", "github")
        assert code == 0, (given, err)
        assert out.splitlines()[-1].endswith(" in 1 article"), given  # harbour.html left out
    (newsroom / "verifier.toml").write_text('exclude = ["drafts/*.html"]\n', encoding="utf-8")
    code, out, _ = run(".", "--format", "github")
    assert code == 0 and out.splitlines()[-1].endswith(" in 1 article")


def test_a_folder_whose_every_draft_the_include_globs_leave_out_is_an_error(
        newsroom: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run whose folder or glob the include globs leave out whole would check nothing and pass:
    it is an error naming the configuration file."""
    (newsroom / "verifier.toml").write_text('include = ["published/*.md"]\n', encoding="utf-8")
    monkeypatch.chdir(newsroom / "drafts")
    code, out, err = run(".", "--format", "github")
    assert code == 2
    assert "all 2 articles found are left out by `include`/`exclude`" in err
    assert str(newsroom / "verifier.toml") in err
    code, _, err = run("*.md", "--format", "github")  # a glob, the same
    assert code == 2 and "left out by `include`/`exclude`" in err
    code, out, _ = run("kestrel.md", "--format", "github")  # a file named outright is checked
    assert code == 0 and out.splitlines()[-1].endswith(" in 1 article")
