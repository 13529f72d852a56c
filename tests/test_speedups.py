"""Speed shortcuts give what the plain computation they replace gives, on the team's texts and on
stretches of them. Each test names the plain form it pins the fast one to."""

from __future__ import annotations

import re

from tests.team_articles import team_texts
from tests.test_signals import PHRASES
from verifier import checkworthy

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
