"""titles: names and titles in quotation marks, which are no quotations.

News copy puts quotation marks around the name of a show, a book, a film, a song, an ad, a group
or a campaign (`she told ABC's "Good Morning America"`, `the star of "Thelma and Louise,"`, `the
"Gang of Eight" bill`). Those are names, not anyone's words: the quote stage leaves them out, so no
speaker is credited with a show's name. A stretch is a title when

1. its words are title-cased (`title_cased`): at most `_MAX_WORDS` words, the first and every
   other one capitalised (or a number), but for the small words a title leaves in lower case
   (verifier/vocab/quoted_titles.yaml `small_words`); and
2. the words around it say it names something (`names_a_title`), from quoted_titles.yaml:
   - right before the mark: a kind of work (`works`: `the reality show "`, `his book, "`); a maker
     of one and `of` (`makers`: `star of "`, `author of the novel "`); a verb or phrase that takes
     a programme or a work (`appearances`: `said on "`, `told "`, `starred in "`, `known as "`);
     a broadcaster's possessive (`networks`, or any two to six capitals: `CNN's "`, `Sunday's "`);
   - right after the closing mark: a thing the words name (`things`: `" hat`, `" ad`, `" star`,
     one word may stand between: `" Facebook page`); an appositive or a predicate naming a work
     (`", a thriller about`, `" is an AMC drama`); or `by` and a capitalised word (`"Hail,
     Caesar!" by the Coens`).
3. or, in any case, a headline credited to its writer at an outlet (`"Museum to close," by the
   Ledger's Ana Ruiz`), or a title-cased stretch joined by `and`, `or` or a comma to a title right
   before it (`starred in "Veep" and "Girls"`).

A title-cased slogan or phrase inside someone's words stays a quote (`Trump said "Make America
Great Again" was his`): no naming context. So does a scare quote in lower case (`the "establishment"
candidate`): it is not title-cased.
"""

from __future__ import annotations

import re

from verifier import vocab

_MAX_WORDS = 12
_MAX_CHARS = 160  # a title of `_MAX_WORDS` words is shorter than this
_SMALL = frozenset(vocab.words("quoted_titles", "small_words"))
_WORDS = re.compile(r"[^\s—–]+")
_EDGE = "\"'“”‘’«».,;:!?()[]…-"
_CLOSING = "\"'”’»」』 \t"  # closing marks (and the space) after a quotation's last word
_BEFORE_REACH = 60  # characters before the opening mark read for the naming words
_AFTER_REACH = 60


def _alt(key: str) -> str:
    return vocab.alternation(vocab.words("quoted_titles", key))


_WORK = _alt("works")
# the words right before an opening mark (matched at the end of a window that stops at the mark)
_BEFORE = re.compile(
    rf"(?:(?i:\b(?:{_WORK}),?"  # the reality show "   his new book, "
    rf"|\b(?:{_alt('makers')})\s+of(?:\s+[\w’'-]+){{0,3}}?"  # star of cult classic "
    rf"|\b(?:{_alt('appearances')}))"  # said on "   told "   starred in "
    rf"|(?:(?i:\b(?:{_alt('networks')}))|\b[A-Z]{{2,6}})['’]s)"  # Fox News Channel's "   CNN's "
    r"\s*$")
_AFTER = re.compile(
    rf"(?i:\s*(?:[\w’'-]+\s+)?(?:{_alt('things')})\b"  # " hat   " Facebook page
    rf"|,?\s+(?:(?:is|was)\s+)?(?:a|an|the)\s+(?:[\w’'-]+\s+){{0,3}}?(?:{_WORK})\b)"  # ", a thriller about   " is an AMC drama
    r"|,?\s+by\s+(?:the\s+)?[A-Z]")  # " by Gwenda Blair
# a headline credited to its writer at an outlet, in any case: `"Met accused of whitewashing,"
# by Post's Kathianne Boniello`, `"...," by the New York Post's Amy Spencer`
_BYLINE = re.compile(r",?\s+by\s+(?:the\s+)?(?:[A-Z][\w.&-]*\s+){0,4}?[A-Z][\w.&-]*(?:['’]s|s['’])\s+[A-Z]")
# the quote before is a title and this one is joined to it: `starred in "Parks and Recreation"
# and "Guardians of the Galaxy,"`
_JOINED = re.compile(r"[,;]?\s*(?:,\s*)?(?:and|or|as well as|,)?\s*$")


def title_cased(words: str) -> bool:
    """Whether `words` read as a title: 1 to `_MAX_WORDS` words, each capitalised (or a number),
    but for the small words after the first. Punctuation at a word's edges is left out."""
    if len(words) > _MAX_CHARS:
        return False  # too long for a title: no need to read its words
    tokens = [w.strip(_EDGE) for w in _WORDS.findall(words)]
    tokens = [w for w in tokens if w]
    if not tokens or len(tokens) > _MAX_WORDS:
        return False
    for k, word in enumerate(tokens):
        first = word[0]
        if first.isupper() or first.isdigit() or first in "#$&":
            continue
        if k > 0 and word.lower() in _SMALL:
            continue
        return False
    return any(w[0].isupper() for w in tokens)


def names_a_title(text: str, open_mark: int, after: int, start: int, end: int) -> bool:
    """Whether the words around a quotation say it names a work, a programme or a thing:
    `open_mark` is the offset of its opening mark, `after` the offset past its closing mark, and
    [start, end) the range (a paragraph) the context is read in."""
    before = text[max(start, open_mark - _BEFORE_REACH):open_mark]
    if _BEFORE.search(before) is not None:
        return True
    if text[open_mark:after].rstrip(_CLOSING).endswith("."):
        return False  # the quoted words end their sentence: what follows names nothing of theirs
    return _AFTER.match(text, after, min(end, after + _AFTER_REACH)) is not None


def is_title(text: str, open_mark: int, words_start: int, words_end: int, after: int,
             start: int, end: int, title_before: int | None = None) -> bool:
    """Whether the quoted stretch text[words_start:words_end] (opening mark at `open_mark`, the
    text after it from `after`) is a title or a name, not a quotation (the module docstring).
    `title_before`: the offset past the closing mark of the quote before it, when that one is a
    title (a title joined to it by `and`, `or` or a comma is one too)."""
    if text[words_start:words_end].rstrip().endswith(",") and \
            _BYLINE.match(text, after, min(end, after + _AFTER_REACH)) is not None:
        return True
    if words_end - words_start > _MAX_CHARS or not title_cased(text[words_start:words_end]):
        return False
    if title_before is not None and _JOINED.match(text, title_before, open_mark) is not None:
        return True
    return names_a_title(text, open_mark, after, start, end)
