"""quotes: every quotation in the article, its kind, its cue and its speaker. Deterministic.

1. Pair quotation marks (straight and curly double quotes, 「」 and 『』) into stretches, by the one
   pairing the sentence splitter also reads (`verifier.stages.quotemarks`). A quote
   left open at the end of a paragraph continues when the next paragraph opens with a mark (the
   newsroom convention for long quotes); otherwise it is unbalanced, reported, and closed at the
   paragraph's end so the rest of the article is read normally.
2. Join a quote split by its attribution ("...," she said, "...") into one quote with two parts.
3. Find the cue and the speaker: after the quote (`," X said`, `," said X, the ...`), before it
   (`X said: "`, `X told reporters "`, `according to X, "`), anywhere earlier in the sentence for a
   partial quote, and for a quote standing alone the speaker of the quote or paragraph before.
4. Resolve surnames and pronouns to the fullest name introduced earlier (`verifier.stages.names`).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from verifier import vocab
from verifier.model import catalog
from verifier.model.schema import (
    CHINESE_CHAR,
    Article,
    Finding,
    Paragraph,
    Quote,
    QuotePart,
    Segmentation,
    Sentence,
    strip_range,
)
from verifier.stages import interview, names, quotemarks, titles

_MARKS = re.compile(r"[“”「」『』\"]")
_OPENING_MARKS = "“「『\""  # a paragraph opening with one of these opens a quotation
_SPLIT_MAX_GAP = 120
# the attribution sieves, most precise first: a later one runs only for a quote still without a speaker
SIEVES = ("label", "credit_inside", "split", "cue_before", "after", "intro", "list_label", "before", "nested", "colon_paragraph", "sentence_after", "headline_name", "inside_unclosed",
          "subject", "sentence_before", "name_label", "dash_credit", "credit_line", "pull_quote",
          "continuation")
_WORD = re.compile(r"\w+")


@dataclass(slots=True)
class _Candidate:
    parts: list[QuotePart]
    paragraph: int
    unbalanced: bool = False
    cue: str | None = None
    mention: names.Mention | None = None
    sieve: str | None = None  # the attribution sieve that named the speaker
    title: bool = False  # a title or a name in quotation marks (`verifier.stages.titles`), not reported


@dataclass(slots=True)
class QuoteFindings:
    quotes: list[Quote]
    findings: list[Finding] = field(default_factory=list)
    sieves: list[str | None] = field(default_factory=list)  # per quote: the sieve that named its speaker


def find_quotes(article: Article, seg: Segmentation) -> QuoteFindings:
    """All quotations with kind, cue and speaker, plus `quote-unbalanced`/`quote-unattributed` findings."""
    text = quotemarks.quote_text(article)
    candidates = _pair_marks(article, seg)
    candidates = [c for c in candidates if not _in_boilerplate(article, c) and not _zh_term(text, c)]
    _mark_titles(text, seg, candidates)
    candidates = _join_split_quotes(text, candidates)
    people = names.index_for(article)
    quotes: list[Quote] = []
    findings: list[Finding] = []
    sieves: list[str | None] = []
    quoted: list[tuple[int, str]] = []  # (mention offset, resolved name) of each named speaker so far
    previous: _Candidate | None = None
    repeats = _Repeats(text, seg, candidates)
    credits = _CreditSide(text, seg, candidates)
    # a Q&A's answers, in article order among the quotations (`interview.answers`)
    answers = _unquoted(interview.answers(article, people, [(p.start, p.end) for p in seg.paragraphs]),
                        candidates)
    a = 0
    for k, cand in enumerate(candidates):
        while a < len(answers) and answers[a].start < cand.parts[0].start:
            quotes.append(_answer_quote(article, answers[a], len(quotes) + 1))
            sieves.append("answer")
            a += 1
        sentence = _sentence_of(seg, cand.parts[0].start)
        _attribute(text, cand, sentence, seg, people, previous, functools.partial(repeats.of, k), credits.below)
        quote = _to_quote(article, text, cand, sentence, people, len(quotes) + 1, quoted)
        if cand.mention is not None and quote.speaker and cand.mention.kind != "description":
            quoted.append((cand.mention.start, quote.speaker))
        if cand.mention is not None:
            previous = cand
        if cand.title:
            # a title is no quotation and is not reported; it is attributed all the same, so the
            # quote after it continues the speaker its sentence names (`Roe, the star of "Lilac,"
            # praised the port.` then `"We won."`) as it would with a quotation there
            continue
        quotes.append(quote)
        sieves.append(cand.sieve)
        findings.extend(_findings(article, cand, quote))
    for answer in answers[a:]:
        quotes.append(_answer_quote(article, answer, len(quotes) + 1))
        sieves.append("answer")
    return QuoteFindings(quotes, findings, sieves)


def _unquoted(answers: list[interview.Answer], candidates: list[_Candidate]) -> list[interview.Answer]:
    """The answers that hold no quotation (one that quotes someone is not all the speaker's own
    words: its quotation is found as any other). The candidates are in order and do not overlap,
    so only the last one opening before an answer's end can reach into it."""
    opens = [c.parts[0].start for c in candidates]
    kept = []
    for answer in answers:
        i = bisect.bisect_left(opens, answer.end) - 1
        if i < 0 or candidates[i].parts[-1].end <= answer.start:
            kept.append(answer)
    return kept


def _answer_quote(article: Article, answer: interview.Answer, number: int) -> Quote:
    """A paragraph of a Q&A's answer as a direct quotation of its speaker (no marks: the format
    says whose words they are), so that it is checked against the transcript like any quotation."""
    span = article.span(answer.start, answer.end)
    return Quote(id=f"Q{number}", text=" ".join(article.text[answer.start:answer.end].split()), span=span,
                 kind="direct", speaker=answer.speaker, speaker_mention=answer.label,
                 speaker_span=article.span(*answer.label_span) if answer.label_span else None,
                 cue=":", parts=[span])


# --------------------------------------------------------------------------- 1. pairing marks


def _pair_marks(article: Article, seg: Segmentation) -> list[_Candidate]:
    """Candidates from each paragraph's stretches (`quotemarks.pair_marks`, paired once per article:
    `quotemarks.paragraph_stretches`): a stretch still open at a paragraph's end continues into the
    next paragraph when that opens with a mark."""
    text = quotemarks.quote_text(article)
    out: list[_Candidate] = []
    current: _Candidate | None = None  # a quote continuing from the previous paragraph
    for para in seg.paragraphs:
        runs_on = False
        for stretch in quotemarks.paragraph_stretches(article, para.start, para.end):
            current = _close_part(out, current, para.index, stretch.start, stretch.end,
                                  stretch.open_mark, stretch.close_mark, text)
            if stretch.close_mark is not None:
                current = None
            elif stretch.lost or not _next_opens_quote(text, seg, para.index):
                if current is not None:
                    current.unbalanced = True
                current = None
            else:
                runs_on = True
        if not runs_on:
            current = None
    return out


def _close_part(out: list[_Candidate], current: _Candidate | None, paragraph: int, start: int,
                end: int, open_mark: str, close_mark: str | None, text: str) -> _Candidate | None:
    """Record the stretch [start, end) as a part of `current` or of a new candidate."""
    s, e = strip_range(text, start, end)
    if e <= s or not _WORD.search(text, s, e):
        return current
    part = QuotePart(s, e, open_mark, close_mark)
    if current is not None:
        current.parts.append(part)
        return current
    cand = _Candidate([part], paragraph)
    out.append(cand)
    return cand


def _next_opens_quote(text: str, seg: Segmentation, index: int) -> bool:
    if index + 1 >= len(seg.paragraphs):
        return False
    nxt = seg.paragraphs[index + 1]
    return _opens_with(text, nxt, "“\"「『")


def _opens_with(text: str, para: Paragraph, marks: str) -> bool:
    """Whether the paragraph opens with one of `marks`. A paragraph opens with its first
    character, but an opening two-apostrophe mark reads as a space and `"` (`quotemarks.quote_text`)."""
    i = para.start
    while i < para.end and text[i] == " ":
        i += 1
    return i < para.end and text[i] in marks


def _opens_paragraph(text: str, para: Paragraph, mark: int) -> bool:
    """Whether the quotation mark at `mark` opens its paragraph (nothing but the space of an
    opening two-apostrophe mark before it)."""
    return not text[para.start:mark].strip(" ")


_ZH_TERM = re.compile(r"[\u4e00-\u9fff0-9A-Za-z·\-\s]{1,10}")
_ZH_SPEECH_NEXT = re.compile(vocab.alternation(names.ZH_SPEECH_VERBS))


def _zh_term(text: str, cand: _Candidate) -> bool:
    """A name in Chinese double quotes (新一代芯片“天枢二号”) is a term, not a quotation: a short
    stretch with no punctuation, no colon before it and no speech verb right after it."""
    if len(cand.parts) > 1 or cand.parts[0].open_mark not in "“\"":
        return False
    part = cand.parts[0]
    words = text[part.start:part.end]
    if not CHINESE_CHAR.search(words) or not _ZH_TERM.fullmatch(words):
        return False
    before = text[max(0, part.start - 2):part.start - 1].strip()
    after = text[part.end + 1:part.end + 8]
    return before not in (":", "：") and not _ZH_SPEECH_NEXT.search(after)


def _mark_titles(text: str, seg: Segmentation, cands: list[_Candidate]) -> None:
    """Mark the titles and names in quotation marks (`told ABC's "Good Morning America"`, `the
    "Never Trump" movement`, `starred in "Veep" and "Girls"`): they are no quotations
    (`verifier.stages.titles`), and `find_quotes` reports none of them."""
    title_end: int | None = None  # past the closing mark of the last title, in its paragraph
    paragraph = -1
    for cand in cands:
        part = cand.parts[0]
        if cand.paragraph != paragraph:
            title_end, paragraph = None, cand.paragraph
        if len(cand.parts) == 1 and part.close_mark is not None:
            para = seg.paragraphs[cand.paragraph]
            after = _after_mark(text, part)
            if titles.is_title(text, part.start - 1, part.start, part.end, after, para.start, para.end,
                               title_end):
                cand.title, title_end = True, after
                continue
        title_end = None


def _in_boilerplate(article: Article, cand: _Candidate) -> bool:
    first = cand.parts[0]
    return article.is_boilerplate(first.start, first.end)


# --------------------------------------------------------------------------- 2. split quotes

_CUE_ALONE = re.compile(rf"\s*(?:\w+ly\s+)?(?:{names.CUE})\s*")
_SPLIT_GAP = re.compile(rf"^\s*(?P<between>[^“”\"「」.!?]{{1,{_SPLIT_MAX_GAP}}}?)[,:]\s*$")


def _join_split_quotes(text: str, cands: list[_Candidate]) -> list[_Candidate]:
    """`"...," she said, "..."` is one quote with two parts."""
    out: list[_Candidate] = []
    for cand in cands:
        prev = out[-1] if out else None
        if prev is not None and not prev.title and not cand.title and _is_split(text, prev, cand):
            prev.parts.extend(cand.parts)
            prev.unbalanced = prev.unbalanced or cand.unbalanced
            continue
        out.append(cand)
    return out


def _is_split(text: str, first: _Candidate, second: _Candidate) -> bool:
    a, b = first.parts[-1], second.parts[0]
    if first.paragraph != second.paragraph or len(first.parts) > 1 and a.close_mark is None:
        return False
    if not text[a.start:a.end].rstrip().endswith(","):
        return False
    gap = text[a.end + 1 if a.close_mark else a.end: b.start - 1]
    m = _SPLIT_GAP.match(gap)
    # a cue alone names no speaker between two parts: `author of "The Long Road," put it, "...`
    # closes a title inside an appositive, then opens the words
    return m is not None and names.find_cue(m.group("between")) is not None and \
        _CUE_ALONE.fullmatch(m.group("between")) is None


# --------------------------------------------------------------------------- 3. attribution


def _sentence_of(seg: Segmentation, offset: int) -> Sentence | None:
    k = seg.sentence_index(offset)
    if k >= 0 and seg.sentences[k].start <= offset < seg.sentences[k].end:
        return seg.sentences[k]
    return None



def _without_words_of(text: str, previous: _Candidate | None, start: int, end: int) -> str:
    """`text` with the words of the quote before, where they lie in [start, end), blanked out: a
    cue inside them (`''... as if the agency believes ...,'' said Roe, the author of ''`) names
    no speaker of a later quote. The offsets stay as they were."""
    if previous is None or previous.parts[-1].end <= start or previous.parts[0].start >= end:
        return text
    out = text
    for part in previous.parts:
        lo, hi = max(part.start, start), min(part.end, end)
        if lo < hi:
            out = out[:lo] + " " * (hi - lo) + out[hi:]
    return out


def _attribute(text: str, cand: _Candidate, sentence: Sentence | None, seg: Segmentation,
               people: names.NameIndex, previous: _Candidate | None,
               original: Callable[[], _Candidate | None] | None = None,
               credits_below: Callable[[], bool] = lambda: False) -> None:
    first, last = cand.parts[0], cand.parts[-1]
    sent_start = sentence.start if sentence else seg.paragraphs[cand.paragraph].start
    sent_end = _end_of_sentence_after(seg, last.end, sentence)
    after_start = _after_mark(text, last)
    if not text[after_start:sent_end].strip():
        sent_end = _next_sentence_end(text, seg, cand, sent_end, _ends_open(text, last))
    tries: list[tuple[str, Callable[[], tuple[str | None, names.Mention] | None]]] = [
        ("label", lambda: names.transcript_label(text, first.start, first.end)),
        ("credit_inside", lambda: _credit_inside(text, cand))]
    if len(cand.parts) > 1:  # the attribution sits between the parts of a split quote
        a = cand.parts[0]
        tries.append(("split", lambda: names.attribution_after(
            text, _after_mark(text, a), cand.parts[1].start)))
    tries += [
        ("cue_before", lambda: _cue_right_before(text, cand, sent_start)),
        ("after", lambda: None if _introduces_next(text, cand, after_start)
            else names.attribution_after(text, after_start, sent_end)),
        ("intro", lambda: names.intro_before(text, sent_start, first.start - 1)),
        ("list_label", lambda: _list_label(text, first.start - 1)),
        ("before", lambda: names.attribution_before(_without_words_of(text, previous, sent_start, first.start),
                                                    sent_start, first.start - 1)),
        # the words are the speaker's even when a paper reports them ("Roe said, according to
        # the Ledger"): the reporting source names a quote only when no speaker is named
        ("nested", lambda: names.nested_source(text, sent_start, first.start - 1, after_start, sent_end)),
        ("colon_paragraph", lambda: _from_paragraph_before(text, seg, cand)),
        ("sentence_after", lambda: _first_spoken(people, after_start, sent_end, text)),
        ("headline_name", lambda: _headline_line(text, seg, cand)),
    ]
    if cand.unbalanced:
        tries.append(("inside_unclosed", lambda: _inside_unclosed(text, cand)))
    tries += [
        ("subject", lambda: names.sentence_subject(text, sent_start, first.start - 1)),
        ("sentence_before", lambda: _sentence_before(text, seg, cand, sent_start, people)),
        ("name_label", lambda: _paragraph_before(text, seg, cand, credits_below)),
        ("dash_credit", lambda: _credit_below(text, seg, cand, after_start)),
        ("credit_line", lambda: _credit_line(text, seg, cand, after_start, credits_below)),
        ("pull_quote", lambda: _pull_quote(text, seg, original() if original else None, people)),
        ("continuation", lambda: _continuation(text, seg, previous, cand, people)),
    ]
    own_cue = False  # a cue of the quote's own named a speaker that was declined
    for sieve, attempt in tries:  # built in the order of SIEVES
        if own_cue and sieve == "continuation":
            return  # the quote has a cue of its own: it continues nobody's words
        found = attempt()
        # a sieve declines a speaker that is likely none: a later, surer one (or none) takes the quote
        if found is not None and names.unsure_speaker(text, found[1], people):
            own_cue = own_cue or sieve in _OWN_CUE_SIEVES
            continue
        if found is not None:
            if sieve != "nested" and names.respondents(text, found[1]):
                # "In a poll released Sunday, 8 percent of voters said ...": the poll's finding
                poll = names.poll_source(text, sent_start, first.start - 1, after_start, sent_end)
                if poll is not None:
                    found, sieve = poll, "nested"
            cand.cue, cand.mention = found
            cand.sieve = sieve
            return


def _after_mark(text: str, part: QuotePart) -> int:
    """Where the text after a quotation part begins: past its closing mark, which may stand after
    a space (`... 'the president,' " said Roe`: the words end at the single quote)."""
    if part.close_mark is None:
        return part.end
    i = part.end
    while i < len(text) and text[i] in " \t":
        i += 1
    return i + 1 if text[i:i + 1] == part.close_mark else part.end + 1


# `X said: "A." Y wrote back, "B."`: after a quote that ends its sentence, a cue ending in a comma or
# colon right before the next opening mark introduces that next quote
_INTRODUCES_NEXT = re.compile(r"[^“”\"\n]{1,80}?[,:][ \t]*[“\"](?=[A-Z])")


def _introduces_next(text: str, cand: _Candidate, after_start: int) -> bool:
    """Whether the words after a quote introduce the next quote rather than credit this one: the
    quote has its own introduction (`X said: "`, `X replied with, "`) and ends its sentence inside
    its marks (`."`, `?"`, `!"`), and `Y wrote back, "` follows it."""
    first, last = cand.parts[0], cand.parts[-1]
    if len(cand.parts) > 1 or last.close_mark is None:
        return False
    ended = text[last.start:last.end].rstrip()
    if not ended.endswith((".", "?", "!")):
        return False
    i = first.start - 1  # the opening mark; the character before it, past spaces
    while i > 0 and text[i - 1] in " \t":
        i -= 1
    if text[i - 1:i] not in (",", ":"):
        return False
    return _INTRODUCES_NEXT.match(text, after_start) is not None


_OWN_CUE_SIEVES = frozenset({"split", "cue_before", "after", "intro", "before"})  # a cue word next to the quote


_CUE_THEN_WORDS = re.compile(
    rf"(?!\s+(?:{vocab.alternation(vocab.words('cue_verbs', 'naming_particles'))})\b)(?:\s+[a-z]+){{0,2}}\s*$")  # `called "`, `called it "`, `called the plan "`
_NAMING_CUES = frozenset(vocab.words("cue_verbs", "naming"))  # called, dubbed, labeled ...
# a naming cue and at most two words right before the mark: looked for first, in the last few
# words only, so that the speaker search runs for the few quotes that have one
_NAMING_THEN = re.compile(rf"(?i:\b(?:{'|'.join(sorted(_NAMING_CUES))}))\b" + _CUE_THEN_WORDS.pattern)
_NAMING_REACH = 40


def _cue_right_before(text: str, cand: _Candidate, sent_start: int) -> tuple[str, names.Mention] | None:
    """`under what Roe called "the old model," the club charged a fee`: a partial quote (its mark
    after a word, not after the sentence start, a colon or a comma) right after a naming cue
    (verifier/vocab/cue_verbs.yaml `naming`: `called "`, `called it "`, `has dubbed "`) is the
    cue's speaker's words, whatever verb follows the quote."""
    if len(cand.parts) > 1:
        return None
    mark = cand.parts[0].start - 1
    i = mark
    while i > sent_start and text[i - 1].isspace():
        i -= 1
    if i <= sent_start or not text[i - 1].isalpha():
        return None
    if _NAMING_THEN.search(text, max(sent_start, mark - _NAMING_REACH), mark) is None:
        return None
    found = names.attribution_before(text, sent_start, mark)
    if found is None or found[0] == ":":
        return None
    cue, mention = found
    if cue.lower() not in _NAMING_CUES:
        return None
    at = text.rfind(cue, mention.end, mark)
    if at == -1 or _CUE_THEN_WORDS.match(text, at + len(cue), mark) is None:
        return None
    return found


def _continuation(text: str, seg: Segmentation, previous: _Candidate | None, cand: _Candidate,
                  people: names.NameIndex) -> tuple[str | None, names.Mention] | None:
    """The speaker of the last attributed quote, for a quote that continues it (no cue); unless
    a person is said to speak between the two (`Carter said that ...` then the quote)."""
    if previous is None or previous.mention is None or not _continues(seg, previous, cand, text):
        return None
    between = [found for found in people.spoken_between(previous.parts[-1].end, cand.parts[0].start)
               if found[1].kind == "name"]
    if between and previous.mention.start >= previous.parts[-1].end:
        # the last quote's own attribution after it (`," Ana Ruiz, who chairs Better Roads said in
        # a statement. "`) names nobody new: another name inside it is no speaker between the two
        k = seg.sentence_index(previous.mention.start)
        own_end = seg.sentences[k].end if 0 <= k < len(seg.sentences) else previous.mention.end
        between = [found for found in between
                   if found[1].start >= own_end or found[1].start == previous.mention.start]
    if between:
        return between[-1]
    return None, previous.mention


def _ends_open(text: str, part: QuotePart) -> bool:
    """A quote ending in ? ! , or a dash leaves its sentence open for `" Roe asked.`"""
    return text[part.start:part.end].rstrip().rstrip("’'\"”")[-1:] in "?!,—–…-"


_SHORT_ATTRIBUTION = 60  # characters: `.” Trump said.` is the quote's attribution, not a new sentence


def _next_sentence_end(text: str, seg: Segmentation, cand: _Candidate, sent_end: int, open_end: bool) -> int:
    """The end of the sentence after the quote's, when the attribution may sit there: after a
    quote left open (`?” Roe asked.`), or when that sentence is short enough to be only the
    attribution, with no quotation of its own (`.” Trump said.`)."""
    k = seg.sentence_index(sent_end)
    para = seg.paragraphs[cand.paragraph]
    for sentence in seg.sentences[max(k, 0):max(k, 0) + 3]:
        if sentence.start >= sent_end and sentence.end <= para.end:
            short = sentence.end - sentence.start <= _SHORT_ATTRIBUTION and \
                _MARKS.search(text, sentence.start, sentence.end) is None
            if open_end or short:
                return sentence.end
            return sent_end
    return sent_end


def _sentence_before(text: str, seg: Segmentation, cand: _Candidate, sent_start: int,
                     people: names.NameIndex) -> tuple[str, names.Mention] | None:
    """`Roe recalled the day she won. "It was cold."`: a quote opening its sentence takes the
    speaker of the sentence before it in the same paragraph, when that one holds no quote."""
    first = cand.parts[0]
    if text[sent_start:first.start - 1].strip() or sent_start <= seg.paragraphs[cand.paragraph].start:
        return None
    k = seg.sentence_index(sent_start - 1)
    if k < 0:
        return None
    before = seg.sentences[k]
    if before.start < seg.paragraphs[cand.paragraph].start or _MARKS.search(text, before.start, before.end):
        return None
    spoken = people.spoken_between(before.start, before.end)
    if spoken:
        return spoken[-1]
    return names.sentence_subject(text, before.start, before.end)


def _credit_inside(text: str, cand: _Candidate) -> tuple[str, names.Mention] | None:
    """A quote set off as a block whose last line, inside the marks, credits it: `“We won.
    Jane Roe, Harbor Institute.”`. The credit names the speaker and is no part of the words."""
    part = cand.parts[-1]
    newline = text.rfind("\n", part.start, part.end)
    if newline == -1:
        return None
    found = names.name_label(text, newline + 1, part.end)
    if found is not None and "," in text[newline + 1:part.end]:
        cand.parts[-1] = QuotePart(part.start, strip_range(text, part.start, newline)[1], part.open_mark, part.close_mark)
        return found
    return None


def _headline_line(text: str, seg: Segmentation, cand: _Candidate) -> tuple[str, names.Mention] | None:
    """A quote inside a title-case headline line that opens with a person."""
    para = seg.paragraphs[cand.paragraph]
    first, last = cand.parts[0], cand.parts[-1]
    if last.end > para.end or first.start - para.start > names.HEADLINE_MAX and \
            text.find("\n", para.start, first.start) == -1:
        return None  # the quote's line starts too far back to be a headline
    line_start = max(para.start, text.rfind("\n", para.start, first.start) + 1)
    line_end = text.find("\n", last.end, para.end)
    return names.headline_name(text, line_start, para.end if line_end == -1 else line_end)


def _list_label(text: str, mark: int) -> tuple[str, names.Mention] | None:
    """The label on the quote's own line, before its opening mark (a list of people and their words)."""
    line_start = text.rfind("\n", max(0, mark - 200), mark) + 1
    if line_start == 0 and mark > 200:
        return None
    return names.list_label(text, line_start, mark)


def _paragraph_before(text: str, seg: Segmentation, cand: _Candidate,
                      credits_below: Callable[[], bool]) -> tuple[str, names.Mention] | None:
    """A quote opening its paragraph under a paragraph that is only a name: `Jane Roe, 34,
    teacher` above the words is their speaker's label. Not where the article credits its quotes
    below them and a quote stands above that name: the name is that quote's credit."""
    para = seg.paragraphs[cand.paragraph]
    mark = cand.parts[0].start - 1
    while mark > para.start and text[mark - 1] == " ":  # the space of an opening `''` (or typed)
        mark -= 1
    if mark > para.start:  # a quote opening a line inside its paragraph: the line above is the label
        if text[mark - 1:mark] != "\n":
            return None
        line_start = text.rfind("\n", para.start, mark - 1) + 1 or para.start
        if _MARKS.search(text, line_start, mark - 1):
            return None
        return names.name_label(text, max(line_start, para.start), mark - 1)
    if cand.paragraph == 0:
        return None
    before = seg.paragraphs[cand.paragraph - 1]
    if _MARKS.search(text, before.start, before.end):
        return None
    if cand.paragraph >= 2 and _opens_with(text, seg.paragraphs[cand.paragraph - 2], _OPENING_MARKS) \
            and credits_below():
        return None
    return names.name_label(text, before.start, before.end)


def _ending_paragraph(seg: Segmentation, cand: _Candidate, after: int) -> Paragraph:
    """The paragraph a quote ends in: the one holding `after`, the offset past its closing mark."""
    return next((p for p in seg.paragraphs[cand.paragraph:] if p.start <= after <= p.end),
                seg.paragraphs[cand.paragraph])


def _credit_below(text: str, seg: Segmentation, cand: _Candidate, after: int) -> tuple[str, names.Mention] | None:
    """`"..." — Ana Ruiz.` closing the quote's paragraph, or `- Ana Ruiz.` as the paragraph under it."""
    para = _ending_paragraph(seg, cand, after)
    found = names.dash_credit(text, after, para.end)
    if found is not None or para.index + 1 >= len(seg.paragraphs) or text[after:para.end].strip():
        return found
    below = seg.paragraphs[para.index + 1]
    return names.dash_credit(text, below.start, below.end)


def _alone_in_paragraph(text: str, seg: Segmentation, cand: _Candidate) -> int | None:
    """The index of the paragraph a quote ends in, when the quote is all its paragraph holds
    (nothing but the marks and spaces before and after it); else None."""
    first, last = cand.parts[0], cand.parts[-1]
    para = seg.paragraphs[cand.paragraph]
    if text[para.start:first.start - 1].strip():
        return None
    after = _after_mark(text, last)
    end_para = _ending_paragraph(seg, cand, after)
    if text[after:end_para.end].strip(" \t\n.,"):
        return None
    return end_para.index


def _credit_line(text: str, seg: Segmentation, cand: _Candidate, after: int,
                 credits_below: Callable[[], bool]) -> tuple[str, names.Mention] | None:
    """A quote standing as a paragraph of its own with a credit line under it, no dash: `“We
    won.”` then `Jane Roe, 34, teacher`. Not when a quote opens the paragraph under that line:
    then the line is the label above that quote (a list of people and their words), unless the
    article credits its quotes below them (`_CreditSide`)."""
    para = seg.paragraphs[cand.paragraph]
    if not text[para.start:cand.parts[0].start - 1].strip():
        # on the quote's own line: `“We won.” Jane Roe, 34, teacher` / `“We won.” (Jane Roe, teacher)`
        end = _ending_paragraph(seg, cand, after).end
        line_end = text.find("\n", after, end)
        line_end = end if line_end == -1 else line_end
        rest = text[after:line_end].strip()
        if rest and not _MARKS.search(rest):
            if rest.startswith("(") and rest.endswith((")", ").")):
                return names.name_label(text, text.index("(", after) + 1, text.rindex(")", after, line_end))
            return names.name_label(text, after, line_end)
    index = _alone_in_paragraph(text, seg, cand)
    if index is None or index + 1 >= len(seg.paragraphs):
        return None
    below = seg.paragraphs[index + 1]
    if _MARKS.search(text, below.start, below.end):
        return None
    if index + 2 < len(seg.paragraphs) and _opens_with(text, seg.paragraphs[index + 2], _OPENING_MARKS) \
            and not credits_below():
        return None
    return names.name_label(text, below.start, below.end)


def _label_paragraph(text: str, para: Paragraph) -> bool:
    """Whether a paragraph is only a name with its details (`Jane Roe, 34, teacher`)."""
    return not _MARKS.search(text, para.start, para.end) and names.name_label(text, para.start, para.end) is not None


class _CreditSide:
    """Which side of its quotes a list of people and their words names them. Between two quote
    paragraphs a name paragraph may be the credit of the quote above or the label of the one below;
    the list's ends tell which: a quote with a name under it and none above (the first, where
    credits follow the words) against one with a name above and none under (the last, where labels
    lead). Credits below when those of the first kind outnumber the second; counted once per
    article, when a quote first asks."""

    def __init__(self, text: str, seg: Segmentation, cands: list[_Candidate]) -> None:
        self.text, self.seg, self.cands = text, seg, cands
        self._below: bool | None = None

    def below(self) -> bool:
        if self._below is None:
            text, paras = self.text, self.seg.paragraphs
            under = over = 0
            for cand in self.cands:
                end = _alone_in_paragraph(text, self.seg, cand)
                if end is None:
                    continue
                up = cand.paragraph > 0 and _label_paragraph(text, paras[cand.paragraph - 1])
                down = end + 1 < len(paras) and _label_paragraph(text, paras[end + 1])
                under += down and not up
                over += up and not down
            self._below = under > over
        return self._below


_PULL_MIN_WORDS = 6  # a pull quote repeats a sentence, not a phrase others may use too


class _Repeats:
    """For a quote that stands alone as its paragraph (a pull quote), the other quote that holds
    the same words, if one does. Read only for the quotes that reach the `pull_quote` sieve."""

    def __init__(self, text: str, seg: Segmentation, cands: list[_Candidate]) -> None:
        self.text, self.seg, self.cands = text, seg, cands
        self.bodies: list[str] | None = None

    def of(self, k: int) -> _Candidate | None:
        cand, text = self.cands[k], self.text
        if len(cand.parts) > 1 or _alone_in_paragraph(text, self.seg, cand) is None:
            return None
        words = _plain_words(text, cand.parts[0].start, cand.parts[0].end)
        if len(words.split()) < _PULL_MIN_WORDS:
            return None
        if self.bodies is None:
            self.bodies = [" ".join(_plain_words(text, p.start, p.end) for p in c.parts) for c in self.cands]
        return next((self.cands[j] for j, body in enumerate(self.bodies) if j != k and words in body), None)


def _plain_words(text: str, start: int, end: int) -> str:
    return " ".join(_WORD.findall(text, start, end)).lower()


def _pull_quote(text: str, seg: Segmentation, original: _Candidate | None,
                people: names.NameIndex) -> tuple[str | None, names.Mention] | None:
    """A pull quote: a paragraph that is only a quotation repeating words quoted elsewhere in
    the article takes the speaker those words are credited to there."""
    if original is None:
        return None
    if original.mention is None and original.sieve is None:
        # the words are quoted later on: attribute them there first (without a quote before them
        # to continue, so only a cue of their own names the speaker)
        sentence = _sentence_of(seg, original.parts[0].start)
        probe = _Candidate(list(original.parts), original.paragraph, original.unbalanced)
        _attribute(text, probe, sentence, seg, people, None)
        if probe.sieve == "continuation":
            return None
        original = probe
    if original.mention is None:
        return None
    return original.cue, original.mention


# `Roe called it a "smear" while Lind suggests ...`: a clause that opens with one of these after
# the quote has its own speaker (verifier/vocab/speaker_grammar.yaml `contrast_conjunctions`)
_CLAUSE_CONJUNCTION = re.compile(rf"\b(?:{vocab.alternation(vocab.words('speaker_grammar', 'contrast_conjunctions'))})\b")


def _first_spoken(people: names.NameIndex, start: int, end: int, text: str) -> tuple[str, names.Mention] | None:
    """The first `X said` later in the quote's own sentence, none in a clause that `while` or
    `whereas` opens after the quote."""
    spoken = people.spoken_between(start, end)
    if not spoken:
        return None
    if _CLAUSE_CONJUNCTION.search(text, start, spoken[0][1].start) is not None:
        return None
    return spoken[0]


def _inside_unclosed(text: str, cand: _Candidate) -> tuple[str, names.Mention] | None:
    """An unclosed quote often holds its own attribution (`"We won, said Ana Ruiz.`): take the
    speaker from it, and end the quote where the attribution begins."""
    part = cand.parts[-1]
    for m in re.finditer(r"[,?!]\s", text[part.start:part.end]):
        found = names.attribution_after(text, part.start + m.end(), part.end)
        if found is not None:
            cand.parts[-1] = QuotePart(part.start, part.start + m.start() + 1, part.open_mark, None)
            return found
    return None


def _end_of_sentence_after(seg: Segmentation, offset: int, sentence: Sentence | None) -> int:
    """The end of the sentence holding `offset` (a closing mark may sit just past a sentence end)."""
    k0 = seg.sentence_index(offset)
    for k in (k0, k0 - 1):
        if 0 <= k < len(seg.sentences) and seg.sentences[k].start <= offset <= seg.sentences[k].end:
            return seg.sentences[k].end
    return sentence.end if sentence else offset


def _from_paragraph_before(text: str, seg: Segmentation, cand: _Candidate) -> tuple[str, names.Mention] | None:
    """`X said:` closing one paragraph, the quote opening the next."""
    para = seg.paragraphs[cand.paragraph]
    if not _opens_paragraph(text, para, cand.parts[0].start - 1) or cand.paragraph == 0:
        return None
    before = seg.paragraphs[cand.paragraph - 1]
    if not text[before.start:before.end].rstrip().endswith(":"):
        return None
    found = names.attribution_before(text, before.start, before.end)
    if found is not None:
        return found
    # `Roe issued the following statement:`: no cue word, but the sentence's subject introduces
    # the words below it
    k = seg.sentence_index(before.end - 1)
    last = seg.sentences[k] if k >= 0 and seg.sentences[k].start >= before.start else before
    return names.sentence_subject(text, last.start, before.end)


def _continues(seg: Segmentation, previous: _Candidate, cand: _Candidate, text: str) -> bool:
    """A quote with no cue of its own, in the same paragraph as the last attributed quote or
    opening the paragraph right after it, is the same speaker's."""
    if cand.paragraph == previous.paragraph:
        return True
    para = seg.paragraphs[cand.paragraph]
    opens_paragraph = _opens_paragraph(text, para, cand.parts[0].start - 1)
    return opens_paragraph and cand.paragraph - previous.paragraph <= 2


# --------------------------------------------------------------------------- 4. the Quote


def _to_quote(article: Article, text: str, cand: _Candidate, sentence: Sentence | None,
              people: names.NameIndex, number: int, quoted: list[tuple[int, str]]) -> Quote:
    first, last = cand.parts[0], cand.parts[-1]
    speaker = None
    speaker_span = None
    if cand.mention is not None:
        speaker = people.resolve(cand.mention, first.start, quoted)
        speaker_span = article.span(cand.mention.start, cand.mention.end)
    words = " ".join(" ".join(text[p.start:p.end].split()) for p in cand.parts)
    span = article.span(first.start, last.end)
    return Quote(
        id=f"Q{number}",
        text=words,
        span=span,
        kind=_kind(text, cand, sentence),
        speaker=speaker,
        speaker_mention=cand.mention.text if cand.mention is not None else None,
        speaker_span=speaker_span,
        cue=cand.cue,
        parts=[span] if len(cand.parts) == 1 else [article.span(p.start, p.end) for p in cand.parts],
    )


def _kind(text: str, cand: _Candidate, sentence: Sentence | None) -> Literal["direct", "partial"]:
    """Direct: a full utterance (opens the sentence or a line, or follows `said:`/`said,`).
    Partial: a few words woven into the reporter's sentence."""
    first = cand.parts[0]
    sent_start = sentence.start if sentence else first.start - 1
    # the last character before the opening mark that is not a space (looked at from the mark
    # back, not by slicing the sentence: a sentence with many quotes would be copied per quote)
    i = first.start - 1
    while i > sent_start and text[i - 1] in " \t\u00a0":
        i -= 1
    if i <= sent_start or text[i - 1] in ":,：，\n":  # a quote opening its line is its own utterance
        return "direct"
    if len(cand.parts) > 1:
        return "direct"
    return "partial"


def _findings(article: Article, cand: _Candidate, quote: Quote) -> list[Finding]:
    out: list[Finding] = []
    if cand.unbalanced:
        opening = cand.parts[-1]
        # the mark as written: two apostrophes where the quote stage read one `"` (`quotemarks.quote_text`)
        at = opening.start - (2 if article.text[opening.start - 1] != quotemarks.quote_text(article)[opening.start - 1] else 1)
        out.append(_UNBALANCED.finding(span=article.span(at, opening.start),
                                       quote_id=quote.id))
    if quote.kind == "direct" and quote.speaker is None:
        out.append(_UNATTRIBUTED.finding(span=quote.span, quote_id=quote.id, quote=_clip(quote.text)))
    elif quote.kind == "direct" and _unresolved_pronoun(cand, quote):
        # `“We won,” she said.` with no one before it who could be she: the reader cannot tell who
        out.append(_UNATTRIBUTED.finding(span=quote.span, quote_id=quote.id, quote=_clip(quote.text),
                                         pronoun=quote.speaker))
    return out


def _unresolved_pronoun(cand: _Candidate, quote: Quote) -> bool:
    """Whether the quote's speaker is a third-person pronoun that stands for no one named before it
    (a first-person one is the writer's own voice: "I said" in a column)."""
    mention = cand.mention
    return mention is not None and mention.kind == "pronoun" and quote.speaker == mention.text \
        and not names.is_first_person(mention.text)


_UNBALANCED = catalog.rule("quote-unbalanced")
_UNATTRIBUTED = catalog.rule("quote-unattributed")


def _clip(words: str, n: int = 60) -> str:
    return words if len(words) <= n else words[: n - 1].rstrip() + "…"
