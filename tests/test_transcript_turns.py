"""Transcripts of one labelled turn: `ANA RUIZ: ...` alone is a speaker's words, not prose whose
first words are a name and a colon. And what stays prose."""

from __future__ import annotations

import pytest

from verifier.ingest import load
from verifier.ingest.sources import SourceDoc, find_turns
from verifier.model.config import Settings
from verifier.run import pipeline

DRAFT = ("Budget row\n\n“Frankly, the bill would cost more than that,” said Ana Ruiz.\n\n"
         "“It is a very good bill,” said Maria Lopez.\n")


def findings(source: str) -> list[tuple[str, str, str]]:
    article = load.load_text(DRAFT, path=None, fmt="text")
    report = pipeline.check_article(article, Settings(engine="rules"),
                                    source_docs=[SourceDoc(path="t.txt", text=source)])
    return [(f.rule, f.message, f.suggestion or "") for f in report.findings]


@pytest.mark.parametrize("source", [
    "ANA RUIZ: The bill would cost more than that. It is a very good bill.\n",
    "ANA RUIZ: The bill would cost more than that.\nIt is a very good bill.\n",
    "Ana Ruiz: The bill would cost more than that. It is a very good bill.",
    "\n  [00:01:07] Ana Ruiz (Finance Ministry): The bill would cost more than that. It is a very good bill.\n",
    "林晓峰：The bill would cost more than that. It is a very good bill.\n",
])
def test_a_single_labelled_turn_is_a_transcript(source: str) -> None:
    [turn] = find_turns(source)
    assert turn.speaker in ("ANA RUIZ", "Ana Ruiz", "林晓峰")
    assert source[turn.start:turn.end].strip().startswith("The bill")
    found = findings(source)
    # the label is not among the source's words: no diff or suggestion quotes it
    assert not any("RUIZ:" in m or "Ruiz:" in m or "RUIZ:" in s or "Ruiz:" in s for _, m, s in found), found
    altered = [m for rule, m, _ in found if rule == "quote-altered"]
    assert altered and "+ Frankly" in altered[0]
    # and the words of the one turn are its speaker's: crediting someone else is a finding
    assert any(rule == "quote-speaker-mismatch" and "Maria Lopez" in m for rule, m, _ in found), found


def test_before_the_label_was_a_source_word() -> None:
    """What the report said before (pinned so the difference is plain): the label's surname was
    diffed against the quote's first word and put into the suggestion."""
    found = findings("ANA RUIZ: The bill would cost more than that. It is a very good bill.\n")
    assert not any("Frankly -> RUIZ" in m for _, m, _ in found)


@pytest.mark.parametrize("source", [
    "WASHINGTON: The bill would cost more than that, officials said.\n",  # a dateline, one word
    "Update: The bill would cost more than that.\n",
    "Q: Would the bill cost more than that?\n",  # a role alone names nobody
    "The minister spoke. Ana Ruiz: The bill would cost more.\n",  # not at a line start
    "Budget row\n\nAna Ruiz: The bill would cost more than that.\n",  # not the document's start
    "Lumora Labs: Kestrel 3 ships\n\nThe bill would cost more than that, the company said.\n",  # a title
])
def test_what_stays_prose(source: str) -> None:
    assert find_turns(source) == []
