"""The command line: the only module that prints, reads sys.argv or exits.

Exit codes: 0 clean (below the fail level), 1 findings at or above the fail level, 2 usage, input,
configuration or LLM failure.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.progress import ProgressColumn, Task
from rich.text import Text
from typer.core import TyperCommand

from verifier import __version__
from verifier.model.config import Settings
from verifier.model.errors import UsageError, VerifierError
from verifier.model.options import EvalFormat, FailLevel, LLMMode
from verifier.model.registry import ENGINES, FORMATS, check_engine
from verifier.model.schema import at_or_above
from verifier.render._common import counted as _counted

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
# The help of --format lists the registered formats: the built-ins here (cheap); the plugins too
# when the help is shown (`RegistryHelp`), since finding them scans every installed package.
FORMAT_HELP = " | ".join(FORMATS.builtins()) + "."

app = typer.Typer(
    name="verifier",
    help="Check news copy: claims anchored to the draft and tagged attributed / "
    "benchmark_dependent / opinion, and quotes checked word for word against sources.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"verifier {__version__}")
        raise typer.Exit(EXIT_CLEAN)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """verifier: a claim and quote checker for news copy."""


ENGINE_HELP = "auto | " + " | ".join(ENGINES.builtins()) + " (or a plugin engine); auto: llm when a key or base URL is configured, else rules."


def _engine_flag(value: str | None) -> str | None:
    """--engine: `auto` or a registered engine, plugins included (a typer usage error otherwise)."""
    if value is not None:
        try:
            check_engine(value, "--engine")
        except UsageError as exc:
            raise typer.BadParameter(str(exc).removeprefix("--engine ")) from None
    return value


# what an option's value is, in its help (`--output FILE`), as README's Usage writes it; an option
# not listed is shown by its name in capitals, a choice by its choices
METAVARS = {"source": "FILE", "output": "FILE", "config": "FILE", "baseline": "FILE",
            "model": "NAME", "base_url": "URL", "fmt": "FORMAT", "cache_dir": "DIR", "state": "DIR",
            "reports_dir": "DIR", "host": "ADDRESS", "port": "PORT", "changed_since": "REV",
            "concurrency": "N", "jobs": "N", "max_retries": "N", "max_bytes": "N", "max_calls": "N",
            "max_upload": "BYTES", "workers": "N", "limit": "N", "max_requests": "N",
            "max_file_bytes": "BYTES", "max_sync": "N", "timeout": "SECONDS",
            "timeout_per_article": "SECONDS", "max_cost": "USD", "corpus": "NAME", "kind": "KIND"}


class Help(TyperCommand):
    """A command whose help names option values as README's Usage does (`--source FILE`,
    `--jobs N`), not by their Python types (`<list[str]>`, `<int>`), and shows an argument by its
    name alone (`PATH`, not `PATH <list[str]>`)."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        for param in self.params:  # typer's own click: told apart by kind, not by class
            if param.param_type_name == "argument":
                param.display_type_rich = lambda ctx: None  # type: ignore[attr-defined]
            elif (param.param_type_name == "option" and not getattr(param, "is_flag", False)
                  and param.metavar is None
                  and not getattr(getattr(param, "type_descriptor", None), "is_choice", False)):
                param.metavar = METAVARS.get(param.name or "", (param.name or "value").upper())
        super().format_help(ctx, formatter)


class RegistryHelp(Help):
    """A command whose --format help lists every registered format, plugins included. The
    plugins are looked for only when the help is shown: finding them scans every installed
    package, which a check has no need to wait for."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        for param in self.params:
            text = getattr(param, "help", None) or ""
            if param.name == "fmt" and text.startswith(FORMAT_HELP):
                param.help = FORMATS.choices() + "." + text[len(FORMAT_HELP):]  # type: ignore[attr-defined]
        super().format_help(ctx, formatter)


@app.command(cls=RegistryHelp)
def check(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Articles: .txt, .md, .html files, directories, globs, or - for stdin.")],
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="Source material to check quotes against (repeatable).")] = None,
    engine: Annotated[str | None, typer.Option(callback=_engine_flag, metavar="NAME", help=ENGINE_HELP)] = None,
    model: Annotated[str | None, typer.Option(help="LLM model name.")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible server URL (Ollama, vLLM, llama.cpp ...).")] = None,
    llm_mode: Annotated[LLMMode | None, typer.Option("--llm-mode", help="Override the instructor mode.")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report here instead of stdout.")] = None,
    fail_on: Annotated[FailLevel | None, typer.Option("--fail-on", help="Exit 1 on findings at or above this level (default error).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Configuration file (default: verifier.toml or pyproject.toml found upward).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not read or write the LLM cache.")] = False,
    cache_dir: Annotated[str | None, typer.Option("--cache-dir", help="Where the LLM cache lives.")] = None,
    concurrency: Annotated[int | None, typer.Option(help="Articles checked at once with the LLM engine.")] = None,
    jobs: Annotated[int | None, typer.Option(help="Processes checking articles with the rules engine (for archives: the number of cores).")] = None,
    timeout: Annotated[float | None, typer.Option("--timeout", help="Seconds to wait for one LLM answer (default 120).")] = None,
    max_retries: Annotated[int | None, typer.Option("--max-retries", help="Retries of a failed LLM request: connection, timeout, 429, 5xx (default 2).")] = None,
    max_bytes: Annotated[int | None, typer.Option("--max-bytes", help="Largest article or source accepted, in bytes (default 2 MB).")] = None,
    timeout_per_article: Annotated[float | None, typer.Option("--timeout-per-article", help="Seconds one article may take before it is stopped and reported as an error (default 600).")] = None,
    baseline: Annotated[Path | None, typer.Option("--baseline", help="Accepted findings (JSON): only findings not in it are reported.")] = None,
    update_baseline: Annotated[bool, typer.Option("--update-baseline", help="Write every current finding to the --baseline file and exit 0.")] = False,
    changed_since: Annotated[str | None, typer.Option("--changed-since", help="Check only paragraphs changed in git since this revision (e.g. origin/main).")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="With --format jsonl --output FILE: skip the articles FILE already reports (same file, same settings) and append the rest.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar (there is none either when stderr is not a terminal).")] = False,
    refresh: Annotated[bool, typer.Option("--refresh", help="Ask the model again for every chunk and overwrite its cached answer.")] = False,
    max_calls: Annotated[int | None, typer.Option("--max-calls", help="Stop the run before the LLM request that would pass N requests (exit 2, unchecked articles listed).")] = None,
    max_cost: Annotated[float | None, typer.Option("--max-cost", help="Stop the run before an LLM request that could pass this many USD (priced models only).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print the planned chunks, requests, estimated tokens and cost per article; ask nothing.")] = False,
) -> None:
    """Check articles and report claims, quotes and findings.

    Exit status: 0 when no finding reaches the --fail-on level (default: error), 1 when one does,
    2 on bad usage, unreadable input or configuration, or an LLM failure. Reports go to stdout,
    progress (when stderr is a terminal) and errors to stderr.
    """
    from verifier import render
    from verifier.model import config as config_mod
    from verifier.run import pipeline

    try:
        if jobs is not None and jobs < 1:
            raise _usage(f"--jobs must be 1 or more, not {jobs}")
        if concurrency is not None and concurrency < 1:
            raise _usage(f"--concurrency must be 1 or more, not {concurrency}")
        if max_calls is not None and max_calls < 0:
            raise _usage(f"--max-calls must be 0 or more, not {max_calls}")
        if max_cost is not None and max_cost < 0:
            raise _usage(f"--max-cost must be 0 or more, not {max_cost}")
        FORMATS.check(fmt, "--format")
        flags = {"engine": engine, "model": model, "base_url": base_url, "llm_mode": llm_mode,
                 "fail_on": fail_on, "cache_dir": cache_dir, "concurrency": concurrency, "jobs": jobs, "timeout": timeout, "max_retries": max_retries,
                 "max_bytes": max_bytes, "timeout_per_article": timeout_per_article,
                 "sources": list(source) if source else None,
                 "cache": False if no_cache else None, "config_path": str(config) if config else None,
                 "baseline": str(baseline) if baseline else None,
                 "update_baseline": True if update_baseline else None,
                 "changed_since": changed_since, "refresh": True if refresh else None,
                 "max_calls": max_calls, "max_cost": max_cost}
        start = Path(paths[0]) if paths and paths[0] != "-" else Path.cwd()
        settings = config_mod.resolve_settings(flags, start=start)
        if dry_run:
            _dry_run(paths, settings)
        _announce_llm(settings)
        accepted = _read_baseline(settings)
        if settings.changed_since:
            _check_revision(paths, settings.changed_since)
        resumed = _resume(output, fmt, settings, quiet) if resume else None
        _announce_engine(settings, fmt)
        progress = ProgressBar(enabled=sys.stderr.isatty() and not quiet,
                               stages=settings.resolved_engine() == "llm")
        hooks = pipeline.RunHooks(on_total=progress.total, on_stage=progress.stage)
        try:
            if settings.update_baseline:
                results = pipeline.check_paths(paths, settings, on_done=progress.step)
                progress.close()
                _update_baseline(results, settings)
            ctx = render.RenderContext(color=output is None and sys.stdout.isatty(),
                                       root=str(Path.cwd()), settings=settings)
            outcome = _Outcome.resumed(resumed) if resumed else _Outcome()
            accept = _baseline_filter(accepted)
            quiet_unchanged = _unchanged_filter(fmt, settings)

            def checked() -> Iterator[Any]:
                # each report is written as soon as it is ready (text, jsonl): an archive is never
                # held in memory whole
                for result in pipeline.iter_checks(paths, settings, hooks,
                                                   skip=resumed.skip if resumed else None):
                    progress.step(result)
                    result = accept(result) if accept else result
                    outcome.add(result)
                    if quiet_unchanged is None or not quiet_unchanged(result):
                        yield result

            with _opened(output, append=resume) as opened:
                out = progress.above(opened)
                try:
                    for piece in render.stream(fmt, checked(), ctx):
                        out.write(piece)
                        out.flush()
                except OSError as exc:  # stdout on a full disk, /dev/full, a closed pipe
                    raise _unwritable(output, exc) from None
        finally:
            progress.close()
        if quiet_unchanged is not None and quiet_unchanged.count:
            print(f"verifier: {_counted(quiet_unchanged.count, 'draft')} unchanged since "
                  f"{settings.changed_since} with nothing to report, not shown", file=sys.stderr)
        if accept and accept.stats.accepted:
            print(f"verifier: {_counted(accept.stats.accepted, 'finding')} accepted by the baseline {settings.baseline}",
                  file=sys.stderr)
    except VerifierError as exc:
        _fail(exc)
    except KeyboardInterrupt:
        _interrupted(output if resume else None)
    outcome.print_errors()
    raise typer.Exit(outcome.exit_code(settings.fail_on))


def _interrupted(resumable: Path | None) -> None:
    """Ctrl-C during a check: say what was kept and how to go on, and exit 130."""
    if resumable is not None:
        print(f"verifier: interrupted; {resumable} holds every article reported so far: "
              "run the same command again to check the rest", file=sys.stderr)
    else:
        print("verifier: interrupted (to stop an archive run and go on later, write it with "
              "--format jsonl --output FILE --resume)", file=sys.stderr)
    raise typer.Exit(130)


def _resume(output: Path | None, fmt: str, settings: Any, quiet: bool) -> Any:
    """--resume: what the output file already holds (tidied for appending)."""
    from verifier.run import resume as resume_mod

    if fmt != "jsonl" or output is None:
        raise _usage("--resume needs --format jsonl and --output FILE")
    if settings.update_baseline:
        raise _usage("--resume and --update-baseline do not go together")
    resumed = resume_mod.prepare(output, settings)
    if resumed.done and not quiet:
        dropped = f"; {_counted(resumed.dropped, 'line')} dropped to be redone" if resumed.dropped else ""
        print(f"verifier: resuming {output}: {_counted(len(resumed.done), 'article')} already "
              f"reported{dropped}", file=sys.stderr)
    return resumed


def _check_revision(paths: list[str], rev: str) -> None:
    """--changed-since: the revision must exist where each named path lives (an unknown one stops
    the run once, before any article is read, instead of failing every draft the same way)."""
    from verifier.ingest import changed

    for path in paths:
        if path != "-" and Path(path).exists():
            changed.check_revision(path, rev)


def _read_baseline(settings: Any) -> Any:
    """The baseline to filter with (read before the run, so a bad file costs no LLM calls)."""
    from verifier.stages import baseline as baseline_mod

    if settings.update_baseline:
        if not settings.baseline:
            raise _usage("--update-baseline needs --baseline FILE (or `baseline` in verifier.toml)")
        if settings.changed_since:
            # a partial check would drop the accepted findings of every unchanged paragraph
            raise _usage("--update-baseline checks whole drafts; drop --changed-since")
        return None
    return baseline_mod.read_baseline(settings.baseline) if settings.baseline else None


def _update_baseline(results: list, settings: Any) -> None:
    """--update-baseline: write every current finding to the baseline file and end the run."""
    from verifier.stages import baseline as baseline_mod

    count = baseline_mod.write_baseline(settings.baseline, results)
    print(f"verifier: wrote {_counted(count, 'accepted finding')} to {settings.baseline}", file=sys.stderr)
    outcome = _Outcome.of(results)
    outcome.print_errors()
    raise typer.Exit(EXIT_ERROR if outcome.failed else EXIT_CLEAN)


class _Unchanged:
    """--changed-since in text format: leaves out the drafts with no paragraph changed and nothing
    to report (their quotes were shown when they changed), counting them."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, result: Any) -> bool:
        from verifier.render import text

        if text.unchanged(result):
            self.count += 1
            return True
        return False


def _unchanged_filter(fmt: str, settings: Any) -> _Unchanged | None:
    """The filter of unchanged drafts for a terminal reader (text format with --changed-since);
    the machine formats (json, sarif ...) keep every draft's report."""
    return _Unchanged() if fmt == "text" and settings.changed_since else None


def _baseline_filter(accepted: Any) -> Any:
    """--baseline: a filter dropping the accepted findings from each result, or None."""
    from verifier.stages import baseline as baseline_mod

    return baseline_mod.BaselineFilter(accepted) if accepted is not None else None


class _Outcome:
    """What the exit status and the closing error lines need from a run, kept as it goes."""

    def __init__(self) -> None:
        self.failed = False
        self.severities: set[str] = set()
        self.errors: list[str] = []

    @classmethod
    def of(cls, results: list) -> _Outcome:
        outcome = cls()
        for result in results:
            outcome.add(result)
        return outcome

    @classmethod
    def resumed(cls, resumed: Any) -> _Outcome:
        """What the reports an output file already holds (`--resume`) add to the run's outcome."""
        outcome = cls()
        outcome.failed = resumed.failed
        outcome.severities.update(resumed.severities)
        return outcome

    def add(self, result: Any) -> None:
        if result.failed:
            self.failed = True
            path = result.report.article.path or "<stdin>"
            if result.report.error is not None and result.report.error.type == "LLMBudgetError":
                self.errors.append(f"{path}: not checked: {result.report.error.message}")
            elif result.report.error is not None:
                self.errors.append(result.report.error.message)
            self.errors.extend(f"{path}: {f.message}" for f in result.report.findings
                               if f.rule == "llm-failed")
        self.severities.update(str(f.severity) for f in result.report.findings)

    def print_errors(self) -> None:
        for message in self.errors:
            print(f"verifier: error: {_visible(message)}", file=sys.stderr)

    def exit_code(self, fail_on: str) -> int:
        """2 if any article failed, 1 if any finding is at or above `fail_on`, else 0."""
        if self.failed:
            return EXIT_ERROR
        if fail_on == FailLevel.NEVER:
            return EXIT_CLEAN
        return EXIT_FINDINGS if any(at_or_above(s, fail_on) for s in self.severities) else EXIT_CLEAN


def exit_code(results: list, fail_on: str) -> int:
    """2 if any article failed, 1 if any finding is at or above `fail_on`, else 0."""
    return _Outcome.of(results).exit_code(fail_on)


@app.command(cls=Help)
def rules(rule: Annotated[str | None, typer.Argument(metavar="RULE", help="A rule id: print its page.")] = None) -> None:
    """List every rule, or print one rule's page."""
    from verifier.model.catalog import RULES

    if rule is None:
        width = max(len(r) for r in RULES)
        for r in RULES.values():
            print(f"{r.id:<{width}}  {r.severity!s:<7}  {r.summary}")
        return
    if rule not in RULES:
        _fail(_usage(f"no rule named {rule!r}; `verifier rules` lists them"))
    print(RULES[rule].page(), end="")


@app.command("render", cls=RegistryHelp)
def render_(
    reports: Annotated[list[str], typer.Argument(metavar="REPORT", help="Saved reports: the json or jsonl files `verifier check` writes, or - for stdin.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the result here instead of stdout.")] = None,
    fail_on: Annotated[FailLevel | None, typer.Option("--fail-on", help="The fail level the formats show, and of the exit status (default error).")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Configuration file: severity overrides and disabled rules shown by sarif (default: found upward from here).")] = None,
) -> None:
    """Render saved reports again, in any format, without checking anything.

    The formats that show the draft's own text (text, html) read the draft again from the path
    the report names, and only when it is unchanged (its SHA-256); the others need only the
    report. Exit status as `check` gives for the same reports: 0, 1 on findings at or above
    --fail-on, 2 when a report records an error or a file cannot be read.
    """
    from verifier import render
    from verifier.model import config as config_mod
    from verifier.render import saved
    from verifier.run import pipeline

    try:
        FORMATS.check(fmt, "--format")
        settings = config_mod.resolve_settings(
            {"fail_on": fail_on, "config_path": str(config) if config else None}, start=Path.cwd())
        needs_draft = render.needs_article(fmt)
        outcome = _Outcome()

        def items() -> Iterator[Any]:
            # one report at a time: a jsonl archive in text or jsonl is never held whole
            for name in reports:
                with _report_lines(name) as lines:
                    for report in saved.iter_reports(lines, name):
                        item = saved.with_draft(report, settings) if needs_draft else render.Saved(report)
                        outcome.add(pipeline.Result(item.report))
                        yield item

        ctx = render.RenderContext(color=output is None and sys.stdout.isatty(),
                                   root=str(Path.cwd()), settings=settings)
        with _opened_late(output) as out:
            try:
                for piece in render.stream(fmt, items(), ctx):
                    out().write(piece)
            except OSError as exc:
                raise _unwritable(output, exc) from None
    except VerifierError as exc:
        _fail(exc)
    outcome.print_errors()
    raise typer.Exit(outcome.exit_code(settings.fail_on))


@contextlib.contextmanager
def _report_lines(name: str) -> Iterator[Iterator[str]]:
    """A saved report's lines (LF-terminated): a file, or stdin for '-'."""
    from verifier.ingest import textfile
    from verifier.model.errors import InputError

    def failed(exc: Exception) -> InputError:
        return InputError(f"cannot read the report: {getattr(exc, 'strerror', None) or exc}", path=name)

    def guarded(lines: Iterator[str]) -> Iterator[str]:
        try:
            yield from lines
        except (OSError, UnicodeDecodeError) as exc:
            raise failed(exc) from None

    if name == "-":
        yield guarded(iter(sys.stdin))
        return
    if Path(name).exists():  # a FIFO would block, /dev/zero never end (a missing file: below)
        textfile.regular_file_size(name, "report")
    try:
        handle = open(name, encoding="utf-8", newline="\n")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise failed(exc) from None
    with handle:
        yield guarded(iter(handle))


@contextlib.contextmanager
def _opened_late(output: Path | None) -> Iterator[Any]:
    """`_opened`, but the --output file is opened (and so created or emptied) only when the first
    piece is written: a report file that cannot be read leaves an existing output untouched."""
    with contextlib.ExitStack() as stack:
        opened: list[TextIO] = []

        def out() -> TextIO:
            if not opened:
                opened.append(stack.enter_context(_opened(output)))
            return opened[0]

        yield out


@app.command(cls=Help)
def serve(
    host: Annotated[str, typer.Option(help="Address to bind. Keep the default unless you mean to share the page.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0 picks a free one).")] = 8000,
    engine: Annotated[str | None, typer.Option(callback=_engine_flag, metavar="NAME", help=ENGINE_HELP)] = None,
    model: Annotated[str | None, typer.Option(help="LLM model name.")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible server URL.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Configuration file (default: found upward from here).")] = None,
    max_upload: Annotated[int, typer.Option("--max-upload", help="Largest upload accepted (draft and sources together), in bytes.")] = 5_000_000,
    workers: Annotated[int | None, typer.Option("--workers", help="Worker processes checking drafts at once (default: up to 4, one per core).")] = None,
    timeout_per_article: Annotated[float | None, typer.Option("--timeout-per-article", help="Seconds one check may take before it is stopped (default 600).")] = None,
) -> None:
    """Run the review page locally: paste or upload a draft and its sources, review the findings."""
    from verifier.model import config as config_mod
    from verifier.web import serve as serve_mod

    try:
        if workers is not None and workers < 1:
            raise _usage(f"--workers must be 1 or more, not {workers}")
        flags = {"engine": engine, "model": model, "base_url": base_url,
                 "config_path": str(config) if config else None,
                 "timeout_per_article": timeout_per_article}
        settings = config_mod.resolve_settings(flags, start=Path.cwd())
        try:
            server = serve_mod.make_server(host, port, settings, max_upload, workers=workers)
        except OSError as exc:
            raise _usage(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    except VerifierError as exc:
        _fail(exc)
    if host not in ("127.0.0.1", "localhost", "::1"):
        print(f"verifier: warning: listening on {host}: anyone who can reach it can run checks",
              file=sys.stderr)
    print(f"verifier: review page at {server.url} (engine {settings.resolved_engine()}); "
          "Ctrl-C stops it", file=sys.stderr)
    _stop_on_sigterm()
    try:
        server.serve_forever()
    finally:
        server.server_close()  # ends the worker processes too


def _stop_on_sigterm() -> None:
    """SIGTERM (a service manager, `kill`) stops the server as Ctrl-C does, so that its worker
    processes are ended with it."""
    import signal

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError, AttributeError):  # not the main thread; no SIGTERM here
        signal.signal(signal.SIGTERM, stop)


@app.command("eval", cls=Help)
def eval_(
    target: Annotated[str, typer.Argument(metavar="GOLD_DIR", help="A gold directory (DIR/<case>/gold.json ...), or with --corpus the corpus file.")],
    corpus: Annotated[str | None, typer.Option("--corpus", help="Score a published corpus file instead: polnear | newssd | checkthat | factcheck.")] = None,
    fmt: Annotated[EvalFormat, typer.Option("--format", "-f", help="A table or JSON.")] = EvalFormat.TEXT,
    engine: Annotated[str | None, typer.Option(callback=_engine_flag, metavar="NAME", help=ENGINE_HELP)] = None,
    model: Annotated[str | None, typer.Option(help="LLM model name.")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="OpenAI-compatible server URL.")] = None,
    llm_mode: Annotated[LLMMode | None, typer.Option("--llm-mode", help="Override the instructor mode.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the result here instead of stdout.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Gold set: list every miss, extra and wrong tag per case.")] = False,
    kind: Annotated[str, typer.Option(help="polnear: direct (quotes) or all (attributions vs claims tagged attributed).")] = "direct",
    reports_dir: Annotated[Path | None, typer.Option("--reports-dir", help="polnear: also write one <doc_id>.json report per article here.")] = None,
    limit: Annotated[int | None, typer.Option(help="Corpora: score only the first N items.")] = None,
    twosingle: Annotated[bool, typer.Option("--twosingle", help="polnear: two apostrophes ('') count as a quotation mark in the gold, as the product reads them in articles written so (LexisNexis-style archives).")] = False,
) -> None:
    """Measure accuracy on a gold directory or a published corpus; prints a table or JSON."""
    import json as json_mod

    from verifier.evaluation import corpora, evaluate
    from verifier.model import config as config_mod

    try:
        flags = {"engine": engine, "model": model, "base_url": base_url, "llm_mode": llm_mode}
        settings = config_mod.resolve_settings(flags, start=Path.cwd())
        _announce_engine(settings, fmt)
        if corpus is None:
            run = evaluate.run_gold(target, settings)
            data, text, failed = run.to_json(), evaluate.format_gold_table(run, verbose), run.totals["failed"]
        else:
            opts = {"kind": kind, "reports_dir": reports_dir, "twosingle": twosingle} if corpus == "polnear" else {}
            res = corpora.run_corpus(corpus, target, settings, limit=limit, **opts)
            data, text, failed = res.to_json(), res.text(), 0
    except VerifierError as exc:
        _fail(exc)
    _write(json_mod.dumps(data, ensure_ascii=False, indent=2) + "\n" if fmt == "json" else text, output)
    raise typer.Exit(EXIT_ERROR if failed else EXIT_CLEAN)


batch_app = typer.Typer(
    name="batch",
    help="The llm engine over the OpenAI Batch API, for archives: half the price, answers within "
    "24 hours. submit, then status, then collect (which writes the reports); cancel stops a run.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)
app.add_typer(batch_app, name="batch")

StateDir = Annotated[Path, typer.Option("--state", help="The folder recording the batch run (request files, batch ids, downloads).")]
DEFAULT_STATE = Path("verifier-batch")


@batch_app.command("submit", cls=Help)
def batch_submit(
    paths: Annotated[list[str], typer.Argument(metavar="PATH", help="Articles: files, directories or globs.")],
    state: StateDir = DEFAULT_STATE,
    model: Annotated[str | None, typer.Option(help="LLM model name.")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Server with the Files and Batches endpoints (default OpenAI).")] = None,
    llm_mode: Annotated[LLMMode | None, typer.Option("--llm-mode", help="Override the instructor mode.")] = None,
    config: Annotated[Path | None, typer.Option("--config", help="Configuration file (default: found upward from the first article).")] = None,
    cache_dir: Annotated[str | None, typer.Option("--cache-dir", help="Where the LLM cache lives.")] = None,
    max_requests: Annotated[int, typer.Option("--max-requests", help="Requests per batch file (the API takes at most 50,000).")] = 50_000,
    max_file_bytes: Annotated[int, typer.Option("--max-file-bytes", help="Bytes per batch file (the API takes at most 200 MB).")] = 200_000_000,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Write the request files and say what they hold and cost; upload nothing (the same command without --dry-run then starts them).")] = False,
) -> None:
    """Send every chunk of the articles that is not cached yet as Batch API requests."""
    from verifier.model import config as config_mod
    from verifier.run import batch

    with _errors_exit():
        if max_requests < 1 or max_file_bytes < 1:
            raise _usage("--max-requests and --max-file-bytes must be 1 or more")
        flags = {"engine": "llm", "model": model, "base_url": base_url, "llm_mode": llm_mode,
                 "cache_dir": cache_dir, "config_path": str(config) if config else None}
        settings = config_mod.resolve_settings(flags, start=Path(paths[0]))
        summary = batch.submit(paths, settings, state, max_requests=max_requests,
                               max_bytes=max_file_bytes, dry_run=dry_run)
    print(f"{_counted(summary.articles, 'article')}, {_counted(summary.chunks, 'chunk')}: {summary.cached} answered "
          f"from the cache, {summary.repeated} repeated, {summary.sent} "
          f"{'to send' if dry_run else 'sent'} in {_counted(len(summary.batches), 'batch', 'batches')}")
    if dry_run:
        _print_estimate(summary, settings)
        _print_batches(summary.batches)
        print("dry run: nothing uploaded; the same command without --dry-run starts these files")
        return
    for name in summary.skipped_articles:
        print(f"  not planned (unreadable; the check will report it): {name}")
    _print_batches(summary.batches)
    print(f"next: verifier batch status --state {state}, then verifier batch collect --state {state}")


@batch_app.command("status", cls=Help)
def batch_status(state: StateDir = DEFAULT_STATE) -> None:
    """Each batch's status and request counts."""
    from verifier.run import batch

    with _errors_exit():
        run = batch.status(state, _batch_settings(state))
    _print_batches(run.batches)
    running = sum(1 for b in run.batches if b.status in batch.RUNNING)
    print(f"{running} of {_counted(len(run.batches), 'batch', 'batches')} still running" if running else
          f"every batch has finished: verifier batch collect --state {state}")


@batch_app.command("cancel", cls=Help)
def batch_cancel(state: StateDir = DEFAULT_STATE) -> None:
    """Cancel the batches still running (what they answered can still be collected)."""
    from verifier.run import batch

    with _errors_exit():
        run = batch.cancel(state, _batch_settings(state))
    _print_batches(run.batches)


@batch_app.command("collect", cls=RegistryHelp)
def batch_collect(
    state: StateDir = DEFAULT_STATE,
    fmt: Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)] = "text",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the reports here instead of stdout.")] = None,
    fail_on: Annotated[FailLevel | None, typer.Option("--fail-on", help="Exit 1 on findings at or above this level (default error).")] = None,
    max_sync: Annotated[int | None, typer.Option("--max-sync", help="Refuse to ask more than this many chunks synchronously (at full price).")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Download and cache the answers, then write the reports of every article, as `check` does."""
    from verifier import render
    from verifier.run import batch, pipeline

    with _errors_exit():
        FORMATS.check(fmt, "--format")
        settings = _batch_settings(state, fail_on=fail_on)
        summary = batch.collect(state, settings, max_sync=max_sync)
        print(f"verifier: collected {_counted(summary.batches, 'batch', 'batches')} ({summary.already} before): "
              f"{_counted(summary.valid, 'valid answer')} cached, {summary.invalid} invalid "
              f"({summary.reasked} re-asked), {summary.failed} failed or never run; "
              f"{_counted(summary.to_ask, 'chunk')} left to ask synchronously", file=sys.stderr)
        paths = batch.RunState.load(state).paths
        progress = ProgressBar(enabled=sys.stderr.isatty() and not quiet, stages=True)
        hooks = pipeline.RunHooks(on_total=progress.total, on_stage=progress.stage)
        ctx = render.RenderContext(color=output is None and sys.stdout.isatty(),
                                   root=str(Path.cwd()), settings=settings)
        outcome = _Outcome()

        def checked(extractor: Any) -> Iterator[Any]:
            results = pipeline.iter_checks(paths, settings, hooks, extractor=extractor)
            for result in batch.reports(state, settings, results, summary.collected,
                                        summary.article_keys):
                progress.step(result)
                outcome.add(result)
                yield result

        try:
            with batch.check_extractor(state, settings) as extractor, _opened(output) as opened:
                out = progress.above(opened)
                for piece in render.stream(fmt, checked(extractor), ctx):
                    out.write(piece)
                    out.flush()
        finally:
            progress.close()
    outcome.print_errors()
    raise typer.Exit(outcome.exit_code(settings.fail_on))


def _batch_settings(state: Path, **flags: Any) -> Settings:
    """The settings a batch run was submitted with (the key from the environment)."""
    from verifier.model import config as config_mod
    from verifier.run import batch

    run = batch.RunState.load(state)
    start = Path(run.paths[0]) if run.paths else Path.cwd()
    return batch.run_settings(run, lambda recorded: config_mod.resolve_settings(
        {**recorded, **{k: v for k, v in flags.items() if v is not None}}, start=start))


def _print_estimate(summary: Any, settings: Settings) -> None:
    """A dry run's prompt tokens and what they cost at the batch price (answers not included)."""
    from verifier.engines import pricing
    from verifier.model.config import DEFAULT_MODEL

    model = settings.model or DEFAULT_MODEL
    cost = pricing.cost_usd(model, settings.base_url, summary.prompt_tokens, 0, batch=True)
    price = f"{_dollars(cost)} at the batch price" if cost is not None else "no price for this server"
    per_answer = pricing.cost_usd(model, settings.base_url, 0, 100 * summary.sent, batch=True)
    answers = f", plus {_dollars(per_answer)} per 100 answer tokens a request" if per_answer is not None else ""
    print(f"about {summary.prompt_tokens:,} prompt tokens (estimated): {price}{answers}")


def _dollars(amount: float) -> str:
    return f"${amount:,.2f}" if amount >= 1 else f"${amount:.4f}"


def _print_batches(batches: list) -> None:
    for b in batches:
        counts = f"{b.completed + b.failed}/{b.requests} done, {b.failed} failed"
        done = ", collected" if b.collected else ""
        print(f"  {b.id or '(not started)'}  {b.status}{done}  {counts}  "
              f"{Path(b.request_file).name} ({b.bytes:,} bytes)")
        if b.error:
            print(f"    failed: {b.error}")


class ProgressBar:
    """The run's progress on stderr: articles done of the total, the rate and the time left, and,
    for the llm engine, the stage the latest article is in. Silent unless `enabled` (stderr is a
    terminal and `--quiet` was not given)."""

    def __init__(self, enabled: bool, console: Any = None, stages: bool = False,
                 unit: str = "articles") -> None:
        self.enabled = enabled
        self.count = 0
        self._stages = stages
        self._bar: Any = None
        self._task: Any = None
        self._stage_task: Any = None
        self._above: _AboveBar | None = None
        if enabled:
            self._start(console, unit)

    def _start(self, console: Any, unit: str) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        console = console or Console(file=sys.stderr)
        self._bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             _RateColumn(unit), TextColumn("left"), TimeRemainingColumn(),
                             console=console, redirect_stdout=False, redirect_stderr=False,
                             transient=False)
        self._task = self._bar.add_task("checking", total=None)
        if self._stages:
            self._stage_task = self._bar.add_task("", total=None, visible=False)
        self._bar.start()

    def total(self, count: int) -> None:
        """The number of articles the run will check."""
        if self.enabled:
            self._bar.update(self._task, total=count)

    def stage(self, path: str | None, stage: str) -> None:
        """What the latest article is doing ("claims: chunk 2 of 5")."""
        if self.enabled and self._stage_task is not None:
            self._bar.update(self._stage_task, visible=True,
                             description=f"  {stage} · {path or '<stdin>'}")

    def step(self, result: object) -> None:
        """One article done."""
        self.count += 1
        if self.enabled:
            self._bar.advance(self._task)

    def above(self, out: TextIO) -> TextIO | io.TextIOBase:
        """Where to write the reports: `out`, or, when `out` is the terminal the bar is drawn on,
        a writer that prints them above the bar (unwrapped, colours kept) instead of through it."""
        if not self.enabled or not _same_terminal(out, sys.stderr):
            return out
        self._above = _AboveBar(self._bar.console)
        return self._above

    def close(self) -> None:
        if self.enabled and self._bar is not None:
            if self._above is not None:
                self._above.finish()
            if self._stage_task is not None:
                self._bar.update(self._stage_task, visible=False)
            self._bar.stop()
            self._bar = None
            self.enabled = False


class _AboveBar(io.TextIOBase):
    """Whole lines written here are printed above a live progress bar."""

    def __init__(self, console: Any) -> None:
        self._console = console
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            lines, self._pending = self._pending.rsplit("\n", 1)
            self._console.print(Text.from_ansi(lines), soft_wrap=True)
        return len(text)

    def finish(self) -> None:
        """Print what is left of an unfinished last line."""
        if self._pending:
            self._console.print(Text.from_ansi(self._pending), soft_wrap=True)
            self._pending = ""


def _same_terminal(a: TextIO, b: TextIO) -> bool:
    try:
        return a.isatty() and b.isatty() and os.fstat(a.fileno()).st_rdev == os.fstat(b.fileno()).st_rdev
    except (OSError, ValueError, io.UnsupportedOperation):
        return False


class _RateColumn(ProgressColumn):
    """Articles a second, over rich's recent window (blank until two have finished)."""

    def __init__(self, unit: str) -> None:
        super().__init__()
        self.unit = unit

    def render(self, task: Task) -> Text:
        speed = task.speed
        if speed is None:
            return Text(f"- {self.unit}/s")
        return Text(f"{speed:.1f} {self.unit}/s" if speed < 100 else f"{speed:.0f} {self.unit}/s")


def _announce_llm(settings: Settings) -> None:
    """The LLM engine's concurrency, and why (a local server answers one request at a time)."""
    if settings.resolved_engine() != "llm":
        return
    workers, why = settings.resolved_concurrency()
    print(f"verifier: checking {_counted(workers, 'article')} at once: {why}", file=sys.stderr)


def _dry_run(paths: list[str], settings: Settings) -> None:
    """--dry-run: the planned chunks, requests, estimated tokens and cost per article; no call."""
    from verifier.engines import llm, pricing
    from verifier.ingest import load
    from verifier.stages import segment

    if settings.resolved_engine() != "llm":
        raise _usage("--dry-run plans LLM requests; it needs --engine llm (or a configured LLM)")
    with contextlib.closing(llm.LLMExtractor(settings)) as extractor:  # its HTTP client and cache
        total_requests = 0
        print(f"{'article':<40} {'chunks':>6} {'cached':>6} {'requests':>8} {'prompt tok':>10} "
              f"{'output tok':>10} {'cost USD':>9}")
        for target in load.expand_paths(paths, settings):
            if target.error is not None:
                print(f"{target.path:<40} not readable: {target.error}")
                continue
            article = load.load_target(target, settings)
            plan = extractor.plan(article, segment.segment(article))
            asked = [p for p in plan if not p["cached"]]
            prompt = sum(p["prompt_tokens"] for p in asked)
            output = sum(p["output_tokens"] for p in asked)
            cost = pricing.cost_usd(extractor.model, extractor.base_url, prompt, output)
            total_requests += len(asked)
            print(f"{str(target.path)[-40:]:<40} {len(plan):>6} {len(plan) - len(asked):>6} {len(asked):>8} "
                  f"{prompt:>10} {output:>10} {'n/a' if cost is None else f'{cost:.4f}':>9}")
    print(f"verifier: dry run: {_counted(total_requests, 'request')} planned (one per uncached chunk; an invalid "
          f"answer adds one re-ask, a cut-off one its two halves); nothing was sent", file=sys.stderr)
    raise typer.Exit(EXIT_CLEAN)


def _announce_engine(settings: Settings, fmt: str) -> None:
    # the text format says it in its header; the others say it on stderr
    if settings.engine == "auto" and settings.resolved_engine() == "rules" and fmt != "text":
        print("verifier: no LLM configured (OPENAI_API_KEY / --base-url); using the rules engine",
              file=sys.stderr)


def _write(text: str, output: Path | None) -> None:
    with _opened(output) as out:
        out.write(text)


@contextlib.contextmanager
def _opened(output: Path | None, append: bool = False) -> Iterator[TextIO]:
    """Where the report goes: stdout, or the --output file, opened before the run so that an
    unwritable path fails at once rather than after every article has been checked."""
    if output is None:
        yield sys.stdout
        return
    try:
        out = output.open("a" if append else "w", encoding="utf-8")
    except OSError as exc:
        raise _usage(f"cannot write {output}: {exc.strerror}") from exc
    with out:
        yield out


EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for `yes | head`


def _unwritable(output: Path | None, exc: OSError) -> VerifierError:
    """The error for a report that could not be written; stdout is silenced so that Python's
    own flush at exit does not fail a second time with a traceback. A reader that went away
    (`verifier check archive | head`) is no error to report: the run stops quietly with 141, as
    a tool killed by SIGPIPE does."""

    if output is None:
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        if isinstance(exc, BrokenPipeError):
            raise typer.Exit(EXIT_PIPE_CLOSED)
    where = str(output) if output is not None else "standard output"
    return UsageError(f"cannot write the report to {where}: {exc.strerror or exc}")


def _usage(message: str) -> VerifierError:

    return UsageError(message)


def _fail(exc: VerifierError) -> None:
    print(f"verifier: error: {_visible(str(exc))}", file=sys.stderr)
    raise typer.Exit(EXIT_ERROR)


@contextlib.contextmanager
def _errors_exit() -> Iterator[None]:
    """A `VerifierError` raised in the block ends the command as `_fail` does (one line on stderr,
    exit 2): the shape every batch subcommand shares."""
    try:
        yield
    except VerifierError as exc:
        _fail(exc)


def _visible(message: str) -> str:
    """One line on stderr, with any control character from a file name or a draft escaped."""
    from verifier.render._common import escape_controls

    return escape_controls(message.replace("\n", " "))


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        print("verifier: interrupted", file=sys.stderr)
        sys.exit(130)
    except MemoryError:
        print("verifier: error: out of memory (lower --max-bytes, or check fewer articles at once)",
              file=sys.stderr)
        sys.exit(EXIT_ERROR)


if __name__ == "__main__":
    main()
