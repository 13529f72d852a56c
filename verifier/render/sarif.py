"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; the driver lists every catalogue rule with its page as help text. Each finding becomes a
result with its level, message, repository-relative URI and region. Columns in verifier spans are
1-based Unicode code points, so the run sets `columnKind: unicodeCodePoints` (SARIF otherwise
assumes UTF-16 code units). Articles that could not be checked become tool execution
notifications, and the invocation is marked unsuccessful.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from verifier import __version__
from verifier.model.catalog import RULES, Rule
from verifier.model.schema import Finding, Span
from verifier.render._common import artifact_uri
from verifier.stages.baseline import fingerprint

if TYPE_CHECKING:
    from verifier.render import Item, RenderContext

SARIF_SCHEMA = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
                "sarif-schema-2.1.0.json")
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
FINGERPRINT_KEY = "verifierFindingHash/v1"


def render(results: list[Item], ctx: RenderContext) -> str:
    return json.dumps(sarif_log(results, ctx), indent=2, ensure_ascii=False) + "\n"


def sarif_log(results: list[Item], ctx: RenderContext) -> dict[str, Any]:
    """The whole SARIF log as a dict (what `render` serialises)."""
    rules = _rule_ids(results)
    run: dict[str, Any] = {
        "tool": {"driver": _driver(rules, ctx)},
        "columnKind": "unicodeCodePoints",
        "artifacts": [_artifact(r, ctx) for r in results],
        "invocations": [_invocation(results, ctx)],
        "results": [
            _result(f, index, rules, r.report.article.path, ctx)
            for index, r in enumerate(results) for f in r.report.findings
        ],
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule_ids(results: list[Item]) -> list[str]:
    """Catalogue rules first (stable indexes), then any rule a finding names that is not in it."""
    ids = list(RULES)
    for r in results:
        for f in r.report.findings:
            if f.rule not in ids:
                ids.append(f.rule)
    return ids


def _driver(rule_ids: list[str], ctx: RenderContext) -> dict[str, Any]:
    return {"name": "verifier", "version": __version__, "semanticVersion": __version__,
            "rules": [_rule(rule_id, ctx) for rule_id in rule_ids]}


def _rule(rule_id: str, ctx: RenderContext) -> dict[str, Any]:
    rule = RULES.get(rule_id)
    if rule is None:
        return {"id": rule_id, "shortDescription": {"text": rule_id}}
    return {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what},
        "help": {"text": rule.page(), "markdown": _help_markdown(rule)},
        "defaultConfiguration": _configuration(rule, ctx),
        "properties": {"tags": ["news-copy", rule.id.split("-")[0]]},
    }


def _configuration(rule: Rule, ctx: RenderContext) -> dict[str, Any]:
    """The rule's level as configured for this run (severity overrides and `disable` applied)."""
    settings = ctx.settings
    level = str(rule.severity)
    if settings is not None:
        level = settings.severity.get(rule.id, level)
        if rule.id in settings.disable or level == "off":
            return {"enabled": False, "level": LEVELS[str(rule.severity)]}
    return {"enabled": True, "level": LEVELS[level]}


def _help_markdown(rule: Rule) -> str:
    return (f"**{rule.summary}**\n\n### What it does\n{rule.what}\n\n### Why it matters\n{rule.why}"
            f"\n\n### Example\n```\n{rule.example}\n```\n\n### How to fix\n{rule.fix}\n\n"
            f"### How to suppress\nPut `<!-- verifier: ignore {rule.id} -->` before the paragraph, "
            f"set `{rule.id} = \"off\"` under `[severity]` in verifier.toml, or accept the finding "
            "into a baseline (`--update-baseline`).\n")


def _artifact(result: Item, ctx: RenderContext) -> dict[str, Any]:
    info = result.report.article
    artifact: dict[str, Any] = {"location": {"uri": artifact_uri(info.path, ctx.root)},
                                "roles": ["analysisTarget"]}
    if info.sha256:
        artifact["hashes"] = {"sha-256": info.sha256}
    return artifact


def _invocation(results: list[Item], ctx: RenderContext) -> dict[str, Any]:
    notes = [
        {"level": "error", "message": {"text": r.report.error.message},
         "locations": [{"physicalLocation": {"artifactLocation": {
             "uri": artifact_uri(r.report.article.path, ctx.root), "index": index}}}],
         "descriptor": {"id": r.report.error.type}}
        for index, r in enumerate(results) if r.report.error is not None
    ]
    invocation: dict[str, Any] = {"executionSuccessful": not notes}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation


def _result(finding: Finding, index: int, rule_ids: list[str], path: str | None,
            ctx: RenderContext) -> dict[str, Any]:
    text = finding.message
    if finding.suggestion:
        text = f"{text} Suggestion: {finding.suggestion}"
    location: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(path, ctx.root),
                                                     "index": index}}
    location["region"] = _region(finding.span)
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "ruleIndex": rule_ids.index(finding.rule),
        "level": LEVELS[str(finding.severity)],
        "message": {"text": text},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(finding)},
    }
    props = {k: v for k, v in (("claimId", finding.claim_id), ("quoteId", finding.quote_id),
                               ("suggestion", finding.suggestion)) if v}
    if props:
        result["properties"] = props
    return result


def _region(span: Span | None) -> dict[str, Any]:
    """The span as a SARIF region; a finding without a span points at the start of the file."""
    if span is None:
        return {"startLine": 1, "startColumn": 1}
    region: dict[str, Any] = {"startLine": span.line, "startColumn": span.column,
                              "endLine": span.end_line, "endColumn": span.end_column}
    if span.text:
        region["snippet"] = {"text": span.text}
    return region
