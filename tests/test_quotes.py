"""quotes: marks, split and continued quotes, kinds, cues and speakers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.team_articles import team_texts
from verifier.ingest import load
from verifier.stages import names, quotes, segment

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "wac-reuters.txt"


def _quotes(text: str):
    article = load.load_text(text)
    return quotes.find_quotes(article, segment.segment(article))


def _summary(text: str):
    return [(q.text, q.kind, q.speaker, q.cue) for q in _quotes(text).quotes]


def test_after_quote_patterns_and_surname_resolution():
    text = ("Zhang Ping’an, the executive in charge, spoke on Monday.\n\n"
            "“Nobody will deny it,” Zhang said.\n\n"
            "\"We will grow,\" said Maria Lopez, the chief executive.\n\n"
            "“It worked,” Lopez, who joined in 2020, told reporters.")
    assert _summary(text) == [
        ("Nobody will deny it,", "direct", "Zhang Ping’an", "said"),
        ("We will grow,", "direct", "Maria Lopez", "said"),
        ("It worked,", "direct", "Maria Lopez", "told"),
    ]


def test_before_quote_patterns():
    text = ("Anna Berg said: “We are ready.”\n\n"
            "Tom Reyes told reporters “the deal is done.”\n\n"
            "According to Lee Chan, “the tests passed.”")
    got = _summary(text)
    assert [(q[2], q[3]) for q in got] == [("Anna Berg", ":"), ("Tom Reyes", "told"),
                                          ("Lee Chan", "According to")]


def test_split_quote_is_one_quote_with_two_parts():
    text = "“We are not done,” she said, “we are only starting.” Then Sara Holm left."
    text = "Sara Holm spoke first.\n\n" + text
    found = _quotes(text).quotes
    assert len(found) == 1
    q = found[0]
    assert q.text == "We are not done, we are only starting."
    assert [p.text for p in q.parts] == ["We are not done,", "we are only starting."]
    assert q.speaker == "Sara Holm" and q.cue == "said"


def test_quote_continuing_across_paragraphs():
    text = ("“The first paragraph of the quote,” said Ivo Marek.\n\n"
            "“This one runs on without a close.\n\n"
            "“And ends here.”")
    found = _quotes(text)
    assert [q.text for q in found.quotes] == [
        "The first paragraph of the quote,",
        "This one runs on without a close. And ends here."]
    assert found.quotes[1].speaker == "Ivo Marek"  # standing alone after a named speaker
    assert len(found.quotes[1].parts) == 2
    assert not found.findings


def test_unbalanced_quote_is_reported_and_the_rest_still_read():
    text = ("“This never closes, said Ana Ruiz.\n\n"
            "Next paragraph is plain.\n\n"
            "“This one is fine,” Ruiz said.")
    found = _quotes(text)
    assert [f.rule for f in found.findings] == ["quote-unbalanced"]
    assert found.quotes[-1].text == "This one is fine," and found.quotes[-1].speaker == "Ana Ruiz"


def test_partial_quote_and_pronoun_resolution():
    text = ("Liu Qingfeng, the chairman, said the plan needs to be “abandoned” soon.\n\n"
            "“We must move,” he said.")
    got = _summary(text)
    assert got == [("abandoned", "partial", "Liu Qingfeng", "said"),
                   ("We must move,", "direct", "Liu Qingfeng", "said")]


def test_a_quote_opening_its_line_is_direct_and_one_inside_the_line_partial():
    # a list line under its label: the words are the whole utterance
    text = "What readers told us.\n\nAna Ruiz, 34, Toledo\n“Fix the roads. Then the bridges.”"
    assert [(q.kind, q.speaker) for q in _quotes(text).quotes] == [("direct", "Ana Ruiz")]
    # the same words woven into the line stay partial
    text = "What readers told us.\n\nAna Ruiz wants them to “fix the roads” first."
    assert [q.kind for q in _quotes(text).quotes] == ["partial"]


def test_unattributed_direct_quote_is_an_error():
    found = _quotes("The meeting ended.\n\n“The market will double by next year.”")
    assert [f.rule for f in found.findings] == ["quote-unattributed"]
    assert found.findings[0].severity == "error"


def test_a_quote_whose_cue_names_only_an_unresolved_pronoun_is_unattributed():
    found = _quotes("The meeting ended.\n\n“The market will double by next year,” she said.")
    assert [f.rule for f in found.findings] == ["quote-unattributed"]
    assert "names only “she”" in found.findings[0].message and found.quotes[0].speaker == "she"


@pytest.mark.parametrize("text", [
    # the pronoun stands for someone named before it
    "Ana Ruiz opened the meeting.\n\n“The market will double by next year,” she said.",
    # the writer's own voice in a column
    "The meeting ended.\n\n“The market will double by next year,” I said.",
])
def test_a_resolved_or_first_person_pronoun_is_attributed(text):
    assert _quotes(text).findings == []


def test_corner_brackets_and_chinese_speaker():
    found = _quotes("张平安表示：「我们需要放弃这种观点。」")
    assert [q.text for q in found.quotes] == ["我们需要放弃这种观点。"]


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed article is not here")
def test_seed_article_quotes_and_speakers():
    article = load.load_target(load.Target(str(SEED)), __import__("verifier.model.config").model.config.Settings())
    found = quotes.find_quotes(article, segment.segment(article))
    got = [(q.kind, q.speaker) for q in found.quotes]
    assert got == [("partial", "Zhang Ping’an"), ("direct", "Zhang Ping’an"), ("direct", "Zhang Ping’an"),
                   ("direct", "Liu Qingfeng"), ("direct", "Robin Li")]
    assert found.quotes[0].text == "abandoned"
    assert found.quotes[3].cue == "said"  # the quote closed by "he said"
    for q in found.quotes:
        assert article.raw[q.span.start:q.span.end] == q.span.text


def test_cue_words_are_found_as_whole_words_only():
    text = "Ana said, unsaid, SAIDIN; “Tell,” he told. According to Li-said (Says) saying.\nASKED"
    expected = [m.start() for m in re.finditer(r"[A-Za-z]+", text) if m.group().lower() in names._CUE_HEADS]
    assert names.cue_positions(text, 0, len(text)) == expected
    assert [text[i:i + 4] for i in expected] == ["said", "Tell", "told", "Acco", "said", "Says", "sayi", "ASKE"]
    inside = [4 + m.start() for m in re.finditer(r"[A-Za-z]+", text[4:29])
              if m.group().lower() in names._CUE_HEADS]
    assert names.cue_positions(text, 4, 29) == inside == [4]  # "Tel|l" is cut: not a cue here


def test_a_speaker_only_opens_with_the_letters_the_search_shortcut_allows():
    """`_WHO_OPENS` lets the speaker searches skip offsets; a speaker opening anywhere else would be
    missed. Try every offset of the team's articles and some odd openings."""
    who = re.compile(names._WHO)
    opens = re.compile(names._WHO_OPENS)
    texts = team_texts()
    texts.append("the he she they I we an one two three another several some many most other his her "
                 "their its Über Łukasz Élodie O’Brien’s Ms. J. Smith’s Officials’ İpek")
    matched = 0
    for text in texts:
        for i in range(len(text)):
            if who.match(text, i):
                matched += 1
                assert opens.match(text, i), text[i:i + 30]
    assert matched > 1000


def test_a_speaker_never_reaches_back_over_a_quotation_mark():
    quoted = '"He thinks wind causes cancer, windmills."'
    assert names._speaker_before(quoted, 0, quoted.index("thinks")) is None  # the quote's own words
    plain = 'Ana Ruiz said "no". He thinks wind causes cancer.'
    cue, mention = names._speaker_before(plain, 0, plain.index("thinks"))
    assert (cue, mention.text, mention.kind) == ("thinks", "He", "pronoun")
    closed = 'the groundwater," Vance said.'
    cue, mention = names._speaker_before(closed, 0, closed.index("said"))
    assert mention.text == "Vance"
