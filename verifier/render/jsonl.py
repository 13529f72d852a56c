"""`--format jsonl`: one report object per article per line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verifier.pipeline import Result
    from verifier.render import RenderContext


def render(results: list[Result], ctx: RenderContext) -> str:
    return "".join(r.report.model_dump_json() + "\n" for r in results)
