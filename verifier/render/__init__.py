"""render: reports as text, json, jsonl, sarif, github, junit, markdown or html, and any format a
plugin registers.

A format is one module with one function `render(items: list[Item], ctx: RenderContext) -> str`,
registered under the entry-point group `verifier.formats` (`verifier.model.registry.FORMATS`; the
built-ins are `verifier.render.<format>`). docs/formats.md shows a new format added as one file and
one entry-point line. An `Item` is one article's report and, when at hand, its loaded draft; a
format reads the report, and only a format that shows the article's own text (text groups by
paragraph, html shows the reading view) reads the draft too: such a module sets
`NEEDS_ARTICLE = True`, so `verifier render` re-reads the draft for it.

A format that is a sequence of per-article pieces (text, jsonl) also has `render_one(item, ctx)`
and a `SEPARATOR` between pieces, so a run over an archive can write each report as it comes
(`stream`) instead of holding them all. A format with a head or a tail around its pieces (github's
summary line, SARIF's run) has `render_stream(items, ctx)` instead: a generator of pieces that
join to `render(list(items), ctx)`, holding only what its tail needs. Any other format gets the
whole list, and only the reports unless it sets `NEEDS_ARTICLE`: the drafts are let go as they come.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from verifier.model.registry import FORMATS as REGISTRY

if TYPE_CHECKING:
    from verifier.model.config import Settings
    from verifier.model.schema import Article, Report


class Item(Protocol):
    """What a format renders for one article (a check's `pipeline.Result`, or a `Saved` report)."""

    @property
    def report(self) -> Report: ...

    @property
    def article(self) -> Article | None: ...


@dataclass(slots=True)
class Saved:
    """A report read back from a file, and its draft when it could be loaded again."""

    report: Report
    article: Article | None = None


@dataclass(slots=True)
class RenderContext:
    """The render input besides the reports: how to show them, not what they say."""

    color: bool = False  # ANSI colours (text format, stdout a terminal)
    root: str | None = None  # repository root: URIs in sarif/github are relative to it
    settings: Settings | None = None  # fail level, severity overrides and disabled rules
    extra: dict[str, object] = field(default_factory=dict)


def formats() -> tuple[str, ...]:
    """Every registered format: the built-ins, then the plugins' (alphabetical)."""
    return REGISTRY.names()


def needs_article(fmt: str) -> bool:
    """True when the format shows the draft's own text, which a saved report does not hold."""
    return bool(getattr(module(fmt), "NEEDS_ARTICLE", False))


def render(fmt: str, items: list[Any], ctx: RenderContext | None = None) -> str:
    return module(fmt).render(items, ctx or RenderContext())


def stream(fmt: str, items: Iterable[Any], ctx: RenderContext | None = None) -> Iterator[str]:
    """The report in pieces that join to `render(fmt, list(items), ctx)`: one per article for
    the formats that allow it, each as soon as its article is checked; else one piece at the end."""
    mod = module(fmt)
    ctx = ctx or RenderContext()
    whole = getattr(mod, "render_stream", None)
    if whole is not None:
        yield from whole(items, ctx)
        return
    one = getattr(mod, "render_one", None)
    if one is None:
        if not getattr(mod, "NEEDS_ARTICLE", False):
            items = (Saved(item.report) for item in items)  # the reports only: no draft is held
        yield mod.render(list(items), ctx)
        return
    for i, item in enumerate(items):
        yield (mod.SEPARATOR if i else "") + one(item, ctx)


def module(fmt: str) -> Any:
    """The module of a registered format (a `UsageError` lists the formats for any other name)."""
    return REGISTRY.load(fmt)
