"""quotes: joined initials ("U.S.", "F.B.I.") inside and at the end of a description.

Every example is written by the team for this test (no publisher's text). `_only` returns a
text's one quote as (words, resolved speaker, speaker as written, sieve).
"""

from __future__ import annotations

import pytest

from verifier.ingest import load
from verifier.stages import quotes, segment


def _only(text: str) -> tuple[str, str | None, str | None, str | None]:
    article = load.load_text(text)
    found = quotes.find_quotes(article, segment.segment(article))
    assert len(found.quotes) == 1, found.quotes
    quote = found.quotes[0]
    return quote.text, quote.speaker, quote.speaker_mention, found.sieves[0]


# ------------------------------------------------------- initials read whole inside a description


@pytest.mark.parametrize(("text", "speaker"), [
    ("“The network is growing,” said a spokesman for the U.S. Army.", "a spokesman for the U.S. Army"),
    ("“The network is growing,” said a spokesman for the U.S. Army, who declined to be named.",
     "a spokesman for the U.S. Army"),
    ("“The network is growing,” a spokesman for the U.N. mission said.", "a spokesman for the U.N. mission"),
    ("A spokesman for the U.S. Army said, “The network is growing.”", "A spokesman for the U.S. Army"),
])
def test_joined_initials_inside_a_description_are_read_whole(text: str, speaker: str) -> None:
    _, resolved, mention, _ = _only(text)
    assert mention == speaker
    assert resolved == speaker


def test_a_description_still_stops_before_a_sentence_end() -> None:
    # not firing: a plain word at the end of the sentence keeps its full stop out of the description
    # ("a spokesman for the agency." is "a spokesman for the agency")
    assert _only("“The network is growing,” said a spokesman for the agency.")[2] == "a spokesman for the agency"


@pytest.mark.parametrize(("text", "mention"), [
    ("“The network is growing,” said the F.B.I.", "the F.B.I."),
    ("“The network is growing,” said an official in the U.S.", "an official in the U.S."),
    ("“The network is growing,” said the F.B.I. \n\nLater it left.", "the F.B.I."),
])
def test_joined_initials_at_a_sentence_end_keep_their_full_stop(text: str, mention: str) -> None:
    # the full stop is the initials' and the sentence's at once: the description keeps it
    assert _only(text)[2] == mention


def test_a_body_after_the_is_no_persons_name() -> None:
    # not firing: a person named after a preposition is still that phrase's object, and a body's
    # name after `the` is no person either; a person named after the description still is one
    assert _only("“The network is growing,” said a spokeswoman for Ana Ruiz.")[2] == "a spokeswoman for Ana Ruiz"
    assert _only("“The network is growing,” said the agency’s director Ana Ruiz.")[1] == "Ana Ruiz"
    assert _only("A spokesman for the U.S. Army, Ana Ruiz, said, “The network is growing.”")[1] == "Ana Ruiz"


# ---------------------------------------------------------- a body written as joined initials


@pytest.mark.parametrize(("text", "speaker"), [
    ("“The network is growing,” the F.B.I. said.", "the F.B.I."),
    ("“The network is growing,” the F.B.I. said in a statement.", "the F.B.I."),
    ("“The network is growing,” the U.N. said.", "the U.N."),
    ("“The network is growing,” the N.A.A.C.P. said.", "the N.A.A.C.P."),
    ("The F.B.I. said, “The network is growing.”", "The F.B.I."),
])
def test_a_body_in_joined_initials_after_the_is_the_speaker(text: str, speaker: str) -> None:
    _, resolved, mention, _ = _only(text)
    assert mention == speaker
    assert resolved == speaker


def test_a_body_in_joined_initials_is_read_as_the_plain_forms_are() -> None:
    assert _only("“The network is growing,” the FBI said.")[2] == "the FBI"
    assert _only("“The network is growing,” the agency said.")[2] == "the agency"


def test_a_body_in_joined_initials_is_never_a_persons_name() -> None:
    # not firing: without `the` the initials name no person ("F.B.I. said" is no speaker "F.B.I")
    assert _only("“The network is growing,” F.B.I. said.")[1] is None


def test_initials_before_a_capitalised_word_still_end_the_description() -> None:
    # not firing: "U.S." before a capitalised word that is no organisation word ends a sentence,
    # so the next sentence's subject is not read into the description
    text = "“The network is growing,” said an official in the U.S. Lind disagreed."
    assert _only(text)[2] == "an official in the U.S"


# ------------------------------------------------------- a cue inside the words of an earlier quote


def test_a_cue_inside_an_earlier_quote_names_no_later_speaker() -> None:
    text = ("Officials spoke on Monday.\n\n“It does sound as if the agency believes a breach is likely,” said "
            "Ana Ruiz, the author of “open doors,” who studies security at the council.")
    # (the second quote in lower case: a title-cased `“Open Doors,”` after `author of` is a title,
    # no quote at all: tests/test_titles.py)
    article = load.load_text(text)
    found = quotes.find_quotes(article, segment.segment(article))
    assert [q.speaker for q in found.quotes] == ["Ana Ruiz", "Ana Ruiz"]


def test_a_cue_before_two_partial_quotes_still_names_both() -> None:
    # not firing: the speaker stands before the first quote, outside its words
    text = "Ana Ruiz said the plan was “badly written” and “far too costly” for the town."
    article = load.load_text(text)
    found = quotes.find_quotes(article, segment.segment(article))
    assert [q.speaker for q in found.quotes] == ["Ana Ruiz", "Ana Ruiz"]
