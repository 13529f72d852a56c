"""quotes: speaker rules of the eighth speaker round (common nouns opening a sentence, bare plural
descriptions).

Every example is written by the team for this test (no publisher's text). `_all` returns each
quote of a text as (words, resolved speaker, sieve).
"""

from __future__ import annotations

import re

from tests.speaker_helpers import quotes_of as _all
from verifier.stages import names

# ------------------------------------------- a plural opening a sentence whose singular is lower case


def test_a_plural_whose_singular_is_written_in_lower_case_is_no_speaker() -> None:
    text = ("“I wanted the show to feel raw,” Tom Bell said. Audiences can expect him to bring “a little "
            "more risk than usual.” It is the kind of audience that forgives a fall.")
    assert _all(text)[1][1] != "Audiences"
    assert _all(text)[1][1] == "Tom Bell"


def test_a_plural_with_no_lower_case_singular_still_speaks() -> None:
    # not firing: nothing in the text writes "audience" in lower case
    text = "Tom Bell spoke on Monday. Audiences can expect him to bring “a little more risk than usual.”"
    assert _all(text)[0][1] == "Audiences"


def test_a_surname_that_ends_in_s_is_kept_when_the_text_gives_its_full_name() -> None:
    # not firing: "Rivers" is the surname of a person named in full, though "river" is a word here
    text = ("Ana Rivers walked along the river. Rivers says the town needs “a new bridge, and soon.”")
    assert _all(text)[0][1] == "Ana Rivers"


def test_a_plural_inside_a_sentence_is_not_declined() -> None:
    # not firing: only a plural opening a sentence is read as a common noun
    text = "The audience cheered, and later Audiences said “we loved it.”"
    assert _all(text)[0][1] == "Audiences"


def test_singular_of_plain_plurals_only() -> None:
    assert names._singular("audiences") == "audience"
    assert names._singular("voters") == "voter"
    assert names._singular("press") is None
    assert names._singular("census") is None
    assert names._singular("bus") is None
    assert names._singular("this") is None


# ------------------------------------------------------- a bare plural with an `of` phrase describes


def test_a_bare_plural_with_an_of_phrase_is_a_description() -> None:
    text = "Tom Bell spoke on Monday. Critics of the new levy, however, say it would make the county an “umpire.”"
    assert _all(text)[0][1] == "Critics of the new levy"
    text = "Tom Bell spoke on Monday. Backers of the levy say “it will fix the roads.”"
    assert _all(text)[0][1] == "Backers of the levy"


def test_a_bare_plural_with_an_of_phrase_after_the_quote() -> None:
    assert _all("“It will fix the roads,” Backers of the levy said.")[0][1] == "Backers of the levy"


def test_a_capitalised_word_not_plural_before_of_is_no_such_description() -> None:
    # not firing: "Secretary of State" is a title, not a plural naming a group
    text = "Tom Bell spoke on Monday. Secretary of State Ana Ruiz said the levy was “a mess.”"
    assert _all(text)[0][1] == "Ana Ruiz"


def test_a_surname_ending_in_s_before_an_of_phrase_stays_a_name() -> None:
    # not firing: a capitalised word ending in s after a first name is a surname, not a group
    text = "Tom Bell spoke on Monday. “Tax cuts do not work,” Ana Mathis of the Harbor Institute wrote."
    assert _all(text)[0][1] == "Ana Mathis"


def test_a_bare_plural_without_an_of_phrase_is_unchanged() -> None:
    # not firing: no `of` after the plural
    text = "Tom Bell spoke on Monday. Backers for the levy say “it will fix the roads.”"
    assert _all(text)[0][1] != "Backers for the levy"
    assert re.fullmatch(names.DESC, "Critics of the plan")
    assert not re.fullmatch(names.DESC, "Critics for the plan")


# ------------------------------ a name inside the last quote's own attribution is no speaker between


def test_a_name_inside_the_last_quotes_attribution_does_not_take_the_continuation() -> None:
    text = ('Tom Bell spoke first. "The county is a mess,"Ana Ruiz, who is chairman of Better Roads said '
            'in a statement. "We need help."')
    assert [s for _, s, _ in _all(text)] == ["Ana Ruiz", "Ana Ruiz"]
    text = ("“The deals are binding,” county spokesman Bo Lind told the Ledger in May, after Ana Ruiz said "
            "she wanted out. “They run to 2030.”")
    assert [s for _, s, _ in _all(text)] == ["Bo Lind", "Bo Lind"]


def test_a_person_said_to_speak_after_the_attribution_still_takes_the_continuation() -> None:
    # not firing: Ana Ruiz speaks in a sentence of her own between the two quotes
    text = ("“The deals are binding,” county spokesman Bo Lind told the Ledger. Ana Ruiz said she wanted "
            "out of them, calling the terms unfair. “They run to 2030.”")
    assert _all(text)[1][1] == "Ana Ruiz"


# ---------------------------------------------- `X reads:` is an introduction before it is a label


def test_a_description_and_its_cue_before_a_colon_is_an_introduction_not_a_label() -> None:
    text = "Tom Bell spoke on Monday. The headline above the piece reads: “The levy is dead.”"
    assert _all(text)[0][1] == "The headline above the piece"
    text = "Tom Bell spoke on Monday. The sign on the door says: “Closed for good.”"
    assert _all(text)[0][1] == "The sign on the door"
    assert _all("The mayor said: “The bridge stays shut.”")[0][1] == "The mayor"


def test_a_label_with_no_cue_is_still_a_label() -> None:
    # not firing: a name and a colon with no cue word stay a transcript-style label
    text = "The mayor spoke first.\n\nAna Ruiz: “We will build the bridge.”"
    assert _all(text)[0][1] == "Ana Ruiz"


# ------------------------------------------------------ `in Roe’s words, "` names the speaker


def test_in_a_speakers_words_names_the_speaker() -> None:
    text = "Tom Bell spoke on Monday. The fair moved to Salem because, in Ana Ruiz’s words, “it is the busiest town.”"
    assert _all(text)[0][1] == "Ana Ruiz"
    text = "Tom Bell spoke on Monday. The fair moved because, in Forbes’ words, “it is the busiest town.”"
    assert _all(text)[0][1] == "Forbes"
    text = "Tom Bell spoke on Monday. In the words of the county clerk, “the rolls are a mess.”"
    assert _all(text)[0][1] == "the county clerk"
    text = "Tom Bell spoke on Monday. In the phrase of Ana Ruiz, “the rolls are a mess.”"
    assert _all(text)[0][1] == "Ana Ruiz"


def test_in_other_words_names_nobody() -> None:
    # not firing: "in other words" names no speaker
    text = "Tom Bell spoke on Monday. In other words, “the rolls are a mess.”"
    assert _all(text)[0][1] is None


def test_in_a_speakers_words_away_from_the_mark_is_no_introduction() -> None:
    # not firing: the phrase must end right before the quote (the sentence's subject sieve reads it)
    text = "Tom Bell spoke on Monday. In Ana Ruiz’s words the rolls are “a mess.”"
    assert _all(text)[0][2] == "subject"


# ------------------------------- `X said: "A." Y wrote back, "B."`: Y's cue introduces the next quote


def test_a_cue_before_the_next_quote_is_not_the_last_quotes_speaker() -> None:
    text = "Ana Ruiz wrote to Bo Lind: “Why now? Was that on my way to Salem?” Lind then wrote back, “You look great.”"
    assert [s for _, s, _ in _all(text)] == ["Ana Ruiz", "Bo Lind"]
    text = "Ana Ruiz said: “We won.” Bo Lind replied: “Not yet.”"
    assert [s for _, s, _ in _all(text)] == ["Ana Ruiz", "Bo Lind"]


def test_a_quote_with_no_introduction_of_its_own_keeps_the_words_after_it() -> None:
    # not firing: the first quote has no cue of its own before it
    text = "Tom Bell spoke first. “Why now?” Bo Lind then wrote back, “You look great.”"
    assert _all(text)[0][1] == "Bo Lind"


def test_a_split_quote_after_an_introduction_is_unchanged() -> None:
    # not firing: the first part ends in a comma, so the cue between the parts is the split's
    text = "Ana Ruiz said: “We won,” Bo Lind said, “and we will win again.”"
    assert _all(text) == [("We won, and we will win again.", "Bo Lind", "split")]


# --------------------------- a description subject: its verb in lower case, read past six words


def test_a_capitalised_word_is_no_verb_after_a_description_subject() -> None:
    # "the Salem Board of" + "Elections" was read as a subject and its verb
    text = ("Tom Bell spoke on Monday. As if answering the mayor, the Salem Board of Elections was clear "
            "in its findings: “Further talk is needless.”")
    assert _all(text)[0][1] == "the Salem Board of Elections"


def test_a_short_description_subject_is_unchanged() -> None:
    # not firing: a description of a few words and its verb read as before
    text = "Tom Bell spoke on Monday. After the vote, the county clerk released her findings: “Further talk is needless.”"
    assert _all(text)[0][1] == "the county clerk"


def test_a_long_description_subject_is_read_to_its_verb() -> None:
    text = ("Tom Bell spoke on Monday. A spokeswoman for the Salem County Roads Repair Office emailed "
            "reporters the text, arguing, “As you can see, it says nothing of the kind.”")
    assert _all(text)[0][1] == "A spokeswoman for the Salem County Roads Repair Office"


def test_a_description_subject_with_no_verb_names_nobody() -> None:
    # a description followed by no verb in lower case is no subject (was "the Salem Board Of" and
    # its "verb" "Elections")
    text = "Tom bell spoke on Monday. After the vote, the Salem Board Of Elections Office: “Further talk is needless.”"
    assert _all(text)[0][1] is None


def test_a_long_description_subject_needs_a_verb_in_ed_or_a_cue() -> None:
    # not firing: "The party stuck to the levy even" + "as" is no description and its verb
    text = ("Bo Lind spoke on Monday. The party stuck to the levy even as the left fought it under the "
            "slogan “Axe the levy.” The party won.")
    assert _all(text)[0][1] is None
