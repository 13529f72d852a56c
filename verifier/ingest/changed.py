"""changed: which lines of a draft changed in git since a revision (`--changed-since REV`).

`changed_ranges` diffs the working-tree file against REV with no context lines and returns the
raw-text offset ranges of the changed lines; `load` marks paragraphs outside them out of focus, so
a CI run on a long draft re-checks (and pays the LLM for) only what the author touched. Where lines
were only deleted, the lines on either side of the gap count as changed: the paragraph that lost
words must be checked again.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from verifier.model.errors import UsageError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.MULTILINE)


def changed_ranges(path: str, rev: str, raw_text: str) -> list[tuple[int, int]] | None:
    """Offsets [start, end) in `raw_text` of the lines changed since `rev`; None if the file is new.

    Raises UsageError when the file is not in a git work tree or `rev` is not a known revision.
    """
    file = Path(path).resolve()
    cwd = file.parent
    _check(cwd, path, rev)
    if not _exists_at(cwd, rev, file.name):
        return None
    diff = _git(cwd, "-c", "core.quotepath=off", "diff", "--no-color", "--no-ext-diff",
                "--no-textconv", "--text", "--unified=0", rev, "--", file.name,
                what=f"git diff against {rev!r} failed")
    return line_ranges(changed_lines(diff), raw_text)


def check_revision(path: str, rev: str) -> None:
    """Raise UsageError, naming `path`, when the file or folder at `path` is not in a git work tree
    or `rev` is not a commit there: checked once for a command-line argument, before any article,
    so a mistyped revision is one error and not one per draft."""
    where = Path(path).resolve()
    _check(where if where.is_dir() else where.parent, path, rev)


def _check(cwd: Path, path: str, rev: str) -> None:
    _git(cwd, "rev-parse", "--show-toplevel", what=f"{path} is not in a git repository")
    _git(cwd, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}",
         what=f"{path}: unknown git revision {rev!r}")


def changed_lines(diff: str) -> list[tuple[int, int]]:
    """1-based inclusive line ranges on the new side of a `--unified=0` diff."""
    lines: list[tuple[int, int]] = []
    for m in _HUNK.finditer(diff):
        start, count = int(m.group(1)), int(m.group(2) or 1)
        if count:
            lines.append((start, start + count - 1))
        else:  # only deletions: after new line `start`; the lines around the gap changed
            lines.append((max(start, 1), start + 1))
    return lines


def line_ranges(lines: list[tuple[int, int]], raw_text: str) -> list[tuple[int, int]]:
    """Turn 1-based inclusive line ranges into merged offset ranges of `raw_text`."""
    starts = [0] + [i + 1 for i, ch in enumerate(raw_text) if ch == "\n"]
    ranges: list[tuple[int, int]] = []
    for first, last in sorted(lines):
        if first > len(starts):
            continue
        start = starts[first - 1]
        end = starts[last] if last < len(starts) else len(raw_text)
        if ranges and start <= ranges[-1][1]:
            ranges[-1] = (ranges[-1][0], max(end, ranges[-1][1]))
        elif end > start:
            ranges.append((start, end))
    return ranges


def _exists_at(cwd: Path, rev: str, name: str) -> bool:
    """Whether the file existed at `rev` (`REV:./name` is relative to the working directory)."""
    proc = _run(cwd, "cat-file", "-e", f"{rev}:./{name}")
    return proc.returncode == 0


def _git(cwd: Path, *args: str, what: str) -> str:
    proc = _run(cwd, *args)
    if proc.returncode != 0:
        detail = proc.stderr.strip().splitlines()
        raise UsageError(what, hint=detail[-1] if detail else None)
    return proc.stdout


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", errors="replace", check=False)
    except FileNotFoundError as exc:
        raise UsageError("--changed-since needs git, and git is not installed") from exc
    except NotADirectoryError as exc:
        raise UsageError(f"{cwd} is not a directory") from exc
