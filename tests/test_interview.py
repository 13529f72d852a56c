"""interview: a draft written as a Q&A or a transcript (verifier/stages/interview.py). Every text
here is written by the team for this test."""

from __future__ import annotations

from verifier.ingest import load
from verifier.model.config import Settings
from verifier.model.schema import Report
from verifier.run import pipeline
from verifier.stages import interview

QA = """# Five questions for Lumora's chief executive

Dana Whitfield took over Lumora Labs in 2023. She spoke to us about Kestrel 4.

**Q: Is Kestrel 4 really the best coding model?**

**Whitfield:** On the benchmarks we ran, yes. Customers should test it on their own code.

**Q: What about the cost?**

**Whitfield:** It is cheaper than the last model. We cut prices by 40 percent.

Follow the Harbor Ledger on Mastodon for more interviews.
"""


def _report(text: str, fmt: str = "markdown") -> Report:
    article = load.load_text(text, path="draft.md", fmt=fmt)  # type: ignore[arg-type]
    return pipeline.check_article(article, Settings(engine="rules"), source_docs=[])


def _claims(report: Report) -> dict[str, tuple[list[str], str | None]]:
    return {c.text: ([str(t) for t in c.tags], c.attribution.source if c.attribution else None)
            for c in report.claims}


def test_an_answer_is_its_speakers_and_the_label_is_no_word_of_the_claim() -> None:
    claims = _claims(_report(QA))
    assert claims["On the benchmarks we ran, yes."] == (["attributed"], "Dana Whitfield")
    assert claims["We cut prices by 40 percent."] == (["attributed"], "Dana Whitfield")
    assert not any("Whitfield:" in text or text.startswith("*") for text in claims)


def test_an_answers_judgement_is_not_the_publications_opinion() -> None:
    report = _report(QA)
    judged = [c for c in report.claims if c.text == "Customers should test it on their own code."]
    assert judged and judged[0].attribution and judged[0].attribution.source == "Dana Whitfield"
    assert not [f for f in report.findings if f.rule == "opinion-unattributed"]


def test_the_claims_still_point_at_the_drafts_own_words() -> None:
    report = _report(QA)
    for claim in report.claims:
        assert QA[claim.span.start:claim.span.end] == claim.span.text


def test_a_footer_after_the_last_answer_and_the_questions_are_nobodys_answer() -> None:
    claims = _claims(_report(QA))
    assert claims["Follow the Harbor Ledger on Mastodon for more interviews."][1] is None
    assert not any(text.startswith("Is Kestrel 4") for text in claims)  # a question: no claim


def test_a_plain_text_transcript_with_full_names_on_its_labels() -> None:
    text = ("Council hearing on fares\n\nANA RUIZ: Fares will rise by 5 percent in May.\n\n"
            "BO LIND: The rise will cost riders 12 million euros a year.\n")
    claims = _claims(_report(text, "text"))
    assert claims["Fares will rise by 5 percent in May."][1] == "ANA RUIZ"
    assert claims["The rise will cost riders 12 million euros a year."][1] == "BO LIND"


# --------------------------------------------------------------------------- not firing


def test_one_label_in_a_story_is_no_interview() -> None:
    text = "Fares rise\n\nUpdate: The council voted on Monday to raise fares by 5 percent.\n\nRiders were angry.\n"
    article = load.load_text(text)
    assert interview.turns(article) == []
    claims = _claims(_report(text, "text"))
    assert "Update: The council voted on Monday to raise fares by 5 percent." in claims


def test_labels_that_name_nobody_attribute_nothing() -> None:
    text = ("Fares rise\n\nBackground: The council raised fares by 5 percent in 2024.\n\n"
            "Context: The port lost 12 million euros last year.\n")
    claims = _claims(_report(text, "text"))
    assert claims["The council raised fares by 5 percent in 2024."][1] is None
    assert claims["The port lost 12 million euros last year."][1] is None


def test_a_label_in_the_headline_is_the_headlines() -> None:
    text = ("Ruiz: Fares Will Rise in May\n\nThe council met on Monday.\n\n"
            "ANA RUIZ: Fares will rise by 5 percent in May.\n\nBO LIND: Riders will pay 12 million euros more.\n")
    article = load.load_text(text)
    assert [t.speaker for t in interview.turns(article)] == ["ANA RUIZ", "BO LIND"]
    claims = _claims(_report(text, "text"))
    assert claims["The council met on Monday."][1] is None  # before the first answer: the story's


def test_labels_heading_sections_are_no_interview() -> None:
    """`Ruiz: Hold the line.` over the story's paragraphs about her: a headed list of who wants
    what, in the reporter's words, not a transcript."""
    text = ("What each side wants\n\n"
            "Ruiz: Hold the line.\n\nThe mayor has said for months that fares must not rise before the vote.\n\n"
            "Lind: Raise fares now.\n\nThe council leader wants the rise in May to pay for new ferries.\n\n"
            "Park: Wait and see.\n\nThe treasurer will decide after the audit in June.\n")
    assert interview.turns(load.load_text(text)) == []


def test_a_label_ending_in_a_word_that_names_no_speaker_opens_no_turn() -> None:
    text = ("Council hearing\n\nVideo Transcript:\n\nThe council met on Monday.\n\n"
            "ANA RUIZ: Fares will rise by 5 percent in May.\n\nBO LIND: Riders will pay 12 million euros more.\n")
    assert [t.speaker for t in interview.turns(load.load_text(text))] == ["ANA RUIZ", "BO LIND"]


UNNAMED = """Q&A with harbor master Ana Ruiz

Ana Ruiz has run the port of Salem since 2019. Answers have been edited for length.

Q: Why did fares rise this year?

A: The fuel bill doubled in 2025. We had no other way to pay for it.

Q: Will they fall again?

A: Fares will fall by 5 percent in May, when the new ferries arrive.
"""


def test_unnamed_answers_are_the_person_the_article_names_first() -> None:
    claims = _claims(_report(UNNAMED, "text"))
    assert claims["The fuel bill doubled in 2025."][1] == "Ana Ruiz"
    assert claims["Fares will fall by 5 percent in May, when the new ferries arrive."][1] == "Ana Ruiz"


def test_unnamed_answers_after_no_person_are_nobodys() -> None:
    # not firing: nobody is named before the first question (a later name is no interviewee)
    text = UNNAMED.replace("Q&A with harbor master Ana Ruiz", "Five questions on fares").replace(
        "Ana Ruiz has run the port of Salem since 2019. ", "") + "\nQ: Thank you.\n\nA: Thank Bo Lind for me.\n"
    claims = _claims(_report(text, "text"))
    assert claims["The fuel bill doubled in 2025."][1] is None


# --------------------------------------------------------------------------- answers as quotations


TRANSCRIPT = """Interview with Dana Whitfield

Q: Is Kestrel 4 really the best coding model?

DANA WHITFIELD: On the benchmarks we ran, yes. Customers should test it on their own code.

Q: What about the cost?

DANA WHITFIELD: It is cheaper than the last model. We cut prices by 30 percent.
"""


def _checked(text: str, transcript: str) -> Report:
    from verifier.ingest.sources import SourceDoc

    article = load.load_text(text, path="draft.md", fmt="markdown")
    return pipeline.check_article(article, Settings(engine="rules"),
                                  source_docs=[SourceDoc(path="transcript.txt", text=transcript)])


def test_each_answer_is_a_direct_quotation_of_its_speaker_checked_against_the_transcript() -> None:
    report = _checked(QA, TRANSCRIPT)
    answers = [(q.text, q.kind, q.speaker, q.cue, q.speaker_mention, str(q.source_check.status))
               for q in report.quotes]
    assert answers == [
        ("On the benchmarks we ran, yes. Customers should test it on their own code.", "direct",
         "Dana Whitfield", ":", "Whitfield", "verbatim"),
        ("It is cheaper than the last model. We cut prices by 40 percent.", "direct",
         "Dana Whitfield", ":", "Whitfield", "altered"),
    ]
    altered = [f for f in report.findings if f.rule == "quote-altered"]
    assert len(altered) == 1 and "40 -> 30" in altered[0].message
    for quote in report.quotes:  # the answer's own words, the label left out
        assert QA[quote.span.start:quote.span.end] == quote.span.text and not quote.span.text.startswith("*")
        assert quote.speaker_span is not None and quote.speaker_span.text == "Whitfield"


def test_an_answer_holding_a_quotation_leaves_it_to_the_quote_finder() -> None:
    # not firing: the answer quotes someone, so its words are not all the speaker's own
    text = QA.replace("It is cheaper than the last model.", "My CFO called it “cheaper than the last model.”")
    quotes = _report(text).quotes
    assert [(q.text, q.kind) for q in quotes][1] == ("cheaper than the last model.", "partial")
    assert not any(q.text.startswith("My CFO") for q in quotes)


def test_questions_and_a_story_without_labels_have_no_answers() -> None:
    assert not any(q.text.startswith(("Is Kestrel", "What about")) for q in _report(QA).quotes)
    assert _report("Fares rise\n\nThe council voted on Monday to raise fares by 5 percent.\n", "text").quotes == []


def test_a_chinese_interview_with_full_width_colons() -> None:
    text = ("专访港口负责人林晓峰\n\n港口负责人林晓峰日前接受本报专访。\n\n记者：票价会不会上涨？\n\n"
            "林晓峰：票价明年将上涨百分之五。\n\n记者：为什么？\n\n林晓峰：燃料成本翻了一倍。\n")
    report = _report(text, "text")
    assert _claims(report)["票价明年将上涨百分之五。"] == (["attributed"], "林晓峰")
    assert [(q.text, q.speaker) for q in report.quotes] == [("票价明年将上涨百分之五。", "林晓峰"),
                                                            ("燃料成本翻了一倍。", "林晓峰")]
    assert not any(c.text.startswith(("记者", "林晓峰：")) for c in report.claims)


def test_an_answer_with_apostrophes_is_still_a_quotation_and_stage_directions_are_none() -> None:
    text = ("Talk of the port\n\nAna Ruiz runs the port of Salem.\n\nQ: Why did fares rise?\n\n"
            "RUIZ: It’s the fuel bill. We’ll raise fares by 5 percent.\n\n(LAUGHTER)\n\n…\n\n"
            "Q: And next year?\n\nRUIZ: Fares won’t rise again.\n")
    quotes = [(q.text, q.speaker) for q in _report(text, "text").quotes]
    assert quotes == [("It’s the fuel bill. We’ll raise fares by 5 percent.", "Ana Ruiz"),
                      ("Fares won’t rise again.", "Ana Ruiz")]
