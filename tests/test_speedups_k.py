"""Speed shortcuts of the eighth round give what the plain computation they replace gives, on the
team's texts, crafted texts and stretches of them. Each test names the plain form it pins the fast
one to."""

from __future__ import annotations

import random
import re

from tests.team_articles import team_articles, team_texts
from tests.test_signals import PHRASES
from verifier.engines import extract
from verifier.engines.extract import RulesExtractor
from verifier.ingest import load
from verifier.model import report
from verifier.model.config import Settings
from verifier.model.schema import CHINESE_CHAR, Tag
from verifier.run import pipeline
from verifier.stages import checkworthy, subjectivity, verify

# every ASCII character, typographic marks, letters outside ASCII, and texts with none of them
_CRAFTED = ["".join(map(chr, range(128))), "a\x1cb\x1fc\x0bd\x0ce\tf\rg\nh", "don't can’t won't it's",
            "“a,” b — c – d… e", "Ünïcode wörds — and “quotes” too", "日本語 の 文", "", " ", "a_b __c__ 1_2"]


def _pieces() -> list[str]:
    texts = team_texts() + PHRASES + _CRAFTED
    return texts + [t[i:i + 150] for t in texts for i in range(0, len(t), 61)]


def test_a_claims_words_are_what_the_plain_word_pattern_finds():
    """`checkworthy.words_of` (ASCII text through a byte table) against its plain form, `\\w+` over
    the lowered text, and the byte table against the `str.translate` table it stands for."""
    ascii_read = 0
    for text in _pieces():
        lower = text.lower()
        assert checkworthy.words_of(lower) == re.findall(r"\w+", lower), text[:80]
        ascii_read += lower.isascii()
    assert ascii_read > 100
    for code in range(128):
        assert chr(checkworthy._APART_ASCII[code]) == chr(code).translate(checkworthy._APART), code


def test_a_sentences_subjectivity_tokens_are_what_the_token_pattern_finds():
    """`subjectivity.tokens` (runs between the characters no token holds, only the runs that are
    not one plain word or number given to the pattern) against its plain form,
    `subjectivity._tokens_by_pattern`: the token pattern over the whole lowered text."""
    crafted = ["don't rock'n'roll 'quoted' dogs' 's a' '' it's'd", "3.5% $5 2024. 2024.5, .5 ,5 1,000,000 1.2.3",
               "a1b2 x2y 13th, U.S. e.g. i.e. etc... a.b.c hello! why? 100% $$ !?", "can’t won’t it’s ‘so’",
               "Ünïcode café naïve — “q” – x ― y\u00a0z", "٣ ١٢ ０９ \u212a İstanbul", "tab\tnew\nline\x0bv\x0cf\x1cfs"]
    pieces = [*_pieces(), *crafted, *(chr(i) * 3 + " x" for i in range(0x2100))]
    rng = random.Random(5)
    alphabet = "aZb09'’‘.,!?%$ \n-“”—–―\u00a0_é٣\u212a"
    pieces += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 20))) for _ in range(20000)]
    by_runs = 0
    for text in pieces:
        assert subjectivity.tokens(text) == subjectivity._tokens_by_pattern(text), text[:80]
        by_runs += "'" in text
    assert by_runs > 100


def test_a_quotes_content_words_are_those_the_pattern_finds():
    """`verify._quote_words` (the quote index's content words, read from the quote's words)
    against its plain form, `verify._content_words`: the content-word pattern over the lowered text."""
    for text in _pieces():
        assert verify._quote_words(text) == verify._content_words(text), text[:80]


def test_words_counted_by_a_split_are_those_the_word_pattern_finds():
    """`checkworthy.count_words` against its plain form, the words `\\w+` finds (no further than
    `most`), and the rules engine's claim filter given the count against the same filter counting
    with its patterns (`_has_claim_words`, `is_procedural` without a count)."""
    counted = 0
    extra = ["Thank you very much.", "Let me finish, please, now.", "Thank you — “all” of you… and\u00a0more",
             "Good evening, ‘everyone’ – welcome to the debate tonight, one two three four five six",
             "résumé a b", "naïve x²y ٣x a b c"]
    for text in [*_pieces(), *extra]:
        plain = len(re.findall(r"\w+", text))
        for most in (1, 4, 12):
            count = checkworthy.count_words(text, most)
            if count is not None:
                assert count == min(plain, most), (text[:80], most)
        count = checkworthy.count_words(text, checkworthy.PROCEDURAL_MAX_WORDS)
        if count is None:
            assert not text.isascii()
            continue
        counted += not text.isascii()
        assert extract._has_claim_words(text, True, count) == extract._has_claim_words(text), text[:80]
        assert checkworthy.is_procedural(text, count) == checkworthy.is_procedural(text), text[:80]
    assert counted > 50  # texts with typographic marks counted by the split too
    assert checkworthy.is_procedural(extra[0], checkworthy.count_words(extra[0], 12))


def test_a_claims_closing_character_is_read_as_chinese_as_the_pattern_reads_it():
    """`extract._as_sentence` tests its last character against the range of `CHINESE_CHAR`."""
    for code in [*range(0x4DF0, 0x4E10), *range(0x9FF0, 0xA010), *range(0, 0x3100, 7)]:
        text = "Word " + chr(code)
        expected = text if CHINESE_CHAR.search(chr(code)) or chr(code) in ".!?\u201d\"\u2019'。！？」』" else text + "."
        if not chr(code).isspace() and code:
            assert extract._as_sentence(text) == expected, hex(code)


def test_a_reports_summary_counts_what_the_plain_count_gives():
    """`report.summarise` (counted in dictionaries) against the counts read one by one off the
    claims and findings of the reports of the team's articles."""
    tagged = 0
    for path in team_articles():
        article = load.load_text(path.read_text(encoding="utf-8"), str(path), load.ARTICLE_SUFFIXES[path.suffix])
        built = pipeline.check_article(article, Settings(engine="rules"), RulesExtractor(), source_docs=[])
        summary = report.summarise(built.claims, built.quotes, built.findings)
        assert summary.tags.model_dump() == {t.value: sum(t.value in c.tags for c in built.claims) for t in Tag}
        assert summary.findings.model_dump() == {s: sum(f.severity == s for f in built.findings)
                                                 for s in ("error", "warning", "info")}
        assert summary.untagged == sum(not c.tags for c in built.claims)
        assert (summary.claims, summary.quotes) == (len(built.claims), len(built.quotes))
        tagged += summary.tags.opinion + summary.tags.attributed
    assert tagged > 10


def test_an_attributions_vagueness_read_once_per_source_and_cue_is_what_is_vague_says():
    """`verify._vague` with an article's memo against `verify.is_vague` itself, over the
    attributions of the claims of the team's articles, each asked twice."""
    seen: dict[tuple[str, str | None], bool] = {}
    asked = vague = 0
    for path in team_articles():
        article = load.load_text(path.read_text(encoding="utf-8"), str(path), load.ARTICLE_SUFFIXES[path.suffix])
        built = pipeline.check_article(article, Settings(engine="rules"), RulesExtractor(), source_docs=[])
        for claim in built.claims:
            if claim.attribution is not None:
                for _ in range(2):
                    assert verify._vague(claim.attribution, seen) == verify.is_vague(claim.attribution)
                asked += 1
                vague += verify.is_vague(claim.attribution)
    assert asked > 20 and vague > 0 and len(seen) < asked


def _wording_plain(tokens: list[str], reading: checkworthy.WordReading) -> tuple[float, str]:
    """`checkworthy._wording` as it was written: the words with a score counted among all."""
    found = list(map(reading.scores.get, tokens))
    known = len(found) - found.count(None)
    if not known:
        return 0.0, ""
    added = checkworthy._BLEND * (reading.intercept + sum(filter(None, found)) / known - checkworthy._CENTRE)
    if -checkworthy._WORDING_SAYS < added < checkworthy._WORDING_SAYS:
        return added, ""
    most = (max if added > 0 else min)(filter(None, found), default=None)
    return added, "" if most is None else tokens[found.index(most)]


def test_the_wording_read_from_the_true_scores_is_the_plain_reading(monkeypatch):
    """`checkworthy._wording` against `_wording_plain`, on the words of the team's texts and their
    stretches, with the shipped scores (none exactly 0) and with some scores set to 0."""
    shipped = checkworthy.word_reading()
    assert shipped.nonzero
    pieces = [checkworthy.words_of(text.lower()) for text in _pieces()]
    for tokens in pieces:
        assert checkworthy._wording(tokens) == _wording_plain(tokens, shipped)
    zeroed = dict(shipped.scores)
    for word in list(zeroed)[::7]:
        zeroed[word] = 0.0
    with_zeros = checkworthy.WordReading(shipped.intercept, zeroed, nonzero=0.0 not in zeroed.values())
    assert not with_zeros.nonzero
    monkeypatch.setattr(checkworthy, "word_reading", lambda: with_zeros)
    differ = 0
    for tokens in pieces:
        assert checkworthy._wording(tokens) == _wording_plain(tokens, with_zeros)
        differ += checkworthy._wording(tokens) != _wording_plain(tokens, shipped)
    assert differ > 10  # the zeros count: a reading that left them out would be caught
