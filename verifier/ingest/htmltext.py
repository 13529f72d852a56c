"""Story text out of HTML, with the file offset of every character kept.

The standard library's parser is run with `convert_charrefs=False`, so text, entities and tags each
arrive with their own position: every character of the extracted text maps to the file offset it
came from (an entity maps to its '&'), and a report span can always be cut from the original file.
A tag or comment that is never closed ends the document (`parseable_end`): that keeps the parser
linear in the length of the page on every Python it runs on.
Navigation, headers, footers, asides, forms, scripts and styles are dropped; when the page has an
<article> element only its content is the story; figure captions are kept but marked boilerplate.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li",
          "ul", "ol", "blockquote", "figure", "figcaption", "table", "tr", "td", "th", "pre",
          "dd", "dt", "dl", "body", "hr", "caption", "address"}
_INVISIBLE = {"script", "style", "noscript", "template", "svg", "head", "title", "iframe", "object",
              "canvas"}
_SKIP = _INVISIBLE | {"nav", "footer", "header", "aside", "form", "button", "select", "menu"}
_VOID = {"br", "img", "hr", "meta", "link", "input", "source", "wbr", "area", "base", "col",
         "embed", "param", "track"}
_SKIP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
_HAS_ARTICLE = re.compile(r"<article[\s>]", re.I)


@dataclass(slots=True)
class Extracted:
    text: str
    offsets: list[int]
    title: str | None = None
    captions: list[tuple[int, int]] = field(default_factory=list)


class _Extractor(HTMLParser):
    def __init__(self, raw: str, story_only: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.raw = raw
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        self.story_only = story_only
        self.skipped = _SKIP if story_only else _INVISIBLE
        self.only_article = story_only and bool(_HAS_ARTICLE.search(raw))
        self.article_depth = 0
        self.skip: list[str] = []
        self.chars: list[str] = []
        self.offsets: list[int] = []
        self.title_parts: list[str] = []
        self.in_title = False
        self.caption_start: int | None = None
        self.captions: list[tuple[int, int]] = []

    # -- positions
    def _here(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _emit(self, text: str, raw_at: int, per_char: bool = True) -> None:
        if self.skip or (self.only_article and self.article_depth == 0):
            return
        for i, ch in enumerate(text):
            pos = raw_at + i if per_char else raw_at
            if ch.isspace() and self.story_only:
                if not self.chars or self.chars[-1].isspace():
                    continue
                ch = " "
            self.chars.append(ch)
            self.offsets.append(pos)

    def _break(self, raw_at: int, newlines: int = 2) -> None:
        if self.skip or (self.only_article and self.article_depth == 0) or not self.chars:
            return
        while self.chars and self.chars[-1] == " ":
            self.chars.pop()
            self.offsets.pop()
        tail = "".join(self.chars[-newlines:])
        have = len(tail) - len(tail.rstrip("\n"))
        for _ in range(newlines - have):
            self.chars.append("\n")
            self.offsets.append(raw_at)

    # -- events
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self._here()
        role = dict(attrs).get("role") or ""
        if tag == "title":
            self.in_title = True
        if tag in self.skipped or (self.story_only and role in _SKIP_ROLES):
            if tag not in _VOID:
                self.skip.append(tag)
            return
        if tag == "article":
            self.article_depth += 1
        if tag == "br":
            self._break(at, 1)
        elif tag in _BLOCK:
            self._break(at)
        if tag == "figcaption" and not self.skip:
            self.caption_start = len(self.chars)

    def handle_endtag(self, tag: str) -> None:
        at = self._here()
        if tag == "title":
            self.in_title = False
        if self.skip:
            if self.skip[-1] == tag:
                self.skip.pop()
            return
        if tag == "figcaption" and self.caption_start is not None:
            self.captions.append((self.caption_start, len(self.chars)))
            self.caption_start = None
        if tag in _BLOCK:
            self._break(at)
        if tag == "article" and self.article_depth:
            self.article_depth -= 1

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title_parts.append(data)
        self._emit(data, self._here())

    def handle_entityref(self, name: str) -> None:
        self._ref(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self._ref(f"&#{name};")

    def _ref(self, ref: str) -> None:
        text = unescape(ref)
        if self.in_title:
            self.title_parts.append(text)
        self._emit(text, self._here(), per_char=False)


_CONSTRUCT_OPEN = re.compile(r"<[A-Za-z/!?]")


def parseable_end(raw: str) -> int:
    """Where the part of `raw` the parser is given ends: at the first tag, comment or declaration
    that is never closed. HTML reads such a construct and everything after it as one unfinished
    tag or comment (nothing visible), and the standard library's parser (before Python 3.13.4)
    rescans the rest of the document once per such `<`: quadratic time on `'<!--' * 40000`.
    """
    end = len(raw)
    last_gt = raw.rfind(">")
    opening = _CONSTRUCT_OPEN.search(raw, last_gt + 1)
    if opening is not None:
        end = opening.start()
    last_close = raw.rfind("-->")
    comment = raw.find("<!--", last_close + 3 if last_close != -1 else 0)
    if comment != -1:
        end = min(end, comment)
    return end


def extract(raw: str, story_only: bool = True) -> Extracted:
    """The story text of an HTML document and the file offset of each of its characters.

    `story_only=False` keeps every visible part of the page (a source document: a press release,
    a transcript) and its line breaks as written.
    """
    parser = _Extractor(raw, story_only)
    parser.feed(raw[:parseable_end(raw)])
    parser.close()
    chars, offsets = parser.chars, parser.offsets
    while chars and chars[-1].isspace():
        chars.pop()
        offsets.pop()
    title = " ".join("".join(parser.title_parts).split()) or None
    return Extracted(text="".join(chars), offsets=offsets, title=title, captions=parser.captions)


_LINK_SCHEMES = re.compile(r"(?:https?|mailto):", re.I)
_URL_UNSAFE = re.compile(r"[\x00-\x20\x7f]")


def safe_href(href: str | None) -> str | None:
    """`href` when it is an http, https or mailto address with no control character or blank in
    it (a browser drops those, so "java\\tscript:" would run); otherwise None."""
    if not href:
        return None
    href = href.strip()
    if _URL_UNSAFE.search(href) or not _LINK_SCHEMES.match(href):
        return None
    return href


@dataclass(slots=True)
class Link:
    """An <a href> of the file: its content runs over raw[start:end]; `href` is unescaped."""

    start: int
    end: int
    href: str


class _Links(HTMLParser):
    def __init__(self, raw: str) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", raw)]
        self.open: tuple[int, str | None] | None = None
        self.links: list[Link] = []

    def _here(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._close(self._here())  # an <a> inside an <a> ends the first one, as in a browser
            self.open = (self._here() + len(self.get_starttag_text() or ""), dict(attrs).get("href"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._close(self._here())

    def _close(self, at: int) -> None:
        if self.open is not None:
            start, href = self.open
            if at > start:
                self.links.append(Link(start, at, href or ""))
            self.open = None


def links(raw: str) -> list[Link]:
    """Every <a> element of an HTML file with the raw span of its content (any href, unchecked:
    see `safe_href`)."""
    parser = _Links(raw)
    parser.feed(raw[:parseable_end(raw)])
    parser.close()
    parser._close(parseable_end(raw))
    return parser.links
