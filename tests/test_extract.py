"""extract and verify shortcuts: the fast paths must answer exactly what the plain ones do."""

from __future__ import annotations

import re

import pytest

from tests.team_articles import team_texts
from verifier import vocab
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


def _claims(text: str) -> list[str]:
    from verifier.ingest.load import load_text
    from verifier.stages.segment import segment

    article = load_text(text)
    return [d.text for d in extract.RulesExtractor().extract(article, segment(article)).drafts]


@pytest.mark.parametrize("word", vocab.words("claim_grammar", "clause_conjunctions"))
def test_every_clause_conjunction_after_a_comma_makes_two_claims(word: str) -> None:
    text = f"Acme results\n\nAcme sales rose 4% last year, {word} its profits fell 2% in the year.\n"
    claims = [c.rstrip(".").lower() for c in _claims(text)]  # a clause is written as a sentence
    assert claims == ["acme sales rose 4% last year", f"{word} its profits fell 2% in the year"]


def test_a_conjunction_outside_the_list_keeps_one_claim() -> None:
    assert "and" not in vocab.words("claim_grammar", "clause_conjunctions")
    text = "Acme results\n\nAcme sales rose 4% last year, and its profits fell 2% in the year.\n"
    assert _claims(text) == ["Acme sales rose 4% last year, and its profits fell 2% in the year."]
