"""signals internals: the shortcuts taken for speed must not change what the vocabularies find."""

from __future__ import annotations

import re

import pytest

from tests.team_articles import team_articles, team_texts
from verifier import signals

# phrases that fire each vocabulary, in mixed case, so both the plain and the odd spellings are read
PHRASES = [
    "Kite-2 Rivals Orbit-5 and OUTPERFORMS it; it is State-of-the-Art, on Par With GPT-4o.",
    "It scored 91.2 on MMLU-Pro and 88% on GSM8K, 3x faster than the A100; SOTA on HumanEval+.",
    "The World’s Fastest chip, the most capable AI model, Narrowed The Gap and caught up with rivals.",
    "We Must act. Ministers Should resign; it is Worthless, a Disgrace, Unacceptable and ABSURD.",
    "She Urged the board, Called For a vote and Expressed Confidence the firm will thrive.",
    "Analysts expressed confidence and were confident; the Scores Of 77 beat a score of 70.",
    "Frankly the plan is absurd, a so-called reform, Utterly Sloppy and (dire) - laughable.",
    "I Think it is a Mistake, nothing more than Hot Air and Lip Service; It Is Unclear.",
    "The model was Being Touted As a rival and is being hailed as the best; they are Marketing it.",
    "该模型的性能超越了对手，比竞争对手快百分之三十。我们必须继续努力，仍需改进。",
    "İstanbul’s İmam said the AI model beats the İzmir one by 40 Percent.",  # lowering grows 'İ'
]
VOCABULARIES = {
    "benchmarks": signals.BENCHMARK_NAMES,
    "comparison": signals._COMPARISON,
    "opinion": signals._OPINION,
    "expressed": signals._EXPRESSED,
    "phrases": signals._LOADED_PHRASES,
    "passive": signals._PASSIVE_ATTRIBUTION,
    "loaded": re.compile("|".join(rf"(?<![a-z-]){w}(?![a-z-])" for w in signals.LOADED_WORDS), re.I),
}


def _texts() -> list[str]:
    return team_texts() + PHRASES


def test_there_are_articles_to_check_against():
    assert len(team_articles()) >= 12


@pytest.mark.parametrize("name", ["_COMPARISON", "_FIGURE", "_SCORE", "_OPINION", "_LOADED_PHRASES"])
def test_folded_patterns_find_what_the_case_insensitive_ones_find(name):
    pattern = getattr(signals, name)
    folded = getattr(signals, name + "_LOWER")
    group = 1 if name == "_SCORE" else 0
    fired = 0
    for text in _texts():
        expected = [m.group(group) for m in pattern.finditer(text)]
        assert signals._found(pattern, folded, text, text.lower(), group) == expected
        fired += bool(expected)
    assert fired >= 2, f"{name} fired on too few texts for this test to mean anything"


def test_folding_keeps_escapes_and_group_names():
    folded = signals.fold_case(re.compile(r"(?P<Cue>Said|TOLD)\S+\W(?P=Cue)\B", re.I))
    assert folded.pattern == r"(?P<Cue>said|told)\S+\W(?P=Cue)\B"
    assert not folded.flags & re.IGNORECASE


@pytest.mark.parametrize("kind", sorted(VOCABULARIES))
def test_every_vocabulary_match_holds_one_of_its_triggers(kind):
    """The triggers are a necessary condition: a claim whose words hold no trigger skips the
    vocabulary's regex, so every match must contain a trigger position."""
    matches = 0
    for text in _texts():
        triggers = signals._Triggers(text)
        if not triggers.usable:
            continue
        for m in VOCABULARIES[kind].finditer(text):
            matches += 1
            assert kind in triggers.kinds_in(m.start(), m.end(), ""), f"{kind}: {m.group()!r} has no trigger"
    assert matches >= 2


def test_triggers_are_found_where_a_plain_search_finds_them():
    for text in _texts():
        lower = text.lower()
        triggers = signals._Triggers(text)
        for kind, words in signals._TRIGGERS.items():
            expected = sorted({i for word in words for i in range(len(lower))
                               if lower.startswith(word, i)})
            found = {at for at, kinds in zip(triggers.starts, triggers.kinds, strict=True) if kind in kinds}
            assert sorted(found) == expected, kind
