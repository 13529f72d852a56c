"""The CI formats (sarif, github, junit, markdown) on hand-built reports."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest

from tests._ci_helpers import BENCH, QUOTE, article, failed_result, finding, result
from verifier import render as render_module
from verifier.model.catalog import RULES
from verifier.model.config import Settings
from verifier.model.schema import MultiReport
from verifier.render import RenderContext, render, stream
from verifier.render.github import escape_data, escape_property

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


def ctx(tmp_path: Path | None = None, **settings: object) -> RenderContext:
    root = str(tmp_path) if tmp_path else str(Path.cwd())
    return RenderContext(root=root, settings=Settings(**settings))  # type: ignore[arg-type]


def expected_line_col(raw: str, words: str) -> tuple[int, int]:
    """Line and 1-based code-point column of `words`, counted independently of Article."""
    before = raw[: raw.index(words)]
    return before.count("\n") + 1, len(before.split("\n")[-1]) + 1


# --------------------------------------------------------------------------- sarif


def sarif(results: list, c: RenderContext) -> dict:
    log = json.loads(render("sarif", results, c))
    jsonschema.Draft4Validator(SCHEMA).validate(log)
    return log


def test_sarif_validates_and_points_at_the_quote(tmp_path: Path) -> None:
    art = article(str(tmp_path / "drafts" / "kestrel.md"))
    log = sarif([result(art)], ctx(tmp_path))
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["columnKind"] == "unicodeCodePoints"
    altered = next(r for r in run["results"] if r["ruleId"] == "quote-altered")
    loc = altered["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "drafts/kestrel.md"
    line, col = expected_line_col(art.raw, QUOTE)
    region = loc["region"]
    assert (region["startLine"], region["startColumn"]) == (line, col)
    # the line starts with "Zoë": code points, not UTF-16 units or bytes, give this column
    assert region["endColumn"] - region["startColumn"] == len(QUOTE)
    assert region["snippet"]["text"] == QUOTE
    assert altered["level"] == "error"
    assert "matches -> rivals" in altered["message"]["text"]


def test_sarif_levels_rules_and_help(tmp_path: Path) -> None:
    log = sarif([result(article(str(tmp_path / "a.md")))], ctx(tmp_path))
    driver = log["runs"][0]["tool"]["driver"]
    rules = driver["rules"]
    assert [r["id"] for r in rules][: len(RULES)] == list(RULES)
    for rule in rules:
        assert "What it does" in rule["help"]["text"] and rule["help"]["markdown"]
    levels = {r["ruleId"]: r["level"] for r in log["runs"][0]["results"]}
    assert levels == {"quote-altered": "error", "benchmark-uncited": "warning",
                      "claim-unattributed": "note"}
    for r in log["runs"][0]["results"]:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]


def test_sarif_rule_configuration_follows_settings(tmp_path: Path) -> None:
    c = ctx(tmp_path, severity={"benchmark-uncited": "error"}, disable=["claim-unattributed"])
    rules = {r["id"]: r for r in sarif([result()], c)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["benchmark-uncited"]["defaultConfiguration"]["level"] == "error"
    assert rules["claim-unattributed"]["defaultConfiguration"]["enabled"] is False


def test_sarif_uri_is_encoded_and_fingerprinted(tmp_path: Path) -> None:
    art = article(str(tmp_path / "my drafts" / "été #1.md"))
    log = sarif([result(art)], ctx(tmp_path))
    res = log["runs"][0]["results"][0]
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == \
        "my%20drafts/%C3%A9t%C3%A9%20%231.md"
    assert re.fullmatch(r"[0-9a-f]{16}", next(iter(res["partialFingerprints"].values())))


def test_sarif_outside_root_uses_file_uri(tmp_path: Path) -> None:
    art = article(str(tmp_path / "elsewhere" / "a.md"))
    log = sarif([result(art)], ctx(tmp_path / "repo"))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and uri.endswith("/elsewhere/a.md")


def test_sarif_failed_article_is_a_notification(tmp_path: Path) -> None:
    log = sarif([result(article(str(tmp_path / "a.md"))), failed_result(str(tmp_path / "b.md"))],
                ctx(tmp_path))
    invocation = log["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    note = invocation["toolExecutionNotifications"][0]
    assert "not UTF-8" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "b.md"


def test_sarif_empty_run_validates() -> None:
    log = sarif([], ctx())
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_rule_outside_the_catalogue_named_late_gets_the_next_index(tmp_path: Path) -> None:
    first = result(article(str(tmp_path / "a.md")))
    art = article(str(tmp_path / "b.md"))
    second = result(art, [finding(art, "house-style", "warning", BENCH, "House style.")])
    log = sarif([first, second], ctx(tmp_path))
    run = log["runs"][0]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rules[:len(RULES)] == list(RULES) and rules[len(RULES):] == ["house-style"]
    house = next(r for r in run["results"] if r["ruleId"] == "house-style")
    assert house["ruleIndex"] == len(RULES)
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["a.md", "b.md"]


# --------------------------------------------------------------------------- github


_COMMAND = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<msg>.*)$")


def unescape(value: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(code, char)
    return value


def parse_commands(text: str) -> list[tuple[str, dict[str, str], str]]:
    parsed = []
    for line in text.splitlines():
        m = _COMMAND.match(line)
        if m:
            props = dict(p.split("=", 1) for p in m.group("props").split(","))
            parsed.append((m.group(1), {k: unescape(v) for k, v in props.items()},
                           unescape(m.group("msg"))))
    return parsed


def test_github_one_annotation_per_finding_and_summary(tmp_path: Path) -> None:
    art = article(str(tmp_path / "drafts" / "kestrel.md"))
    out = render("github", [result(art)], ctx(tmp_path))
    commands = parse_commands(out)
    assert [c[0] for c in commands] == ["notice", "error", "warning"]  # report order: by offset
    kind, props, msg = commands[1]
    line, col = expected_line_col(art.raw, QUOTE)
    assert props["file"] == "drafts/kestrel.md"
    assert (int(props["line"]), int(props["col"])) == (line, col)
    assert props["title"] == "verifier quote-altered"
    assert msg == "The quote differs from the source: matches -> rivals.\nRestore the speaker's words."
    assert out.splitlines()[-1] == "verifier: 1 error, 1 warning, 1 info in 1 article"


def test_github_escapes_data_and_properties(tmp_path: Path) -> None:
    assert escape_data("100% sure\r\nnext: a, b") == "100%25 sure%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"
    art = article(str(tmp_path / "odd, name: 50%.md"))
    f = finding(art, "quote-altered", "error", QUOTE, "50% of it\nchanged, see: diff")
    out = render("github", [result(art, [f])], ctx(tmp_path))
    first = out.splitlines()[0]
    assert "\n" not in first and "odd%2C name%3A 50%25.md" in first
    (_, props, msg), = parse_commands(out)
    assert props["file"] == "odd, name: 50%.md" and msg == "50% of it\nchanged, see: diff"


def test_github_failed_article(tmp_path: Path) -> None:
    out = render("github", [failed_result(str(tmp_path / "b.md"))], ctx(tmp_path))
    (kind, props, msg), = parse_commands(out)
    assert kind == "error" and props["file"] == "b.md" and "not UTF-8" in msg
    assert out.splitlines()[-1].endswith("; 1 could not be checked")


# --------------------------------------------------------------------------- junit


def junit(results: list, c: RenderContext) -> ET.Element:
    return ET.fromstring(render("junit", results, c).encode())


@pytest.mark.parametrize(("fail_on", "failures"), [("error", 1), ("warning", 2), ("info", 3),
                                                   ("never", 0)])
def test_junit_failures_follow_fail_level(tmp_path: Path, fail_on: str, failures: int) -> None:
    root = junit([result(article(str(tmp_path / "a.md"))), result(article(str(tmp_path / "b.md")), [])],
                 ctx(tmp_path, fail_on=fail_on))
    cases = root.findall("./testsuite/testcase")
    assert [c.get("name") for c in cases] == ["a.md", "b.md"]
    assert len(cases[0].findall("failure")) == failures
    assert cases[1].find("failure") is None
    assert root.get("tests") == "2" and root.get("failures") == str(failures)
    out = cases[0].find("system-out")
    assert (out is None) == (failures == 3)


def test_junit_failure_text_and_error(tmp_path: Path) -> None:
    art = article(str(tmp_path / "a.md"))
    root = junit([result(art), failed_result(str(tmp_path / "b.md"))], ctx(tmp_path))
    failure = root.find("./testsuite/testcase/failure")
    assert failure is not None
    line, col = expected_line_col(art.raw, QUOTE)
    assert failure.get("type") == "quote-altered"
    assert failure.get("message", "").startswith(f"a.md:{line}:{col}: error quote-altered:")
    assert QUOTE in (failure.text or "")
    error = root.find("./testsuite/testcase[@name='b.md']/error")
    assert error is not None and error.get("type") == "InputError"
    assert root.get("errors") == "1"


def test_junit_survives_control_characters(tmp_path: Path) -> None:
    raw = "Intro.\n\n“A \x0c quote,” she said.\n"
    art = article(str(tmp_path / "a.md"), raw)
    f = finding(art, "quote-unattributed", "error", "A \x0c quote,", "No speaker \x00 here.")
    root = junit([result(art, [f])], ctx(tmp_path))
    assert "\ufffd" in (root.find("./testsuite/testcase/failure").text or "")


# --------------------------------------------------------------------------- markdown


def test_markdown_summary_table(tmp_path: Path) -> None:
    art = article(str(tmp_path / "drafts" / "kestrel.md"))
    out = render("markdown", [result(art), failed_result(str(tmp_path / "b.md"))], ctx(tmp_path))
    lines = out.splitlines()
    assert lines[0] == "<!-- verifier-report -->"
    assert "❌ **fails**" in out and "1 error, 1 warning, 1 info in 2 articles; 1 article could not be checked." in out
    assert "| `drafts/kestrel.md` | 1 | 1 | 1 | 0 | 0 |" in lines
    assert any(line.startswith("| `b.md` | could not be checked") for line in lines)
    line, col = expected_line_col(art.raw, QUOTE)
    row = next(x for x in lines if "`quote-altered`" in x)
    assert f"`drafts/kestrel.md:{line}:{col}`" in row and "_Fix:_ Restore the speaker's words." in row


def test_markdown_cells_are_escaped(tmp_path: Path) -> None:
    art = article(str(tmp_path / "a.md"))
    f = finding(art, "quote-altered", "error", QUOTE, "a | b <script>x</script>\nnext *_[x]_*")
    art2 = article(str(tmp_path / "my_draft|v2.md"))
    out = render("markdown", [result(art, [f]), result(art2, [])], ctx(tmp_path))
    row = next(x for x in out.splitlines() if "`quote-altered`" in x)
    assert "a \\| b &lt;script&gt;x&lt;/script&gt; next \\*\\_\\[x\\]\\_\\*" in row
    assert "| `my_draft\\|v2.md` | 0 | 0 | 0 | 0 | 0 |" in out.splitlines()
    assert row.count(" | ") == 3  # four cells, none split by the message's pipe


def test_markdown_clean_run_passes(tmp_path: Path) -> None:
    out = render("markdown", [result(article(str(tmp_path / "a.md")), [])], ctx(tmp_path))
    assert "✅ **passes**" in out and "No findings." in out


def test_markdown_long_runs_are_cut(tmp_path: Path) -> None:
    art = article(str(tmp_path / "a.md"))
    many = [finding(art, "quote-altered", "error", QUOTE, f"difference {i} " + "x" * 400)
            for i in range(300)]
    out = render("markdown", [result(art, many)], ctx(tmp_path))
    assert len(out) < 65_536
    shown = sum(1 for line in out.splitlines() if "`quote-altered`" in line)
    assert 0 < shown < 300 and f"… and {300 - shown} more" in out
    assert "300 errors, 0 warnings, 0 info in 1 article." in out  # the headline still counts every finding


def test_the_summaries_count_in_words_one_error_two_errors(tmp_path: Path) -> None:
    """GitHub, Markdown and the text footer share one wording of a count: '1 error', '2 errors',
    '0 warnings', 'in 1 article', 'in 2 articles' (never 'error(s)')."""
    art = article(str(tmp_path / "a.md"))
    two = [finding(art, "quote-altered", "error", QUOTE, f"difference {i}") for i in range(2)]
    one = [finding(art, "quote-altered", "error", QUOTE, "difference")]
    both = [result(art, two), result(article(str(tmp_path / "b.md")), [])]
    assert render("github", both, ctx(tmp_path)).splitlines()[-1] == \
        "verifier: 2 errors, 0 warnings, 0 info in 2 articles"
    assert render("github", [result(art, one)], ctx(tmp_path)).splitlines()[-1] == \
        "verifier: 1 error, 0 warnings, 0 info in 1 article"
    md = render("markdown", both + [failed_result(str(tmp_path / "c.md")), failed_result(str(tmp_path / "d.md"))],
                ctx(tmp_path))
    assert "): 2 errors, 0 warnings, 0 info in 4 articles; 2 articles could not be checked." in md
    md = render("markdown", [result(art, one)], ctx(tmp_path))
    assert "): 1 error, 0 warnings, 0 info in 1 article." in md
    text = render("text", [result(art, one)], ctx(tmp_path))
    assert "; 1 error, 0 warnings, 0 info\n" in text
    assert not any("(s)" in out for out in (md, text, render("github", both, ctx(tmp_path))))


# --------------------------------------------------------------------------- streaming


class _Counted:
    """The items of a run, handed out one at a time, counting how many have been taken."""

    def __init__(self, items: list) -> None:
        self.items, self.taken = items, 0

    def __iter__(self) -> Iterator[object]:
        for item in self.items:
            self.taken += 1
            yield item


@pytest.mark.parametrize("fmt", ["github", "sarif"])
def test_github_and_sarif_write_each_articles_findings_before_the_next_is_taken(tmp_path: Path, fmt: str) -> None:
    """An archive run in a CI format holds no report: the annotations or results of one article
    are written before the next article is taken, and the pieces make the whole document."""
    results = [result(article(str(tmp_path / f"{name}.md"))) for name in ("a", "b", "c")]
    counted = _Counted(results)
    pieces, taken_when_written = [], {}
    for piece in stream(fmt, counted, ctx(tmp_path)):
        pieces.append(piece)
        for name in ("a", "b", "c"):
            if f"{name}.md" in piece and name not in taken_when_written:
                taken_when_written[name] = counted.taken
    assert taken_when_written == {"a": 1, "b": 2, "c": 3}
    assert "".join(pieces) == render(fmt, results, ctx(tmp_path))


@pytest.mark.parametrize("needs_article", [False, True])
def test_a_whole_document_format_is_given_the_drafts_only_when_it_shows_them(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, needs_article: bool) -> None:
    """A format rendered from the whole list (json, junit, markdown) holds every report until the
    end; it is handed the reports without their drafts, unless it shows the draft (html)."""
    given: list = []

    class Format:
        NEEDS_ARTICLE = needs_article

        @staticmethod
        def render(items: list, c: RenderContext) -> str:
            given.extend(items)
            return f"{len(items)} reports"

    monkeypatch.setattr(render_module, "module", lambda fmt: Format)
    results = [result(article(str(tmp_path / "a.md"))), result(article(str(tmp_path / "b.md")))]
    assert list(stream("whole", iter(results), ctx(tmp_path))) == ["2 reports"]
    assert [g.report for g in given] == [r.report for r in results]
    assert [g.article for g in given] == ([r.article for r in results] if needs_article else [None, None])


@pytest.mark.parametrize("count", [0, 1, 2, 3])
def test_json_written_a_report_at_a_time_is_the_contracts_document(tmp_path: Path, count: int) -> None:
    """The bare report for one article, `{"schema_version", "reports"}` for any other count, byte
    for byte what pydantic writes for the whole document."""
    results = [result(article(str(tmp_path / f"{i}.md"))) for i in range(count)]
    if count == 3:
        results[1] = failed_result(str(tmp_path / "1.md"))
    expected = (results[0].report.model_dump_json(indent=2) if count == 1
                else MultiReport(reports=[r.report for r in results]).model_dump_json(indent=2)) + "\n"
    assert render("json", results, ctx(tmp_path)) == expected


def test_json_holds_only_the_first_report_until_a_second_comes(tmp_path: Path) -> None:
    results = [result(article(str(tmp_path / f"{name}.md"))) for name in ("a", "b", "c")]
    counted = _Counted(results)
    written_when = {}
    for piece in stream("json", counted, ctx(tmp_path)):
        for name in ("a", "b", "c"):
            if f"{name}.md" in piece:
                written_when.setdefault(name, counted.taken)
    assert written_when == {"a": 2, "b": 2, "c": 3}
