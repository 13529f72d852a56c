"""quotes: each attribution sieve fires on its own pattern, and stays silent where it must.

Every example is written by the team for this test (no publisher's text). `_attributed` returns,
per quote, its words, the resolved speaker, the speaker as written and the sieve that named it.
"""

from __future__ import annotations

import pytest

from verifier import vocab
from verifier.ingest import load
from verifier.stages import quotes, segment


def _attributed(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    article = load.load_text(text)
    found = quotes.find_quotes(article, segment.segment(article))
    return [(q.text, q.speaker, q.speaker_mention, sieve) for q, sieve in zip(found.quotes, found.sieves, strict=True)]


def _only(text: str) -> tuple[str, str | None, str | None, str | None]:
    found = _attributed(text)
    assert len(found) == 1, found
    return found[0]


def test_the_sieves_are_listed_most_precise_first() -> None:
    assert quotes.SIEVES[0] == "label" and quotes.SIEVES[-1] == "continuation"
    assert len(set(quotes.SIEVES)) == len(quotes.SIEVES)


# --------------------------------------------------------------------------- label


def test_label_sieve_reads_a_transcript_label_inside_the_quote() -> None:
    text = "Jane Roe took questions after the vote.\n\n“ROE: We counted every ballot twice.”"
    assert _only(text)[1:] == ("Jane Roe", "ROE", "label")


def test_label_sieve_gives_q_to_the_interviewer() -> None:
    assert _only("Headline\n\n“Q: Did you count them twice?”")[1:] == ("Q", "Q", "label")


def test_label_sieve_needs_a_capitalised_label_and_a_colon() -> None:
    quote = _only("Pat Kim said: “We counted: twice, then once more.”")
    assert quote[3] != "label" and quote[1] == "Pat Kim"


# --------------------------------------------------------------------------- nested


@pytest.mark.parametrize("text", [
    "“The roof leaks,” Ana Ruiz said, according to the Harbor Ledger.",
    "“The roof leaks,” Ana Ruiz told reporters, the Harbor Ledger reported.",
    "“The roof leaks,” said Ana Ruiz, reports the Harbor Ledger.",
    "According to the Harbor Ledger, Ana Ruiz said the roof “leaks in every storm.”",
])
def test_nested_source_leaves_the_words_to_the_person_who_said_them(text: str) -> None:
    # the words are Ana Ruiz's (a transcript of hers would hold them), not the paper's
    quote = _only(text)
    assert quote[1] == "Ana Ruiz" and quote[3] != "nested"


def test_nested_sieve_credits_the_reporting_source_when_no_speaker_is_named() -> None:
    assert _only("The roof “leaks in every storm,” according to the Harbor Ledger.")[1:] == (
        "Harbor Ledger", "Harbor Ledger", "nested")


def test_nested_sieve_does_not_take_the_speakers_own_count() -> None:
    quote = _only("Ana Ruiz said that according to its count the roof “leaks in every storm.”")
    assert quote[1] == "Ana Ruiz" and quote[3] != "nested"


def test_nested_sieve_stays_in_the_quotes_sentence_and_outside_other_quotes() -> None:
    quote = _only("“The roof leaks,” Ana Ruiz said. According to the Harbor Ledger, repairs begin soon.")
    assert quote[1] == "Ana Ruiz" and quote[3] == "after"
    found = _attributed("“The roof leaks,” Ana Ruiz said of the “report according to Bo Lind” on Monday.")
    assert found[0][1] == "Ana Ruiz" and found[0][3] == "after"


# --------------------------------------------------------------------------- split


def test_split_sieve_reads_the_attribution_between_two_parts() -> None:
    text = "“We built the bridge,” said Ola Berg, “and we will build the next one.”"
    assert _only(text)[1:] == ("Ola Berg", "Ola Berg", "split")


def test_split_sieve_does_not_join_quotes_without_a_cue_between() -> None:
    found = _attributed("“The bridge,” in red letters, “is closed.”")
    assert [f[3] for f in found] != ["split"]


# --------------------------------------------------------------------------- after


@pytest.mark.parametrize("text, speaker", [
    ("“The roof leaks,” Mr. Dale Ortiz said.", "Dale Ortiz"),
    ("“The roof leaks,” said assistant athletic director Jane Roe.", "Jane Roe"),
    ("“The roof leaks,” Republican strategist Fred Amari said.", "Fred Amari"),
    ("“The roof leaks,” Sen. Ana Ruiz (D-Ore.) told reporters.", "Ana Ruiz"),
    ("“The roof leaks,” Ana Ruiz on Monday wrote.", "Ana Ruiz"),
    ("“Is the roof leaking?” Ana Ruiz asked.", "Ana Ruiz"),
    ("“The roof leaks,” Ana Ruiz, 54, a builder from Salem, Oregon, warned.", "Ana Ruiz"),
    ("“The roof leaks,” Ana Ruiz, the builder who fixed it tweeted.", "Ana Ruiz"),
    ("“The roof leaks,” said a longtime adviser to the mayor, who asked not to be named.",
     "a longtime adviser to the mayor"),
])
def test_after_sieve_reads_speaker_and_cue_after_the_quote(text: str, speaker: str) -> None:
    quote = _only(text)
    assert quote[1] == speaker and quote[3] == "after"


def test_after_sieve_never_takes_a_role_word_for_a_name() -> None:
    quote = _only("“The roof leaks,” said Democratic pollster Ben Okafor.")
    assert quote[1] == "Ben Okafor"


def test_after_sieve_does_not_fire_without_a_cue_verb() -> None:
    assert _only("“The roof leaks,” Ana Ruiz ate lunch.")[1] is None


def test_after_sieve_reads_past_a_closing_mark_that_follows_a_space() -> None:
    # the words end in a single quote, then a space, then the double closing mark
    text = ("\"The vote is over,\" said Bo Lind.\n\n"
            "\"She went so far as to call it 'a rout,' \" said Ana Ruiz, a volunteer.")
    assert _attributed(text)[1][1:] == ("Ana Ruiz", "Ana Ruiz", "after")


def test_after_sieve_takes_any_verb_in_the_past_that_closes_the_attribution() -> None:
    text = "“The town will always be the town,” an angry Ana Ruiz retorted. “It never gives up.”"
    assert _attributed(text)[0][1:] == ("Ana Ruiz", "Ana Ruiz", "after")
    assert _only("“Would it be cheaper?” Ana Ruiz pressed.")[1:] == ("Ana Ruiz", "Ana Ruiz", "after")


def test_after_sieve_takes_a_verb_in_the_past_with_a_time_after_it() -> None:
    text = "“It is late,” Ana Ruiz fumed on Tuesday. “That was a test.”"
    found = _attributed(text)
    assert found[0][1:] == ("Ana Ruiz", "Ana Ruiz", "after") and found[1][1] == "Ana Ruiz"


def test_after_sieve_reads_a_description_across_an_and_up_to_its_cue() -> None:
    text = "“We are ready,” the state’s senator and presidential candidate said in a statement."
    assert _only(text)[1:] == ("the state’s senator and presidential candidate",
                               "the state’s senator and presidential candidate", "after")


def test_a_name_after_a_preposition_in_a_description_is_not_its_speaker() -> None:
    # the spokeswoman spoke, not the person she speaks for
    assert _only("“It is late,” a spokeswoman for Ana Ruiz said.")[1] == "a spokeswoman for Ana Ruiz"
    # a description that ends with its person's name gives that name
    assert _only("“It is late,” the company’s chief executive Ana Ruiz said.")[1] == "Ana Ruiz"


def test_after_sieve_takes_no_verb_after_a_quote_that_closed_its_sentence() -> None:
    # the full stop inside the marks ends the quote's sentence: "smiled" is a new one
    assert _only("“We won.” Ana Ruiz smiled.")[1] is None
    # nor a verb that does not end the attribution
    assert _only("“We won,” Ana Ruiz wanted to know from the clerk.")[3] != "after"


def test_a_quote_whose_own_cue_names_no_sure_speaker_continues_nobody() -> None:
    text = ("“The plan is late,” said Bo Lind.\n\n"
            "“Roads come first,” wrote the authors of the “roads first” plan in May.")
    assert _attributed(text)[1][1] is None


# --------------------------------------------------------------------------- intro


def test_intro_sieve_reads_inverted_and_label_introductions() -> None:
    assert _only("Said Ana Ruiz, “The roof leaks.”")[1:] == ("Ana Ruiz", "Ana Ruiz", "intro")
    assert _only("Governor Ana Ruiz: “The roof leaks.”")[1:] == ("Ana Ruiz", "Governor Ana Ruiz", "intro")
    assert _only("The memo began, “The roof leaks.”")[1:] == ("The memo", "The memo", "intro")


def test_intro_sieve_reads_an_inverted_cue_inside_the_sentence() -> None:
    text = "Because the council met late, explained Ana Ruiz, “we counted every ballot twice.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "intro")


def test_intro_sieve_reads_an_inverted_cue_with_an_appositive() -> None:
    # the appositive's own comma is the one before the quote
    text = "The hall reopened. Said Ana Ruiz, who grew up next door, “We all came back.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "intro")
    assert _only("Said Ana Ruiz, 34, “We all came back.”")[1:] == ("Ana Ruiz", "Ana Ruiz", "intro")


def test_intro_sieve_takes_no_clause_before_a_comma_for_an_appositive() -> None:
    # "Ben Okafor said" closes with the comma, but it is a clause, not an appositive of "the mayor’s criticism"
    text = "Asked by the host to answer the mayor’s criticism, Ben Okafor said, “We did our best.”"
    assert _only(text)[1:] == ("Ben Okafor", "Ben Okafor", "before")


def test_intro_sieve_takes_no_object_of_an_inverted_looking_cue() -> None:
    text = "Ana Ruiz, who chairs the board, said in a statement: “We counted every ballot twice.”"
    assert _only(text)[1] == "Ana Ruiz"


def test_intro_sieve_is_not_an_object_after_a_cue() -> None:
    # the statement did not say it; Ana Ruiz did
    quote = _only("Ana Ruiz said in a statement: “The roof leaks.”")
    assert quote[1] == "Ana Ruiz" and quote[3] == "before"


# --------------------------------------------------------------------------- before


def test_before_sieve_reads_cue_verbs_and_according_to() -> None:
    assert _only("Ana Ruiz noted that the roof “leaks in every storm.”")[1] == "Ana Ruiz"
    assert _only("According to Ana Ruiz, the roof “leaks in every storm.”")[1] == "Ana Ruiz"
    assert _only("The email said the roof “leaks in every storm.”")[1:] == ("The email", "The email", "before")


def test_before_sieve_takes_the_subject_of_a_participle() -> None:
    text = "Ana Ruiz released a statement on Friday, saying the roof “leaks in every storm.”"
    assert _only(text)[1] == "Ana Ruiz"


def test_before_sieve_skips_words_after_a_preposition() -> None:
    text = "Ana Ruiz at the time said the roof “leaks in every storm.”"
    assert _only(text)[1] == "Ana Ruiz"


def test_before_sieve_reads_an_appositive_that_runs_to_the_cue_without_a_comma() -> None:
    text = "Ana Ruiz, president and CEO of the Harbor Dining Association stated, “It is a math problem.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "before")


def test_before_sieve_leaves_a_role_and_name_after_a_comma_to_that_name() -> None:
    # "former envoy Bo Lind" is the speaker, not an appositive of the name before the comma
    text = "Asked about the nominee Ana Ruiz, former envoy Bo Lind told a host, “It is not enough.”"
    assert _only(text)[1] == "Bo Lind"
    text = "Though stopping short of leaving his post, retired surgeon Bo Lind told voters “no path.”"
    assert _only(text)[1] == "Bo Lind"


def test_a_possessive_description_keeps_its_owners_full_name() -> None:
    text = "Ana Ruiz’s office said the suit is “without merit.”"
    assert _only(text)[1:] == ("Ana Ruiz’s office", "Ana Ruiz’s office", "before")


def test_before_sieve_reads_a_participle_clause_after_a_dash_or_and() -> None:
    text = "Both spoke after the vote – Ana Ruiz saying she was “very pleased” and Bo Lind calling it a “good day.”"
    found = _attributed(text)
    assert [q[1] for q in found] == ["Ana Ruiz", "Bo Lind"]
    # a name before a participle with no such opening is the object of the verb before it
    text = "The council heard Ana Ruiz saying that roads were “the first job.”"
    assert _only(text)[1] != "Ana Ruiz"


def test_before_sieve_gives_a_question_to_whoever_asked_it() -> None:
    text = "Ana Ruiz was asked by host Bo Lind, who backs her, “Now, do roads come first?”"
    assert _only(text)[1:] == ("Bo Lind", "Bo Lind", "before")
    # asking is no passive without `by`: the subject keeps the words
    text = "Ana Ruiz was asked about roads and called them “the first job.”"
    assert _only(text)[1] == "Ana Ruiz"


# --------------------------------------------------------------------------- sentence_after


def test_sentence_after_sieve_reads_a_cue_later_in_the_sentence() -> None:
    text = "The roof “leaks in every storm” and needs work, Ana Ruiz said on Friday."
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "sentence_after")


def test_sentence_after_sieve_stays_in_its_sentence() -> None:
    text = "The roof “leaks in every storm.” Ana Ruiz said nothing more about it."
    assert _only(text)[3] != "sentence_after"


# --------------------------------------------------------------------------- colon_paragraph


def test_colon_paragraph_sieve_reads_the_paragraph_that_introduces_the_quote() -> None:
    text = "Ana Ruiz wrote to the council:\n\n“The roof leaks in every storm.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "colon_paragraph")


def test_colon_paragraph_sieve_takes_the_subject_of_an_introduction_with_no_cue() -> None:
    text = "Roads\n\nAna Ruiz issued the following statement:\n\n“We counted every ballot twice.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "colon_paragraph")


def test_colon_paragraph_sieve_needs_a_subject_before_the_colon() -> None:
    text = "Roads\n\nHere is the full text:\n\n“We counted every ballot twice.”"
    assert _only(text)[1] is None


def test_colon_paragraph_sieve_runs_before_a_cue_later_in_the_quotes_sentence() -> None:
    text = "Roads\n\nAna Ruiz stated:\n\n“The state must fix roads” that the towns say are unsafe."
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "colon_paragraph")


def test_colon_paragraph_sieve_needs_the_colon() -> None:
    text = "Ana Ruiz wrote to the council about it.\n\n“The roof leaks in every storm.”"
    assert _only(text)[3] != "colon_paragraph"


# --------------------------------------------------------------------------- subject


def test_subject_sieve_takes_the_sentence_subject_for_a_woven_in_quote() -> None:
    text = "On Friday, Governor Ana Ruiz dismissed the report as “a pile of guesses.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Governor Ana Ruiz", "subject")


def test_subject_sieve_does_not_take_a_role_word_as_the_verb() -> None:
    text = "Campaign chair Ben Okafor dismissed the report as “a pile of guesses.”"
    assert _only(text)[1] == "Ben Okafor"


def test_subject_sieve_reads_past_a_short_phrase_of_time_or_place() -> None:
    text = "Ana Ruiz chairs the board. Ruiz at the time called the plan “a pile of guesses.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ruiz", "subject")


def test_subject_sieve_takes_no_preposition_after_a_name_for_its_verb() -> None:
    # Okafor is the object of "with", not a subject whose verb is "in"
    text = ("Ana Ruiz chairs the board. She met with Ben Okafor in May and declared that she "
            "found Okafor to be “a careful man.”")
    assert _only(text)[1] == "Ana Ruiz"


def test_subject_sieve_reads_a_party_and_state_then_a_comma_before_the_cue() -> None:
    text = "Gov. Ana Ruiz (R-OH), said after the vote that the plan was “a pile of guesses.”"
    assert _only(text)[1] == "Ana Ruiz"
    # an appositive never opens with a cue: "said ..." is no description of Ruiz
    text = "The clerk, said Ana Ruiz, called the plan “a pile of guesses.”"
    assert _only(text)[1] != "said Ana Ruiz"


def test_before_sieve_takes_the_name_in_an_appositive_with_a_party_and_state() -> None:
    text = "The winner of the primary, Gov. Ana Ruiz (R-OH), said, “We are ready.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Gov. Ana Ruiz", "before")


def test_an_appositive_ends_at_the_first_verb_after_it() -> None:
    # the shortest appositive that a verb follows: "tied" is the verb, not the participle after it
    text = ("Ben Okafor, a former ferry pilot, tied the delays to the new timetable, saying "
            "the change had “cost every commuter an hour.”")
    assert _only(text)[1] == "Ben Okafor"
    text = ("Ana Ruiz, treasurer of the Harbor Rowing Club, mailed the members on Sunday, "
            "writing that “we need a new boathouse.”")
    assert _only(text)[1] == "Ana Ruiz"


def test_an_appositive_may_have_a_long_second_part() -> None:
    text = ("62-year-old Ana Ruiz, founder of the Harbor Rowing Club, a coach there since 1990 and "
            "for many years the treasurer of the regional league, endorsed the plan last week, "
            "saying it “has waited long enough.”")
    assert _only(text)[1] == "Ana Ruiz"


def test_an_appositive_gives_no_object_before_a_participle() -> None:
    # no verb follows the appositive: the words before `saying` are its object, not a speaker
    text = "The club sent a letter to Ana Ruiz, its treasurer, saying the roof was “beyond repair.”"
    assert _only(text)[1] is None


def test_subject_sieve_takes_the_name_in_a_description_after_an_opening_phrase() -> None:
    # "October" is declined as a name; the description names its person in an appositive
    text = ("In early October, the club’s youth coach, Ben Okafor, reached out to parents, "
            "writing in a note: “Practice starts at six.”")
    assert _only(text)[1:] == ("Ben Okafor", "Ben Okafor", "subject")


@pytest.mark.parametrize("text", [
    # "The" is declined as a name, and "The music" / "The final" name nobody: no speaker
    "The music seemed to match the mood in the hall as the band played “Right Now.”",
    "The final tally is not in, but the club is already claiming a “clear win.”",
    "Late on Sunday, the final tally is already being called a “landslide” by some.",
])
def test_subject_sieve_takes_no_description_without_a_name_after_a_declined_one(text: str) -> None:
    assert _only(text)[1] is None


def test_a_lower_case_role_before_a_name_opens_the_subject() -> None:
    text = "Party front-runner Ana Ruiz is questioning whether the mayor would have come “if it rained.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "subject")


def test_a_subjects_appositive_may_be_set_off_by_dashes() -> None:
    text = "Ana Ruiz — a teacher from Salem — says the new timetable was “a big mistake.”"
    assert _only(text)[1] == "Ana Ruiz"
    text = "Ana Ruiz — a teacher from Salem — called the new timetable “a big mistake.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "subject")
    # a dash that opens no appositive: the speaker is still the one before the cue
    text = "The vote was close — Ana Ruiz said it was “a coin toss.”"
    assert _only(text)[1] == "Ana Ruiz"


def test_subject_sieve_reads_a_quote_inside_the_subjects_relative_clause() -> None:
    text = "Ana Ruiz, who once called the plan “a folly,” voted for it on Monday."
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "subject")
    text = "After the vote, Ana Ruiz, a teacher who calls the plan “a folly,” left early."
    assert _only(text)[1] == "Ana Ruiz"


def test_subject_sieve_reads_no_relative_clause_of_a_thing_or_an_object() -> None:
    # the sentence opens with no person: the clause is about the plan
    assert _only("The plan, which critics call “a folly,” passed on Monday.")[1] is None
    # Ana Ruiz is the object of "of", not the sentence's subject
    text = "Critics of Ana Ruiz, who chairs the “roads first” group, met on Monday."
    assert _only(text)[1] != "Ana Ruiz"


def test_subject_sieve_reads_past_the_body_a_person_is_of() -> None:
    text = "Ana Ruiz of the Harbor Rowing Club imagined the mayor thinking: “What have I done?”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "subject")


def test_subject_sieve_takes_no_first_word_of_a_body_for_a_person() -> None:
    # "Friends of the Earth Action" is a body, not a person called "Friends"
    assert _only("Friends of the Earth Action joined a call for “clean water now.”")[1] is None


def test_subject_sieve_needs_words_before_the_quote() -> None:
    assert _only("“A pile of guesses.”")[3] is None


# --------------------------------------------------------------------------- sentence_before


def test_sentence_before_sieve_reads_the_sentence_that_sets_up_the_quote() -> None:
    text = ("The council met on Friday.\n\n"
            "Ana Ruiz told the council about the storm. “The roof leaks.”")
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "sentence_before")


def test_sentence_before_sieve_needs_a_sentence_in_the_same_paragraph() -> None:
    text = "Ana Ruiz told the council about the storm.\n\nThe roof was new. “It leaks.”"
    assert _only(text)[1] is None


# --------------------------------------------------------------------------- name_label


def test_name_label_sieve_reads_a_name_paragraph_above_the_quote() -> None:
    text = "Voices from the vote\n\nAna Ruiz, 54, Salem\n\n“I counted every ballot twice.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "name_label")


def test_name_label_sieve_ignores_a_long_paragraph() -> None:
    text = ("Voices from the vote\n\nAna Ruiz came from Salem with her whole family to watch the count.\n\n"
            "“I counted every ballot twice.”")
    assert _only(text)[3] != "name_label"


def test_name_label_sieve_reads_the_line_above_inside_a_paragraph() -> None:
    text = "Voices from the vote\n\nAna Ruiz, 54, Salem, Oregon\n“I counted every ballot twice.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "name_label")


def test_name_label_sieve_needs_the_quote_to_open_its_line() -> None:
    text = "Voices from the vote\n\nAna Ruiz, 54, Salem, Oregon, who counted “every ballot twice.”"
    assert _only(text)[3] != "name_label"


@pytest.mark.parametrize("above", ["With Roe Gone, the count ends early.", "ROAD WORK."])
def test_name_label_sieve_does_not_read_a_sentence_or_a_heading_as_a_label(above: str) -> None:
    text = f"Voices from the vote\n\n{above}\n\n“I counted every ballot twice.”"
    assert _only(text)[3] != "name_label"


def test_name_label_sieve_reads_a_capitalised_name_with_its_details() -> None:
    text = "Voices from the vote\n\nANA RUIZ, 54, Salem\n\n“I counted every ballot twice.”"
    assert _only(text)[1:] == ("ANA RUIZ", "ANA RUIZ", "name_label")


def test_name_label_sieve_reads_a_name_in_capitals_the_article_also_names() -> None:
    text = "Ana Ruiz and Bo Lind spoke to us.\n\nANA RUIZ\n\n“Roads come first.”"
    assert _only(text)[1:] == ("ANA RUIZ", "ANA RUIZ", "name_label")
    # a heading in capitals that names nobody in the article is no label
    assert _only("The roads were ready.\n\nROAD WORK\n\n“Roads come first.”")[1] is None


# --------------------------------------------------------------------------- list_label


@pytest.mark.parametrize(("line", "speaker"), [
    ("Ana Ruiz, 54, a teacher from Salem: ", "Ana Ruiz"),
    ("2. Ben Okafor, farmer: ", "Ben Okafor"),
    ("BEN OKAFOR, farmer: ", "BEN OKAFOR"),
    ("Ana Ruiz – teacher, Salem – ", "Ana Ruiz"),
    ("ROADS FIRST, TAXES LATER - Ana Ruiz and Ben Okafor: ", "Ana Ruiz and Ben Okafor"),
    ("-More from Okafor: ", "Okafor"),
    # a lead-in set in bold
    ("**Ana Ruiz:** ", "Ana Ruiz"),
    ("**BEN OKAFOR**: ", "BEN OKAFOR"),
    ("__Ana Ruiz, teacher__: ", "Ana Ruiz"),
    # a no-break space before the opening mark, as pages copied from the web have it
    ("ROADS FIRST, TAXES LATER - Ana P. Ruiz: \u00a0", "Ana P. Ruiz"),
    ("Ana Ruiz, 54, a teacher from Salem:\u00a0", "Ana Ruiz"),
])
def test_list_label_sieve_reads_the_name_that_opens_the_quotes_line(line: str, speaker: str) -> None:
    text = f"What voters want\n\n{line}“We need better roads.”\n\nThe count ends Friday."
    assert _only(text)[1:] == (speaker, speaker, "list_label")


@pytest.mark.parametrize("line", [
    "The answer of the council was short: ",   # a sentence, not a name
    "Update: ",                                # one capitalised word is no name
    "**Update:** ",                            # nor in bold
    "**The answer of the council was short:** ",
    "Ana Ruiz, who was asked about roads, replied at once that she wanted ",  # no colon or dash
])
def test_list_label_sieve_does_not_read_a_sentence_as_a_label(line: str) -> None:
    text = f"What voters want\n\n{line}“We need better roads.”\n\nThe count ends Friday."
    assert _only(text)[3] != "list_label"


# --------------------------------------------------------------------------- credit_inside


def test_credit_inside_sieve_reads_the_credit_line_closing_a_block_quote() -> None:
    text = "Experts weigh in.\n\n“Roads come first.\nAna Ruiz, Harbor Institute.”\n\nThe count ends Friday."
    assert _only(text)[:2] == ("Roads come first.", "Ana Ruiz")
    assert _only(text)[3] == "credit_inside"


def test_credit_inside_sieve_needs_a_name_and_its_details_on_the_last_line() -> None:
    text = "Experts weigh in.\n\n“Roads come first.\nAnd then the bridges, said Ana Ruiz.”"
    assert _only(text)[3] != "credit_inside"


# --------------------------------------------------------------------------- credit_line


def test_credit_line_sieve_reads_a_credit_under_a_quote_paragraph() -> None:
    text = "Voters at the count.\n\n“Roads come first, then the bridges.”\n\nAna Ruiz, 54, teacher\n\nThe count ends Friday."
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "credit_line")


def test_credit_line_sieve_reads_a_credit_on_the_quotes_own_line() -> None:
    text = ("What voters said.\n\n“Roads come first.” Ana Ruiz, 54, teacher\n\n"
            "“Bridges first.” (Bo Lind, 50, farmer)")
    found = _attributed(text)
    assert [q[1:] for q in found] == [("Ana Ruiz", "Ana Ruiz", "credit_line"), ("Bo Lind", "Bo Lind", "credit_line")]
    # a sentence after the quote is no credit
    assert _only("What voters said.\n\n“Roads come first.” The count ended.")[1] is None


def test_credit_line_sieve_leaves_a_label_above_the_next_quote_to_that_quote() -> None:
    # a list: each name is the label of the quote below it, not the credit of the one above
    text = ("Voters at the count.\n\n“Roads come first.”\n\nAna Ruiz, 54, teacher\n\n"
            "“Bridges first.”\n\nThe count ends Friday.")
    found = _attributed(text)
    assert found[0][3] != "credit_line" and found[1][1:] == ("Ana Ruiz", "Ana Ruiz", "name_label")


def test_credit_line_sieve_reads_every_credit_below_where_the_article_credits_below() -> None:
    # the first quote has a name under it and none above: names follow the words all through the
    # list, so the name between two quotes is the credit of the one above
    text = ("What readers told us.\n\n“Roads come first.”\n\nAna Ruiz, 54, teacher\n\n"
            "“Bridges first.”\n\nBo Lind, 50, farmer\n\n“Schools, then roads.”\n\nLi Wei, 22, student")
    assert [q[1:] for q in _attributed(text)] == [("Ana Ruiz", "Ana Ruiz", "credit_line"),
                                                  ("Bo Lind", "Bo Lind", "credit_line"),
                                                  ("Li Wei", "Li Wei", "credit_line")]


def test_credit_line_sieve_leaves_names_above_where_the_article_labels_above() -> None:
    # the last quote has a name above it and none under: names lead the words all through the list
    text = ("What readers told us.\n\nAna Ruiz, 54, teacher\n\n“Roads come first.”\n\n"
            "Bo Lind, 50, farmer\n\n“Bridges first.”\n\nLi Wei, 22, student\n\n“Schools, then roads.”\n\n"
            "The count ends Friday.")
    assert [q[1:] for q in _attributed(text)] == [("Ana Ruiz", "Ana Ruiz", "name_label"),
                                                  ("Bo Lind", "Bo Lind", "name_label"),
                                                  ("Li Wei", "Li Wei", "name_label")]


def test_credit_line_sieve_needs_the_quote_alone_in_its_paragraph_and_a_name_under_it() -> None:
    text = "Voters spoke. “Roads come first.”\n\nAna Ruiz, 54, teacher\n\nThe count ends Friday."
    assert _only(text)[3] != "credit_line"
    text = "Voters at the count.\n\n“Roads come first.”\n\nThe council met on Friday."
    assert _only(text)[1] is None


# --------------------------------------------------------------------------- pull_quote


def test_pull_quote_sieve_gives_repeated_words_the_speaker_they_have_below() -> None:
    text = ("“We will fix every road before the winter comes.”\n\n"
            "The council met on Monday. Ana Ruiz chairs it.\n\n"
            "“We will fix every road before the winter comes,” Ruiz said. “It is our first job.”")
    found = _attributed(text)
    assert found[0][1:] == ("Ana Ruiz", "Ruiz", "pull_quote")
    assert found[1][1:] == ("Ana Ruiz", "Ruiz", "after")


def test_pull_quote_sieve_also_reads_words_quoted_above() -> None:
    text = ("“We will fix every road before the winter comes,” said Ana Ruiz.\n\n"
            "The council met on Monday.\n\nIt voted.\n\nThe mayor left.\n\n"
            "“We will fix every road before the winter comes.”")
    assert _attributed(text)[1][1:] == ("Ana Ruiz", "Ana Ruiz", "pull_quote")


def test_pull_quote_sieve_needs_a_whole_paragraph_of_six_words_or_more() -> None:
    # a short phrase others may repeat: no pull quote
    text = ("“Roads first.”\n\nThe council met on Monday.\n\nIt voted.\n\nThe mayor left.\n\n"
            "“Roads first,” said Ana Ruiz.")
    assert _attributed(text)[0][1] is None
    # words repeated inside a sentence of the reporter's are no pull quote
    text = ("He called it “We will fix every road before the winter comes” in May.\n\n"
            "“We will fix every road before the winter comes,” said Ana Ruiz.")
    assert _attributed(text)[0][3] != "pull_quote"


# --------------------------------------------------------------------------- continuation


def test_continuation_sieve_gives_the_next_paragraph_the_same_speaker() -> None:
    text = "“The roof leaks,” said Ana Ruiz.\n\n“It has leaked for ten years.”"
    found = _attributed(text)
    assert found[1][1:] == ("Ana Ruiz", "Ana Ruiz", "continuation")


def test_continuation_sieve_stops_after_two_paragraphs() -> None:
    text = ("“The roof leaks,” said Ana Ruiz.\n\nThe council met.\n\nIt voted.\n\n"
            "The mayor left.\n\n“It has leaked for ten years.”")
    assert _attributed(text)[1][1] is None


# --------------------------------------------------------------------------- markup and marks


def test_quote_marks_inside_markup_tags_are_no_quotes() -> None:
    text = 'A post <tweet author="@roof_watch" id="12">The roof leaks.</tweet> went round.'
    assert _attributed(text) == []


def test_a_mistyped_closing_mark_still_closes_the_quote() -> None:
    assert _only("“The roof leaks,“ said Ana Ruiz.")[1] == "Ana Ruiz"


def test_pronoun_speaker_keeps_its_mention_beside_the_resolved_name() -> None:
    text = "Ana Ruiz inspected the school on Monday.\n\n“The roof leaks,” she said."
    assert _only(text)[1:3] == ("Ana Ruiz", "she")


# --------------------------------------------------------------------------- Chinese


def test_chinese_quotes_with_pronoun_adverb_place_and_according_to() -> None:
    text = ("云帆发布新品\n\n公司总裁赵明远周三出席发布会。\n\n他说：「这款机器人可以工作八个小时。」\n\n"
            "「明年进入欧洲。」赵明远还表示。\n\n公司发言人王丽在发布会上说：“价格不变。”\n\n"
            "据公司介绍：「四月上市。」")
    assert [(q[1], q[2]) for q in _attributed(text)] == [
        ("赵明远", "他"), ("赵明远", "赵明远"), ("王丽", "王丽"), ("公司", "公司")]


def test_a_chinese_name_in_double_quotes_is_no_quotation() -> None:
    text = "标题\n\n公司正在测试代号为“青鸟”的新电池。\n\n分析师吴桐称：“增长仍需验证。”"
    assert [q[0] for q in _attributed(text)] == ["增长仍需验证。"]


def test_chinese_claim_words_get_no_full_stop_appended() -> None:
    from verifier.engines import extract

    assert extract._as_sentence("星河智能发布新芯片") == "星河智能发布新芯片"
    assert extract._as_sentence("the chip is fast") == "The chip is fast."


def test_after_sieve_reads_a_short_attribution_sentence_after_a_closed_quote() -> None:
    text = "Headline\n\n“The roof leaks in every storm.” Ana Ruiz said.\n\nThe council met."
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "after")


def test_after_sieve_does_not_take_the_next_sentence_when_it_quotes_someone() -> None:
    text = "Headline\n\n“The roof leaks.” Ben Okafor called it “a mess.”"
    assert _attributed(text)[0][3] != "after"


def test_dash_credit_sieve_reads_a_credit_line_under_the_quote() -> None:
    text = "Headline\n\n“The roof leaks in every storm.”\n\n— Ana Ruiz.\n\nThe council met."
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "dash_credit")
    assert _only("Headline\n\n“The roof leaks in every storm.” — Ana Ruiz")[1] == "Ana Ruiz"


def test_dash_credit_sieve_needs_a_name_after_the_dash() -> None:
    text = "Headline\n\n“The roof leaks in every storm.”\n\n— and then it rained.\n\nThe council met."
    assert _only(text)[1] is None


def test_continuation_sieve_gives_way_to_a_person_said_to_speak_in_between() -> None:
    text = ("“The roof leaks,” said Ana Ruiz.\n\nBen Okafor said the repairs would wait.\n\n"
            "“There is no money this year.”")
    found = _attributed(text)
    assert found[1][1:] == ("Ben Okafor", "Ben Okafor", "continuation")


def test_the_listener_after_told_is_no_speaker() -> None:
    text = "“The roof leaks,” Ana Ruiz, the mayor, told CBS News.\n\n“It has leaked for years.”"
    assert [f[1] for f in _attributed(text)] == ["Ana Ruiz", "Ana Ruiz"]


def test_subject_sieve_takes_the_subject_of_the_clause_nearest_the_quote() -> None:
    text = "The mayor opposed the plan, while Ana Ruiz proposed that the city “wait a year.”"
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "subject")


def test_subject_sieve_does_not_take_the_subject_a_quote_describes() -> None:
    assert "is" in vocab.words("cue_verbs", "copulas")
    text = "Ana Ruiz liked the plan, while Ben Okafor is “a dreamer.”"
    assert _only(text)[1] != "Ben Okafor"
    assert _only("The new bridge is “a marvel” for the town.")[1] is None


def test_subject_sieve_still_reads_a_subject_that_is_promising_words() -> None:
    assert _only("Ana Ruiz is promising to “fix every road.”")[1:] == ("Ana Ruiz", "Ana Ruiz", "subject")


def test_subject_sieve_does_not_take_an_object_for_a_clause_subject() -> None:
    text = "Governor Ana Ruiz thanked Okafor supporters for a “long fight.”"
    assert _only(text)[1] == "Ana Ruiz"


# --------------------------------------------------------------------------- headline_name


def test_headline_name_sieve_reads_the_person_a_title_case_headline_opens_with() -> None:
    text = ("Five Things Voters Said This Year\n\n1\nAna Ruiz Asked Voters To “Build Roads First.”\n\n"
            "At a town meeting in May, Ana Ruiz spoke about the state of the roads.")
    assert _only(text)[1:] == ("Ana Ruiz", "Ana Ruiz", "headline_name")


def test_headline_name_sieve_needs_the_name_written_again_outside_the_headline() -> None:
    text = ("Five Things Voters Said This Year\n\n1\nAna Ruiz Asked Voters To “Build Roads First.”\n\n"
            "At a town meeting in May, the mayor spoke about the state of the roads.")
    assert _only(text)[3] != "headline_name"


def test_headline_name_sieve_needs_title_case() -> None:
    text = ("Roads\n\nAna Ruiz asked the voters to “build roads first” at the meeting.\n\n"
            "Ana Ruiz spoke for an hour.")
    assert _only(text)[3] != "headline_name"


# --------------------------------------------------------------------------- speaker phrases


def test_a_description_after_a_preposition_is_no_speaker_of_a_later_cue() -> None:
    # "states" is a noun here: "the primary" follows "in" and speaks no words
    text = "Ana Ruiz is claiming she has “grown the party,” with more voters in the primary states."
    assert _only(text)[1] == "Ana Ruiz"


def test_an_inverted_description_takes_the_name_in_its_appositive() -> None:
    text = ("The audit found “no gaps” in the books, said the board’s chair, Ana Ruiz, on Monday.\n\n"
            "But in the spring, the council met again, and the mayor, Ben Okafor, spoke.")
    assert _only(text)[1] == "Ana Ruiz"


def test_the_first_part_of_an_appositive_names_the_speaker() -> None:
    text = "“The audit is done,” the chair, Ana Ruiz, a former banker, said."
    assert _only(text)[1] == "Ana Ruiz"


def test_a_dateline_place_is_no_speaker() -> None:
    text = "Salem (AP) — Democrat Ana Ruiz has taken aim at the toll plan, saying that “tolls” hurt."
    assert _only(text)[1] == "Ana Ruiz"
    assert _only("Salem Ruiz (the mayor) said “it costs too much.”")[1] == "Salem Ruiz"


def test_a_name_after_a_preposition_and_before_an_appositive_is_no_speaker() -> None:
    text = "In a note to the Ledger, her deputy, Ana Ruiz, said: “The roof leaks.”"
    assert _only(text)[1] == "Ana Ruiz"
    # after `of` a name may still end a title
    speaker = _only("Secretary of State Ana Ruiz, 54, said: “The roof leaks.”")[1]
    assert speaker is not None and speaker.endswith("Ana Ruiz")


def test_a_participle_opening_the_sentence_is_no_subject() -> None:
    text = "Continuing his talk, Ana Ruiz turned to the roof, saying it “leaks in every storm.”"
    assert _only(text)[1] == "Ana Ruiz"


def test_a_title_ending_in_a_preposition_phrase_keeps_the_name_in_its_appositive() -> None:
    text = "“The bridge is safe,” the head of the Board of Works, Ana Ruiz, said."
    assert _only(text)[1] == "Ana Ruiz"


def test_nothing_before_according_to_is_its_speaker() -> None:
    from verifier.stages import names

    text = "Sales grew 60 percent a year, albeit from a small base, according to the Harbor Ledger."
    assert [m.text for _, m in names.speech_mentions(text, 0, len(text))] == ["Harbor Ledger"]


# --------------------------------------------------------------------------- declining an unsure speaker


def test_a_lone_capitalised_word_the_article_writes_in_lower_case_is_declined() -> None:
    # "Audiences" opens the sentence; the article writes "audiences" elsewhere and names nobody so
    text = ("The band played to large audiences.\n\n"
            "Audiences can expect the band to play “a little louder than usual.”")
    assert _only(text)[1] is None
    # a surname is kept: the article introduces it as part of a full name
    text = ("Jane Law chairs the board, which meets by law twice a year.\n\n"
            "Law later offered the board a “quiet success.”")
    assert _only(text)[1] == "Jane Law"


def test_a_possessive_or_a_name_suffix_alone_is_declined() -> None:
    assert _only("The roads were ready.\n\nHis plan was called a “quiet success.”")[1] is None
    text = "The letter, signed by Ana Ruiz Jr., went out.\n\n“We met twice,” said Jr. of the board."
    assert _attributed(text)[-1][1] is None


def test_a_description_cut_short_on_a_small_word_is_declined() -> None:
    # the words in quotation marks (no title: lower case) cut the description after "the": no
    # speaker, rather than that one (a title goes on into the description: tests/test_speakers_t.py)
    text = "“Roads come first,” wrote the authors of the “roads first” plan in May."
    assert _attributed(text)[0][1] is None
    # a whole description is kept
    assert _only("“Roads come first,” wrote the authors of the plan.")[1] == "the authors of the plan"


def test_after_sieve_reads_a_possessive_description_to_the_name_it_ends_with() -> None:
    quote = _only("“It matters,” said Roe’s top foreign policy aide Jake Lind.")
    assert quote[1:] == ("Jake Lind", "Jake Lind", "after")
    # a possessive description with no name after it stays the speaker
    assert _only("“It matters,” said Roe’s spokesman.")[1] == "Roe’s spokesman"


# --------------------------------------------------------------------------- `of` in a speaker


@pytest.mark.parametrize("text, speaker, mention", [
    # a place or body after a person's `of` is not the speaker
    ("Ana Ruiz of Salem said, “The roof is fine.”", "Ana Ruiz", "Ana Ruiz"),
    ("“The roof is fine,” Ana Ruiz of Salem said.", "Ana Ruiz", "Ana Ruiz"),
    ("Ana Ruiz of the Salem Harbor Board said, “The roof is fine.”", "Ana Ruiz", "Ana Ruiz"),
    ("Archbishop Ana Ruiz of the Salem Patriarchate of Jerusalem told the paper, “The roof is fine.”",
     "Ana Ruiz", "Archbishop Ana Ruiz"),
    # a title's `of` part is not part of the name, in the mention and in the name it resolves to
    ("Secretary of State Ana Ruiz said, “The roof is fine.”", "Ana Ruiz", "Ana Ruiz"),
    ("Secretary of Homeland Security Ana Ruiz said, “The roof is fine.”", "Ana Ruiz", "Ana Ruiz"),
    ("Secretary of State Ana Ruiz of Salem said, “The roof is fine.”", "Ana Ruiz", "Ana Ruiz"),
    ("Secretary of State Ana Ruiz toured the site. Ruiz said, “The roof is fine.”", "Ana Ruiz", "Ruiz"),
    ("“The roof is fine,” said Secretary of State Ana Ruiz.", "Ana Ruiz", "Ana Ruiz"),
    ("“The roof is fine,” said Mayor of Salem Ana Ruiz, a lawyer.", "Ana Ruiz", "Ana Ruiz"),
    # a post named without its holder is the post, and its holder when named just before it
    ("“The roof is fine,” said Secretary of State.", "Secretary of State", "Secretary of State"),
    ("Mayor of Salem said, “The roof is fine.”", "Mayor of Salem", "Mayor of Salem"),
    ("Senator Ana Ruiz, Republican of Salem, said, “The roof is fine.”", "Ana Ruiz", "Senator Ana Ruiz"),
])
def test_a_speaker_with_of_is_the_person_not_the_place(text: str, speaker: str, mention: str) -> None:
    assert _only(text)[1:3] == (speaker, mention)


@pytest.mark.parametrize("text, speaker", [
    # organisations named with `of` stay whole; an appositive's `of` leaves its person alone
    ("Bank of America said, “The roof is fine.”", "Bank of America"),
    ("The University of Salem said, “The roof is fine.”", "The University of Salem"),
    ("Ana Ruiz, director of Salem Labs, said, “The roof is fine.”", "Ana Ruiz"),
    ("Ana Ruiz, a minister with the Living Church of Salem, said, “The roof is fine.”", "Ana Ruiz"),
    ("Ana Ruiz said, “The roof is fine.”", "Ana Ruiz"),
])
def test_a_body_named_with_of_stays_whole(text: str, speaker: str) -> None:
    assert _only(text)[1] == speaker


@pytest.mark.parametrize("head", vocab.words("speaker_titles", "heads_of_titles"))
def test_a_head_of_title_word_opens_a_title_whose_of_part_is_no_name(head: str) -> None:
    text = f"{head.capitalize()} of Research Ana Ruiz said, “The roof is fine.”"
    assert _only(text)[1] == "Ana Ruiz"


def test_a_word_outside_the_title_heads_opens_a_body_named_with_of() -> None:
    assert _only("Friends of Salem said, “The roof is fine.”")[1] == "Friends of Salem"


def test_a_name_whose_of_head_a_title_drops_is_read_once() -> None:
    """`One of Mr. Ruiz's aides`: the name cleaned from `One of Mr. Ruiz` is `Mr. Ruiz` itself,
    which is no body of a head; reading it again as one looped without end."""
    text, _speaker, mention, sieve = _only("One of Mr. Ruiz's aides said, “We won.”")
    assert (text, mention, sieve) == ("We won.", "Mr. Ruiz's aides", "before")
    # a body named with `of` is still read whole
    assert _only("Friends of Ana Ruiz said, “We won.”")[1] == "Friends of Ana Ruiz"


# --------------------------------------------------------------------------- cue_before


@pytest.mark.parametrize("text, speaker", [
    ("In 2009, under what Ana Ruiz called “the old model,” the club charged a fee.", "Ana Ruiz"),
    ("Ana Ruiz called it “a folly,” and the board agreed.", "Ana Ruiz"),
    ("Bo Lind joined what Ana Ruiz has dubbed “the yuca primary,” a race of two men.", "Ana Ruiz"),
    ("In 2009, under what Ana Ruiz called ''the old model,'' the club charged a fee. ''Yes,'' he said.",
     "Ana Ruiz"),
])
def test_cue_before_sieve_gives_a_partial_quote_after_a_naming_cue_to_its_speaker(text: str, speaker: str) -> None:
    quote, got, _mention, sieve = _attributed(text)[0]
    assert (got, sieve) == (speaker, "cue_before"), quote


@pytest.mark.parametrize("text, speaker, sieve", [
    # `called for` asks for something: no naming
    ("Ana Ruiz called for “a new vote,” the board said.", "the board", "after"),
    # a cue that is no naming verb, with words between it and the quote
    ("Ana Ruiz said the plan was “a folly,” the board said.", "the board", "after"),
    # a quote after a comma is direct: the ordinary sieves read it
    ("Ana Ruiz said, “We won,” and left.", "Ana Ruiz", "before"),
    ("“We won,” Ana Ruiz called out.", "Ana Ruiz", "after"),
])
def test_cue_before_sieve_does_not_fire_without_a_naming_cue_right_before_a_partial_quote(
        text: str, speaker: str, sieve: str) -> None:
    assert _only(text)[1:4:2] == (speaker, sieve)


# --------------------------------------------------------------------------- sentence adverbs


_SENTENCE_ADVERBS = ["Thus", "Indeed", "Unless", "Therefore", "Otherwise", "Moreover", "Furthermore",
                     "Nonetheless", "Nevertheless", "Hence", "Instead", "Perhaps", "Maybe", "Whether",
                     "Regardless", "Likewise", "Besides"]


def test_the_sentence_adverbs_are_in_the_not_names_vocabulary() -> None:
    assert {w.lower() for w in _SENTENCE_ADVERBS} <= set(vocab.words("speaker_titles", "not_names"))


@pytest.mark.parametrize("word", _SENTENCE_ADVERBS)
def test_a_sentence_adverb_opening_the_sentence_is_no_speaker(word: str) -> None:
    quote, speaker, mention, _sieve = _only(f"{word}, in the debate, candidates referred to “the plan” twice.")
    assert speaker is None and mention is None, (quote, speaker)


@pytest.mark.parametrize("word", ["Thus", "Indeed", "Unless"])
def test_the_name_after_a_sentence_adverb_still_speaks(word: str) -> None:
    assert _only(f"{word} Ana Ruiz said, “We won.”")[1] == "Ana Ruiz"
    assert _only(f"{word}, Ana Ruiz said, “We won.”")[1] == "Ana Ruiz"


# --------------------------------------------------------------------------- asserted


@pytest.mark.parametrize("text, speaker, sieve", [
    ("Ana Ruiz asserted that the Harbor Board did “wonderful things” for the town.", "Ana Ruiz", "before"),
    ("“We won,” Ana Ruiz asserted.", "Ana Ruiz", "after"),
    ("“We won,” asserts Ana Ruiz.", "Ana Ruiz", "after"),
])
def test_asserted_is_a_cue(text: str, speaker: str, sieve: str) -> None:
    assert _only(text)[1:4:2] == (speaker, sieve)


def test_a_word_that_only_begins_like_asserted_is_no_cue() -> None:
    # `assertive` is no cue: the quote stays with the one who said it
    text = "Ana Ruiz said the Harbor Board, an assertive body, did “wonderful things” for the town."
    assert _only(text)[1:4:2] == ("Ana Ruiz", "before")
    assert "assertive" not in vocab.words("cue_verbs")


def test_a_description_that_has_named_something_is_its_speaker() -> None:
    """A description before a naming verb is the thing named (`a book called "`), unless it is said
    to have named it (`what one conservative has dubbed "`)."""
    text = "Bo Lind joined what one conservative has dubbed “the yuca primary,” a race of two men."
    assert _only(text)[1:4:2] == ("one conservative", "cue_before")
    text = "The council, which a critic had labeled “the slow board,” voted on Monday."
    assert _only(text)[1] == "a critic"


def test_a_description_right_before_a_naming_verb_stays_the_thing_named() -> None:
    assert _only("Ana Ruiz wrote a book called “The Harbor” in 2019.")[1] != "a book"
    assert _only("The ferry, a boat called “Gull,” sank.")[1] != "a boat"


@pytest.mark.parametrize("text", [
    "Ana Ruiz stood in Salem, Ohio, and, citing the Bible, called it “a folly.”",
    "Ana Ruiz stood at the pulpit in Salem, Ohio, and, citing the Bible (“love thy neighbor”), endorsed Bo Lind.",
])
def test_the_second_part_of_a_place_is_no_clause_subject(text: str) -> None:
    assert _attributed(text)[0][1:4:2] == ("Ana Ruiz", "subject")


@pytest.mark.parametrize("text", [
    # a full name after the place opens the clause
    "The plan failed in Salem, Ana Ruiz, the mayor, dismissed it as “a folly.”",
    "After the vote in Salem, Ana Ruiz, the mayor, dismissed the plan as “a folly.”",
])
def test_a_full_name_after_a_place_still_opens_its_clause(text: str) -> None:
    assert _only(text)[1:4:2] == ("Ana Ruiz", "subject")


@pytest.mark.parametrize("text, sieve", [
    ("Ana Ruiz has repeatedly said that she opposes “new taxes.”", "before"),
    ("Ana Ruiz has repeatedly said, “We won.”", "before"),
    ("Even as Ana Ruiz has repeatedly said that she opposes “new taxes” in the town, her council "
     "continues to raise them.", "before"),
    ("“We won,” Ana Ruiz had also said.", "after"),
])
def test_two_words_may_stand_between_a_speaker_and_the_cue(text: str, sieve: str) -> None:
    assert _only(text)[1:4:2] == ("Ana Ruiz", sieve)


def test_three_words_between_a_speaker_and_a_cue_are_too_many() -> None:
    # `has very often not said`: no cue pattern reads across three words; the subject sieve may
    assert _only("Ana Ruiz has very often not said that she opposes “new taxes.”")[3] != "before"


# --------------------------------------------------------------------------- a place before a title


@pytest.mark.parametrize(("text", "speaker", "mention"), [
    ("“It is done,” said U.S. Sen. Tom Lind.", "Tom Lind", "U.S. Sen. Tom Lind"),
    ("U.S. Rep. Ana Ruiz said: “We will fix it.”", "Ana Ruiz", "U.S. Rep. Ana Ruiz"),
    ("“We will fix it,” U.S. Rep. Ana Ruiz said on Tuesday.", "Ana Ruiz", "U.S. Rep. Ana Ruiz"),
    ("“Fine,” Texas Gov. Bo Park said.", "Bo Park", "Texas Gov. Bo Park"),
    ("“Fine,” said former Ohio Lt. Gov. Ana Ruiz.", "Ana Ruiz", "Ohio Lt. Gov. Ana Ruiz"),
])
def test_a_place_before_a_title_is_the_titles_not_the_persons(text: str, speaker: str, mention: str) -> None:
    """`U.S. Sen. Tom Lind` is Tom Lind (it was "U": the initials were no name word), and the place
    a title abbreviation carries is no part of the name (`Texas Gov. Bo Park` is Bo Park)."""
    _words, found, written, _sieve = _only(text)
    assert (found, written) == (speaker, mention)


@pytest.mark.parametrize(("text", "speaker"), [
    ("“It is done,” said Ana Ruiz Jr.", "Ana Ruiz Jr."),  # a suffix abbreviation is the name's own
    ("“It is done,” said St. Clair Lind.", "St. Clair Lind"),  # a saint's abbreviation opens a name
])
def test_what_is_no_title_abbreviation_stays_in_the_name(text: str, speaker: str) -> None:
    assert _only(text)[1] == speaker


# --------------------------------------------------------------------------- a poll's respondents


@pytest.mark.parametrize(("text", "speaker"), [
    ("Fares are up. In a May Harbor Times poll, 75 percent of Republicans said “most officials” "
     "cannot be trusted.", "a May Harbor Times poll"),
    ("In a survey released Monday, most voters said the plan was “a folly.”", "a survey"),
    ("The vast majority of riders say they prefer cheaper fares to “gold-plated” ferries, according "
     "to a Harbor Times poll released Thursday.", "a Harbor Times poll released Thursday"),
])
def test_the_respondents_of_a_named_poll_give_way_to_the_poll(text: str, speaker: str) -> None:
    """A share of a group that "said" something in a poll the sentence names: the words are the
    poll's finding (the nested sieve), not the respondents' own."""
    words, found, _, sieve = _only(text)
    assert (found, sieve) == (speaker, "nested")


@pytest.mark.parametrize(("text", "speaker"), [
    # not firing: no poll named, so the group's words stay theirs
    ("Fares are up. Most riders say they prefer cheaper fares to “gold-plated” ferries.", "Most riders"),
    # a person, not a share of a group, in a sentence that names a poll
    ("In a poll released Sunday, Ana Ruiz said the plan was “a folly.”", "Ana Ruiz"),
])
def test_a_group_without_a_poll_or_a_person_in_one_keeps_the_words(text: str, speaker: str) -> None:
    assert _only(text)[1] == speaker


@pytest.mark.parametrize("share", vocab.words("speaker_grammar", "respondent_shares"))
def test_every_share_makes_a_group_the_respondents(share: str) -> None:
    written = {"%": "75%", "percent": "75 percent", "per cent": "75 per cent", "third": "a third",
               "thirds": "two-thirds", "quarter": "a quarter", "quarters": "three-quarters",
               "majority": "the majority", "plurality": "a plurality", "share": "a large share"}.get(share, share)
    text = f"In a Harbor Times poll, {written} of riders said fares were “too high.”"
    assert _only(text)[1:] == ("a Harbor Times poll", "a Harbor Times poll", "nested"), written


# --------------------------------------------------------------------------- cross-references


@pytest.mark.parametrize("word", ["See", "Read", "Watch", "Listen", "Click", "Visit"])
def test_a_cross_reference_imperative_is_no_part_of_the_name_after_it(word: str) -> None:
    text = (f"The writer Jared Sexton spent the night at the rally.\n\n({word} Sexton’s full account below.)\n\n"
            "“It was loud,” Sexton said.")
    assert _only(text)[1:3] == ("Jared Sexton", "Sexton")


def test_a_surname_like_a_cross_reference_word_after_a_first_name_still_names() -> None:
    # `see` and `read` are dropped only from a name's front: Ana Read is Ana Read
    assert _only("“It was loud,” said Ana Read.")[1] == "Ana Read"
    assert _only("“It was loud,” said Bo See, the harbor master.")[1] == "Bo See"


# --------------------------------------------------------------------------- someone of someone's


@pytest.mark.parametrize("entry", vocab.words("speaker_titles", "relations"))
def test_a_relation_after_a_possessive_name_is_another_person(entry: str) -> None:
    # Ruiz's wife is not Ruiz: the words stay with the description, never with Ana Ruiz
    text = f"Ana Ruiz ran the port.\n\n“We won,” said Ruiz’s {entry}."
    assert _only(text)[1:3] == (f"Ruiz’s {entry}",) * 2


@pytest.mark.parametrize("text, speaker", [
    ("Ana Ruiz ran the port.\n\n“We won,” Ruiz’s longtime spokesman said.", "Ruiz’s longtime spokesman"),
    ("“We won,” recalled Baker’s predecessor, Lisa Grant.", "Lisa Grant"),
    ("Ana Ruiz ran the port.\n\n“We won,” said Ruiz’s longtime friend Maria Lopez.", "Maria Lopez"),
])
def test_a_possessive_description_names_the_person_it_describes(text: str, speaker: str) -> None:
    assert _only(text)[1] == speaker


@pytest.mark.parametrize("text", [
    # a thing of Ruiz's: the words are hers
    "Ana Ruiz ran the port.\n\n“We won,” said Ruiz’s statement.",
    # a description runs into no verb: "rallied supporters" is what the aide did, not who she is
    "Ana Ruiz ran the port.\n\nRuiz’s right-hand woman rallied supporters, saying: “We are ready.”",
])
def test_a_possessive_before_a_thing_or_a_verb_leaves_the_owner(text: str) -> None:
    speaker = _only(text)[1]
    assert speaker is not None and "’s" not in speaker, speaker
