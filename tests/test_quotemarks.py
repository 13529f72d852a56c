"""The one pairing of quotation marks (verifier/stages/quotemarks.py): each rule firing and not
firing, and the sentence splitter, the quote stage and the PolNeAR gold reading the same pairing."""

from __future__ import annotations

from verifier.evaluation.corpora import quote_stretches
from verifier.ingest import load
from verifier.stages import quotes
from verifier.stages.quotemarks import Stretch, pair_marks, quote_open
from verifier.stages.segment import segment, split_sentences


def quoted(text: str, **options: bool) -> list[str]:
    return [text[s.start:s.end] for s in pair_marks(text, **options)]


def test_own_closing_marks_close_and_straight_marks_pair() -> None:
    assert quoted('He said “a b” and "c d" and 「e」 and 『f』.') == ["a b", "c d", "e", "f"]
    assert [s.close_mark for s in pair_marks('“a” "b"')] == ["”", '"']


def test_a_mark_inside_a_markup_tag_is_no_quotation_mark() -> None:
    text = '<tweet author="@x">Hello</tweet> and "real"'
    assert quoted(text) == ["real"]
    assert quoted('author="@x" and "real"') == ["@x", "real"]


def test_a_stray_closing_mark_is_skipped_and_one_at_the_start_is_a_mistyped_opener() -> None:
    assert quoted("He left” and “she stayed”") == ["she stayed"]
    assert pair_marks("He left” then") == []
    mistyped = pair_marks("” We stay,” she said.")
    assert [(s.open_mark, s.close_mark) for s in mistyped] == [("“", "”")]
    assert quoted("” We stay,” she said.") == [" We stay,"]
    # in a fragment (which may begin inside a quotation) the stray mark ends a stretch from its start
    assert quoted("He left” then", fragment=True) == ["He left"]


def test_mixed_straight_and_curly_marks_close_each_other() -> None:
    assert quoted('in “Square One" (2016) and more.') == ["Square One"]
    assert quoted('in "Square One” (2016) and more.') == ["Square One"]
    # a straight mark does not close 「」: there it is a quotation nested inside
    assert [s.close_mark for s in pair_marks('「他说"好"吧」')] == ["」"]


def test_an_opening_mark_after_closing_punctuation_is_a_mistyped_closing_mark() -> None:
    assert quoted("“We stay,“ said Roe.") == ["We stay,"]
    # not before a space: a new quotation, and the first lost its close
    lost = pair_marks("“We stay,“Roe”")
    assert [(s.close_mark, s.lost) for s in lost] == [(None, True), ("”", False)]


def test_quotations_nest_inside_corner_brackets_but_not_inside_curly_marks() -> None:
    nested = "「他说『我们会赢』，然后走了」后来"
    assert quoted(nested) == ["他说『我们会赢』，然后走了"]
    assert quoted("「他说“赢”了」") == ["他说“赢”了"]
    # “ inside “ is not nesting in English: the first quotation's close was lost
    english = pair_marks("“a “b” c")
    assert [(english[0].close_mark, english[0].lost), english[1].close_mark] == [(None, True), "”"]


def test_a_closing_mark_of_another_kind_closes_the_open_quotation() -> None:
    assert pair_marks("「好啊” 他说") == [Stretch(1, 3, "「", "”")]


def test_an_unclosed_quotation_runs_to_the_end() -> None:
    assert pair_marks("He said “we stay and go") == [Stretch(9, 23, "“", None)]
    assert quote_open("He said “we stay", 0, 16)(12)


def test_two_straight_single_marks_count_as_one_double_mark_only_when_asked() -> None:
    assert quoted("''Yes,'' he said", twosingle=True) == ["Yes,"]
    assert quoted("''Yes,'' he said") == []


def test_quote_open_is_true_between_the_marks_only() -> None:
    text = 'He said "a. B" then. Next.'
    is_open = quote_open(text, 0, len(text))
    assert is_open(text.index("a.")) and is_open(text.index('" then'))
    assert not is_open(text.index(" then")) and not is_open(0)


def test_sentences_quotes_and_the_polnear_gold_read_the_same_pairing() -> None:
    """`“` closed by a straight `"`: the sentence splitter cuts after it (it once saw the quote
    open to the end of the paragraph), the quote stage and the gold both end the quote there."""
    text = 'She chose “Square One" (2016). The film did well. “It is over,” he said.'
    first_split = text.index(" The film") + 1
    article = load.load_text(text)
    seg = segment(article)
    assert [s.start for s in seg.sentences][:2] == [0, first_split]
    assert (0, first_split - 1) in split_sentences(text, 0, len(text))
    found = [text[p.start:p.end] for q in quotes.find_quotes(article, seg).quotes for p in q.parts]
    assert found == ["Square One", "It is over,"]
    assert [text[s:e] for s, e in quote_stretches(text)] == found
