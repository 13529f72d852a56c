"""quotes: titles and names in quotation marks are no quotations (verifier/stages/titles.py,
verifier/vocab/quoted_titles.yaml), and the mistyped closing mark after a word.

Every example is written by the team for this test (no publisher's text). Each rule is shown
firing (the title is not among the quotes) and not firing (a quotation stays one).
"""

from __future__ import annotations

import pytest

from verifier import vocab
from verifier.ingest import load
from verifier.stages import quotes, segment, titles


def _quotes(text: str) -> list[tuple[str, str | None]]:
    """(words, resolved speaker) of every quote the stage finds in `text`."""
    article = load.load_text(text)
    found = quotes.find_quotes(article, segment.segment(article))
    return [(q.text, q.speaker) for q in found.quotes]


def _words(text: str) -> list[str]:
    return [words for words, _ in _quotes(text)]


# --------------------------------------------------------------------------- title case


@pytest.mark.parametrize("words", ["Good Morning America", "Orange is the New Black", "Lilac,",
                                   "Sharknado 3: Oh Hell No!", "Flip the Script with Ana Ruiz",
                                   "Here's the Thing.", "HARBOR NIGHTS"])
def test_title_cased_words(words: str) -> None:
    assert titles.title_cased(words)


@pytest.mark.parametrize("words", ["the old model", "we will win this time", "Lower the fares now,",
                                   "establishment", "It was cold and we left early in the morning before anyone woke up"])
def test_words_that_are_not_title_cased(words: str) -> None:
    assert not titles.title_cased(words)


# --------------------------------------------------------------------------- before the mark


@pytest.mark.parametrize("text", [
    "Ana Ruiz told CNN’s “Morning Harbor” that the fares would fall.",
    "Ana Ruiz said on “Morning Harbor” that the fares would fall.",
    "“The fares will fall,” Ana Ruiz said on “Morning Harbor.”",
    "On Sunday’s “Morning Harbor,” Ana Ruiz said the fares would fall.",
    "On WXYZ’s “Morning Harbor,” Ana Ruiz said the fares would fall.",
    "On Fox Harbor Channel’s “Morning Harbor,” Ana Ruiz said the fares would fall.",
    "Ana Ruiz, the star of “Lilac Summer,” said the fares would fall.",
    "Ana Ruiz, the author of the novel “Lilac Summer,” said the fares would fall.",
    "Ana Ruiz, who starred in “Lilac Summer,” said the fares would fall.",
    "In her new book, “Lilac Summer,” Ana Ruiz writes about the harbor.",
    "The ad, titled “Harbor Rising,” shows the new ferry.",
    "The band played to the tune of “Harbor Lights.”",
    "Ana Ruiz, the founder of “Friends of the Ferry,” said the fares would fall.",
    "Tom Lind, who goes by “Skipper,” said the fares would fall.",
])
def test_a_title_named_by_the_words_before_it_is_no_quote(text: str) -> None:
    found = _words(text)
    assert all(w not in ("Morning Harbor", "Morning Harbor,", "Morning Harbor.", "Lilac Summer,",
                         "Harbor Rising,", "Harbor Lights.", "Friends of the Ferry,", "Skipper,")
               for w in found), found


@pytest.mark.parametrize(("text", "title"), [
    ("Ana Ruiz, the heroine of “Lilac Summer,” runs a ferry.", "Lilac Summer,"),
    ("The name “Harbor Point” will come off the signs.", "Harbor Point"),
    ("He joined the cast of “Harbor Nights” in May.", "Harbor Nights"),
    ("“Harbor Nights” is a drama about a ferry crew.", "Harbor Nights"),
])
def test_a_name_a_character_or_a_cast_names_a_title(text: str, title: str) -> None:
    assert title not in _words(text)


def test_a_title_still_passes_its_sentences_speaker_to_the_quote_after_it() -> None:
    # the title is not reported, but the quote opening the next paragraph continues the speaker the
    # title's sentence names, as it would after a quotation there
    text = "Tom Lind, the star of the show “Harbor Nights,” praised the port.\n\n“We won the vote.”"
    assert _quotes(text) == [("We won the vote.", "Tom Lind")]


def test_the_quote_beside_a_programme_title_keeps_its_speaker() -> None:
    found = _quotes("“The fares will fall,” Ana Ruiz said on “Morning Harbor.” “We are sure.”")
    assert found == [("The fares will fall,", "Ana Ruiz"), ("We are sure.", "Ana Ruiz")]


@pytest.mark.parametrize(("text", "words"), [
    # not firing: the same title-cased words as someone's words, with no naming word before them
    ("Ana Ruiz said “Harbor Rising” was the answer.", "Harbor Rising"),
    ("Asked what she wanted, Ana Ruiz said, “Lower Fares Now.”", "Lower Fares Now."),
    # a speech verb and a colon before a slogan: the crowd's words
    ("The crowd chanted: “Lower Fares Now!”", "Lower Fares Now!"),
    # a naming word before words that are not title-cased: a quotation (said on the programme)
    ("Ana Ruiz said on “Morning Harbor” that “the fares will fall soon.”", "the fares will fall soon."),
])
def test_title_cased_words_without_a_naming_context_stay_a_quote(text: str, words: str) -> None:
    assert words in _words(text)


def test_a_slogan_quoted_as_someones_words_stays_a_quote() -> None:
    found = _quotes("“Make Ferries Great Again,” Ana Ruiz told the crowd.")
    assert found == [("Make Ferries Great Again,", "Ana Ruiz")]


def test_a_scare_quote_in_lower_case_stays_a_partial_quote() -> None:
    assert _words("He crushed the party’s “establishment” candidate on CNN’s “Morning Harbor.”") == \
        ["establishment"]


# --------------------------------------------------------------------------- after the mark


@pytest.mark.parametrize("text", [
    "She wore a “Lower Fares Now” hat to the meeting.",
    "The “Harbor Rising” ad shows the new ferry.",
    "The group runs a “Ferries for All” Facebook page.",
    "The “Save the Ferry” movement grew.",
    "“Lilac Summer” star Ana Ruiz said the fares would fall.",
    "She wrote “Lilac Summer,” a novel about the harbor.",
    "She read from “Lilac Summer,” by Ana Ruiz, to the crowd.",
    # products, projects and plans a company or a government names
    "Acme launched its “Nova Pro” model on Friday.",
    "The firm’s “Project Tide” team did the work.",
    "The “Harbor First” bill passed the Senate.",
    "Acme will ship the “Tide X” chips in May.",
])
def test_a_title_named_by_the_words_after_it_is_no_quote(text: str) -> None:
    assert _words(text) == []


@pytest.mark.parametrize("thing", vocab.words("quoted_titles", "things"))
def test_every_thing_after_title_cased_words_makes_them_a_name(thing: str) -> None:
    assert _words(f"The “Harbor Rising” {thing} was new to Ana Ruiz.") == []


def test_words_that_end_their_sentence_name_nothing_in_the_next_one() -> None:
    # not firing: "phone" opens the next sentence; the profile's words stay a quote
    found = _words("Her profile lists her as “Director at Harbor Lines.” The phone number is dead.")
    assert found == ["Director at Harbor Lines."]


def test_a_product_word_after_words_in_lower_case_leaves_the_quote() -> None:
    # not firing: the words before "model" are not title-cased, so they are someone's words
    assert _words("Acme called it “the fastest we have built” model by model.") == [
        "the fastest we have built"]


@pytest.mark.parametrize("text", [
    # not firing: a verb after the quote, not a thing it names
    "“Lower Fares Now,” she said at the meeting.",
    # an appositive after the quote that names a person, not a work
    "“Lower Fares Now,” a spokeswoman for the port said.",
])
def test_words_after_that_name_no_thing_leave_the_quote(text: str) -> None:
    assert _words(text) == ["Lower Fares Now,"]


def test_a_headline_credited_to_its_writer_is_no_quote_but_its_excerpt_is() -> None:
    text = "CLOSING—“The harbor café will close in May,” by the Ledger’s Ana Ruiz: “The café opened in 1990.”"
    assert _words(text) == ["The café opened in 1990."]


def test_a_quote_before_by_and_a_plain_phrase_stays() -> None:
    # not firing: `by` and no outlet's writer after it
    assert _words("“The harbor will close,” by all accounts, was the rumor.") == ["The harbor will close,"]


# --------------------------------------------------------------------------- titles in a row


def test_a_title_joined_to_a_title_is_a_title_too() -> None:
    assert _words("She starred in “Lilac Summer” and “Harbor Nights,” both on the air.") == []


def test_a_title_cased_quote_after_a_quotation_is_not_taken_for_a_title() -> None:
    # not firing: the quote before is a quotation, not a title
    found = _words("She called the fares “too high” and “Harbor Robbery,” then left.")
    assert found == ["too high", "Harbor Robbery,"]


# --------------------------------------------------------------------------- the vocabulary


@pytest.mark.parametrize("key", ["small_words", "works", "makers", "appearances", "things", "networks"])
def test_every_list_of_the_vocabulary_is_read(key: str) -> None:
    assert vocab.words("quoted_titles", key)


def test_a_word_outside_the_works_is_no_naming_context() -> None:
    assert "speech" not in vocab.words("quoted_titles", "works")
    assert "Harbor Rising" in _words("In her speech, “Harbor Rising” was the theme, Ana Ruiz said.")


# --------------------------------------------------------------------------- a mistyped closing mark


def test_an_opening_mark_after_a_word_and_before_a_space_closes_the_quote() -> None:
    assert _words("Ruiz called the plan “reckless“ in a post on Sunday.") == ["reckless"]


def test_an_opening_mark_after_a_word_and_before_a_word_opens_nothing_new() -> None:
    # not firing: after a word but before a word, the first quotation lost its close and a new one opens
    assert _words("Ruiz called the plan “reckless“plainly and left.") == ["reckless", "plainly and left."]
