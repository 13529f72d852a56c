"""load: turn a file, stdin or a directory of drafts into `Article`s.

Offsets are sacred here. For .txt the analysis text *is* the file text; for .md the markup is masked
with spaces (same length, so every offset is still a file offset); for .html the story text is
extracted from the markup and each of its characters remembers the file offset it came from.
Boilerplate (credit lines, "Read more:", banners, captions, copyright, bylines) is found here, so
no later stage takes a claim from it.
"""

from __future__ import annotations

import glob
import hashlib
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verifier import vocab
from verifier.ingest import htmltext, markup, textfile
from verifier.model.config import Settings
from verifier.model.errors import InputError, VerifierError
from verifier.model.options import SUFFIXES, Markup
from verifier.model.schema import CHINESE_CHAR, Article, find_paragraphs

ARTICLE_SUFFIXES = SUFFIXES
Format = Markup


@dataclass(slots=True)
class Target:
    """One article to check: a path (None for stdin) and, for stdin, its bytes."""

    path: str | None
    data: bytes | None = None
    error: VerifierError | None = None


# --------------------------------------------------------------------------- finding articles


def expand_paths(paths: Iterable[str], settings: Settings | None = None) -> Iterator[Target]:
    """Files, directories (recursively, every file whose suffix is in `SUFFIXES`: .txt .md .html
    ...), globs and '-' (stdin), in order."""
    for given in paths:
        if given == "-":
            yield _stdin(settings)
        elif not given:
            # an empty argument (an unset shell variable, `verifier check ""`) is no file and
            # not standard input: name it so
            yield Target("''", error=InputError("an empty path was given", path="''",
                                                hint="name a file, a folder, a glob or '-' for stdin"))
        elif os.path.isdir(given):
            unreadable: list[OSError] = []
            found = sorted(_articles_in(given, unreadable.append))
            for exc in unreadable:
                where = exc.filename or given
                yield Target(where, error=InputError(
                    f"cannot read directory: {exc.strerror or exc}", path=where))
            if not found and not unreadable:
                yield Target(given, error=InputError(
                    "directory holds no articles", path=given,
                    hint="expected *.md, *.txt or *.html files"))
            wanted = [p for p in found if _wanted(p, settings)]
            if found and not wanted:
                yield _all_left_out(given, len(found), settings)
            yield from (Target(p) for p in wanted)
        elif os.path.exists(given):
            yield Target(given)
        elif glob.has_magic(given):
            matches = sorted(p for p in glob.glob(given, recursive=True) if os.path.isfile(p))
            if not matches:
                yield Target(given, error=InputError("pattern matches no file", path=given))
            wanted = [p for p in matches if _wanted(p, settings)]
            if matches and not wanted:
                yield _all_left_out(given, len(matches), settings)
            yield from (Target(p) for p in wanted)
        else:
            yield Target(given, error=InputError("no such file", path=given))


def _stdin(settings: Settings | None) -> Target:
    """Standard input, read up to one byte past the size limit (never without bound)."""
    limit = settings.max_bytes if settings is not None else None
    try:
        return Target(None, data=sys.stdin.buffer.read(limit + 1 if limit is not None else -1))
    except (OSError, MemoryError) as exc:
        return Target(None, error=InputError(f"cannot read standard input: {exc}", path="<stdin>"))


def _articles_in(directory: str, on_error: Callable[[OSError], None]) -> Iterator[str]:
    for root, dirs, files in os.walk(directory, onerror=on_error):
        # a sibling folder <stem>.sources/ holds source material, not articles
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not d.endswith(".sources"))
        for name in files:
            if Path(name).suffix.lower() in ARTICLE_SUFFIXES:
                yield os.path.join(root, name)


def _all_left_out(given: str, count: int, settings: Settings | None) -> Target:
    """A folder or glob whose every article the include/exclude globs leave out: an error, or a
    CI run in the wrong folder would check nothing and pass."""
    where = f" of {settings.config_path}" if settings is not None and settings.config_path else ""
    return Target(given, error=InputError(
        f"{'the one article' if count == 1 else f'all {count} articles'} found are left out by `include`/`exclude`{where}", path=given,
        hint="the globs are matched against the end of each article's path relative to the "
             "configuration file's folder; widen `include` or narrow `exclude`"))


def _wanted(path: str, settings: Settings | None) -> bool:
    """Apply include/exclude globs from the configuration, matched against the end of the path
    relative to the configuration file's folder (as the file's other paths are), so the same
    article is picked whichever folder verifier runs from."""
    if settings is None or not (settings.include or settings.exclude):
        return True
    rel = Path(_config_relative(path, settings.config_path))
    if settings.include and not any(rel.match(g) for g in settings.include):
        return False
    return not any(rel.match(g) for g in settings.exclude)


def _config_relative(path: str, config_path: str | None) -> str:
    """`path` relative to the folder of `config_path` with forward slashes (as given when there is
    no configuration file, or on another drive)."""
    if not config_path:
        return Path(path).as_posix()
    try:
        return Path(os.path.relpath(os.path.abspath(path),
                                    os.path.dirname(os.path.abspath(config_path)))).as_posix()
    except ValueError:
        return Path(path).as_posix()


# --------------------------------------------------------------------------- reading


def load_target(target: Target, settings: Settings) -> Article:
    """Read, decode and parse one target into an `Article`."""
    name = target.path or "<stdin>"
    if target.data is not None:
        data = target.data
        if len(data) > settings.max_bytes:
            raise InputError(f"input is over the {settings.max_bytes:,}-byte limit", path=name,
                             hint="raise it with --max-bytes")
    else:
        data = textfile.read_bytes(name, settings.max_bytes)
    text, encoding = textfile.decode(data, name)
    fmt = _format_of(target.path, text)
    article = load_text(text, path=target.path, fmt=fmt)
    article.encoding = encoding
    article.sha256 = hashlib.sha256(data).hexdigest()
    if settings.changed_since and target.path:
        _set_focus(article, settings.changed_since)
    return article


def _format_of(path: str | None, text: str) -> Format:
    if path:
        fmt = ARTICLE_SUFFIXES.get(Path(path).suffix.lower())
        if fmt:
            return fmt
    head = text.lstrip()[:500].lower()
    if head.startswith(("<!doctype html", "<html")) or re.match(r"<(p|h1|article|body|div)\b", head):
        return "html"
    if text.startswith("---\n") or text.startswith("---\r\n") or re.match(r"#{1,6} ", text):
        return "markdown"
    return "text"


def load_text(text: str, path: str | None = None, fmt: Format = "text") -> Article:
    """An `Article` from text already in memory (the review page, the eval harness, tests)."""
    if fmt == "html":
        article = _html_article(text, path)
    elif fmt == "markdown":
        article = _markdown_article(text, path)
    else:
        article = Article(path=path, raw=text, text=text, format="text")
        article.title = _first_line_title(text)
    if not article.sha256:
        article.sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    article.title_span = _title_span(article)
    article.boilerplate = sorted(article.boilerplate + find_boilerplate(
        article.text, article.body_start, article.paragraphs(), article.has_chinese()))
    return article


def _first_line_title(text: str, start: int = 0) -> str | None:
    for line in text[start:].splitlines():
        if line.strip():
            return line.strip()[:300]
    return None


def _title_span(article: Article) -> tuple[int, int] | None:
    if not article.title:
        return None
    i = article.text.find(article.title, article.body_start)
    return (i, i + len(article.title)) if i != -1 else None


# --------------------------------------------------------------------------- markdown

def _markdown_article(text: str, path: str | None) -> Article:
    analysis, front_match = markup.mask_markdown(text)
    front = _parse_front_matter(front_match.group(1), path) if front_match else {}
    body_start = front_match.end() if front_match else 0
    title = front.get("title") if isinstance(front.get("title"), str) else None
    heading = re.search(r"(?m)^#[ \t]+(.+)$", text[body_start:])
    if title is None and heading:
        title = heading.group(1).strip()
    article = Article(path=path, raw=text, text=analysis, format="markdown",
                      front_matter=front, body_start=body_start)
    article.title = title or _first_line_title(analysis, body_start)
    return article


def _parse_front_matter(block: str, path: str | None) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(f"front matter is not valid YAML: {getattr(exc, 'problem', exc)}",
                         path=path or "<stdin>", line=(mark.line + 2) if mark else None) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InputError("front matter must be a mapping of keys to values",
                         path=path or "<stdin>", line=2)
    return data


# --------------------------------------------------------------------------- html


def _html_article(raw: str, path: str | None) -> Article:
    extracted = htmltext.extract(raw)
    article = Article(path=path, raw=raw, text=extracted.text, format="html",
                      raw_offsets=extracted.offsets)
    article.title = extracted.title or _first_line_title(extracted.text)
    article.boilerplate = list(extracted.captions)
    return article


# --------------------------------------------------------------------------- boilerplate

# English credit lines, bylines, captions and prompts: verifier/vocab/boilerplate.yaml
_BOILERPLATE_LINE = re.compile(
    r"^\s*(?:" + "|".join(f"(?:{p})" for p in vocab.words("boilerplate", "paragraphs")) + r")\s*$", re.I)
_BYLINE_CASE = re.compile(r"^\s*by\s", re.I)
def find_boilerplate(text: str, start: int = 0, paragraphs: list[tuple[int, int]] | None = None,
                     chinese: bool | None = None) -> list[tuple[int, int]]:
    """Ranges of paragraphs that are not story text (`paragraphs`: those of `text` from `start`,
    found here when not given; `chinese`: whether text[start:] holds a Chinese character, looked
    for here when not given)."""
    ranges: list[tuple[int, int]] = []
    if chinese is None:
        chinese = CHINESE_CHAR.search(text, start) is not None
    for p_start, p_end in find_paragraphs(text, start) if paragraphs is None else paragraphs:
        stripped = text[p_start:p_end]
        if _is_boilerplate(stripped) or chinese and _ZH_PARAGRAPH.fullmatch(stripped):
            ranges.append((p_start, p_end))
    if chinese:
        ranges.extend(m.span() for m in _ZH_INLINE.finditer(text, start))
        return sorted(set(ranges))
    return ranges


# Chinese bylines and credits ("（记者 王丽）", "（完）", "责任编辑：王丽"): verifier/vocab/zh_boilerplate.yaml
_ZH_PARAGRAPH = re.compile("|".join(f"(?:{p})" for p in vocab.words("zh_boilerplate", "paragraphs")))
_ZH_INLINE = re.compile("|".join(f"(?:{p})" for p in vocab.words("zh_boilerplate", "inline")))


# Each alternative of _BOILERPLATE_LINE opens with one of these words or holds one of the others:
# checking for them first spares running the pattern over ordinary story paragraphs.
_BOILERPLATE_OPENINGS = vocab.words("boilerplate", "openings")
_BOILERPLATE_INSIDE = vocab.words("boilerplate", "inside")


def _may_be_boilerplate(lower: str) -> bool:
    head = lower.lstrip()
    unbracketed = head[1:].lstrip() if head.startswith("(") else head
    return head.startswith(_BOILERPLATE_OPENINGS) or unbracketed.startswith(_BOILERPLATE_OPENINGS) \
        or any(word in lower for word in _BOILERPLATE_INSIDE)


def _is_boilerplate(paragraph: str) -> bool:
    if len(paragraph) > 400:
        return False
    if not _may_be_boilerplate(paragraph.lower()) or not _BOILERPLATE_LINE.match(paragraph):
        return False
    if _BYLINE_CASE.match(paragraph):
        # "By the end of the year, ..." is story text; a byline is a short run of names
        return len(paragraph.split()) <= 12 and not paragraph.rstrip().endswith(".")
    return True


# --------------------------------------------------------------------------- focus (--changed-since)


def _set_focus(article: Article, rev: str) -> None:
    """Decide the focus, once: the paragraphs with a line changed since `rev`, whole. Segmentation
    (and with it both engines' claims) and the findings policy read `article.focus`."""
    from verifier.ingest import changed

    assert article.path is not None
    ranges = changed.changed_ranges(article.path, rev, article.raw)
    if ranges is None:
        return
    lines = [article.map.analysis_range(s, e) for s, e in ranges]
    article.focus = [(start, end) for start, end in article.paragraphs()
                     if any(s < end and start < e for s, e in lines)]
