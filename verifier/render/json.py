"""`--format json`: the report contract; several articles go in `{"schema_version", "reports"}`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from verifier.model.schema import MultiReport

if TYPE_CHECKING:
    from verifier.render import Item, RenderContext


def render(results: list[Item], ctx: RenderContext) -> str:
    if len(results) == 1:
        return results[0].report.model_dump_json(indent=2) + "\n"
    return MultiReport(reports=[r.report for r in results]).model_dump_json(indent=2) + "\n"
