"""extract: claims from the story text.

An extractor turns a segmented article into `ClaimDraft`s. The `rules` engine (here) takes sentences
and clauses and knows their offsets exactly; the `llm` engine (`verifier.engines.llm`) returns the model's
claims with the article words that state them, which `verifier.stages.ground` then locates.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from verifier import vocab
from verifier.model.schema import CHINESE_CHAR, Article, EngineInfo, Segmentation, Usage
from verifier.stages import checkworthy, quotemarks, signals


@dataclass(slots=True)
class ClaimDraft:
    """A claim before grounding and verification.

    `start`/`end` are analysis offsets when known (rules engine, or after grounding); `evidence` is
    the exact article words the extractor says state the claim.
    """

    text: str
    evidence: str
    start: int | None = None
    end: int | None = None
    proposed_tags: list[str] | None = None  # None: the extractor proposes nothing (rules engine)
    speaker: str | None = None
    confidence: float | None = None
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)


@dataclass(slots=True)
class FailedChunk:
    """A chunk the model could not answer (the pipeline degrades it to the rules engine)."""

    index: int  # 0-based chunk number
    count: int  # chunks in the article
    start: int  # analysis offsets of its first and last sentence
    end: int
    paragraphs: list[int]
    message: str


@dataclass(slots=True)
class Extraction:
    drafts: list[ClaimDraft]
    engine: EngineInfo
    usage: Usage = field(default_factory=Usage)
    failed: list[FailedChunk] = field(default_factory=list)  # chunks the model could not answer
    # claims the extractor proposed but could not anchor to the article's words (claim-ungrounded)
    unanchored: list[ClaimDraft] = field(default_factory=list)


Progress = Callable[[str], None]  # told what a long run is doing ("claims: chunk 2 of 5")


class Extractor(Protocol):
    def extract(self, article: Article, seg: Segmentation,
                progress: Progress | None = None) -> Extraction: ...


# --------------------------------------------------------------------------- rules engine

# A clause boundary inside a sentence: "; " or ", but"/", while"/", whereas" joining two full clauses.
_CLAUSE_WORDS = vocab.words("claim_grammar", "clause_conjunctions")
_CLAUSE_SPLIT = re.compile(rf";\s+|,\s+(?=(?:{'|'.join(_CLAUSE_WORDS)})\s)")
_MIN_CLAIM_WORDS = 4
_WORD = re.compile(r"\w+")


class RulesExtractor:
    """Claims from sentences, or clauses where a sentence holds several independent claims.
    Questions, greetings and turns of debate hold nothing to check and yield no claim."""

    def extract(self, article: Article, seg: Segmentation,
                progress: Progress | None = None) -> Extraction:
        drafts: list[ClaimDraft] = []
        # as the llm engine's chunks do: claims only from story text in focus (`--changed-since`)
        skip = {p.index for p in seg.paragraphs if not p.checkable}
        chinese = article.has_chinese()  # a sentence of an article without any is not looked at for it
        for sent in seg.sentences:
            if sent.paragraph in skip or article.is_boilerplate(sent.start, sent.end):
                continue
            for start, end in _attribution_clauses(article, sent.start, sent.end):
                words = article.text[start:end]
                count = checkworthy.count_words(words, checkworthy.PROCEDURAL_MAX_WORDS)  # (counted once)
                if not _has_claim_words(words, chinese, count) or _nothing_to_check(words, count):
                    continue
                drafts.append(ClaimDraft(text=_as_sentence(words), evidence=words,
                                         start=start, end=end))
        return Extraction(drafts=drafts, engine=EngineInfo(extractor="rules"))


def _attribution_clauses(article: Article, start: int, end: int) -> list[tuple[int, int]]:
    """The sentence's clauses (`_clauses`), each cut again where it holds two attributions
    (`signals.attribution_clauses`: "X said ..., and Y said ..."), unless a piece would be too
    short to be a claim ("They write me, and one woman wrote me ..."): then it stays whole."""
    read = quotemarks.quote_text(article)
    out = []
    for s, e in _clauses(article.text, start, end, read):
        pieces = signals.attribution_clauses(article, s, e, functools.partial(quotemarks.quote_open, read, s, e))
        if len(pieces) > 1 and not all(_has_claim_words(article.text[a:b]) for a, b in pieces):
            pieces = [(s, e)]
        out += pieces
    return out


def _nothing_to_check(words: str, count: int | None = None) -> bool:
    """A question, or a greeting or turn of debate: no claim, factual or otherwise (`count`:
    `checkworthy.count_words(words, checkworthy.PROCEDURAL_MAX_WORDS)`, when counted)."""
    return checkworthy.is_question(words) or checkworthy.is_procedural(words, count)


def word_count(text: str) -> int:
    """Words, counting Chinese (which has no spaces) as one word per two characters."""
    cjk = len(CHINESE_CHAR.findall(text))
    return len(_WORD.findall(CHINESE_CHAR.sub(" ", text))) + cjk // 2 if cjk else len(_WORD.findall(text))


# as many words as a claim needs, read from the start and no further
_CLAIM_WORDS = re.compile(rf"\W*+(?:\w++\W++){{{_MIN_CLAIM_WORDS - 1}}}\w")  # possessive: no backtracking


def _has_claim_words(text: str, chinese: bool = True, count: int | None = None) -> bool:
    """word_count(text) >= _MIN_CLAIM_WORDS, without counting every word of a long sentence.
    `chinese`: False when the text is known to hold no Chinese character; `count`: its words as
    `checkworthy.count_words` counts them up to at least _MIN_CLAIM_WORDS (a text it counts holds
    no character outside ASCII that may be a word's, so no Chinese one), when the caller has it."""
    if count is not None:
        return count >= _MIN_CLAIM_WORDS
    if chinese and CHINESE_CHAR.search(text):
        return word_count(text) >= _MIN_CLAIM_WORDS
    return _CLAIM_WORDS.match(text) is not None


def _clauses(text: str, start: int, end: int, read: str | None = None) -> list[tuple[int, int]]:
    """Split a sentence at clause boundaries that lie outside quotation marks (paired in `read`,
    the text as the quote stage reads it, `quotemarks.quote_text`, when it is not `text`)."""
    sentence = text[start:end]
    cuts = list(_CLAUSE_SPLIT.finditer(sentence)) if _may_split(sentence) else []
    if cuts:  # most sentences have no clause boundary: the quotation marks are paired only where one is
        inside = quotemarks.quote_open(text if read is None else read, start, end)
        cuts = [m for m in cuts if not inside(start + m.start())]
    out: list[tuple[int, int]] = []
    pos = 0
    for m in cuts:
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(sentence)))
    spans = []
    for s, e in out:
        piece = sentence[s:e]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        if trail > lead:
            spans.append((start + s + lead, start + s + trail))
    return spans


def _may_split(sentence: str) -> bool:
    """Whether `_CLAUSE_SPLIT` can match: a semicolon or one of its words is written (a plain `in`
    per string is far cheaper than the regex's search of a sentence that has neither)."""
    return ";" in sentence or any(map(sentence.__contains__, _CLAUSE_WORDS))


def _as_sentence(words: str) -> str:
    """A standalone rendering of the claim words: one line, capitalised, ending in a full stop.
    Chinese words are left as written: a headline (星河智能发布新芯片) takes no 。"""
    text = " ".join(words.split())
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    if text and text[-1] not in ".!?\u201d\"\u2019'。！？」』" and not "\u4e00" <= text[-1] <= "\u9fff":  # (CHINESE_CHAR)
        text += "."
    return text
