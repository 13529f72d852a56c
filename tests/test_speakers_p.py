"""quotes: speakers written with joined initials, unusual spaces, and clause conjunctions.

Every example is written by the team for this test (no publisher's text). `_only` returns a
text's one quote as (words, resolved speaker, speaker as written, sieve).
"""

from __future__ import annotations

import pytest

from verifier import vocab
from verifier.ingest import load
from verifier.model.schema import Quote
from verifier.stages import names, quotes, segment


def _found(text: str) -> list[tuple[Quote, str | None]]:
    article = load.load_text(text)
    found = quotes.find_quotes(article, segment.segment(article))
    return list(zip(found.quotes, found.sieves, strict=True))


def _only(text: str) -> tuple[str, str | None, str | None, str | None]:
    found = _found(text)
    assert len(found) == 1, found
    quote, sieve = found[0]
    return quote.text, quote.speaker, quote.speaker_mention, sieve


def _speaker(text: str) -> str | None:
    return _only(text)[1]


# --------------------------------------------------------------------------- joined initials


@pytest.mark.parametrize("text", [
    "Extremism researcher J.M. Berger said, “The network is growing fast.”",
    "“The network is growing fast,” J.M. Berger said.",
    "“The network is growing fast,” said J.M. Berger, a fellow at the institute.",
    "“The network is growing fast,” J.M. Berger told reporters on Monday.",
])
def test_joined_initials_are_part_of_the_name(text: str) -> None:
    assert _speaker(text) == "J.M. Berger"


def test_three_joined_initials_are_part_of_the_name() -> None:
    assert _speaker("“The tale is older than the book,” said J.R.R. Dunmore.") == "J.R.R. Dunmore"


def test_joined_initials_do_not_end_the_sentence() -> None:
    article = load.load_text("“The network is growing fast,” J.M. Berger said. Then he left.")
    sentences = [article.text[s.start:s.end] for s in segment.segment(article).sentences]
    assert sentences == ["“The network is growing fast,” J.M. Berger said.", "Then he left."]


def test_a_place_or_body_written_in_initials_still_ends_a_sentence() -> None:
    article = load.load_text("The agents came from the F.B.I. Then they left.")
    sentences = [article.text[s.start:s.end] for s in segment.segment(article).sentences]
    assert sentences == ["The agents came from the F.B.I.", "Then they left."]


@pytest.mark.parametrize("initials", vocab.words("speaker_titles", "not_initials"))
def test_place_and_body_initials_never_open_a_persons_name(initials: str) -> None:
    written = initials.upper() + "."
    assert _speaker(f"Crowds gathered in the {written} Lind said, “The network is growing.”") == "Lind"


def test_initials_outside_the_list_open_a_persons_name() -> None:
    assert "k.t" not in vocab.words("speaker_titles", "not_initials")
    assert _speaker("Crowds gathered in the K.T. Lind said, “The network is growing.”") == "K.T. Lind"


def test_a_lone_initial_never_follows_another_one() -> None:
    # "S. Lind" was read from "U.S. Lind": the S is the place's, not the person's
    quote = _only("Protests spread in the U.S. Lind said, “The network is growing.”")
    assert quote[1:3] == ("Lind", "Lind")


def test_place_initials_open_a_bodys_name_before_an_organisation_word() -> None:
    assert _speaker("The U.S. Army said, “The network is growing.”") == "The U.S. Army"
    assert _speaker("“The network is growing,” the U.S. Supreme Court said.") == "U.S. Supreme Court"


def test_a_title_abbreviation_after_place_initials_still_opens_the_persons_title() -> None:
    assert _speaker("“The network is growing,” said U.S. Sen. Tom Lind.") == "Tom Lind"


def test_a_single_initial_inside_a_name_is_kept() -> None:
    assert _speaker("“The network is growing,” Ana P. Ruiz said.") == "Ana P. Ruiz"


# --------------------------------------------------------------------------- unusual spaces


@pytest.mark.parametrize("space", ["\u00a0", "\u2009", "\u202f", "\u2007"])
@pytest.mark.parametrize("template", [
    "“The network is growing,” said Ana{s}Ruiz.",
    "“The network is growing,” Ana{s}Ruiz said.",
    "Ana{s}Ruiz said, “The network is growing.”",
    "“The network is growing,” said the pilot, Ana{s}Ruiz, on Monday.",
])
def test_a_no_break_or_thin_space_inside_a_name_keeps_the_name_whole(space: str, template: str) -> None:
    text = template.format(s=space)
    found = _found(text)
    assert len(found) == 1
    quote = found[0][0]
    assert quote.speaker == "Ana Ruiz"
    # the speaker's span holds the space as written, at its offsets
    assert quote.speaker_span is not None
    assert quote.speaker_span.text == f"Ana{space}Ruiz"
    assert text[quote.speaker_span.start:quote.speaker_span.end] == f"Ana{space}Ruiz"


def test_a_no_break_space_does_not_join_a_name_across_a_line_break() -> None:
    # the name index and the quote stage still end a name at a blank line
    found = _found("Ana\u00a0Ruiz\n\nLind said, “The network is growing.”")
    assert [q.speaker for q, _ in found] == ["Lind"]


# --------------------------------------------------------------------------- clause conjunctions


@pytest.mark.parametrize("conjunction", vocab.words("speaker_grammar", "clause_conjunctions"))
def test_a_description_running_over_a_clause_conjunction_gives_the_name_after_it(conjunction: str) -> None:
    text = f"The news came {conjunction} Ana Ruiz said, “The network is growing.”"
    assert _only(text)[1:3] == ("Ana Ruiz", "Ana Ruiz")


def test_a_titled_surname_after_a_conjunction_is_the_speaker() -> None:
    assert _speaker("The vote came after Mr. Lind said, “The network is growing.”") == "Lind"


def test_a_preposition_before_a_name_in_a_description_still_makes_it_an_object() -> None:
    # "for" is no clause conjunction: the spokeswoman speaks, not Ana Ruiz
    assert "for" not in vocab.words("speaker_grammar", "clause_conjunctions")
    quote = _only("A spokeswoman for Ana Ruiz said, “The network is growing.”")
    assert quote[2] == "A spokeswoman for Ana Ruiz" and quote[1] != "Ana Ruiz"


def test_a_body_after_a_conjunction_is_no_person_of_the_description() -> None:
    # the description's rule takes persons only; the body is left to the clause-subject sieve
    quote = _only("The decline came after Harbor Bank said, “The network is growing.”")
    assert quote[3] != "before"


# --------------------------------------------------------------------------- a title inside an appositive


@pytest.mark.parametrize("text", [
    "As Ana Ruiz, professor of law at Salem and author of “The Long Road Home,” put it, “Senators should remember "
    "that a compromise is better.”",
    "Ana Ruiz, author of “The Long Road,” said, “The text is only the start.”",
    "“The text is only the start,” Ana Ruiz, wearing a hat and “Vote Lind” pins, said on Monday.",
    "“The text is only the start,” Ana Ruiz, author of “The Long Road,” said.",
])
def test_a_title_in_quotation_marks_inside_the_speakers_appositive(text: str) -> None:
    words = [q for q, _ in _found(text) if q.text.startswith("The text") or q.text.startswith("Senators")]
    assert len(words) == 1 and words[0].speaker == "Ana Ruiz"


def test_a_closing_mark_after_an_appositive_needs_its_opening_mark() -> None:
    # ", and so are rounds,”" closes the quote, not a title: "a little bit" is no speaker
    found = _found("“Revenues are up a little bit, and so are rounds,” said Mr. Roe, who noted that the price had "
                   "“cratered” to half its value.")
    assert [q.speaker for q, _ in found] == ["Roe", "Roe"]


def test_as_someone_put_it_is_a_cue() -> None:
    assert _only("As Ana Ruiz put it, “Senators should remember that a compromise is better.”")[1:] == (
        "Ana Ruiz", "Ana Ruiz", "before")


def test_put_without_it_is_no_cue() -> None:
    assert "put" not in vocab.words("cue_verbs")
    quote = _only("Ana Ruiz put the box down, “Senators should remember that a compromise is better.”")
    assert quote[3] != "before"


def test_a_cue_alone_between_two_quotes_makes_no_split_quote() -> None:
    found = _found("Ana Ruiz, author of “the long road,” said, “The text is only the start.”")
    assert [q.text for q, _ in found] == ["the long road,", "The text is only the start."]
    # a title-cased title there is no quote at all (tests/test_titles.py); the words keep their speaker
    found = _found("Ana Ruiz, author of “The Long Road,” said, “The text is only the start.”")
    assert [(q.text, q.speaker) for q, _ in found] == [("The text is only the start.", "Ana Ruiz")]


@pytest.mark.parametrize("text", [
    "“We won,” he said, “and we will win again.”",
    "“We won,” said Roe, “and we will win again.”",
    "“We won,” Roe later said, “and we will win again.”",
])
def test_a_speaker_between_two_quotes_still_makes_a_split_quote(text: str) -> None:
    quote = _only(text)
    assert quote[0] == "We won, and we will win again." and quote[3] == "split"


_TITLED_WINDOWS = [
    "Long before the vote in the hall on the hill and as Ana Ruiz, professor of law at Salem and author "
    "of “The Long Road Home,” put it, ",
    "Long before the vote in the hall on the hill Ana Ruiz, author of \"The Long Road,\" said, ",
    "Long before the vote in the hall on the hill Ana Ruiz, wearing “Vote Lind” pins, said, ",
]


@pytest.mark.parametrize("window", _TITLED_WINDOWS)
def test_the_speaker_search_start_reaches_an_appositive_closed_inside_a_title(window: str) -> None:
    # the search for `X said` starts where one can start (`_speaker_search_from`): an appositive
    # whose closing comma stands inside the title's marks must not be cut off
    lo = names._speaker_search_from(window)
    fast, plain = names._BEFORE.search(window, lo), names._BEFORE.search(window)
    assert plain is not None and "Ana Ruiz" in plain.group("who")
    assert fast is not None and fast.span() == plain.span()


# --------------------------------------------------------------------------- a conjunction before a clause


@pytest.mark.parametrize("text", [
    "The issue came up after Mr. Roe, asked about the deaths of reporters, had said, “We do plenty also.”",
    "The issue came up after Ana Ruiz, speaking in Salem, said the plan was “a folly.”",
    "Sales fell before Ana Ruiz, visibly annoyed, said the plan was “a folly.”",
])
def test_a_persons_participle_appositive_after_a_conjunction_keeps_the_person(text: str) -> None:
    assert _speaker(text) in ("Roe", "Ana Ruiz")


def test_a_noun_appositive_after_a_preposition_still_names_the_speaker() -> None:
    # "In a note to the Ledger, her deputy, Ana Ruiz, said": the Ledger is an outlet
    assert _speaker("In a note to the Ledger, her deputy, Ana Ruiz, said, “We won.”") == "Ana Ruiz"


def test_a_participle_appositive_after_a_preposition_is_not_read_as_a_clause() -> None:
    # "in" is no clause conjunction: "Salem, visibly annoyed," is not read as a person
    assert "in" not in vocab.words("speaker_grammar", "clause_conjunctions")
    quote = _only("The vote in Salem, visibly annoyed, said the plan was “a folly.”")
    assert quote[1] != "Salem"


# --------------------------------------------------------------------------- a passive after the quote


@pytest.mark.parametrize("text,speaker", [
    ("The phrase “tax reform” was uttered once, by Mr. Cruz.", "Cruz"),
    ("The phrase “tax reform” was uttered by Sen. Ana Ruiz on Monday.", "Ana Ruiz"),
    ("“We won” was tweeted by the mayor's office.", "the mayor's office"),
    ("The words “no surrender” were first coined by Ana Ruiz in 1990.", "Ana Ruiz"),
])
def test_a_passive_after_the_quote_names_its_speaker_after_by(text: str, speaker: str) -> None:
    quote = _only(text)
    assert quote[1] == speaker and quote[3] == "after"


@pytest.mark.parametrize("verb", vocab.words("cue_verbs", "passive_of_quote"))
def test_every_passive_of_quote_verb_fires(verb: str) -> None:
    assert _only(f"The phrase “no surrender” was {verb} by Ana Ruiz.")[1] == "Ana Ruiz"


@pytest.mark.parametrize("text", [
    "The “folly” was built by Ana Ruiz.",  # a verb outside the list
    "“We won,” said Lind, who was praised by Ana Ruiz.",  # the passive is no quote's
])
def test_a_passive_of_another_verb_names_no_speaker(text: str) -> None:
    assert "built" not in vocab.words("cue_verbs", "passive_of_quote")
    assert _speaker(text) != "Ana Ruiz"


# --------------------------------------------------------------------------- described, and `Of X,`


def test_a_second_quote_after_is_and_another_quote_still_describes_the_subject() -> None:
    # "while Ana Ruiz is “a basket case” and “a liar”": both quotes describe Ana Ruiz; the
    # sentence's subject is the likelier speaker of each
    text = "Roe, in Salem, called Lind “a total lightweight” while Ana Ruiz is “a basket case” and “a liar.”"
    for quote in ("“a basket case”", "“a liar"):
        found = names.sentence_subject(text, 0, text.index(quote))
        assert found is not None and found[1].text == "Roe"


def test_a_quote_after_is_and_a_long_stretch_is_the_subjects_words() -> None:
    # no quote in the gap: `is now telling everyone that` reports words, it describes nobody
    text = "Roe said little, while Ana Ruiz is now telling everyone that “we will win.”"
    found = names.sentence_subject(text, 0, text.index("“"))
    assert found is not None and found[1].text == "Ana Ruiz"


@pytest.mark.parametrize("text", [
    "Roe left early. Of Lind, Ana Ruiz, who has given money to Bo Park, said, “He is a good man.”",
    "Of Lind, Ana Ruiz said, “He is a good man.”",
])
def test_a_sentence_opening_with_of_names_what_is_spoken_about(text: str) -> None:
    assert _speaker(text) == "Ana Ruiz"


def test_a_title_written_with_of_still_holds_its_person() -> None:
    assert _speaker("“We won,” said Secretary of State Ana Ruiz, a diplomat, on Monday.") == "Ana Ruiz"


# --------------------------------------------------------------------------- a contrasting clause after the quote


@pytest.mark.parametrize("conjunction", vocab.words("speaker_grammar", "contrast_conjunctions"))
def test_a_cue_in_a_contrasting_clause_after_the_quote_is_not_the_quotes(conjunction: str) -> None:
    text = (f"Ana Ruiz accuses Lind of subjecting her to an “artful smear” over her links {conjunction} "
            "Lind suggests she is a captive.")
    quote = _only(text)
    assert quote[1] == "Ana Ruiz" and quote[3] != "sentence_after"


def test_a_cue_after_a_subordinate_clause_is_still_the_quotes() -> None:
    # "since" opens no contrast: the cue after it is the quote's
    assert "since" not in vocab.words("speaker_grammar", "contrast_conjunctions")
    quote = _only("The number of cases is “stunning” since so many were close, said Ana Ruiz, a professor.")
    assert quote[1] == "Ana Ruiz"
    quote = _only("The plan was “a folly” from the start, Ana Ruiz said on Monday.")
    assert quote[1:] == ("Ana Ruiz", "Ana Ruiz", "sentence_after")


def test_a_description_ending_in_a_clause_subject_names_nobody() -> None:
    # "her links while Lind": the description runs into the next clause; it is declined
    found = names.attribution_before("Her links while Lind suggests ", 0, 30)
    assert found is None or found[1].text != "Her links while Lind"


# --------------------------------------------------------------------------- a reporting document with its makers


@pytest.mark.parametrize("document", vocab.words("speaker_grammar", "reporting_documents"))
def test_a_reporting_document_is_read_with_who_made_it(document: str) -> None:
    text = (f"The tax cut emissions with “negligible effects on the economy,” according to a {document} last year "
            "by economists at Salem University and the University of Harbor. Then more.")
    quote = _only(text)
    assert quote[1] == f"a {document} last year by economists at Salem University and the University of Harbor"
    assert quote[3] == "nested"


def test_a_reporting_document_without_its_makers_is_read_as_before() -> None:
    quote = _only("The tax cut emissions with “negligible effects on the economy,” according to a study last year.")
    assert quote[1:] == ("a study last year", "a study last year", "nested")


def test_a_description_that_is_no_document_is_not_read_past_by() -> None:
    assert "letter" not in vocab.words("speaker_grammar", "reporting_documents")
    quote = _only("The tax cut emissions with “negligible effects,” according to a letter sent by economists at "
                  "Salem University and the University of Harbor.")
    assert quote[1] == "a letter"


# --------------------------------------------------------------------------- a contraction is no possessive


@pytest.mark.parametrize("opening", ["That’s", "It’s", "There’s", "What’s", "That's"])
def test_a_sentence_word_before_s_is_no_owner(opening: str) -> None:
    # `That’s seven hours after the police announced ...`: "seven hours after the police" names nobody
    text = f"{opening} seven hours after the police has announced the name."
    found = names.attribution_before(text, 0, len(text))
    assert found is None or "seven hours" not in found[1].text


def test_a_no_break_space_does_not_make_a_contraction_a_description() -> None:
    text = "That’s seven hours\u00a0after the police has announced the name."
    found = names.attribution_before(text, 0, len(text))
    assert found is None or "seven hours" not in found[1].text


@pytest.mark.parametrize("text,speaker", [
    ("Roe’s top aide said the roof leaks.", "Roe’s top aide"),
    ("Here’s Ana Ruiz in December 1992: ", "Ana Ruiz in December 1992"),
])
def test_an_owner_before_s_still_opens_a_description(text: str, speaker: str) -> None:
    found = names.attribution_before(text, 0, len(text)) or names.intro_before(text, 0, len(text))
    assert found is not None and found[1].text == speaker


# --------------------------------------------------------------------------- place initials and a sentence start


def test_a_capitalised_run_after_place_initials_opens_no_sentence() -> None:
    # "U.S. History Makes Latinos Feel" in a title-case headline is no person a pronoun resolves to
    text = ("Ana Ruiz On How U.S. History Makes Latinos Feel “Invisible.”\n\n"
            "In a talk about her new show, the actor said little. “Just imagine the change,” she said.")
    speakers = [q.speaker for q, _ in _found(text)]
    assert speakers[-1] == "Ana Ruiz"


def test_a_capitalised_word_after_a_sentence_end_still_opens_a_sentence() -> None:
    text = "Ana Ruiz won the vote. Later that day, the actor said little. “Just imagine the change,” she said."
    assert [q.speaker for q, _ in _found(text)] == ["Ana Ruiz"]


# --------------------------------------------------------------------------- a relative clause with no `that`


@pytest.mark.parametrize("text,speaker", [
    ("The group unearthed controversial columns Bradley wrote while a student.", "Bradley"),
    ("It was one of the remarks Ruiz told reporters about.", "Ruiz"),
])
def test_a_name_right_after_a_plain_plural_noun_is_the_cues_subject(text: str, speaker: str) -> None:
    found = names.attribution_before(text, 0, len(text))
    assert found is not None and found[1].text == speaker


@pytest.mark.parametrize("text", [
    "A spokeswoman for Ana Ruiz said the roof leaks.",  # a preposition: the spokeswoman speaks
    "The city officials Council said the roof leaks.",  # an organisation is no person
])
def test_a_name_after_a_preposition_or_an_organisation_is_no_relative_clause_subject(text: str) -> None:
    found = names.attribution_before(text, 0, len(text))
    assert found is None or found[1].kind != "name"


# --------------------------------------------------------------------------- an appositive never opens with `and` and a participle


@pytest.mark.parametrize("conjunction", ["and", "but", "or"])
def test_a_clause_after_a_comma_and_a_conjunction_is_no_appositive(conjunction: str) -> None:
    text = (f"It was popular in South Carolina, {conjunction} uttering charges that Rush Limbaugh, for one, "
            "called “liberal lingo.”")
    assert _speaker(text) == "Rush Limbaugh"


def test_an_appositive_after_a_name_still_reads_to_its_cue() -> None:
    assert _speaker("Ana Ruiz, a pilot from Salem, and a friend of Lind, said, “We won.”") == "Ana Ruiz"


def test_an_appositive_opening_with_and_and_a_noun_is_still_read() -> None:
    # only `and` with a participle opens a clause of its own: `Roe, and the band, said`
    assert _speaker("Ana Ruiz, and the band behind her, said, “We won.”") == "Ana Ruiz"


# --------------------------------------------------------------------------- made to speak


@pytest.mark.parametrize("verb", vocab.words("cue_verbs", "infinitives"))
def test_a_subject_made_to_speak_right_before_the_quote_speaks_it(verb: str) -> None:
    text = f"Mr. Roe was prompted to {verb}, “So far, I cannot believe how civil it is.”"
    assert _speaker(text) == "Roe"


def test_a_subject_described_right_before_the_quote_is_still_no_speaker() -> None:
    assert "be" not in vocab.words("cue_verbs", "infinitives")
    quote = _only("Mr. Roe was proven to be “a basket case” by the end.")
    assert quote[1] != "Roe"
