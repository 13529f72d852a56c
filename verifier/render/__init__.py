"""render: reports as text, json, jsonl, sarif, github, junit, markdown or html.

Each format is a module `verifier.render.<format>` with one function
`render(results: list[Result], ctx: RenderContext) -> str`. Adding a format is adding a module.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from verifier.errors import UsageError

if TYPE_CHECKING:
    from verifier.config import Settings
    from verifier.pipeline import Result

FORMATS = ("text", "json", "jsonl", "sarif", "github", "junit", "markdown", "html")


@dataclass(slots=True)
class RenderContext:
    color: bool = False  # ANSI colours (text format, stdout a terminal)
    root: str | None = None  # repository root: URIs in sarif/github are relative to it
    settings: Settings | None = None
    extra: dict[str, object] = field(default_factory=dict)


def render(fmt: str, results: list[Result], ctx: RenderContext | None = None) -> str:
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}", hint="choose one of " + ", ".join(FORMATS))
    module = importlib.import_module(f"verifier.render.{fmt}")
    return module.render(results, ctx or RenderContext())
