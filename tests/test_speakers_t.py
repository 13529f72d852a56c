"""quotes: speaker rules of the ninth speaker round (findings, appositives that name the person a
description speaks of, credit lines and list labels in the forms news pages write them).

Every example is written by the team for this test (no publisher's text). `_all` returns each
quote of a text as (words, resolved speaker, sieve).
"""

from __future__ import annotations

import pytest

from verifier.ingest import load
from verifier.stages import quotes, segment


def _all(text: str, fmt: str = "text") -> list[tuple[str, str | None, str | None]]:
    article = load.load_text(text, fmt=fmt)  # type: ignore[arg-type]
    found = quotes.find_quotes(article, segment.segment(article))
    return [(q.text, q.speaker, sieve) for q, sieve in zip(found.quotes, found.sieves, strict=True)]


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
