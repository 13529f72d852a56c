"""Saved reports read back for `verifier render`: the json and jsonl files `verifier check` writes.

A report holds everything the formats show except the draft's own text: its spans give offsets,
line:column and the words they cover, and `article` names the file (`path`, as given to the
check) and its bytes (`sha256`). The formats that show the draft (`NEEDS_ARTICLE`: text groups by
paragraph, html shows the reading view) get the draft loaded again from that path, and only when
its bytes still have that SHA-256, so a page never puts a report's highlights on a different text.
A report of standard input, of a draft since moved or changed, cannot be shown in those formats;
every other format renders from the report alone.

A jsonl file is read a line at a time (`iter_reports`), and each report's draft loaded as its turn
comes (`with_draft`), so `verifier render` of an archive's output in a format written article by
article (text, jsonl) holds one report at a time, as the check that wrote it did.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from pydantic import ValidationError

from verifier.model.config import Settings
from verifier.model.errors import InputError
from verifier.model.schema import MultiReport, Report
from verifier.render import Saved


def parse_reports(text: str, name: str) -> list[Report]:
    """The reports in a saved file: one report (`--format json`, one article), the object with
    `reports` (`--format json`, several), or one report per line (`--format jsonl`)."""
    try:
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            data = None
        if isinstance(data, dict) and "reports" in data:
            return MultiReport.model_validate(data).reports
        if isinstance(data, dict):
            return [Report.model_validate(data)]
        reports = []
        # JSON Lines end at LF only: a report may hold U+2028, U+0085 or a form feed in a string,
        # which `splitlines` would also split at
        for number, line in enumerate(text.split("\n"), 1):
            if line.strip():
                try:
                    reports.append(Report.model_validate_json(line))
                except ValidationError as exc:
                    raise InputError(f"line {number} is not a verifier report: {_first(exc)}",
                                     path=name) from None
        if not reports:
            raise InputError("holds no report", path=name)
        return reports
    except ValidationError as exc:
        raise InputError(f"not a verifier report (json or jsonl, schema version 1): {_first(exc)}",
                         path=name) from None


def iter_reports(lines: Iterable[str], name: str) -> Iterator[Report]:
    """The reports of a saved file given as its lines (LF-terminated), one at a time: a jsonl file
    (or a one-line json report) is read line by line; a json file whose first line is not a whole
    JSON value (indented), or that holds `reports`, is read whole by `parse_reports`."""
    rest = iter(lines)
    skipped: list[str] = []  # the blank lines before the first report
    for first in rest:
        if first.strip():
            break
        skipped.append(first)
    else:
        raise InputError("holds no report", path=name)
    number = len(skipped) + 1
    numbered = enumerate(rest, number + 1)
    try:
        head = json.loads(first)
    except json.JSONDecodeError:
        head = None
    if not isinstance(head, dict) or "reports" in head:  # one json document
        yield from parse_reports("".join(skipped) + first + "".join(line for _, line in numbered), name)
        return
    yield _line_report(first, number, name)
    for at, line in numbered:
        if line.strip():
            yield _line_report(line, at, name)


def _line_report(line: str, number: int, name: str) -> Report:
    try:
        return Report.model_validate_json(line)
    except ValidationError as exc:
        raise InputError(f"line {number} is not a verifier report: {_first(exc)}", path=name) from None


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"]) or "the top level"
    return f"{where}: {error['msg']}"


def with_drafts(reports: list[Report], settings: Settings) -> list[Saved]:
    """Each report with its draft, loaded again from `report.article.path` and checked against
    `report.article.sha256`; an `InputError` says which draft cannot be had, and why."""
    return [with_draft(report, settings) for report in reports]


def with_draft(report: Report, settings: Settings) -> Saved:
    """One report with its draft (see `with_drafts`)."""
    from verifier.ingest import load

    if report.error is not None:  # nothing was checked: the formats show only the error
        return Saved(report)
    path = report.article.path
    if path is None:
        raise InputError("a report of standard input cannot be shown in this format: the "
                         "report does not hold the draft's text",
                         hint="check the draft from a file, or choose json, jsonl, sarif, "
                              "github, junit or markdown")
    if not Path(path).is_file():
        raise InputError("the draft of this report is not there (paths in a report are as "
                         "given to the check: run render from the same folder)", path=path)
    article = load.load_target(load.Target(path), Settings(max_bytes=settings.max_bytes))
    if article.sha256 != report.article.sha256:
        raise InputError("the draft has changed since the report was written (its SHA-256 "
                         "differs), so the report's spans no longer fit it",
                         path=path, hint="check it again")
    article.cache.clear()
    return Saved(report, article)
