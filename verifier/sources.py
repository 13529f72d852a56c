"""sources: the material quotes are checked against (transcripts, press releases, wire copy)."""

from __future__ import annotations

from dataclasses import dataclass

from verifier.config import Settings
from verifier.schema import Article


@dataclass(slots=True)
class SourceDoc:
    path: str
    text: str


def sources_for(article: Article, settings: Settings) -> list[SourceDoc]:
    """The sources that apply to `article`."""
    return []
