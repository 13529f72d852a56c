"""One pass per job: paragraphs are found once per article (`Article.paragraphs`), and boilerplate,
segmentation and the text and HTML renderers all read those same paragraphs; sentence and clause
splits read one pairing of quote marks."""

from __future__ import annotations

from verifier.ingest import load
from verifier.model.config import Settings
from verifier.model.schema import find_paragraphs
from verifier.render import render
from verifier.render.html import Display
from verifier.run import pipeline
from verifier.stages.segment import segment

TEXT = ("The council approved the budget on Monday.\n"
        "It passed by nine votes to two.\n"
        " \t \n"
        "Reporting by Ana Ruiz\n"
        "\n\n\n"
        "The new budget takes effect in July.\n")


def _words(text: str, ranges: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in ranges]


def test_a_blank_line_separates_paragraphs_and_a_line_break_does_not() -> None:
    assert _words(TEXT, find_paragraphs(TEXT)) == [
        "The council approved the budget on Monday.\nIt passed by nine votes to two.",
        "Reporting by Ana Ruiz", "The new budget takes effect in July."]
    assert find_paragraphs("One line.\nAnother line.") == [(0, 23)]
    assert find_paragraphs("  \n\n \t\n") == []


def test_the_stages_share_the_articles_paragraphs() -> None:
    article = load.load_text(TEXT)
    found = article.paragraphs()
    assert article.paragraphs() is found  # found once, then shared
    seg = segment(article)
    assert [(p.start, p.end) for p in seg.paragraphs] == found
    assert [p.boilerplate for p in seg.paragraphs] == [False, True, False]
    assert article.boilerplate == [found[1]]  # the credit line, as the paragraph it is
    assert Display(article).paragraphs() == found


def test_markdown_paragraphs_start_after_the_front_matter() -> None:
    text = "---\ntitle: Budget\n---\nThe budget passed.\n\nIt takes effect in July.\n"
    article = load.load_text(text, fmt="markdown")
    assert _words(article.text, article.paragraphs()) == ["The budget passed.", "It takes effect in July."]


def test_the_text_format_numbers_paragraphs_as_the_pipeline_found_them() -> None:
    """Reproducer: a run of blank lines counted as one more paragraph in `--format text`."""
    article = load.load_text(TEXT)
    report = pipeline.check_article(article, Settings(), source_docs=[])
    out = render("text", [pipeline.Result(report, article)])
    assert "paragraph 1 (line 1):" in out and "paragraph 3 (line 8):" in out
    assert "paragraph 4" not in out


def test_sentence_and_clause_splits_read_the_same_pairing_of_quote_marks() -> None:
    """One pairing of quote marks (`quotemarks.quote_open`) for both: no sentence split and no clause
    split of the rules engine inside a quotation, straight, curly or corner-bracketed."""
    from verifier.engines.extract import RulesExtractor
    from verifier.stages.quotemarks import quote_open

    for text in ('He said "prices rise; wages fall" in March; the board agreed with him today.',
                 "He said “prices rise; wages fall” in March; the board agreed with him today.",
                 "He said 「prices rise; wages fall」 in March; the board agreed with him today."):
        article = load.load_text(text)
        inside = quote_open(text, 0, len(text))
        assert inside(text.index("; wages")) and not inside(text.index("; the board"))
        drafts = RulesExtractor().extract(article, segment(article)).drafts
        assert [d.evidence for d in drafts] == [text[:text.index("; the board")],
                                                "the board agreed with him today."]


def test_file_offsets_map_back_to_analysis_offsets_through_html() -> None:
    raw = "<p>Alpha is <b>fast</b>.</p>\n<p>Beta is best.</p>\n"
    article = load.load_text(raw, fmt="html")
    start = raw.index("fast")
    a, b = article.map.analysis_range(start, start + 4)
    assert article.text[a:b] == "fast" and article.raw_range(a, b) == (start, start + 4)
    plain = load.load_text("Alpha is fast.")
    assert plain.map.analysis_range(9, 13) == (9, 13)
