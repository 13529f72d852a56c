"""`--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run; the driver lists every catalogue rule with its page as help text. Each finding becomes a
result with its level, message, repository-relative URI and region. Columns in verifier spans are
1-based Unicode code points, so the run sets `columnKind: unicodeCodePoints` (SARIF otherwise
assumes UTF-16 code units). Articles that could not be checked become tool execution
notifications, and the invocation is marked unsuccessful.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
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
    return "".join(render_stream(results, ctx))


def render_stream(results: Iterable[Item], ctx: RenderContext) -> Iterator[str]:
    """The log in pieces: the results of each article as it comes, then the artifacts, the
    invocation and the tool with its rules (the catalogue's, then any other a finding named, in the
    order first named: `ruleIndex` is known when a result is written). Only the artifacts and the
    notes of articles that could not be checked are held, never the reports."""
    rule_ids = list(RULES)
    artifacts: list[dict[str, Any]] = []
    notes: list[dict[str, Any]] = []
    yield (f'{{\n  "$schema": {json.dumps(SARIF_SCHEMA)},\n  "version": "2.1.0",\n  "runs": [\n    {{\n'
           '      "columnKind": "unicodeCodePoints",\n      "results": [')
    written = False
    for index, r in enumerate(results):
        artifacts.append(_artifact(r, ctx))
        if r.report.error is not None:
            notes.append(_note(r, index, ctx))
        pieces = []
        for f in r.report.findings:
            if f.rule not in rule_ids:
                rule_ids.append(f.rule)
            pieces.append(_indented(_result(f, index, rule_ids, r.report.article.path, ctx), 8))
        if pieces:
            yield ("," if written else "") + "\n        " + ",\n        ".join(pieces)
            written = True
    invocation: dict[str, Any] = {"executionSuccessful": not notes}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    yield (("\n      ]" if written else "]")
           + f',\n      "artifacts": {_indented(artifacts, 6)}'
           + f',\n      "invocations": {_indented([invocation], 6)}'
           + f',\n      "tool": {_indented({"driver": _driver(rule_ids, ctx)}, 6)}\n    }}\n  ]\n}}\n')


def _indented(value: Any, depth: int) -> str:
    """`value` as JSON indented by two, its lines after the first pushed `depth` spaces right (no
    JSON string holds a raw line break, so every line break is the layout's)."""
    return json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n" + " " * depth)


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


def _note(result: Item, index: int, ctx: RenderContext) -> dict[str, Any]:
    """The tool execution notification of an article that could not be checked."""
    error = result.report.error
    assert error is not None
    return {"level": "error", "message": {"text": error.message},
            "locations": [{"physicalLocation": {"artifactLocation": {
                "uri": artifact_uri(result.report.article.path, ctx.root), "index": index}}}],
            "descriptor": {"id": error.type}}


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
