"""`--format text`: for people at a terminal. First the claims most worth checking (highest
`checkworthiness` first), then everything by paragraph with file:line:col; tags coloured
when stdout is a terminal and plain otherwise. Control characters from the draft (ESC, BEL, CR ...)
are written as escapes (`\\x1b`), so a draft cannot drive the terminal."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from verifier.model.schema import Claim, Report, Span
from verifier.render._common import STDIN_NAME, counted, escape_controls

if TYPE_CHECKING:
    from verifier.render import Item, RenderContext

_COLORS = {"attributed": "36", "benchmark_dependent": "35", "opinion": "33",
           "error": "31;1", "warning": "33;1", "info": "34"}


SEPARATOR = "\n"
NEEDS_ARTICLE = True  # claims, quotes and findings are grouped by the draft's paragraphs
WORTH_CHECKING = 0.5  # a claim at or above this checkworthiness is listed first (CheckThat!'s "Yes")
FIRST_LISTED = 5  # at most this many; the rest stay in their paragraphs


def render(results: list[Item], ctx: RenderContext) -> str:
    return SEPARATOR.join(render_one(r, ctx) for r in results)


def render_one(result: Item, ctx: RenderContext) -> str:
    return _one(result.report, ctx.color, _paragraph_starts(result), _focus(result))


def unchanged(result: Item) -> bool:
    """With `--changed-since`: no paragraph of the draft changed and it has nothing to report (no
    finding, no error), so a terminal run over many drafts shows only those that changed."""
    article = result.article
    return (article is not None and article.focus == [] and result.report.error is None
            and not result.report.findings)


def _focus(result: Item) -> list[tuple[int, int]] | None:
    """The file ranges of the paragraphs in focus (`--changed-since`); None when all are."""
    article = result.article
    if article is None or article.focus is None:
        return None
    return [article.raw_range(start, end) for start, end in article.focus]


def _paragraph_starts(result: Item) -> list[int]:
    """File offsets where the story's paragraphs begin (front matter and markup left out)."""
    article = result.article
    if article is None:
        return [0]
    return [article.to_raw(start) for start, _ in article.paragraphs()]


def _paint(text: str, key: str, color: bool) -> str:
    return f"\x1b[{_COLORS[key]}m{text}\x1b[0m" if color and key in _COLORS else text


def _one(report: Report, color: bool, paragraphs: list[int],
         focus: list[tuple[int, int]] | None = None) -> str:
    raw_path = report.article.path or STDIN_NAME
    path = escape_controls(raw_path)
    if report.error is not None:
        # the message names the file itself ("a.md: file is empty"): once is enough
        message = report.error.message.removeprefix(f"{raw_path}: ")
        return f"{path}: error: {escape_controls(message)}\n"
    lines = [_header(report, path), *_worth_checking(report, path, color)]
    groups: dict[int, list[tuple[int, str]]] = {}  # paragraph -> (line, text)

    def add(span: Span | None, text: str) -> None:
        key = bisect.bisect_right(paragraphs, span.start) if span else 0
        groups.setdefault(key, []).append((span.line if span else 0, text))

    hidden = 0
    for quote in report.quotes:
        if focus is not None and not any(s < quote.span.end and quote.span.start < e for s, e in focus):
            hidden += 1  # in a paragraph --changed-since leaves out: it was shown when it changed
            continue
        who = escape_controls(quote.speaker or "no speaker")
        status = quote.source_check.status
        check = "" if status == "unchecked" else f" [{status}]"
        cue = quote.cue if quote.cue and quote.cue.strip(":：") else None  # a colon says nothing here
        add(quote.span,
            f"  {path}:{quote.span.line}:{quote.span.column}: {quote.id} {quote.kind} quote "
            f"({who}{', ' + escape_controls(cue) if cue else ''}){check}: “{_clip(quote.text)}”")
    for claim in report.claims:
        add(claim.span, _claim_line(path, claim, color))
    for finding in report.findings:
        line = finding.span.line if finding.span else 0
        col = finding.span.column if finding.span else 0
        sev = _paint(str(finding.severity), str(finding.severity), color)
        add(finding.span, f"  {path}:{line}:{col}: {sev} {finding.rule}: {escape_controls(finding.message)}")
    for key in sorted(groups):
        entries = groups[key]
        first = min(line for line, _ in entries)
        lines.append(f"paragraph {key} (line {first}):" if key else "article:")
        lines.extend(text for _, text in entries)
    if hidden:
        lines.append(f"({counted(hidden, 'quote')} in unchanged paragraphs not shown)")
    lines.append(_footer(report))
    return "\n".join(lines) + "\n"


def _claim_line(path: str, claim: Claim, color: bool) -> str:
    tags = " ".join(_paint(t, t, color) for t in claim.tags) or "untagged"
    return (f"  {path}:{claim.span.line}:{claim.span.column}: {claim.id} [{tags}] "
            f"(worth {claim.checkworthiness:.2f}) {_clip(claim.text)}")


def _worth_checking(report: Report, path: str, color: bool) -> list[str]:
    """The claims most worth a fact-checker's time, highest checkworthiness first (ties in the
    order of the article), at most FIRST_LISTED of them."""
    ranked = sorted((c for c in report.claims if c.checkworthiness >= WORTH_CHECKING),
                    key=lambda c: (-c.checkworthiness, c.span.start))
    if not ranked:
        return []
    more = len(ranked) - FIRST_LISTED
    head = f"worth checking first ({min(len(ranked), FIRST_LISTED)} of {len(ranked)} claims at " \
           f"checkworthiness {WORTH_CHECKING:.1f} or more):"
    lines = [head] + [_claim_line(path, c, color) for c in ranked[:FIRST_LISTED]]
    if more > 0:
        lines.append(f"  ... {more} more in the paragraphs below")
    return lines


def _header(report: Report, path: str) -> str:
    engine = report.engine.extractor
    if engine == "rules":
        how = "rules engine (no LLM configured)" if report.engine.model is None else "rules engine"
    else:
        how = f"llm engine, model {report.engine.model}"
    title = f" — {escape_controls(report.article.title)}" if report.article.title else ""
    return f"{path}{title}\nchecked with the {how}"


def _footer(report: Report) -> str:
    s, u = report.summary, report.usage
    tags = ", ".join(f"{n} {t}" for t, n in s.tags.model_dump().items())
    f = s.findings
    cost = f", ${u.cost_usd:.4f}" if u.cost_usd is not None else ""
    return (f"{counted(s.claims, 'claim')} ({tags}, {s.untagged} untagged), "
            f"{counted(s.quotes, 'quote')}; "
            f"{counted(f.error, 'error')}, {counted(f.warning, 'warning')}, {f.info} info\n"
            f"usage: {u.llm_calls} LLM calls, {u.prompt_tokens}+{u.completion_tokens} tokens, "
            f"{u.cache_hits} cache hits{cost}, {u.seconds:.2f} s")


def _clip(text: str, n: int = 100) -> str:
    text = " ".join(text.split())
    return escape_controls(text if len(text) <= n else text[: n - 1].rstrip() + "…")
