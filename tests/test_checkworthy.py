"""checkworthy: every word of its vocabularies counts, and a claim's score explains itself."""

from __future__ import annotations

import re

import pytest

from verifier import vocab
from verifier.ingest import load
from verifier.stages import checkworthy, ground, signals

# vocabularies looked up word by word (phrases by a word of theirs): (key, what the rationale says)
WORD_KEYS = {"events": "an event", "quantities": "a figure", "measures": "a measured quantity",
             "irregular_past": "something that happened", "comparatives": "a comparison of quantities",
             "about_self": "the speaker's account of themselves", "personal": "the speaker's own plans or wishes",
             "changes": "a change in a quantity", "records": "a record or a first", "units": "a quantity in units",
             "time_span": "a span of time"}
WORD_ENTRIES = [(key, entry) for key in WORD_KEYS for entry in vocab.words("checkworthiness", key)]


def _score(text: str, opinion: bool = False, attributed: bool = False) -> checkworthy.Score:
    article = load.load_text(text)
    return checkworthy.score(text, signals.read(article, 0, len(text)), opinion, attributed)


@pytest.mark.parametrize("entry", vocab.words("checkworthiness", "procedural"))
def test_every_procedural_phrase_opens_a_turn_of_debate(entry):
    assert checkworthy.is_procedural(f"{entry.capitalize()}, all of you.")


def test_a_sentence_opening_otherwise_is_no_turn_of_debate():
    assert not checkworthy.is_procedural("Ducks wade along the quiet pond at dusk.")


@pytest.mark.parametrize(("key", "entry"), WORD_ENTRIES, ids=[f"{k}:{e}" for k, e in WORD_ENTRIES])
def test_every_single_word_entry_is_found_as_a_word(key, entry):
    said = WORD_KEYS[key]
    found = _score(f"The plan, {entry} said the clerk, stays with the city.")
    inside = _score(f"The plan, x{entry}x said the clerk, stays with the city.")
    assert f"{said} " in found.rationale()
    assert said not in inside.rationale()  # a whole word, not a piece of one


@pytest.mark.parametrize("said", WORD_KEYS.values())
def test_each_single_word_vocabulary_stays_quiet_on_other_words(said):
    assert said not in _score("Ducks wade along the quiet pond at dusk.").rationale()


@pytest.mark.parametrize("entry", vocab.words("negation") + vocab.words("negation", "contractions"))
def test_every_negation_is_found(entry):
    text = f"The mayor {entry} signed it." if entry[0].isalpha() else f"The mayor did{entry} sign it."
    assert "a denial" in _score(text).rationale()


def test_a_statement_without_a_negation_is_no_denial():
    assert "a denial" not in _score("The mayor signed the budget bill in March.").rationale()


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


def _note_example(entry: str) -> str:
    return "The harbor master " + entry.replace("*", "immediately" if "be" in entry else "two") + " on Tuesday."


@pytest.mark.parametrize("entry", vocab.words("checkworthiness", "reporting_notes"))
def test_every_reporting_note_ends_a_sentence_that_is_no_claim(entry):
    text = _note_example(entry)
    assert checkworthy.is_reporting_note(text), text
    assert "the reporter's request for comment" in _score(text).rationale()


@pytest.mark.parametrize("entry", vocab.words("checkworthiness", "reporting_notes"))
def test_a_reporting_note_inside_a_claim_leaves_it_a_claim(entry):
    # the note is a clause of a sentence that goes on to say something checkable
    text = _note_example(entry)[:-len(" on Tuesday.")] + ", and the port closed in 2021 after the floods."
    assert not checkworthy.is_reporting_note(text), text


@pytest.mark.parametrize("text", [
    "Representatives for Orchard AI did not respond to a request for comment.",
    "A spokeswoman for the Harbor Authority did not immediately respond to requests for comment on Tuesday.",
    "Ruiz declined to comment.",
    "Lind could not be reached.",
    "Others did not return calls and emails seeking comment.",
])
def test_reporting_notes(text):
    assert checkworthy.is_reporting_note(text)


@pytest.mark.parametrize("text", [
    "The company did not return the money it raised in 2021.",
    "Ruiz declined to comment on reports that the port had lost $40 million in 2021.",
    "Lind, who declined to comment, resigned from the board in March.",
    "The summit was reached by 40 climbers in 2021.",
    "Comment cards were returned by 300 visitors.",
    "Member states have until March to comment.",
    "The draft rules are open for comment until March.",
])
def test_not_reporting_notes(text):
    assert not checkworthy.is_reporting_note(text)


def test_the_score_is_deterministic_and_in_range():
    a, b = _score("We've lost 357,000 manufacturing jobs."), _score("We've lost 357,000 manufacturing jobs.")
    assert a == b and 0.0 <= a.value <= 1.0


@pytest.mark.parametrize(("text", "without", "reason"), [
    ("Unemployment in the region is now at a level not seen in a decade.",
     "Morale in the region is now at a level not seen in a decade.", "a measured quantity 'unemployment'"),
    ("Under the plan the number of inspectors is going down every year.",
     "Under the plan the number of inspectors is staying put every year.", "a change in a quantity 'going down'"),
    ("The team shipped its fastest build for the first time this spring.",
     "The team shipped its fastest build at the same time this spring.", "a record or a first 'for the first time'"),
    ("The council took the money from the school fund.", "The council keeps the money in the school fund.",
     "something that happened 'took'"),
    ("The county spends more on roads than on schools.", "The county spends a lot on roads and on schools.",
     "a comparison of quantities 'than'"),
    ("The county spends twelve percent of its budget on roads.",
     "The county spends twelve parts of its budget on roads.", "a quantity in units 'percent'"),
    ("The county has cut the roads budget since the election.",
     "The county has cut the roads budget after the election.", "a span of time 'since'"),
])
def test_evidence_of_something_checkable_raises_the_score(text, without, reason):
    found, plain = _score(text), _score(without)
    assert reason in found.rationale() and reason.split(" '")[0] not in plain.rationale()
    assert found.value > plain.value


def test_the_speakers_account_of_themselves_lowers_the_score():
    own = _score("I've worked with the county on the roads budget.")
    other = _score("She worked with the county on the roads budget.")
    assert "the speaker's account of themselves 'I'" in own.rationale()
    assert "account of themselves" not in other.rationale() and own.value < other.value
    mine = _score("The county cut my roads budget.")
    assert "the speaker's account of themselves 'my'" in mine.rationale()


@pytest.mark.parametrize("text", ["First of all, the roads are a county matter.",
                                  "The roads are a county matter, on the record."])
def test_an_ordinal_or_a_record_is_no_figure(text):
    assert "a figure" not in _score(text).rationale()


def test_a_stated_belief_lowers_a_judgement_further():
    belief = _score("I think the rules are a sensible compromise.", opinion=True)
    judgement = _score("The rules are a sensible compromise for all.", opinion=True)
    assert "the speaker's stated belief 'I think'" in belief.rationale()
    assert "stated belief" not in judgement.rationale() and belief.value < judgement.value


def test_a_forecast_about_a_quantity_is_no_measurement():
    forecast = _score("Demand for chips is likely to grow next year.", opinion=True)
    report = _score("Demand for chips is growing this year.")
    assert "a change in a quantity 'growing'" in report.rationale()
    assert "a change in a quantity" not in forecast.rationale() and forecast.value < report.value


def test_a_hyphenated_word_holds_no_change():
    assert "a change in a quantity" not in _score("The city sells home-grown models to the county.").rationale()
    assert "a change in a quantity 'grown'" in _score("The city has grown models for the county.").rationale()


@pytest.mark.parametrize("verb", vocab.words("checkworthiness", "question_cues"))
def test_every_question_cue_makes_a_quoted_question(verb):
    assert checkworthy.is_question(f"“Why would anyone pay for this?” the analyst {verb} on Monday.")


def test_a_quoted_question_with_another_verb_is_a_statement():
    assert not checkworthy.is_question("“Why would anyone pay for this?” the analyst wrote on Monday.")


def test_an_event_verb_is_not_repeated_among_the_irregular_past_forms():
    # an event outweighs a past form, so an entry in both lists would never be read as a past form
    assert not set(vocab.words("checkworthiness", "events")) & set(vocab.words("checkworthiness", "irregular_past"))


@pytest.mark.parametrize("text", ["", "...", "a", "a b c d e f", "a b c d e f g", " a-b c’d e. f g ",
                                  "“a,” b c d e f g!", "x " * 12, "Ünïcode wörds — and “quotes” too, seven.",
                                  "don't can’t won't it's a b", "日本語 の 文 です 一 二 三"])
def test_the_claims_words_are_what_the_plain_word_pattern_finds(text):
    # the score counts and looks up the words of `words_of`: the same as \w+ on the lowered text
    lower = text.lower()
    assert checkworthy.words_of(lower) == re.findall(r"\w+", lower)
