"""Fuzz what surrounds the pipeline: source documents, files, every output format, the command
line (batches, resume, configuration) and the llm engine's answers.

    python scripts/fuzz_surfaces.py                          # every mode, 200 cases each, seed 1
    python scripts/fuzz_surfaces.py --mode html --count 3000 # one mode, more cases
    python scripts/fuzz_surfaces.py --seconds 300            # every mode, about 300 s each

The drafts come from `scripts/fuzz.py` (its templates, mutations and seed texts), and a failing
case is cut down with its reducer. Modes and what each asserts:

- `sources`: drafts checked against generated and mutated sources (prose, labelled transcripts
  with timestamps, `''` marks and Chinese labels, the draft itself, empty, binary-ish, huge), as
  text, Markdown and HTML sources. No exception but a `VerifierError`; every status from the
  catalogue; every `source_span` is the source file's text at its offsets with the right
  line:column; the diff's marks lie inside, in order, and re-apply (the quote's words that are not
  marked are the source passage's words that are not marked, for a one-piece quote); the draft's
  own spans stay byte-exact (`fuzz.report_problem`).
- `render`: every format (json, jsonl, text, sarif, github, junit, markdown, html) on reports of
  drafts, speakers, quotes, sources and file names that hold `<script>`, `</script>`,
  `"><img onerror=...>`, `javascript:` links, `{{`, `]]>`, control and bidi characters. SARIF
  validates against the 2.1.0 schema; every GitHub workflow command parses back (`%`, CR, LF, `:`,
  `,`) to the message and properties it was given; JUnit XML parses; each Markdown findings row has
  its four cells; text output has no control character; the HTML page is parsed and no element,
  attribute, link or script came from the input (the tags and attributes are those of the page's
  template; every `href` is a fragment, http(s) or mailto; the only script is the page's own, the
  other `<script>` blocks parse as JSON).
- `files`: `verifier check FILE` and `--source FILE` (in process, typer's CliRunner) on BOMs (UTF-8/16/32), UTF-16
  without one, Latin-1, invalid UTF-8, lone CR, NUL bytes, control characters, an empty file, a
  directory, a FIFO, a dangling link, a file over `--max-bytes`: exit 0, 1 or 2 as DESIGN.md says,
  never a traceback; exit 2 names the file in one `verifier: error:` line; a report's spans index
  the text decoded independently of the product.
- `cli`: a folder of drafts with odd names (spaces, unicode, leading dashes, very long, a
  newline), a FIFO and a dangling link named like articles, with a malformed `verifier.toml` or `[tool.verifier]`
  (TOML errors, wrong types, unknown keys); then `--resume` after the output was cut mid-line.
  Bad configuration: exit 2 naming the file; otherwise every article reported exactly once, exit
  code as documented, no traceback.
- `llm`: the llm engine against a real HTTP server on 127.0.0.1 (tests/llm_server.py) that answers
  hostile but schema-valid claims: sentence numbers out of range, clauses not in the draft or cut
  inside a combining sequence or an emoji, huge strings, duplicate claims, unknown tags, odd
  speakers, and malformed JSON, 429 and 500. No exception but a `VerifierError`; the report keeps
  every contract of `fuzz.report_problem`.

Exit status 1 when anything failed. `--save DIR` writes each failing case (keep DIR outside the
repository: with PolNeAR seeds a draft may hold publisher text).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import jsonschema

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

import fuzz  # noqa: E402
from fuzz import Failure  # noqa: E402

from verifier.ingest import load  # noqa: E402
from verifier.ingest.sources import SourceDoc  # noqa: E402
from verifier.model.catalog import RULES  # noqa: E402
from verifier.model.config import Settings  # noqa: E402
from verifier.model.errors import VerifierError  # noqa: E402
from verifier.model.schema import Report, SourceStatus  # noqa: E402
from verifier.render import RenderContext, render, saved  # noqa: E402
from verifier.render._common import escape_controls  # noqa: E402
from verifier.run import pipeline  # noqa: E402
from verifier.run.pipeline import Result  # noqa: E402
from verifier.stages.sourcecheck import TOKEN, normalise  # noqa: E402

SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
RULES_ENGINE = Settings(engine="rules")
STATUSES = frozenset(str(s) for s in SourceStatus)

# --------------------------------------------------------------------------- hostile pieces

PAYLOADS = ["<script>alert(1)</script>", "</script><script>alert(2)</script>", "\"><img src=x onerror=alert(3)>",
            "'><svg onload=alert(4)>", "javascript:alert(5)", "<a href=\"javascript:alert(6)\">x</a>",
            "{{ 7*7 }}", "{% raw %}", "${7*7}", "]]>", "<![CDATA[x]]>", "<!--", "-->", "</textarea>", "<style>",
            "&lt;script&gt;", "&#60;script&#62;", "<iframe src=//x.example>", "\u202e\u2066evil\u2069",
            "\x1b[31m", "\x07", "%0A::error::x", "::warning file=x::y", "a,b:c", "\r", "%25", "| x |", "`x`"]
NAMES = ["<script>alert(1)</script>.md", "\"><img src=x onerror=alert(3)>.html", "javascript:alert(5).txt",
         "{{7*7}}.md", "a,b:c::d.md", "100%25 %0A.md", "\u202eevil.txt", "-rf.md", "--help.md", "a b.md",
         "ünïcödé 文章.md", "x" * 200 + ".md", "]]>.txt", "line\nbreak.md", "tab\there.txt", "`x`|y.md"]
SOURCE_NAMES = ["source.txt", "source.md", "source.html", "transcript.txt", "<script>x</script>.txt",
                "\"><img onerror=alert(1)>.md", "a,b:c.txt", "源文件.txt", "release.html"]
LABELS = ["{N}:", "{N} :", "[00:01:{s:02d}] {N}:", "00:{s:02d} {N}:", "{N} (Halvorsen Labs):", "Q:", "A:",
          ">> {N}:", "{N}：", "**{N}:**", "{N} [{s:02d}:10]:", "SPEAKER {s}:", "{N} - ", "<b>{N}</b>:"]


def _said(rng: random.Random, draft: str) -> str:
    """Words someone said: a stretch of the draft (so quotes may match), mutated or not, or new."""
    kind = rng.randrange(4)
    if kind < 2 and draft.strip():
        start = rng.randrange(max(1, len(draft) - 40))
        words = draft[start:start + rng.randint(10, 400)]
        return fuzz.mutate(rng, words, "") if kind == 1 else words
    if kind == 2:
        return fuzz.sentence(rng, 300)
    return " ".join(rng.choice(fuzz.CLAIMS) for _ in range(rng.randint(1, 4))) + "."


def transcript(rng: random.Random, draft: str) -> str:
    """A labelled transcript: speaker labels, timestamps, Q/A turns, `''` marks, Chinese labels."""
    lines = []
    for _ in range(rng.randint(1, 12)):
        name = rng.choice([fuzz._name(rng).upper(), fuzz._name(rng), rng.choice(fuzz.ZH_NAMES), "Ingrid Halvorsen",
                           rng.choice(PAYLOADS)])
        label = rng.choice(LABELS).format(N=name, s=rng.randrange(60))
        said = _said(rng, draft)
        if rng.random() < 0.2:
            said = f"''{said}''"
        lines.append(f"{label} {said}")
    glue = rng.choice(["\n", "\n\n", "\r\n", "\n \n"])
    return glue.join(lines)


def source_text(rng: random.Random, draft: str) -> tuple[str, str]:
    """(kind, text) of one generated source."""
    kind = rng.choice(["prose", "prose", "transcript", "transcript", "self", "mutated-self", "empty",
                       "binaryish", "huge"])
    if kind == "prose":
        return kind, " ".join(_said(rng, draft) for _ in range(rng.randint(1, 8)))
    if kind == "transcript":
        return kind, transcript(rng, draft)
    if kind == "self":
        return kind, draft
    if kind == "mutated-self":
        return kind, fuzz.mutate(rng, draft, transcript(rng, draft))
    if kind == "empty":
        return kind, rng.choice(["", " ", "\n\n", "\ufeff", "\u200b"])
    if kind == "binaryish":
        return kind, "".join(chr(rng.choice([rng.randrange(0, 32), rng.randrange(32, 0x2fff),
                                             rng.randrange(0xe000, 0x110000)])) for _ in range(rng.randint(1, 400)))
    return kind, (transcript(rng, draft) + "\n") * rng.randint(50, 400)  # huge: a long transcript


def as_format(rng: random.Random, name: str, text: str) -> str:
    """The source text wrapped for its file type (an HTML source gets markup around it)."""
    if name.endswith(".html") and rng.random() < 0.7:
        body = "".join(f"<p>{line}</p>\n" for line in text.split("\n"))
        return f"<html><head><title>t</title><script>var x = 1;</script></head><body>{body}</body></html>"
    return text


# --------------------------------------------------------------------------- sources


@dataclass
class Case:
    """One input: a draft, its format and path, and sources (name -> text)."""

    draft: str
    fmt: load.Format = "text"
    path: str | None = None
    sources: dict[str, str] = field(default_factory=dict)
    note: str = ""


def source_case(rng: random.Random, draft: str) -> Case:
    sources = {}
    kinds = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        kind, text = source_text(rng, draft)
        name = rng.choice(SOURCE_NAMES)
        sources[name] = as_format(rng, name, text)
        kinds.append(kind)
    return Case(draft, rng.choice(fuzz.FORMATS), sources=sources, note=",".join(kinds))


def check_with_sources(case: Case) -> tuple[Any, Report] | None:
    """Load the draft and check it against the case's sources (None when the product refused it)."""
    try:
        article = load.load_text(case.draft, path=case.path, fmt=case.fmt)
        docs = [SourceDoc(path=name, text=text) for name, text in case.sources.items()]
        return article, pipeline.check_article(article, RULES_ENGINE, source_docs=docs)
    except VerifierError:
        return None


def sources_problem(case: Case) -> Failure | None:
    checked = check_with_sources(case)
    if checked is None:
        return None
    article, report = checked
    found = fuzz.report_problem(article, report, case.fmt)
    if found is not None:
        return found
    return source_check_problem(report, case.sources)


def source_check_problem(report: Report, sources: dict[str, str]) -> Failure | None:
    """The first broken contract of the quotes' source checks."""
    for f in report.findings:
        if f.rule not in RULES:
            return Failure("invariant", "finding rule not in the catalogue", f.rule)
    for q in report.quotes:
        sc = q.source_check
        if str(sc.status) not in STATUSES:
            return Failure("invariant", "status not in the catalogue", str(sc.status))
        if sources and str(sc.status) == "unchecked" and any(m.group() for m in TOKEN.finditer(q.text)):
            return Failure("invariant", "a quote with words left unchecked while sources were given", q.text[:80])
        if sc.source is not None and sc.source not in sources:
            return Failure("invariant", "source_check.source names no given source", repr(sc.source))
        span = sc.source_span
        if span is None:
            if str(sc.status) not in ("not_found", "unchecked"):
                return Failure("invariant", "a found quote without a source_span", str(sc.status))
            continue
        raw = sources.get(sc.source or "")
        if raw is None:
            return Failure("invariant", "a source_span without its source", repr(sc.source))
        if not 0 <= span.start <= span.end <= len(raw) or raw[span.start:span.end] != span.text:
            return Failure("invariant", "source_span text is not the source's text at its offsets",
                           f"{span.start}:{span.end} {span.text[:60]!r}")
        starts = fuzz._line_starts(raw)
        if ((span.line, span.column) != fuzz._line_col(starts, span.start)
                or (span.end_line, span.end_column) != fuzz._line_col(starts, span.end)):
            return Failure("invariant", "source_span line:column disagrees with its offsets",
                           f"{span.line}:{span.column} for {span.start}")
        if str(sc.status) == "verbatim" and sc.diff:
            return Failure("invariant", "a verbatim quote with a diff", sc.diff[:80])
        if str(sc.status) in ("altered", "minor_difference") and not sc.diff:
            return Failure("invariant", "a changed quote without a diff", str(sc.status))
        one_piece = len(q.parts) < 2 and not re.search(r"…|\.\s*\.\s*\.", q.text)  # an ellipsis parts it too
        found = marks_problem(q.text, _said_words(sc.source or "", raw, span), sc, one_piece)
        if found is not None:
            return found
    return None


@functools.lru_cache(maxsize=8)
def _doc(name: str, raw: str) -> SourceDoc:
    return SourceDoc(path=name, text=raw)


def _said_words(name: str, raw: str, span: Any) -> str | None:
    """The source passage with speaker labels blanked (they are no words of the comparison); None
    for an HTML source (its tags are in the passage but no words of the comparison)."""
    doc = _doc(name, raw)
    if doc.offsets is not None:
        return None
    return doc.words_text()[span.start:span.end]


def _in_order(marks: list[tuple[int, int]], length: int) -> bool:
    at = 0
    for a, b in marks:
        if not at <= a < b <= length:
            return False
        at = b
    return True


def _unmarked_words(text: str, marks: list[tuple[int, int]]) -> list[str]:
    """The normalised words of `text` outside the marks."""
    out = []
    for m in TOKEN.finditer(text):
        if not any(a <= m.start() < b for a, b in marks):
            word = normalise(m.group())
            if word:
                out.append(word)
    return out


def marks_problem(quote: str, passage: str | None, sc: Any, one_piece: bool) -> Failure | None:
    """The diff's marks lie in their texts, in order, and re-apply: outside the marks, the quote's
    words are the passage's words (checked for an altered one-piece quote; `passage` is the
    source passage with labels blanked, None when it cannot be had)."""
    marks = sc.marks
    if marks is None:
        return None
    if not _in_order(marks.draft, len(quote)):
        return Failure("invariant", "diff marks of the draft out of bounds or order", str(marks.draft[:5]))
    if not _in_order(marks.source, len(sc.source_span.text)):
        return Failure("invariant", "diff marks of the source out of bounds or order", str(marks.source[:5]))
    if passage is not None and one_piece and str(sc.status) == "altered":
        left, right = _unmarked_words(quote, marks.draft), _unmarked_words(passage, marks.source)
        if left != right:
            return Failure("invariant", "the diff does not re-apply: unmarked words differ",
                           f"draft {left[:12]} source {right[:12]} diff {sc.diff[:120]!r}")
    return None


# --------------------------------------------------------------------------- render


def hostile(rng: random.Random, text: str) -> str:
    """`text` with payloads put in: as words, inside quotes, as a speaker's name, as a link."""
    pieces = fuzz._tokens(text) or [""]
    for _ in range(rng.randint(1, 5)):
        at = rng.randrange(len(pieces) + 1)
        p = rng.choice(PAYLOADS)
        kind = rng.randrange(4)
        if kind == 1:
            p = f" “{p} is what we want,” said Ana {p} Ruiz. "
        elif kind == 2:
            p = f" <a href=\"{rng.choice(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:x', 'data:text/html,x', 'http://ok.example/?q=<x>', 'vbscript:x'])}\">{p}</a> "
        elif kind == 3:
            p = f"\n\n“{p},” {rng.choice(fuzz.ZH_NAMES)}说。\n\n"
        pieces.insert(at, p)
    return "".join(pieces)


def render_case(rng: random.Random, draft: str) -> Case:
    case = source_case(rng, hostile(rng, draft))
    case.path = rng.choice(NAMES)
    case.fmt = load._format_of(case.path, case.draft) if rng.random() < 0.5 else case.fmt
    if rng.random() < 0.5:
        case.sources = {rng.choice(NAMES): hostile(rng, t) for t in case.sources.values()}
    if rng.random() < 0.5:
        case.note = "with-others," + case.note
    return case


FORMATS = ("json", "jsonl", "text", "sarif", "github", "junit", "markdown", "html")


def render_problem(case: Case) -> Failure | None:
    checked = check_with_sources(case)
    if checked is None:
        return None
    article, report = checked
    results = [Result(report, article)]
    if case.note.startswith("with-others"):  # a run of several: a plain article and one that failed
        results += [_plain_result(), *pipeline.check_paths([f"/nonexistent/{case.path}"], RULES_ENGINE)]
    return outputs_problem(results)


@functools.lru_cache(maxsize=1)
def _plain_result() -> Result:
    article = load.load_text("Revenue rose 12 percent, the company said.", path="plain.md")
    return Result(pipeline.check_article(article, RULES_ENGINE, source_docs=[]), article)


def outputs_problem(results: list[Any], root: str | None = None) -> Failure | None:
    """Render `results` in every format and check each output."""
    ctx = RenderContext(root=root, settings=Settings(engine="rules", fail_on="info"))
    for fmt in FORMATS:
        try:
            out = render(fmt, results, ctx)
        except Exception as exc:  # noqa: BLE001 - the finding
            return fuzz.exception_failure(exc)
        found = CHECKS[fmt](out, results)
        if found is not None:
            found.key = f"{fmt}: {found.key}"
            return found
    return None


def _json_ok(out: str, results: list[Any]) -> Failure | None:
    data = json.loads(out)
    reports = data["reports"] if "reports" in data else [data]
    if len(reports) != len(results):
        return Failure("invariant", "a report lost", f"{len(reports)} of {len(results)}")
    return None


def _jsonl_ok(out: str, results: list[Any]) -> Failure | None:
    lines = out.rstrip("\n").split("\n")  # JSON Lines are split on LF only (a U+2028 may be inside)
    if len(lines) != len(results) or any(json.loads(line)["schema_version"] != "1" for line in lines):
        return Failure("invariant", "not one report per line", f"{len(lines)} lines for {len(results)}")
    try:
        back = saved.parse_reports(out, "out.jsonl")  # what `verifier render` and --resume read
    except VerifierError as exc:
        return Failure("invariant", "the saved reports do not read back", str(exc)[:200])
    if [r.model_dump() for r in back] != [r.report.model_dump() for r in results]:
        return Failure("invariant", "the saved reports read back changed", "")
    return None


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _text_ok(out: str, results: list[Any]) -> Failure | None:
    m = _CONTROL.search(out)
    if m:
        return Failure("invariant", "a control character reached the text output",
                       f"{m.group()!r} in {out[max(0, m.start() - 40):m.end() + 20]!r}")
    return None


def _sarif_ok(out: str, results: list[Any]) -> Failure | None:
    errors = sorted(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(json.loads(out)), key=str)
    if errors:
        return Failure("invariant", f"schema: {errors[0].validator}", errors[0].message[:200])
    return None


def _unescape(value: str) -> str:
    return (value.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


_COMMAND = re.compile(r"::(error|warning|notice) ([^:]*)::(.*)")


def _github_ok(out: str, results: list[Any]) -> Failure | None:
    """Each workflow command reads back, the way the runner splits it, to what it was given (its
    message with control characters and bidirectional overrides written as escapes)."""
    expected = []
    for r in results:
        path = r.report.article.path
        if r.report.error is not None:
            expected.append((None, "verifier: " + r.report.error.type, escape_controls(r.report.error.message)))
        for f in r.report.findings:
            message = f.message + (f"\n{f.suggestion}" if f.suggestion else "")
            expected.append((path, f"verifier {f.rule}", escape_controls(message)))
    lines = out.split("\n")
    if lines[-1] != "" or len(lines) - 2 != len(expected):
        return Failure("invariant", "one line per annotation and a summary",
                       f"{len(lines) - 2} command lines for {len(expected)} annotations")
    for line, (path, title, message) in zip(lines, expected, strict=False):
        m = _COMMAND.fullmatch(line)
        if m is None:
            return Failure("invariant", "a line that is not a workflow command", repr(line[:120]))
        pairs = [p.split("=", 1) for p in m.group(2).split(",")]
        if any(len(p) != 2 for p in pairs):
            return Failure("invariant", "a property that is not key=value (an unescaped comma)", repr(line[:160]))
        props = dict(pairs)
        if _unescape(props.get("title", "")) != title or _unescape(m.group(3)) != message:
            return Failure("invariant", "a command does not read back to its title and message", repr(line[:160]))
        if path is not None and "/" not in path and _unescape(props.get("file", "")) != path:
            return Failure("invariant", "a command does not read back to its file", repr(line[:160]))
    return None


def _junit_ok(out: str, results: list[Any]) -> Failure | None:
    root = ET.fromstring(out.encode("utf-8"))
    cases = root.findall(".//testcase")
    if len(cases) != len(results):
        return Failure("invariant", "one test case per article", f"{len(cases)} for {len(results)}")
    return None


_PIPE = re.compile(r"(?<!\\)\|")


def _markdown_ok(out: str, results: list[Any]) -> Failure | None:
    lines = out.split("\n")
    table = False
    for line in lines:
        if line.startswith("| Severity |"):
            table = True
            continue
        if table and line.startswith("|") and not line.startswith("|---"):
            if len(_PIPE.findall(line)) != 5:
                return Failure("invariant", "a findings row without exactly four cells", repr(line[:160]))
        elif table and not line.startswith("|"):
            table = False
    rest = re.sub(r"<br>|<!-- verifier-report -->", "", out)
    inline = re.sub(r"`[^`\n]*`", "", rest)
    if re.search(r"<[A-Za-z/!]", inline):
        return Failure("invariant", "raw HTML in the Markdown", repr(re.search(r".{0,40}<[A-Za-z/!].{0,40}", inline).group()))
    return None


class Page(HTMLParser):
    """Every element, attribute and script of a page, as a browser's tokenizer would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._in_script: dict[str, str | None] | None = None
        self.comments: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))
        if tag == "script":
            self._in_script = dict(attrs)
            self.scripts.append((self._in_script, ""))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        if self._in_script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = None

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def _template_vocabulary() -> tuple[set[str], set[str]]:
    """The element and attribute names the page's template and renderer can write."""
    tags: set[str] = set()
    attrs: set[str] = set()
    for name in ("report.html",):
        text = (ROOT / "verifier" / "templates" / name).read_text(encoding="utf-8")
        tags |= {t.lower() for t in re.findall(r"<([a-zA-Z][a-zA-Z0-9]*)", text)}
        attrs |= {a.lower() for a in re.findall(r"\s([a-zA-Z][a-zA-Z0-9-]*)=", text)}
        attrs |= {a.lower() for a in re.findall(r"\s(hidden|checked|open|disabled|selected|readonly)\b", text)}
    return tags, attrs


TEMPLATE_TAGS, TEMPLATE_ATTRS = _template_vocabulary()
_SAFE_HREF = re.compile(r"(#|https?://|mailto:)", re.I)


def foreign_markup(page: Page, tags: Collection[str], attributes: Collection[str],
                   what: tuple[str, str] = ("an element", "an attribute")) -> Failure | None:
    """The first element or attribute of `page` that its template does not write (`tags`,
    `attributes`), or an event handler; `what` names them in the failure."""
    for tag, attrs in page.elements:
        if tag not in tags:
            return Failure("invariant", f"{what[0]} the template does not write", f"<{tag} {attrs[:3]}>")
        for name, value in attrs:
            if name not in attributes or name.startswith("on"):
                return Failure("invariant", f"{what[1]} the template does not write", f"<{tag} {name}={value!r}>")
    return None


def _html_ok(out: str, results: list[Any]) -> Failure | None:
    page = Page()
    page.feed(out)
    page.close()
    foreign = foreign_markup(page, TEMPLATE_TAGS, TEMPLATE_ATTRS)
    if foreign:
        return foreign
    for tag, attrs in page.elements:
        for name, value in attrs:
            if name in ("href", "src", "action", "formaction") and value and not _SAFE_HREF.match(value):
                return Failure("invariant", "a link that is not a fragment, http(s) or mailto", f"<{tag} {name}={value!r}>")
    code = [text for attrs, text in page.scripts if "type" not in attrs]
    if len(code) != 1:
        return Failure("invariant", "not exactly one page script", f"{len(code)} scripts without a type")
    for attrs, text in page.scripts:
        if attrs.get("type") == "application/json":
            try:
                json.loads(text)
            except ValueError:
                return Failure("invariant", "a data block that is not JSON (the input ended it)", text[:120])
        elif "type" in attrs:
            return Failure("invariant", "a script of another type", str(attrs))
    return None


CHECKS: dict[str, Callable[[str, list[Any]], Failure | None]] = {
    "json": _json_ok, "jsonl": _jsonl_ok, "text": _text_ok, "sarif": _sarif_ok, "github": _github_ok,
    "junit": _junit_ok, "markdown": _markdown_ok, "html": _html_ok}


# --------------------------------------------------------------------------- files


def _encoded(rng: random.Random, text: str) -> tuple[str, bytes]:
    """(how, bytes) of `text` as a file: an encoding, a BOM or none, and maybe damage."""
    how = rng.choice(["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "utf-16-le", "utf-16-be", "utf-32",
                      "utf-32-be-bom", "latin-1", "cp1252"])
    if how == "utf-16-be-bom":
        data = b"\xfe\xff" + text.encode("utf-16-be")
    elif how == "utf-32-be-bom":
        data = b"\x00\x00\xfe\xff" + text.encode("utf-32-be")
    else:
        data = text.encode(how, errors="replace")
    damage = rng.choice(["none", "none", "invalid", "truncate", "nul", "lone-cr", "crlf", "controls", "bom-twice"])
    if damage == "invalid":
        at = rng.randrange(len(data) + 1)
        data = data[:at] + rng.choice([b"\xff", b"\xc3", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\x80\x80"]) + data[at:]
    elif damage == "truncate" and data:
        data = data[:-1]
    elif damage == "nul":
        at = rng.randrange(len(data) + 1)
        data = data[:at] + b"\x00" * rng.randint(1, 3) + data[at:]
    elif damage == "lone-cr":
        data = data.replace(b"\n", b"\r")
    elif damage == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif damage == "controls":
        data = bytes(b if rng.random() > 0.1 or b > 0x7f else rng.randrange(1, 32) for b in data)
    elif damage == "bom-twice":
        data = b"\xef\xbb\xbf" + data
    return f"{how}+{damage}", data


def _reference_decode(data: bytes) -> str | None:
    """The text the product should see, decoded here without it (None: it should refuse)."""
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(codec)
            except UnicodeDecodeError:
                return None
            break
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return re.sub(r"\r(?!\n)", "\n", text)


@dataclass
class FileCase:
    """A file (or something else) to give to `verifier check`."""

    kind: str
    name: str
    data: bytes = b""
    args: list[str] = field(default_factory=list)
    role: str = "article"  # or "source": given with --source to a plain article quoting the draft


def file_case(rng: random.Random, draft: str) -> FileCase:
    case = _file_case(rng, draft)
    case.role = "source" if rng.random() < 0.3 else "article"
    return case


def _file_case(rng: random.Random, draft: str) -> FileCase:
    special = rng.random()
    name = rng.choice(["a.txt", "a.md", "a.html", "a b.md", "ü.txt", "-dash.md", "noext"])
    if special < 0.04:
        return FileCase("directory", name)
    if special < 0.07:
        return FileCase("fifo", name)
    if special < 0.09:
        return FileCase("dangling-link", name)
    if special < 0.11:
        return FileCase("empty", name, rng.choice([b"", b"\xef\xbb\xbf", b"\xff\xfe", b" \n\t\n", b"\r\r"]))
    if special < 0.15:
        how, data = _encoded(rng, draft)
        return FileCase("over-max-bytes:" + how, name, data, ["--max-bytes", str(max(1, len(data) // 2))])
    how, data = _encoded(rng, draft)
    return FileCase(how, name, data)


def _run_in_process(args: list[str], cwd: str) -> tuple[int, str, str, BaseException | None]:
    return run_cli(args, cwd)


def run_cli(args: list[str], cwd: str | None = None) -> tuple[int, str, str, BaseException | None]:
    """`verifier ARGS` in this process; an exception the command let out comes back as the fourth."""
    from typer.testing import CliRunner

    from verifier.cli.cli import app
    env = {k: "" for k in os.environ if k.startswith(("OPENAI_", "VERIFIER_"))}
    old = os.getcwd()
    try:
        if cwd:
            os.chdir(cwd)
        result = CliRunner().invoke(app, args, env=env, catch_exceptions=True)
    finally:
        os.chdir(old)
    exc = result.exception if result.exception and not isinstance(result.exception, SystemExit) else None
    return result.exit_code, result.stdout, result.stderr, exc


def run_process(args: list[str], cwd: str, limit: float = 30) -> tuple[int, str, str, BaseException | None]:
    """`verifier ARGS` in a process of its own, for a run that may block where no alarm reaches it
    (a FIFO opened off the main thread); past `limit` seconds it is killed and a stall."""
    import subprocess

    from tests.cli_runner import verifier_process
    try:
        done = verifier_process(*args, cwd=Path(cwd), timeout=limit)
    except subprocess.TimeoutExpired:
        raise fuzz.Stall() from None
    return done.returncode, done.stdout, done.stderr, None


def _make(case: FileCase, folder: Path) -> Path:
    path = folder / case.name
    if case.kind == "directory":
        path.mkdir()
    elif case.kind == "fifo":
        os.mkfifo(path)
    elif case.kind == "dangling-link":
        path.symlink_to(folder / "nowhere.txt")
    else:
        path.write_bytes(case.data)
    return path


def _wide_unnamed(case: FileCase, message: str) -> bool:
    """A UTF-32 file, or a UTF-16 one without a BOM of Latin text, refused without naming its
    encoding (not "binary")."""
    how, _, damage = case.kind.partition("+")
    if damage != "none" or b"\x00" not in case.data:  # (over --max-bytes: the size is refused first)
        return False
    if how.startswith("utf-32"):
        return "UTF-32" not in message
    if how in ("utf-16-le", "utf-16-be"):
        latin = all(ord(c) < 0x100 for c in case.data.decode(how))
        return latin and "UTF-16" not in message
    return False


def files_problem(case: FileCase) -> Failure | None:
    with tempfile.TemporaryDirectory(prefix="fuzz-files-") as tmp:
        path = _make(case, Path(tmp))
        arg = str(path)  # absolute: a leading dash cannot read as an option
        extra = list(case.args)
        if case.role == "source":
            article = Path(tmp) / "article-quoting-it.md"
            article.write_text(SOURCE_ARTICLE, encoding="utf-8")
            arg, extra = str(article), [*extra, "--source", arg]
        code, out, err, exc = run_cli(["check", arg, "--format", "json", "--engine", "rules", *extra])
    problem = _console_problem(code, out, err, exc)
    if problem is not None:
        return problem
    if code == 2:
        lines = [line for line in err.splitlines() if line.startswith("verifier: error:")]
        if len(lines) != 1 or case.name not in lines[0]:
            return Failure("invariant", "exit 2 without one error line naming the file", err[-300:])
        if _wide_unnamed(case, lines[0]):
            return Failure("invariant", "a UTF-16/32 file refused without naming its encoding", lines[0][:200])
        return None
    expected = _reference_decode(case.data)
    if case.kind in ("directory", "fifo", "dangling-link") or expected is None:
        return Failure("invariant", "accepted what should be refused", f"{case.kind}, exit {code}")
    report = json.loads(out)
    spans = fuzz._spans(report, []) if case.role == "article" else [
        q["source_check"]["source_span"] for q in report["quotes"] if q["source_check"]["source_span"]]
    for span in spans:
        if expected[span["start"]:span["end"]] != span["text"]:
            return Failure("invariant", "span text is not the decoded file's text at its offsets",
                           f"{span['start']}:{span['end']} {span['text'][:40]!r}")
    return None


# an article whose quotes are words of the project's drafts, so a source file made of a draft matches
SOURCE_ARTICLE = ("“Tern-3 outperforms GPT-4o on every benchmark,” said Ingrid Halvorsen.\n\n"
                  "“We built Tern-3 for people who need answers they can check,” she said.\n\n"
                  "“The bill would cost $62 million,” Ana Ruiz said.\n")


# --------------------------------------------------------------------------- cli: batches, resume, config

ODD_NAMES = ["plain.md", "with space.md", "ünïcödé.md", "文章.txt", "-leading-dash.md", "--x.txt",
             "y" * 240 + ".md", "new\nline.md", "tab\t.txt", "quote'\".md", "semi;colon.txt", "UPPER.MD",
             ".hidden.md", "a%20b.md", "emoji😀.md", "back\\slash.md"]
CONFIG_BREAKS = [
    "engine = \n", "engine = \"rules\"\nengine = \"rules\"\n", "[x\n", "fail_on = 3\n", "fail_on = \"sometimes\"\n",
    "engine = [\"rules\"]\n", "unknown_key = 1\n", "max_bytes = -5\n", "max_bytes = \"big\"\n", "concurrency = 0\n",
    "severity = \"x\"\n", "[severity]\nquote-altered = \"fatal\"\n", "[severity]\nno-such-rule = \"error\"\n",
    "disable = \"quote-altered\"\n", "disable = [1, 2]\n", "sources = 5\n", "timeout = \"soon\"\n",
    "\ufeffengine = \"rules\"\n", "engine = \"rules\"\x00\n", "model = \"\u202e\"\n", "= 1\n", "a.b.c = 1\n",
    "[tool]\nverifier = 1\n", "fail_on = \"never\"\n", "engine = \"rules\"\n", "",
    "max_bytes = 99999999999999999999999\n", "jobs = 3000000000\n", "timeout_per_article = 1e30\n",
    "timeout_per_article = inf\n", "timeout = nan\n", "max_bytes = 1e3\n", "baseline = \"/dev/null\"\n",
    "baseline = \"drafts\"\n", "baseline = \"fifo\"\n", "cache_dir = \"/dev/null\"\n", "jobs = 2\n",
]


@dataclass
class CliCase:
    """A folder of drafts, an optional config file, and how to run over it."""

    files: dict[str, bytes]
    config: tuple[str, str] | None = None  # (file name, text)
    resume_cut: float | None = None  # run with --resume twice, the output cut at this fraction first
    unreadable: list[str] = field(default_factory=list)
    odd: list[str] = field(default_factory=list)  # "fifo" / "dangling": such an entry named like an article


def cli_case(rng: random.Random, draft: str) -> CliCase:
    files: dict[str, bytes] = {}
    for name in rng.sample(ODD_NAMES, rng.randint(1, 6)):
        files[name] = _encoded(rng, draft)[1] if rng.random() < 0.3 else draft.encode("utf-8")
    config = None
    if rng.random() < 0.6:
        text = "".join(rng.sample(CONFIG_BREAKS, rng.randint(1, 3)))
        if rng.random() < 0.3:
            config = ("pyproject.toml", "[tool.verifier]\n" + text)
        else:
            config = ("verifier.toml", text)
    cut = rng.random() if rng.random() < 0.4 else None
    unreadable = [n for n in files if rng.random() < 0.1]  # (root reads them anyway)
    odd = [k for k in ("fifo", "dangling") if rng.random() < 0.15]
    return CliCase(files, config, cut, unreadable, odd)


def cli_problem(case: CliCase) -> Failure | None:
    with tempfile.TemporaryDirectory(prefix="fuzz-cli-") as tmp:
        root = Path(tmp)
        drafts = root / "drafts"
        drafts.mkdir()
        for name, data in case.files.items():
            (drafts / name).write_bytes(data)
        for name in case.unreadable:
            (drafts / name).chmod(0)
        if "fifo" in case.odd:
            os.mkfifo(drafts / "pipe.md")
        if "dangling" in case.odd:
            (drafts / "gone.md").symlink_to(root / "nowhere.md")
        if case.config:
            (root / case.config[0]).write_text(case.config[1], encoding="utf-8")
        os.mkfifo(root / "fifo")  # a FIFO a configuration may name (as its baseline)
        out = root / "out.jsonl"
        args = ["check", "drafts", "--engine", "rules", "--format", "jsonl", "--output", str(out)]
        run_cli = _run_in_process if not case.odd else run_process
        code, stdout, err, exc = run_cli(args + (["--resume"] if case.resume_cut is not None else []), cwd=tmp)
        found = _cli_run_problem(code, stdout, err, exc, case)
        if found is not None or code == 2 and not out.exists():
            return found  # (a configuration refused, with its error line, stops the run before any article)
        if case.resume_cut is not None and out.exists():
            data = out.read_bytes()
            out.write_bytes(data[:int(len(data) * case.resume_cut)])
            code, stdout, err, exc = run_cli(args + ["--resume"], cwd=tmp)
            found = _cli_run_problem(code, stdout, err, exc, case)
            if found is not None:
                return found
        if not out.exists():
            return Failure("invariant", "no output file written", err[-300:])
        reports = []
        for line in out.read_text(encoding="utf-8").split("\n")[:-1]:
            try:
                reports.append(json.loads(line))
            except ValueError:
                return Failure("invariant", "a line of the output that is not JSON", line[:120])
        code, stdout, err, exc = run_cli(["render", str(out), "--format", "json"], cwd=tmp)
        failed = any(r.get("error") for r in reports)  # an unreadable article: exit 2 again
        if exc is not None or code not in ((0, 1, 2) if failed else (0, 1)):
            return exc and fuzz.exception_failure(exc) or Failure(
                "invariant", "verifier render does not read the run's own output", err[-300:])
        paths = sorted(r["article"]["path"] for r in reports)
        names = [*case.files, *(["pipe.md"] if "fifo" in case.odd else []), *(["gone.md"] if "dangling" in case.odd else [])]
        wanted = sorted(str(Path("drafts") / n) for n in names if n.lower().endswith((".md", ".txt", ".html")))
        if paths != wanted:
            return Failure("invariant", "articles lost or reported twice",
                           f"reported {[p[:30] for p in paths]} wanted {[p[:30] for p in wanted]}")
    return None


def _console_problem(code: int, out: str, err: str, exc: BaseException | None) -> Failure | None:
    """What every command run must never do: raise, print a traceback, exit outside 0, 1, 2."""
    if exc is not None:
        return fuzz.exception_failure(exc)
    if "Traceback" in out + err:
        return Failure("invariant", "a traceback on the console", err[-300:])
    if code not in (0, 1, 2):
        return Failure("invariant", "an exit code DESIGN.md does not list", str(code))
    return None


def _cli_run_problem(code: int, out: str, err: str, exc: BaseException | None, case: CliCase) -> Failure | None:
    problem = _console_problem(code, out, err, exc)
    if problem is not None:
        return problem
    errors = [line for line in err.splitlines() if line.startswith("verifier: error:")]
    if code == 2 and not errors:
        return Failure("invariant", "exit 2 without an error line", err[-300:])
    if errors and code != 2:
        return Failure("invariant", "an error line but exit code " + str(code), errors[0][:200])
    if case.config and code == 2 and not re.search(r"drafts|toml|baseline|fifo|/dev/", "".join(errors)):
        return Failure("invariant", "an error that names neither an article nor the configuration", errors[0][:200])
    return None


# --------------------------------------------------------------------------- llm


def _clause(rng: random.Random, draft: str) -> str | None:
    """A clause for an answer: the draft's words, cut anywhere (inside a combining sequence, an
    emoji, a CRLF), changed, invented, huge, or none."""
    kind = rng.randrange(7)
    if kind == 0 or not draft:
        return None
    if kind in (1, 2):
        a = rng.randrange(len(draft))
        return draft[a:a + rng.randint(1, 200)][:600]
    if kind == 3:
        return fuzz.mutate(rng, draft[:300], "")[:600]
    if kind == 4:
        return rng.choice(PAYLOADS + ["\u0301", "\U0001f600"[:1], "\r", " ", "null", "None", "…"])
    if kind == 5:
        return ("B" * 600)
    return rng.choice(fuzz.CLAIMS)


def answer(rng: random.Random, draft: str, numbered: int) -> dict[str, Any]:
    """One hostile, schema-valid answer to a request whose passage has `numbered` sentences."""
    claims = []
    for _ in range(rng.randint(0, 8)):
        sentences = [rng.choice([0, -1, 1, numbered, numbered + 1, 10**9, rng.randint(1, max(1, numbered))])
                     for _ in range(rng.randint(1, 4))]
        tags = [{"tag": rng.choice(["attributed", "benchmark_dependent", "opinion", "rumour", "Attributed", ""]),
                 "reason": rng.choice(["", "x" * 300, rng.choice(PAYLOADS)])} for _ in range(rng.randint(0, 3))]
        claim = {"sentences": sentences, "clause": _clause(rng, draft),
                 "claim": rng.choice([rng.choice(fuzz.CLAIMS), "x" * 400, rng.choice(PAYLOADS), draft[:400] or "x"]),
                 "tags": tags, "speaker": rng.choice([None, "", "null", fuzz._name(rng), "x" * 160,
                                                      rng.choice(PAYLOADS), draft[:160] or None])}
        claims.append(claim)
        if rng.random() < 0.2:
            claims.append(dict(claim))  # a duplicate
    return {"claims": claims}


@dataclass
class LlmCase:
    draft: str
    fmt: load.Format
    seed: int
    faults: list[str] = field(default_factory=list)  # per request: ok, malformed, 429, 500


def llm_case(rng: random.Random, draft: str) -> LlmCase:
    faults = [rng.choice(["ok", "ok", "ok", "ok", "malformed", "429", "500", "truncated"]) for _ in range(12)]
    return LlmCase(draft[:6000], rng.choice(fuzz.FORMATS), rng.randrange(10**9), faults)


def llm_problem(case: LlmCase) -> Failure | None:
    from tests.llm_server import Step, completion, error_body, serve
    from verifier.engines.llm import LLMExtractor

    rng = random.Random(case.seed)
    count = {"n": 0}

    def handler(request: dict[str, Any]) -> Any:
        n = count["n"]
        count["n"] += 1
        fault = case.faults[n % len(case.faults)]
        text = "\n".join(str(m.get("content")) for m in request["messages"] if m["role"] == "user")
        numbered = len(re.findall(r"^\[\d+\]", text, re.M))
        if fault == "malformed":
            return Step(body=completion('{"claims": [{"sentences": [1], "claim": "x"'))
        if fault == "truncated":
            return Step(body=completion(answer(rng, case.draft, numbered), finish_reason="length"))
        if fault in ("429", "500"):
            return Step(status=int(fault), body=error_body("busy"), headers={"retry-after-ms": "1"})
        return Step(body=completion(answer(rng, case.draft, numbered)))

    settings = Settings(engine="llm", base_url="", model="test-model", max_retries=1, cache=False, timeout=5.0)
    try:
        article = load.load_text(case.draft, path="a.txt", fmt=case.fmt)
    except VerifierError:
        return None
    with serve(handler=handler) as server:
        settings = settings.model_copy(update={"base_url": server.base_url})
        try:
            extractor = LLMExtractor(settings, retry_wait=0.001)
            report = pipeline.check_article(article, settings, extractor=extractor, source_docs=[])
        except VerifierError:
            return None
        except Exception as exc:  # noqa: BLE001 - the finding
            return fuzz.exception_failure(exc)
    found = fuzz.report_problem(article, report, case.fmt) or _grapheme_problem(article.raw, report)
    if found is None and len(report.claims) > 10 * max(1, len(case.draft) // 20):
        found = Failure("invariant", "more claims than the draft could hold", str(len(report.claims)))
    return found


def _grapheme_problem(raw: str, report: Report) -> Failure | None:
    """A claim span that cuts a letter from its combining mark (a model's clause may stop there)."""
    for c in report.claims:
        for at in (c.span.start, c.span.end):
            if 0 < at < len(raw) and unicodedata.category(raw[at]).startswith("M"):
                return Failure("invariant", "a claim span cuts a combining sequence",
                               f"{c.span.start}:{c.span.end} {raw[max(0, at - 10):at + 5]!r}")
    return None


# --------------------------------------------------------------------------- the run

MODES: dict[str, tuple[Callable[[random.Random, str], Any], Callable[[Any], Failure | None]]] = {
    "sources": (source_case, sources_problem),
    "render": (render_case, render_problem),
    "files": (file_case, files_problem),
    "cli": (cli_case, cli_problem),
    "llm": (llm_case, llm_problem),
}


def guarded(problem: Callable[[Any], Failure | None], case: Any, limit: float) -> Failure | None:
    """`problem(case)` under a time limit; an exception it lets out is the failure."""
    import signal

    def ring(signum: int, frame: object) -> None:
        raise fuzz.Stall()

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, limit)
    try:
        return problem(case)
    except fuzz.Stall:
        return Failure("stall", "ran past the time limit", f"stopped after {limit:.0f} s")
    except Exception as exc:  # noqa: BLE001 - the finding
        return fuzz.exception_failure(exc)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def cases(mode: str, rng: random.Random, seeds: list[tuple[str, str]]) -> Iterator[tuple[str, Any]]:
    """(origin, case) of `mode` forever, from fuzz.py's drafts."""
    make = MODES[mode][0]
    for origin, draft in fuzz.drafts(rng, seeds):
        if len(draft) > 20000:
            draft = draft[:20000]
        yield origin, make(rng, draft)


def reduce_case(mode: str, case: Any, failure: Failure, limit: float, budget: int) -> Any:
    """The case with its draft (and then each source) cut down while it fails the same way."""
    problem = MODES[mode][1]
    want = (failure.kind, failure.key)

    def same(candidate: Any) -> bool:
        found = guarded(problem, candidate, limit)
        return found is not None and (found.kind, found.key) == want

    if isinstance(case, Case):
        case.draft = fuzz.reduce(case.draft, lambda t: same(Case(t, case.fmt, case.path, case.sources, case.note)), budget)
        for name in list(case.sources):
            case.sources[name] = fuzz.reduce(case.sources[name], lambda t, n=name: same(
                Case(case.draft, case.fmt, case.path, {**case.sources, n: t}, case.note)), budget)
    elif isinstance(case, LlmCase):
        case.draft = fuzz.reduce(case.draft, lambda t: same(LlmCase(t, case.fmt, case.seed, case.faults)), budget)
    return case


@dataclass
class ModeRun:
    cases: int = 0
    seconds: float = 0.0
    findings: dict[tuple[str, str], tuple[Failure, str, Any, int]] = field(default_factory=dict)


def run_mode(mode: str, args: argparse.Namespace, seeds: list[tuple[str, str]]) -> ModeRun:
    rng = random.Random(f"{args.seed}:{mode}")
    result = ModeRun()
    started = time.perf_counter()
    for origin, case in cases(mode, rng, seeds):
        if result.cases >= args.count or (args.seconds and time.perf_counter() - started > args.seconds):
            break
        result.cases += 1
        failure = guarded(MODES[mode][1], case, args.limit)
        if failure is None:
            continue
        key = (failure.kind, failure.key)
        if key in result.findings:
            f, o, c, n = result.findings[key]
            result.findings[key] = (f, o, c, n + 1)
        else:
            result.findings[key] = (failure, origin, case, 1)
            print(f"[{mode}] [{failure.kind}] {failure.key} ({origin})", file=sys.stderr, flush=True)
    result.seconds = time.perf_counter() - started
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", action="append", choices=list(MODES), help="a mode (repeatable; default all)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=200, help="cases per mode")
    parser.add_argument("--seconds", type=float, default=0.0, help="stop each mode after this long (0: no limit)")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds one case may run")
    parser.add_argument("--polnear", type=int, default=100, help="PolNeAR train texts to read from ../shared")
    parser.add_argument("--no-shared", action="store_true", help="read nothing from ../shared")
    parser.add_argument("--budget", type=int, default=300, help="checks spent on each reproducer")
    parser.add_argument("--save", type=Path, help="a folder to write each failing case to")
    args = parser.parse_args(argv)
    if args.count == 200 and args.seconds:
        args.count = 10**9
    seeds = fuzz.seed_texts(not args.no_shared, args.polnear)
    failed = 0
    for mode in args.mode or list(MODES):
        result = run_mode(mode, args, seeds)
        print(f"{mode}: {result.cases} cases, {result.seconds:.0f} s, seed {args.seed}, "
              f"{len(result.findings)} distinct failures")
        for i, (failure, origin, case, n) in enumerate(result.findings.values(), 1):
            failed += 1
            case = reduce_case(mode, case, failure, args.limit, args.budget)
            print(f"  #{i} {failure.kind}: {failure.key} ({n} cases; first {origin})")
            print("     " + failure.detail.replace("\n", "\n     ")[:1500])
            shown = repr(case)
            print(f"     case: {shown[:800]}{' ...' if len(shown) > 800 else ''}")
            if args.save:
                args.save.mkdir(parents=True, exist_ok=True)
                (args.save / f"{mode}-{i:03d}.txt").write_text(shown, encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
