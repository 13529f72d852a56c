"""interview: a draft written as a Q&A or a transcript, with speaker labels opening its paragraphs
(`**Whitfield:** On the benchmarks we ran, yes.`, `Q: What about the cost?`, `DANA WHITFIELD: ...`).

The labels are read as a labelled source's are (`verifier.ingest.sources.find_turns`: two labels or
more, opening a good share of the paragraphs). Then:

- a label is no word of the sentence it opens (`segment` starts the sentence after it), so a claim
  reads "On the benchmarks we ran, yes.", not "Whitfield: On the ...";
- the words of a turn are its speaker's: a claim in an answer that no cue of its own attributes is
  attributed to the person on the label (`signals`, the `label` signal), so an answer's judgement is
  the speaker's opinion, not the publication's. A label counts as a person when it names one in two
  words or more, or when it is a surname the article gives in full ("Whitfield" after "Dana
  Whitfield took over ..."); a role (`Q:`, `A:`) or a lone word the article never writes as a full
  name (`Background:`) attributes nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, replace

from verifier.ingest.sources import Turn, find_turns, opens_with_label
from verifier.model.schema import CHINESE_CHAR, Article
from verifier.stages import names

__all__ = ["Answer", "answers", "interviewee", "label_end", "speaker_of", "turn_at", "turns"]

_LABEL_REACH = 90  # a label (a timestamp, a name, its organisation) ends its colon before this
_HEADING_WORDS = 6  # a labelled line this short, over paragraphs of its own, heads a section
_WORD = re.compile(r"\w")
_DIRECTION = re.compile(r"[(\[][^()\[\]]*[)\]]\.?")  # a paragraph in brackets: "(LAUGHTER)", "[crosstalk]"


def turns(article: Article) -> list[Turn]:
    """The draft's speaker turns in article order (none unless it reads as a transcript), found
    once per article (`Article.cache`)."""
    return _turns_and_starts(article)[0]


def _starts(article: Article) -> list[int]:
    """Where each turn's words begin, in order (for bisection)."""
    return _turns_and_starts(article)[1]


def _turns_and_starts(article: Article) -> tuple[list[Turn], list[int]]:
    found: tuple[list[Turn], list[int]] | None = article.cache.get("turns")
    if found is None:
        listed = _draft_turns(article)
        found = article.cache["turns"] = (listed, [t.start for t in listed])
    return found


def _draft_turns(article: Article) -> list[Turn]:
    """`find_turns` as a draft needs it: a label in the headline (`OK Gov Fallin: Trump Is ...`) is
    the headline's, not a turn; two turns at least (one label before a sentence is a kicker or a
    heading, not an interview); and the last turn ends with its paragraph, so a footer after the
    interview (`Follow Pam Key on Twitter`) is nobody's answer."""
    text = article.text
    # a transcript has labels opening two paragraphs or more, and 40% of them (as `find_turns`
    # asks): most drafts have not, and are not read further
    paragraphs = article.paragraphs()
    labelled = sum(opens_with_label(text, s) for s, _ in paragraphs
                   if ":" in (head := text[s:s + _LABEL_REACH]) or "：" in head)
    if labelled < 2 or labelled * 10 < len(paragraphs) * 4:
        return []
    title = article.title_span
    found = [t for t in find_turns(text) if not (title and title[0] <= t.start <= title[1])]
    if len(found) < 2 or _headings(text, found):
        return []
    last = found[-1]
    paragraph_end = text.find("\n\n", last.start)
    if paragraph_end != -1:
        found[-1] = replace(last, end=min(last.end, paragraph_end))
    return found


def _headings(text: str, found: list[Turn]) -> bool:
    """Whether the labels head sections rather than answers (`Sanders: Win in a walk.` over the
    story's paragraphs about him): most labelled lines hold a few words, and their turns run on
    over paragraphs of their own."""
    short = 0
    for turn in found:
        line_end = text.find("\n", turn.start)
        line = text[turn.start:line_end if line_end != -1 else len(text)]
        if len(line.split()) <= _HEADING_WORDS and "\n\n" in text[turn.start:turn.end].rstrip():
            short += 1
    return short * 2 > len(found)


def label_end(article: Article, start: int, end: int) -> int:
    """Where the words of the paragraph [start, end) begin: after the speaker label that opens it,
    else `start`."""
    found = turns(article)
    if not found:
        return start
    i = bisect.bisect_left(_starts(article), start)
    text = article.text
    if i < len(found) and found[i].start <= end and not text[start:found[i].label_start].strip():
        words = found[i].start
        while words < end and text[words].isspace():  # the space after the label (or its masked `**`)
            words += 1
        return words
    return start


def turn_at(article: Article, offset: int) -> Turn | None:
    """The turn holding the words at `offset`, if the draft has turns."""
    found = turns(article)
    if not found:
        return None
    i = bisect.bisect_right(_starts(article), offset) - 1
    return found[i] if i >= 0 and offset < found[i].end else None


def interviewee(article: Article, people: names.NameIndex) -> str | None:
    """Who answers the unnamed `A:` turns of a Q&A: the first person the article names before its
    first turn (`Q&A with Vice President Joe Biden`, `Five questions for Dana Whitfield`), in
    full; None when it names nobody there (organisations are no people: `names.NameIndex`)."""
    if "interviewee" not in article.cache:
        found = turns(article)
        before = found[0].label_start if found else 0
        first = next((people.full_name(name, at) for at, name, _ in people.names if at < before), None)
        article.cache["interviewee"] = first if first and len(first.split()) > 1 else None
    who: str | None = article.cache["interviewee"]
    return who


@dataclass(frozen=True, slots=True)
class Answer:
    """The words of one paragraph of an answer [start, end), its speaker in full, and the label as
    written with its span (on a turn's first paragraph only)."""

    start: int
    end: int
    speaker: str
    label: str | None = None
    label_span: tuple[int, int] | None = None


def answers(article: Article, people: names.NameIndex, paragraphs: list[tuple[int, int]]) -> list[Answer]:
    """Each paragraph of a named speaker's answer, in article order: a Q&A's answers are its
    speakers' words, checked against a transcript as a quotation is (the quote stage leaves out
    those that hold a quotation of their own). `paragraphs`: the article's, [start, end)."""
    found = turns(article)
    if not found:
        return []
    text = article.text
    starts = _starts(article)
    speakers: dict[int, str | None] = {}
    out: list[Answer] = []
    for p_start, p_end in paragraphs:
        i = bisect.bisect_right(starts, p_end) - 1  # the last turn whose words begin by the paragraph's end
        if i < 0 or found[i].end <= p_start or p_end <= found[i].start:
            continue  # before the first turn, after the last one's end, or a label alone on its line
        turn = found[i]
        if i not in speakers:
            speakers[i] = speaker_of(article, people, turn)
        speaker = speakers[i]
        if speaker is None:
            continue
        first = p_start <= turn.start
        start = label_end(article, p_start, p_end) if first else p_start
        end = min(p_end, turn.end)
        while end > start and text[end - 1].isspace():
            end -= 1
        if end <= start or not _WORD.search(text, start, end) or _DIRECTION.fullmatch(text, start, end):
            continue  # nothing said: "…", or a stage direction, "(BEGIN VIDEO CLIP.)"
        if first:
            at = text.find(turn.label, turn.label_start, turn.start)
            out.append(Answer(start, end, speaker, turn.label, (at, at + len(turn.label))))
        else:
            out.append(Answer(start, end, speaker))
    return out


def speaker_of(article: Article, people: names.NameIndex, turn: Turn) -> str | None:
    """The person whose answer the turn is, in full; None for a question or an unknown speaker."""
    if turn.role == "interviewer":
        return None
    if not turn.speaker:
        return interviewee(article, people) if turn.role == "interviewee" else None
    if CHINESE_CHAR.search(turn.speaker):
        return turn.speaker  # a Chinese name is written whole, with no space (张平安)
    name = turn.speaker if len(turn.speaker.split()) > 1 else people.full_name(turn.speaker, turn.start)
    return name if len(name.split()) > 1 else None
