"""Helpers shared by the formats: paths, fail levels, counts in words, and control characters made
visible."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from verifier.model.options import FailLevel
from verifier.model.schema import at_or_above

if TYPE_CHECKING:
    from verifier.render import RenderContext

STDIN_NAME = "<stdin>"
# C0 controls but tab and newline, DEL and the C1 controls: ESC or BEL from a draft must not reach
# a terminal as themselves (a colour change, a cleared screen, a retitled window); and the
# bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069), which make a
# line read differently from the words it holds (`Trojan Source`): a terminal or CI log shows them
# reordered and the reader never sees the mark
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def escape_bidi(text: str) -> str:
    """`text` with every bidirectional embedding, override and isolate written as an escape
    (`\\u202e`), the other characters as they are: for a page, where tabs and line ends matter."""
    return BIDI_CONTROLS.sub(_escape, text)


def escape_controls(text: str) -> str:
    """`text` with every control character but tab and newline, and every bidirectional override,
    written as an escape (`\\x1b`, `\\u202e`)."""
    return _CONTROLS.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def display_path(path: str | None, root: str | None) -> str:
    """`path` relative to `root` with forward slashes, or as given when it lies outside `root`."""
    if path is None:
        return STDIN_NAME
    if root is not None:
        try:
            return Path(path).resolve().relative_to(Path(root).resolve()).as_posix()
        except ValueError:
            pass
    return Path(path).as_posix()


def artifact_uri(path: str | None, root: str | None) -> str:
    """A URI reference for SARIF: relative to `root` when the file lies under it, else file://."""
    shown = display_path(path, root)
    if path is not None and Path(shown).is_absolute():
        return Path(shown).as_uri()
    # Percent-encode spaces, '#', '%' and non-ASCII so the value is a valid uri-reference.
    return quote(shown, safe="/-._~!$&'()*+,;=@")


def fail_level(ctx: RenderContext) -> str:
    """The configured `--fail-on` level (error when no settings were passed)."""
    settings = ctx.settings
    return getattr(settings, "fail_on", None) or "error"


def fails(severity: str, level: str) -> bool:
    """True when a finding of `severity` is at or above the fail `level` ('never' fails nothing)."""
    if level == FailLevel.NEVER:
        return False
    return at_or_above(str(severity), level)


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """'1 error', '2 errors', '0 errors': the one wording of a count for every format and status
    line (`plural` for a noun that does not take an -s: 'batches'; "info" is written as is by the
    callers)."""
    return f"{n} {noun}" if n == 1 else f"{n} {plural or noun + 's'}"
