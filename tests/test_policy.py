"""policy.apply: focus, inline suppressions, disabled rules and severity overrides."""

from __future__ import annotations

from verifier.model.config import Settings
from verifier.model.schema import Article, Finding, Severity
from verifier.stages.policy import apply, parse_rules, suppressions

MD = (
    "# Kestrel 3 launch\n"
    "\n"
    "Kestrel 3 beats every rival in coding, the company said.\n"
    "\n"
    "<!-- verifier: ignore benchmark-uncited -->\n"
    "Kestrel 3 is the fastest model in maths.\n"
    "It also leads in “logic puzzles”.\n"
    "\n"
    "Kestrel 3 outperforms Lumen 2 at translation.\n"
)


def art(raw: str, fmt: str = "markdown", **kw: object) -> Article:
    return Article(path="a.md", raw=raw, text=raw, format=fmt, **kw)  # type: ignore[arg-type]


def at(article: Article, words: str, rule: str = "benchmark-uncited",
       severity: str = "warning") -> Finding:
    start = article.text.index(words)  # analysis offsets; span() maps them to the raw file
    return Finding(rule=rule, severity=Severity(severity), message=f"{rule} here",
                   span=article.span(start, start + len(words)))


def kept(findings: list[Finding], article: Article, settings: Settings | None = None) -> list[str]:
    return [f"{f.rule}@{f.span.text if f.span else None}"
            for f in apply(findings, article, settings or Settings())]


def test_suppression_covers_the_next_paragraph_only() -> None:
    a = art(MD)
    findings = [at(a, "beats every rival"), at(a, "fastest model"), at(a, "logic puzzles"),
                at(a, "logic puzzles", "quote-unattributed", "error"), at(a, "outperforms")]
    assert kept(findings, a) == ["benchmark-uncited@beats every rival",
                                 "quote-unattributed@logic puzzles",
                                 "benchmark-uncited@outperforms"]


def test_several_rules_all_rules_and_stacked_comments() -> None:
    raw = ("<!--verifier:ignore quote-unattributed,benchmark-uncited-->\n"
           "Kestrel 3 is the fastest, “trust us”.\n\n"
           "<!-- verifier: ignore -->\n<!-- an editor's note -->\n<!-- VERIFIER: ignore opinion-unattributed -->\n"
           "Lumen 2 should be abandoned, “it is done”.\n\n"
           "Kestrel 3 is the fastest again.\n")
    a = art(raw)
    findings = [at(a, "fastest,"), at(a, "trust us", "quote-unattributed", "error"),
                at(a, "should be abandoned", "opinion-unattributed"),
                at(a, "it is done", "quote-unattributed", "error"),
                at(a, "fastest again")]
    assert kept(findings, a) == ["benchmark-uncited@fastest again"]
    assert [sorted(r) for _, _, r in suppressions(a)] == [
        ["benchmark-uncited", "quote-unattributed"], ["all"], ["opinion-unattributed"]]


def test_html_suppression_covers_the_next_element() -> None:
    raw = ("<html><body>\n<!-- verifier: ignore benchmark-uncited -->"
           "<div class=\"lede\"><div>Kestrel 3 is the fastest.</div>"
           "<p>It beats Lumen 2.</p></div><p>It outperforms Orrin 4.</p>\n</body></html>\n")
    a = art(raw, fmt="html")
    findings = [at(a, "fastest"), at(a, "beats Lumen"), at(a, "outperforms")]
    assert kept(findings, a) == ["benchmark-uncited@outperforms"]


def test_html_suppression_before_a_paragraph_without_blank_lines() -> None:
    raw = ("<!-- verifier: ignore benchmark-uncited -->\n<p>Kestrel 3 is the fastest.</p>\n"
           "<p>It beats Lumen 2.</p>\n")
    a = art(raw, fmt="html")
    assert kept([at(a, "fastest"), at(a, "beats")], a) == ["benchmark-uncited@beats"]


def test_suppression_at_end_of_file_and_unknown_text() -> None:
    a = art("Kestrel 3 is the fastest.\n\n<!-- verifier: ignore benchmark-uncited -->\n")
    assert kept([at(a, "fastest")], a) == ["benchmark-uncited@fastest"]
    assert parse_rules("  ") == frozenset({"all"})
    assert parse_rules(" a ,b  c") == frozenset({"a", "b", "c"})


def test_plain_comment_suppresses_nothing() -> None:
    a = art("<!-- ignore benchmark-uncited -->\nKestrel 3 is the fastest.\n")
    assert kept([at(a, "fastest")], a) == ["benchmark-uncited@fastest"]


def test_findings_outside_focus_are_dropped() -> None:
    a = art(MD)
    para3 = MD.index("Kestrel 3 outperforms")
    a.focus = [(para3, len(MD))]
    no_span = Finding(rule="claim-ungrounded", severity=Severity.WARNING, message="dropped claim")
    findings = [at(a, "beats every rival"), at(a, "outperforms"), no_span]
    assert kept(findings, a) == ["benchmark-uncited@outperforms", "claim-ungrounded@None"]
    a.focus = []
    assert kept(findings, a) == ["claim-ungrounded@None"]


def test_focus_in_analysis_offsets_maps_through_html() -> None:
    raw = "<p>Alpha is fastest.</p>\n<p>Beta is best.</p>\n"
    text = "Alpha is fastest.\n\nBeta is best."
    offsets = ([raw.index("Alpha") + i for i in range(17)] + [raw.index("</p>\n<p>") + 4] * 2
               + [raw.index("Beta") + i for i in range(13)])
    a = Article(path="a.html", raw=raw, text=text, format="html", raw_offsets=offsets)
    a.focus = [(text.index("Beta"), len(text))]
    findings = [at(a, "fastest"), at(a, "best")]
    assert kept(findings, a) == ["benchmark-uncited@best"]


def test_disable_and_severity_overrides() -> None:
    a = art(MD)
    findings = [at(a, "beats every rival"), at(a, "outperforms", "claim-unattributed", "info"),
                at(a, "logic puzzles", "quote-unattributed", "error")]
    settings = Settings(disable=["claim-unattributed"],
                        severity={"benchmark-uncited": "error", "quote-unattributed": "off"})
    out = apply(findings, a, settings)
    assert [(f.rule, str(f.severity)) for f in out] == [("benchmark-uncited", "error")]
