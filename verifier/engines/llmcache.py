"""llmcache: the on-disk cache of model answers, so an unchanged draft is never paid for twice.

One SQLite file (`llm-cache.sqlite3`) in the user cache directory, or in `--cache-dir`. The key is
a SHA-256 over everything that shapes an answer: model, base URL, instructor mode, prompt version,
response schema and the rendered messages (which hold the chunk text). The value is the model's
parsed answer as JSON. Neither holds a secret: the API key is never part of a key or a value.
Safe to share between threads (one connection behind a lock) and processes (SQLite's own locking).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Any

from verifier.model.errors import ConfigError

FILENAME = "llm-cache.sqlite3"


def default_cache_dir() -> Path:
    """The per-user cache directory of verifier on this platform."""
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "verifier"


def cache_key(**parts: Any) -> str:
    """A stable key over JSON-serialisable parts (order of the keywords does not matter)."""
    blob = json.dumps(parts, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class LLMCache:
    """Answers by key, in one SQLite file."""

    def __init__(self, directory: str | Path | None = None) -> None:
        folder = Path(directory) if directory else default_cache_dir()
        self.path = folder / FILENAME
        self._lock = threading.Lock()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            with self._lock, self._db:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("CREATE TABLE IF NOT EXISTS answers ("
                                 "key TEXT PRIMARY KEY, value TEXT NOT NULL, created REAL NOT NULL)")
        except (OSError, sqlite3.Error) as exc:
            raise ConfigError(f"cannot use the LLM cache at {self.path}: {exc}",
                              hint="pass --cache-dir DIR or --no-cache") from exc

    def get(self, key: str) -> Any | None:
        """The stored answer, or None."""
        with self._lock:
            row = self._db.execute("SELECT value FROM answers WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def put(self, key: str, value: Any) -> None:
        """Store an answer (replacing any older one under the same key)."""
        blob = json.dumps(value, ensure_ascii=False)
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO answers (key, value, created) VALUES (?, ?, ?)",
                             (key, blob, time.time()))

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT COUNT(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
