"""What the quote stage makes of a team-written text, for the speaker tests."""

from __future__ import annotations

from verifier.ingest import load
from verifier.stages import quotes, segment


def quotes_of(text: str, fmt: str = "text") -> list[tuple[str, str | None, str | None]]:
    """Each quote of `text` as (words, resolved speaker, sieve that named it)."""
    article = load.load_text(text, fmt=fmt)  # type: ignore[arg-type]
    found = quotes.find_quotes(article, segment.segment(article))
    return [(q.text, q.speaker, sieve) for q, sieve in zip(found.quotes, found.sieves, strict=True)]
