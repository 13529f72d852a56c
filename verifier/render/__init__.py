"""render: reports as text, json, jsonl, sarif, github, junit, markdown or html.

Each format is a module `verifier.render.<format>` with one function
`render(results: list[Result], ctx: RenderContext) -> str`. Adding a format is adding a module.
A format that is a sequence of per-article pieces (text, jsonl) also has `render_one(result, ctx)`
and a `SEPARATOR` between pieces, so a run over an archive can write each report as it comes
(`stream`) instead of holding them all.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from verifier.model.errors import UsageError
from verifier.model.options import OutputFormat

if TYPE_CHECKING:
    from verifier.model.config import Settings
    from verifier.run.pipeline import Result

FORMATS = tuple(fmt.value for fmt in OutputFormat)


@dataclass(slots=True)
class RenderContext:
    color: bool = False  # ANSI colours (text format, stdout a terminal)
    root: str | None = None  # repository root: URIs in sarif/github are relative to it
    settings: Settings | None = None
    extra: dict[str, object] = field(default_factory=dict)


def render(fmt: str, results: list[Result], ctx: RenderContext | None = None) -> str:
    return _module(fmt).render(results, ctx or RenderContext())


def stream(fmt: str, results: Iterable[Result], ctx: RenderContext | None = None) -> Iterator[str]:
    """The report in pieces that join to `render(fmt, list(results), ctx)`: one per article for
    the formats that allow it, each as soon as its article is checked; else one piece at the end."""
    module = _module(fmt)
    ctx = ctx or RenderContext()
    one = getattr(module, "render_one", None)
    if one is None:
        yield module.render(list(results), ctx)
        return
    for i, result in enumerate(results):
        yield (module.SEPARATOR if i else "") + one(result, ctx)


def _module(fmt: str) -> Any:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}", hint="choose one of " + ", ".join(FORMATS))
    return importlib.import_module(f"verifier.render.{fmt}")
