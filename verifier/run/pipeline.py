"""The check pipeline: load -> segment -> quotes -> extract -> ground -> verify -> report.

Data flows one way. Each stage lives in its own module and sees only the schema; this module calls
them in order and turns a per-article failure into a report that carries the error, so a run over
many files always finishes.
"""

from __future__ import annotations

import functools
import multiprocessing
import multiprocessing.util
import signal
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from verifier.engines.extract import ClaimDraft, Extraction, Extractor, Progress, RulesExtractor
from verifier.ingest import load, sources
from verifier.model import catalog, report
from verifier.model.config import Settings
from verifier.model.errors import VerifierError
from verifier.model.schema import Article, Finding, Report, Segmentation, strip_range
from verifier.run.context import RunContext
from verifier.run.deadline import deadline
from verifier.stages import ground, policy, quotes, segment, sourcecheck, verify

_FAILED = catalog.rule("llm-failed")
LLM_FAILED = _FAILED.id


@dataclass(slots=True)
class Result:
    """One article's outcome: the report, and the article when it could be loaded."""

    report: Report
    article: Article | None = None

    @property
    def failed(self) -> bool:
        """The article could not be checked, or a model call failed for part of it."""
        return self.report.error is not None or any(f.rule == LLM_FAILED for f in self.report.findings)


def make_extractor(settings: Settings) -> Extractor:
    """The extractor for the configured engine (`auto` resolves by whether an LLM is configured),
    made by the factory registered under its name (`verifier.model.registry.ENGINES`)."""
    from verifier.model.registry import ENGINES

    extractor: Extractor = ENGINES.load(settings.resolved_engine())(settings)
    return extractor


def check_article(article: Article, settings: Settings, extractor: Extractor | None = None,
                  source_docs: list[sources.SourceDoc] | None = None,
                  progress: Progress | None = None, run: RunContext | None = None) -> Report:
    """Run every stage after `load` on one article; `progress` hears what a long run is doing.

    `run` is the run the article belongs to: its extractor (unless `extractor` is given) and its
    caches of sources. Without one, the article is a run of its own, closed when it is done."""
    if run is None:
        with RunContext(settings, extractor) as own:
            return check_article(article, settings, source_docs=source_docs, progress=progress, run=own)
    started = time.perf_counter()
    tell = progress or (lambda stage: None)
    extractor = extractor or run.extractor
    tell("quotes and speakers")
    seg = segment.segment(article)
    found = quotes.find_quotes(article, seg)
    tell("claims")
    extraction = extractor.extract(article, seg, progress)
    degraded, failed_findings = _degrade(article, seg, extraction)
    tell("verification")
    drafts, ground_findings = ground.ground_claims(article, extraction.drafts + degraded, extraction.unanchored)
    verified = verify.verify_claims(article, seg, drafts, found.quotes)
    if source_docs is None:
        source_docs = sources.sources_for(article, settings, run.sources)
    if source_docs:
        tell("quotes against sources")
    checked = sourcecheck.check_quotes(article, found.quotes, source_docs, run.indexes)
    findings = found.findings + failed_findings + ground_findings + verified.findings + checked.findings
    findings = policy.apply(findings, article, settings)
    extraction.usage.seconds = round(time.perf_counter() - started, 4)
    return report.build_report(article, extraction.engine, verified.claims, checked.quotes,
                               findings, extraction.usage)


def _degrade(article: Article, seg: Segmentation,
             extraction: Extraction) -> tuple[list[ClaimDraft], list[Finding]]:
    """For each chunk the model could not answer: the rules engine's claims of its sentences and
    an `llm-failed` finding naming the chunk. Quotes, speakers and source checks need no model
    and are reported as for any other article."""
    if not extraction.failed:
        return [], []
    rules = RulesExtractor().extract(article, seg).drafts
    drafts: list[ClaimDraft] = []
    findings: list[Finding] = []
    paragraphs = {p.index: p for p in seg.paragraphs}
    for chunk in extraction.failed:
        drafts += [d for d in rules if d.start is not None and chunk.start <= d.start < chunk.end]
        first = paragraphs.get(chunk.paragraphs[0]) if chunk.paragraphs else None
        start, end = strip_range(article.text, chunk.start, min(chunk.end, first.end) if first else chunk.end)
        to = article.span(chunk.end, chunk.end)
        findings.append(_FAILED.finding(span=article.span(start, end), number=chunk.index + 1,
                                        count=chunk.count, line=to.line, column=to.column,
                                        reason=chunk.message))
    return drafts, findings


def check_paths(paths: Iterable[str], settings: Settings,
                on_done: Callable[[Result], None] | None = None) -> list[Result]:
    """Check every article named by `paths` (files, directories, globs, '-' for stdin); the
    results in the order of `paths`. `iter_checks` hands them over one at a time instead."""
    results = []
    for result in iter_checks(paths, settings):
        results.append(result)
        if on_done:
            on_done(result)
    return results


@dataclass(slots=True)
class RunHooks:
    """What a caller hears from a run while it goes (the command line's progress bar)."""

    on_total: Callable[[int], None] | None = None  # how many articles will be checked
    on_stage: Callable[[str | None, str], None] | None = None  # (article path, stage) as it starts


def iter_checks(paths: Iterable[str], settings: Settings, hooks: RunHooks | None = None,
                skip: Callable[[load.Target], bool] | None = None,
                extractor: Extractor | None = None) -> Iterator[Result]:
    """Check every article named by `paths`, yielding each result, in the order of `paths`, as
    soon as it and those before it are done: a run over an archive holds one article at a time,
    or a few when several are checked at once, never the whole archive.

    The rules engine is CPU-bound: it checks one article at a time, or with `settings.jobs` > 1
    that many at once in worker processes. The LLM engine's time goes into waiting for the server,
    so up to `settings.concurrency` articles are checked at once by a bounded pool of threads
    sharing one client (and one cache), which overlaps those waits.

    `skip` leaves out targets already checked (`check --resume`). `hooks.on_total` hears the
    number of articles before the first is checked (the paths are then listed up front);
    `hooks.on_stage` hears each stage of each article, except in worker processes. `extractor`
    replaces the one the settings name (not in worker processes).

    The run's `RunContext` (a worker process has its own) owns the extractor and the caches of
    sources, and is closed when the last result has been handed over or the caller stops early.
    """
    from concurrent.futures import Executor, Future, ThreadPoolExecutor

    from verifier.run.workers import QuietPool

    targets: Iterable[load.Target] = load.expand_paths(paths, settings)
    if skip is not None:
        targets = (t for t in targets if not skip(t))
    if hooks is not None and hooks.on_total is not None:
        targets = list(targets)
        hooks.on_total(len(targets))
    on_stage = hooks.on_stage if hooks is not None else None
    pool: Executor
    run = RunContext(settings, extractor)
    try:
        if settings.resolved_engine() == "llm" and settings.resolved_concurrency()[0] > 1:
            workers = settings.resolved_concurrency()[0]
            _ = run.extractor  # made now: a configuration error stops the run before any article
            pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="verifier-check")
            work: Callable[[load.Target], Result] = functools.partial(
                _check_one, settings=settings, run=run, on_stage=on_stage)
        elif settings.resolved_engine() != "llm" and settings.jobs > 1:
            workers = settings.jobs
            # spawned, not forked: a fork copies whatever threads and locks the parent holds, and
            # Python 3.14 no longer forks by default on Linux either
            pool = QuietPool(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=_start_worker, initargs=(settings,))
            work = _check_in_worker
        else:
            _ = run.extractor
            for target in targets:
                yield _check_one(target, settings, run, on_stage)
            return
        try:
            pending: deque[Future[Result]] = deque()
            for target in targets:
                if target.error is not None:  # nothing to check: its error report, in its place
                    pending.append(Future())
                    pending[-1].set_result(Result(report.error_report(target.path, target.error)))
                else:
                    pending.append(pool.submit(work, target))
                if len(pending) >= 4 * workers:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            # Ctrl-C, an error, or the caller stopping early: the articles queued are dropped,
            # only those being checked are finished (waiting for the queue could take minutes)
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=True)
    finally:
        run.close()


_worker: tuple[Settings, RunContext] | None = None  # a worker process's settings and run


def _start_worker(settings: Settings) -> None:
    global _worker
    # Ctrl-C reaches every process of the terminal's group: the parent alone answers it (it
    # drops the queued articles and ends the pool), as a worker interrupted in the middle of the
    # pool's own queues could leave the parent waiting for ever
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    run = RunContext(settings)
    _ = run.extractor  # made once per worker, before its first article
    multiprocessing.util.Finalize(run, run.close, exitpriority=10)  # closed when the worker exits
    _worker = (settings, run)


def _check_in_worker(target: load.Target) -> Result:
    """`_check_one` in a worker process. The article's per-stage cache (name index, trigger
    positions) stays behind: the parent needs the article, not the work done on it."""
    assert _worker is not None, "worker not started"
    result = _check_one(target, *_worker)
    if result.article is not None:
        result.article.cache.clear()
    return result


def _check_one(target: load.Target, settings: Settings, run: RunContext,
               on_stage: Callable[[str | None, str], None] | None = None) -> Result:
    if target.error is not None:
        return Result(report.error_report(target.path, target.error))
    article = None
    try:
        with deadline(settings.timeout_per_article, target.path):
            article = load.load_target(target, settings)
            tell = functools.partial(on_stage, target.path) if on_stage is not None else None
            return Result(check_article(article, settings, progress=tell, run=run), article)
    except VerifierError as exc:
        usage = getattr(exc, "usage", None)  # what a budget-stopped article had already spent
        return Result(report.error_report(target.path, exc, article, usage=usage), article)
