"""quotes: speaker rules of the eighth round in docs/accuracy.md (findings, appositives that name
the person a description speaks of, abbreviations inside descriptions, credit lines and list labels
in the forms news pages write them), and the speaker word lists read from the vocabularies.

Every example is written by the team for this test (no publisher's text). `_all` returns each
quote of a text as (words, resolved speaker, sieve).
"""

from __future__ import annotations

import pytest

from tests.speaker_helpers import quotes_of as _all
from verifier import vocab
from verifier.ingest import load
from verifier.stages import names, quotes, segment

# ------------------------------------------------------------------- a finding reported as words


def test_a_finding_before_a_that_clause_names_who_found_it() -> None:
    text = "A Mesa Water Board survey found that the reservoir was “lower than in any year on record.”"
    assert _all(text)[0][1] == "A Mesa Water Board survey"


def test_a_finding_after_the_quote_names_who_found_it() -> None:
    text = "“The reservoir is lower than in any year on record,” a survey by the Mesa Water Board found."
    assert _all(text)[0][1] == "a survey by the Mesa Water Board"


def test_a_sentence_with_no_cue_and_no_finding_names_nobody() -> None:
    # not firing: "lost" is no cue, so the words stay without a speaker
    text = "Years ago the Mesa Water Board lost “the reservoir that fed three towns.”"
    assert _all(text)[0][1] is None


# -------------------------------------------- a plural description with two people in its appositive


def test_a_plural_description_is_the_two_people_its_appositive_names() -> None:
    text = ("Two economists, Ana Ruiz and Tom Bell, found in 2019 that the mill was “the town’s last big "
            "employer.”")
    assert _all(text)[0][1] == "Ana Ruiz and Tom Bell"


def test_two_people_after_the_quote_in_an_appositive() -> None:
    text = "“The mill is closing,” said two economists, Ana Ruiz and Tom Bell, on Monday."
    assert _all(text)[0][1] == "Ana Ruiz and Tom Bell"


def test_a_singular_description_with_two_names_after_it_is_not_them() -> None:
    # not firing: "The economist" is one person, so "Ana Ruiz and Tom Bell" is not it
    text = "The economist, Ana Ruiz and Tom Bell, said the mill was “the town’s last big employer.”"
    assert _all(text)[0][1] == "The economist"


# ------------------------------------------------ a name in an appositive that closes the sentence


@pytest.mark.parametrize("ending", [".", "", " (D-Ohio).", ". “The ruling is wrong.”"])
def test_a_name_closing_the_sentence_after_a_description_is_the_speaker(ending: str) -> None:
    text = f"“We will appeal,” said the team’s lawyer, Ana Ruiz{ending}"
    assert all(speaker == "Ana Ruiz" for _, speaker, _ in _all(text))


def test_a_closing_appositive_name_may_name_where_the_person_works() -> None:
    text = "“We will appeal,” said another lawyer, Ana J. Ruiz of the firm Bell and Lind."
    assert _all(text)[0][1] == "Ana J. Ruiz"


def test_an_initial_is_no_end_of_a_closing_appositive_name() -> None:
    # not firing on "Ana J": the full stop after an initial ends no sentence, and the lawyer is
    # someone Ana J. Ruiz's, not Ana J. Ruiz
    text = "“We will appeal,” said another lawyer, Ana J. Ruiz’s partner."
    assert _all(text)[0][1] == "another lawyer"


@pytest.mark.parametrize("ending", ["the mayor, Monday.", "the senator, R-Texas.",
                                    "the lawyer, Portland’s best known.",
                                    "a spokesman for the team, Ana Ruiz and Tom Bell."])
def test_a_day_a_party_or_more_than_a_name_closing_the_sentence_is_no_speaker(ending: str) -> None:
    # not firing: the description stays the speaker
    text = f"“We will appeal,” said {ending}"
    speaker = _all(text)[0][1] or ""
    assert speaker.startswith(("the ", "a "))


# ------------------------------------------------------------------- credit lines under a quote


def test_a_credit_line_may_give_a_description() -> None:
    text = "The board met on Monday.\n\n“We cannot keep cutting music classes.” — a teacher at Lincoln High\n"
    assert _all(text)[0][1:] == ("a teacher at Lincoln High", "dash_credit")


def test_a_credit_line_description_may_have_two_words_before_its_role() -> None:
    text = "The board met on Monday.\n\n“We cannot keep cutting music classes.”\n\n— a retired teacher from Mesa\n"
    assert _all(text)[0][1:] == ("a retired teacher from Mesa", "dash_credit")


@pytest.mark.parametrize("after", ["— a claim the mayor denies.", "— a view many teachers share.",
                                   "— the principal’s favourite excuse."])
def test_a_remark_after_a_dash_is_no_credit_line(after: str) -> None:
    # not firing: no role word opens the description (or one comes only after `the`)
    text = f"The board met on Monday.\n\n“We cannot keep cutting music classes.” {after}\n"
    assert _all(text)[0][1] is None


def test_a_credit_line_with_titles_before_the_name_gives_the_name() -> None:
    text = "The board met on Monday.\n\n“We cannot keep cutting music classes.” — Lincoln High teacher Maria Lopez\n"
    assert _all(text)[0][1:] == ("Maria Lopez", "dash_credit")


@pytest.mark.parametrize("layout", [" ", "\n\n"])
def test_a_post_s_credit_line_with_its_handle_and_date(layout: str) -> None:
    text = f"The mayor posted on Twitter.\n\n“The bridge opens Monday.”{layout}— Ana Ruiz (@anaruiz) May 3, 2024\n"
    assert _all(text)[0][1:] == ("Ana Ruiz", "dash_credit")


def test_a_handle_with_no_name_before_it_is_no_credit_line() -> None:
    # not firing: the credit names an account only
    text = "The mayor posted on Twitter.\n\n“The bridge opens Monday.” — a (@anaruiz) post\n"
    assert _all(text)[0][1] is None


def test_a_description_with_a_role_word_on_its_own_line_labels_the_words_below() -> None:
    text = "Voters spoke.\n\nA nurse from Phoenix:\n\n“I want lower rent.”\n\nA retired teacher, 71:\n\n“Fix the roads.”\n"
    assert [s[1:] for s in _all(text)] == [("A nurse from Phoenix", "name_label"), ("A retired teacher", "name_label")]


@pytest.mark.parametrize("label", ["The results:", "A view many teachers share:"])
def test_a_line_with_no_role_word_labels_nobody(label: str) -> None:
    # not firing: no role word opens the description (or one comes only after a determiner)
    text = f"Voters spoke.\n\n{label}\n\n“I want lower rent.”\n"
    assert _all(text)[0][1] is None


# ------------------------------------------------------------- list lines with the name in bold


def test_a_markdown_list_line_with_a_bold_name_and_details() -> None:
    text = ("We asked residents about the bridge.\n\n* **Maria Lopez**, 34: “It saves me an hour a day.”\n"
            "* **Tom Bell**, engineer: “The steel is rusting.”\n")
    assert [s[1:] for s in _all(text, "markdown")] == [("Maria Lopez", "list_label"), ("Tom Bell", "list_label")]


def test_a_plain_text_list_line_with_a_bold_name_and_details() -> None:
    text = "We asked residents about the bridge.\n\n- **Maria Lopez**, 34: “It saves me an hour a day.”\n"
    assert _all(text)[0][1:] == ("Maria Lopez", "list_label")


def test_a_bold_name_inside_a_sentence_is_no_list_label() -> None:
    # not firing: the line is a sentence, not a name and its details before a colon
    text = "We asked residents about the bridge.\n\n- We met **Maria Lopez** at the market, who told us: “It is fine.”\n"
    assert _all(text)[0][2] != "list_label"


# ------------------------------------------ a description that goes on through a quoted title


def test_a_description_cut_short_by_a_quoted_title_takes_the_title() -> None:
    text = ("“We need more teachers,” wrote the authors of the “Schools First Plan,” a report on Arizona "
            "schools. “And better pay.”")
    speakers = [s[1] for s in _all(text)]
    assert speakers == ["the authors of the “Schools First Plan,”"] * 2


def test_a_description_before_a_lower_case_quote_stays_declined() -> None:
    # not firing: "we need more" is no title, so "the authors of the" stays cut short (declined)
    text = "“We need more teachers,” wrote the authors of the “we need more” report."
    assert _all(text)[0][1] is None


def test_a_whole_description_is_not_extended() -> None:
    # not firing: a description that does not end on a small word ends where it ends
    text = "“We need more teachers,” said the authors of the report “Schools First.”"
    assert _all(text)[0][1] == "the authors of the report"


# ------------------------------------------ a sentence subject whose appositive holds a title


@pytest.mark.parametrize("appositive", ["star of the show “Desert Nights,”", "star of “Desert Nights” on Channel 4,"])
def test_a_subject_appositive_may_hold_a_title_in_quotation_marks(appositive: str) -> None:
    text = f"Ana Ruiz, {appositive} thanked the crew for “a year I will never forget.”"
    assert _all(text)[-1][1:] == ("Ana Ruiz", "subject")


def test_a_subject_appositive_holds_no_quotation_with_a_comma_inside() -> None:
    # not firing: "a night of stars, songs and speeches" is someone's words, no title; the clause
    # before the second quote has no subject of its own
    text = ("At the gala, which the network called “a night of stars, songs and speeches,” thanked the "
            "crew for “a year I will never forget.”")
    assert _all(text)[-1][1] is None


# ------------------------------------- word lists read from the vocabularies, firing and not firing
# (each list lived in the code before; the reports are the same)


def _cued(text: str) -> list[tuple[str | None, str | None, str | None]]:
    article = load.load_text(text)
    found = quotes.find_quotes(article, segment.segment(article))
    return [(q.speaker, q.cue, sieve) for q, sieve in zip(found.quotes, found.sieves, strict=True)]


def test_the_speaker_word_lists_come_from_the_vocabularies() -> None:
    grammar = vocab.load("speaker_grammar")
    assert names._PASSIVE_HEADS == tuple(dict.fromkeys(p.split()[0] for p in grammar["passive_auxiliaries"]))
    assert names._TOPIC_OPENERS == tuple(w.capitalize() for w in grammar["topic_openers"])
    assert names._PARTICIPLE_SUBJECT_WORDS == frozenset(grammar["participle_subject_words"])
    assert names._FIRST_PERSON == frozenset(grammar["first_person"])
    assert names._AROUND_OPENERS == tuple(f" {w} " for w in grammar["appositive_openers"])
    assert names._INTRODUCING == frozenset(vocab.words("speaker_titles", "introducing_contractions"))
    assert names._COLON_OBJECT == frozenset(vocab.words("cue_verbs", "colon_object"))
    assert set(names._USE_VERBS) <= names._CUE_HEADS


@pytest.mark.parametrize("auxiliary", ["was", "has been"])
def test_a_passive_auxiliary_names_the_speaker_after_by(auxiliary: str) -> None:
    text = f"Lawmakers argued for weeks. “Tax reform” {auxiliary} uttered once, by Ana Ruiz."
    assert _cued(text)[0] == ("Ana Ruiz", "uttered", "after")


def test_a_verb_that_is_no_passive_auxiliary_names_no_speaker_after_by() -> None:
    text = "Lawmakers argued for weeks. “Tax reform” got uttered once, by Ana Ruiz."
    assert _cued(text)[0][0] != "Ana Ruiz"


def test_a_topic_opener_makes_the_name_after_it_no_speaker() -> None:
    assert _cued("Of Bo Lind, Ana Ruiz, who worked with him for years, said “he never missed a vote.”")[0][0] == "Ana Ruiz"
    # not firing: without `Of` the sentence opens with its speaker and an appositive
    assert _cued("Bo Lind, Ana Ruiz, who worked with him for years, said “he never missed a vote.”")[0][0] == "Bo Lind"


def test_a_participle_subject_word_makes_the_name_the_participle_s_subject() -> None:
    assert _cued("The vote passed on Monday, with Ana Ruiz saying “it is a good day.”")[0][0] == "Ana Ruiz"
    # not firing: "a statement" is the object of `released`, the sentence's subject speaks
    assert _cued("Bo Lind released a statement saying “it is a good day.”")[0][0] == "Bo Lind"


def test_a_first_person_pronoun_is_the_speaker_quoted_last_whatever_the_title() -> None:
    text = "“We won,” said Ana Ruiz. “We lost,” said Mr. Bo Lind. I said it was late."
    index = names.NameIndex(text)
    at = text.index("I said")
    quoted = [(text.index("Ana"), "Ana Ruiz"), (text.index("Mr."), "Bo Lind")]
    assert index.resolve(names.Mention(at, at + 1, "I", "pronoun"), at, quoted=quoted) == "Bo Lind"
    # not firing: "she" is no first person, and resolves past "Mr." Bo Lind to Ana Ruiz
    assert index.resolve(names.Mention(at, at + 3, "she", "pronoun"), at, quoted=quoted) == "Ana Ruiz"


def test_an_introducing_contraction_introduces_the_person_named_after_it() -> None:
    assert _cued("Here’s Ana Ruiz in 1992: “Roads first.”")[0][0] == "Ana Ruiz in 1992"
    # not firing: "That’s" is a verb's contraction that owns no description
    assert _cued("That’s Ana Ruiz’s plan: “Roads first.”")[0][0] is None


def test_a_use_verb_and_noun_make_a_cue() -> None:
    assert _cued("Ana Ruiz used the phrase “roads first” twice.")[0][:2] == ("Ana Ruiz", "used the phrase")
    # not firing: another noun after `used the` makes no such cue
    assert _cued("Ana Ruiz used the slogan “roads first” twice.")[0][1] != "used the phrase"


def test_a_colon_object_cue_stays_the_cue_before_a_colon() -> None:
    assert _cued("Ana Ruiz told reporters: “Roads first.”")[0][:2] == ("Ana Ruiz", "told")
    # not firing: for another cue the colon is the cue
    assert _cued("Ana Ruiz said in a statement: “Roads first.”")[0][:2] == ("Ana Ruiz", ":")


def test_an_appositive_opener_puts_the_quote_in_the_opening_name_s_clause() -> None:
    assert _cued("Ana Ruiz, who once called the plan “a folly,” voted for it.")[0] == ("Ana Ruiz", "", "subject")
    # not firing: an appositive opening with another word is read by the cue sieves instead
    assert _cued("Ana Ruiz, then mayor, once called the plan “a folly,” and voted for it.")[0][2] != "subject"


def test_a_document_opener_names_the_document_that_reports_the_words() -> None:
    assert _cued("In a survey released Monday, “a folly” was the answer most voters gave.")[0] == ("a survey", "in", "nested")
    # not firing: a place opened by `in` is no reporting document
    assert _cued("In a hall downtown on Monday, “a folly” was the answer most voters gave.")[0][0] is None


def test_a_naming_particle_makes_the_naming_verb_another_verb() -> None:
    assert _cued("The club, which Ana Ruiz called “the old model,” charged a fee.")[0][2] == "cue_before"
    # `called for` names nothing: the quote is not the name the verb gives
    assert _cued("The club, which Ana Ruiz called for “a new vote,” charged a fee.")[0][2] != "cue_before"


# ----------------------------------------------- a month written short inside a description


@pytest.mark.parametrize(("text", "speaker"), [
    ("A Feb. 1 letter from the Mesa Legion warns that “any further talk will go through our lawyer.”",
     "A Feb. 1 letter from the Mesa Legion"),
    ("“Any further talk will go through our lawyer,” said a Sept. 12 letter from the Legion.",
     "a Sept. 12 letter from the Legion"),
    ("“Any further talk will go through our lawyer,” the Feb. 1 letter said.", "the Feb. 1 letter"),
])
def test_a_month_written_short_before_a_day_is_a_word_of_the_description(text: str, speaker: str) -> None:
    assert _all(text)[0][1] == speaker


def test_a_month_written_short_with_no_day_ends_the_description() -> None:
    # not firing: "Feb." with no day after it is read as before (a sentence end)
    text = "“Any further talk will go through our lawyer,” said a lawyer in Feb. The case went on."
    assert _all(text)[0][1] == "a lawyer in Feb"


@pytest.mark.parametrize(("text", "speaker"), [
    ("A spokeswoman for Acme Inc. said the ruling was “deeply flawed.”", "A spokeswoman for Acme Inc."),
    ("“The case is closed,” a spokesman for the St. Louis police said.", "a spokesman for the St. Louis police"),
    ("A spokesman for the Mt. Vernon district said the bridge was “safe.”", "A spokesman for the Mt. Vernon district"),
])
def test_a_word_written_short_inside_a_description_keeps_its_full_stop(text: str, speaker: str) -> None:
    assert _all(text)[0][1] == speaker


def test_a_company_abbreviation_before_a_capital_ends_the_sentence() -> None:
    # not firing: "Inc." before "The" may end the sentence, so the description ends before it
    text = "“We will appeal,” said a spokeswoman for Acme Inc. The firm lost."
    assert _all(text)[0][1] == "a spokeswoman for Acme Inc"


# ------------------------------------------------- a comparison word ends a title-case run


def test_than_ends_a_title_case_run_read_as_a_name() -> None:
    text = "Ana Ruiz wrote a column titled Roads More Important Than Electing Bo Lind. He liked it."
    found = [entry[1] for entry in names.NameIndex(text).names]
    assert not any("Than" in name for name in found)
    assert "Ana Ruiz" in found


def test_a_run_with_no_word_that_ends_names_stays_a_full_name() -> None:
    # not firing: "Electing" is no word that ends a name, so the run stays whole (and is kept)
    text = "Ana Ruiz wrote a column titled Roads More Important Electing Bo Lind. He liked it."
    assert "Roads More Important Electing Bo Lind" in [entry[1] for entry in names.NameIndex(text).names]


def test_a_participle_before_by_is_no_verb_of_the_subject_the_next_cue_is() -> None:
    text = "A Feb. 1 letter from the Mesa Legion obtained by the Ledger warns that “any further talk will go through our lawyer.”"
    assert _cued(text)[0] == ("A Feb. 1 letter from the Mesa Legion", "warns", "subject")


@pytest.mark.parametrize("rest", ["obtained the Ledger’s files and kept “the worst of them.”",
                                  "obtained by the Ledger closes with “the worst of them.”"])
def test_a_verb_in_ed_stays_the_cue_without_by_or_a_later_cue(rest: str) -> None:
    # not firing: no `by` after the verb, or no cue word after the participle's phrase
    assert _cued(f"A Feb. 1 letter from the Mesa Legion {rest}")[0][1] == "obtained"
