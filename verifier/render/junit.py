"""`--format junit`: JUnit XML, one test case per article.

Every finding at or above the fail level (`--fail-on`, default error) is a `<failure>` of its
article's test case, so the CI test view agrees with the exit code; findings below it are listed
in `<system-out>`. An article that could not be checked is an `<error>`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from verifier.model.schema import Finding
from verifier.render._common import display_path, fail_level, fails

if TYPE_CHECKING:
    from verifier.render import Item, RenderContext

# Characters XML 1.0 cannot carry even escaped; an article may contain them (form feeds, NULs).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render(results: list[Item], ctx: RenderContext) -> str:
    return "".join(render_stream(results, ctx))


def render_stream(results: Iterable[Item], ctx: RenderContext) -> Iterator[str]:
    """The document, written at the end (the totals lead it), built a test case at a time as the
    articles come: the test cases are held, never the reports."""
    level = fail_level(ctx)
    suite = ET.Element("testsuite", name="verifier")
    totals = {"tests": 0, "failures": 0, "errors": 0}
    seconds = 0.0
    for r in results:
        case = _testcase(r, display_path(r.report.article.path, ctx.root), level)
        suite.append(case)
        totals["tests"] += 1
        totals["failures"] += len(case.findall("failure"))
        totals["errors"] += len(case.findall("error"))
        seconds += r.report.usage.seconds
    for key, value in totals.items():
        suite.set(key, str(value))
    suite.set("time", f"{seconds:.3f}")
    root = ET.Element("testsuites", {"name": "verifier", **{k: str(v) for k, v in totals.items()}})
    root.append(suite)
    ET.indent(root)
    yield '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _testcase(result: Item, path: str, level: str) -> ET.Element:
    report = result.report
    path = _clean(path)
    case = ET.Element("testcase", classname="verifier", name=path, file=path,
                      time=f"{report.usage.seconds:.3f}")
    if report.error is not None:
        message = _clean(report.error.message)
        error = ET.SubElement(case, "error", type=report.error.type, message=message)
        error.text = message
        return case
    below: list[str] = []
    for finding in report.findings:
        if fails(str(finding.severity), level):
            failure = ET.SubElement(case, "failure", type=finding.rule,
                                    message=_headline(finding, path))
            failure.text = _details(finding, path)
        else:
            below.append(_headline(finding, path))
    if below:
        ET.SubElement(case, "system-out").text = "\n".join(below)
    return case


def _where(finding: Finding, path: str) -> str:
    span = finding.span
    return f"{path}:{span.line}:{span.column}" if span else path


def _headline(finding: Finding, path: str) -> str:
    return _clean(f"{_where(finding, path)}: {finding.severity} {finding.rule}: {finding.message}")


def _details(finding: Finding, path: str) -> str:
    lines = [_headline(finding, path)]
    if finding.span is not None:
        lines.append(f"text: {finding.span.text}")
    if finding.suggestion:
        lines.append(f"suggestion: {finding.suggestion}")
    return _clean("\n".join(lines))
