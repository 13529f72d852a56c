"""Speed shortcuts of the verification stage give what the plain computation they replace gives, on
the team's texts, crafted texts and stretches of them. Each test names the plain form it pins the
fast one to."""

from __future__ import annotations

from tests.team_articles import team_texts
from tests.test_signals import PHRASES
from verifier.ingest import load
from verifier.model.schema import Article
from verifier.stages import checkworthy, signals, verify

# letters that lower by their neighbours (capital sigma) or into two letters (dotted capital I),
# letters and digits outside ASCII, and texts with neither
_CRAFTED = ["ΑΣΑ ΟΔΟΣ Σ.", "İstanbul İİ and Ankara", "Ab café déjà-vu naïve Zoë’s, 中文 and ²³ x",
            "Plain ASCII text, “curly quotes” — and dashes – only.", "", "a", "ΣΑΣ"]


def _content_words_at(article: Article, start: int, end: int) -> set[str]:
    """A claim's content words as `verify._verify_one` reads them."""
    lower = verify._lowered_at(article, start, end)
    return verify._content_words_of(lower, checkworthy.words_of(lower))


def _texts() -> list[str]:
    return team_texts() + PHRASES + _CRAFTED


def _stretches(text: str) -> list[tuple[int, int]]:
    n = len(text)
    step = 1 if n < 40 else 37
    return [(start, end) for start in range(0, n + 1, step)
            for end in sorted({start, min(n, start + 1), min(n, start + 2), min(n, start + 150), n})]


def test_a_stretch_of_the_lowered_article_is_the_stretch_lowered():
    """`signals.lowered` gives the article's text lowered once; the plain form lowers each stretch
    on its own. Where the two could differ (a capital sigma, a letter that grows) it gives None."""
    sliced = refused = 0
    for text in _texts():
        article = load.load_text(text)
        whole = signals.lowered(article)
        for start, end in _stretches(article.text):
            if whole is not None:
                assert whole[start:end] == article.text[start:end].lower(), (article.text[:60], start, end)
                sliced += 1
            elif article.text[start:end].lower() != article.text.lower()[start:end]:
                refused += 1  # a stretch that only the plain form lowers right
    assert refused > 10  # the texts with a capital sigma or a dotted capital I
    assert sliced > 1000


def test_a_sigma_or_a_growing_letter_keeps_the_article_from_being_lowered_once():
    """The cases `lowered` refuses: a slice of "ΑΣΑ" lowered alone ends in a final sigma, a slice
    of the whole lowered text does not; "İ" lowers to two characters, so offsets would shift."""
    assert "ΑΣΑ".lower()[:2] != "ΑΣΑ"[:2].lower()
    assert signals.lowered(load.load_text("ΑΣΑ")) is None
    assert signals.lowered(load.load_text("İ")) is None
    assert signals.lowered(load.load_text("ΑΒΓ abc")) == "αβγ abc"


def test_a_claims_content_words_read_from_the_article_are_its_own():
    """The verification stage reads a claim's content words from the article's lowered text
    (`_lowered_at`) and the words read from it (`checkworthy.words_of`); the plain form is
    `_content_words` of the claim's own words, lowered on their own."""
    fired = 0
    for text in _texts():
        article = load.load_text(text)
        for start, end in _stretches(article.text):
            expected = verify._content_words(article.text[start:end])
            assert _content_words_at(article, start, end) == expected, (article.text[start:end][:60],)
            fired += bool(expected)
    assert fired > 1000


def test_letters_outside_ascii_are_read_by_the_full_word_pattern():
    """A claim with 'café' must keep its accented word: the ASCII pattern alone would split it."""
    article = load.load_text("The café served naïve déjà-vu coffee.")
    assert _content_words_at(article, 0, len(article.text)) == {"café", "served", "naïve", "déjà", "coffee"}
