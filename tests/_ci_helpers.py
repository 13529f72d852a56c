"""Hand-built reports for the CI-format tests (renderers, policy, baseline) that need no pipeline."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from verifier.model.errors import InputError
from verifier.model.report import build_report, error_report
from verifier.model.schema import Article, EngineInfo, Finding, Severity, Usage
from verifier.run.pipeline import Result

DRAFT = (
    "---\n"
    "title: Orbital Lantern unveils Kestrel 3\n"
    "---\n"
    "# Orbital Lantern unveils Kestrel 3\n"
    "\n"
    "Zoë Brandvold-Ngata, chief executive of Orbital Lantern, said: “Kestrel 3 matches the best "
    "systems in maths, and nobody else is close.”\n"
    "\n"
    "Kestrel 3 is a rival to the strongest models in coding, the company says.\n"
)
QUOTE = "Kestrel 3 matches the best systems in maths, and nobody else is close."
BENCH = "Kestrel 3 is a rival to the strongest models in coding"


def article(path: str = "drafts/kestrel.md", raw: str = DRAFT) -> Article:
    return Article(path=path, raw=raw, text=raw, format="markdown", sha256="0" * 64)


def finding(art: Article, rule: str, severity: str, words: str, message: str,
            suggestion: str | None = None) -> Finding:
    start = art.raw.index(words)
    return Finding(rule=rule, severity=Severity(severity), message=message,
                   span=art.span(start, start + len(words)), suggestion=suggestion)


def standard_findings(art: Article) -> list[Finding]:
    return [
        finding(art, "quote-altered", "error", QUOTE,
                "The quote differs from the source: matches -> rivals.",
                "Restore the speaker's words."),
        finding(art, "benchmark-uncited", "warning", BENCH,
                "A benchmark claim names no benchmark, figure or source."),
        finding(art, "claim-unattributed", "info", "Orbital Lantern unveils Kestrel 3",
                "A factual assertion with no source."),
    ]


def result(art: Article | None = None, findings: list[Finding] | None = None) -> Result:
    art = art or article()
    found = standard_findings(art) if findings is None else findings
    report = build_report(art, EngineInfo(extractor="rules"), [], [], found, Usage(seconds=0.25))
    return Result(report, art)


def failed_result(path: str = "drafts/broken.md") -> Result:
    return Result(error_report(path, InputError("the file is not UTF-8 text", path=path)))


def git(repo: Path, *args: str) -> str:
    """Run git in `repo` as a fixed author (tests build their own repositories of drafts)."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Desk", "GIT_AUTHOR_EMAIL": "desk@example.org",
           "GIT_COMMITTER_NAME": "Desk", "GIT_COMMITTER_EMAIL": "desk@example.org"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True,
                          text=True).stdout
