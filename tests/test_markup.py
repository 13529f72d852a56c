"""Markdown markup masked by spaces (verifier.ingest.markup): the same length and line breaks, so
every offset of the masked text is an offset of the file."""

from __future__ import annotations

from verifier.ingest import markup

DRAFT = ("---\ntitle: X\n---\n# Head\n\n"
         "A **bold** [link](http://x.example) <!-- c --> and *em*.\n> quoted\n")


def test_markup_becomes_spaces_and_the_words_stay_where_they_were():
    masked, front = markup.mask_markdown(DRAFT)
    assert len(masked) == len(DRAFT)
    assert [i for i, ch in enumerate(masked) if ch == "\n"] == [i for i, ch in enumerate(DRAFT) if ch == "\n"]
    assert masked.split() == ["Head", "A", "bold", "link", "and", "em", ".", "quoted"]
    for word in ("Head", "bold", "link", "quoted"):
        assert masked.index(word) == DRAFT.index(word)
    assert front is not None and front.group(1) == "title: X"


def test_without_front_matter_nothing_at_the_top_is_masked():
    masked, front = markup.mask_markdown("Plain text, no markup.\n")
    assert front is None and masked == "Plain text, no markup.\n"


def test_emphasis_gives_the_delimiters_and_the_inner_text():
    text = "a **bold** and *em* and `code` x <!-- c --> y **open"
    assert [text[s:e] for s, _, _, e in markup.emphasis(text)] == ["**bold**", "*em*", "`code`"]
    assert [text[i:j] for _, i, j, _ in markup.emphasis(text)] == ["bold", "em", "code"]
    assert markup.emphasis("a * b * c") == []  # a delimiter before a space opens nothing
    assert markup.emphasis("**a\nb**") == []  # never across a line break


def test_comments_are_found_only_when_closed():
    assert markup.html_comments("x <!-- a --> y <!-- b") == [(2, 12)]
    assert markup.html_comments("<!-- never closed") == []
