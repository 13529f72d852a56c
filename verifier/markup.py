"""Markdown markup masked by spaces: same length, so every offset is still a file offset.

Shared by articles (`load`) and sources (`sources`): a quote is found, and reported, at the place
the file has it.
"""

from __future__ import annotations

import re

FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
# markup replaced by spaces; each pattern's groups name what to mask
_MD_LINE_MARKS = re.compile(r"(?m)^([ \t]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,3}[.)][ \t]+))")
_MD_RULE = re.compile(r"(?m)^[ \t]{0,3}(?:[-*_][ \t]*){3,}$")
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_MD_LINK = re.compile(r"(\[)([^\]\n]+)(\]\([^)\n]*\)|\]\[[^\]\n]*\])")
_MD_REFDEF = re.compile(r"(?m)^[ \t]{0,3}\[[^\]\n]+\]:[ \t]*\S.*$")
_MD_EMPHASIS = re.compile(r"(\*\*|__|\*|`+)(?=\S)(.+?)(?<=\S)\1")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>\n]*>")




def mask_markdown(text: str) -> tuple[str, re.Match[str] | None]:
    """`text` with front matter and Markdown markup replaced by spaces (line breaks kept), and
    the front-matter match (its group 1 is the YAML) or None."""
    chars = list(text)
    front = FRONT_MATTER.match(text)
    body_start = front.end() if front else 0
    if front:
        _mask(chars, 0, body_start)
    for pattern in (_HTML_COMMENT, _HTML_TAG, _MD_IMAGE, _MD_REFDEF, _MD_RULE):
        for mm in pattern.finditer(text, body_start):
            _mask(chars, mm.start(), mm.end())
    for mm in _MD_LINK.finditer(text, body_start):
        _mask(chars, mm.start(1), mm.end(1))
        _mask(chars, mm.start(3), mm.end(3))
    for mm in _MD_EMPHASIS.finditer(text, body_start):
        marker = len(mm.group(1))
        if mm.group(1) == "*" and " " in mm.group(2)[:1]:
            continue
        _mask(chars, mm.start(), mm.start() + marker)
        _mask(chars, mm.end() - marker, mm.end())
    for mm in _MD_LINE_MARKS.finditer(text, body_start):
        _mask(chars, mm.start(1), mm.end(1))
    return "".join(chars), front


def _mask(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] not in "\r\n":
            chars[i] = " "
