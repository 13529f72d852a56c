"""The invariants of `scripts/fuzz.py` over a fixed set of drafts it generates: sentences from its
templates (titles, honorifics, `of` phrases, possessives, appositives, nested and unbalanced quotes
of every kind, Chinese, zero-width and bidi characters, odd line ends, markup) and mutations of
them, each checked in one of the three formats. No exception but a `VerifierError`, no span that
is not the draft's text at its offsets and line:column, a report that validates against the
committed schema and renders."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from verifier.run import pipeline

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
try:
    import fuzz
finally:
    sys.path.remove(str(ROOT / "scripts"))

SEED = 20261201
DRAFTS = 300


def drafts() -> list[tuple[str, str]]:
    rng = random.Random(SEED)
    out = []
    for i in range(DRAFTS):
        text = fuzz.generated(rng, paragraphs_at_most=3, longest=300)
        if i % 2:
            text = fuzz.mutate(rng, text, fuzz.generated(rng, paragraphs_at_most=2, longest=300))
        out.append((fuzz.FORMATS[i % 3], text))
    return out


def test_the_generated_drafts_are_the_same_for_a_seed() -> None:
    assert drafts() == drafts()
    assert len({text for _, text in drafts()}) > DRAFTS * 0.9


@pytest.mark.parametrize("part", range(3))
def test_generated_drafts_keep_every_invariant(part: int) -> None:
    for i, (fmt, text) in enumerate(drafts()):
        if i % 3 != part:
            continue
        failure = fuzz.check(text, fmt)  # type: ignore[arg-type]
        assert failure is None, f"draft {i} ({fmt}): {failure}\n{text!r}"


def test_the_check_finds_a_broken_span(monkeypatch: pytest.MonkeyPatch) -> None:
    """The invariant check can fail: a report whose span is moved by one is caught."""
    real = pipeline.check_article

    def shifted(*args: object, **kwargs: object) -> object:
        report = real(*args, **kwargs)  # type: ignore[arg-type]
        quote = report.quotes[0]
        quote.span = quote.span.model_copy(update={"start": quote.span.start + 1})
        return report

    monkeypatch.setattr(pipeline, "check_article", shifted)
    failure = fuzz.check("“We will build it,” Ana Ruiz said.", "text")
    assert failure is not None and failure.kind == "invariant"
