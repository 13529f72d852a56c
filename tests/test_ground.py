"""ground: exact, normalised and fuzzy alignment; ungrounded drafts are dropped with a finding."""

from __future__ import annotations

import pytest

from verifier import vocab
from verifier.engines.extract import ClaimDraft
from verifier.ingest.load import load_text
from verifier.stages.ground import align, ground_claims, locate

TEXT = ("Brightwater Analytics said on Monday that its Osprey-2 model “outperforms every rival on "
        "the Kestrel benchmark” — a claim nobody has checked.\n\n"
        "The firm’s founder, Mara Quill, expects sales to double next year.\n")


def test_exact_match_wins() -> None:
    found = align(TEXT, "Mara Quill, expects sales to double")
    assert found is not None and found.method == "exact"
    assert TEXT[found.start:found.end] == "Mara Quill, expects sales to double"


def test_normalised_match_folds_quotes_dashes_spaces_and_case() -> None:
    evidence = 'its osprey-2 model "outperforms every rival on the  Kestrel benchmark" - a claim'
    found = align(TEXT, evidence)
    assert found is not None and found.method == "normalised"
    # The span is the article's own characters, curly quotes and em dash included.
    assert TEXT[found.start:found.end] == ("its Osprey-2 model “outperforms every rival on the "
                                           "Kestrel benchmark” — a claim")


def test_fuzzy_match_tolerates_a_dropped_word_and_returns_article_words() -> None:
    found = align(TEXT, "The firm's founder Mara Quill expects sales to double next")
    assert found is not None and found.method == "fuzzy"  # the commas dropped: no normalised match
    assert TEXT[found.start:found.end] == "The firm’s founder, Mara Quill, expects sales to double next"
    found = align(TEXT, "The founder, Mara Quill, expects sales to double next year")
    assert found is not None and found.method == "fuzzy" and found.score >= 0.85
    assert TEXT[found.start:found.end] == "The firm’s founder, Mara Quill, expects sales to double next year"


def test_invented_evidence_is_not_located() -> None:
    assert locate(TEXT, "Osprey-2 scored 91% on MMLU, beating Sable-4 by a wide margin") is None
    assert locate(TEXT, "Mara Quill expects profits to triple within five years") is None
    assert locate(TEXT, "   ") is None


def test_short_evidence_is_never_fuzzy() -> None:
    assert align(TEXT, "Mara Quilt") is None  # two words: exact or normalised only


def test_ground_claims_sets_offsets_and_drops_ungrounded() -> None:
    article = load_text(TEXT, path="a.txt")
    real = ClaimDraft(text="Quill expects sales to double.", evidence="expects sales to double next year")
    invented = ClaimDraft(text="Osprey-2 tops MMLU.", evidence="Osprey-2 scored 91% on MMLU")
    unanchored = ClaimDraft(text="x", evidence="Mara Quill")
    kept, findings = ground_claims(article, [real, invented], [unanchored])
    assert kept == [real]
    assert article.text[real.start:real.end] == "expects sales to double next year"
    assert [f.rule for f in findings] == ["claim-ungrounded", "claim-ungrounded"]
    assert "Osprey-2 scored 91% on MMLU" in findings[0].message
    assert all(f.span is None for f in findings)


def test_drafts_with_offsets_pass_through_untouched() -> None:
    article = load_text(TEXT, path="a.txt")
    draft = ClaimDraft(text="t", evidence="anything", start=0, end=5)
    kept, findings = ground_claims(article, [draft])
    assert kept == [draft] and (draft.start, draft.end) == (0, 5) and findings == []


RIDGE = "“It will ruin the view from every house on the ridge,” neighbour Carl Dunn said on Friday.\n"


def test_fuzzy_refuses_a_changed_word() -> None:
    # Recorded from a small model: "destroy" for "ruin" must not be anchored to Dunn's words.
    assert align(RIDGE, "The project will destroy the view from every house on the ridge, neighbour Carl Dunn said") is None


def test_fuzzy_refuses_an_added_or_dropped_negation() -> None:
    assert align(RIDGE, "It will not ruin the view from every house on the ridge") is None
    text = "The Varrow dam will not open before the spring floods arrive in the valley.\n"
    assert align(text, "The Varrow dam will open before the spring floods arrive in the valley") is None


def test_fuzzy_accepts_left_out_words_and_misspellings() -> None:
    found = align(RIDGE, "It will ruin the view from every house on the ridge, Carl Dunn said")
    assert found is not None and found.method == "fuzzy"
    assert RIDGE[found.start:found.end] == "It will ruin the view from every house on the ridge,” neighbour Carl Dunn said"
    found = align(RIDGE, "the ridge, neighbor Carl Dunn said on Friday")
    assert found is not None and RIDGE[found.start:found.end] == "the ridge,” neighbour Carl Dunn said on Friday"


FILLED = "Mara Quill expects sales to double next year at the plant in Tallinn\n"


@pytest.mark.parametrize("word", vocab.words("claim_grammar", "filler_words"))
def test_a_filler_word_the_evidence_adds_still_anchors_the_claim(word: str) -> None:
    """Evidence quoted with one filler word added (claim_grammar.yaml `filler_words`) is still the
    draft's words: the claim is anchored to them, without the added word."""
    evidence = f"Mara Quill expects sales {word} to double next year at the plant"
    found = align(FILLED, evidence)
    assert found is not None and found.method == "fuzzy"
    assert FILLED[found.start:found.end] == "Mara Quill expects sales to double next year at the plant"


def test_an_added_word_outside_the_fillers_leaves_the_claim_unanchored() -> None:
    assert "surely" not in vocab.words("claim_grammar", "filler_words")
    assert align(FILLED, "Mara Quill expects sales surely to double next year at the plant") is None
