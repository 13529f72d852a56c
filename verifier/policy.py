"""policy: what the configuration says about findings (severity overrides, disabled rules)."""

from __future__ import annotations

from verifier.config import Settings
from verifier.schema import Article, Finding, Severity


def apply(findings: list[Finding], article: Article, settings: Settings) -> list[Finding]:
    """Drop disabled rules, apply per-rule severity overrides."""
    out: list[Finding] = []
    for finding in findings:
        level = settings.severity.get(finding.rule)
        if finding.rule in settings.disable or level == "off":
            continue
        if level:
            finding = finding.model_copy(update={"severity": Severity(level)})
        out.append(finding)
    return out
