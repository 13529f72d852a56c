"""Speed shortcuts for hostile drafts give what the plain computation they replace gives, on the
team's texts, on stretches of them and on crafted cases. Each test names the plain form it pins
the fast one to."""

from __future__ import annotations

import random
import re

from tests.team_articles import team_texts
from verifier.stages import names

# speakers that open inside a word, after capitals, after a hyphen, before a title's or an
# initial's full stop, pronouns and determiners glued to capitals, possessives, runs of capitals
_CRAFTED = [
    "eBay said it would. McBride said so. XRoe said no. BMr. Roe said yes. BJ.K. Roe said it.",
    "B’Roes’ aide said it. B’xRoes’ aide said so. B-xRoes’ aide said. B’the mayor said. B'Roe said no.",
    "B-the mayor said no. Bhe said so. BBthey told us. XYZ’s chief said it. ABCs’ owner said so.",
    "BBBBBBBB Ana Ruiz said it, BBBB-BBBB the Board’s head said. B’the mayor said. Bb_Cc said.",
    "The plan, according to BBBBBBBBBB, works. It was praised by BBBB Roe. BbBbBbBbBb said so.",
    "U.S. Sen. Tom Lind said it. BU.S. Sen. Bo Park said so. BDr. Ana Ruiz, the mayor, said no.",
    "ÀÉÎBBB said. ĀbĀbĀb Roe said, BBBBBBBBBBBBBBBB, the mayor, on Monday said “it works” today.",
    "Roe, BBBBBBBBBBBBBBBBBBBBBBBBBBBBBB, said no. BBBBBBBBBBBBBBBBBBBBBBBBBB who was there said so.",
]


def _runs(rng: random.Random) -> list[str]:
    """Drafts with long runs of capitals and mixed-case letters before speech cues."""
    alphabet = "BbCc0_-’ ."
    out = []
    for _ in range(40):
        run = "".join(rng.choice(alphabet) for _ in range(rng.randint(5, 60)))
        out.append(f"{run} said it. {run}Ana Ruiz said “no”. Roe, {run}, told us. {run} he said.")
    return out


def _windows() -> list[str]:
    texts = team_texts() + _CRAFTED + _runs(random.Random(7))  # read in windows of 300 or 400
    # the window before each quotation mark, as `attribution_before` reads it, and stretches
    marks = [t[max(0, m.start() - names._BEFORE_REACH):m.start()]
             for t in texts for m in re.finditer("[“\"]", t)]
    return marks + [t[i:i + 300] for t in texts for i in range(0, len(t), 250)]


def _found(m: re.Match[str] | None) -> tuple | None:
    return (m.span(), m.groupdict()) if m else None


def test_speakers_are_searched_from_run_starts_as_at_every_offset():
    """`_BEFORE_AT_RUNS` / `_ANYWHERE_AT_RUNS` against `_BEFORE` / `_ANYWHERE`: the same first
    match and the same matches one after another, from every position a search can start at
    (0, `_speaker_search_from`, word starts), in every window (not only those with a long
    word, where `_run_start_search` takes them); and `_run_start_search`'s choice, from those
    positions and from positions inside words (where it keeps the plain pattern)."""
    found = 0
    pairs = ((names._BEFORE, names._BEFORE_AT_RUNS), (names._ANYWHERE, names._ANYWHERE_AT_RUNS))
    for window in _windows():
        starts = {0, names._speaker_search_from(window), len(window)}
        starts.update([m.start() for m in re.finditer(r"\S+", window)][::3])  # every third word start
        inside = set(range(1, min(len(window), 12))) - starts
        for plain, guarded in pairs:
            for pos in sorted(starts):
                first = _found(plain.search(window, pos))
                assert _found(guarded.search(window, pos)) == first, (window, pos)
                chosen = names._run_start_search(plain, window, pos)
                assert _found(chosen.search(window, pos)) == first, (window, pos)
                if plain is names._ANYWHERE and pos in (0, names._speaker_search_from(window)):
                    every = [_found(m) for m in plain.finditer(window, pos)]
                    assert [_found(m) for m in guarded.finditer(window, pos)] == every, (window, pos)
                    found += len(every)
            for pos in sorted(inside):
                chosen = names._run_start_search(plain, window, pos)
                assert _found(chosen.search(window, pos)) == _found(plain.search(window, pos)), (window, pos)
    assert found > 300


def test_the_run_start_search_is_taken_where_a_long_word_holds_capitals():
    """The guarded patterns are searched in a window with a long word that holds a capital, from
    a word start; the plain ones elsewhere."""
    window = "B" * 300 + " the mayor said"
    assert names._run_start_search(names._ANYWHERE, window, 0) is names._ANYWHERE_AT_RUNS
    assert names._run_start_search(names._BEFORE, window, 0) is names._BEFORE_AT_RUNS
    assert names._run_start_search(names._ANYWHERE, window, 5) is names._ANYWHERE
    assert names._run_start_search(names._ANYWHERE, "b" * 300 + " Roe said", 0) is names._ANYWHERE
    assert _found(names._ANYWHERE_AT_RUNS.search(window)) == _found(names._ANYWHERE.search(window))
    # from inside a long word the plain pattern is kept: the capital before was never tried
    glued = "B" * 40 + "Roe said it, " + "B" * 40
    plain = names._ANYWHERE.search(glued, 40)
    assert plain is not None and plain.group("who") == "Roe"
    assert _found(names._run_start_search(names._ANYWHERE, glued, 40).search(glued, 40)) == _found(plain)


_CLAUSES = [
    "It rose, while Roe said “no”, and (Bo Lind argued “yes”) — Ana Ruiz wrote “maybe”; Li said “so”.",
    "It rose,\nRoe said “no”.	while\tRoe said “x”. which\u00a0Roe called “y”. as\u3000Roe said “z”.",
    "“a“a“a,“a“a whilst“a (“a —“a; “a",
]


def test_a_clause_opening_needs_a_space_before_a_capital():
    """`_nearest_clause_subject` reads no clause opening (`_CLAUSE_OPENS`, the plain search over
    the window) where `_SPACE_THEN_CAPITAL` finds none: at every quotation mark and every fifth
    offset of the texts, over the window the function reads."""
    skipped = read = 0
    for text in team_texts() + _CLAUSES:
        ends = {m.start() for m in re.finditer("[“\"]", text)} | set(range(0, len(text), 5))
        for end in sorted(ends):
            for start in (0, max(0, end - 60)):
                lo = max(start, end - names._BEFORE_REACH)
                plain = names._CLAUSE_OPENS.search(text, lo, end)
                if names._SPACE_THEN_CAPITAL.search(text, lo, end) is None:
                    assert plain is None, text[lo:end]
                    skipped += 1
                else:
                    read += plain is not None
    assert skipped > 100 and read > 100


_STOPS = [
    "Roe said. “a” “b” “c” “d", "Roe said “a” and “b", "Roe said! Then “", "“Who?” Roe said, “",
    'He said "yes" and "', "Roe said: “", "Roe told reporters. Lind", "Roe said, in a statement",
    "“a“a“a“a“a Roe said", "Roe said… “", "Roe said it again and again, and then “",
]


def test_the_before_pattern_is_searched_only_with_a_cue_after_the_last_stop():
    """`attribution_before` searches `_BEFORE` only when a cue word (`_before_word_starts`) stands
    after the window's last full stop, quotation mark, `!` or `?`; the plain search over the whole
    window finds nothing in every window it skips. `_speaker_search_from` given those cue words
    gives what it gives when it reads them itself."""
    skipped = searched = 0
    for window in _windows() + _STOPS:
        lowered = window.lower()
        cues = names._before_word_starts(lowered)
        if not cues or len(lowered) != len(window):
            continue
        assert names._speaker_search_from(window, cues) == names._speaker_search_from(window)
        if cues[-1] > max(map(window.rfind, names._NOT_AFTER_CUE)):
            searched += 1
        else:
            assert names._BEFORE.search(window) is None, window
            skipped += 1
    assert skipped > 100 and searched > 50
