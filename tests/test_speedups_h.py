"""Speed shortcuts of the quote stage and the name index give what the plain computation they
replace gives, on the team's texts, on stretches of them and on crafted cases. Each test names the
plain form it pins the fast one to."""

from __future__ import annotations

import re

from tests.team_articles import team_texts
from verifier.stages import names

# cues after quotes and commas of every kind the speaker patterns read: inverted, passive,
# `according to`, quote-only cues, cue phrases, a cue inside a longer word, capitals, no cue at all
_CRAFTED = [
    '"We stay," said Ana Ruiz, the mayor. "We go," Roe said. "Fine," he added, according to the Ledger.',
    '"No," was echoed by Ana Ruiz. The plan, according to Bo Lind of the Board, and according to Roe, fails.',
    '"Maybe," Roe quipped. "Sure," Lind scoffed. "No," the union told reporters, said Roe, ANA RUIZ SAID.',
    '"Never," Roe made clear. "Soon," Lind went on to say. "Well," unsaid Roe, "sayings," the sayer.',
    '“It works,” Ruiz, a teacher from Salem, Ohio, wrote on Monday. “It fails,” the Board’s chairman said.',
    '"Rates rose," the Ledger reported. "Up again," the Ledger reports. "Down," reports the Ledger.',
    '"Yes," an angry Roe retorted. "No." Then, she said, "maybe," according to data. ,   said Roe Bo.',
]


def _pieces() -> list[str]:
    texts = team_texts() + _CRAFTED
    return texts + [t[i:i + 300] for t in texts for i in range(0, len(t), 113)]


def test_the_match_with_its_cue_at_a_cue_is_the_one_the_whole_window_gives():
    """`speech_mentions` takes the match whose cue starts at a cue word (`_with_cue_at`: it stops
    at the first match whose cue starts there or later); the plain form reads every match of the
    window and keeps the one whose cue starts there."""
    patterns = (names._ACCORDING, names._INVERTED_ANYWHERE, names._PASSIVE_BY)
    found = 0
    for text in _pieces():
        # every word start, not only the cue words, so that windows without a match at `at` count too
        for word in re.finditer(r"\w+", text):
            at = word.start()
            for pattern in patterns:
                lo, hi = max(0, at - 20), min(len(text), at + names._AHEAD)
                plain = [m for m in pattern.finditer(text, lo, hi) if m.start("cue") == at]
                fast = names._with_cue_at(pattern, text, lo, hi, at)
                assert (fast.span() if fast else None) == (plain[0].span() if plain else None), text[at:at + 60]
                found += bool(plain)
    assert found > 50


def test_the_speaker_after_a_quote_is_the_one_the_ungated_patterns_give():
    """`attribution_after` runs its two cue patterns only on a window holding a cue word; the plain
    form runs them on every window."""

    def plain(text: str, start: int, end: int) -> tuple[str, names.Mention] | None:
        window = text[start:min(end, start + 300)]
        if names.CHINESE_CHAR.search(window[:20]):
            m = names._ZH_AFTER.match(window)
            return names._zh_mention(m, start) if m else None
        for pattern in (names._AFTER_INVERTED, names._AFTER_NORMAL):
            m = pattern.match(window)
            if m and (mention := names._mention(m, start)) is not None:
                return names._cue_text(m.group("cue")), mention
        m = names._AFTER_PASSIVE.match(window)
        if m and (mention := names._mention(m, start)) is not None:
            return names._cue_text(m.group("cue")), mention
        if text[max(0, start - 3):start].rstrip("”\"」』 ").endswith((",", "?", "!", "—", "–")):
            m = names._AFTER_ANY_VERB.match(window) if "ed" in window[:160] else None
            if m and (mention := names._mention(m, start)) is not None:
                return names._cue_text(m.group("cue")), mention
        return None

    named = skipped = 0
    for text in _pieces():
        # after every closing mark and every comma, as the quote stage and the split sieve read
        for mark in re.finditer(r"[\"”’,?!]", text):
            start = mark.end()
            end = text.find(".", start)
            end = len(text) if end < 0 else end + 1
            expected = plain(text, start, end)
            assert names.attribution_after(text, start, end) == expected, text[start:start + 60]
            named += expected is not None
            skipped += not names._before_word_starts(text[start:min(end, start + 300)].lower())
    assert named > 100 and skipped > 100


def test_a_full_name_kept_per_name_and_offset_is_the_one_computed_there():
    """`NameIndex.full_name` keeps each answer by name and offset; the plain form computes it at
    every call (`_full_name`). Asked in a shuffled order, twice, at every word of every text, for
    the surnames, the full names and the titled names the index holds (an answer that depends on
    the offset, a surname before and after its person is named, shows a key that forgets it)."""
    import random

    texts = [*team_texts(), *_CRAFTED,
             "Ruiz spoke first. Ana Ruiz, the mayor, said no. Later Bo Ruiz said yes. Ruiz left. Mr. Ruiz stayed."]
    differ = 0
    for text in texts:
        index = names.NameIndex(text)
        asked = {n for _, full, _ in index.names for n in [full, full.split()[-1], f"Mr. {full.split()[-1]}"]}
        calls = [(n, w.start()) for n in sorted(asked) for w in re.finditer(r"\S+", text)][:4000]
        random.Random(7).shuffle(calls)
        for name, at in calls + calls:
            assert index.full_name(name, at) == index._full_name(name, at), (name, at)
        for name in asked:
            differ += len({index._full_name(name, at) for asked_name, at in calls if asked_name == name}) > 1
    assert differ > 3
