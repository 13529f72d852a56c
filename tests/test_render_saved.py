"""`verifier render`: saved json and jsonl reports rendered again, equal to rendering the check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verifier import render
from verifier.cli import cli
from verifier.model.config import Settings
from verifier.model.errors import InputError
from verifier.render import RenderContext, saved
from verifier.run import pipeline

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted(str(p) for p in (ROOT / "examples").glob("*.*") if p.is_file())
GOLD_HTML = str(ROOT / "eval" / "gold" / "07-html" / "article.html")
RULES = Settings(engine="rules")


@pytest.fixture(scope="module")
def results() -> list[pipeline.Result]:
    """One check of the examples (txt, md, html) and an HTML draft of the gold set."""
    return pipeline.check_paths([*EXAMPLES, GOLD_HTML], RULES)


def reread(text: str, name: str = "saved.json") -> list[render.Saved]:
    return saved.with_drafts(saved.parse_reports(text, name), RULES)


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl", "sarif", "github", "junit", "markdown", "html"])
@pytest.mark.parametrize("saved_as", ["json", "jsonl"])
def test_a_saved_report_renders_as_the_check_did(results: list[pipeline.Result], fmt: str,
                                                 saved_as: str) -> None:
    ctx = RenderContext(root=str(ROOT), settings=RULES)
    items = reread(render.render(saved_as, results))
    assert [i.report for i in items] == [r.report for r in results]
    assert render.render(fmt, items, ctx) == render.render(fmt, results, ctx)


def test_one_report_saved_bare_reads_back(results: list[pipeline.Result]) -> None:
    one = results[0]
    text = render.render("json", [one])
    assert '"reports"' not in text
    items = reread(text)
    assert len(items) == 1 and render.render("html", items) == render.render("html", [one])


def test_only_the_formats_that_show_the_draft_need_it() -> None:
    assert [f for f in render.formats() if render.needs_article(f)] == ["html", "text"]


def test_the_command_renders_a_saved_report_like_the_check(tmp_path: Path) -> None:
    runner = CliRunner()
    report = tmp_path / "report.json"
    checked = runner.invoke(cli.app, ["check", *EXAMPLES, "--engine", "rules", "-f", "json", "-o", str(report)])
    assert checked.exit_code == 1  # an altered quote in the chipmaker example
    items = reread(report.read_text(encoding="utf-8"))
    for fmt in ("html", "sarif", "text"):
        page = tmp_path / f"page.{fmt}"
        out = runner.invoke(cli.app, ["render", str(report), "--format", fmt, "-o", str(page)])
        assert out.exit_code == checked.exit_code, out.stderr
        ctx = RenderContext(root=str(Path.cwd()), settings=Settings())
        assert page.read_text(encoding="utf-8") == render.render(fmt, items, ctx)
    out = runner.invoke(cli.app, ["render", str(report), "--format", "markdown", "--fail-on", "never"])
    assert out.exit_code == 0 and "✅ **passes** (fail level: `never`): 1 error," in out.stdout


def test_a_changed_draft_is_not_shown_under_an_old_report(tmp_path: Path) -> None:
    draft = tmp_path / "story.txt"
    shutil.copy(ROOT / "examples" / "council-vote.txt", draft)
    runner = CliRunner()
    report = tmp_path / "report.jsonl"
    runner.invoke(cli.app, ["check", str(draft), "--engine", "rules", "-f", "jsonl", "-o", str(report)])
    assert runner.invoke(cli.app, ["render", str(report), "-f", "html"]).exit_code == 0  # no errors
    draft.write_text(draft.read_text(encoding="utf-8").replace("said", "says", 1), encoding="utf-8")
    out = runner.invoke(cli.app, ["render", str(report), "-f", "html"])
    assert out.exit_code == 2 and out.stdout == ""
    assert f"{draft}: the draft has changed since the report was written" in out.stderr
    out = runner.invoke(cli.app, ["render", str(report), "-f", "sarif"])  # needs only the report
    assert out.exit_code == 0 and json.loads(out.stdout)["runs"][0]["results"]
    draft.unlink()
    out = runner.invoke(cli.app, ["render", str(report), "-f", "text"])
    assert out.exit_code == 2 and "the draft of this report is not there" in out.stderr


def test_a_report_of_stdin_renders_only_in_formats_that_need_no_draft() -> None:
    runner = CliRunner()
    text = (ROOT / "examples" / "council-vote.txt").read_text(encoding="utf-8")
    report = runner.invoke(cli.app, ["check", "-", "--engine", "rules", "-f", "json"], input=text).stdout
    out = runner.invoke(cli.app, ["render", "-", "-f", "html"], input=report)
    assert out.exit_code == 2 and "a report of standard input cannot be shown in this format" in out.stderr
    out = runner.invoke(cli.app, ["render", "-", "-f", "github"], input=report)
    assert out.exit_code == 0 and out.stderr == ""  # warnings at most, below the error level
    assert out.stdout.startswith("::notice file=<stdin>,line=1,col=1,")


def test_a_file_that_is_not_a_report_is_an_input_error(results: list[pipeline.Result],
                                                      tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a verifier report .*schema_version"):
        saved.parse_reports('{"schema_version": "2", "claims": []}', "x.json")
    with pytest.raises(InputError, match="x.jsonl: line 2 is not a verifier report"):
        saved.parse_reports(render.render("jsonl", results[:1]) + '{"b": 2}\n', "x.jsonl")
    with pytest.raises(InputError, match="holds no report"):
        saved.parse_reports("\n\n", "empty.jsonl")
    out = CliRunner().invoke(cli.app, ["render", str(tmp_path / "missing.json")])
    assert out.exit_code == 2 and "missing.json: cannot read the report" in out.stderr


def test_a_jsonl_file_is_read_a_report_at_a_time(results: list[pipeline.Result]) -> None:
    """`iter_reports` hands over each report of a jsonl file before reading the next line (a bad
    line further down is only reached when the reports before it have been rendered)."""
    lines = render.render("jsonl", results[:2]).splitlines(keepends=True)
    read: list[int] = []

    def feed() -> object:
        for i, line in enumerate([*lines, '{"b": 2}\n']):
            read.append(i)
            yield line

    reports = saved.iter_reports(feed(), "x.jsonl")  # type: ignore[arg-type]
    assert next(reports).article.path == results[0].report.article.path and read == [0]
    assert next(reports).article.path == results[1].report.article.path and read == [0, 1]
    with pytest.raises(InputError, match="x.jsonl: line 3 is not a verifier report"):
        next(reports)
    # a json document (indented, or several reports) is read whole, as before
    indented = render.render("json", results[:2])
    assert [r.article.path for r in saved.iter_reports(indented.splitlines(keepends=True), "x.json")] == \
        [r.report.article.path for r in results[:2]]


def test_rendering_an_archive_holds_one_report_at_a_time(tmp_path: Path) -> None:
    """`verifier render out.jsonl --format text` of an archive's output: before, every report was
    parsed into memory first (2,523 PolNeAR-train reports, 104 MB: 1.1 GB peak); now the text is
    written report by report."""
    import tracemalloc

    draft = tmp_path / "chipmaker-launch.md"
    shutil.copy(ROOT / "examples" / "chipmaker-launch.md", draft)
    shutil.copytree(ROOT / "examples" / "chipmaker-launch.sources", tmp_path / "chipmaker-launch.sources")
    one = pipeline.check_paths([str(draft)], RULES)
    line = render.render("jsonl", one).rstrip("\n") + "\n"
    archive = tmp_path / "out.jsonl"
    out = tmp_path / "out.txt"
    archive.write_text(line, encoding="utf-8")
    CliRunner().invoke(cli.app, ["render", str(archive), "--format", "text", "-o", str(out)])  # imports
    peaks, sizes = [], []
    for copies in (20, 500):
        archive.write_text(line * copies, encoding="utf-8")
        sizes.append(archive.stat().st_size)
        tracemalloc.start()
        ran = CliRunner().invoke(cli.app, ["render", str(archive), "--format", "text", "-o", str(out)])
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert ran.exit_code == 1, ran.stderr  # the altered quote, in every copy
    page = render.render("text", one)
    assert out.read_text(encoding="utf-8") == page + ("\n" + page) * 499
    # 25 times the reports, 9 MB more of them: the peak stays where it was (before: 8x the file)
    assert peaks[1] - peaks[0] < (sizes[1] - sizes[0]) / 20, (sizes, peaks)


def test_an_unreadable_report_leaves_the_output_file_alone(tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    out.write_text("the last run's page\n", encoding="utf-8")
    ran = CliRunner().invoke(cli.app, ["render", str(tmp_path / "missing.jsonl"), "-o", str(out)])
    assert ran.exit_code == 2 and "cannot read the report" in ran.stderr
    assert out.read_text(encoding="utf-8") == "the last run's page\n"
