"""`--format jsonl`: one report object per article per line."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verifier.render import Item, RenderContext


SEPARATOR = ""


def render(results: list[Item], ctx: RenderContext) -> str:
    return SEPARATOR.join(render_one(r, ctx) for r in results)


def render_one(result: Item, ctx: RenderContext) -> str:
    return result.report.model_dump_json() + "\n"
