"""`--format html`: one self-contained review page (inline CSS and JS, nothing fetched).

The page is a triage tool: the findings lead, in the order an editor resolves them (errors, then
warnings, then info), and only words with a finding are marked in the text. Claim tags and quote
status are a layer the editor can switch on.

The article is shown as a reading view: the analysis text of the loader (Markdown with its markup
and front matter masked, an HTML draft's story text) cut into paragraphs, so no markup shows and
hard-wrapped lines reflow. Every highlight is placed by the report's span, which indexes the raw
file; for HTML the raw offsets are mapped back through the loader's offset table, and each mark
carries its raw `data-start`/`data-end`. An HTML draft's links with an http, https or mailto
address stay links (rel="noopener noreferrer nofollow", placed like highlights); any other
address leaves its words as plain text. Every text piece goes through Jinja's autoescape.
Highlights that overlap without nesting are split into pieces that nest; every piece of one
highlight carries the same `data-ref`, so the page can light them all up together.

A Content-Security-Policy in the page allows only the page's own script (by its SHA-256), so
even markup that slipped past the escaping could not run.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2
from markupsafe import Markup, escape

from verifier.ingest import htmltext
from verifier.model.catalog import RULES
from verifier.model.schema import Article, Claim, Finding, Quote, Report, Span
from verifier.render._common import BIDI_CONTROLS, escape_bidi
from verifier.stages.baseline import decision_keys

if TYPE_CHECKING:
    from verifier.render import Item, RenderContext

NEEDS_ARTICLE = True  # the reading view is the draft's own text
TAG_LABELS = {"attributed": "attributed", "benchmark_dependent": "benchmark", "opinion": "opinion"}
STATUS_LABELS = {
    "verbatim": "verbatim", "minor_difference": "minor difference", "altered": "altered",
    "not_found": "not in source", "speaker_mismatch": "speaker mismatch", "unchecked": "unchecked",
}
SEVERITIES = ("error", "warning", "info")
SEVERITY_ICONS = {"error": "✖", "warning": "▲", "info": "i"}
DISMISS_REASONS = (("false_positive", "False positive"), ("wont_fix", "Won’t fix"),
                   ("source_not_supplied", "Source not supplied"))
# Findings about the engine, not the draft: shown apart, never offered for a decision.
ENGINE_RULES = frozenset({"claim-ungrounded"})
# Outer highlights first when two start at the same place and have the same length.
_KIND_ORDER = {"link": -1, "claim": 0, "quote": 1, "finding": 2}
_HEADING_BEFORE = re.compile(r"<h[1-6]\b[^<>]*>\s*$", re.I)
_MD_HEADING = re.compile(r"[ \t]{0,3}#{1,6}[ \t]")


@dataclass(slots=True)
class Mark:
    """One highlight over text[start:end] (display offsets); `raw` is its span in the file."""

    start: int
    end: int
    kind: str  # claim | quote | finding | link
    ref: str  # C1, Q2, F3; empty for a link
    css: str
    label: str  # the visible label of the tags layer, empty for findings
    title: str
    raw: tuple[int, int] = (0, 0)
    href: str = ""  # a link of the draft: an http, https or mailto address


@dataclass(slots=True)
class Token:
    """A piece of the rendered article: text, or the opening/closing of a highlight piece."""

    kind: str  # text | open | close
    text: str = ""
    mark: Mark | None = None
    first: bool = False  # the first piece of its highlight: carries the id and the label


@dataclass(slots=True)
class Block:
    """One paragraph of the reading view."""

    tag: str  # p | h2
    tokens: list[Token]


@dataclass(slots=True)
class ArticleView:
    index: int
    report: Report
    blocks: list[Block] = field(default_factory=list)
    groups: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    engine_notes: list[Finding] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)  # most worth checking first, when ranked
    rules: list[tuple[str, str]] = field(default_factory=list)
    quotes_json: Markup = Markup("[]")  # the folded lists, built by the page when opened
    claims_json: Markup = Markup("[]")
    ranked: bool = False  # claims carry `checkworthiness`: findings on claims ranked by it

    @property
    def findings(self) -> list[dict[str, Any]]:
        return [fv for sev in SEVERITIES for fv in self.groups.get(sev, [])]


# --------------------------------------------------------------------------- reading view


class Display:
    """The reading text of an article and the way from file offsets to it."""

    def __init__(self, article: Article) -> None:
        self.article = article
        self.text = article.text
        self.offsets = article.raw_offsets  # None: display offsets are file offsets

    def from_raw(self, raw: int) -> int:
        if self.offsets is None:
            return max(0, min(raw, len(self.text)))
        return bisect.bisect_left(self.offsets, raw)

    def to_raw(self, i: int) -> int:
        return self.article.map.to_raw(i)

    def paragraphs(self) -> list[tuple[int, int]]:
        """(start, end) of each paragraph, as the pipeline found them (`Article.paragraphs`)."""
        return self.article.paragraphs()

    def links(self) -> list[Mark]:
        """The draft's own links (HTML only, http/https/mailto only), placed in the reading text.

        Any other href (javascript:, data:, a relative path) leaves its words as plain text.
        """
        if self.article.format != "html":
            return []
        marks = []
        for link in htmltext.links(self.article.raw):
            href = htmltext.safe_href(link.href)
            if href is None:
                continue
            start, end = self.from_raw(link.start), self.from_raw(link.end)
            if end > start:
                marks.append(Mark(start, end, "link", "", "draft-link", "", href,
                                  raw=(link.start, link.end), href=href))
        return marks

    def is_heading(self, start: int) -> bool:
        raw = self.article.raw
        at = self.to_raw(start)
        if self.article.format == "html":
            return bool(_HEADING_BEFORE.search(raw, max(0, at - 300), at))
        if self.article.format == "markdown":
            line = raw.rfind("\n", 0, at) + 1
            return bool(_MD_HEADING.match(raw, line))
        return False


def reading_blocks(display: Display, marks: list[Mark]) -> list[Block]:
    """The paragraphs of the reading view, each cut into text and nested highlight pieces."""
    order = sorted(marks, key=lambda m: m.start)
    starts = [m.start for m in order]
    opened: set[int] = set()
    blocks: list[Block] = []
    for a, b in display.paragraphs():
        inside = [m for m in order[:bisect.bisect_left(starts, b)] if m.end > a]
        tokens = tokenize(display.text[a:b], inside, offset=a, opened=opened)
        blocks.append(Block("h2" if display.is_heading(a) else "p", tokens))
    return blocks


def tokenize(text: str, marks: list[Mark], offset: int = 0,
             opened: set[int] | None = None) -> list[Token]:
    """Cut `text` (which starts at display offset `offset`) into text and nested highlight pieces.

    At every boundary the wanted stack of open highlights is the covering marks ordered outer
    first (earlier start, then longer, then kind). Whatever differs from the open stack is closed
    and reopened, so a crossing highlight is split instead of producing crossed tags. `opened`
    remembers highlights already started in an earlier paragraph.
    """
    opened = set() if opened is None else opened
    end = offset + len(text)
    order = sorted(marks, key=lambda m: (m.start, -m.end, _KIND_ORDER[m.kind]))
    rank = {id(m): i for i, m in enumerate(order)}
    cuts = {offset, end}
    for m in marks:
        cuts.update(p for p in (m.start, m.end) if offset < p < end)
    points = sorted(cuts)
    tokens: list[Token] = []
    stack: list[Mark] = []
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
        tokens.append(Token("text", text[a - offset:b - offset]))
    tokens.extend(Token("close", mark=m) for m in reversed(stack))
    return tokens


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
    shown = STATUS_LABELS.get(status, status)
    return Mark(quote.span.start, quote.span.end, "quote", quote.id, f"quote status-{status}",
                f"{quote.id} {speaker} · {shown}",
                f"Quote {quote.id}, {quote.kind}, speaker: {speaker}, source: {shown}")


def finding_mark(f: Finding, ref: str) -> Mark | None:
    if f.span is None:
        return None
    return Mark(f.span.start, f.span.end, "finding", ref, f"finding sev-{f.severity}", "",
                f"{f.severity}: {tidy(f.message)}")


def collect_marks(report: Report, refs: dict[int, str], display: Display) -> list[Mark]:
    """Every highlight of the report, placed in the reading text (empty ones dropped)."""
    marks = [claim_mark(c) for c in report.claims] + [quote_mark(q) for q in report.quotes]
    for i, f in enumerate(report.findings):
        m = finding_mark(f, refs[i]) if i in refs else None
        if m is not None:
            marks.append(m)
    for m in marks:
        m.raw = (m.start, m.end)
        m.start, m.end = display.from_raw(m.start), display.from_raw(m.end)
    return [m for m in marks if m.end > m.start]


# --------------------------------------------------------------------------- findings


def tidy(message: str) -> str:
    """A message without doubled end punctuation: '“…comment.”.' reads '“…comment.”'."""
    return re.sub(r"([.!?…。！？][”’\"'»」』)]*)\.$", r"\1", message)


def diff_pieces(text: str, marks: list[tuple[int, int]]) -> list[tuple[str, str]]:
    """`text` cut into ('=', words) and ('*', words) pieces, '*' for each of `marks` (offsets into
    `text`, in order). The marks are the report's own (`source_check.marks`), not found again here."""
    out: list[tuple[str, str]] = []
    pos = 0
    for start, end in marks:
        if start < pos or end <= start or end > len(text):
            continue
        if start > pos:
            out.append(("=", text[pos:start]))
        out.append(("*", text[start:end]))
        pos = end
    if pos < len(text):
        out.append(("=", text[pos:]))
    return out


def quote_card(q: Quote) -> dict[str, Any] | None:
    """What a finding's card shows about its quote: both sides of the diff, where, who."""
    sc = q.source_check
    if sc.source_span is None:
        return None
    draft, source = (sc.marks.draft, sc.marks.source) if sc.marks is not None else ([], [])
    where = f"{sc.source}:{sc.source_span.line}" if sc.source else f"line {sc.source_span.line}"
    return {"draft": diff_pieces(q.text, draft), "source": diff_pieces(sc.source_span.text, source),
            "where": where, "speaker": q.speaker, "status": STATUS_LABELS.get(str(sc.status), str(sc.status))}


def quote_row(q: Quote) -> list[str | None]:
    """One row of the folded Quotes list: id, words, speaker, cue, kind, status, its label, source."""
    status = str(q.source_check.status)
    return [q.id, q.text, q.speaker or "no speaker", q.cue, q.kind, status,
            STATUS_LABELS.get(status, status), q.source_check.source]


def finding_view(f: Finding, i: int, key: str, report: Report) -> dict[str, Any]:
    quote = next((q for q in report.quotes if q.id == f.quote_id), None) if f.quote_id else None
    return {
        "f": f, "n": i + 1, "ref": f"F{i + 1}", "severity": str(f.severity), "key": key,
        "fingerprint": key.split("#")[0], "message": tidy(f.message),
        "where": f"{f.span.line}:{f.span.column}" if f.span else "whole article",
        "text": _clip(" ".join((f.span.text if f.span else f.message).split())),
        "path": report.article.path or "", "quote": quote_card(quote) if quote else None,
        "has_rule": f.rule in RULES,
    }


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _worth(report: Report) -> dict[str, float] | None:
    """Each claim's `checkworthiness`, where the engine gives it (None when no claim has it)."""
    scores = {c.id: getattr(c, "checkworthiness", None) for c in report.claims}
    if all(v is None for v in scores.values()):
        return None
    return {k: float(v) for k, v in scores.items() if isinstance(v, int | float)}


def triage(report: Report, worth: dict[str, float] | None) -> dict[str, list[dict[str, Any]]]:
    """The findings for decision, by severity; within one, by the claim's checkworthiness (when
    the engine gives it), then by position."""
    keys = decision_keys(report.findings)
    groups: dict[str, list[dict[str, Any]]] = {s: [] for s in SEVERITIES}
    for i, f in enumerate(report.findings):
        if f.rule not in ENGINE_RULES:
            groups[str(f.severity)].append(finding_view(f, i, keys[i], report))

    for group in groups.values():
        for pos, fv in enumerate(sorted(group, key=_position)):
            f = fv["f"]
            fv["pos"] = pos
            fv["worth"] = worth.get(f.claim_id, 0.0) if worth is not None and f.claim_id else 0.0
    return {s: sorted(g, key=lambda fv: (-fv["worth"], fv["pos"])) for s, g in groups.items()}


def _position(fv: dict[str, Any]) -> tuple[int, int]:
    f = fv["f"]
    return (f.span.start if f.span else -1, fv["n"])


def article_view(index: int, result: Item) -> ArticleView:
    report = result.report
    view = ArticleView(index=index, report=report)
    if result.article is None or report.error is not None and not report.claims:
        return view
    worth = _worth(report)
    view.ranked = worth is not None
    view.groups = triage(report, worth)
    view.engine_notes = [f for f in report.findings if f.rule in ENGINE_RULES]
    refs = {fv["n"] - 1: fv["ref"] for fv in view.findings}
    display = Display(result.article)
    view.blocks = reading_blocks(display, collect_marks(report, refs, display) + display.links())
    view.quotes = list(report.quotes)
    # the draft's order; the page offers "most worth checking first" (its default when ranked)
    view.claims = list(report.claims)
    view.quotes_json = json_block([quote_row(q) for q in view.quotes])
    view.claims_json = json_block([[c.id, c.text, [str(t) for t in c.tags], worth.get(c.id) if worth else None]
                                   for c in view.claims])
    used = sorted({fv["f"].rule for fv in view.findings} | {f.rule for f in view.engine_notes})
    view.rules = [(r, RULES[r].page()) for r in used if r in RULES]
    return view


def json_block(data: Any) -> Markup:
    """JSON for a `<script type="application/json">` block: nothing in it can end the element."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # a direction override reads as its escape in the page's lists too: `\\u202e` in JSON
    return Markup(BIDI_CONTROLS.sub(lambda m: f"\\\\u{ord(m.group()):04x}", text))


def summary_line(view: ArticleView) -> str:
    """'1 error, 2 warnings to resolve' (the page keeps it current as decisions are made)."""
    counts = [(len(view.groups.get("error", [])), "error", "errors"),
              (len(view.groups.get("warning", [])), "warning", "warnings")]
    parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
    return f"{', '.join(parts)} to resolve" if parts else "Nothing to resolve"


# --------------------------------------------------------------------------- the page


@cache
def environment() -> jinja2.Environment:
    """The template environment: package templates, autoescape on for everything."""
    env = jinja2.Environment(loader=jinja2.PackageLoader("verifier", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined, finalize=_visible)
    env.globals.update(TAG_LABELS=TAG_LABELS, STATUS_LABELS=STATUS_LABELS, SEVERITIES=SEVERITIES,
                       SEVERITY_ICONS=SEVERITY_ICONS, DISMISS_REASONS=DISMISS_REASONS)
    env.filters["cost"] = _cost
    env.filters["tidy"] = tidy
    env.filters["marked_bidi"] = marked_bidi
    return env


def _visible(value: Any) -> Any:
    """Every value a template writes, before escaping: the draft's bidirectional overrides written
    as escapes (`\\u202e`), so a finding, a claim or an attribute never reads reordered (`Trojan
    Source`) and the editor sees the mark. Markup (the page's own script, `marked_bidi`) is kept."""
    return escape_bidi(value) if type(value) is str else value


def marked_bidi(text: str) -> Markup:
    """A piece of the reading view, escaped, with each bidirectional override shown as a marked
    escape (`<span class="bidi" title="...">\\u202e</span>`) instead of applied to the words after it."""
    out, last = [], 0
    for m in BIDI_CONTROLS.finditer(text):
        out.append(escape(text[last:m.start()]))
        code = f"\\u{ord(m.group()):04x}"
        out.append(Markup('<span class="bidi" title="A direction override in the draft ({}): '
                          'shown here, not applied">{}</span>').format(code, code))
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


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


def page_title(results: list[Item]) -> str:
    if len(results) == 1:
        info = results[0].report.article
        return f"verifier review: {info.title or info.path or 'article'}"
    return f"verifier review: {len(results)} articles"


def render(results: list[Item], ctx: RenderContext) -> str:
    """The review page for every result."""
    script, style, csp = script_and_policy()
    views = [article_view(i, r) for i, r in enumerate(results)]
    serve = ctx.extra.get("serve") if ctx.extra else None
    return environment().get_template("report.html").render(
        views=views, title=page_title(results), script=script, style=style, csp=csp, serve=serve,
        span_where=_span_where, summary_line=summary_line,
    )


def _span_where(span: Span | None) -> str:
    return f"{span.line}:{span.column}" if span else ""
