"""The claim attribution read from a cue and the subject right before it (`signals._clause_attribution`):
each vocabulary of it firing, and the cases it must leave alone."""

from __future__ import annotations

import pytest

from verifier import vocab
from verifier.ingest import load
from verifier.stages import signals


def _read(text: str, claim: str | None = None) -> signals.Signals:
    """The signals of `claim` (by default the whole text) inside the article `text`."""
    article = load.load_text(text, fmt="text")
    start = article.text.index(claim) if claim else 0
    end = start + len(claim) if claim else len(article.text)
    return signals.read(article, start, end)


def _clause(text: str, claim: str | None = None) -> signals.Attribution | None:
    found = _read(text, claim).attribution
    return found if found is not None and found.via in signals.CLAUSE_SIGNALS else None


@pytest.mark.parametrize("cue", vocab.words("attribution", "clause_cues"))
def test_every_clause_cue_attributes_the_clause_to_its_subject(cue):
    found = _clause(f"Sixty percent of the members {cue} the harbour fees would rise.")
    assert found is not None and found.cue == cue
    assert found.source == "Sixty percent of the members"


@pytest.mark.parametrize("cue", vocab.words("attribution", "clause_participles"))
def test_every_participle_after_a_comma_attributes_to_the_sentence_subject(cue):
    found = _clause(f"The harbour board raised the fees in May, {cue} the docks needed repairs.")
    assert found is not None and found.source == "The harbour board" and found.cue == cue


def test_a_participle_without_a_comma_or_after_an_opening_phrase_attributes_nothing():
    assert _clause("The harbour board kept saying goodbye to its tenants.") is None
    assert _clause("In May, the board raised the fees, saying the docks needed repairs.") is None


@pytest.mark.parametrize("cue", vocab.words("attribution", "findings"))
@pytest.mark.parametrize("document", ["poll", "survey", "audit"])
def test_every_finding_verb_attributes_after_a_document(cue, document):
    assert document in vocab.words("attribution", "documents")
    # ("concluded" is a speech cue too: the quote stage's speaker grammar may find it first)
    found = _read(f"The {document} {cue} that most members opposed the fees.").attribution
    assert found is not None and found.source == f"The {document}" and found.cue == cue


@pytest.mark.parametrize("cue", vocab.words("attribution", "findings"))
def test_a_finding_verb_after_anything_but_a_document_attributes_nothing(cue):
    assert _clause(f"The divers {cue} a wreck near the harbour wall.") is None


@pytest.mark.parametrize("skip", [w for w in vocab.words("attribution", "clause_skip")
                                  if w not in ("is", "are", "was", "were", "been")])
def test_every_skipped_word_may_stand_between_subject_and_cue(skip):
    found = _clause(f"Sixty percent of the members {skip} said the harbour fees would rise.")
    assert found is not None and found.source == "Sixty percent of the members"


def test_a_word_outside_the_skipped_ones_ends_the_subject():
    # "quietly" is an adverb in -ly (skipped); a comma opens the cue's clause
    assert _clause("Sixty percent of the members quietly said the fees would rise.").source == \
        "Sixty percent of the members"
    assert _clause("But the rise in fees, said to be steep, came in May.") is None


def test_according_to_opens_a_source_after_it():
    found = _clause("The fees rose in May, according to officials involved at the time.")
    assert found is not None and found.source == "officials involved at the time" and found.cue == "according to"
    assert _clause("The fees rose in May, according.") is None


def test_a_noun_that_spells_a_cue_is_no_cue():
    for text in ("The United States raised its harbour fees.", "Her claims about the fees were wrong.",
                 "The board's notes were lost.", "Lindqvist's claims about the fees were wrong."):
        assert _clause(text) is None, text


def test_a_subject_holding_a_verb_of_its_own_is_no_subject():
    # the relative clause "many investors feared" sits inside another clause's object
    assert _clause("The results suggest the slowdown many investors feared has not arrived.") is None


def test_a_pronoun_before_the_cue_is_the_subject_and_is_resolved():
    text = "Marta Lindqvist chairs the harbour board. She also is stressing that the fees must rise."
    found = _clause(text, "She also is stressing that the fees must rise.")
    assert found is not None and found.source == "Marta Lindqvist"
    # "it" stands for the name its sentence opens with (test_it_as_a_subject_... below)
    found = _clause("Halvorsen unveils ferry it says rivals the old one.")
    assert found is not None and found.source == "Halvorsen"


def test_a_surname_resolves_to_the_full_name():
    text = "Marta Lindqvist chairs the harbour board. Lindqvist also is stressing that the fees must rise."
    found = _clause(text, "Lindqvist also is stressing that the fees must rise.")
    assert found is not None and found.source == "Marta Lindqvist" and found.cue == "stressing"


def test_voters_who_said_are_the_voters():
    found = _clause("The mayor won among the 30 percent of voters who said the fees were too high.")
    assert found is not None and found.source.endswith("30 percent of voters")


def test_a_claim_without_a_cue_is_not_attributed():
    assert _read("The harbour fees rose by a third in May.").attribution is None


def test_a_source_after_according_to_keeps_its_abbreviations():
    found = _clause("The room had eleven seats, according to F.A.A. records.")
    assert found is not None and found.source == "F.A.A. records"


def test_a_speech_mention_ending_on_no_noun_is_no_source():
    # the quote stage's grammar reads "states" as a cue after "her daughter into"
    sig = _read("The campaign is sending her daughter into states like Ohio.")
    assert sig.attribution is None or sig.attribution.source != "her daughter into"
    assert _read("Her daughter said the campaign would visit Ohio.").attribution.source == "Her daughter"


@pytest.mark.parametrize("opener", vocab.words("attribution", "subject_openers"))
def test_every_subject_opener_may_open_a_subject_in_lower_case(opener):
    # (the quote stage's grammar reads some of these itself: "most of the dock workers said")
    found = _read(f"In Ostend, {opener} of the dock workers said the fees would rise.").attribution
    assert found is not None and found.source == f"{opener} of the dock workers"


def test_a_lower_case_opener_outside_the_list_opens_no_subject():
    assert _clause("In Ostend, rumours of the dock workers said otherwise.") is None


def test_a_bare_plural_is_a_subject_and_a_bare_singular_is_not():
    assert _clause("Since May, border officials say the fees have doubled.").source == "border officials"
    assert _clause("Since May, border fee say the fees have doubled.") is None


@pytest.mark.parametrize("cue", ["found", "reported", "showed"])
def test_a_finding_verb_with_that_attributes_after_any_subject(cue):
    found = _clause(f"After an inquiry, the Harbour Ombudsman {cue} that the fees were unlawful.")
    assert found is not None and found.source == "the Harbour Ombudsman"
    assert _clause(f"After an inquiry, the Harbour Ombudsman {cue} a deficit of four million.") is None


def test_a_subject_before_an_appositive_is_the_sentence_subject():
    found = _clause("Sixty percent of the members, polled in May, told the board the fees would rise.")
    assert found is not None and found.source == "Sixty percent of the members"
    found = _clause("The survey, released on Monday by the harbour board, showed most members opposed it.")
    assert found is not None and found.source == "The survey"
    # an opening phrase is no subject
    assert _clause("In April, under pressure from the board, showed the ledger to auditors.") is None


@pytest.mark.parametrize("word", vocab.words("attribution", "not_sources"))
def test_a_subject_that_names_nobody_attributes_nothing(word):
    assert _clause(f"Since May, {word} who believes the harbour fees will fall is wrong.") is None
    assert _clause(f"Since May, {word} believe the harbour fees will fall.") is None


@pytest.mark.parametrize("modal", vocab.words("attribution", "hypothetical"))
def test_a_modal_before_the_cue_is_hypothetical(modal):
    assert _clause(f"Since May, the dock workers {modal} expect the fees to fall.") is None
    assert _clause("Since May, the dock workers expect the fees to fall.").source == "the dock workers"


@pytest.mark.parametrize("opener", vocab.words("attribution", "conditional"))
def test_a_conditional_clause_is_no_report(opener):
    assert _clause(f"The board will act {opener} the dock workers find that the fees are unlawful.") is None
    assert _clause("The board acted after the dock workers found that the fees were unlawful.").source == \
        "the dock workers"


def test_a_subject_opening_with_the_first_person_is_the_writer():
    assert _clause("Since May, I dare say the harbour fees have doubled.") is None
    assert _clause("Since May, I’m suggesting the harbour fees have doubled.") is None
    assert _read("Since May, the dock workers say the harbour fees have doubled.").attribution.source == "the dock workers"


@pytest.mark.parametrize("cue", vocab.words("attribution", "that_cues"))
def test_a_that_cue_attributes_only_before_that(cue):
    # (the quote stage's grammar reads a few of these itself: "hopes" is a speech cue there)
    found = _read(f"Since May, the dock workers {cue} that the harbour fees will rise.").attribution
    assert found is not None and found.source == "the dock workers" and found.cue == cue
    assert _clause(f"Since May, the dock workers {cue} the harbour fees.") is None


def test_a_passive_cue_is_attributed_to_who_follows_by_or_to_no_one():
    found = _clause("Since May, the harbour plan was sharply criticized by the dock workers.")
    assert found is None or found.source == "the dock workers"  # ("criticized" is no clause cue)
    found = _clause("Since May, the harbour plan was warned against by the dock workers.")
    assert found is None
    found = _clause("Since May, the harbour plan was sharply argued by the dock workers.")
    assert found is not None and found.source == "the dock workers" and found.cue == "argued"
    assert _clause("Since May, the dock workers were told the fees would rise.") is None
    assert _clause("Since May, the dock workers are saying the fees would rise.").source == "the dock workers"



@pytest.mark.parametrize("honorific", vocab.words("speaker_titles", "honorifics"))
def test_a_source_after_according_to_reads_over_an_honorific(honorific):
    found = _clause(f"The fees rose in May, according to reports {honorific}. Lindqvist filed.")
    assert found is not None and found.source == f"reports {honorific}. Lindqvist filed"
    found = _clause("The fees rose in May, according to reports the board filed. Lindqvist left.")
    assert found is not None and found.source == "reports the board filed"


@pytest.mark.parametrize("cue", [c for c in vocab.words("attribution", "clause_cues") if not c.endswith("ing")])
def test_a_headline_in_title_case_is_attributed_by_its_title_case_cue(cue):
    title = cue.capitalize()
    found = _clause(f"Marta Lindqvist {title} Harbour Fees Will Rise Again.")
    assert found is not None and found.source == "Marta Lindqvist" and found.cue == cue
    found = _clause(f"Harbour Fees Will Rise Again This Summer, Marta Lindqvist {title}.")
    assert found is not None and found.source == "Marta Lindqvist"


def test_a_title_case_cue_outside_a_headline_or_after_an_opener_attributes_nothing():
    assert _clause("the harbour fees, Marta Lindqvist Says, will rise in the summer.") is None
    assert _clause("If Lindqvist Says Yes, Harbour Fees Will Rise.") is None
    assert _clause("Harbour Fees Will Rise Again This Summer.") is None


@pytest.mark.parametrize("cue", [c for c in vocab.words("attribution", "clause_cues") if not c.endswith("ing")])
def test_a_headline_in_sentence_case_is_attributed_to_its_source_without_an_article(cue):
    """`Harbour fees will rise again, port authority says`: a headline drops the article a story
    sentence writes ("the port authority says"); with no full stop, the bare source is read."""
    found = _clause(f"Harbour fees will rise again this summer, port authority {cue}")
    assert found is not None and (found.source, found.cue) == ("port authority", cue)


@pytest.mark.parametrize("text", [
    # not firing: a full stop (a story sentence, not a headline), a conditional before the source
    "Harbour fees will rise again this summer, port authority says.",
    "Harbour fees will rise again this summer, if anyone says",
])
def test_a_bare_source_after_a_comma_outside_a_headline_attributes_nothing(text):
    assert _clause(text) is None


def test_a_cue_followed_by_its_own_verb_is_a_noun():
    assert _clause("Since May, all three claims are being made about the harbour.") is None
    assert _clause("Since May, there's no doubt that the harbour fees will rise.") is None
    assert _clause("Since May, all three members claim that the harbour fees will rise.").source == \
        "all three members"


@pytest.mark.parametrize("conjunction", vocab.words("speaker_grammar", "sentence_conjunctions"))
def test_a_conjunction_opening_the_subject_is_left_out(conjunction):
    found = _clause(f"{conjunction.capitalize()} the harbour survey shows the fees have doubled.")
    assert found is not None and found.source == "the harbour survey"


def test_it_as_a_subject_stands_for_the_name_its_sentence_opens_with():
    # a headline: the company touting the chip is the source, not the pronoun
    found = _clause("Hanlin unveils AI chip it says rivals Nvidia's H20")
    assert found is not None and found.source == "Hanlin" and found.cue == "says"
    # resolved to the fullest form the article gives the name
    text = "Hanlin unveils AI chip it says rivals Nvidia's H20\n\nHanlin Semiconductor is based in Hefei.\n"
    found = _clause(text, "Hanlin unveils AI chip it says rivals Nvidia's H20")
    assert found is not None and found.source == "Hanlin Semiconductor"


@pytest.mark.parametrize("sentence", [
    "Last Tuesday it said the chip rivals the H20.",  # a time phrase opens the sentence
    "In March it said the chip rivals the H20.",
    "Hanlin Semiconductor, it says, rivals the H20.",  # the name is followed by no verb of its own
    "The start-up said its chip, which it says rivals the H20, ships in May.",
])
def test_it_stays_as_written_when_no_name_opens_its_sentence_with_a_verb(sentence):
    found = _read(sentence).attribution
    assert found is None or found.source in ("it", "The start-up")


# ----------------------------------------------- the small word lists of the clause rule (attribution.yaml)


@pytest.mark.parametrize("pronoun", vocab.words("attribution", "subject_pronouns"))
def test_every_subject_pronoun_may_be_a_clause_subject(pronoun):
    found = _clause(f"Since May, {pronoun} says the harbour fees will rise.")
    assert found is not None and found.source == pronoun and found.cue == "says"


def test_a_pronoun_outside_the_subject_pronouns_is_no_subject():
    assert "him" not in vocab.words("attribution", "subject_pronouns")
    assert _read("Since May, him says the harbour fees will rise.").attribution is None


@pytest.mark.parametrize("relative", vocab.words("attribution", "relative_subjects"))
def test_every_relative_subject_stands_for_the_noun_before_it(relative):
    found = _clause(f"The mayor won among the 30 percent of voters {relative} said the fees were too high.")
    assert found is not None and found.source.endswith("30 percent of voters")


def test_a_word_outside_the_relative_subjects_stays_in_the_subject():
    assert "them" not in vocab.words("attribution", "relative_subjects")
    found = _clause("The mayor won among the 30 percent of voters them said the fees were too high.")
    assert found is not None and found.source.endswith("voters them")


@pytest.mark.parametrize("word", vocab.words("attribution", "no_subject_ends"))
def test_a_subject_ending_on_a_no_subject_end_attributes_nothing(word):
    assert _read(f"Since May, Harbour {word} doubt that the harbour fees will rise.").attribution is None


def test_a_subject_ending_on_another_word_is_one():
    found = _clause("Since May, Harbour workers doubt that the harbour fees will rise.")
    assert found is not None and found.source == "Harbour workers" and found.cue == "doubt"


@pytest.mark.parametrize("copula", vocab.words("attribution", "copulas"))
def test_a_copula_inside_the_subject_makes_it_none(copula):
    assert _read(f"Since May, the harbour {copula} members said the fees would rise.").attribution is None


def test_a_subject_without_a_copula_is_one():
    assert _read("Since May, the harbour old members said the fees would rise.").attribution.source == \
        "the harbour old members"


@pytest.mark.parametrize("auxiliary", vocab.words("attribution", "passive_auxiliaries"))
def test_a_passive_auxiliary_before_a_cue_leaves_it_to_who_follows_by(auxiliary):
    assert _read(f"Since May, half of the members {auxiliary} told the fees would rise.").attribution is None
    if auxiliary not in ("be", "being"):  # (the quote stage's speaker grammar reads "the harbour plan be")
        found = _clause(f"Since May, the harbour plan {auxiliary} sharply argued by half of the members.")
        assert found is not None and found.source == "half of the members" and found.cue == "argued"


def test_a_cue_after_a_word_outside_the_passive_auxiliaries_is_active():
    found = _clause("Since May, half of the members quietly told the board the fees would rise.")
    assert found is not None and found.source == "half of the members" and found.cue == "told"


@pytest.mark.parametrize("verb", vocab.words("attribution", "noun_verbs"))
def test_a_plural_cue_before_a_noun_verb_is_a_noun(verb):
    assert _clause(f"Since May, all three claims {verb} being made about the harbour.") is None


def test_a_plural_cue_before_another_word_is_a_cue():
    found = _clause("Since May, half of the members claims about half of the harbour was sold.")
    assert found is not None and found.source == "half of the members" and found.cue == "claims"


@pytest.mark.parametrize("word", vocab.words("attribution", "clause_breaks"))
def test_every_clause_break_opens_the_cue_clause_before_its_subject(word):
    found = _clause(f"The fees rose {word} half of the members said the docks needed repairs.")
    if word in vocab.words("attribution", "conditional"):
        assert found is None  # "if half of the members said": a condition, not a report
    else:
        assert found is not None and found.source == "half of the members"


def test_a_word_outside_the_clause_breaks_opens_no_clause():
    assert "during" not in vocab.words("attribution", "clause_breaks")
    found = _clause("The fees rose during half of the members said the docks needed repairs.")
    assert found is not None and found.source == "The fees rose during half of the members"


_WITH_ENDING = {"ly": "quietly", "n't": "didn't", "n’t": "didn’t"}


@pytest.mark.parametrize("ending", vocab.words("attribution", "skipped_endings"))
def test_a_word_with_a_skipped_ending_may_stand_between_subject_and_cue(ending):
    word = _WITH_ENDING[ending]  # (a new ending needs an example here)
    found = _clause(f"Since May, half of the members {word} say the fees would rise.")
    assert found is not None and found.source == "half of the members"


def test_a_word_with_another_ending_stays_in_the_subject():
    assert not "quietness".endswith(vocab.words("attribution", "skipped_endings"))
    found = _clause("Since May, half of the members quietness say the fees would rise.")
    assert found is not None and found.source == "half of the members quietness"


@pytest.mark.parametrize("contraction", vocab.words("attribution", "contractions"))
def test_a_first_person_contraction_is_the_writer(contraction):
    assert _clause(f"We’{contraction} doubt that the fees would rise.") is None
    assert _clause(f"We'{contraction} doubt that the fees would rise.") is None


def test_an_ending_outside_the_contractions_leaves_no_pronoun():
    assert "x" not in vocab.words("attribution", "contractions")
    found = _clause("We’x doubt that the fees would rise.")
    assert found is not None and found.source == "We’x"


# --------------------------------------------------------------------------- counted plurals


@pytest.mark.parametrize("count", vocab.words("attribution", "plural_determiners"))
def test_a_cue_in_s_after_a_count_is_a_plural_noun_not_the_verb(count):
    # the quote stage reads "Majorities of Democrats in five" + "states": no source; the verb is "say"
    found = _read(f"Majorities of Democrats in {count} states say the harbour fees should rise.").attribution
    assert found is not None and found.cue == "say"
    assert found.source == f"Majorities of Democrats in {count} states"


@pytest.mark.parametrize("count", ["three", "12"])
def test_a_clause_cue_in_s_after_a_count_is_a_plural_noun(count):
    found = _read(f"The insurers behind {count} claims say the harbour fees rose.").attribution
    assert found is not None and found.cue == "say" and found.source == f"The insurers behind {count} claims"


def test_a_figure_in_digits_counts_a_plural_too():
    found = _read("Majorities of Democrats in 12 states say the harbour fees should rise.").attribution
    assert found is not None and (found.source, found.cue) == ("Majorities of Democrats in 12 states", "say")


def test_a_cue_in_s_after_any_other_word_stays_the_verb():
    found = _read("The governor of Ohio states that the harbour fees will rise.").attribution
    assert found is not None and (found.source, found.cue) == ("The governor of Ohio", "states")
    found = _read("The harbour board in Leeds states that the fees will rise.").attribution
    assert found is not None and (found.source, found.cue) == ("The harbour board in Leeds", "states")
    # a word outside `plural_determiners` ("swing") leaves the quote stage's reading as it is
    assert "swing" not in vocab.words("attribution", "plural_determiners")
    found = _read("Majorities of Democrats in swing states say the harbour fees should rise.").attribution
    assert found is not None and found.cue == "states"


def test_a_count_before_a_cue_not_in_s_leaves_the_cue_a_verb():
    found = _read("Of the insurers polled in May, 12 say the harbour fees rose.").attribution
    assert found is not None and (found.source, found.cue) == ("12", "say")


# --------------------------------------------------------------------------- one signal name per rule


@pytest.mark.parametrize(("text", "via"), [
    ("Sixty percent of the members said the harbour fees would rise.", "clause"),
    ("Since May, the harbour plan was sharply argued by the dock workers.", "clause"),
    ("The harbour board raised the fees in May, saying the docks needed repairs.", "participle"),
    ("The audit showed the harbour fees rose in May.", "finding"),
    ("The harbour fees rose in May, according to budget documents.", "according_to"),
    ("Harbour Board Chief Says Fees Will Rise Next Year", "headline"),
])
def test_each_clause_rule_names_its_own_signal(text, via):
    found = _read(text).attribution
    assert found is not None and found.via == via


def test_every_attribution_signal_has_its_own_measured_precision():
    # scripts/signal_precision.py measures each name; the llm engine adds `attributed` from one
    # only at its own figure (verify.trusted)
    from verifier.stages import verify
    measured = verify.signal_precision()
    assert set(signals.SIGNALS) <= {k.split(":", 1)[1] for k in measured if k.startswith("attributed:")}


# --------------------------------------------------------------------------- the cue search's shortcut


HEADLINES = ["Harbour Board Chief Says Fees Will Rise Next Year", "Fees Will Rise, Harbour Board Chief Says",
             "Majorities of Democrats in five states say the harbour fees should rise; the board, according "
             "to its minutes, found that they would."]


def _windows(text: str) -> list[tuple[int, int]]:
    return [(s, min(len(text), s + 240)) for s in range(0, max(1, len(text) - 40), 60)]


def test_the_cues_tried_at_their_triggers_are_the_cues_found_everywhere():
    from tests.team_articles import team_texts
    for text in team_texts() + HEADLINES:
        article = load.load_text(text, fmt="text")
        text = article.text
        triggers = signals._Triggers(text)
        people = signals.names.index_for(article)
        for s, e in _windows(text):
            at = triggers.starts_of("clause", s, e)
            assert at is not None
            assert [m.span() for m in signals._clause_cues(text, s, e, at)] == \
                [m.span() for m in signals._CLAUSE_CUE.finditer(text, s, e)]
            assert signals._clause_attribution(text, s, e, people, at) == \
                signals._clause_attribution(text, s, e, people)
            if signals._headline_attribution(text, s, e) is not None:
                assert any(text[i].isupper() for i in at)  # the shortcut never skips a headline


def test_the_trigger_offsets_of_a_kind_are_those_a_plain_search_finds():
    text = "Roe said the essay, he says, noted nothing; according to Lind, Says Roe."
    triggers = signals._Triggers(text)
    expected = sorted({i for w in signals._TRIGGERS["clause"] for i in range(len(text))
                       if text.lower().startswith(w, i)})
    assert triggers.starts_of("clause", 0, len(text)) == expected
    assert triggers.starts_of("clause", 0, 9) == [text.index("said")] == [i for i in expected if i < 9]
    assert signals._Triggers("İstanbul said so").starts_of("clause", 0, 5) is None  # lowering grew a letter


# --------------------------------------------------------------------------- two attributions, two claims


def _claims(text: str) -> list[tuple[str, str | None]]:
    from verifier.model.config import Settings
    from verifier.run import pipeline
    report = pipeline.check_article(load.load_text(text, fmt="text"), Settings(engine="rules"), source_docs=[])
    return [(c.span.text, c.attribution.source if c.attribution else None) for c in report.claims]


@pytest.mark.parametrize("join", vocab.words("attribution", "attribution_joins"))
def test_a_sentence_with_two_attributions_is_two_claims_each_with_its_source(join):
    text = (f"Lind, a former harbour master, said the fees should be cut, {join} the dock workers said "
            "they would strike in May.")
    assert _claims(text) == [("Lind, a former harbour master, said the fees should be cut", "Lind"),
                             ("the dock workers said they would strike in May.", "the dock workers")]
    text = f"Roe told the board the fees would rise, {join} she added that the docks needed repairs."
    assert [source for _, source in _claims(text)] == ["Roe", "Roe"]


@pytest.mark.parametrize("text", [
    # the words before the join hold no attribution of their own
    "The harbour fees rose in May, and the dock workers said they would strike.",
    # nothing is reported after the second cue
    "Roe said the harbour fees would rise in May, and the board agreed.",
    "Roe said the harbour fees would rise in May, and the dock workers agreed.",
    "Roe said the harbour fees would rise in May, and half of the members agreed.",
    # the second clause does not open with its subject and cue
    "Roe said the harbour fees would rise in May, and in June the dock workers said they would strike.",
    # a subject of two people, one cue: "aides to Roe, ..., and Lind, ..., said"
    "And aides to Roe, a former harbour master, and Lind, who served in the port, said the fees would rise.",
    # the join inside a quotation
    "Roe said “the harbour fees rose, and the dock workers said they would strike” on Monday.",
])
def test_a_sentence_is_not_cut_where_one_claim_holds_one_attribution(text):
    assert [words for words, _ in _claims(text)] == [text]


def test_a_join_outside_the_list_does_not_cut():
    assert "but" not in vocab.words("attribution", "attribution_joins")  # (cut by the clause split)
    assert "so" not in vocab.words("attribution", "attribution_joins")
    text = "Roe said the harbour fees would rise in May, so the dock workers said they would strike."
    assert [words for words, _ in _claims(text)] == [text]


def test_a_sentence_is_not_cut_into_a_piece_too_short_to_be_a_claim():
    text = "They write me often, and one woman wrote me about her son in the harbour."
    assert [words for words, _ in _claims("Roe said so, and one woman wrote me about her son in May.")] == \
        ["Roe said so, and one woman wrote me about her son in May."]
    assert len(_claims(text)) == 2  # (each piece has words enough)
