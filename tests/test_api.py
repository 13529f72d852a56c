"""The public API in `verifier/__init__.py`: check_text, check_paths, Report, Settings, the errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import verifier
from verifier import InputError, Report, Settings, VerifierError, check_paths, check_text
from verifier.model import errors, schema
from verifier.stages import baseline

ROOT = Path(__file__).resolve().parents[1]
CHIPMAKER = ROOT / "examples" / "chipmaker-launch.md"
SOURCES = ROOT / "examples" / "chipmaker-launch.sources"


def _without_timing(report: Report) -> dict:
    data = json.loads(report.to_json())
    data["usage"].pop("seconds", None)
    return data


def test_all_names_exist_and_are_the_package_objects() -> None:
    for name in verifier.__all__:
        assert hasattr(verifier, name), name
    assert verifier.Report is schema.Report
    assert verifier.VerifierError is errors.VerifierError
    error_classes = {n for n, v in vars(errors).items() if isinstance(v, type) and issubclass(v, VerifierError)}
    assert error_classes <= set(verifier.__all__)


def test_importing_the_package_does_not_import_the_pipeline() -> None:
    code = ("import sys, verifier; "
            "print(sorted(m for m in ('pydantic', 'verifier.run.pipeline', 'openai') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def test_unknown_attribute_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        verifier.no_such_thing  # noqa: B018


def test_check_text_is_the_report_check_paths_gives_for_the_same_file() -> None:
    from_text = check_text(CHIPMAKER.read_text(encoding="utf-8"), path=str(CHIPMAKER))
    from_path = check_paths([str(CHIPMAKER)])
    assert len(from_path) == 1 and isinstance(from_path[0], Report)
    assert _without_timing(from_text) == _without_timing(from_path[0])
    assert from_text.engine.extractor == "rules"  # Settings(): no model configured
    assert from_text.claims and from_text.quotes


def test_check_text_checks_quotes_against_given_sources() -> None:
    text = CHIPMAKER.read_text(encoding="utf-8")
    given = {p.name: p.read_text(encoding="utf-8") for p in sorted(SOURCES.iterdir())}
    checked = check_text(text, sources=given)
    assert "quote-altered" in {f.rule for f in checked.findings}
    assert {q.source_check.source for q in checked.quotes if q.source_check.source} <= set(given)
    unchecked = check_text(text, sources={})
    assert "quote-altered" not in {f.rule for f in unchecked.findings}
    assert {q.source_check.status.value for q in unchecked.quotes} == {"unchecked"}


def test_check_text_takes_the_format_from_the_path_else_from_the_text() -> None:
    text = "# Council votes\n\nThe council voted 5-2 on Monday.\n"
    assert check_text(text).article.title == "Council votes"  # looks like Markdown
    assert check_text(text, path="draft.md").article.title == "Council votes"
    assert check_text(text, path="draft.txt").article.title == "# Council votes"  # plain text
    html = check_text("<p>The council voted 5-2 on Monday.</p>\n")
    assert [c.span.text for c in html.claims] == ["The council voted 5-2 on Monday."]


def test_check_text_raises_input_error_over_the_size_limit() -> None:
    with pytest.raises(InputError, match="byte limit"):
        check_text("x" * 200, settings=Settings(max_bytes=100))


def test_check_paths_reports_an_unreadable_file_instead_of_raising(tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    good = tmp_path / "good.txt"
    good.write_text("The council voted 5-2 on Monday.\n", encoding="utf-8")
    reports = check_paths([str(missing), str(good)])
    assert [r.error is not None for r in reports] == [True, False]
    error = reports[0].error
    assert error is not None and error.type == "InputError" and error.message.endswith("no such file")
    assert reports[0].article.path == str(missing) and reports[0].claims == []


def test_a_baseline_in_the_settings_removes_accepted_findings(tmp_path: Path) -> None:
    from verifier.run import pipeline

    accepted = tmp_path / "baseline.json"
    settings = Settings(baseline=str(accepted))
    first = pipeline.check_paths([str(CHIPMAKER)], Settings())
    assert first[0].report.findings
    baseline.write_baseline(accepted, first)
    assert check_paths([str(CHIPMAKER)], settings)[0].findings == []
    assert check_text(CHIPMAKER.read_text(encoding="utf-8"), path=str(CHIPMAKER), settings=settings).findings == []
    assert check_paths([str(CHIPMAKER)])[0].findings  # without the baseline they are all there
