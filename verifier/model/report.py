"""report: one `Report` per article, with ids, ordering and the summary filled in."""

from __future__ import annotations

from verifier import __version__
from verifier.model.errors import VerifierError
from verifier.model.schema import (
    SEVERITY_RANK,
    Article,
    ArticleInfo,
    Claim,
    EngineInfo,
    ErrorInfo,
    Finding,
    FindingCounts,
    Quote,
    Report,
    Summary,
    TagCounts,
    ToolInfo,
    Usage,
)


def build_report(article: Article, engine: EngineInfo, claims: list[Claim], quotes: list[Quote],
                 findings: list[Finding], usage: Usage) -> Report:
    findings = sorted(findings, key=_finding_order)
    return Report(
        tool=ToolInfo(version=__version__),
        article=article_info(article),
        engine=engine,
        claims=claims,
        quotes=quotes,
        findings=findings,
        summary=summarise(claims, quotes, findings),
        usage=usage,
    )


def article_info(article: Article) -> ArticleInfo:
    return ArticleInfo(path=article.path, sha256=article.sha256, chars=len(article.raw),
                       title=article.title)


def summarise(claims: list[Claim], quotes: list[Quote], findings: list[Finding]) -> Summary:
    # counted in plain dictionaries and given to the models once (a model's `__setattr__` is
    # Python code: one call per tag and per finding cost more than the counting)
    tags = dict.fromkeys(TagCounts.model_fields, 0)
    untagged = 0
    for claim in claims:
        for tag in claim.tags:
            tags[str(tag)] += 1
        untagged += not claim.tags
    counts = dict.fromkeys(FindingCounts.model_fields, 0)
    for finding in findings:
        counts[str(finding.severity)] += 1
    return Summary(claims=len(claims), tags=TagCounts(**tags), untagged=untagged, quotes=len(quotes),
                   findings=FindingCounts(**counts))


def error_report(path: str | None, error: VerifierError, article: Article | None = None,
                 usage: Usage | None = None) -> Report:
    """The report of an article that could not be checked: empty lists and the error."""
    if article is not None:
        info = article_info(article)
    else:
        info = ArticleInfo(path=path, sha256="", chars=0, title=None)  # never read: no digest
    return Report(tool=ToolInfo(version=__version__), article=info,
                  engine=EngineInfo(extractor="rules"),
                  usage=usage if isinstance(usage, Usage) else Usage(),
                  error=ErrorInfo(type=type(error).__name__, message=str(error)))


def _finding_order(f: Finding) -> tuple[int, int, str]:
    return (f.span.start if f.span else -1, -_rank(f), f.rule)


def _rank(f: Finding) -> int:
    return SEVERITY_RANK[str(f.severity)]
