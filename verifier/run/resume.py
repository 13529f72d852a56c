"""resume: `check --resume`, an archive run that picks up where a killed one stopped.

The run writes `--format jsonl` to `--output FILE`, one report per line as each article is done,
and records the settings that shape a report in a sidecar, `FILE.settings.json` (the report
contract stays as it is). Resuming reads FILE back and leaves out every article whose report is
already there: same path, same SHA-256 of the file's bytes, no error. The rest are checked and
appended. What is dropped from FILE before appending:

- a last line cut off by the kill (no newline at its end, or not a whole JSON object);
- reports that carry an error (an LLM failure, an unreadable file): those articles are retried;
- reports of an article whose file has changed since (another SHA-256): it is checked again.

So a run killed halfway and resumed leaves the same reports as one that was never stopped; the
order of the lines may differ, and so may `usage.seconds` (and, for the llm engine, which calls
were cache hits). The sidecar holds no secret: the base URL is kept without any user:password.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from verifier import __version__
from verifier.ingest.load import Target
from verifier.model.config import Settings
from verifier.model.errors import UsageError
from verifier.model.schema import Report
from verifier.run.pipeline import Result

SIDECAR_SUFFIX = ".settings.json"


def sidecar_path(output: Path) -> Path:
    """Where the settings of a resumable output file are recorded."""
    return output.with_name(output.name + SIDECAR_SUFFIX)


def settings_record(settings: Settings) -> dict[str, Any]:
    """Every setting that changes what a report says (not how fast or where it is written)."""
    record: dict[str, Any] = {
        "tool_version": __version__,
        "engine": settings.resolved_engine(),
        "sources": settings.sources, "severity": settings.severity, "disable": settings.disable,
        "include": settings.include, "exclude": settings.exclude, "source_map": settings.source_map,
        "baseline": _file_digest(settings.baseline), "changed_since": settings.changed_since,
    }
    if record["engine"] == "llm":
        from verifier.engines.prompting import load_prompt

        record.update(model=settings.model, base_url=_without_password(settings.base_url),
                      llm_mode=settings.llm_mode, chunk_tokens=settings.chunk_tokens,
                      prompt=load_prompt("extract_claims").version)
    return record


def fingerprint(record: dict[str, Any]) -> str:
    """A SHA-256 over a settings record."""
    blob = json.dumps(record, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(slots=True)
class Resumed:
    """What an output file already holds: the articles it reports, and what the exit status needs
    of their reports (never the reports themselves: a resumed archive costs no more memory than
    one started afresh)."""

    done: set[tuple[str, str]] = field(default_factory=set)  # (path, sha256) reported without error
    kept: set[int] = field(default_factory=set)  # the numbers of the lines kept (0-based)
    severities: set[str] = field(default_factory=set)  # of the findings in the kept reports
    failed: bool = False  # a kept report says a part could not be checked (llm-failed)
    dropped: int = 0  # lines removed: cut off, failed, repeated or stale
    digests: dict[str, str | None] = field(default_factory=dict)  # path -> SHA-256 now

    def skip(self, target: Target) -> bool:
        """True when `target` is already reported and unchanged (the pipeline's `skip`)."""
        if target.path is None or target.error is not None or not self.done:
            return False
        return (target.path, self.digest(target.path)) in self.done

    def digest(self, path: str) -> str | None:
        """The SHA-256 of the file's bytes now (None when it cannot be read), hashed once."""
        if path not in self.digests:
            self.digests[path] = _file_digest(path)
        return self.digests[path]


def prepare(output: Path, settings: Settings) -> Resumed:
    """Read what `output` already holds, check it was written with these settings, tidy it up
    for appending, and record the settings. Raises UsageError when it cannot be resumed."""
    record = settings_record(settings)
    _check_sidecar(output, record)
    resumed = _read(output) if output.exists() else Resumed()
    if resumed.dropped:
        _rewrite(output, resumed.kept)
    _write_sidecar(output, record)
    return resumed


def _check_sidecar(output: Path, record: dict[str, Any]) -> None:
    sidecar = sidecar_path(output)
    if not sidecar.exists():
        if output.exists() and output.stat().st_size > 0:
            raise UsageError(f"{output} was not written by `check --resume` (it has no {sidecar.name}), "
                             "so its settings are unknown",
                             hint="choose another --output, or delete the file to start over")
        return
    try:
        stored = json.loads(sidecar.read_text(encoding="utf-8"))
        before = stored["settings"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"cannot read {sidecar}: {exc}",
                         hint="delete it and the output file to start over") from exc
    if fingerprint(before) != fingerprint(record):
        changed = sorted(k for k in set(before) | set(record) if before.get(k) != record.get(k))
        raise UsageError(f"{output} was written with other settings (changed: {', '.join(changed)})",
                         hint="run with the same settings, choose another --output, or delete the file")


def _read(output: Path) -> Resumed:
    """Read `output` line by line (one report in memory at a time)."""
    resumed = Resumed()
    with output.open("rb") as lines:
        for number, line in enumerate(lines):
            report = _parse(line) if line.endswith(b"\n") else None  # no newline: cut off by the kill
            path = report.article.path if report is not None else None
            if report is None or report.error is not None or path is None:
                resumed.dropped += 1
                continue
            key = (path, report.article.sha256)
            # the same article twice (its path given twice), or changed since: check it again
            if key in resumed.done or resumed.digest(path) != report.article.sha256:
                resumed.dropped += 1
                continue
            resumed.done.add(key)
            resumed.kept.add(number)
            resumed.severities.update(str(f.severity) for f in report.findings)
            resumed.failed = resumed.failed or Result(report).failed  # (an llm-failed finding)
    return resumed


def _parse(line: bytes) -> Report | None:
    try:
        return Report.model_validate_json(line)
    except ValueError:
        return None


def _rewrite(output: Path, kept: set[int]) -> None:
    """Replace `output` by the lines kept, atomically (a kill now leaves the old or the new),
    copied line by line."""
    temp = output.with_name(output.name + ".tmp")
    with output.open("rb") as lines, temp.open("wb") as out:
        out.writelines(line for number, line in enumerate(lines) if number in kept)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, output)


def _write_sidecar(output: Path, record: dict[str, Any]) -> None:
    blob = json.dumps({"fingerprint": fingerprint(record), "settings": record},
                      ensure_ascii=False, indent=2, sort_keys=True)
    sidecar_path(output).write_text(blob + "\n", encoding="utf-8")


def _file_digest(path: str | None) -> str | None:
    """The SHA-256 of a regular file's bytes; None for no path, anything but a regular file (a FIFO
    would block the run, a device never end) or a file that cannot be read."""
    if not path or not os.path.isfile(path):
        return None
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def _without_password(url: str | None) -> str | None:
    if not url:
        return url
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = host + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))
