"""baseline: findings an editor has accepted, so CI fails only on new ones.

A finding is fingerprinted on its rule and the normalised words it concerns (lower case, words
only), not on offsets or paths, so a moved or re-wrapped paragraph stays accepted.
File format (JSON): {"version": 1, "tool": "verifier",
                     "findings": [{"fingerprint", "rule", "path", "text"}]}
The review page writes the same format with each editor's decision on an entry: "decision"
("accepted" or "dismissed") and, for a dismissal, "reason" ("false_positive", "wont_fix",
"source_not_supplied"). Both kinds silence the finding here; the fields are for people.
`path` is the article's path relative to the baseline file's directory, with forward slashes, so
the file means the same from any working directory. An entry accepts one finding with the same
path and fingerprint: a second identical finding in the same article is new.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from verifier.model.errors import ConfigError
from verifier.model.report import summarise
from verifier.model.schema import Finding

if TYPE_CHECKING:
    from verifier.run.pipeline import Result

FORMAT_VERSION = 1
STDIN_KEY = "<stdin>"
_WORDS = re.compile(r"\w+")
_TEXT_LIMIT = 200

Key = tuple[str, str]  # (article path key, fingerprint)


def normalised_words(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def fingerprint(finding: Finding) -> str:
    """Stable id of a finding: rule + the normalised words of its span (or its message)."""
    words = normalised_words(finding.span.text if finding.span else finding.message)
    return hashlib.sha256(f"{finding.rule}\n{words}".encode()).hexdigest()[:16]


def decision_keys(findings: list[Finding]) -> list[str]:
    """The key of each finding's decision on the review page: its fingerprint, with '#2', '#3'
    for a repeat within the article (a baseline entry accepts one finding, as in `BaselineFilter`).
    Offsets and the article's hash play no part, so a decision survives an edit elsewhere."""
    seen: Counter[str] = Counter()
    keys = []
    for finding in findings:
        fp = fingerprint(finding)
        seen[fp] += 1
        keys.append(fp if seen[fp] == 1 else f"{fp}#{seen[fp]}")
    return keys


@dataclass(slots=True)
class Baseline:
    """The accepted findings of one baseline file, counted per (path key, fingerprint)."""

    path: Path
    accepted: Counter[Key]


@dataclass(slots=True)
class BaselineStats:
    accepted: int = 0  # findings the baseline silenced in this run
    stale: int = 0  # baseline entries that matched nothing (fixed, or articles not checked)


def path_key(article_path: str | None, baseline_file: Path) -> str:
    """The article's path relative to the baseline file's directory, with forward slashes."""
    if article_path is None:
        return STDIN_KEY
    base = baseline_file.resolve().parent
    target = Path(article_path).resolve()
    try:
        return Path(os.path.relpath(target, base)).as_posix()
    except ValueError:  # another drive on Windows
        return target.as_posix()


# --------------------------------------------------------------------------- reading, writing


def read_baseline(path: str | Path) -> Baseline:
    """Load a baseline file; a missing or malformed one is a ConfigError (exit 2)."""
    path = Path(path)
    try:
        if path.exists() and not path.is_file():  # a FIFO would block, /dev/zero never end
            raise ConfigError("baseline is not a regular file; it was not read", path=str(path))
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError("baseline file not found", path=str(path),
                          hint="create it with --update-baseline") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"baseline is not valid JSON: {exc.msg}", path=str(path),
                          line=exc.lineno) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read baseline: {exc}", path=str(path)) from exc
    return Baseline(path, Counter(_entry_key(e, path) for e in _entries(data, path)))


def _entries(data: Any, path: Path) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or data.get("tool") != "verifier" or not isinstance(
            data.get("findings"), list):
        raise ConfigError("not a verifier baseline file", path=str(path),
                          hint="regenerate it with --update-baseline")
    if data.get("version") != FORMAT_VERSION:
        raise ConfigError(f"baseline version {data.get('version')!r} is not supported "
                          f"(expected {FORMAT_VERSION})", path=str(path))
    return data["findings"]


def _entry_key(entry: Any, path: Path) -> Key:
    if not isinstance(entry, dict) or not all(isinstance(entry.get(k), str)
                                              for k in ("fingerprint", "path")):
        raise ConfigError(f"baseline entry without a fingerprint and path: {entry!r}",
                          path=str(path))
    return entry["path"], entry["fingerprint"]


def baseline_document(results: list[Result], path: Path) -> dict[str, Any]:
    """The baseline that accepts every finding in `results` (failed articles add nothing)."""
    entries = [
        {"fingerprint": fingerprint(f), "rule": f.rule,
         "path": path_key(r.report.article.path, path), "text": _clip(_text(f))}
        for r in results for f in r.report.findings
    ]
    entries.sort(key=lambda e: (e["path"], e["rule"], e["text"], e["fingerprint"]))
    return {"version": FORMAT_VERSION, "tool": "verifier", "findings": entries}


def write_baseline(path: str | Path, results: list[Result]) -> int:
    """Write the baseline accepting every current finding; returns how many it holds.

    Entries for articles this run did not check are kept from the existing file, so updating the
    baseline for one draft leaves the others' accepted findings alone.
    """
    path = Path(path)
    document = baseline_document(results, path)
    checked = {path_key(r.report.article.path, path) for r in results}
    kept = [e for e in _existing_entries(path) if e["path"] not in checked]
    if kept:
        document["findings"] = sorted(
            kept + document["findings"],
            key=lambda e: (e["path"], e.get("rule", ""), e.get("text", ""), e["fingerprint"]))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot write baseline: {exc.strerror}", path=str(path)) from exc
    return len(document["findings"])


def _existing_entries(path: Path) -> list[dict[str, Any]]:
    """The entries of the baseline file being replaced; none if it is missing."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return []  # a broken file is being replaced wholesale
    entries = _entries(data, path) if isinstance(data, dict) and data.get("tool") == "verifier" else []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("path"), str)
            and isinstance(e.get("fingerprint"), str)]


def _text(finding: Finding) -> str:
    return finding.span.text if finding.span else finding.message


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _TEXT_LIMIT else text[: _TEXT_LIMIT - 1] + "…"


# --------------------------------------------------------------------------- filtering


def apply_baseline(results: list[Result], baseline: Baseline) -> tuple[list[Result], BaselineStats]:
    """Drop the findings the baseline accepts; the reports' summaries are recounted."""
    accept = BaselineFilter(baseline)
    out = [accept(result) for result in results]
    return out, accept.finish()


class BaselineFilter:
    """`apply_baseline` one result at a time, for a run that writes each report as it comes. An
    accepted finding is used up by the first finding it matches, as in `apply_baseline`."""

    def __init__(self, baseline: Baseline) -> None:
        self.path = baseline.path
        self.remaining = Counter(baseline.accepted)
        self.stats = BaselineStats()

    def __call__(self, result: Result) -> Result:
        key = path_key(result.report.article.path, self.path)
        kept: list[Finding] = []
        for finding in result.report.findings:
            fp = (key, fingerprint(finding))
            if self.remaining[fp] > 0:
                self.remaining[fp] -= 1
                self.stats.accepted += 1
            else:
                kept.append(finding)
        return _with_findings(result, kept)

    def finish(self) -> BaselineStats:
        """The counts, once every result has been through (`stale`: accepted but not seen)."""
        self.stats.stale = sum(self.remaining.values())
        return self.stats


def _with_findings(result: Result, findings: list[Finding]) -> Result:
    report = result.report
    if len(findings) == len(report.findings):
        return result
    summary = summarise(report.claims, report.quotes, findings)
    new_report = report.model_copy(update={"findings": findings, "summary": summary})
    return dataclasses.replace(result, report=new_report)
