"""The team's own articles (examples/ and the gold set), for tests that hold a shortcut to the
plain computation it replaces on real copy."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def team_articles() -> list[Path]:
    return sorted(p for p in [*ROOT.glob("examples/*.*"), *ROOT.glob("eval/gold/*/article.*")] if p.is_file())


def team_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in team_articles()]
