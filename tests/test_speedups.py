"""Speed shortcuts give what the plain computation they replace gives, on the team's texts and on
stretches of them. Each test names the plain form it pins the fast one to."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.team_articles import team_texts
from tests.test_signals import PHRASES
from verifier.ingest import load
from verifier.model.schema import Span
from verifier.stages import checkworthy, names, segment

# capitals after every kind of character the name pattern looks behind at, and where it may not
_CAPITALS = ["a Bc, De; Fg: Hi’ Jk' Lm NO Pq2 RS3 tU. Vw x-Yz (Ab) “Cd” 1 Ef _ Gh", "Ab", " Ab", "x Ab", "xx AB"]


def _pieces() -> list[str]:
    texts = team_texts() + PHRASES + _CAPITALS
    return texts + [t[i:i + 200] for t in texts for i in range(0, len(t), 97)]


def test_the_name_pattern_finds_what_the_lookbehind_first_pattern_finds():
    """checkworthy's name pattern opens with the capital; the plain form opens with the lookbehind."""
    plain = re.compile(r"(?<=[\w,;:’'] )(?:[A-Z][a-z]+|[A-Z]{2,})\b")
    fired = 0
    for words in _pieces():
        expected = [m.span() for m in plain.finditer(words)]
        assert [m.span() for m in checkworthy._NAME.finditer(words)] == expected, words[:80]
        fired += bool(expected)
    assert fired > 100


def test_the_words_after_a_quotation_mark_are_those_a_filter_keeps():
    """names reads the words before a cue from the last quotation mark on; the plain form reads
    every word from the start of the stretch and keeps those that start after the mark."""
    nonspace = re.compile(r"\S+")
    marked = 0
    for text in team_texts() + ['He said "a" b, “c d” e"f g ”h i', '"', 'x"', '"y', "“ a ” ”b"]:
        for at in range(0, len(text) + 1, 7 if len(text) > 500 else 1):
            for lo in {0, max(0, at - 60), max(0, at - 400)}:
                mark = max(text.rfind('"', lo, at), text.rfind("“", lo, at), text.rfind("”", lo, at))
                plain = [w.span() for w in nonspace.finditer(text, lo, at) if w.start() > mark]
                assert [w.span() for w in names._words_after_mark(text, lo, at)] == plain, (text[lo:at],)
                marked += mark >= 0
    assert marked > 1000


def test_a_span_built_without_validation_is_the_validated_span():
    """`TextMap.span` builds its `Span` without validation; the plain form validates its fields."""
    for text in team_texts()[:4] + ["a\r\nb\rc\n\nd “é” 中文"]:
        article = load.load_text(text)
        n = len(article.text)
        for start, end in [(0, n), (0, 0), (n, n), (1, n // 2), (n // 3, n - 1)]:
            fast = article.span(start, end)
            plain = Span(**fast.model_dump())
            assert fast == plain and type(fast) is Span
            assert fast.model_dump_json() == plain.model_dump_json()
            assert repr(fast) == repr(plain) and fast.model_fields_set == plain.model_fields_set
            assert fast.model_copy(update={"text": "x"}).text == "x" and fast.text == text[fast.start:fast.end]


# runs that open without a capital and hold one later, runs glued by ’ ' - _ and digits, capitals
# inside acronyms, non-ASCII capitals and digits, names at the very start and end
_NAME_RUNS = ["iPhone maker Apple Inc said eBay Chief Jane Doe met pro-Islamic Ali Khan and ''Donald "
              "J. Trump, x’Ye Bo, -Smith Jones, _Al Gore, 3M Co, GPT-4 Turbo, McDonald Smith’s ÉLodie "
              "Ñuñez, ²Ab Cd, Dr. Ann Lee\nBo Wu", "Jane Doe", "aB Cd", "A B", "’’Ab Cd",
              # particles, initials, tabs and line breaks between a name's words
              "Ludwig van Beethoven, Osama bin Laden, Jean-Luc de la Tour, J. R. R. Tolkien, Ann\tLee, "
              "Ann \n Lee, Ann\n\nLee, Abu al-Baghdadi, Mr. ibn Saud, Ann.\nLee, The deal, The council"]


def test_full_names_are_what_the_plain_finditer_finds():
    """names tries its full-name pattern only where a run holding a capital starts; the plain form
    is `_FULL_NAME.finditer` from the same offset, which tries every one."""
    fired = 0
    for text in _pieces() + _NAME_RUNS:
        for start in sorted({0, 1, 2, len(text) // 3, len(text) // 2}):
            if start > len(text):
                continue
            expected = [(m.span(), m.group("name")) for m in names._FULL_NAME.finditer(text, start)]
            assert [(m.span(), m.group("name")) for m in names._full_names(text, start)] == expected, \
                (text[:80], start)
            fired += bool(expected)
    assert fired > 100


def test_a_pattern_opening_with_a_lookahead_is_tried_where_its_class_is():
    """names scans for the class of `_GENDERED`'s opening lookahead and tries the pattern there;
    the plain form is the pattern's own finditer."""
    texts = _pieces() + ["Mr. Bob Lee and Mrs Ann Wu, Ms. X Y, UMr Ab, Miss Jo Ma Mr", "Mr", "Mrs. A"]
    fired = 0
    for text in texts:
        for start in sorted({0, 1, len(text) // 2}):
            expected = [m.span() for m in names._GENDERED.finditer(text, start)]
            assert [m.span() for m in names._tried_at(names._GENDERED, names._GENDERED_OPENS, text, start)] == expected
            fired += bool(expected)
    assert fired >= 3


def test_the_sentence_end_is_the_plain_repeated_class():
    """segment's sentence end opens with one plain class; the plain form repeats it with `+`."""
    plain = re.compile(r"[.!?。！？…]+[\"'”’」』)\]]*")
    for text in _pieces() + ["a... b?!” c.) d。」e…"]:
        assert [m.span() for m in segment._END.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_the_possessive_word_counts_are_the_plain_ones():
    """'at least N words' read possessively (checkworthy, extract); the plain forms backtrack."""
    from verifier.engines import extract

    def plain(n: int) -> re.Pattern[str]:
        return re.compile(rf"\W*\w+(?:\W+\w+){{{n - 1}}}")

    cases = [(checkworthy._AT_LEAST_PROCEDURAL, plain(checkworthy._PROCEDURAL_MAX_WORDS)),
             (extract._CLAIM_WORDS, plain(extract._MIN_CLAIM_WORDS))]
    words = ["", "...", "a", "a b c", "a b c d", " a-b c’d e. ", "“a,” b c d e f g!", "x " * 12, "x " * 11 + "x"]
    texts = _pieces() + words + [w.strip() for w in words]
    for fast, slow in cases:
        counted = {bool(slow.match(t)) for t in texts}
        assert counted == {True, False}  # each count is met by some texts and missed by others
        for text in texts:
            for piece in (text, text[:40], text[:15]):
                assert bool(fast.match(piece)) == bool(slow.match(piece)), (fast.pattern, piece)


def _windows_before_marks() -> list[str]:
    """The stretches the speaker patterns read: up to 400 characters before each quotation mark
    (and each comma and colon) of the team's texts, and crafted introductions."""
    crafted = ["Roe said in a statement on Monday, ", "The memo began, ", "He spoke. The memo began: ",
               "Roe; Ana Ruiz, the chair, added: ", "Lind, noting that, and saying ",
               "Roe thanked them, adding ", "as Roe put it, by saying ", "  saying ", "began by saying ",
               "x.\nRoe wrote: ", "a:\tRoe wrote, ", "ashe said ", "Asked about it, she said "]
    windows = list(crafted)
    for text in team_texts():
        for i, ch in enumerate(text):
            if ch in "“\"”,:":
                windows.append(text[max(0, i - 400):i])
    return windows


@pytest.mark.parametrize(("plain", "fast"), [
    # `_INTRO` is tried only at the window's start and two characters after `.`, `;` or `:` and a
    # space (where its opening alternative lets it stand)
    (names._INTRO, names._intro_search),
    # `_PARTICIPLE` is searched only in a window that holds one of its participles
    (names._PARTICIPLE, names._participle_search),
], ids=["intro", "participle"])
def test_a_speaker_pattern_is_searched_only_where_it_can_open(
        plain: re.Pattern[str], fast: Callable[[str], re.Match[str] | None]) -> None:
    """The shortcut finds what the plain search of the pattern finds, in every window before a
    quotation mark of the team's texts and in crafted ones."""
    fired = 0
    for window in _windows_before_marks():
        expected = plain.search(window)
        found = fast(window)
        assert (found.span() if found else None) == (expected.span() if expected else None), window
        fired += expected is not None
    assert fired >= 5
