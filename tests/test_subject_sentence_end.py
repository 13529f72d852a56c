"""The subject of a sentence names the speaker of a quote later in it (`Ana Ruiz called the plan
“a mess”`), but not across a sentence end the segmenter kept inside the sentence because no capital
followed (`..., the company said. “a`): there the subject's sentence has ended."""

from __future__ import annotations

from collections import Counter

import pytest

from verifier.ingest import load
from verifier.stages import names, quotes, segment


def credited(text: str) -> Counter[tuple[str | None, str | None, str | None]]:
    article = load.load_text(text, path=None, fmt="text")
    found = quotes.find_quotes(article, segment.segment(article))
    return Counter(zip([q.speaker for q in found.quotes], [q.cue for q in found.quotes], found.sieves, strict=True))


def test_a_run_of_open_quotes_is_not_credited_to_the_subject_of_an_ended_sentence() -> None:
    """Before: 1,808 of the 2,000 quotes went to "Tern-3" with the cue "outperforms"."""
    got = credited("Tern-3 outperforms GPT-4o on every benchmark, the company said. " + "“a" * 2000)
    assert sum(got.values()) == 2000
    assert not [key for key in got if key[0] == "Tern-3" or key[1] == "outperforms"], got
    # the same as when the quotes open with a capital, where the segmenter does end the sentence
    capital = credited("Tern-3 outperforms GPT-4o on every benchmark, the company said. " + "“A" * 2000)
    assert {speaker for speaker, _, _ in got} == {speaker for speaker, _, _ in capital} == {"the company"}


def test_a_quote_after_an_ended_sentence_and_lower_case_words_is_not_the_subjects() -> None:
    text = "Tern-3 outperforms GPT-4o on every benchmark, the company said. " + "and so on " * 60 + "“a b”"
    assert credited(text) == Counter({(None, None, None): 1})


@pytest.mark.parametrize(("text", "speaker", "cue"), [
    ("Ana Ruiz called the plan “a mess”.", "Ana Ruiz", "called"),
    ("Ana Ruiz praised Dr. Li as “a giant” on Monday.", "Ana Ruiz", "praised"),
    ("Ana Ruiz called the plan, which passed on Jan. 5, “a mess”.", "Ana Ruiz", "called"),
    ("Ana Ruiz called the plan “bad. really bad” and the deal “a disaster”.", "Ana Ruiz", "called"),
    ("Tern-3 outperforms GPT-4o on every benchmark and so on " * 8 + "“a b”", "Tern-3", "outperforms"),
])
def test_the_subject_still_names_the_speaker_inside_its_sentence(text: str, speaker: str, cue: str) -> None:
    got = credited(text)
    assert {(s, c) for s, c, _ in got} == {(speaker, cue)}, got


def test_the_sentence_end_reader() -> None:
    text = "X said. “a and Dr. Li met the U.S. team. Then “we won.” and Jan. 5 ended! ok"
    ends = names._sentence_ends_between
    assert ends(text, 0, 10)  # `said. “`
    assert not ends(text, 10, 24)  # `Dr. `
    assert not ends(text, text.index("Then"), text.index(" and Jan"))  # inside the quotation
    assert not ends(text, text.index("and Jan"), text.index(" ended"))
    assert ends(text, text.index("ended"), len(text))  # `! ok`
    assert not ends(text, text.index("ended"), len(text) - 3)  # the mark at the end of the gap
    # no capital follows to confirm an end, so these end nothing: initials, a capitalised word
    # (an abbreviation the segmenter's list lacks), a single letter, a full stop in brackets
    for quiet in ("met the U.N. and", "in Phoenix, Ariz. on Monday", "by Gov. and", "plan B. and",
                  "Warren (D-Mass.) as", "Mr. and"):
        assert not ends(quiet, 0, len(quiet)), quiet
    for loud in ("was said. and", "it works? no", "it did! and", "in 2019. and"):
        assert ends(loud, 0, len(loud)), loud
