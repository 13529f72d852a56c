"""`--format json`: the report contract; several articles go in `{"schema_version", "reports"}`.

Streamed (`render_stream`): one article's report is held until a second one shows the run is a
multi-article one; from then on each report is written as it comes, so an archive is never held.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from verifier.model.schema import SCHEMA_VERSION, Report

if TYPE_CHECKING:
    from verifier.render import Item, RenderContext


def render(results: list[Item], ctx: RenderContext) -> str:
    return "".join(render_stream(results, ctx))


def render_stream(results: Iterable[Item], ctx: RenderContext) -> Iterator[str]:
    """What `MultiReport(reports=...).model_dump_json(indent=2)` writes, a report at a time (the
    bare report when the run checked one article)."""
    first: Report | None = None
    count = 0
    for r in results:
        count += 1
        if count == 1:
            first = r.report
            continue
        if count == 2:
            assert first is not None
            yield f'{{\n  "schema_version": "{SCHEMA_VERSION}",\n  "reports": [\n    {_nested(first)}'
        yield f",\n    {_nested(r.report)}"
    if count == 0:
        yield f'{{\n  "schema_version": "{SCHEMA_VERSION}",\n  "reports": []\n}}\n'
    elif count == 1:
        assert first is not None
        yield first.model_dump_json(indent=2) + "\n"
    else:
        yield "\n  ]\n}\n"


def _nested(report: Report) -> str:
    """The report as JSON indented for its place in the list (no JSON string holds a raw line
    break, so every line break is the layout's)."""
    return report.model_dump_json(indent=2).replace("\n", "\n    ")
