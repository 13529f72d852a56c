"""segment: paragraphs and sentences; a split never falls inside a quotation."""

from __future__ import annotations

import pytest

from verifier import vocab
from verifier.ingest import load
from verifier.stages import segment


def _sentences(text: str) -> list[str]:
    seg = segment.segment(load.load_text(text))
    return [text[s.start:s.end] for s in seg.sentences]


def test_paragraphs_and_sentences_with_offsets():
    text = "Title line\n\nFirst one. Second one here.\nStill second paragraph.\n\nThird."
    seg = segment.segment(load.load_text(text))
    assert [text[p.start:p.end] for p in seg.paragraphs] == [
        "Title line", "First one. Second one here.\nStill second paragraph.", "Third."]
    assert _sentences(text) == ["Title line", "First one.", "Second one here.",
                                "Still second paragraph.", "Third."]


def test_never_splits_inside_a_quotation():
    text = '“We lost. We will win next time,” she said. He left.\n\n"One. Two," Li said. Done.'
    assert _sentences(text) == ["“We lost. We will win next time,” she said.", "He left.",
                                '"One. Two," Li said.', "Done."]


def test_quote_ending_a_sentence_is_split_after_the_closing_mark():
    text = "Zhang said. “If we believe this, we lose.” The end came."
    assert _sentences(text) == ["Zhang said.", "“If we believe this, we lose.”", "The end came."]


def test_abbreviations_and_initials_do_not_end_sentences():
    text = "Mr. Smith met U.S. officials. Michael J. Fox spoke at 5 p.m. Then he left."
    assert _sentences(text) == ["Mr. Smith met U.S. officials.", "Michael J. Fox spoke at 5 p.m. Then he left."]


# every list the splitter reads its abbreviations from, each from the file that is its one home
_ABBREVIATION_LISTS = [("sentence_abbreviations", "words"), ("speaker_titles", "honorifics"),
                       ("speaker_grammar", "month_abbreviations"), ("speaker_grammar", "word_abbreviations"),
                       ("speaker_grammar", "place_abbreviations")]


@pytest.mark.parametrize("word", sorted({w for name, key in _ABBREVIATION_LISTS for w in vocab.words(name, key)}))
def test_every_listed_abbreviation_keeps_its_full_stop_inside_the_sentence(word: str) -> None:
    written = word[0].upper() + word[1:]
    text = f"The team met {written}. Lind on Monday. Then it left."
    assert _sentences(text) == [f"The team met {written}. Lind on Monday.", "Then it left."]


def test_a_short_word_outside_the_lists_ends_the_sentence() -> None:
    assert all("bldg" not in vocab.words(name, key) for name, key in _ABBREVIATION_LISTS)
    text = "The team met in the Bldg. Lind left on Monday."
    assert _sentences(text) == ["The team met in the Bldg.", "Lind left on Monday."]


def test_a_plural_title_before_names_ends_no_sentence() -> None:
    text = "The bill won the backing of Sens. Ana Ruiz and Bo Lind. Reps. Jo Park and Al Roe voted no."
    assert _sentences(text) == ["The bill won the backing of Sens. Ana Ruiz and Bo Lind.",
                                "Reps. Jo Park and Al Roe voted no."]


def test_chinese_sentences_split_on_full_width_stops_outside_quotes():
    text = "张平安说：「我们不会放弃。我们会继续。」他离开了。第二句。"
    assert _sentences(text) == ["张平安说：「我们不会放弃。我们会继续。」", "他离开了。", "第二句。"]


def test_boilerplate_and_heading_paragraphs_are_marked():
    text = "A headline without a stop\n\nBody sentence here.\n\n(Reporting by X; Editing by Y)"
    seg = segment.segment(load.load_text(text))
    assert [(p.heading, p.boilerplate) for p in seg.paragraphs] == [(True, False), (False, False), (False, True)]


def test_a_credit_opening_a_paragraph_belongs_to_no_sentence() -> None:
    text = "标题\n\n本报上海3月5日电（记者 陈静）公司周三推出了新产品。价格不变。\n"
    article = load.load_text(text)
    sentences = [text[s.start:s.end] for s in segment.segment(article).sentences]
    assert sentences[1:] == ["公司周三推出了新产品。", "价格不变。"]


def test_a_chinese_speech_verb_after_a_closing_mark_keeps_the_sentence_whole() -> None:
    text = "标题\n\n「明年量产。」林晓峰还表示。\n\n「明年量产。」工厂很大。\n"
    article = load.load_text(text)
    sentences = [text[s.start:s.end] for s in segment.segment(article).sentences]
    assert "「明年量产。」林晓峰还表示。" in sentences
    assert "工厂很大。" in sentences
