"""Speed shortcuts of the verification stage give what the plain computation they replace gives, on
the team's texts, crafted texts and stretches of them. Each test names the plain form it pins the
fast one to."""

from __future__ import annotations

import re

from tests.team_articles import team_texts
from tests.test_signals import PHRASES
from verifier.engines.extract import RulesExtractor
from verifier.ingest import load
from verifier.stages import checkworthy, quotes, segment, signals, subjectivity, verify

# words that mix letters with digits or "_", letters outside ASCII (some alphanumeric, some not),
# typographic marks, short and long words, and texts with none of them
_CRAFTED = ["covid19 vaccines abc_defgh x2y3zzzz 4abcd abcd4 a1b2c3d4 __init__ GPT4omni",
            "Ab café déjà-vu naïve Zoë’s, 中文 and ²³ x", "ΑΣΑ ΟΔΟΣ Σ. İstanbul",
            "Plain ASCII text, “curly quotes” — and dashes – only… § ¶ •", "", "a", "abcd", "abc"]


def _pieces() -> list[str]:
    texts = team_texts() + PHRASES + _CRAFTED
    return texts + [t[i:i + 150] for t in texts for i in range(0, len(t), 61)]


def test_a_claims_content_words_read_from_its_words_are_those_the_pattern_finds():
    """`verify._content_words_of` reads a claim's content words from the words `checkworthy`
    counts; the plain form is `_content_words`: the content-word pattern over the lowered text."""
    mixed = 0
    for text in _pieces():
        lower = text.lower()
        tokens = checkworthy.words_of(lower)
        assert verify._content_words_of(lower, tokens) == verify._content_words(text), text[:80]
        mixed += any(len(t) >= 4 and not t.isalpha() and re.search("[a-z]{4}", t) for t in tokens)
    assert mixed >= 3  # words like "x2y3zzzz", whose content word is a part of them


def test_the_score_of_a_claim_whose_words_are_given_is_its_score():
    """`checkworthy.score` given the claim's lowered words and their tokens (as verification hands
    them over) is the score it computes from the words alone."""
    for text in _pieces()[::3]:
        article = load.load_text(text)
        sig = signals.read(article, 0, len(article.text))
        lower = article.text.lower()
        for opinion, attributed in ((False, False), (True, True)):
            plain = checkworthy.score(article.text, sig, opinion, attributed)
            given = checkworthy.score(article.text, sig, opinion, attributed, lower, checkworthy.words_of(lower))
            assert given == plain, text[:80]


_PAST_AND_DIGITS = ["It passed", "They walked.", "It has been Crushed", "was REPORTED", "prices rose 3%",
                    "Covid19 cases", "٣ apples were counted", "a_b x_ed", "ed", "He needed"]


def test_the_past_tense_pattern_is_searched_only_where_a_word_ends_in_ed():
    """checkworthy searches `_PAST` only when one of the claim's words ends in "ed"; the plain form
    searches every claim."""
    fired = 0
    for text in _pieces() + _PAST_AND_DIGITS:
        m = checkworthy._PAST.search(text)
        if m is not None:
            assert checkworthy._may_be_past(checkworthy.words_of(text.lower())), text[:80]
            fired += 1
    assert fired > 100


def test_the_digit_pattern_is_searched_only_where_a_word_is_not_all_letters():
    """checkworthy searches for a digit only when the claim's words, put together, are not all
    letters; the plain form searches every claim."""
    fired = 0
    for text in _pieces() + _PAST_AND_DIGITS:
        if checkworthy._DIGIT.search(text):
            assert checkworthy._may_hold_digit(checkworthy.words_of(text.lower())), text[:80]
            fired += 1
    assert fired > 100


_TOKENS = ["don't it’s rock'n'roll 'quoted' x' 'y o’ ’o", "3.5 1,000,000 2.x 7. ,8 1..2 ٣٤٥ ¹² 10%",
           "wow!? $5 (a) [b] ab12cd 12ab __x__", "Mixed CASE Words, ÉCOLE naïve"]


def test_the_subjectivity_token_pattern_finds_the_plain_patterns_tokens():
    """`subjectivity._TOKEN` opens with one class of the characters a token starts with; the plain
    form is the alternation of a word, a number and a mark."""
    plain = re.compile(r"[a-z]+(?:['’][a-z]+)?|\d+(?:[.,]\d+)*|[!?%$]")
    for text in _pieces() + _TOKENS:
        for form in (text, text.lower(), text.lower().replace("’", "'")):
            assert subjectivity._TOKEN.findall(form) == plain.findall(form), form[:80]


def test_the_quotes_a_claim_is_linked_to_are_those_the_plain_reading_links():
    """`verify._linked_quotes` reads the quotes near a claim from the article's `_QuoteIndex`
    (made once) with the claim's words read once; the plain form goes through every quote of the
    article: a quote inside the claim, or one starting within reach that holds enough of the
    claim's content words (`_content_words` of the claim's own words)."""
    restated = inside = 0
    for text in team_texts():
        article = load.load_text(text)
        seg = segment.segment(article)
        found = quotes.find_quotes(article, seg).quotes
        near = verify._QuoteIndex(found)
        claims = [(d.start or 0, d.end or 0) for d in RulesExtractor().extract(article, seg).drafts]
        n = len(article.text)  # and stretches that open or close inside a quote
        for start, end in claims + [(at, min(n, at + 150)) for at in range(0, n, 53)]:
            lower = article.text[start:end].lower()
            linked = verify._linked_quotes(article, start, end, near, lower, checkworthy.words_of(lower))
            raw_start, raw_end = article.raw_range(start, end)
            claim_words = verify._content_words(article.text[start:end])
            plain = []
            for q in found:
                if q.span.start < raw_end and raw_start < q.span.end:
                    plain.append(q)
                    inside += 1
                elif (raw_start - verify._RESTATE_REACH <= q.span.start <= raw_end + verify._RESTATE_REACH
                      and len(claim_words) >= verify._RESTATE_MIN_WORDS
                      and len(claim_words & verify._content_words(q.text))
                      >= verify._RESTATE_OVERLAP * len(claim_words)):
                    plain.append(q)
                    restated += 1
            assert [q.id for q in linked] == [q.id for q in plain], article.text[start:end][:80]
    assert inside > 20 and restated > 0
