"""Speed shortcuts of the eighth round give what the plain computation they replace gives, on the
team's texts, crafted texts and stretches of them. Each test names the plain form it pins the fast
one to."""

from __future__ import annotations

import re

from tests.team_articles import team_texts
from tests.test_signals import PHRASES
from verifier.stages import checkworthy

# every ASCII character, typographic marks, letters outside ASCII, and texts with none of them
_CRAFTED = ["".join(map(chr, range(128))), "a\x1cb\x1fc\x0bd\x0ce\tf\rg\nh", "don't can’t won't it's",
            "“a,” b — c – d… e", "Ünïcode wörds — and “quotes” too", "日本語 の 文", "", " ", "a_b __c__ 1_2"]


def _pieces() -> list[str]:
    texts = team_texts() + PHRASES + _CRAFTED
    return texts + [t[i:i + 150] for t in texts for i in range(0, len(t), 61)]


def test_a_claims_words_are_what_the_plain_word_pattern_finds():
    """`checkworthy.words_of` (ASCII text through a byte table) against its plain form, `\\w+` over
    the lowered text, and the byte table against the `str.translate` table it stands for."""
    ascii_read = 0
    for text in _pieces():
        lower = text.lower()
        assert checkworthy.words_of(lower) == re.findall(r"\w+", lower), text[:80]
        ascii_read += lower.isascii()
    assert ascii_read > 100
    for code in range(128):
        assert chr(checkworthy._APART_ASCII[code]) == chr(code).translate(checkworthy._APART), code
