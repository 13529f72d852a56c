"""checkworthy: every word of its vocabularies counts, and a claim's score explains itself."""

from __future__ import annotations

import pytest

from verifier import vocab
from verifier.ingest import load
from verifier.stages import checkworthy, ground, signals

KEYS = ("events", "quantities", "personal", "procedural")
ENTRIES = [(key, entry) for key in KEYS for entry in vocab.words("checkworthiness", key)]


def _score(text: str, opinion: bool = False, attributed: bool = False) -> checkworthy.Score:
    article = load.load_text(text)
    return checkworthy.score(text, signals.read(article, 0, len(text)), opinion, attributed)


@pytest.mark.parametrize(("key", "entry"), ENTRIES, ids=[f"{k}:{e}" for k, e in ENTRIES])
def test_every_entry_is_found(key, entry):
    text = f"{entry.capitalize()} the plan of the city went ahead."
    assert checkworthy._LEX[key].find(text, text.lower())


@pytest.mark.parametrize("key", KEYS)
def test_each_vocabulary_stays_quiet_on_other_words(key):
    text = "Ducks wade along the quiet pond at dusk."
    assert checkworthy._LEX[key].find(text, text.lower()) == []


@pytest.mark.parametrize("entry", vocab.words("negation") + vocab.words("negation", "contractions"))
def test_every_negation_is_found(entry):
    text = f"The mayor {entry} signed it." if entry[0].isalpha() else f"The mayor did{entry} sign it."
    assert checkworthy.NEGATION.find(text, text.lower())


def test_grounding_reads_the_same_negation_list():
    assert set(vocab.words("negation")) <= ground._NEGATIONS and "t" in ground._NEGATIONS


def test_a_figure_and_an_event_outweigh_a_judgement():
    fact = _score("Tessaly Semiconductor cut 1,200 jobs in March.")
    view = _score("The rules are a sensible compromise.", opinion=True)
    assert fact.value > 0.8 and view.value < 0.3
    assert "a figure" in fact.rationale() and "an event 'cut'" in fact.rationale()
    assert "a judgement" in view.rationale()


@pytest.mark.parametrize("text", [
    "Is a single benchmark a fair test?",
    "“Why would anyone pay for this?” she asked.",
    "What service are you in?",
])
def test_questions(text):
    assert checkworthy.is_question(text)
    assert _score(text).value < 0.2


@pytest.mark.parametrize("text", ["Thank you very, very much.", "Good evening, and welcome.",
                                  "Let me say this about the plan."])
def test_turns_of_debate(text):
    assert checkworthy.is_procedural(text)


@pytest.mark.parametrize("text", ["Nimbus has raised $1.3 billion.", "We thank the donors.",
                                  "Ask the city what it paid in 2021.",
                                  "Let me say, if the senator mentioned this, that I signed a bill "
                                  "that cut taxes by $40 billion."])
def test_statements_are_neither(text):
    assert not checkworthy.is_question(text) and not checkworthy.is_procedural(text)


def test_the_score_is_deterministic_and_in_range():
    a, b = _score("We've lost 357,000 manufacturing jobs."), _score("We've lost 357,000 manufacturing jobs.")
    assert a == b and 0.0 <= a.value <= 1.0
