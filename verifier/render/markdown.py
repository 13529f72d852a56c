"""`--format markdown`: a summary for a pull-request comment.

A headline with the totals, a table per article (errors, warnings, info, claims, quotes), then the
findings in a table with their location. Long runs are cut at `MAX_ROWS` findings or `MAX_CHARS`
characters so the comment stays under GitHub's size limit. The first line is a hidden marker a
workflow can use to find and update its earlier comment instead of adding a new one.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from verifier.model.schema import Finding
from verifier.render._common import counted, display_path, fail_level, fails

if TYPE_CHECKING:
    from verifier.render import Item, RenderContext

MARKER = "<!-- verifier-report -->"
_MD_SPECIAL = re.compile(r"[\\|`*_\[\]]")
MAX_ROWS = 200
MAX_CHARS = 55_000  # GitHub refuses comments over 65,536 characters
ICONS = {"error": "🔴 error", "warning": "🟠 warning", "info": "🔵 info"}


def cell(text: str) -> str:
    """Make text safe inside one table cell: no pipes, newlines, raw HTML or stray emphasis."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\g<0>", text)


def code(text: str) -> str:
    """Text as an inline code span inside a table cell (file names, locations)."""
    text = " ".join(text.split()).replace("`", "'").replace("|", "\\|")
    return f"`{text}`"


def render(results: list[Item], ctx: RenderContext) -> str:
    level = fail_level(ctx)
    out = [MARKER, "## verifier", "", _headline(results, level), ""]
    out += _article_table(results, ctx)
    out += _findings_table(results, ctx)
    return "\n".join(out).rstrip("\n") + "\n"


def _headline(results: list[Item], level: str) -> str:
    counts = _counts([f for r in results for f in r.report.findings])
    failed = [r for r in results if r.report.error is not None]
    failing = sum(fails(str(f.severity), level) for r in results for f in r.report.findings)
    verdict = "❌ **fails**" if failing or failed else "✅ **passes**"
    text = (f"{verdict} (fail level: `{level}`): {counted(counts['error'], 'error')}, "
            f"{counted(counts['warning'], 'warning')}, {counts['info']} info in {counted(len(results), 'article')}")
    if failed:
        text += f"; {counted(len(failed), 'article')} could not be checked"
    return text + "."


def _article_table(results: list[Item], ctx: RenderContext) -> list[str]:
    rows = ["| Article | Errors | Warnings | Info | Claims | Quotes |",
            "|---|---:|---:|---:|---:|---:|"]
    for r in results:
        name = code(display_path(r.report.article.path, ctx.root))
        if r.report.error is not None:
            rows.append(f"| {name} | could not be checked: {cell(r.report.error.message)} | | | | |")
            continue
        c = _counts(r.report.findings)
        s = r.report.summary
        rows.append(f"| {name} | {c['error']} | {c['warning']} | {c['info']} | {s.claims} "
                    f"| {s.quotes} |")
    return rows + [""]


def _findings_table(results: list[Item], ctx: RenderContext) -> list[str]:
    pairs = [(display_path(r.report.article.path, ctx.root), f)
             for r in results for f in r.report.findings]
    if not pairs:
        return ["No findings."]
    rows = ["### Findings", "", "| Severity | Rule | Where | Message |", "|---|---|---|---|"]
    size = shown = 0
    for path, finding in pairs[:MAX_ROWS]:
        row = _finding_row(path, finding)
        size += len(row) + 1
        if size > MAX_CHARS:
            break
        rows.append(row)
        shown += 1
    if shown < len(pairs):
        rows += ["", f"… and {len(pairs) - shown} more; see the full report (`--format json`)."]
    return rows


def _finding_row(path: str, finding: Finding) -> str:
    where = path
    if finding.span is not None:
        where = f"{path}:{finding.span.line}:{finding.span.column}"
    message = cell(finding.message)
    if finding.span is not None and finding.span.text.strip():
        message += f" <br>“{cell(_clip(finding.span.text))}”"
    if finding.suggestion:
        message += f" <br>_Fix:_ {cell(finding.suggestion)}"
    return f"| {ICONS[str(finding.severity)]} | `{finding.rule}` | {code(where)} | {message} |"


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _counts(findings: list[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for f in findings:
        counts[str(f.severity)] += 1
    return counts
