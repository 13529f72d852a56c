"""The speaker search before a quote starts where an `X said` can start (`names._speaker_search_from`)
and gives what the plain search from the window's first offset gives: `_BEFORE.search(window)`,
`_ANYWHERE.finditer(window)` and `attribution_before` with no starting offset. Checked on the
team's texts (every window before a quotation mark and a cue word) and on crafted sentences whose
speaker is as long as each of its parts allows and opens far from the sentence's start."""

from __future__ import annotations

import re

import pytest

from tests.team_articles import team_texts
from verifier.stages import names

_LEAD = "In the long run up to the vote in the hall on the hill by the river the week before the count, "

# each speaker as long as its part may be, far from the start of the sentence
_CRAFTED = [
    # a name of five tokens and four particles, then a time adverb
    _LEAD + "Ana de Ruiz van Roe da Silva del Lind on Monday said that the roof ",
    # a description of a possessive of four tokens and six words, then an adverb
    _LEAD + "Ana Maria Ruiz Roe’s very old trusted chief press aide on Monday said the roof ",
    _LEAD + "the very old trusted chief press aide previously told the roof ",
    # a bracket after the name, then the cue
    _LEAD + "Ana Ruiz (D-Salem, a long time member here) said that the roof ",
    # an appositive of four parts after a bracket, then an adverb
    _LEAD + "Ana de Ruiz van Roe da Silva del Lind (R-Salem, 3rd), a teacher, and a rower, and a cook, and a baker, "
    "last week said the roof ",
    _LEAD + "Ana Ruiz, a teacher from the town near the river and the hill that they all knew so well, said the roof ",
    # a role appositive that runs to the cue
    _LEAD + "Ana Ruiz, director of communications at the Salem Harbor Board of the county stated the roof ",
    # a relative clause
    _LEAD + "a White House official who spoke on condition that no name be printed said the roof ",
    _LEAD + "Ana Ruiz who was there in the hall that day then said the roof ",
    # several cues, and none
    _LEAD + "Ana Ruiz said Bo Lind, a cook, told the paper that Roe argued the roof ",
    _LEAD + "nobody here reported anything at all about the roof ",
    "Ana Ruiz said the roof ",
    "He said the roof ",
    # a letter that grows when lowered: no starting offset is read
    "İstanbul " + _LEAD + "Ana Ruiz said the roof ",
]


def _windows() -> list[str]:
    """The crafted sentences, and the text before every quotation mark and every `said` of the
    team's texts, as `attribution_before` cuts it (at most `_BEFORE_REACH` characters)."""
    out = list(_CRAFTED)
    for text in team_texts():
        ends = [m.start() for m in re.finditer(r"[“\"]|\bsaid\b", text)]
        out += [text[max(0, end - names._BEFORE_REACH):end] for end in ends]
        out += [text[i:i + names._BEFORE_REACH] for i in range(0, len(text), 97)]
    return out


def _same(a: re.Match[str] | None, b: re.Match[str] | None) -> bool:
    if a is None or b is None:
        return a is b
    return a.span() == b.span() and a.groupdict() == b.groupdict()


def _breaks(window: str) -> bool:
    """Whether starting at `_speaker_search_from` loses or changes a match of either pattern."""
    lo = names._speaker_search_from(window)
    if not _same(names._BEFORE.search(window, lo), names._BEFORE.search(window)):
        return True
    fast = list(names._ANYWHERE.finditer(window, lo))
    plain = list(names._ANYWHERE.finditer(window))
    return len(fast) != len(plain) or not all(_same(a, b) for a, b in zip(fast, plain, strict=True))


def test_the_searches_from_the_starting_offset_find_what_the_plain_searches_find() -> None:
    windows = _windows()
    assert [w for w in windows if _breaks(w)] == []
    # the shortcut is taken: many windows start well inside (on the team's texts about one in
    # ten characters of a window is skipped)
    assert sum(names._speaker_search_from(w) > 100 for w in windows) > len(windows) // 10


@pytest.mark.parametrize("constant", ["_WHO_WORDS", "_ADVERB_WORDS", "_APPOS_COMMAS"])
def test_each_reach_is_needed_by_a_crafted_speaker(constant: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The crafted sentences reach as far back as each constant allows: one less loses a speaker
    (so the test above would catch a reach set too short)."""
    monkeypatch.setattr(names, constant, getattr(names, constant) - 1)
    assert any(_breaks(w) for w in _CRAFTED)


def test_attribution_before_is_what_the_plain_search_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    windows = _windows()
    fast = [names.attribution_before(w, 0, len(w)) for w in windows]
    monkeypatch.setattr(names, "_speaker_search_from", lambda window, cues=None: 0)
    assert fast == [names.attribution_before(w, 0, len(w)) for w in windows]
    assert any(found is not None for found in fast)


def test_the_crafted_speakers_open_where_they_are_meant_to() -> None:
    """The crafted speakers open right after the lead (else they test nothing), and the longest
    ones exactly at the offset the search starts from."""
    before = [names._BEFORE.search(w) for w in _CRAFTED[:7]]
    anywhere = [names._ANYWHERE.search(w) for w in _CRAFTED[7:9]]  # a relative clause: `_ANYWHERE` only
    assert [m.start() if m else None for m in before + anywhere] == [len(_LEAD)] * 9
    assert names._speaker_search_from(_CRAFTED[1]) == len(_LEAD)
    assert names._speaker_search_from(_CRAFTED[-1]) == 0
