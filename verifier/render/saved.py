"""Saved reports read back for `verifier render`: the json and jsonl files `verifier check` writes.

A report holds everything the formats show except the draft's own text: its spans give offsets,
line:column and the words they cover, and `article` names the file (`path`, as given to the
check) and its bytes (`sha256`). The formats that show the draft (`NEEDS_ARTICLE`: text groups by
paragraph, html shows the reading view) get the draft loaded again from that path, and only when
its bytes still have that SHA-256, so a page never puts a report's highlights on a different text.
A report of standard input, of a draft since moved or changed, cannot be shown in those formats;
every other format renders from the report alone.
"""

from __future__ import annotations

import json
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


def _first(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"]) or "the top level"
    return f"{where}: {error['msg']}"


def with_drafts(reports: list[Report], settings: Settings) -> list[Saved]:
    """Each report with its draft, loaded again from `report.article.path` and checked against
    `report.article.sha256`; an `InputError` says which draft cannot be had, and why."""
    from verifier.ingest import load

    items = []
    for report in reports:
        if report.error is not None:  # nothing was checked: the formats show only the error
            items.append(Saved(report))
            continue
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
        items.append(Saved(report, article))
    return items
