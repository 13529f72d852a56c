"""policy: what the configuration and the draft itself say about findings.

Applied to every article's findings after `verify`, in this order:
1. focus: with `--changed-since`, a finding whose span lies outside every paragraph in focus (those
   `load` found changed, whose claims both engines report) is dropped;
2. inline suppressions: `<!-- verifier: ignore RULE[, RULE] -->` in a Markdown or HTML draft
   silences those rules (all rules when none is named) for the next paragraph;
3. configuration: disabled rules are dropped and per-rule severity overrides applied.
Baselines are applied later, over the whole run (`verifier.stages.baseline`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from verifier.model.config import Settings
from verifier.model.options import RuleLevel
from verifier.model.schema import Article, Finding, Severity

ALL_RULES = "all"
Suppression = tuple[int, int, frozenset[str]]  # raw offsets [start, end) and the rules ('all')

_DIRECTIVE = re.compile(r"<!--\s*verifier\s*:\s*ignore\b(?P<rules>.*?)-->", re.IGNORECASE | re.DOTALL)
_ANY_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")
_OPEN_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)\b[^>]*>")
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())


def apply(findings: list[Finding], article: Article, settings: Settings) -> list[Finding]:
    """Drop findings out of focus or suppressed inline, then apply the configured rule levels."""
    focus = focus_ranges(article)
    suppressed = suppressions(article)
    out: list[Finding] = []
    for finding in findings:
        if not in_focus(finding, focus) or is_suppressed(finding, suppressed):
            continue
        level = settings.severity.get(finding.rule)
        if finding.rule in settings.disable or level == RuleLevel.OFF:
            continue
        if level:
            finding = finding.model_copy(update={"severity": Severity(level)})
        out.append(finding)
    return out


# --------------------------------------------------------------------------- focus


def focus_ranges(article: Article) -> list[tuple[int, int]] | None:
    """`article.focus` (analysis offsets) as raw offsets; None when everything is in focus."""
    if article.focus is None:
        return None
    return [article.raw_range(start, end) for start, end in article.focus]


def in_focus(finding: Finding, focus: list[tuple[int, int]] | None) -> bool:
    """A finding is in focus when its span touches a paragraph in focus (findings without a span are)."""
    if focus is None or finding.span is None:
        return True
    start, end = finding.span.start, max(finding.span.end, finding.span.start + 1)
    return any(start < f_end and end > f_start for f_start, f_end in focus)


# --------------------------------------------------------------------------- inline suppressions


def suppressions(article: Article) -> list[Suppression]:
    """Every `<!-- verifier: ignore ... -->` in the raw draft, with the paragraph it covers."""
    raw = article.raw
    found: list[Suppression] = []
    for m in _DIRECTIVE.finditer(raw):
        start = _next_content(raw, m.end())
        end = _paragraph_end(raw, start, html=article.format == "html")
        found.append((start, end, parse_rules(m.group("rules"))))
    return found


def parse_rules(text: str) -> frozenset[str]:
    """'quote-altered, benchmark-uncited' -> the rule ids; nothing named means every rule."""
    rules = frozenset(r for r in re.split(r"[\s,]+", text.strip()) if r)
    return rules or frozenset({ALL_RULES})


def is_suppressed(finding: Finding, suppressed: Iterable[Suppression]) -> bool:
    if finding.span is None:
        return False
    at = finding.span.start
    return any(start <= at < end and (finding.rule in rules or ALL_RULES in rules)
               for start, end, rules in suppressed)


def _next_content(raw: str, i: int) -> int:
    """The first offset after `i` that is neither whitespace nor an HTML comment."""
    while True:
        while i < len(raw) and raw[i].isspace():
            i += 1
        comment = _ANY_COMMENT.match(raw, i)
        if comment is None:
            return i
        i = comment.end()


def _paragraph_end(raw: str, start: int, html: bool) -> int:
    """End of the paragraph at `start`: its element's close tag in HTML, else the next blank line."""
    if html:
        end = _element_end(raw, start)
        if end is not None:
            return end
    blank = _BLANK_LINE.search(raw, start)
    return blank.start() if blank else len(raw)


def _element_end(raw: str, start: int) -> int | None:
    """Offset just past the element that opens at `start`, counting nested same-name elements."""
    opening = _OPEN_TAG.match(raw, start)
    if opening is None:
        return None
    name = opening.group(1).lower()
    if name in _VOID or opening.group().endswith("/>"):
        return opening.end()
    depth = 1
    tags = re.compile(rf"<(/?){re.escape(name)}\b[^>]*>", re.IGNORECASE)
    for tag in tags.finditer(raw, opening.end()):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return None
