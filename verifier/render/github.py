"""`--format github`: GitHub Actions workflow commands, one annotation per finding.

    ::error file=drafts/a.md,line=3,col=5,endLine=3,endColumn=40,title=quote-altered::message

Data is escaped for `%`, CR and LF (and a message's other control characters and bidirectional
overrides are written as `\\x1b`, `\\u202e`); property values also for `:` and `,`, so a path or title with
a comma cannot end the property early. A plain summary line follows the annotations. GitHub shows
only about ten annotations of each level per step, so the summary gives the full counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from verifier.model.schema import Finding
from verifier.render._common import counted, display_path, escape_controls

if TYPE_CHECKING:
    from verifier.render import Item, RenderContext

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(value: str) -> str:
    """Escape a workflow command's message."""
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(value: str) -> str:
    """Escape a workflow command property value (file, title ...)."""
    return escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render(results: list[Item], ctx: RenderContext) -> str:
    return "".join(render_stream(results, ctx))


def render_stream(results: Iterable[Item], ctx: RenderContext) -> Iterator[str]:
    """The annotations of each article as it comes, then the summary line: only the counts are held."""
    counts = {"error": 0, "warning": 0, "info": 0}
    articles = failed = 0
    for r in results:
        path = display_path(r.report.article.path, ctx.root)
        lines: list[str] = []
        if r.report.error is not None:
            failed += 1
            lines.append(_command("error", {"file": path, "title": "verifier: " + r.report.error.type},
                                  r.report.error.message))
        for f in r.report.findings:
            counts[str(f.severity)] += 1
            lines.append(annotation(f, path))
        articles += 1
        if lines:
            yield "\n".join(lines) + "\n"
    yield summary(counts, articles, failed) + "\n"


def annotation(finding: Finding, path: str) -> str:
    """One `::error|warning|notice ...::message` line for a finding in the file `path`."""
    props: dict[str, str] = {"file": path}
    if finding.span is not None:
        span = finding.span
        props.update(line=str(span.line), col=str(span.column), endLine=str(span.end_line),
                     endColumn=str(span.end_column))
    props["title"] = f"verifier {finding.rule}"
    message = finding.message
    if finding.suggestion:
        message = f"{message}\n{finding.suggestion}"
    return _command(COMMANDS[str(finding.severity)], props, message)


def summary(counts: dict[str, int], articles: int, failed: int) -> str:
    """'verifier: 1 error, 2 warnings, 0 info in 3 articles' (and how many could not be checked)."""
    text = (f"verifier: {counted(counts['error'], 'error')}, {counted(counts['warning'], 'warning')}, "
            f"{counts['info']} info in {counted(articles, 'article')}")
    return text + (f"; {failed} could not be checked" if failed else "")


def _command(name: str, props: dict[str, str], message: str) -> str:
    """The workflow command; the message's control characters and bidirectional overrides from the
    draft are written as escapes (`\\x1b`, `\\u202e`), as in the text format: the job log shows
    ANSI sequences as colours and reorders text under an override."""
    joined = ",".join(f"{k}={escape_property(v)}" for k, v in props.items())
    return f"::{name} {joined}::{escape_data(escape_controls(message))}"
