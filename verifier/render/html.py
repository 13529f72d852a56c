"""`--format html`: one self-contained review page (inline CSS and JS, nothing fetched).

The article is always rendered as text: `article.raw` is cut at the report's span offsets into
text pieces and highlight elements, and every piece goes through Jinja's autoescape. Highlights
that overlap without nesting (a quote that starts inside a claim and ends after it) are split into
pieces that nest cleanly; every piece of one highlight carries the same `data-ref`, so the page
can light them all up together.

A Content-Security-Policy in the page allows only the page's own script (by its SHA-256), so
even markup that slipped past the escaping could not run.
"""

from __future__ import annotations

import base64
import difflib
import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup

from verifier.baseline import fingerprint
from verifier.schema import Claim, Finding, Quote, Report, Span

if TYPE_CHECKING:
    from verifier.pipeline import Result
    from verifier.render import RenderContext

TAG_LABELS = {"attributed": "attributed", "benchmark_dependent": "benchmark", "opinion": "opinion"}
STATUS_LABELS = {
    "verbatim": "verbatim", "minor_difference": "minor difference", "altered": "altered",
    "not_found": "not in source", "speaker_mismatch": "speaker mismatch", "unchecked": "unchecked",
}
# Outer highlights first when two start at the same place and have the same length.
_KIND_ORDER = {"claim": 0, "quote": 1, "speaker": 2, "finding": 3}


@dataclass(slots=True)
class Mark:
    """One highlight over raw[start:end]."""

    start: int
    end: int
    kind: str  # claim | quote | speaker | finding
    ref: str  # C1, Q2, F3, S2 (the speaker of Q2)
    css: str
    label: str  # the visible text label (badge), empty for speaker and finding marks
    title: str


@dataclass(slots=True)
class Token:
    """A piece of the rendered article: text, or the opening/closing of a highlight piece."""

    kind: str  # text | open | close
    text: str = ""
    mark: Mark | None = None
    first: bool = False  # the first piece of its highlight: carries the id and the badge


@dataclass(slots=True)
class ArticleView:
    index: int
    report: Report
    tokens: list[Token] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    quotes: list[dict[str, Any]] = field(default_factory=list)
    claims: list[dict[str, Any]] = field(default_factory=list)


# --------------------------------------------------------------------------- highlights


def claim_mark(claim: Claim) -> Mark:
    tags = [str(t) for t in claim.tags]
    label = " · ".join(TAG_LABELS[t] for t in tags) or "untagged"
    css = " ".join(["claim"] + [f"tag-{t}" for t in tags] + ([] if tags else ["tag-none"]))
    return Mark(claim.span.start, claim.span.end, "claim", claim.id, css,
                f"{claim.id} {label}", f"Claim {claim.id}: {claim.text}")


def quote_mark(quote: Quote) -> Mark:
    status = str(quote.source_check.status)
    speaker = quote.speaker or "no speaker"
    return Mark(quote.span.start, quote.span.end, "quote", quote.id, f"quote status-{status}",
                f"{quote.id} {speaker} · {STATUS_LABELS.get(status, status)}",
                f"Quote {quote.id}, {quote.kind}, speaker: {speaker}, source: {STATUS_LABELS.get(status, status)}")


def collect_marks(report: Report, raw: str) -> tuple[list[Mark], dict[int, str]]:
    """Every highlight of the report, and for each finding the ref its button jumps to."""
    marks = [claim_mark(c) for c in report.claims] + [quote_mark(q) for q in report.quotes]
    for q in report.quotes:
        if q.speaker_span is not None:
            marks.append(Mark(q.speaker_span.start, q.speaker_span.end, "speaker", f"S{q.id[1:]}",
                              "speaker", "", f"Speaker of {q.id}: {q.speaker or ''}"))
    by_range = {(m.start, m.end): m.ref for m in marks if m.kind in ("claim", "quote")}
    targets: dict[int, str] = {}
    for i, f in enumerate(report.findings):
        ref = _finding_target(f, i, by_range, marks)
        if ref:
            targets[i] = ref
    marks = [_clamp(m, len(raw)) for m in marks]
    return [m for m in marks if m.end > m.start], targets


def _finding_target(f: Finding, i: int, by_range: dict[tuple[int, int], str],
                    marks: list[Mark]) -> str | None:
    """The claim or quote a finding concerns, or a highlight of its own words."""
    if f.span is not None:
        same = by_range.get((f.span.start, f.span.end))
        if same:
            return same
        ref = f"F{i + 1}"
        marks.append(Mark(f.span.start, f.span.end, "finding", ref, f"finding sev-{f.severity}", "",
                          f"{f.severity}: {f.message}"))
        return ref
    return f.quote_id or f.claim_id


def _clamp(m: Mark, n: int) -> Mark:
    m.start, m.end = max(0, min(m.start, n)), max(0, min(m.end, n))
    return m


def tokenize(raw: str, marks: list[Mark]) -> list[Token]:
    """Cut `raw` into text and properly nested highlight pieces.

    At every boundary the wanted stack of open highlights is the covering marks ordered outer
    first (earlier start, then longer, then kind). Whatever differs from the open stack is closed
    and reopened, so a crossing highlight is split instead of producing crossed tags.
    """
    order = sorted(marks, key=lambda m: (m.start, -m.end, _KIND_ORDER[m.kind]))
    rank = {id(m): i for i, m in enumerate(order)}
    points = sorted({0, len(raw)} | {m.start for m in marks} | {m.end for m in marks})
    tokens: list[Token] = []
    stack: list[Mark] = []
    opened: set[int] = set()
    for a, b in zip(points, points[1:], strict=False):
        wanted = sorted((m for m in marks if m.start <= a and m.end >= b), key=lambda m: rank[id(m)])
        keep = 0
        while keep < min(len(stack), len(wanted)) and stack[keep] is wanted[keep]:
            keep += 1
        for m in reversed(stack[keep:]):
            tokens.append(Token("close", mark=m))
        for m in wanted[keep:]:
            tokens.append(Token("open", mark=m, first=id(m) not in opened))
            opened.add(id(m))
        stack = wanted
        tokens.append(Token("text", raw[a:b]))
    tokens.extend(Token("close", mark=m) for m in reversed(stack))
    return tokens


# --------------------------------------------------------------------------- panels


def word_diff(article_words: str, source_words: str) -> list[tuple[str, str]]:
    """(op, words) pieces: op is '=' same, '-' only in the source, '+' only in the article."""
    a, b = source_words.split(), article_words.split()
    out: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=[_norm(w) for w in a], b=[_norm(w) for w in b], autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.append(("=", " ".join(b[j1:j2])))
            continue
        if i2 > i1:
            out.append(("-", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(("+", " ".join(b[j1:j2])))
    return out


def _norm(word: str) -> str:
    return re.sub(r"[^\w]", "", word.lower())


def quote_view(q: Quote, article_id: str) -> dict[str, Any]:
    sc = q.source_check
    source_text = sc.source_span.text if sc.source_span else None
    return {
        "q": q, "status": str(sc.status), "status_label": STATUS_LABELS.get(str(sc.status), str(sc.status)),
        "target": f"{article_id}-{q.id}", "ref": q.id, "source_text": source_text,
        "pieces": word_diff(q.text, source_text) if source_text and str(sc.status) != "verbatim" else [],
    }


def finding_view(f: Finding, i: int, report: Report, targets: dict[int, str]) -> dict[str, Any]:
    where = f"line {f.span.line}:{f.span.column}" if f.span else "whole article"
    return {
        "f": f, "n": i + 1, "severity": str(f.severity), "ref": targets.get(i), "where": where,
        "fingerprint": fingerprint(f), "text": f.span.text if f.span else f.message,
        "path": report.article.path or "",
    }


def article_view(index: int, result: Result) -> ArticleView:
    report = result.report
    view = ArticleView(index=index, report=report)
    if result.article is None or report.error is not None and not report.claims:
        return view
    raw = result.article.raw
    marks, targets = collect_marks(report, raw)
    view.tokens = tokenize(raw, marks)
    view.findings = [finding_view(f, i, report, targets) for i, f in enumerate(report.findings)]
    view.quotes = [quote_view(q, f"a{index}") for q in report.quotes]
    view.claims = [{"c": c, "tags": [str(t) for t in c.tags]} for c in report.claims]
    return view


# --------------------------------------------------------------------------- the page


@cache
def environment() -> jinja2.Environment:
    """The template environment: package templates, autoescape on for everything."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("verifier", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.globals.update(TAG_LABELS=TAG_LABELS, STATUS_LABELS=STATUS_LABELS)
    env.filters["cost"] = _cost
    return env


def _cost(value: float | None) -> str:
    return "n/a" if value is None else f"${value:.4f}"


def script_and_policy() -> tuple[Markup, Markup, str]:
    """The page script, the page styles, and a CSP that lets only that script run."""
    env = environment()
    script = env.get_template("review.js").render()
    style = env.get_template("review.css").render()
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = (f"default-src 'none'; script-src 'sha256-{digest}'; style-src 'unsafe-inline'; "
           "img-src data:; form-action 'self'; base-uri 'none'")
    return Markup(script), Markup(style), csp


def page_title(results: list[Result]) -> str:
    if len(results) == 1:
        info = results[0].report.article
        return f"verifier review: {info.title or info.path or 'article'}"
    return f"verifier review: {len(results)} articles"


def render(results: list[Result], ctx: RenderContext) -> str:
    """The review page for every result."""
    script, style, csp = script_and_policy()
    views = [article_view(i, r) for i, r in enumerate(results)]
    serve = ctx.extra.get("serve") if ctx.extra else None
    return environment().get_template("report.html").render(
        views=views, title=page_title(results), script=script, style=style, csp=csp, serve=serve,
        span_where=_span_where,
    )


def _span_where(span: Span | None) -> str:
    return f"{span.line}:{span.column}" if span else ""
