"""Quotes checked word for word against sources: every status, diffs, spans and findings."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verifier import vocab
from verifier.ingest.sources import SourceDoc, load_source
from verifier.model.catalog import default_severity
from verifier.model.schema import Article, Quote, SourceCheck
from verifier.stages import sourcecheck

FIXTURES = Path(__file__).parent / "fixtures" / "sources"


def source(name: str) -> SourceDoc:
    return load_source(str(FIXTURES / name))


def make_quote(draft: str, *parts: str, speaker: str | None = None, kind: str = "direct",
               qid: str = "Q1") -> tuple[Article, Quote]:
    """A quote built by hand from the stretches `parts` of `draft` (as quotes.py would)."""
    article = Article(path="draft.txt", raw=draft, text=draft)
    ranges = []
    for part in parts:
        start = draft.index(part)
        ranges.append((start, start + len(part)))
    quote = Quote(id=qid, text=" ".join(parts), span=article.span(ranges[0][0], ranges[-1][1]),
                  kind=kind, speaker=speaker, parts=[article.span(a, b) for a, b in ranges])
    return article, quote


def check(draft: str, *parts: str, docs: list[SourceDoc], speaker: str | None = None,
          kind: str = "direct") -> tuple[Quote, list]:
    article, quote = make_quote(draft, *parts, speaker=speaker, kind=kind)
    (checked,), findings = sourcecheck.check_quotes(article, [quote], docs)
    assert quote.source_check.status == "unchecked"  # the quote given is left as it was
    return checked, findings


@pytest.fixture
def briefing() -> list[SourceDoc]:
    return [source("briefing_transcript.txt")]


# --------------------------------------------------------------------------- no sources


def test_without_sources_every_quote_stays_unchecked() -> None:
    article, quote = make_quote("“We will not raise prices,” Olsen said.", "We will not raise prices,",
                                speaker="Marta Olsen")
    assert sourcecheck.check_quotes(article, [quote], []) == ([quote], [])
    assert quote.source_check.status == "unchecked"
    assert quote.source_check.source is None


# --------------------------------------------------------------------------- verbatim


def test_curly_marks_verbatim_with_span_in_the_source_file(briefing: list[SourceDoc]) -> None:
    quote, findings = check("“We will not raise prices this year,” Olsen said.",
                            "We will not raise prices this year,", docs=briefing,
                            speaker="Marta Olsen")
    check_ = quote.source_check
    assert check_.status == "verbatim" and findings == []
    assert check_.similarity == 1.0 and check_.diff is None
    assert check_.source == str(FIXTURES / "briefing_transcript.txt")
    span = check_.source_span
    assert span is not None
    text = (FIXTURES / "briefing_transcript.txt").read_text(encoding="utf-8")
    assert text[span.start:span.end] == span.text == "we will not raise prices this year"
    line = text.splitlines()[span.line - 1]
    assert line[span.column - 1:].startswith("we will not raise")


def test_straight_marks_and_sentence_case_are_verbatim(briefing: list[SourceDoc]) -> None:
    # The source has "...the longest\nit has ever been." mid-sentence: a capital first letter,
    # a line break and the closing comma are how quotes are written, not differences.
    quote, findings = check('"The backlog is the longest it has ever been," Olsen said.',
                            "The backlog is the longest it has ever been,", docs=briefing,
                            speaker="Marta Olsen")
    assert quote.source_check.status == "verbatim", quote.source_check
    assert findings == []


def test_split_quote_is_checked_as_the_words_the_speaker_said(briefing: list[SourceDoc]) -> None:
    draft = ("“The Aalborg line opens in September,” Olsen said, “and it will double our output "
             "of Harrier units by the end of next year.”")
    quote, findings = check(draft, "The Aalborg line opens in September,",
                            "and it will double our output of Harrier units by the end of next year.",
                            docs=briefing, speaker="Marta Olsen")
    assert quote.source_check.status == "verbatim" and findings == []
    span = quote.source_check.source_span
    assert span is not None and span.text.startswith("The Aalborg line")
    assert span.text.endswith("end of next year")


# --------------------------------------------------------------------------- altered


def test_one_word_swap_is_altered_with_diff_and_source_location(briefing: list[SourceDoc]) -> None:
    quote, findings = check("“We can not raise prices this year,” Olsen said.",
                            "We can not raise prices this year,", docs=briefing,
                            speaker="Marta Olsen")
    assert quote.source_check.status == "altered"
    assert quote.source_check.diff == "can -> will"
    assert 0.6 <= (quote.source_check.similarity or 0) < 1
    [finding] = findings
    assert finding.rule == "quote-altered" and finding.severity == "error"
    assert finding.quote_id == "Q1" and finding.span == quote.span
    span = quote.source_check.source_span
    assert span is not None
    where = f"briefing_transcript.txt:{span.line}:{span.column}"
    assert where in finding.message and "can -> will" in finding.message
    assert finding.suggestion and "we will not raise prices this year" in finding.suggestion


def test_dropped_negation_is_altered_and_called_out(briefing: list[SourceDoc]) -> None:
    quote, findings = check("“We will raise prices this year,” Olsen said.",
                            "We will raise prices this year,", docs=briefing, speaker="Marta Olsen")
    assert quote.source_check.status == "altered"
    assert quote.source_check.diff == "- not"
    assert "drops 'not'" in findings[0].message


def test_added_word_is_altered(briefing: list[SourceDoc]) -> None:
    quote, _ = check("“Margins improved by two full points,” Ibarra said.",
                     "Margins improved by two full points,", docs=briefing, speaker="Rafael Ibarra")
    assert quote.source_check.status == "altered"
    assert quote.source_check.diff == "+ full"


_RATES = "ANA RUIZ: Thank you all. We will not raise rates this quarter or next. Thank you.\n"


@pytest.mark.parametrize(("said", "diff", "restored"), [
    # a word the quote adds at its end or start is the quote's, not a swap for the source's next
    # sentence or the one before it
    ("We will not raise rates this quarter or next year,", "+ year",
     "We will not raise rates this quarter or next"),
    ("Really, we will not raise rates this quarter or next,", "+ Really",
     "We will not raise rates this quarter or next"),
])
def test_a_word_added_at_a_quotes_edge_is_not_paired_across_a_source_sentence_end(
        said: str, diff: str, restored: str) -> None:
    doc = SourceDoc(path="t.txt", text=_RATES)
    quote, findings = check(f"“{said}” said Ana Ruiz.", said, docs=[doc], speaker="Ana Ruiz")
    assert quote.source_check.status == "altered" and quote.source_check.diff == diff
    assert findings[0].suggestion == f'Restore the source\'s words: "{restored}"'


def test_a_changed_word_after_a_sentence_end_the_quote_has_too_stays_a_swap() -> None:
    doc = SourceDoc(path="t.txt", text=_RATES)
    said = "We will not raise rates this quarter or next. Thanks,"
    quote, _ = check(f"“{said}” said Ana Ruiz.", said, docs=[doc], speaker="Ana Ruiz")
    assert quote.source_check.diff == "Thanks -> Thank"


def test_changed_word_in_the_second_part_of_a_split_quote(briefing: list[SourceDoc]) -> None:
    draft = ("“The Aalborg line opens in September,” Olsen said, “and it will triple our output "
             "of Harrier units.”")
    quote, _ = check(draft, "The Aalborg line opens in September,",
                     "and it will triple our output of Harrier units.", docs=briefing,
                     speaker="Marta Olsen")
    assert quote.source_check.status == "altered"
    assert quote.source_check.diff == "triple -> double"


# --------------------------------------------------------------------------- minor differences


def test_ellipsis_for_omitted_words_is_minor(briefing: list[SourceDoc]) -> None:
    quote, findings = check(
        "“Margins improved by two points ... but we are cautious about freight costs,” Ibarra said.",
        "Margins improved by two points ... but we are cautious about freight costs,",
        docs=briefing, speaker="Rafael Ibarra")
    assert quote.source_check.status == "minor_difference"
    assert quote.source_check.diff == "… for 8 omitted words"
    [finding] = findings
    assert finding.rule == "quote-minor-difference" and finding.severity == "info"
    assert "briefing_transcript.txt:11:" in finding.message


def test_ellipsis_whose_parts_are_not_in_order_is_not_minor(briefing: list[SourceDoc]) -> None:
    quote, _ = check(
        "“We are cautious about freight costs ... margins improved by two points,” Ibarra said.",
        "We are cautious about freight costs ... margins improved by two points,",
        docs=briefing, speaker="Rafael Ibarra")
    assert quote.source_check.status == "altered"  # both parts are in the source, out of order


def test_bracketed_clarification_is_minor(briefing: list[SourceDoc]) -> None:
    quote, findings = check(
        "“[Kestrel] shipped the Harrier sensor to eleven new customers,” Olsen said.",
        "[Kestrel] shipped the Harrier sensor to eleven new customers,", docs=briefing,
        speaker="Marta Olsen")
    assert quote.source_check.status == "minor_difference"
    assert quote.source_check.diff == "[Kestrel] for we"
    assert findings[0].rule == "quote-minor-difference"


def test_punctuation_and_dash_differences_are_minor() -> None:
    docs = [source("statement.html")]
    quote, findings = check(
        "“The outage was caused by a failed valve - not by contamination,” Levesque said.",
        "The outage was caused by a failed valve - not by contamination,", docs=docs,
        speaker="Hugo Levesque")
    assert quote.source_check.status == "minor_difference"
    assert quote.source_check.diff == "punctuation: 'valve -' -> 'valve,'"
    assert findings[0].severity == "info"


def test_case_difference_inside_a_quote_is_minor(briefing: list[SourceDoc]) -> None:
    quote, _ = check("“We shipped the HARRIER sensor to eleven new customers,” Olsen said.",
                     "We shipped the HARRIER sensor to eleven new customers,", docs=briefing,
                     speaker="Marta Olsen")
    assert quote.source_check.status == "minor_difference"
    assert (quote.source_check.diff or "").startswith("case:")


def test_short_partial_quote_is_at_most_minor(briefing: list[SourceDoc]) -> None:
    quote, findings = check("Olsen said the backlog was “the longest ever”.", "the longest ever",
                            docs=briefing, speaker="Marta Olsen", kind="partial")
    assert quote.source_check.status == "minor_difference"
    assert [f.rule for f in findings] == ["quote-minor-difference"]


def test_short_partial_quote_whose_words_are_absent_is_not_found(briefing: list[SourceDoc]) -> None:
    quote, findings = check("Olsen called the quarter “a triumph”.", "a triumph",
                            docs=briefing, speaker="Marta Olsen", kind="partial")
    assert quote.source_check.status == "not_found"
    assert findings[0].rule == "quote-not-in-source"


# --------------------------------------------------------------------------- not found


def test_quote_in_no_source_is_not_found_and_names_the_sources(briefing: list[SourceDoc]) -> None:
    docs = briefing + [source("release.md")]
    quote, findings = check("“The gap with our rivals is closing fast,” Olsen said.",
                            "The gap with our rivals is closing fast,", docs=docs,
                            speaker="Marta Olsen")
    assert quote.source_check.status == "not_found"
    assert quote.source_check.source_span is None
    [finding] = findings
    assert finding.rule == "quote-not-in-source"
    assert finding.severity == default_severity("quote-not-in-source") == "error"
    assert "briefing_transcript.txt" in finding.message and "release.md" in finding.message


# --------------------------------------------------------------------------- speakers


def test_words_of_another_speaker_are_a_speaker_mismatch(briefing: list[SourceDoc]) -> None:
    quote, findings = check(
        "“Gallium is the one input that keeps me awake at night,” Olsen said.",
        "Gallium is the one input that keeps me awake at night,", docs=briefing,
        speaker="Marta Olsen")
    assert quote.source_check.status == "speaker_mismatch"
    assert quote.source_check.diff == "speaker: Marta Olsen -> RAFAEL IBARRA"
    [finding] = findings
    assert finding.rule == "quote-speaker-mismatch" and finding.severity == "error"
    assert "RAFAEL IBARRA" in finding.message and "briefing_transcript.txt:23:" in finding.message


def test_the_credited_speaker_matches_a_shorter_label_or_the_org(briefing: list[SourceDoc]) -> None:
    for speaker in ("Rafael Ibarra", "Mr. Ibarra", "Kestrel Dynamics"):
        quote, findings = check("“Margins improved by two points,” he said.",
                                "Margins improved by two points,", docs=briefing, speaker=speaker)
        assert quote.source_check.status == "verbatim", speaker
        assert findings == []


def test_unnamed_or_described_speaker_is_not_a_mismatch(briefing: list[SourceDoc]) -> None:
    for speaker in (None, "a company spokesperson"):
        quote, _ = check("“Margins improved by two points,” someone said.",
                         "Margins improved by two points,", docs=briefing, speaker=speaker)
        assert quote.source_check.status == "verbatim"


def test_same_words_said_twice_prefer_the_credited_speaker() -> None:
    doc = SourceDoc(path="panel.txt", text=(
        "HANNA KORR: We are ready for the winter.\n\n"
        "OSKAR BLOM: I agree. We are ready for the winter.\n"))
    quote, _ = check("“We are ready for the winter,” Blom said.", "We are ready for the winter,",
                     docs=[doc], speaker="Oskar Blom")
    assert quote.source_check.status == "verbatim"
    assert quote.source_check.source_span is not None
    assert quote.source_check.source_span.line == 3


def test_interview_answers_belong_to_the_named_interviewee() -> None:
    docs = [source("interview_qa.txt")]
    quote, _ = check("“We left because the consortium stopped listening to smaller members,” "
                     "Whitfield said.",
                     "We left because the consortium stopped listening to smaller members,",
                     docs=docs, speaker="Dana Whitfield")
    assert quote.source_check.status == "verbatim"
    quote, findings = check("“Do you regret it?” Whitfield asked.", "Do you regret it?",
                            docs=docs, speaker="Dana Whitfield")
    assert quote.source_check.status == "speaker_mismatch"
    assert "Tomas Brandt" in findings[0].message



# --------------------------------------------------------------------------- one speaker's turn


def test_a_quote_is_not_matched_across_two_turns() -> None:
    doc = SourceDoc(path="t.txt", text="A: The bill would cost\nQ: John said\n")
    quote, _ = check("“The bill would cost m,” she said.", "The bill would cost m,", docs=[doc])
    check_ = quote.source_check
    assert check_.status == "altered"
    assert check_.source_span is not None
    assert check_.source_span.text == "The bill would cost"
    assert check_.diff == "+ m"
    assert "John" not in check_.diff


def test_words_said_across_a_turn_boundary_are_not_verbatim() -> None:
    doc = SourceDoc(path="t.txt", text=(
        "MAYOR LENA VOSS: We will build the bridge\n"
        "REPORTER: next year?\n"
        "MAYOR LENA VOSS: The bridge opens in the spring.\n"))
    quote, _ = check("“We will build the bridge next year,” Voss said.",
                     "We will build the bridge next year,", docs=[doc], speaker="Lena Voss")
    assert quote.source_check.status == "altered"
    assert quote.source_check.source_span is not None
    assert quote.source_check.source_span.text == "We will build the bridge"
    assert quote.source_check.source_span.line == 1


def test_a_quote_inside_one_turn_between_others_is_verbatim() -> None:
    doc = SourceDoc(path="t.txt", text=(
        "Q: Who pays for it?\n"
        "A: Taxpayers will pay for all of it.\n"
        "Q: All of it?\n"))
    quote, _ = check("“Taxpayers will pay for all of it,” she said.",
                     "Taxpayers will pay for all of it,", docs=[doc])
    assert quote.source_check.status == "verbatim"
    assert quote.source_check.source_span is not None
    assert quote.source_check.source_span.text == "Taxpayers will pay for all of it"
    assert quote.source_check.source_span.line == 2


def _olsen_split_quote(doc: SourceDoc) -> SourceCheck:
    """The source check of a split quote of two parts, credited to Marta Olsen, against `doc`."""
    draft = ("“The harbour will close in March,” Olsen said. "
             "“The ferries will run from the north pier instead.”")
    quote, _ = check(draft, "The harbour will close in March,",
                     "The ferries will run from the north pier instead.",
                     docs=[doc], speaker="Marta Olsen")
    return quote.source_check


def test_split_quote_far_apart_in_one_long_turn() -> None:
    filler = " ".join(f"word{i}" for i in range(1500))
    doc = SourceDoc(path="t.txt", text=(
        "REPORTER: Tell us about the plan.\n"
        f"MARTA OLSEN: The harbour will close in March, {filler} "
        "The ferries will run from the north pier instead.\n"
        "REPORTER: Thank you.\n"))
    check_ = _olsen_split_quote(doc)
    assert (check_.status, check_.similarity) == ("minor_difference", 1.0)
    assert check_.diff == "the split quote's parts are 1500 words apart in the source"
    assert check_.source_span is not None
    assert (check_.source_span.line, check_.source_span.end_line) == (2, 2)
    assert check_.source_span.text.endswith("from the north pier instead")


def test_second_part_of_a_split_quote_is_not_taken_from_the_next_turn() -> None:
    filler = " ".join(f"word{i}" for i in range(1500))
    doc = SourceDoc(path="t.txt", text=(
        f"MARTA OLSEN: The harbour will close in March. {filler}\n"
        "PIET DEKKER: The ferries will run from the north pier instead.\n"))
    check_ = _olsen_split_quote(doc)
    # the larger part is found in Dekker's turn; the first part is not looked for in Olsen's
    assert (check_.status, check_.diff) == ("altered", "+ The harbour will close in March")
    assert check_.source_span is not None
    assert check_.source_span.text == "The ferries will run from the north pier instead"

# --------------------------------------------------------------------------- Chinese


def test_chinese_quote_in_corner_brackets_verbatim() -> None:
    docs = [source("transcript_zh.txt")]
    quote, findings = check("周明远说：「我们今年的目标是把芯片的能耗降低一半。」",
                            "我们今年的目标是把芯片的能耗降低一半。", docs=docs, speaker="周明远")
    assert quote.source_check.status == "verbatim" and findings == []
    span = quote.source_check.source_span
    assert span is not None and span.text == "我们今年的目标是把芯片的能耗降低一半"
    assert (span.line, span.column) == (5, 5)


def test_chinese_quote_in_curly_marks_with_a_changed_word() -> None:
    docs = [source("transcript_zh.txt")]
    quote, findings = check("周明远表示：“我们今年的目标是把芯片的能耗降低三成。”",
                            "我们今年的目标是把芯片的能耗降低三成。", docs=docs, speaker="周明远")
    assert quote.source_check.status == "altered"
    assert quote.source_check.diff == "三成 -> 一半"
    assert findings[0].rule == "quote-altered"


def test_chinese_quote_said_by_another_speaker() -> None:
    docs = [source("transcript_zh.txt")]
    quote, _ = check("林晓雯说：「我们不会放弃海外市场。」", "我们不会放弃海外市场。", docs=docs,
                     speaker="林晓雯")
    assert quote.source_check.status == "speaker_mismatch"


def test_chinese_dropped_negation() -> None:
    docs = [source("transcript_zh.txt")]
    quote, findings = check("周明远说：「我们会放弃海外市场。」", "我们会放弃海外市场。", docs=docs,
                            speaker="周明远")
    assert quote.source_check.status == "altered"
    assert quote.source_check.diff == "- 不"
    assert "reverses the meaning" in findings[0].message


# --------------------------------------------------------------------------- formats, several sources


def test_markdown_emphasis_in_the_source_is_not_a_difference() -> None:
    quote, findings = check("“Leeds gives us access to exceptional engineering talent,” she said.",
                            "Leeds gives us access to exceptional engineering talent,",
                            docs=[source("release.md")], speaker="Priya Ramsden")
    assert quote.source_check.status == "verbatim" and findings == []
    assert quote.source_check.source_span is not None
    assert "**exceptional**" in quote.source_check.source_span.text


def test_html_source_span_points_into_the_raw_file() -> None:
    doc = source("statement.html")
    quote, _ = check("“Water from the Millbrook plant is safe to drink,” Levesque said.",
                     "Water from the Millbrook plant is safe to drink,", docs=[doc],
                     speaker="Hugo Levesque")
    span = quote.source_check.source_span
    assert quote.source_check.status == "verbatim" and span is not None
    assert doc.text[span.start:span.end] == span.text == "Water from the\nMillbrook plant is safe to drink"


def test_the_source_that_holds_the_quote_is_chosen() -> None:
    docs = [source(n) for n in ("briefing_transcript.txt", "release.md", "interview_qa.txt")]
    quote, _ = check("“The office is not a sales outpost,” Ramsden said.",
                     "The office is not a sales outpost,", docs=docs, speaker="Priya Ramsden")
    assert quote.source_check.status == "verbatim"
    assert (quote.source_check.source or "").endswith("release.md")


def test_index_is_built_once_for_the_same_sources(briefing: list[SourceDoc]) -> None:
    assert sourcecheck.index_for(briefing) is sourcecheck.index_for(list(briefing))
    other = briefing + [source("release.md")]
    assert sourcecheck.index_for(other) is not sourcecheck.index_for(briefing)


def test_several_quotes_get_their_own_results(briefing: list[SourceDoc]) -> None:
    draft = ("“We will not raise prices this year,” Olsen said. “Margins improved by three points,” "
             "Ibarra said.")
    article, q1 = make_quote(draft, "We will not raise prices this year,", speaker="Marta Olsen")
    _, q2 = make_quote(draft, "Margins improved by three points,", speaker="Rafael Ibarra", qid="Q2")
    (c1, c2), findings = sourcecheck.check_quotes(article, [q1, q2], briefing)
    assert [c1.source_check.status, c2.source_check.status] == ["verbatim", "altered"]
    assert [f.quote_id for f in findings] == ["Q2"]
    assert c2.source_check.diff == "three -> two"
    assert (c1.id, c2.id) == ("Q1", "Q2") and c2.text == q2.text
    assert q1.source_check.status == q2.source_check.status == "unchecked"  # not changed in place


# --------------------------------------------------------------------------- where the diff's words are


def marked(quote: Quote) -> tuple[list[str], list[str]]:
    """The words `source_check.marks` points at: in the quote's text, and in the source passage."""
    sc = quote.source_check
    assert sc.marks is not None and sc.source_span is not None
    return ([quote.text[a:b] for a, b in sc.marks.draft],
            [sc.source_span.text[a:b] for a, b in sc.marks.source])


def test_marks_point_at_the_words_of_the_diff(briefing: list[SourceDoc]) -> None:
    swapped, _ = check("“We can not raise prices this year,” Olsen said.",
                       "We can not raise prices this year,", docs=briefing, speaker="Marta Olsen")
    assert swapped.source_check.diff == "can -> will" and marked(swapped) == (["can"], ["will"])
    dropped, _ = check("“We will raise prices this year,” Olsen said.",
                       "We will raise prices this year,", docs=briefing, speaker="Marta Olsen")
    assert dropped.source_check.diff == "- not" and marked(dropped) == ([], ["not"])
    added, _ = check("“Margins improved by two full points,” Ibarra said.",
                     "Margins improved by two full points,", docs=briefing, speaker="Rafael Ibarra")
    assert added.source_check.diff == "+ full" and marked(added) == (["full"], [])


def test_marks_in_the_second_part_of_a_split_quote(briefing: list[SourceDoc]) -> None:
    draft = ("“The Aalborg line opens in September,” Olsen said, “and it will triple our output "
             "of Harrier units.”")
    quote, _ = check(draft, "The Aalborg line opens in September,",
                     "and it will triple our output of Harrier units.", docs=briefing,
                     speaker="Marta Olsen")
    assert marked(quote) == (["triple"], ["double"])


def test_marks_of_chinese_words_and_of_a_source_read_from_html() -> None:
    quote, _ = check("周明远表示：“我们今年的目标是把芯片的能耗降低三成。”",
                     "我们今年的目标是把芯片的能耗降低三成。", docs=[source("transcript_zh.txt")],
                     speaker="周明远")
    assert marked(quote) == (["三成"], ["一半"])
    quote, _ = check("“Water from the Millbrook plant is fit to drink,” Levesque said.",
                     "Water from the Millbrook plant is fit to drink,", docs=[source("statement.html")],
                     speaker="Hugo Levesque")
    assert quote.source_check.diff == "fit -> safe" and marked(quote) == (["fit"], ["safe"])


def test_marks_are_empty_for_a_verbatim_quote_and_absent_for_an_unchecked_one(
        briefing: list[SourceDoc]) -> None:
    verbatim, _ = check("“We will not raise prices this year,” Olsen said.",
                        "We will not raise prices this year,", docs=briefing, speaker="Marta Olsen")
    assert marked(verbatim) == ([], [])
    _, unchecked = make_quote("“We will not raise prices,” Olsen said.", "We will not raise prices,")
    assert unchecked.source_check.marks is None
    assert "marks" not in unchecked.model_dump(mode="json")["source_check"]  # reports without sources unchanged
    assert '"marks":{"draft":[],"source":[]}' in verbatim.model_dump_json()


# --------------------------------------------------------------------------- end to end


WIRE = FIXTURES / "wire"


def test_cli_draft_rewritten_from_a_wire_story() -> None:
    from verifier.cli.cli import app

    result = CliRunner().invoke(app, ["check", str(WIRE / "draft.md"), "--engine", "rules",
                                      "--source", str(WIRE / "original.txt"), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    checks = {q["text"].split()[0]: q["source_check"] for q in report["quotes"]}
    assert checks["Every"]["status"] == "verbatim"
    assert checks["This"]["status"] == "verbatim"
    altered = checks["We"]
    assert altered["status"] == "altered" and altered["diff"] == "will -> can"
    assert altered["source_span"]["line"] == 12
    assert altered["source_span"]["text"] == "We can build the first four ships in Scotland"
    rules = [f["rule"] for f in report["findings"] if f["rule"].startswith("quote-")
             and f["rule"] != "quote-unattributed"]
    assert rules == ["quote-altered"]


def test_cli_without_sources_leaves_quotes_unchecked() -> None:
    from verifier.cli.cli import app

    result = CliRunner().invoke(app, ["check", str(WIRE / "draft.md"), "--engine", "rules",
                                      "--format", "json"])
    report = json.loads(result.stdout)
    assert report["quotes"]
    assert {q["source_check"]["status"] for q in report["quotes"]} == {"unchecked"}
    assert not [f for f in report["findings"] if f["rule"] in
                ("quote-altered", "quote-not-in-source", "quote-speaker-mismatch",
                 "quote-minor-difference")]


def test_cli_missing_source_exits_2_naming_it(tmp_path: Path) -> None:
    from verifier.cli.cli import app

    missing = tmp_path / "no-such-transcript.txt"
    result = CliRunner().invoke(app, ["check", str(WIRE / "draft.md"), "--engine", "rules",
                                      "--source", str(missing)])
    assert result.exit_code == 2
    assert "no-such-transcript.txt" in result.output


def test_common_words_before_an_ellipsis_are_placed_next_to_the_rare_ones() -> None:
    # "we will do it" occurs hundreds of times; only the words after the ellipsis say where.
    filler = "MODERATOR: And we said that we will do it again.\n\n" * 400
    doc = SourceDoc(path="long.txt", text=filler + "SIGRID HALE: We will do it, because the "
                    "Vardø shipyard is ready.\n\n" + filler)
    quote, _ = check("“We will do it ... the Vardø shipyard is ready,” Hale said.",
                     "We will do it ... the Vardø shipyard is ready,", docs=[doc],
                     speaker="Sigrid Hale")
    assert quote.source_check.status == "minor_difference"
    assert quote.source_check.diff == "… for 1 omitted word"
    span = quote.source_check.source_span
    assert span is not None and span.line == 801
    assert span.text == "We will do it, because the Vardø shipyard is ready"


def test_cli_front_matter_and_sibling_folder_sources(tmp_path: Path) -> None:
    from verifier.cli.cli import app

    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "call.txt").write_text(
        "HANNA KORR: The harbour dredging starts in April.\n\n"
        "OSKAR BLOM: We have set aside nine million for it.\n", encoding="utf-8")
    (tmp_path / "story.sources").mkdir()
    (tmp_path / "story.sources" / "release.md").write_text(
        "# Release\n\nThe port authority said: “Traffic is up by a **fifth** this year.”\n",
        encoding="utf-8")
    (tmp_path / "story.md").write_text(
        "---\ntitle: Harbour works\nsources:\n  - notes/call.txt\n---\n\n"
        "“The harbour dredging starts in May,” Hanna Korr said.\n\n"
        "“Traffic is up by a fifth this year,” said Ines Varga, a port authority spokeswoman.\n",
        encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "story.md"), "--engine", "rules",
                                      "--format", "json"])
    report = json.loads(result.stdout)
    checks = [(q["source_check"]["status"], Path(q["source_check"]["source"] or "").name,
               q["source_check"]["diff"]) for q in report["quotes"]]
    assert checks == [("altered", "call.txt", "May -> April"), ("verbatim", "release.md", None)]
    assert result.exit_code == 1


def test_split_quote_parts_are_read_from_an_html_article() -> None:
    raw = "<p>“<b>We will</b> lead,” he said, “<i>and win</i>.”</p>"
    text, offsets = "", []
    inside = False
    for i, ch in enumerate(raw):  # the visible text, each character mapped back to `raw`
        if ch == "<":
            inside = True
        elif ch == ">":
            inside = False
        elif not inside:
            text += ch
            offsets.append(i)
    article = Article(path="s.html", raw=raw, text=text, format="html", raw_offsets=offsets)
    first, second = text.index("We will lead,"), text.index("and win.")
    parts = [article.span(first, first + 13), article.span(second, second + 8)]
    quote = Quote(id="Q1", text="We will lead, and win.", span=article.span(first, second + 8),
                  kind="direct", speaker=None, parts=parts)
    assert sourcecheck.quote_parts(article, quote) == ["We will lead,", "and win."]


def test_negation_swapped_inside_a_changed_word_is_called_out() -> None:
    doc = SourceDoc(path="t.txt", text="BRIDGET ONU: We can't promise a date for the bridge.\n\n"
                    "PAVEL DRAGO: We will open the tunnel in June.\n")
    quote, findings = check("“We can promise a date for the bridge,” Onu said.",
                            "We can promise a date for the bridge,", docs=[doc], speaker="Bridget Onu")
    assert quote.source_check.diff == "can -> can't"
    assert "drops 'can't'" in findings[0].message
    quote, findings = check("“We will never open the tunnel in June,” Drago said.",
                            "We will never open the tunnel in June,", docs=[doc], speaker="Pavel Drago")
    assert quote.source_check.diff == "+ never"
    assert "adds 'never'" in findings[0].message
    quote, findings = check("“We won't promise a date for the bridge,” Onu said.",
                            "We won't promise a date for the bridge,", docs=[doc], speaker="Bridget Onu")
    assert quote.source_check.diff == "won't -> can't"
    assert "reverses" not in findings[0].message


# --------------------------------------------------------------------------- prose sources: the quote finder reads who said it


def _prose(text: str, name: str = "release.txt") -> list[SourceDoc]:
    return [SourceDoc(path=name, text=text)]


RELEASE = ("Roof repairs begin\n\n"
           "“The roof leaks in every storm,” said Ben Okafor, the building manager.\n\n"
           "The council will vote on the repairs on Friday.\n")


def test_prose_source_quote_credited_to_another_person_is_a_speaker_mismatch() -> None:
    quote, findings = check("“The roof leaks in every storm,” Ana Ruiz said.", "The roof leaks in every storm,",
                            docs=_prose(RELEASE), speaker="Ana Ruiz")
    assert quote.source_check.status == "speaker_mismatch"
    assert quote.source_check.diff == "speaker: Ana Ruiz -> Ben Okafor"
    assert findings[0].rule == "quote-speaker-mismatch"


def test_prose_source_quote_credited_to_the_same_person_is_verbatim() -> None:
    quote, findings = check("“The roof leaks in every storm,” Okafor said.", "The roof leaks in every storm,",
                            docs=_prose(RELEASE), speaker="Ben Okafor")
    assert quote.source_check.status == "verbatim" and findings == []


def test_prose_source_words_outside_any_quote_have_no_speaker_to_mismatch() -> None:
    quote, _ = check("“The council will vote on the repairs on Friday,” Ana Ruiz said.",
                     "The council will vote on the repairs on Friday,", docs=_prose(RELEASE), speaker="Ana Ruiz")
    assert quote.source_check.status == "verbatim" and quote.source_check.diff is None


def test_prose_source_quote_by_a_description_is_no_mismatch() -> None:
    release = "Roof repairs\n\n“The roof leaks in every storm,” the company said.\n"
    quote, _ = check("“The roof leaks in every storm,” Ana Ruiz said.", "The roof leaks in every storm,",
                     docs=_prose(release), speaker="Ana Ruiz")
    assert quote.source_check.status != "speaker_mismatch"


def test_chinese_prose_source_reads_the_speaker_after_the_quote() -> None:
    release = "星河智能新闻稿\n\n「天枢二号明年量产。」首席执行官林晓峰表示。\n"
    quote, _ = check("王丽说：「天枢二号明年量产。」", "天枢二号明年量产。", docs=_prose(release), speaker="王丽")
    assert quote.source_check.status == "speaker_mismatch"
    quote, _ = check("林晓峰说：「天枢二号明年量产。」", "天枢二号明年量产。", docs=_prose(release), speaker="林晓峰")
    assert quote.source_check.status == "verbatim"


@pytest.mark.parametrize("word", [*vocab.words("negation"), *vocab.words("negation", "chinese")])
def test_every_negation_a_quote_drops_is_called_out(word: str) -> None:
    """The one negation list (vocab/negation.yaml): a quote that leaves out any of its words is
    altered and says so; leaving out another word is an alteration without that warning."""
    chinese = word in vocab.words("negation", "chinese")
    said = f"我们{word}会放弃市场。" if chinese else f"We will {word} raise prices this year."
    quoted = "我们会放弃市场。" if chinese else "We will raise prices this year."
    doc = SourceDoc(path="t.txt", text=f"ANA RUIZ: {said}\n\nBO LIND: Thank you all.\n")
    draft = f"Ana Ruiz said: “{quoted}”"
    quote, findings = check(draft, quoted, docs=[doc], speaker="Ana Ruiz")
    assert quote.source_check.status == "altered"
    assert f"drops '{word}'" in findings[0].message, findings[0].message


def test_a_dropped_word_outside_the_negations_is_no_reversal() -> None:
    assert "surely" not in vocab.words("negation")
    doc = SourceDoc(path="t.txt", text="ANA RUIZ: We will surely raise prices this year.\n\nBO LIND: Thanks.\n")
    quote, findings = check("Ana Ruiz said: “We will raise prices this year.”", "We will raise prices this year.",
                            docs=[doc], speaker="Ana Ruiz")
    assert quote.source_check.status == "altered" and quote.source_check.diff == "- surely"
    assert "drops" not in findings[0].message and "reverses" not in findings[0].message
