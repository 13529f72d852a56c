"""Domain models: the article as loaded, its segments, and the JSON report contract (schema version 1).

The report models (`Span`, `Claim`, `Quote`, `Finding`, `Report` ...) *are* the contract in
DESIGN.md: fields may be added, never renamed or removed without a new `SCHEMA_VERSION`.
`schema/report.schema.json` is generated from them (`python -m verifier.model.schema`).

Internal models (`Article`, `Paragraph`, `Sentence`, `QuotePart`) are plain dataclasses: they are
built many times per article and never serialised as they are.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

SCHEMA_VERSION = "1"


class Tag(StrEnum):
    """The labels a claim may carry (DESIGN.md, "Tags: the labelling rules")."""

    ATTRIBUTED = "attributed"
    BENCHMARK_DEPENDENT = "benchmark_dependent"
    OPINION = "opinion"


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


def at_or_above(severity: str, level: str) -> bool:
    """Whether a finding of `severity` reaches the fail level `level` (error|warning|info)."""
    return SEVERITY_RANK[str(severity)] >= SEVERITY_RANK[level]


class SourceStatus(StrEnum):
    VERBATIM = "verbatim"
    MINOR_DIFFERENCE = "minor_difference"
    ALTERED = "altered"
    NOT_FOUND = "not_found"
    SPEAKER_MISMATCH = "speaker_mismatch"
    UNCHECKED = "unchecked"


# --------------------------------------------------------------------------- the article


class TextMap:
    """From analysis offsets to the original file: offsets, 1-based line:column, exact text.

    `raw` is the file as decoded; `offsets[i]` is the file offset of analysis character i, or None
    when the analysis text has the file's own offsets (plain text, masked Markdown).
    """

    __slots__ = ("raw", "offsets", "line_starts")

    def __init__(self, raw: str, offsets: list[int] | None = None) -> None:
        self.raw = raw
        self.offsets = offsets
        starts = [0]
        find = raw.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self.line_starts = starts

    def to_raw(self, i: int) -> int:
        """File offset of analysis offset `i` (an end offset maps past its last character)."""
        if self.offsets is None:
            return i
        if i >= len(self.offsets):
            return self.offsets[-1] + 1 if self.offsets else 0
        return self.offsets[i]

    def raw_range(self, start: int, end: int) -> tuple[int, int]:
        if self.offsets is None:
            return start, end
        if end <= start:
            s = self.to_raw(start)
            return s, s
        return self.to_raw(start), self.to_raw(end - 1) + 1

    def analysis_range(self, start: int, end: int) -> tuple[int, int]:
        """The analysis offsets of file offsets [start, end) (the inverse of `raw_range`)."""
        if self.offsets is None:
            return start, end
        return bisect.bisect_left(self.offsets, start), bisect.bisect_left(self.offsets, end)

    def line_col(self, raw_offset: int) -> tuple[int, int]:
        """1-based line and column (in code points) of a file offset."""
        line = bisect.bisect_right(self.line_starts, raw_offset) - 1
        return line + 1, raw_offset - self.line_starts[line] + 1

    def span(self, start: int, end: int) -> Span:
        """The report `Span` of analysis offsets [start, end): `raw_range` and `line_col` written
        out, as spans are made for every claim, quote, speaker and finding."""
        rs, re_ = (start, end) if self.offsets is None else self.raw_range(start, end)
        starts = self.line_starts
        line = bisect.bisect_right(starts, rs)  # 1-based: the line starts at or before rs
        end_line = bisect.bisect_right(starts, re_)
        return _trusted_span({"start": rs, "end": re_, "line": line, "column": rs - starts[line - 1] + 1,
                              "end_line": end_line, "end_column": re_ - starts[end_line - 1] + 1,
                              "text": self.raw[rs:re_]})


def strip_range(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the whitespace at either end."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


CHINESE_CHAR = re.compile("[\u4e00-\u9fff]")  # a Chinese character (CJK unified ideographs): the one pattern

# A paragraph runs from a line's first non-blank character to the line before a blank line (one of
# spaces, tabs and CRs only), trailing whitespace left out.
_PARAGRAPH = re.compile(r"\S[^\n]*(?:\n(?![ \t\r]*\n)[^\n]*)*")


def find_paragraphs(text: str, start: int = 0) -> list[tuple[int, int]]:
    """[start, end) of each paragraph of `text` from `start` on: the one definition of a paragraph,
    which `Article.paragraphs` applies once per article for every stage and renderer."""
    out = []
    for m in _PARAGRAPH.finditer(text, start):
        out.append((m.start(), m.start() + len(m.group().rstrip())))
    return out


class OnFile:
    """Offsets into a file's text through `self.map`: what an article and a source document share."""

    __slots__ = ()
    map: TextMap

    def raw_range(self, start: int, end: int) -> tuple[int, int]:
        return self.map.raw_range(start, end)

    def line_col(self, raw_offset: int) -> tuple[int, int]:
        return self.map.line_col(raw_offset)

    def span(self, start: int, end: int) -> Span:
        """The report `Span` (into the file) of analysis offsets [start, end)."""
        return self.map.span(start, end)


@dataclass(slots=True)
class Article(OnFile):
    """One loaded draft.

    `raw` is the original file decoded to text; every report offset indexes it. `text` is the text
    the pipeline analyses: for .txt and .md it is `raw` with markup masked by spaces (same length),
    for .html it is the extracted story text, and `raw_offsets[i]` is the offset in `raw` of
    `text[i]` (None where the two are the same string positions).
    """

    path: str | None
    raw: str
    text: str
    format: Literal["text", "markdown", "html"] = "text"
    raw_offsets: list[int] | None = None
    front_matter: dict[str, Any] = field(default_factory=dict)
    body_start: int = 0
    title: str | None = None
    title_span: tuple[int, int] | None = None
    boilerplate: list[tuple[int, int]] = field(default_factory=list)
    focus: list[tuple[int, int]] | None = None  # paragraphs to check (--changed-since); None = all
    encoding: str = "utf-8"
    sha256: str = ""
    cache: dict[str, Any] = field(default_factory=dict, repr=False)  # per-article work shared by stages
    map: TextMap = field(init=False, repr=False)
    _paragraphs: list[tuple[int, int]] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.map = TextMap(self.raw, self.raw_offsets)

    def paragraphs(self) -> list[tuple[int, int]]:
        """Analysis offsets [start, end) of the story's paragraphs (from `body_start` on), found on
        first use and then shared: boilerplate, segmentation and the renderers read these."""
        if self._paragraphs is None:
            self._paragraphs = find_paragraphs(self.text, self.body_start)
        return self._paragraphs

    def to_raw(self, i: int) -> int:
        return self.map.to_raw(i)

    def has_chinese(self) -> bool:
        """Whether the story text (from `body_start` on) holds a Chinese character: looked for once
        and shared, so stages skip their Chinese rules on an article with none without looking."""
        found = self.cache.get("chinese")
        if found is None:
            found = self.cache["chinese"] = CHINESE_CHAR.search(self.text, self.body_start) is not None
        return bool(found)

    def is_boilerplate(self, start: int, end: int) -> bool:
        """True when [start, end) lies mostly inside a boilerplate range.

        Only the ranges that can overlap [start, end) are looked at (found by bisection), so
        asking for every sentence of a long article costs no more than its length."""
        starts, longest = self._boilerplate_index()
        i = bisect.bisect_left(starts, end) - 1
        while i >= 0 and starts[i] >= start - longest:
            bs, be = self.boilerplate[i]
            overlap = min(end, be) - max(start, bs)
            if overlap > 0 and overlap * 2 >= (end - start):
                return True
            i -= 1
        return False

    def _boilerplate_index(self) -> tuple[list[int], int]:
        """The starts of the (sorted) boilerplate ranges and the longest range's length."""
        key = (id(self.boilerplate), len(self.boilerplate))
        cached = self.cache.get("boilerplate_index")
        if cached is None or cached[0] != key:
            ranges = self.boilerplate
            if any(ranges[k] > ranges[k + 1] for k in range(len(ranges) - 1)):
                ranges.sort()
            cached = (key, [bs for bs, _ in ranges], max((be - bs for bs, be in ranges), default=0))
            self.cache["boilerplate_index"] = cached
        return cached[1], cached[2]


@dataclass(slots=True)
class Paragraph:
    start: int
    end: int
    index: int
    boilerplate: bool = False
    heading: bool = False
    in_focus: bool = True  # False when --changed-since leaves this paragraph out

    @property
    def checkable(self) -> bool:
        """Claims come only from paragraphs that are story text and in focus."""
        return self.in_focus and not self.boilerplate


@dataclass(slots=True)
class Sentence:
    start: int
    end: int
    paragraph: int


@dataclass(slots=True)
class Segmentation:
    paragraphs: list[Paragraph]
    sentences: list[Sentence]
    sentence_starts: list[int] = field(default_factory=list)  # filled by `segment`, for bisect

    def sentences_in(self, paragraph: int) -> list[Sentence]:
        return [s for s in self.sentences if s.paragraph == paragraph]

    def sentence_index(self, offset: int) -> int:
        """Index of the last sentence starting at or before `offset` (-1 if none)."""
        if len(self.sentence_starts) != len(self.sentences):
            self.sentence_starts = [s.start for s in self.sentences]
        return bisect.bisect_right(self.sentence_starts, offset) - 1


@dataclass(slots=True)
class QuotePart:
    """One stretch between a pair of quotation marks (analysis offsets, marks excluded)."""

    start: int
    end: int
    open_mark: str
    close_mark: str | None


# --------------------------------------------------------------------------- report contract


class _Model(BaseModel):
    model_config = ConfigDict(use_enum_values=True)


class Span(_Model):
    """A stretch of the original file: offsets, 1-based line:column, and the exact text."""

    start: int = Field(description="Offset of the first character in the original file's text: the "
                       "file decoded (UTF-8, or UTF-16 by its byte-order mark), in Unicode code "
                       "points, with a leading byte-order mark removed (offset 0 is the first "
                       "character after it). A lone CR counts as one character and ends a line.")
    end: int = Field(description="Offset just past the last character.")
    line: int = Field(description="1-based line of `start`.")
    column: int = Field(description="1-based column of `start`, in Unicode code points.")
    end_line: int = Field(description="1-based line of `end`.")
    end_column: int = Field(description="1-based column of `end` (exclusive), in code points.")
    text: str = Field(description="Exactly original_text[start:end].")


_SPAN_FIELDS = frozenset(Span.model_fields)
_new_object = object.__new__
_set_attribute = object.__setattr__
# the slots every pydantic model has, set through their descriptors (a plain `object.__setattr__`
# looks each name up through the model's class first)
_set_fields_set = BaseModel.__dict__["__pydantic_fields_set__"].__set__
_set_extra = BaseModel.__dict__["__pydantic_extra__"].__set__
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__


def _trusted_span(fields: dict[str, Any]) -> Span:
    """A `Span` of fields computed by `TextMap.span` (ints and the file's own text, every field
    given), built without validation: the instance pydantic's `model_construct` builds, at a
    quarter of the cost of a validated `Span` (`model_construct` itself costs more than
    validating). Spans are made for every claim, quote and speaker; tests/test_speedups.py checks
    the result equals, renders and dumps as the validated one."""
    span = _new_object(Span)
    _set_attribute(span, "__dict__", fields)
    _set_fields_set(span, set(_SPAN_FIELDS))
    _set_extra(span, None)
    _set_private(span, None)
    return span


class ToolInfo(_Model):
    name: str = Field("verifier", description="Always 'verifier'.")
    version: str = Field(description="The verifier version that wrote the report.")


class ArticleInfo(_Model):
    path: str | None = Field(description="The article's path as given, or null for stdin.")
    sha256: str = Field(description="SHA-256 of the article file's bytes.")
    chars: int = Field(description="Length of the original text in characters.")
    title: str | None = Field(description="Headline: front-matter title, <title>/<h1>, or first line.")


class EngineInfo(_Model):
    extractor: Literal["llm", "rules"] = Field(description="Which claim extractor ran.")
    model: str | None = Field(None, description="The LLM model name, null for the rules engine.")
    prompt_version: str | None = Field(None, description="'name@hash' of the prompt, null for rules.")


class Attribution(_Model):
    source: str = Field(description="Who says it: a person, organisation, document or description.")
    cue: str | None = Field(None, description="The words that attribute it ('said', 'according to').")
    quote_ids: list[str] = Field(default_factory=list, description="Quotes this claim restates.")


class Benchmark(_Model):
    subject: str | None = Field(None, description="The system, chip or product whose performance is claimed.")
    compared_to: list[str] = Field(default_factory=list, description="Systems it is compared with.")
    capability: str | None = Field(None, description="The capability measured ('mathematical reasoning').")
    benchmarks_cited: list[str] = Field(default_factory=list, description="Named benchmarks (MMLU, GSM8K ...).")
    figures_cited: list[str] = Field(default_factory=list, description="Scores, percentages, multiples.")


class Opinion(_Model):
    holder: str | None = Field(None, description="Whose opinion; null when it is the publication's own voice.")


class Claim(_Model):
    id: str = Field(description="'C1', 'C2' ... in article order.")
    text: str = Field(description="The claim as a standalone sentence.")
    span: Span = Field(description="The exact article words that state it.")
    tags: list[Tag] = Field(default_factory=list, description="Zero or more of the three tags.")
    attribution: Attribution | None = None
    benchmark: Benchmark | None = None
    opinion: Opinion | None = None
    checkworthiness: float = Field(
        0.0, ge=0.0, le=1.0,
        description="0..1: how much the claim is worth checking (a figure, an event, a named party "
                    "raise it; a question, a greeting, a judgement lower it). The rationale says why.")
    confidence: float = Field(description="0..1: how sure the engine is of the tags.")
    rationale: str = Field(description="Which signals fired, and where model and signals disagreed.")


class DiffMarks(_Model):
    """Where the words of a quote's word diff lie, on both sides (what a reader's view highlights)."""

    draft: list[tuple[int, int]] = Field(
        default_factory=list, description="Offsets [start, end) in the quote's `text` of the words "
        "the draft has instead of the source's, or adds (the left side of `diff`).")
    source: list[tuple[int, int]] = Field(
        default_factory=list, description="Offsets [start, end) in `source_span.text` of the "
        "source's words the draft changes or leaves out (the right side of `diff`).")


class SourceCheck(_Model):
    status: SourceStatus = Field(SourceStatus.UNCHECKED, description="Result of the word-for-word check.")
    source: str | None = Field(None, description="The source file that holds (or best matches) the quote.")
    similarity: float | None = Field(None, description="0..1 word-level similarity to the best source passage.")
    source_span: Span | None = Field(None, description="The matching passage, with line:column in the source file.")
    diff: str | None = Field(None, description="Word diff such as 'can -> will' or '- not'.")
    marks: DiffMarks | None = Field(None, description="Where the words of `diff` lie in the quote and in the "
                                    "source passage; present only when the quote was found in a source.")

    @model_serializer(mode="wrap")
    def _without_absent_marks(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("marks", 0) is None:
            del data["marks"]
        return data


class Quote(_Model):
    id: str = Field(description="'Q1', 'Q2' ... in article order.")
    text: str = Field(description="The quoted words, without the marks (parts of a split quote joined by a space).")
    span: Span = Field(description="From the first quoted word to the last, marks excluded.")
    kind: Literal["direct", "partial"] = Field(description="A full quoted utterance, or a few words inside a sentence.")
    speaker: str | None = Field(None, description="The speaker's fullest name in the article, or a description.")
    speaker_mention: str | None = Field(None, description="The speaker as written at the cue ('he', 'Zhang', 'the company'), before resolution.")
    speaker_span: Span | None = Field(None, description="The mention of the speaker nearest the quote.")
    cue: str | None = Field(None, description="The attribution cue ('said', 'told', 'according to', ':').")
    source_check: SourceCheck = Field(default_factory=lambda: SourceCheck())
    parts: list[Span] = Field(default_factory=list, description="Each quoted stretch; two or more for a quote split by its attribution.")


class Finding(_Model):
    rule: str = Field(description="Rule id from the catalogue (`verifier rules`).")
    severity: Severity
    message: str = Field(description="What is wrong, in words an editor can act on.")
    span: Span | None = None
    claim_id: str | None = None
    quote_id: str | None = None
    suggestion: str | None = Field(None, description="How to fix it.")


class TagCounts(_Model):
    attributed: int = 0
    benchmark_dependent: int = 0
    opinion: int = 0


class FindingCounts(_Model):
    error: int = 0
    warning: int = 0
    info: int = 0


class Summary(_Model):
    claims: int = 0
    tags: TagCounts = Field(default_factory=TagCounts)
    untagged: int = 0
    quotes: int = 0
    findings: FindingCounts = Field(default_factory=FindingCounts)


class Usage(_Model):
    llm_calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cache_hits: int = 0
    cached_prompt_tokens: int = Field(0, description="Prompt tokens the server reports it served from its prompt cache.")
    cost_usd: float | None = None
    seconds: float = 0.0


class ErrorInfo(_Model):
    type: str = Field(description="The error class, e.g. 'InputError', 'LLMError'.")
    message: str = Field(description="What went wrong and what to do next.")


class Report(_Model):
    schema_version: Literal["1"] = "1"
    tool: ToolInfo
    article: ArticleInfo
    engine: EngineInfo
    claims: list[Claim] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    findings: list[Finding] = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)
    usage: Usage = Field(default_factory=Usage)
    error: ErrorInfo | None = Field(None, description="Set when the article could not be checked; the lists are then empty.")

    def to_json(self, indent: int | None = 2) -> str:
        return self.model_dump_json(indent=indent)


class MultiReport(_Model):
    """`--format json` over several articles."""

    schema_version: Literal["1"] = "1"
    reports: list[Report]


def report_json_schema() -> dict[str, Any]:
    """JSON Schema of one report (what `schema/report.schema.json` holds)."""
    schema = Report.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "verifier report, schema version " + SCHEMA_VERSION
    schema["description"] = (
        (schema.get("description", "") + "\n\n").lstrip()
        + "`--format json` writes this object bare when the run checked one article, and "
          '`{"schema_version": "1", "reports": [<report>, ...]}` (one per article, in order) when '
          "it checked several; `--format jsonl` writes one report per line.")
    return schema


if __name__ == "__main__":  # pragma: no cover - regenerates the committed schema file
    import sys

    sys.stdout.write(json.dumps(report_json_schema(), indent=2, ensure_ascii=False) + "\n")
