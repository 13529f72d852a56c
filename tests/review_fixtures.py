"""A hand-built report over an original, fictional article, for the review page tests.

Built by hand (not by the pipeline) so the page tests pin what the page does with every kind of
highlight: tags, a quote that crosses a claim, an altered quote with its source, a finding on words
of its own, and markup inside the article that must stay text.
"""

from __future__ import annotations

from verifier.model.schema import (
    Article,
    ArticleInfo,
    Attribution,
    Claim,
    DiffMarks,
    EngineInfo,
    ErrorInfo,
    Finding,
    FindingCounts,
    Quote,
    Report,
    SourceCheck,
    Span,
    Summary,
    TagCounts,
    ToolInfo,
    Usage,
)

ARTICLE = (
    "Lumora unveils Kestrel 3\n"
    "\n"
    "HARBOURVILLE – Lumora Labs said on Tuesday its Kestrel 3 model outperforms rival systems "
    "in code generation.\n"
    "\n"
    "“Kestrel 3 is the fastest model we have ever shipped,” said Mira Okonkwo, the company’s chief "
    "scientist. The launch should be welcomed by regulators.\n"
    "\n"
    "<script>window.__pwned = 1; document.title = 'pwned';</script><img src=x onerror=\"window.__pwned=2\"> "
    "Analysts said demand was strong.\n"
)
SOURCE = "Mira Okonkwo: Kestrel 3 is the fastest model we have shipped so far.\n"
SOURCE_Q1 = "Kestrel 3 is the fastest model we have shipped so far."  # the passage Q1 matches


FILLER = "Harbourville has three bakeries and a lighthouse; none of them appear in this story.\n\n"


def article(padding: int = 0) -> Article:
    """The fixture article; `padding` filler paragraphs push the later paragraphs down the page."""
    head, tail = ARTICLE.split("\n\n“", 1)
    raw = head + "\n\n" + FILLER * padding + "“" + tail
    return Article(path="drafts/kestrel.txt", raw=raw, text=raw, title="Lumora unveils Kestrel 3",
                   sha256="0" * 64)


def span_of(art: Article, words: str, after: int = 0) -> Span:
    start = art.raw.index(words, after)
    return art.span(start, start + len(words))


def _at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def source_span(words: str) -> Span:
    start = SOURCE.index(words)
    return Span(start=start, end=start + len(words), line=1, column=start + 1, end_line=1,
                end_column=start + len(words) + 1, text=words)


def report(art: Article | None = None) -> Report:
    art = art or article()
    c1 = span_of(art, "Lumora Labs said on Tuesday its Kestrel 3 model outperforms rival systems in code generation")
    # C2 starts inside the quote and ends after it: the two highlights cross.
    c2 = span_of(art, "is the fastest model we have ever shipped,” said Mira Okonkwo")
    c3 = span_of(art, "The launch should be welcomed by regulators.")
    c4 = span_of(art, "Analysts said demand was strong.")
    q1 = span_of(art, "Kestrel 3 is the fastest model we have ever shipped,")
    claims = [
        Claim(id="C1", text="Kestrel 3 outperforms rival systems in code generation.", span=c1,
              tags=["attributed", "benchmark_dependent"], confidence=0.9, rationale="cue 'said'; 'outperforms'",
              attribution=Attribution(source="Lumora Labs", cue="said")),
        Claim(id="C2", text="Kestrel 3 is the fastest model Lumora has shipped.", span=c2,
              tags=["benchmark_dependent"], confidence=0.8, rationale="'fastest'"),
        Claim(id="C3", text="The launch should be welcomed by regulators.", span=c3, tags=["opinion"],
              confidence=0.8, rationale="'should'"),
        Claim(id="C4", text="Demand was strong.", span=c4, tags=["attributed"], confidence=0.7,
              rationale="'analysts said'"),
    ]
    quotes = [Quote(id="Q1", text=q1.text, span=q1, kind="direct", speaker="Mira Okonkwo",
                    speaker_span=span_of(art, "Mira Okonkwo"), cue="said",
                    source_check=SourceCheck(status="altered", source="sources/okonkwo.txt", similarity=0.8,
                                             source_span=source_span(SOURCE_Q1),
                                             diff="+ ever; - so far",
                                             marks=DiffMarks(draft=[_at(q1.text, "ever")],
                                                             source=[_at(SOURCE_Q1, "so far")])))]
    findings = [
        Finding(rule="benchmark-uncited", severity="warning", message="Names no benchmark or figure.",
                span=c1, claim_id="C1", suggestion="Name the benchmark and the score."),
        Finding(rule="quote-altered", severity="error", message="The quote differs from the source: + ever; - so far",
                span=q1, quote_id="Q1", suggestion="Quote the source word for word."),
        Finding(rule="opinion-unattributed", severity="warning", message="An opinion in the publication's voice.",
                span=c3, claim_id="C3"),
        Finding(rule="attribution-vague", severity="info", message="'Analysts said' names no one.",
                span=span_of(art, "Analysts said"), claim_id="C4"),
    ]
    return Report(tool=ToolInfo(version="test"),
                  article=ArticleInfo(path=art.path, sha256=art.sha256, chars=len(art.raw), title=art.title),
                  engine=EngineInfo(extractor="llm", model="kestrel-test-model", prompt_version="extract@abc123"),
                  claims=claims, quotes=quotes, findings=findings,
                  summary=Summary(claims=4, tags=TagCounts(attributed=2, benchmark_dependent=2, opinion=1),
                                  untagged=0, quotes=1, findings=FindingCounts(error=1, warning=2, info=1)),
                  usage=Usage(llm_calls=2, prompt_tokens=1200, completion_tokens=300, cost_usd=0.0123, seconds=1.5))


def error_report() -> Report:
    return Report(tool=ToolInfo(version="test"),
                  article=ArticleInfo(path="drafts/broken.txt", sha256="", chars=0, title=None),
                  engine=EngineInfo(extractor="rules"),
                  error=ErrorInfo(type="InputError", message="drafts/broken.txt: the file is empty"))
