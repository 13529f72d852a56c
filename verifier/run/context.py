"""The run context: what one run owns, shares between its articles, and closes when it ends.

    with RunContext(settings) as run:
        for article in articles:
            pipeline.check_article(article, settings, run=run)

It holds the extractor (made on first use by the factory the engine's name is registered under,
or the one passed in, which stays its owner's to close), the source files read and the source
indexes built (bounded, the least recently used dropped first). `close()` closes the extractor it
made (the llm engine's HTTP client and cache) and drops the caches. One context may serve several
threads at once (the llm engine's concurrency, the review server's in-process checks).

Whoever makes an extractor closes it: a run made here, `pipeline.iter_checks`, the corpus adapters
(`evaluation.corpora.Checker`), the Batch API commands (`run.batch`) and the scripts each close the
extractors they make (through a context, `with` or `try`/`finally`).

What is per article by nature, and so not the run's: the name index (`stages.names.index_for`:
the full names, speech mentions and genders of one article's text, at its offsets), the signal
trigger positions, the boilerplate index, the quote starts and the subjectivity scores of its
sentences. They live in `Article.cache`, are built once per article, shared by its stages, and go
with the article (a worker process clears them before sending the article back). The name index
builder's only cross-article memory is two memo tables of pure string functions
(`names.clean_name`, `names._tokens`: the same answer in every run, bounded LRU): they hold nothing
a run owns or has to close, so they stay with the module.
"""

from __future__ import annotations

import threading
from types import TracebackType
from typing import TYPE_CHECKING

from verifier.model.lru import LRU

if TYPE_CHECKING:
    from verifier.engines.extract import Extractor
    from verifier.ingest.sources import SourceCache
    from verifier.model.config import Settings
    from verifier.stages.sourcecheck import IndexCache

SOURCE_FILES = 256  # parsed source files kept by a run
SOURCE_INDEXES = 4  # distinct sets of sources whose index a run keeps


class RunContext:
    """The extractor and the caches of one run."""

    def __init__(self, settings: Settings, extractor: Extractor | None = None) -> None:
        self.settings = settings
        self._extractor = extractor
        self._owns_extractor = extractor is None
        self._lock = threading.Lock()
        self.sources: SourceCache = LRU(SOURCE_FILES)
        self.indexes: IndexCache = LRU(SOURCE_INDEXES)
        self.closed = False

    @property
    def extractor(self) -> Extractor:
        """The run's extractor, made on first use."""
        with self._lock:
            if self.closed:
                raise RuntimeError("the run is closed")
            if self._extractor is None:
                from verifier.run.pipeline import make_extractor

                self._extractor = make_extractor(self.settings)
            return self._extractor

    def close(self) -> None:
        """Close the extractor this context made and drop the caches; twice does nothing."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            extractor, self._extractor = self._extractor, None
        self.sources.clear()
        self.indexes.clear()
        close = getattr(extractor, "close", None) if self._owns_extractor else None
        if close is not None:
            close()

    def __enter__(self) -> RunContext:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
