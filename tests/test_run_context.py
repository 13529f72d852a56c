"""The run context: one extractor and one set of caches per run, closed when the run ends."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.engines.extract import RulesExtractor
from verifier.ingest import load
from verifier.model.config import Settings
from verifier.model.lru import LRU
from verifier.run import pipeline
from verifier.run.context import RunContext
from verifier.web import serve

ROOT = Path(__file__).resolve().parents[1]
CHIPMAKER = ROOT / "examples" / "chipmaker-launch.md"  # its sources are named in its front matter
COUNCIL = ROOT / "examples" / "council-vote.txt"
RULES = Settings(engine="rules")


class Counting(RulesExtractor):
    """The rules engine, counting how often it is made and closed."""

    made = 0
    closed = 0

    def __init__(self) -> None:
        Counting.made += 1

    def close(self) -> None:
        Counting.closed += 1


@pytest.fixture
def counting(monkeypatch: pytest.MonkeyPatch) -> type[Counting]:
    Counting.made = Counting.closed = 0
    monkeypatch.setattr(pipeline, "make_extractor", lambda settings: Counting())
    return Counting


def test_a_run_makes_its_extractor_once_and_closes_it(counting: type[Counting]) -> None:
    results = list(pipeline.iter_checks([str(CHIPMAKER), str(COUNCIL), str(CHIPMAKER)], RULES))
    assert [r.report.error for r in results] == [None, None, None]
    assert (counting.made, counting.closed) == (1, 1)


def test_a_run_stopped_early_is_closed_too(counting: type[Counting]) -> None:
    checks = pipeline.iter_checks([str(COUNCIL), str(CHIPMAKER)], RULES)
    next(checks)
    assert counting.closed == 0
    checks.close()
    assert (counting.made, counting.closed) == (1, 1)


def test_an_extractor_passed_in_stays_its_owners(counting: type[Counting]) -> None:
    mine = Counting()
    with RunContext(RULES, mine) as run:
        assert run.extractor is mine
    assert counting.closed == 0
    list(pipeline.iter_checks([str(COUNCIL)], RULES, extractor=mine))
    assert (counting.made, counting.closed) == (1, 0)


def test_an_article_checked_alone_is_a_run_of_its_own(counting: type[Counting]) -> None:
    article = load.load_target(load.Target(str(COUNCIL)), RULES)
    pipeline.check_article(article, RULES)
    assert (counting.made, counting.closed) == (1, 1)


def test_the_run_holds_the_sources_it_read_and_drops_them_when_closed() -> None:
    article = load.load_target(load.Target(str(CHIPMAKER)), RULES)
    with RunContext(RULES) as run:
        first = pipeline.check_article(article, RULES, run=run)
        assert len(run.sources) == 2 and len(run.indexes) == 1  # two source files, one index
        docs = list(run.sources._items.values())
        again = pipeline.check_article(load.load_target(load.Target(str(CHIPMAKER)), RULES), RULES, run=run)
        assert list(run.sources._items.values()) == docs and len(run.indexes) == 1
        assert again.quotes == first.quotes
    assert len(run.sources) == 0 and len(run.indexes) == 0 and run.closed
    with pytest.raises(RuntimeError, match="the run is closed"):
        run.extractor  # noqa: B018


def test_the_review_server_shares_one_extractor_between_submissions(counting: type[Counting]) -> None:
    settings = serve.serve_settings(RULES)
    checker = serve.Checker(settings, workers=0)
    assert checker.run is not None
    text = COUNCIL.read_text(encoding="utf-8")
    for label in ("a.txt", "b.txt"):
        page = serve.run_check(serve.Submission(text=text, label=label, fmt="text", sources=[]),
                               settings, run=checker.run)
        assert f"verifier review: {text.splitlines()[0]}" in page
    checker.close()
    assert (counting.made, counting.closed) == (1, 1)


def test_an_lru_forgets_the_least_recently_used_entry_not_everything() -> None:
    cache: LRU[str, int] = LRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # now b is the least recently used
    cache.put("c", 3)
    assert "b" not in cache and cache.get("a") == 1 and cache.get("c") == 3 and len(cache) == 2
    with pytest.raises(ValueError):
        LRU(0)
