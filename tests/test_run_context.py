"""The run context: one extractor and one set of caches per run, closed when the run ends."""

from __future__ import annotations

import logging
import subprocess
import sys
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


# --------------------------------------------------------------------------- the llm extractor's resources


def test_importing_llm_adds_no_handler_to_any_logger() -> None:
    code = ("import logging, verifier.engines.llm\n"
            "print([(name, log.handlers) for name, log in logging.root.manager.loggerDict.items()\n"
            "       if getattr(log, 'handlers', None)])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_open_extractor_hushes_instructor_until_the_last_one_closes() -> None:
    from verifier.engines import llm

    log = logging.getLogger("instructor")
    before = list(log.handlers)  # other tests may leave extractors open: compare with that
    settings = Settings(engine="llm", base_url="http://127.0.0.1:9/v1", cache=False)
    first, second = llm.LLMExtractor(settings), llm.LLMExtractor(settings)
    assert llm._HUSH in log.handlers and log.handlers.count(llm._HUSH) == 1
    first.close()
    assert llm._HUSH in log.handlers, "the second is still open"
    second.close()
    second.close()  # twice does nothing
    assert log.handlers == before
    if not before:  # nothing else open: the logger is as it was before any extractor
        assert llm._hush_users == 0


def test_closing_an_llm_extractor_closes_its_http_client_and_the_cache_it_opened(tmp_path: Path) -> None:
    import sqlite3

    from verifier.engines import llm
    from verifier.engines.llmcache import LLMCache

    settings = Settings(engine="llm", base_url="http://127.0.0.1:9/v1", cache_dir=str(tmp_path))
    own = llm.LLMExtractor(settings)
    shared = LLMCache(tmp_path / "shared")
    lent = llm.LLMExtractor(settings, cache=shared)
    own.close()
    lent.close()
    assert own._raw._client.is_closed and lent._raw._client.is_closed
    with pytest.raises(sqlite3.ProgrammingError):
        len(own.cache)  # type: ignore[arg-type]
    assert len(shared) == 0, "a cache passed in stays open for its owner"
    shared.close()
