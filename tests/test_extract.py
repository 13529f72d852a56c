"""extract and verify shortcuts: the fast paths must answer exactly what the plain ones do."""

from __future__ import annotations

import re

from tests.team_articles import team_texts
from verifier.engines import extract
from verifier.stages import verify

EDGES = ["a b c", "a b c d", "—a, b. c; d!", "U.S. is big", "x_y z w", "2024: one two", "  ", "",
         "İstanbul’s mayor Ekrem said", "Café crème brûlée servi", "林晓峰说这款芯片", "abc1defg hijk_lmno ½½½½",
         "ŞİRKET AÇIKLADI bugün ürünü"]


def _pieces() -> list[str]:
    """Sentences and clauses of every team-written article, and the edge cases above."""
    out = list(EDGES)
    for text in team_texts():
        out += re.split(r"(?<=[.!?。”])\s+|\n+", text)
    return out


def test_enough_words_check_agrees_with_counting_them():
    pieces = _pieces()
    assert len(pieces) > 200
    for text in pieces:
        assert extract._has_claim_words(text) == (extract.word_count(text) >= extract._MIN_CLAIM_WORDS), text


def test_content_words_fast_path_finds_the_same_words():
    for text in _pieces():
        assert verify._content_words(text) == set(verify._CONTENT_WORD.findall(text.lower())), text
