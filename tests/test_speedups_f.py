"""Speed shortcuts of the stages before verification (quotation marks, sentences, clauses, the
name index, report construction) give what the plain computation they replace gives, on the team's
texts, on stretches of them and on crafted cases. Each test names the plain form it pins the fast
one to."""

from __future__ import annotations

import re

from tests.team_articles import team_texts
from verifier.engines import extract
from verifier.ingest import load
from verifier.model.schema import Article
from verifier.stages import quotemarks, segment

# quotation marks of every kind around and across clause and sentence boundaries, a mark in a
# markup tag, a stray closer, a quote left open, a leading credit
_MARKED = [
    'He said "prices rise; wages fall" in March; the board agreed, but the union did not. "We stay," she said.',
    "He said “prices rise; wages fall” in March; the board agreed. “We go; they stay.” Roe left; Bo stayed.",
    "He said 「prices rise; wages fall」 in March; the board agreed, while others 「stayed; left」 today.",
    "” We stay; he said, but “no; not now, while “they go”; fine. She left, but “he stayed",
    '<tweet author="@x; y">He said "a; b" and c; d</tweet> then e; f, but g.',
    "本报上海3月5日电（记者 陈静） 林晓峰说：「我们会赢；他们会输。」王芳笑了；大家都笑了。",
    "“Long quote runs on; and on\n\n“and on; still, but more.” Then, while done; over.",
    "Prices rose, whereas wages fell. Costs held, although rents climbed. Sales grew,\twhile stocks slid.",
]


def _articles() -> list[Article]:
    texts = team_texts() + _MARKED
    pieces = [t[i:i + 300] for t in texts for i in range(0, len(t), 131)]
    return [load.load_text(t) for t in texts + pieces]


def test_one_pairing_per_paragraph_is_the_pairing_each_reader_made() -> None:
    """The sentence splitter and the quote stage share a paragraph's pairing
    (`quotemarks.paragraph_stretches`, made once per article); the plain form pairs the paragraph
    again for each reader (`quotemarks.pair_marks`, `split_sentences` without stretches)."""
    split = 0
    for article in _articles():
        seg = segment.segment(article)
        text = article.text
        for para in seg.paragraphs:
            first = segment.words_start(article, para.start, para.end)
            plain = segment.split_sentences(text, first, para.end)
            assert [(s.start, s.end) for s in seg.sentences if s.paragraph == para.index] == plain
            shared = quotemarks.paragraph_stretches(article, first, para.end)
            assert shared == quotemarks.pair_marks(text, first, para.end)
            assert quotemarks.paragraph_stretches(article, first, para.end) is shared  # paired once
            split += len(plain) > 1 and bool(shared)
    assert split > 20


def test_a_clause_split_pairs_marks_only_where_a_boundary_is() -> None:
    """The rules engine looks for clause boundaries only in a sentence that writes a semicolon or
    one of their words, and pairs its quotation marks only when it has one; the plain form
    searches and pairs every sentence and drops the boundaries inside a quotation."""

    def plain(text: str, start: int, end: int) -> list[tuple[int, int]]:
        sentence = text[start:end]
        inside = quotemarks.quote_open(text, start, end)
        cuts = [m for m in extract._CLAUSE_SPLIT.finditer(sentence) if not inside(start + m.start())]
        pieces, pos = [], 0
        for m in cuts:
            pieces.append((pos, m.start()))
            pos = m.end()
        pieces.append((pos, len(sentence)))
        spans = []
        for s, e in pieces:
            piece = sentence[s:e]
            lead, trail = len(piece) - len(piece.lstrip()), len(piece.rstrip())
            if trail > lead:
                spans.append((start + s + lead, start + s + trail))
        return spans

    dropped = cut = 0
    for article in _articles():
        text = article.text
        for sent in segment.segment(article).sentences:
            assert extract._clauses(text, sent.start, sent.end) == plain(text, sent.start, sent.end)
            boundaries = len(extract._CLAUSE_SPLIT.findall(text, sent.start, sent.end))
            cut += boundaries > 0
            dropped += len(extract._clauses(text, sent.start, sent.end)) <= boundaries and boundaries > 0
    assert cut > 20 and dropped > 3


def test_the_crafted_cases_hold_what_the_tests_need() -> None:
    """The crafted texts above have clause boundaries inside and outside quotation marks."""
    inside = [t for t in _MARKED if re.search(r"[“\"「][^”\"」]*;", t)]
    assert len(inside) >= 4


# every kind of space Python strips between sentences, and paragraphs that open with spaces
_SPACED = ["One ends. Two starts.\u00a0Three\u2003goes. \u3000Four! \tFive? \u2028Six.", "  Lead. Next one.",
           "A. B. C.\u00a0\u00a0 ", "“Quoted. Still.” Then. \u200bZero-width is no space. End."]


def test_sentences_open_after_the_spaces_the_plain_lstrip_skips() -> None:
    """`split_sentences` reads the spaces after a sentence end one by one and drops all-space
    sentences with a search for a non-space; the plain form copies the rest of the paragraph to
    `lstrip` it and `strip`s each sentence."""

    def plain(text: str, start: int, end: int) -> list[tuple[int, int]]:
        # segment.split_sentences as it was written before: same cuts, spaces found by copying
        out: list[tuple[int, int]] = []
        open_quotes = quotemarks.quote_open(text, start, end)
        sent_start = start
        for m in segment._END.finditer(text, start, end):
            cut = m.end()
            if cut >= end or open_quotes(cut):
                continue
            cjk = m.group()[0] in "。！？"
            if not cjk and not segment._NEXT_STARTS.match(text, cut, end):
                continue
            if cjk and m.group()[-1] in "」』”" and segment._ZH_ATTRIBUTION_NEXT.match(text, cut, end):
                continue
            if segment._is_abbreviation(text, sent_start, m.start(), m.group()):
                continue
            out.append((sent_start, cut))
            sent_start = cut + (len(text[cut:end]) - len(text[cut:end].lstrip()))
        if sent_start < end:
            out.append((sent_start, end))
        return [(s, e) for s, e in out if text[s:e].strip()]

    many = 0
    for text in team_texts() + _MARKED + _SPACED:
        for start in range(0, len(text), 1 if len(text) < 200 else 37):
            for end in {len(text), min(len(text), start + 180)}:
                assert segment.split_sentences(text, start, end) == plain(text, start, end), text[start:end]
                many += len(plain(text, start, end)) > 2
    assert many > 100


def test_what_is_known_of_chinese_text_is_what_a_search_finds() -> None:
    """The article looks for a Chinese character once (`Article.has_chinese`) and the boilerplate
    finder, the name index and the rules engine skip their Chinese rules when it finds none; the
    plain forms search the text themselves: the boilerplate and the index are those found with no
    flag, and a sentence's claim words are counted as `_has_claim_words` counts them with no flag."""
    from verifier.stages import names

    chinese = chinese_boilerplate = 0
    for article in _articles():
        text = article.text
        assert article.has_chinese() == bool(re.search("[\u4e00-\u9fff]", text[article.body_start:]))
        plain_boilerplate = load.find_boilerplate(text, article.body_start, article.paragraphs())
        assert load.find_boilerplate(text, article.body_start, article.paragraphs(), article.has_chinese()) == \
            plain_boilerplate
        assert set(plain_boilerplate) <= set(article.boilerplate)
        chinese_boilerplate += article.has_chinese() and bool(plain_boilerplate)
        index, plain = names.index_for(article), names.NameIndex(text, article.body_start)
        assert (index.names, index.spoken, index._gender) == (plain.names, plain.spoken, plain._gender)
        assert index.spoken == names.speech_mentions(text, article.body_start, len(text))
        seg = segment.segment(article)
        drafts = [(d.start, d.end) for d in extract.RulesExtractor().extract(article, seg).drafts]
        plain_drafts = [(s, e) for sent in seg.sentences if seg.paragraphs[sent.paragraph].checkable
                        and not article.is_boilerplate(sent.start, sent.end)
                        for s, e in extract._clauses(text, sent.start, sent.end)
                        if extract._has_claim_words(text[s:e]) and not extract._nothing_to_check(text[s:e])]
        assert drafts == plain_drafts
        chinese += article.has_chinese() and bool(index.spoken) and bool(drafts)
    assert chinese >= 2 and chinese_boilerplate >= 2


def test_a_span_has_the_offsets_lines_and_columns_of_raw_range_and_line_col() -> None:
    """`TextMap.span` writes `raw_range` and `line_col` out; the plain form calls them."""
    html = "<html><body><h1>Tí\ttle</h1>\n<p>Alpha “is” <b>fast</b>.</p>\r\n<p>Beta\ris best.</p></body></html>"
    markdown = "# Head\n\nSome *emphasis* and [a link](http://x.org).\r\n\r\nLast “line”."
    articles = [load.load_text(html, fmt="html"), load.load_text(markdown, fmt="markdown"),
                *(load.load_text(t) for t in team_texts()[:6] + _SPACED)]
    checked = 0
    for article in articles:
        n = len(article.text)
        for start in range(0, n + 1, max(1, n // 40)):
            for end in (start, min(n, start + 1), min(n, start + 57), n, max(0, start - 3)):
                rs, re_ = article.map.raw_range(start, end)
                (line, column), (end_line, end_column) = article.map.line_col(rs), article.map.line_col(re_)
                span = article.span(start, end)
                assert (span.start, span.end, span.line, span.column, span.end_line, span.end_column, span.text) == \
                    (rs, re_, line, column, end_line, end_column, article.raw[rs:re_])
                checked += article.map.offsets is not None
    assert checked > 100


_ENDINGS = ["Wait... what?! He left.” Then 3.5 percent. U.S. officials said so. 好。真的！为什么？「好。」他说。Ok…"
            " Done!!! “Yes?” she asked. (Really.) [Sure.] End", "...", ". . .", "a.b.c. D."]


def test_marks_and_sentence_ends_found_by_find_are_what_the_class_search_finds() -> None:
    """Quotation marks and sentence ends are found once per article by a `str.find` per character
    (`quotemarks.offsets_of`) and read by range; the plain forms search each range with the
    regex class (`quotemarks._MARK`, `segment._END`)."""
    marks = re.compile(f"[{quotemarks._MARK_CHARS}]")
    ends = re.compile(f"[{segment._END_CHARS}]")
    assert marks.pattern == quotemarks._MARK.pattern
    tried = 0
    for text in team_texts() + _MARKED + _SPACED + _ENDINGS:
        mark_at = quotemarks.offsets_of(text, quotemarks._MARK_CHARS)
        end_at = quotemarks.offsets_of(text, segment._END_CHARS)
        assert mark_at == [m.start() for m in marks.finditer(text)]
        assert end_at == [m.start() for m in ends.finditer(text)]
        step = 1 if len(text) < 200 else 41
        for start in range(0, len(text), step):
            for end in {len(text), min(len(text), start + 7), min(len(text), start + 150)}:
                for fragment in (False, True):
                    assert quotemarks.pair_marks(text, start, end, fragment=fragment, marks=mark_at) == \
                        quotemarks.pair_marks(text, start, end, fragment=fragment), (text[start:end], fragment)
                assert [m.span() for m in segment._ends_at(text, end_at, start, end)] == \
                    [m.span() for m in segment._END.finditer(text, start, end)], text[start:end]
                assert segment.split_sentences(text, start, end, ends=end_at) == \
                    segment.split_sentences(text, start, end), text[start:end]
                tried += len(mark_at) > 0
    assert tried > 1000
