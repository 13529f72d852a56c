"""Markdown markup masked by spaces: same length, so every offset is still a file offset.

Shared by articles (`load`) and sources (`sources`): a quote is found, and reported, at the place
the file has it.
"""

from __future__ import annotations

import re

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
# markup replaced by spaces; each pattern's groups name what to mask. Every pattern runs in time
# linear in the text: a scan inside one never runs past the place where the next attempt would
# start (a link label stops at the next `[`, a destination at the next `[` or `]`), and a pattern
# that must scan far (comments, emphasis) is not a regex but a search that remembers its failures.
_MD_LINE_MARKS = re.compile(r"(?m)^([ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,3}[.)][ \t]+))")
_MD_RULE = re.compile(r"(?m)^[ \t]{0,3}(?:[-*_][ \t]*){3,}$")
_MD_IMAGE = re.compile(r"!\[[^\[\]\n]*\]\([^()\[\]\n]*\)")
_MD_LINK = re.compile(r"(\[)([^\[\]\n]+)(\]\([^()\[\]\n]*\)|\]\[[^\[\]\n]*\])")
_MD_REFDEF = re.compile(r"(?m)^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S.*$")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")
# an emphasis or code delimiter followed by a non-space: `**`, `__`, `*` or a run of backticks
_MD_DELIMITER = re.compile(r"(\*\*|__|\*|(?<!`)`++)(?=\S)")


def mask_markdown(text: str) -> tuple[str, re.Match[str] | None]:
    """`text` with front matter and Markdown markup replaced by spaces (line breaks kept), and
    the front-matter match (its group 1 is the YAML) or None."""
    chars = list(text)
    front = FRONT_MATTER.match(text)
    body_start = front.end() if front else 0
    if front:
        _mask(chars, 0, body_start)
    for start, end in html_comments(text, body_start):
        _mask(chars, start, end)
    for pattern in (_HTML_TAG, _MD_IMAGE, _MD_REFDEF, _MD_RULE):
        for mm in pattern.finditer(text, body_start):
            _mask(chars, mm.start(), mm.end())
    for mm in _MD_LINK.finditer(text, body_start):
        _mask(chars, mm.start(1), mm.end(1))
        _mask(chars, mm.start(3), mm.end(3))
    for start, inner_start, inner_end, end in emphasis(text, body_start):
        _mask(chars, start, inner_start)
        _mask(chars, inner_end, end)
    for mm in _MD_LINE_MARKS.finditer(text, body_start):
        _mask(chars, mm.start(1), mm.end(1))
    return "".join(chars), front


def html_comments(text: str, start: int = 0) -> list[tuple[int, int]]:
    """`<!-- ... -->` ranges from `start` on; an unclosed comment is not one (it stays text)."""
    out: list[tuple[int, int]] = []
    while (opening := text.find("<!--", start)) != -1:
        closing = text.find("-->", opening + 4)
        if closing == -1:
            break  # no later `<!--` can close either
        out.append((opening, closing + 3))
        start = closing + 3
    return out


def emphasis(text: str, start: int = 0) -> list[tuple[int, int, int, int]]:
    """`**strong**`, `__strong__`, `*em*` and `` `code` `` on one line: (start, inner start, inner
    end, end) of each, leftmost first, never overlapping.

    A delimiter opens when a non-space follows it and closes at the first equal delimiter on the
    same line that a non-space precedes, at least one character on. A delimiter that finds no
    closer on its line is remembered, so the rest of that line is never searched for it again.
    """
    out: list[tuple[int, int, int, int]] = []
    no_closer: dict[str, tuple[int, int]] = {}  # delimiter -> (from, line end) searched in vain
    pos, line_end = start, -1
    while (mm := _MD_DELIMITER.search(text, pos)) is not None:
        if mm.start() > line_end:  # found once per line, not once per delimiter
            line_end = text.find("\n", mm.start())
            line_end = len(text) if line_end == -1 else line_end
        found = None
        run = mm.group(1)
        for delim in _candidates(run):
            inner = mm.start() + len(delim)
            if inner >= line_end or text[inner].isspace():
                continue
            closing = _closer(text, delim, inner + 1, line_end, no_closer)
            if closing is not None:
                found = (mm.start(), inner, closing, closing + len(delim))
                break
        if found is None:
            pos = mm.start() + 1
            continue
        out.append(found)
        pos = found[3]
    return out


def _candidates(run: str) -> list[str]:
    """The delimiters to try at a run, longest first (`**` before `*`; backticks as written)."""
    if run == "**":
        return ["**", "*"]
    return [run]


def _closer(text: str, delim: str, at: int, line_end: int,
            no_closer: dict[str, tuple[int, int]]) -> int | None:
    """The first `delim` in text[at:line_end] preceded by a non-space, or None."""
    failed = no_closer.get(delim)
    if failed is not None and failed[1] == line_end and failed[0] <= at:
        return None  # searched from further back on this line already, in vain
    i = at
    while (i := text.find(delim, i, line_end)) != -1:
        if not text[i - 1].isspace():
            return i
        i += 1
    no_closer[delim] = (at, line_end)
    return None


def _mask(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "
