"""segment: paragraphs and sentences, with offsets into the analysis text.

A sentence split never falls inside a quotation: the splitter reads the paragraph's pairing of
quotation marks (`quotemarks.quote_open`) and only ends a sentence where none is open.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from verifier import vocab
from verifier.model.schema import Article, Paragraph, Segmentation, Sentence
from verifier.stages import interview, quotemarks

# a sentence ends at . ! ? (or their CJK forms), possibly followed by closing marks and brackets
# (one mark, then any more: a pattern that opens with a plain class lets the regex engine skip to
# the marks, where one opening with a repeat is tried at every offset, at twice the cost)
_END_CHARS = ".!?。！？…"
_END = re.compile(rf"[{_END_CHARS}][{_END_CHARS}]*[\"'”’」』)\]]*")
_NONSPACE = re.compile(r"\S")
_NEXT_STARTS = re.compile(r"\s+[\"“‘「『(\[]?[A-Z0-9\u4e00-\u9fff]")
# words written short whose full stop ends no sentence: each list read from its own file
_ABBREVIATIONS = frozenset(w.lower() for w in (
    *vocab.words("sentence_abbreviations"), *vocab.words("speaker_titles", "honorifics"),
    *(w for key in ("month_abbreviations", "word_abbreviations", "place_abbreviations")
      for w in vocab.words("speaker_grammar", key))))
_JOINED_INITIALS = re.compile(r"[A-Z](?:\.[A-Z]){1,2}")
_NOT_INITIALS = frozenset(vocab.words("speaker_titles", "not_initials"))
# 「…。」林晓峰还表示: a speaker and a speech verb (verifier/vocab/zh_speech_verbs.yaml) right after
# a closing mark belong to the quote's sentence
_ZH_ATTRIBUTION_NEXT = re.compile(rf"[^。！？「」]{{1,10}}?(?:{vocab.alternation(vocab.words('zh_speech_verbs'))})")


def segment(article: Article) -> Segmentation:
    """The story body's paragraphs (`Article.paragraphs`), flagged, and the sentences in each."""
    paragraphs: list[Paragraph] = []
    sentences: list[Sentence] = []
    text = quotemarks.quote_text(article)
    ends = quotemarks.offsets_of(text, _END_CHARS)  # where a sentence may end, found once per article
    for start, end in article.paragraphs():
        index = len(paragraphs)
        para = Paragraph(start=start, end=end, index=index,
                         boilerplate=article.is_boilerplate(start, end),
                         heading=_is_heading(article, start, end, index),
                         in_focus=_in_focus(article, start, end))
        paragraphs.append(para)
        first = words_start(article, start, end)
        stretches = quotemarks.paragraph_stretches(article, first, end)  # the quote stage reads it too
        found = split_sentences(text, first, end, stretches, ends)
        if text is not article.text:
            found = [_written(article.text, text, s, e) for s, e in found]
        sentences.extend(Sentence(s, e, index) for s, e in found)
    return Segmentation(paragraphs=paragraphs, sentences=sentences)


def _written(written: str, read: str, start: int, end: int) -> tuple[int, int]:
    """A sentence of an article that writes its quotation marks as two apostrophes, split on the
    text the quote stage reads (`quotemarks.quote_text`: ` "` for an opening `''`, `" ` for a
    closing one), widened to hold each mark it opens or closes with as written."""
    if read[start] == '"' != written[start]:
        start -= 1
    if read[end - 1] == '"' != written[end - 1]:
        end += 1
    return start, end


def words_start(article: Article, start: int, end: int) -> int:
    """Where the sentences of the paragraph [start, end) begin: after a credit that opens it, and
    after a Q&A's speaker label (`stages.interview`)."""
    return interview.label_end(article, _after_leading_credit(article, start, end), end)


def _after_leading_credit(article: Article, start: int, end: int) -> int:
    """Where the story text of a paragraph begins: after a credit that opens it (本报上海3月5日电
    （记者 陈静）), which is boilerplate and belongs to no sentence."""
    for b_start, b_end in article.boilerplate:
        if b_start == start and b_end < end:
            return b_end
    return start


def split_sentences(text: str, start: int, end: int, stretches: list[quotemarks.Stretch] | None = None,
                    ends: list[int] | None = None) -> list[tuple[int, int]]:
    """Sentence offsets within text[start:end], never cutting a quotation. `stretches`: the
    pairing of text[start:end] (`quotemarks.pair_marks`), `ends`: the offsets of every character
    of `_END_CHARS` in `text`, when the caller has them."""
    out: list[tuple[int, int]] = []
    open_quotes = quotemarks.quote_open(text, start, end, stretches)
    sent_start = start
    for m in _END.finditer(text, start, end) if ends is None else _ends_at(text, ends, start, end):
        cut = m.end()
        if cut >= end or open_quotes(cut):
            continue
        cjk = m.group()[0] in "。！？"
        if not cjk and not _NEXT_STARTS.match(text, cut, end):
            continue
        if cjk and m.group()[-1] in "」』”" and _ZH_ATTRIBUTION_NEXT.match(text, cut, end):
            continue  # 「…。」林晓峰说。: the attribution belongs to the quote's sentence
        if _is_abbreviation(text, sent_start, m.start(), m.group()):
            continue
        out.append((sent_start, cut))
        sent_start = cut  # the next sentence opens after the spaces (read here, not by copying the rest)
        while sent_start < end and text[sent_start].isspace():
            sent_start += 1
    if sent_start < end:
        out.append((sent_start, end))
    return [(s, e) for s, e in out if _NONSPACE.search(text, s, e)]


def _ends_at(text: str, ends: list[int], start: int, end: int) -> Iterator[re.Match[str]]:
    """What `_END.finditer(text, start, end)` finds, read only at `ends`: `_END` matches at every
    one of its opening characters and nowhere else, and a match covers the ones it runs over."""
    reached = start
    for at in ends[bisect.bisect_left(ends, start):bisect.bisect_left(ends, end)]:
        if at >= reached:
            m = _END.match(text, at, end)
            if m is not None:  # always: `_END` opens with any one of `_END_CHARS`
                yield m
                reached = m.end()


def _is_abbreviation(text: str, sent_start: int, dot: int, ending: str) -> bool:
    if not ending.startswith(".") or len(ending.rstrip("\"'”’」』)]")) > 1:
        return False
    word_start = dot
    while word_start > sent_start and not text[word_start - 1].isspace() and text[word_start - 1] not in "(\"“":
        word_start -= 1
    word = text[word_start:dot].lower()
    if word in _ABBREVIATIONS:
        return True
    # initials: "J." in "Michael J. Fox", "U.S." handled above; a person's initials written
    # together ("J.M. Berger"), not a place's or body's ("F.B.I.": speaker_titles.yaml `not_initials`)
    if len(word) == 1:
        return word.isalpha() and text[word_start].isupper()
    return _JOINED_INITIALS.fullmatch(text, word_start, dot) is not None and word not in _NOT_INITIALS


def _is_heading(article: Article, start: int, end: int, index: int) -> bool:
    raw_start = article.to_raw(start)
    line_start = article.raw.rfind("\n", 0, raw_start) + 1
    if article.format == "markdown" and article.raw[line_start:raw_start].lstrip().startswith("#"):
        return True
    if article.title_span and article.title_span[0] == start:
        para = article.text[start:end]
        return "\n" not in para and not para.rstrip().endswith((".", "”", '"'))
    return False


def _in_focus(article: Article, start: int, end: int) -> bool:
    """Whether the paragraph is one that `load` put in focus (`--changed-since`)."""
    if article.focus is None:
        return True
    return any(s < end and start < e for s, e in article.focus)
