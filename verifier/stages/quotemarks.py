"""quotemarks: the one pairing of quotation marks, read by sentence splits (`segment`), the rules
engine's clause splits (`engines.extract`), the quote stage (`stages.quotes`) and the PolNeAR gold
construction (`evaluation.corpora`).

`pair_marks(text, start, end)` pairs the marks of one paragraph (or one fragment) into stretches:

1. A mark inside a markup tag (`<tweet author="@x">`) is no quotation mark.
2. With no quotation open: `“`, `「`, `『` and `"` open one. A closing mark with only spaces and
   punctuation before it is a mistyped opener; any other closing mark is stray and skipped (in a
   `fragment`, which may begin inside a quotation, it closes a stretch from the fragment's start).
3. With a quotation open:
   - its own closing mark closes it; a straight `"` also closes `“`, and any closing mark closes a
     straight `"` (mixed typing: `“Square One" (2016)`);
   - `“` right after `, . ? !` or a letter or digit and before a space is a mistyped closing mark
     (`,“ said Roe`, `“abhorrent“ in a tweet`);
   - inside `「…」` or `『…』`, a quotation of another kind (`『』` in `「」`, `“”`, `"…"`) is nested:
     it opens and closes within the outer one, which stays open;
   - another opening mark means the close was lost: the open stretch ends there, unclosed
     (`lost`), and the new one opens;
   - a closing mark of another kind closes it (`「…”`).
4. A stretch still open at the end runs to the end, unclosed.

With `twosingle`, two straight single marks (`''`, NYT style) count as one `"`.

Two apostrophes as quotation marks (`''We won,'' Roe said`: newspaper archives exported from
LexisNexis or ProQuest write every `"` so) are decided once per article (`twosingle_style`): the
article uses them when a line holds an opening `''` (at the line start or after a space, bracket
or dash, and before a word) and a closing `''` after it (after a word or punctuation, and before a
space, punctuation or the line end). A stray `''` (`the players'' union`, `x = ''`) makes no such
pair. In an article that uses them, the quote stage, the sentence splitter and the name index read
`quote_text(article)`: the text with each `''` written as one `"` and a space, the space on the
side away from the quoted words (` "We won," Roe said`). It has the length of `Article.text`, so
every offset holds in both, and the words between the marks are the article's own.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from verifier.model.schema import Article

_CLOSER_OF = {"“": "”", "「": "」", "『": "』", '"': '"'}
_OPENERS = ("“", "「", "『")
_CLOSERS = ("”", "」", "』")
_OPENER_OF = {"”": "“", "」": "「", "』": "『"}
_CJK = ("「", "『")
_MARK_CHARS = "“”「」『』\""
_MARK = re.compile(f"[{_MARK_CHARS}]")
_MARK_TWOSINGLE = re.compile(r"[“”「」『』\"]|''")
_TAG = re.compile(r"<[A-Za-z/][^<>\n]{0,500}>")
_NOTHING_BEFORE = " \t\n\u00a0.,;:…-—–"
# two apostrophes as a quotation mark: an opening one (at a line start or after a space, a bracket
# or a dash, before a word) and a closing one (after a word or punctuation, before a space,
# punctuation or the line end)
_TWO_OPENS = re.compile(r"(?:^|(?<=[\s(\[—–-]))''(?=[\w$£€])", re.M)
_TWO_CLOSES = re.compile(r"(?<=[\w.,?!;:%)\]—–-])''(?=[\s.,;:?!)\]—–-]|$)", re.M)
_TWO_RUN = re.compile(r"(?<!')'{2,3}(?!')")


@dataclass(frozen=True, slots=True)
class Stretch:
    """A quotation's text between its marks: [start, end) excludes both marks."""

    start: int
    end: int
    open_mark: str  # as read ("" for a fragment that begins inside the quotation)
    close_mark: str | None  # None when unclosed
    lost: bool = False  # unclosed because another quotation opened


def pair_marks(text: str, start: int = 0, end: int | None = None, *, fragment: bool = False,
               twosingle: bool = False, marks: list[int] | None = None) -> list[Stretch]:
    """The top-level quotation stretches of text[start:end], by the rules of the module docstring.
    `marks`: the offsets of every quotation mark of `text` (`mark_offsets`), when the caller has
    them (not with `twosingle`)."""
    end = len(text) if end is None else end
    found: Iterable[tuple[str, int, int]]
    if marks is None:
        found = ((m.group(), m.start(), m.end())
                 for m in (_MARK_TWOSINGLE if twosingle else _MARK).finditer(text, start, end))
    else:
        found = ((text[i], i, i + 1)
                 for i in marks[bisect.bisect_left(marks, start):bisect.bisect_left(marks, end)])
    out: list[Stretch] = []
    tags = _tag_ranges(text, start, end)
    open_at: int | None = None
    open_mark = ""
    nested: list[str] = []  # closing marks of quotations nested in an open 「」/『』
    for ch, i, after in found:
        if ch == "''":
            ch = '"'
        if tags and any(a < i < b for a, b in tags):
            continue
        if open_at is None:
            if ch in _CLOSERS and text[start:i].strip(_NOTHING_BEFORE):
                if fragment:
                    out.append(Stretch(start, i, "", ch))
                continue  # a stray closing mark
            open_at, open_mark = after, _OPENER_OF.get(ch, ch)
            continue
        if nested:
            if ch == nested[-1]:
                nested.pop()
                continue
            if ch in _OPENERS or ch == '"':
                nested.append(_CLOSER_OF[ch])
                continue
            nested.clear()  # the outer quotation's own (or another) closer: read it below
        if _closes(text, i, ch, open_mark):
            out.append(Stretch(open_at, i, open_mark, ch))
            open_at = None
        elif open_mark in _CJK and ch != open_mark and (ch in _OPENERS or ch == '"'):
            nested.append(_CLOSER_OF[ch])
        elif ch in _OPENERS or ch == '"':
            out.append(Stretch(open_at, i, open_mark, None, lost=True))
            open_at, open_mark = after, ch
        else:  # a closing mark of another kind
            out.append(Stretch(open_at, i, open_mark, ch))
            open_at = None
    if open_at is not None:
        out.append(Stretch(open_at, end, open_mark, None))
    return out


def _closes(text: str, i: int, ch: str, open_mark: str) -> bool:
    if ch == "“" and open_mark in ("“", '"'):
        # `,“ said Roe` and `called it “abhorrent“ in a tweet`: an opening mark right after the
        # quote's last punctuation or word and before a space is a mistyped closing mark
        before = text[i - 1:i]
        return (before in (",", ".", "?", "!") or before.isalnum()) and text[i + 1:i + 2] in (" ", "\n")
    return (ch == _CLOSER_OF[open_mark] or (ch in _CLOSERS and open_mark == '"')
            or (ch == '"' and open_mark == "“"))


def _tag_ranges(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The markup tags left in a plain-text paragraph (embedded tweets and the like)."""
    if text.find("<", start, end) == -1:
        return []
    return [m.span() for m in _TAG.finditer(text, start, end)]


def offsets_of(text: str, chars: str) -> list[int]:
    """The offsets of every character of `chars` in `text`, in order: a `str.find` per character
    runs at memory speed, where a regex search for a class of rare characters tests the class
    at every offset (eight times slower over an article's quotation marks)."""
    found: list[int] = []
    for ch in chars:
        i = text.find(ch)
        while i != -1:
            found.append(i)
            i = text.find(ch, i + 1)
    found.sort()
    return found


def twosingle_style(text: str) -> bool:
    """Whether `text` writes its quotation marks as two apostrophes: some line holds an opening
    `''` and a closing `''` after it (the module docstring)."""
    at = text.find("''")
    while at != -1:
        line_start = text.rfind("\n", 0, at) + 1
        line_end = text.find("\n", at)
        line_end = len(text) if line_end == -1 else line_end
        opening = _TWO_OPENS.search(text, line_start, line_end)
        if opening is not None and _TWO_CLOSES.search(text, opening.end(), line_end) is not None:
            return True
        at = text.find("''", line_end)
    return False


def mask_twosingle(text: str) -> str:
    """`text` with each two-apostrophe mark written as `"` and a space, the same length: an
    opening mark (after a space, a bracket or a dash, or at the start, and before a non-space) as
    ` "`, any other as `" `. Of three apostrophes, an opening mark is the first two (`'''Tis`) and
    a closing one the last two (`'no.'''`: the single quotation closes first)."""
    def one(m: re.Match[str]) -> str:
        run, at, end = m.group(), m.start(), m.end()
        before = text[at - 1] if at else "\n"
        after = text[end] if end < len(text) else "\n"
        if (before.isspace() or before in "([—–-") and not after.isspace():
            return ' "' + run[2:]
        return run[2:] + '" '
    return _TWO_RUN.sub(one, text)


def quote_text(article: Article) -> str:
    """The text the quote stage, the sentence splitter and the name index read: `Article.text`
    itself, or, for an article that writes its quotation marks as two apostrophes
    (`twosingle_style`), that text with each such mark read as one `"` (`mask_twosingle`).
    Decided once per article; an article with no `''` costs one `str.find`."""
    text: str | None = article.cache.get("quote_text")
    if text is None:
        text = article.text
        if "''" in text and twosingle_style(text):
            text = mask_twosingle(text)
        article.cache["quote_text"] = text
    return text


def mark_offsets(article: Article) -> list[int]:
    """The offsets of every quotation mark of the article's `quote_text` (what `_MARK` finds),
    found once."""
    marks: list[int] | None = article.cache.get("quotation_marks")
    if marks is None:
        marks = article.cache["quotation_marks"] = offsets_of(quote_text(article), _MARK_CHARS)
    return marks


def paragraph_stretches(article: Article, start: int, end: int) -> list[Stretch]:
    """`pair_marks(quote_text(article), start, end)`, paired once per article and range and then shared:
    the sentence splitter (`segment`) and the quote stage (`quotes`) both read each paragraph's
    pairing, and every paragraph reads the article's one list of quotation marks. The list is
    shared: read it, never change it."""
    paired: dict[tuple[int, int], list[Stretch]] = article.cache.setdefault("quotemarks", {})
    stretches = paired.get((start, end))
    if stretches is None:
        stretches = paired[(start, end)] = pair_marks(quote_text(article), start, end,
                                                      marks=mark_offsets(article))
    return stretches


def quote_open(text: str, start: int, end: int,
               stretches: list[Stretch] | None = None) -> Callable[[int], bool]:
    """A function telling whether a quotation is open at offset i (between its marks, the closing
    mark's offset included) in text[start:end], from `pair_marks` (or from its `stretches` of
    text[start:end], when the caller has them). For an article, pass `quote_text(article)`: there
    two apostrophes are a mark where the article writes its marks so."""
    if stretches is None:
        stretches = pair_marks(text, start, end)
    if not stretches:
        return lambda i: False
    starts = [s.start for s in stretches]

    def is_open(i: int) -> bool:
        k = bisect.bisect_right(starts, i) - 1
        return k >= 0 and i <= stretches[k].end

    return is_open
