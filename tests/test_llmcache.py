"""llmcache: answers survive a reopen, keys cover what shapes an answer, nothing secret is stored."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from verifier.engines.llmcache import FILENAME, LLMCache, cache_key, default_cache_dir


def test_put_get_and_reopen(tmp_path: Path) -> None:
    cache = LLMCache(tmp_path)
    key = cache_key(model="m", base_url="u", messages=[{"role": "user", "content": "“Hi”"}])
    assert cache.get(key) is None
    cache.put(key, {"claims": [{"evidence": "“Hi”"}]})
    cache.close()
    again = LLMCache(tmp_path)
    assert again.get(key) == {"claims": [{"evidence": "“Hi”"}]}
    assert len(again) == 1 and (tmp_path / FILENAME).exists()


def test_key_depends_on_every_part_but_not_their_order() -> None:
    base = {"model": "m", "base_url": "u", "prompt": "p@1", "schema": "s", "messages": ["x"]}
    assert cache_key(**base) == cache_key(**dict(reversed(list(base.items()))))
    for name in base:
        assert cache_key(**{**base, name: "other"}) != cache_key(**base)


def test_default_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "verifier"


def test_threads_share_one_cache(tmp_path: Path) -> None:
    cache = LLMCache(tmp_path)

    def work(n: int) -> None:
        for i in range(20):
            cache.put(f"{n}-{i}", {"n": n, "i": i})
            assert cache.get(f"{n}-{i}") == {"n": n, "i": i}

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(cache) == 80


def test_an_unusable_cache_dir_is_a_config_error(tmp_path: Path) -> None:
    from verifier.model.errors import ConfigError

    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    with pytest.raises(ConfigError, match="--no-cache"):
        LLMCache(blocker / "cache")
