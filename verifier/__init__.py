"""verifier: a claim and quote checker for news copy.

The public API, for use from Python (the command line is built on the same pipeline):

    from verifier import Settings, check_text

    report = check_text("The council voted 7-2 on Tuesday.", path="draft.txt")
    for claim in report.claims:
        print(claim.text, claim.tags)

`check_text` checks one article held in memory, `check_paths` the files, folders and globs the
`verifier check` command takes; both return `Report` objects (the JSON report contract,
`schema/report.schema.json`). `Settings()` is the rules engine with the command line's defaults;
nothing is read from the environment or from configuration files unless the caller does so
(`verifier.model.config.resolve_settings`). Errors raised on purpose are `VerifierError`s.

Importing `verifier` is cheap: the pipeline is imported by the first check, and `Report` and
`Settings` (pydantic models) when they are first named.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

from verifier.model.errors import (  # noqa: E402 - after __version__, which modules import
    CheckTimeoutError,
    ConfigError,
    InputError,
    LLMAuthError,
    LLMBudgetError,
    LLMError,
    LLMNotFoundError,
    LLMRateLimitError,
    LLMResponseError,
    LLMTimeoutError,
    SourceError,
    UsageError,
    VerifierError,
)

if TYPE_CHECKING:
    from verifier.model.config import Settings
    from verifier.model.schema import Report
    from verifier.run.pipeline import Result

__all__ = [
    "CheckTimeoutError",
    "ConfigError",
    "InputError",
    "LLMAuthError",
    "LLMBudgetError",
    "LLMError",
    "LLMNotFoundError",
    "LLMRateLimitError",
    "LLMResponseError",
    "LLMTimeoutError",
    "Report",
    "Settings",
    "SourceError",
    "UsageError",
    "VerifierError",
    "__version__",
    "check_paths",
    "check_text",
]


def check_text(text: str, *, path: str | None = None, settings: Settings | None = None,
               sources: Mapping[str, str] | None = None) -> Report:
    """Check one article held in memory and return its report.

    `path` names the article in the report and decides its format by its suffix (`.md`, `.html`,
    ...); without one the format is guessed from the text, as for standard input. `sources` maps
    a label to the text of a source document (a transcript, a press release) that the quotes are
    checked against; when it is None, the sources the settings or the article's front matter name
    are read from disk, as `verifier check` does. The settings' `baseline`, when set, removes the
    findings it accepts.

    Raises `InputError` for text over `settings.max_bytes`, `CheckTimeoutError` past
    `settings.timeout_per_article` (kept only in a main thread) and `LLMError` when the model
    could not be used.
    """
    from verifier.ingest import load
    from verifier.ingest.sources import SourceDoc
    from verifier.model.config import Settings
    from verifier.run import pipeline
    from verifier.run.deadline import deadline

    settings = settings or Settings()
    target = load.Target(path, data=text.encode("utf-8"))
    with deadline(settings.timeout_per_article, path):
        article = load.load_target(target, settings)
        docs = None if sources is None else [SourceDoc(path=label, text=body)
                                             for label, body in sources.items()]
        report = pipeline.check_article(article, settings, source_docs=docs)
    return _accepted([pipeline.Result(report, article)], settings)[0].report


def check_paths(paths: Iterable[str], settings: Settings | None = None) -> list[Report]:
    """Check every article named by `paths` (files, folders, globs; `-` reads standard input) and
    return their reports in that order. An article that cannot be read or checked does not stop
    the run: its report carries the error (`report.error`), as in `verifier check`. The settings'
    `baseline`, when set, removes the findings it accepts."""
    from verifier.model.config import Settings
    from verifier.run import pipeline

    settings = settings or Settings()
    return [result.report for result in _accepted(pipeline.check_paths(paths, settings), settings)]


def _accepted(results: list[Result], settings: Settings) -> list[Result]:
    """The results less the findings the settings' baseline accepts (all of them without one)."""
    if not settings.baseline:
        return results
    from verifier.stages import baseline

    return baseline.apply_baseline(results, baseline.read_baseline(settings.baseline))[0]


def __getattr__(name: str) -> Any:
    """`Report` and `Settings` on first use, so that importing the package does not import pydantic."""
    if name == "Report":
        from verifier.model.schema import Report

        return Report
    if name == "Settings":
        from verifier.model.config import Settings

        return Settings
    raise AttributeError(f"module 'verifier' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
