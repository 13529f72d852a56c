"""Quotation marks written as two apostrophes (`''We won,'' Roe said`, as newspaper archives
exported from LexisNexis or ProQuest write them): the rule that decides it per article, firing and
not firing; the text the quote stage reads; and a whole check of such a draft (quotes, speakers,
sentences, continued and partial quotes, the source check, the JSON and text reports and the
review page). Every text here is the team's own."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from tests.cli_runner import verifier
from verifier.ingest import load
from verifier.model.config import Settings
from verifier.render import RenderContext
from verifier.render.html import render
from verifier.run.pipeline import check_paths
from verifier.stages import quotemarks, quotes, segment
from verifier.stages.quotemarks import mask_twosingle, quote_text, twosingle_style

DRAFT = """Harbor council keeps the night ferry

SALEM -- The Harbor Council voted on Tuesday to keep the night ferry running for two more years.

''We finally have a schedule that works for the people who cross at night,'' the council's chairwoman, Ana Ruiz, said after the vote. ''It took two years.''

Bo Lind, who runs the ferry company, was less sure. He called the plan ''a good start'' and said: ''The boats are old. We need new ones by 2027.''

''The first ferry ran in 1911,'' Ms. Ruiz said. ''It never stopped, not even in the war years.

''It will not stop now.''

The players' union did not take part in the vote.
"""

TRANSCRIPT = """ANA RUIZ: We finally have a schedule that works for the people who cross at night. It took two years.

BO LIND: The boats are old. We need new ones by 2026.
"""


def _found(text: str) -> quotes.QuoteFindings:
    article = load.load_text(text)
    return quotes.find_quotes(article, segment.segment(article))


# --------------------------------------------------------------------------- the rule


@pytest.mark.parametrize("text", [
    "''We won,'' Roe said.",
    "Roe said: ''We won.''",
    "He called it ''a folly'' twice.",
    "(''Not now,'' she wrote.)",
    "First line.\n\n''We stay.'' -- Bo Lind",
])
def test_an_opening_and_a_closing_pair_of_apostrophes_on_a_line_fire(text: str) -> None:
    assert twosingle_style(text)


@pytest.mark.parametrize("text", [
    "The players'' union met on Tuesday.",  # a stray pair after a plural
    "x = '' if empty else name",  # code
    "print('')",
    'He said, "The buck stops here.\'\'',  # opened with `"`: no opening `''`
    "''We won,\nsaid Roe,'' and left.",  # the opening and the closing pair on two lines
    "We won. ''",
    "Roe said \"We won,\" and 'left' early.",
])
def test_a_stray_pair_of_apostrophes_does_not_fire(text: str) -> None:
    assert not twosingle_style(text)


def test_an_article_that_does_not_fire_is_read_as_it_is() -> None:
    article = load.load_text("The players'' union said \"we stay.\"")
    assert quote_text(article) is article.text
    assert [q.text for q in quotes.find_quotes(article, segment.segment(article)).quotes] == ["we stay."]


def test_the_text_read_has_each_mark_as_one_double_mark_and_a_space_at_the_same_offsets() -> None:
    text = "''We won,'' Roe said. Lind: ''It was 'close.''' (''Yes.'')"
    masked = mask_twosingle(text)
    assert len(masked) == len(text)
    assert masked == ' "We won,"  Roe said. Lind:  "It was \'close.\'"  ( "Yes." )'
    # three apostrophes: a closing single quotation mark first, then the double mark
    assert masked[text.index("'''"):text.index("'''") + 3] == "'\" "
    article = load.load_text(text)
    assert quote_text(article) == masked and quote_text(article) is quote_text(article)  # once
    assert [text[s.start:s.end] for s in quotemarks.paragraph_stretches(article, 0, len(text))] == \
        ["We won,", "It was 'close.'", "Yes."]


# --------------------------------------------------------------------------- the quote stage


def test_quotes_speakers_cues_and_kinds_of_a_two_apostrophe_draft() -> None:
    found = _found(DRAFT)
    summary = [(q.text, q.kind, q.speaker, q.cue) for q in found.quotes]
    assert summary == [
        ("We finally have a schedule that works for the people who cross at night,", "direct",
         "Ana Ruiz", "said"),
        ("It took two years.", "direct", "Ana Ruiz", "said"),
        ("a good start", "partial", "Bo Lind", "called"),
        ("The boats are old. We need new ones by 2027.", "direct", "Bo Lind", "called"),
        ("The first ferry ran in 1911,", "direct", "Ruiz", "said"),
        # a quote left open at its paragraph's end continues into the next, which opens with ''
        ("It never stopped, not even in the war years. It will not stop now.", "direct", "Ruiz", "said"),
    ]
    assert [f.rule for f in found.findings] == []  # none unbalanced, none unattributed


def test_quote_spans_leave_out_both_apostrophes_of_each_mark() -> None:
    for quote in _found(DRAFT).quotes:
        for part in quote.parts:
            assert DRAFT[part.start - 2:part.start] == "''", part.text
            # closed by `''`, or (a quote continued in the next paragraph) by the paragraph's end
            assert DRAFT[part.end:part.end + 2] in ("''", "\n\n"), part.text
            assert DRAFT[part.start:part.end] == part.text


@pytest.mark.parametrize("text, speaker", [
    ("''We won,'' said Ana Ruiz, the mayor.", "Ana Ruiz"),
    ("''We won,'' Ana Ruiz said.", "Ana Ruiz"),
    ("Ana Ruiz told reporters: ''We won.''", "Ana Ruiz"),
    ("''We won?'' Ana Ruiz asked.", "Ana Ruiz"),
    ("Ana Ruiz spoke first.\n\n''We won,'' she said. ''And we stay.''", "Ana Ruiz"),
])
def test_cues_before_and_after_a_two_apostrophe_mark(text: str, speaker: str) -> None:
    assert {q.speaker for q in _found(text).quotes} == {speaker}


def test_an_unclosed_two_apostrophe_quote_is_reported_at_both_apostrophes() -> None:
    text = "''Yes,'' Bo Lind said.\n\nAna Ruiz said: ''We won and we stay\n\nThe vote was close."
    found = _found(text)
    [finding] = [f for f in found.findings if f.rule == "quote-unbalanced"]
    assert finding.span.text == "''"


def test_a_quote_protects_its_sentence_ends_and_sentences_keep_their_marks() -> None:
    text = "''We won. We stay,'' Ana Ruiz said. ''It was close.'' The vote was 5 to 4."
    article = load.load_text(text)
    sentences = [text[s.start:s.end] for s in segment.segment(article).sentences]
    assert sentences == ["''We won. We stay,'' Ana Ruiz said.", "''It was close.''", "The vote was 5 to 4."]


# --------------------------------------------------------------------------- the whole check


@pytest.fixture
def draft_files(tmp_path: Path) -> tuple[Path, Path]:
    draft = tmp_path / "draft.txt"
    source = tmp_path / "transcript.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    source.write_text(TRANSCRIPT, encoding="utf-8")
    return draft, source


def test_verifier_check_of_a_two_apostrophe_draft_json(draft_files: tuple[Path, Path]) -> None:
    draft, source = draft_files
    ran = verifier("check", str(draft), "-s", str(source), "--engine", "rules", "-f", "json")
    report = json.loads(ran.stdout)
    got = [(q["id"], q["text"], q["speaker"], q["source_check"]["status"]) for q in report["quotes"]]
    assert got[:4] == [
        ("Q1", "We finally have a schedule that works for the people who cross at night,", "Ana Ruiz",
         "verbatim"),
        ("Q2", "It took two years.", "Ana Ruiz", "verbatim"),
        ("Q3", "a good start", "Bo Lind", "not_found"),
        ("Q4", "The boats are old. We need new ones by 2027.", "Bo Lind", "altered"),
    ]
    q4 = report["quotes"][3]
    assert q4["source_check"]["diff"] == "2027 -> 2026"
    assert DRAFT[q4["span"]["start"]:q4["span"]["end"]] == q4["span"]["text"] == q4["text"]
    # every claim span starts and ends on whole marks: no sentence opens or ends inside a `''`
    for claim in report["claims"]:
        span = claim["span"]["text"]
        assert not re.match(r"'[^']", span) and not re.search(r"[^']'$", span), span


def test_verifier_check_of_a_two_apostrophe_draft_text(draft_files: tuple[Path, Path]) -> None:
    draft, source = draft_files
    ran = verifier("check", str(draft), "-s", str(source), "--engine", "rules")
    assert "Q1 direct quote (Ana Ruiz, said) [verbatim]" in ran.stdout
    assert "Q4 direct quote (Bo Lind, called) [altered]" in ran.stdout
    assert "error quote-altered: The quote's words differ from the source" in ran.stdout
    assert "2027 -> 2026" in ran.stdout


def test_the_review_page_highlights_two_apostrophe_quotes(draft_files: tuple[Path, Path]) -> None:
    draft, source = draft_files
    [result] = check_paths([str(draft)], Settings(engine="rules", sources=[str(source)]))
    html = render([result], RenderContext())
    for quote in result.report.quotes:
        tag = re.search(rf'<span class="quote status-[a-z_]+" data-ref="{quote.id}" id="a0-{quote.id}"[^>]*>', html)
        assert tag is not None, quote.id
        before = unescape(re.sub(r"<[^>]+>", "", html[tag.start() - 300:tag.start()]))
        inside = unescape(re.sub(r"<[^>]+>", "", html[tag.end():tag.end() + 600]))
        assert before.endswith("''") and inside.startswith(quote.parts[0].text), quote.id
    assert 'id="a0-Q1" data-label="Q1 Ana Ruiz · verbatim"' in html


def test_the_rules_engine_does_not_cut_a_claim_inside_a_two_apostrophe_quote(tmp_path: Path) -> None:
    """The clause split (`engines.extract`) pairs the marks of `quotemarks.quote_text`, where two
    apostrophes are a mark when the article writes its marks so."""
    spans = {}
    for name, mark in (("twosingle", "''"), ("straight", '"')):
        draft = tmp_path / f"{name}.txt"
        draft.write_text(f"Harbor vote\n\n{mark}We kept the night ferry running; the day ferry will stop "
                         f"in May,{mark} Ana Ruiz said on Tuesday.\n", encoding="utf-8")
        report = json.loads(verifier("check", str(draft), "--engine", "rules", "-f", "json").stdout)
        spans[name] = [c["span"]["text"] for c in report["claims"]]
    assert spans["twosingle"] == [s.replace('"', "''") for s in spans["straight"]]
    assert len(spans["twosingle"]) == 1
    # a text with a stray pair is read as it is: the clause is cut at the semicolon
    assert _read("The players'' union met; it voted.") == "The players'' union met; it voted."
    assert not quotemarks.quote_open(_read("He said ''we met; we voted'' and left, ''no.''"), 0, 20)(5)
    text = "He said ''we met; we voted,'' and left."
    assert quotemarks.quote_open(_read(text), 0, len(text))(text.index(";"))


def _read(text: str) -> str:
    """The text as the quote stage and the clause split read it."""
    article = load.load_text(text)
    assert article.text == text
    return quotemarks.quote_text(article)


def test_a_prose_source_written_with_two_apostrophes_gives_its_speaker(tmp_path: Path) -> None:
    """The source check reads a prose source's quotes with the same finder: words the draft
    credits to one person and a ''-style source to another are a speaker mismatch."""
    source = tmp_path / "wire.txt"
    source.write_text("Harbor vote\n\n''The boats are old and we need new ones,'' Bo Lind said on "
                      "Tuesday. ''It will take two years,'' he added.\n", encoding="utf-8")
    draft = tmp_path / "draft.txt"
    draft.write_text("Harbor vote\n\n''The boats are old and we need new ones,'' Ana Ruiz said.\n",
                     encoding="utf-8")
    report = json.loads(verifier("check", str(draft), "-s", str(source), "--engine", "rules",
                                 "-f", "json").stdout)
    [quote] = report["quotes"]
    assert quote["speaker"] == "Ana Ruiz"
    assert quote["source_check"]["status"] == "speaker_mismatch"
    assert quote["source_check"]["diff"] == "speaker: Ana Ruiz -> Bo Lind"
