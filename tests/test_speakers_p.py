"""quotes: speakers written with joined initials, unusual spaces, and clause conjunctions.

Every example is written by the team for this test (no publisher's text). `_only` returns a
text's one quote as (words, resolved speaker, speaker as written, sieve).
"""

from __future__ import annotations

import pytest

from verifier import vocab
from verifier.ingest import load
from verifier.model.schema import Quote
from verifier.stages import quotes, segment


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


def test_a_body_after_a_conjunction_is_no_person() -> None:
    quote = _only("The decline came after Harbor Bank said, “The network is growing.”")
    assert quote[1] != "Harbor Bank"


def test_one_word_after_a_conjunction_is_no_speaker_named() -> None:
    # "after Christmas": a lone capitalised word may be a day, a place or a feast
    quote = _only("The slump came after Christmas said, “The network is growing.”")
    assert quote[1] != "Christmas"
