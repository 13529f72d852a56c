"""The small word lists of the attribution signals read from their files (attribution.yaml, and
the noun forms of comparison.yaml and opinion.yaml): each entry firing, and a word outside it not."""

from __future__ import annotations

import pytest

from verifier import vocab
from verifier.ingest import load
from verifier.stages import signals


def _read(text: str, claim: str | None = None) -> signals.Signals:
    """The signals of `claim` (by default the whole text) inside the article `text`."""
    article = load.load_text(text, fmt="text")
    start = article.text.index(claim) if claim else 0
    return signals.read(article, start, start + len(claim) if claim else len(article.text))


def _attribution(text: str, claim: str | None = None) -> signals.Attribution | None:
    return _read(text, claim).attribution


# --------------------------------------------------------------------------- noun forms


@pytest.mark.parametrize("word", vocab.words("comparison", "noun_forms"))
def test_a_comparison_verb_of_noun_forms_after_a_determiner_names_a_competitor(word):
    assert not _read(f"Kite-2 shipped a month after its {word} Orbit-5 model.").benchmark
    # the same word with no determiner before it is the verb
    assert _read(f"Its Kite-2 model {word} Orbit-5 in coding.").benchmark


def test_a_comparison_verb_outside_noun_forms_stays_a_comparison_after_a_determiner():
    assert "outperforms" not in vocab.words("comparison", "noun_forms")
    assert _read("Kite-2 shipped a month after its outperforms Orbit-5 model.").benchmark


@pytest.mark.parametrize("word", vocab.words("opinion", "noun_forms"))
def test_a_predictive_word_of_noun_forms_after_a_determiner_is_a_reported_figure(word):
    assert "predictive" not in _read(f"Tessaly beat the {word} for the quarter.").opinion_kinds
    assert "predictive" in _read(f"Analysts {word} the chip will sell well.").opinion_kinds


def test_a_predictive_word_outside_noun_forms_stays_a_forecast_after_a_determiner():
    assert "predicts" not in vocab.words("opinion", "noun_forms")
    assert "predictive" in _read("Tessaly beat the predicts for the quarter.").opinion_kinds


# --------------------------------------------------------------------------- "expressed"


@pytest.mark.parametrize("verb", vocab.words("attribution", "expressing"))
def test_every_expressing_verb_before_an_expressed_word_attributes(verb):
    found = _attribution(f"The harbour board {verb} confidence the fees would fall.")
    assert found is not None and found.via == "expressed" and found.source == "The harbour board"
    assert _attribution(f"The harbour board {verb} the crates to Leeds.") is None


@pytest.mark.parametrize("verb", vocab.words("attribution", "voicing"))
def test_every_voicing_verb_before_any_word_attributes(verb):
    found = _attribution(f"The harbour board {verb} support for lower fees.")
    assert found is not None and found.via == "expressed" and found.source == "The harbour board"


@pytest.mark.parametrize("word", vocab.words("attribution", "confident"))
@pytest.mark.parametrize("copula", vocab.words("attribution", "copulas"))
def test_every_confident_word_after_a_copula_attributes(word, copula):
    found = _attribution(f"The harbour board {copula} {word} the fees would fall.")
    assert found is not None and found.via == "expressed"


def test_no_expressed_attribution_from_words_outside_the_lists():
    assert "showed" not in vocab.words("attribution", "expressing")
    assert _attribution("The harbour board showed confidence in the plan.") is None
    assert _attribution("The harbour board felt confident in the plan.") is None  # no copula
    assert _attribution("The harbour board sounded support for the plan.") is None


@pytest.mark.parametrize("word", vocab.words("attribution", "expressed_subject_breaks"))
def test_every_expressed_subject_break_opens_the_subject(word):
    found = _attribution(f"Fees rose {word} the harbour board expressed confidence they would fall.")
    assert found is not None and found.source == "the harbour board"


def test_a_word_outside_the_expressed_subject_breaks_stays_in_the_subject():
    assert "because" not in vocab.words("attribution", "expressed_subject_breaks")
    found = _attribution("Fees rose because the harbour board expressed confidence they would fall.")
    assert found is not None and found.source == "Fees rose because the harbour board"
    # the breaks are matched as written: "despite" in lower case is no break
    found = _attribution("Fees rose despite the harbour board expressed confidence they would fall.")
    assert found is not None and found.source == "Fees rose despite the harbour board"


# --------------------------------------------------------------------------- the implied source


@pytest.mark.parametrize("determiner", vocab.words("attribution", "implied_determiners"))
def test_every_implied_determiner_before_an_implied_subject_stands_for_the_organisation(determiner):
    claim = f"{determiner.capitalize()} developer is touting the model for its speed."
    found = _attribution(f"Orchard Labs released Kite-2 in May. {claim}", claim)
    assert found is not None and found.via == "passive" and found.source == "Orchard Labs"


def test_a_word_outside_the_implied_determiners_leaves_no_implied_source():
    assert "a" not in vocab.words("attribution", "implied_determiners")
    claim = "A developer is touting the model for its speed."
    found = _attribution(f"Orchard Labs released Kite-2 in May. {claim}", claim)
    assert found is not None and found.source == "unnamed source"


# --------------------------------------------------------------------------- words after a cue


@pytest.mark.parametrize("word", vocab.words("attribution", "that_clause"))
def test_every_that_clause_word_makes_a_that_cue_a_cue(word):
    found = _attribution(f"Since May, the harbour board fears {word} the fees will rise.")
    assert found is not None and found.cue == "fears"


def test_a_that_cue_before_another_word_is_a_noun():
    assert "the" not in vocab.words("attribution", "that_clause")
    assert _attribution("Since May, the harbour board fears the fees.") is None


@pytest.mark.parametrize("word", vocab.words("attribution", "to_after"))
def test_every_to_after_word_makes_a_cue_no_ones_words(word):
    assert _attribution(f"Since May, half of the members said {word} be tired of the fees.") is None
    found = _attribution("Since May, half of the members said the fees would rise.")
    assert found is not None and found.source == "half of the members"


@pytest.mark.parametrize("word", vocab.words("attribution", "agent_by"))
def test_every_agent_word_after_a_passive_cue_names_its_source(word):
    found = _attribution(f"Since May, the harbour plan was sharply argued {word} the dock workers.")
    assert found is not None and found.source == "the dock workers"


def test_a_passive_cue_before_another_word_has_no_source():
    assert "with" not in vocab.words("attribution", "agent_by")
    assert _attribution("Since May, the harbour plan was sharply argued with the dock workers.") is None


# --------------------------------------------------------------------------- the headline's numbers


def test_the_headline_numbers_are_read_from_the_file():
    assert signals._HEADLINE == {k: float(v) for k, v in vocab.load("attribution")["headline"].items()}


def test_a_headline_mostly_in_capitals_is_read_and_one_mostly_in_lower_case_is_not():
    # 8 of 10 words longer than three letters capitalised: a headline; 6 of 10: a sentence
    found = _attribution("Harbour Board Chief Says Fees Will Rise Again alpha bravo")
    assert found is not None and found.via == "headline"
    assert _attribution("Harbour Board Chief Says Fees Will alpha bravo delta gamma") is None


def test_a_headline_needs_enough_long_words():
    assert signals._HEADLINE["at_least"] == 3
    assert _attribution("Roe Says Yes") is None  # one word longer than three letters
    found = _attribution("Lind Says Fees Rise")
    assert found is not None and found.via == "headline"
