"""llm: claim extraction with a language model. The only module that imports openai and instructor.

The model reads a chunk's sentences numbered (see `verifier.engines.chunking`) and answers, per claim, the
number(s) of the sentence(s) that state it, optionally the exact clause inside one, the standalone
claim, tags with a reason each, and the speaker. Evidence is the article's own sentence, so it
cannot be invented; `validate_answer` checks every number and clause against the chunk.

What one chunk costs, in model requests (the bound `LLMExtractor` enforces; tests/test_llm.py
proves it against a server that counts):

    cache hit ....................................... 0
    the answer validates ............................ 1
    it does not: one re-ask that sends the errors ... 2   (MAX_REASKS)
    cut off at the output limit, or over the context window: the chunk is halved once and each
    half asked on its own (at most 2 each) .......... 5   (1 + 2 x 2); a half cut off again is
                                                           reported as a per-chunk finding
    each HTTP request is retried at most --max-retries times on a transport failure (connection,
    timeout, 408, 409, 429, >= 500), and only that request.

Retries happen in exactly one layer per kind of failure: the openai client's own retries and
instructor's re-ask loop are both switched off (max_retries=0); this module re-asks once with the
validation errors (never the bad answer) and retries transport failures per HTTP request. Every
HTTP request counts in `usage.llm_calls`, answered or not. 401/403/404 fail at once. Errors name
the base URL and model, never the key.

Public for other runners of the same requests (e.g. a batch runner): `LLMExtractor.build_request`
(the chat-completion body for a chunk), `LLMExtractor.key_for` (the chunk's cache key),
`validate_answer` (an answer's valid claims and its errors) and `answer_text` (the answer in a
completion).
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import random
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx2
import instructor
import jiter
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.v2.core.response import handle_response_model
from pydantic import (
    BaseModel,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from verifier.engines import chunking, pricing
from verifier.engines.extract import ClaimDraft, Extraction, FailedChunk, Progress
from verifier.engines.llmcache import LLMCache, cache_key
from verifier.engines.prompting import Prompt, load_prompt
from verifier.engines.providers import provider_for
from verifier.model.config import DEFAULT_MODEL, Settings, is_loopback
from verifier.model.errors import (
    ConfigError,
    LLMAuthError,
    LLMBudgetError,
    LLMError,
    LLMNotFoundError,
    LLMRateLimitError,
    LLMResponseError,
    LLMTimeoutError,
)
from verifier.model.options import LLMMode, choices
from verifier.model.schema import Article, EngineInfo, Segmentation, Tag, Usage
from verifier.stages.ground import align_strict

PROMPT_NAME = "extract_claims"
MAX_REASKS = 1
MAX_SPLITS = 1
MAX_CLAIMS_PER_CHUNK = 24
MAX_OUTPUT_TOKENS = 2048
SAMPLING: dict[str, Any] = {"temperature": 0, "max_tokens": MAX_OUTPUT_TOKENS}
OUTPUT_TOKENS_PER_SENTENCE = 60  # a dry run's estimate of the answer: about one claim a sentence
MAX_RETRY_AFTER = 60.0  # seconds; a server asking for longer is reported, not waited for
NO_KEY = "no-key-needed"  # local servers ignore the key, but the openai client insists on one
REASK = ("Your answer could not be used:\n{errors}\n\nAnswer again with the complete list of claims "
         "of the passage above, fixing these problems. Cite sentences only by the numbers shown.")

# instructor logs every failed attempt at ERROR level; with no handler on its logger, Python's
# last-resort handler would print them on stderr. Failures reach the user as LLMError instead, so
# while an extractor is open (from its creation to `close()`) the logger gets a NullHandler; the
# last extractor to close takes it away again. Importing this module changes no logger.
_INSTRUCTOR_LOG = logging.getLogger("instructor")
_HUSH = logging.NullHandler()
_hush_lock = threading.Lock()
_hush_users = 0


def _hush_instructor(on: bool) -> None:
    global _hush_users
    with _hush_lock:
        _hush_users += 1 if on else -1
        if on and _hush_users == 1:
            _INSTRUCTOR_LOG.addHandler(_HUSH)
        elif not on and _hush_users == 0:
            _INSTRUCTOR_LOG.removeHandler(_HUSH)

MODES: dict[LLMMode, instructor.Mode] = {
    LLMMode.TOOLS: instructor.Mode.TOOLS,
    LLMMode.JSON_SCHEMA: instructor.Mode.JSON_SCHEMA,
    LLMMode.JSON: instructor.Mode.JSON,
    LLMMode.MD_JSON: instructor.Mode.MD_JSON,
}


# --------------------------------------------------------------------------- response models


class TagReason(BaseModel):
    """A tag and why it applies."""

    tag: Tag
    reason: str = Field("", max_length=300, description="One line: why the tag applies.")


class ExtractedClaim(BaseModel):
    """One checkable claim, anchored by the numbers of the sentences that state it."""

    sentences: list[int] = Field(min_length=1, max_length=4,
                                 description="The number(s) of the sentence(s) that state the claim, e.g. [3].")
    clause: str | None = Field(None, max_length=600,
                               description="null for the whole sentence; else the exact words of the clause that states the claim.")
    claim: str = Field(min_length=1, max_length=400, description="The claim as one standalone sentence.")
    tags: list[TagReason] = Field(default_factory=list, max_length=3,
                                  description="Zero or more of attributed, benchmark_dependent, opinion, each with a reason.")
    speaker: str | None = Field(None, max_length=160,
                                description="Who makes the claim, as the passage names them; null for the publication's own voice.")
    # where validation found the claim's words (analysis offsets, and 'sentence' or 'clause'): the
    # one alignment of its evidence, which the claim's draft then carries; not part of the answer
    _evidence: tuple[int, int, str] | None = PrivateAttr(None)

    @field_validator("tags", mode="before")
    @classmethod
    def _tag_items(cls, value: Any, info: ValidationInfo) -> Any:
        if not isinstance(value, list):
            return value
        items = [{"tag": v, "reason": ""} if isinstance(v, str) else v for v in value]
        if _ctx(info).get("lenient"):
            known = {str(t) for t in Tag}
            items = [i for i in items if isinstance(i, dict) and i.get("tag") in known]
        return items

    @field_validator("clause", "speaker", mode="before")
    @classmethod
    def _blank_is_null(cls, value: Any) -> Any:
        if isinstance(value, str) and value.strip().lower() in ("", "null", "none"):
            return None
        return value

    @model_validator(mode="after")
    def _anchored(self, info: ValidationInfo) -> ExtractedClaim:
        anchor = _ctx(info).get("anchor")
        if isinstance(anchor, _Anchor):
            anchor.check(self)
        return self


class Claims(BaseModel):
    """Record every checkable claim of the passage."""

    claims: list[ExtractedClaim] = Field(default_factory=list, max_length=MAX_CLAIMS_PER_CHUNK)


SCHEMA_VERSION = hashlib.sha256((json.dumps(Claims.model_json_schema(), sort_keys=True) + REASK)
                                .encode()).hexdigest()[:12]


def _ctx(info: ValidationInfo) -> dict[str, Any]:
    return info.context if isinstance(info.context, dict) else {}


_WORD = re.compile(r"\w{4,}")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")  # no spaces between words: no word check


@dataclass(slots=True)
class _Anchor:
    """What a claim is checked against: the chunk's sentences and the article's names."""

    article: Article
    chunk: chunking.Chunk
    lenient: bool = False

    def check(self, claim: ExtractedClaim) -> None:
        count = len(self.chunk.lines)
        numbers = sorted(set(claim.sentences))
        wrong = [n for n in numbers if not 1 <= n <= count]
        if wrong:
            raise ValueError(f"sentence {wrong[0]} does not exist: the passage has sentences 1 to {count}")
        lines = [self.chunk.lines[n - 1] for n in numbers]
        if numbers != list(range(numbers[0], numbers[-1] + 1)) or len({ln.paragraph for ln in lines}) > 1:
            raise ValueError(f"sentences {numbers} are not neighbours in one paragraph; cite one sentence")
        start, end = lines[0].start, lines[-1].end
        text = self.article.text[start:end]
        claim._evidence = (start, end, "sentence")
        if claim.clause is not None:
            found = align_strict(text, claim.clause)
            if found is None:
                raise ValueError(f"the clause {claim.clause[:120]!r} is not in sentence {numbers[0]}; copy its "
                                 "exact words, or give null for the whole sentence")
            claim._evidence = (start + found.start, start + found.end, "clause")
        known = _words(text) | _words(self.chunk.context) | _words(self.article.title or "")
        if _words(claim.claim) and not (_words(claim.claim) & known) and not _CJK.search(text):
            raise ValueError(f"the claim {claim.claim[:120]!r} does not restate sentence {numbers[0]}")
        if claim.speaker is not None and align_strict(self.article.text, claim.speaker) is None:
            if self.lenient:  # the last answer: keep the claim, drop the unknown speaker
                claim.speaker = None
                return
            raise ValueError(f"the speaker {claim.speaker!r} is not named in the article; use the name as "
                             "the article writes it, or null")


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


# --------------------------------------------------------------------------- validation


@dataclass(slots=True)
class Validated:
    """An answer checked against its chunk: the claims that hold, and what was wrong."""

    claims: list[ExtractedClaim] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (the claim's words, why)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def unusable(self) -> bool:
        """Wrong as a whole (not JSON, no claims list), not just in some claims."""
        return bool(self.errors) and not self.claims and not self.dropped


def validate_answer(answer: str | dict[str, Any], chunk: chunking.Chunk, article: Article,
                    lenient: bool = False) -> Validated:
    """Validate a model answer (JSON text or parsed) against the chunk it answers.

    Every claim is checked on its own: sentence numbers that exist, neighbours in one paragraph,
    a clause that is in the cited sentence, a claim that restates it, a speaker the article names.
    `lenient` drops unknown tags instead of failing the claim (for the last answer of a chunk).
    """
    try:
        data = parse_answer(answer) if isinstance(answer, str) else answer
    except ValueError as exc:
        return Validated(errors=[f"the answer is not JSON: {_short(exc, 120)}"])
    items = data.get("claims") if isinstance(data, dict) else None
    if not isinstance(items, list):
        return Validated(errors=['the answer must be a JSON object {"claims": [...]}'])
    out = Validated()
    context = {"anchor": _Anchor(article, chunk, lenient), "lenient": lenient}
    for number, item in enumerate(items[:MAX_CLAIMS_PER_CHUNK], start=1):
        if not item:
            continue  # the unfinished last claim of an answer cut off mid-way
        try:
            out.claims.append(ExtractedClaim.model_validate(item, context=context))
        except ValidationError as exc:
            errors = [f"claim {number}: {_error_text(e)}" for e in exc.errors()]
            out.errors.extend(errors)
            words = item.get("claim") if isinstance(item, dict) else None
            out.dropped.append((" ".join(words.split()) if isinstance(words, str) else "", errors[0]))
    if len(items) > MAX_CLAIMS_PER_CHUNK:
        out.errors.append(f"at most {MAX_CLAIMS_PER_CHUNK} claims per passage")
    return out


def _with_claims_of(again: Validated, first: Validated) -> Validated:
    """The re-asked answer, plus the claims of the first answer that validated and that the
    re-ask does not repeat (same sentences and clause)."""
    def key(c: ExtractedClaim) -> tuple[tuple[int, ...], str]:
        return tuple(sorted(set(c.sentences))), " ".join((c.clause or "").lower().split())

    seen = {key(c) for c in again.claims}
    kept = [c for c in first.claims if key(c) not in seen]
    return Validated(claims=again.claims + kept, errors=again.errors, dropped=again.dropped)


def _merge(parts: list[Validated], offset: int) -> Validated:
    """The answers of a chunk's two halves as one answer for the whole chunk (the second half's
    sentence numbers moved up by `offset`), so the whole chunk can be cached."""
    first, second = parts
    moved = [c.model_copy(update={"sentences": [n + offset for n in c.sentences]}) for c in second.claims]
    return Validated(claims=first.claims + moved, errors=first.errors + second.errors,
                     dropped=first.dropped + second.dropped)


def _error_text(error: Any) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()) if p != "__root__")
    message = str(error.get("msg", "")).removeprefix("Value error, ")
    return f"{where}: {message}" if where else message


def parse_answer(raw: str) -> Any:
    """JSON, read leniently: small models put raw newlines inside strings, and an answer cut off
    at the output limit still holds its complete claims (the unfinished tail is dropped)."""
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        return jiter.from_json(raw.encode("utf-8"), partial_mode=True)


def answer_text(completion: Any) -> str:
    """The text of the model's answer in a chat completion: tool-call arguments, or the content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return ""
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        return calls[0].function.arguments or ""
    content = message.content or ""
    fenced = re.search(r"```(?:json)?\s*(.*?)```", content, flags=re.DOTALL)
    return fenced.group(1) if fenced else content


# --------------------------------------------------------------------------- server kinds


def server_kind(base_url: str | None) -> str:
    """The registered provider of the server: 'openai', 'ollama', 'openai-compatible' (vLLM,
    llama.cpp server, LM Studio ...) or a plugin's (`verifier.engines.providers`)."""
    return provider_for(base_url).name


def resolve_mode(override: str | None, base_url: str | None) -> instructor.Mode:
    """The instructor mode: the override, else the provider's (JSON_SCHEMA for Ollama, else TOOLS)."""
    key = override.strip().lower().replace("-", "_") if override else provider_for(base_url).mode
    if key not in MODES:
        what = "LLM mode" if override else f"LLM mode of the provider {server_kind(base_url)!r}"
        raise ConfigError(f"unknown {what} {override or key!r}; use one of {choices(LLMMode)}")
    return MODES[LLMMode(key)]


# --------------------------------------------------------------------------- the call budget


class CallBudget:
    """`--max-calls` and `--max-cost` for a whole run, shared by every article and thread."""

    def __init__(self, max_calls: int | None, max_cost: float | None) -> None:
        self.max_calls = max_calls
        self.max_cost = max_cost
        self.calls = 0
        self.cost = 0.0
        self._lock = threading.Lock()

    def take(self, worst_cost: float | None) -> None:
        """Reserve one request, or raise LLMBudgetError when it could go over a limit."""
        with self._lock:
            if self.max_calls is not None and self.calls >= self.max_calls:
                raise LLMBudgetError(f"the --max-calls budget of {self.max_calls} request(s) is spent")
            if self.max_cost is not None and self.cost + (worst_cost or 0.0) > self.max_cost:
                raise LLMBudgetError(f"the --max-cost budget of ${self.max_cost:g} would be passed "
                                     f"(spent ${self.cost:.4f})")
            self.calls += 1

    def spend(self, cost: float | None) -> None:
        with self._lock:
            self.cost += cost or 0.0


# --------------------------------------------------------------------------- the extractor


@dataclass(slots=True)
class _Meter:
    """Requests and tokens of the current thread (filled by the HTTP and instructor hooks)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cached_tokens: int = 0
    content_type: str = ""


@dataclass(slots=True)
class _Answer:
    """One model answer: parsed claims (or the raw text), and whether it was cut off."""

    data: dict[str, Any] | str
    cut_off: bool = False


class _ChunkFailed(Exception):
    """The chunk cannot be answered (cut off even when halved); the others still can."""


class _TooLong(Exception):
    """The chunk or the answer does not fit the model."""

    def __init__(self, message: str, answer: _Answer | None = None) -> None:
        super().__init__(message)
        self.answer = answer


class LLMExtractor:
    """Claims from each chunk of checkable paragraphs, one structured request per chunk."""

    def __init__(self, settings: Settings, *, retry_wait: float = 0.5,
                 cache: LLMCache | None = None, budget: CallBudget | None = None) -> None:
        self.settings = settings
        self.model = settings.model or DEFAULT_MODEL
        self.base_url = settings.base_url.rstrip("/") if settings.base_url else None
        self.mode = resolve_mode(settings.llm_mode, self.base_url)
        self.prompt: Prompt = load_prompt(PROMPT_NAME)
        self.retry_wait = retry_wait
        self.cache = cache if cache is not None else (LLMCache(settings.cache_dir) if settings.cache else None)
        self.budget = budget or CallBudget(settings.max_calls, settings.max_cost)
        if settings.max_cost is not None and pricing.cost_usd(self.model, self.base_url, 1, 1) is None:
            raise ConfigError(f"--max-cost needs a priced model; {self.where} has no known price",
                              hint="use --max-calls to bound a run on this server")
        self._own_cache = cache is None and self.cache is not None
        self._local = threading.local()
        self._client = self._make_client()
        self._open = True
        _hush_instructor(True)

    def close(self) -> None:
        """Close the HTTP client and the cache this extractor opened (a cache passed in stays
        open: its owner closes it). Closing twice does nothing."""
        if not getattr(self, "_open", False):
            return
        self._open = False
        _hush_instructor(False)
        self._raw.close()
        if self._own_cache and self.cache is not None:
            self.cache.close()

    # -- public
    def extract(self, article: Article, seg: Segmentation,
                progress: Progress | None = None) -> Extraction:
        """Drafts from every chunk, de-duplicated, with usage summed over every request. A chunk
        whose requests fail is handed on in `failed` (the pipeline degrades it); after a failure
        the remaining chunks are not asked."""
        usage = Usage()
        drafts: list[ClaimDraft] = []
        unanchored: list[ClaimDraft] = []
        failed: list[FailedChunk] = []
        cut: list[FailedChunk] = []
        chunks = chunking.make_chunks(article, seg, self.settings.chunk_tokens)
        engine = EngineInfo(extractor="llm", model=self.model, prompt_version=self.prompt.version)
        for chunk in chunks:
            if progress is not None:
                progress(f"claims: chunk {chunk.index + 1} of {len(chunks)}")
            if failed:
                failed.append(_failed(chunk, len(chunks), f"not asked after chunk {failed[0].index + 1} failed"))
                continue
            try:
                kept, dropped = self._chunk_drafts(article, seg, chunk, usage, MAX_SPLITS)
                drafts += kept
                unanchored += dropped
            except LLMBudgetError as exc:
                exc.usage = self._priced(usage)
                raise
            except _ChunkFailed as exc:  # this chunk only: the next ones are still asked
                cut.append(_failed(chunk, len(chunks), str(exc)))
            except LLMError as exc:
                failed.append(_failed(chunk, len(chunks), str(exc)))
        return Extraction(drafts=_dedupe(drafts), engine=engine, usage=self._priced(usage),
                          failed=sorted(cut + failed, key=lambda f: f.index),
                          unanchored=list({(d.text, d.note): d for d in unanchored}.values()))

    def plan(self, article: Article, seg: Segmentation) -> list[dict[str, Any]]:
        """What `extract` would ask, without asking: per chunk its sentences, whether the cache
        holds it, and the estimated prompt tokens of its request."""
        out = []
        for chunk in chunking.make_chunks(article, seg, self.settings.chunk_tokens):
            body = self.build_request(chunk)
            cached = self.cache is not None and not self.settings.refresh and \
                self.cache.get(self.key_for(chunk)) is not None
            out.append({"chunk": chunk.index + 1, "sentences": len(chunk.lines), "cached": cached,
                        "prompt_tokens": chunking.estimate_tokens(json.dumps(body, ensure_ascii=False)),
                        "output_tokens": OUTPUT_TOKENS_PER_SENTENCE * len(chunk.lines)})
        return out

    def build_request(self, chunk: chunking.Chunk, errors: list[str] | None = None) -> dict[str, Any]:
        """The chat-completion request body for `chunk` (tools or response_format by mode); with
        `errors`, the re-ask that sends them."""
        return self._body(self._kwargs(chunk, errors))

    def key_for(self, chunk: chunking.Chunk) -> str:
        """The cache key of `chunk`: its own text and context, the model, mode, prompt and schema
        versions and the sampling settings; not the server's address (the same model answers the
        same under `localhost` and `127.0.0.1`)."""
        return cache_key(passage=chunk.numbered, context=chunk.context, model=self.model,
                         mode=self.mode.value, prompt=self.prompt.version, schema=SCHEMA_VERSION,
                         sampling=SAMPLING)

    # -- the same requests, sent through the Batch API (verifier.run.batch)
    def plan_requests(self, article: Article, seg: Segmentation) -> list[PlannedRequest]:
        """The request `extract` sends first for each chunk of the article, with its cache key."""
        return [PlannedRequest(key=self.key_for(chunk), chunk=chunk, article=article)
                for chunk in chunking.make_chunks(article, seg, self.settings.chunk_tokens)]

    def request_body(self, planned: PlannedRequest) -> dict[str, Any]:
        """The chat completion request body the synchronous call sends for `planned`."""
        return self.build_request(planned.chunk)

    def check_answer(self, completion: dict[str, Any], planned: PlannedRequest) -> dict[str, Any]:
        """The answer in a chat completion (a JSON body), checked by the validators of a
        synchronous call, as the cache keeps it; LLMResponseError (listing what is wrong) when it
        is cut off or does not validate."""
        try:
            parsed = openai.types.chat.ChatCompletion.model_validate(completion)
        except ValidationError as exc:
            raise LLMResponseError(f"not a chat completion: {_short(exc)}") from None
        if parsed.choices and parsed.choices[0].finish_reason == "length":
            raise LLMResponseError("the answer was cut off at the output token limit")
        validated = validate_answer(answer_text(parsed), planned.chunk, planned.article)
        if not validated.ok:
            raise LLMResponseError("\n".join(validated.errors))
        return {"claims": [c.model_dump(mode="json") for c in validated.claims]}

    def reask(self, planned: PlannedRequest, error: str, usage: Usage) -> dict[str, Any] | None:
        """The one re-ask of a chunk whose first answer (from the Batch API) did not validate:
        the request again with the validators' errors, synchronously, within the call budget.
        A valid answer is cached; one that still does not validate is returned uncached, to be
        read leniently as a synchronous run reads its last answer; None when it was cut off or
        is unusable (the synchronous check then handles the chunk)."""
        answer = self._request(self._kwargs(planned.chunk, error.split("\n")), usage)
        if answer.cut_off:
            return None
        validated = validate_answer(answer.data, planned.chunk, planned.article, lenient=True)
        if validated.unusable:
            return None
        if not validated.ok:
            data = answer.data if isinstance(answer.data, dict) else parse_answer(answer.data)
            return data if isinstance(data, dict) else None
        stored = {"claims": [c.model_dump(mode="json") for c in validated.claims]}
        if self.cache is not None:
            self.cache.put(planned.key, stored)
        return stored

    def cached(self, key: str) -> bool:
        """True when the cache holds an answer under `key`."""
        return self.cache is not None and self.cache.get(key) is not None

    def store(self, key: str, answer: dict[str, Any]) -> None:
        """Keep a valid answer in the cache, where `extract` will find it."""
        if self.cache is None:
            raise ConfigError("the Batch API needs the LLM cache", hint="drop --no-cache")
        self.cache.put(key, answer)

    def batch_api(self) -> BatchAPI:
        """The Files and Batches endpoints of the same server, with the same key."""
        return BatchAPI(self)

    @property
    def where(self) -> str:
        return f"{self.base_url or 'https://api.openai.com/v1'} (model {self.model})"

    # -- one chunk
    def _chunk_drafts(self, article: Article, seg: Segmentation, chunk: chunking.Chunk,
                      usage: Usage, splits: int) -> tuple[list[ClaimDraft], list[ClaimDraft]]:
        """Drafts of one chunk, and those of its claims dropped after the re-ask."""
        return self._drafts(article, chunk, self._chunk_claims(article, seg, chunk, usage, splits))

    def _chunk_claims(self, article: Article, seg: Segmentation, chunk: chunking.Chunk,
                      usage: Usage, splits: int) -> Validated:
        """The chunk's validated claims: from the cache, one answer (and its re-ask), or the
        answers of its two halves, renumbered. Raises _ChunkFailed when no usable answer came."""
        key = self.key_for(chunk)
        stored = self.cache.get(key) if self.cache is not None and not self.settings.refresh else None
        if stored is not None:
            usage.cache_hits += 1
            return validate_answer(stored, chunk, article, lenient=True)
        try:
            validated = self._ask_validated(article, chunk, usage)
        except _TooLong as exc:
            halves = chunking.split_chunk(article, seg, chunk) if splits > 0 else []
            if not halves:
                raise _ChunkFailed(f"{self.where}: {exc}, and the chunk cannot be halved again") from None
            parts = [self._chunk_claims(article, seg, half, usage, splits - 1) for half in halves]
            validated = _merge(parts, len(halves[0].lines))
        if validated.ok and self.cache is not None:  # only validated answers are kept
            self.cache.put(key, {"claims": [c.model_dump(mode="json") for c in validated.claims]})
        return validated

    def _ask_validated(self, article: Article, chunk: chunking.Chunk, usage: Usage) -> Validated:
        """The first answer, and when it does not validate one re-ask with its errors."""
        answer = self._request(self._kwargs(chunk), usage)
        if answer.cut_off:
            raise _TooLong("the answer was cut off at the output token limit", answer)
        validated = first = validate_answer(answer.data, chunk, article)
        for _ in range(MAX_REASKS):
            if validated.ok:
                break
            answer = self._request(self._kwargs(chunk, validated.errors), usage)
            if answer.cut_off:
                raise _TooLong("the re-asked answer was cut off at the output token limit")
            # the first answer's valid claims stay: small models often re-ask with less, or nothing
            validated = _with_claims_of(validate_answer(answer.data, chunk, article, lenient=True), first)
        if validated.unusable:
            raise _ChunkFailed(f"{self.where} gave no usable answer after {MAX_REASKS + 1} requests: "
                               f"{'; '.join(validated.errors)[:300]}")
        return validated

    def _kwargs(self, chunk: chunking.Chunk, errors: list[str] | None = None) -> dict[str, Any]:
        messages = self.prompt.render(context=chunk.context, passage=chunk.numbered,
                                      count=len(chunk.lines), marker=_marker(chunk.numbered + chunk.context))
        if errors:
            listed = "\n".join(f"- {e[:300]}" for e in errors[:20])
            messages.append({"role": "user", "content": REASK.format(errors=listed)})
        return {"model": self.model, "messages": messages, **SAMPLING}

    def _body(self, kwargs: dict[str, Any]) -> dict[str, Any]:
        _, body = handle_response_model(Claims, mode=self.mode, **kwargs)
        return body

    def _drafts(self, article: Article, chunk: chunking.Chunk,
                validated: Validated) -> tuple[list[ClaimDraft], list[ClaimDraft]]:
        """The drafts of the claims that validated, and those of the claims dropped (unanchored)."""
        drafts = [self._draft(article, chunk, c) for c in validated.claims]
        dropped = [ClaimDraft(text=words, evidence=words or error, note=error, extra={"chunk": chunk.index})
                   for words, error in validated.dropped]
        return drafts, dropped

    def _draft(self, article: Article, chunk: chunking.Chunk, claim: ExtractedClaim) -> ClaimDraft:
        numbers = sorted(set(claim.sentences))
        assert claim._evidence is not None, "a claim is drafted only once validated against its chunk"
        start, end, grounding = claim._evidence
        reasons = "; ".join(f"{t.tag}: {' '.join(t.reason.split())}" for t in claim.tags if t.reason.strip())
        return ClaimDraft(text=" ".join(claim.claim.split()), evidence=article.text[start:end],
                          start=start, end=end, proposed_tags=[str(t.tag) for t in claim.tags],
                          speaker=claim.speaker, note=f"model: {reasons}" if reasons else "",
                          extra={"chunk": chunk.index, "sentences": numbers, "grounding": grounding})

    # -- one request, with transport retries
    def _request(self, kwargs: dict[str, Any], usage: Usage) -> _Answer:
        """One model request. A transport failure retries this HTTP request only, at most
        `max_retries` times; every attempt counts in `usage.llm_calls`."""
        attempts = max(self.settings.max_retries, 0) + 1
        for attempt in range(1, attempts + 1):
            self.budget.take(self._worst_cost(kwargs))
            try:
                return self._send(kwargs, usage)
            except openai.APIError as exc:
                if not _transient(exc) or attempt == attempts:
                    raise self._error(exc) from None
                time.sleep(self._wait(exc, attempt))
        raise LLMError(f"{self.where}: no answer")  # pragma: no cover - the loop returns or raises

    def _send(self, kwargs: dict[str, Any], usage: Usage) -> _Answer:
        meter = self._local.meter = _Meter()
        try:
            result = self._client.chat.completions.create(
                response_model=Claims, max_retries=0, strict=False, **kwargs)
            return _Answer(result.model_dump(mode="json"))
        except IncompleteOutputException as exc:
            return _Answer(answer_text(exc.last_completion), cut_off=True)
        except InstructorRetryException as exc:
            cause = exc.__cause__
            if isinstance(cause, openai.BadRequestError) and _context_length(cause):
                raise _TooLong("the chunk exceeds the model's context window") from cause
            if isinstance(cause, openai.APIError):
                raise cause from cause.__cause__  # keeps what failed: refused, dropped ...
            if not exc.failed_attempts or "json" not in (meter.content_type or "json"):
                raise self._not_json(meter, cause or exc) from None
            return _Answer(answer_text(exc.failed_attempts[-1].completion))
        finally:
            usage.llm_calls += meter.calls
            usage.prompt_tokens += meter.prompt_tokens
            usage.completion_tokens += meter.completion_tokens
            usage.cached_prompt_tokens += meter.cached_tokens
            self.budget.spend(pricing.cost_usd(self.model, self.base_url, meter.prompt_tokens,
                                               meter.completion_tokens))

    def _not_json(self, meter: _Meter, exc: BaseException) -> LLMResponseError:
        kind = meter.content_type or "no content type"
        return LLMResponseError(f"{self.where} answered with a body that is not a JSON chat completion "
                                f"(content type {kind}): {self._scrub(exc)}",
                                hint="is --base-url the server's OpenAI-compatible root (usually ending in /v1)?")

    def _worst_cost(self, kwargs: dict[str, Any]) -> float | None:
        prompt = chunking.estimate_tokens(json.dumps(kwargs["messages"], ensure_ascii=False))
        return pricing.cost_usd(self.model, self.base_url, prompt, MAX_OUTPUT_TOKENS)

    def _priced(self, usage: Usage) -> Usage:
        usage.cost_usd = pricing.cost_usd(self.model, self.base_url, usage.prompt_tokens,
                                          usage.completion_tokens)
        return usage

    def _wait(self, exc: BaseException, attempt: int) -> float:
        after = _retry_after(exc)
        if after is not None and after > MAX_RETRY_AFTER:
            raise LLMRateLimitError(f"{self.where} asked to retry after {after:.0f} s; verifier "
                                    f"waits at most {MAX_RETRY_AFTER:.0f} s", hint="try again later")
        if after is not None:
            return after
        return self.retry_wait * (2 ** (attempt - 1)) * (0.5 + random.random() / 2)

    # -- client and errors
    def _make_client(self) -> Any:
        key = self.settings.api_key
        if not key and not is_loopback(self.base_url):
            server = "OpenAI" if self.base_url is None else self.base_url
            raise LLMAuthError(f"no API key for {server}: set OPENAI_API_KEY (or VERIFIER_API_KEY)",
                               hint="a server on this machine (127.0.0.1, localhost) needs none")
        http = httpx2.Client(timeout=self.settings.timeout,
                             event_hooks={"request": [self._on_request], "response": [self._on_http_response]})
        raw = openai.OpenAI(api_key=key or NO_KEY, base_url=self.base_url,
                            timeout=self.settings.timeout, max_retries=0, http_client=http)
        self._raw = raw
        client = instructor.from_openai(raw, mode=self.mode)
        client.on("completion:response", self._on_response)
        return client

    def _meter(self) -> _Meter | None:
        return getattr(self._local, "meter", None)

    def _on_request(self, request: Any) -> None:
        meter = self._meter()
        if meter is not None:
            meter.calls += 1

    def _on_http_response(self, response: Any) -> None:
        meter = self._meter()
        if meter is not None:
            meter.content_type = response.headers.get("content-type", "")

    def _on_response(self, response: Any) -> None:
        meter = self._meter()
        if meter is None:
            return
        used = getattr(response, "usage", None)
        meter.prompt_tokens += int(getattr(used, "prompt_tokens", 0) or 0)
        meter.completion_tokens += int(getattr(used, "completion_tokens", 0) or 0)
        details = getattr(used, "prompt_tokens_details", None)
        meter.cached_tokens += int(getattr(details, "cached_tokens", 0) or 0)

    def _error(self, exc: openai.APIError) -> LLMError:
        """The LLMError for a final openai error; the message names base URL and model only."""
        where = self.where
        if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
            status = getattr(exc, "status_code", "")
            return LLMAuthError(f"{where} refused the request (HTTP {status})",
                                hint="check OPENAI_API_KEY / VERIFIER_API_KEY and access to the model")
        if isinstance(exc, openai.NotFoundError):
            return LLMNotFoundError(f"{where} answered 404: the base URL or the model name is wrong",
                                    hint="check --base-url (it usually ends in /v1) and --model")
        if isinstance(exc, openai.RateLimitError):
            return LLMRateLimitError(f"{where} is still rate-limiting after "
                                     f"{self.settings.max_retries + 1} attempts: {self._scrub(exc)}")
        if isinstance(exc, openai.APITimeoutError):
            return LLMTimeoutError(f"{where} did not answer within {self.settings.timeout:g} s",
                                   hint="raise --timeout or use a smaller model")
        if isinstance(exc, openai.APIConnectionError):
            return self._connection_error(exc)
        status = getattr(exc, "status_code", None)
        return LLMError(f"{where} answered HTTP {status}: {self._scrub(exc)}")

    def _connection_error(self, exc: openai.APIConnectionError) -> LLMError:
        """Refused, dropped or otherwise failed connections, each named."""
        chain: list[BaseException] = []
        link: BaseException | None = exc
        while link is not None and len(chain) < 8:
            chain.append(link)
            link = link.__cause__ or link.__context__
        cause = chain[-1]
        text = " ".join(f"{type(e).__name__}: {e}" for e in chain).lower()
        if "refused" in text:
            return LLMError(f"connection refused by {self.where}", hint="is the server running?")
        if "disconnected" in text or "remoteprotocol" in text or "reset" in text or "closed" in text:
            return LLMError(f"{self.where} dropped the connection before answering",
                            hint="the server may have crashed or restarted; see its log")
        return LLMError(f"cannot connect to {self.where}: {self._scrub(cause)}",
                        hint="check --base-url and the network")

    def _scrub(self, exc: BaseException) -> str:
        text = _short(exc)
        if self.settings.api_key:
            text = text.replace(self.settings.api_key, "***")
        return re.sub(r"sk-[A-Za-z0-9_*\-]{4,}", "sk-***", text)


@dataclass(frozen=True, slots=True)
class PlannedRequest:
    """One chunk's request: its cache key (also the Batch API's custom_id), and the chunk and
    article the validators check an answer against."""

    key: str
    chunk: chunking.Chunk
    article: Article


class BatchAPI:
    """The OpenAI Files and Batches endpoints, for verifier.run.batch. The openai client's own retries
    (connection errors, 408, 409, 429, >= 500) are the only retry layer for these calls."""

    def __init__(self, extractor: LLMExtractor) -> None:
        self._client = extractor._raw.with_options(max_retries=max(extractor.settings.max_retries, 0))
        self._error = extractor._error

    def upload(self, path: str) -> str:
        """Upload a request file (purpose `batch`); its file id."""
        with open(path, "rb") as handle:
            return str(self._call(self._client.files.create, file=handle, purpose="batch").id)

    def create(self, file_id: str, metadata: dict[str, str]) -> dict[str, Any]:
        """Start a batch over an uploaded file, within 24 hours."""
        return dict(self._call(self._client.batches.create, input_file_id=file_id,
                               endpoint="/v1/chat/completions", completion_window="24h",
                               metadata=metadata).model_dump(mode="json"))

    def retrieve(self, batch_id: str) -> dict[str, Any]:
        return dict(self._call(self._client.batches.retrieve, batch_id).model_dump(mode="json"))

    def cancel(self, batch_id: str) -> dict[str, Any]:
        return dict(self._call(self._client.batches.cancel, batch_id).model_dump(mode="json"))

    def content(self, file_id: str) -> bytes:
        """The bytes of an output or error file."""
        return bytes(self._call(self._client.files.content, file_id).content)

    def _call(self, method: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(*args, **kwargs)
        except openai.APIError as exc:
            raise self._error(exc) from None


# --------------------------------------------------------------------------- helpers


def _failed(chunk: chunking.Chunk, count: int, message: str) -> FailedChunk:
    return FailedChunk(index=chunk.index, count=count, start=chunk.lines[0].start,
                       end=chunk.lines[-1].end, paragraphs=list(chunk.paragraphs), message=message)


def _transient(exc: BaseException) -> bool:
    """Failures worth another try: no connection, timeout, 408, 409, 429, >= 500."""
    if isinstance(exc, openai.APIConnectionError):
        return True
    if isinstance(exc, openai.APIStatusError):
        return exc.status_code in (408, 409, 429) or exc.status_code >= 500
    return False


def _retry_after(exc: BaseException | None) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms, retry-after seconds or date)."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    seconds: float | None = None
    if headers.get("retry-after-ms"):
        seconds = _float(headers["retry-after-ms"], scale=0.001)
    elif headers.get("retry-after"):
        value = headers["retry-after"]
        seconds = _float(value)
        if seconds is None:
            when = email.utils.parsedate_to_datetime(value) if value else None
            seconds = when.timestamp() - time.time() if when else None
    return None if seconds is None else max(seconds, 0.0)


def _float(value: str, scale: float = 1.0) -> float | None:
    try:
        return float(value) * scale
    except ValueError:
        return None


def _context_length(exc: openai.BadRequestError) -> bool:
    text = str(exc).lower()
    return any(s in text for s in ("context length", "context window", "maximum context",
                                   "context_length_exceeded", "too many tokens", "n_ctx"))


def _marker(text: str) -> str:
    """A delimiter tag that does not occur in the text (deterministic, so requests replay)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    size = 8
    while digest[:size] in text and size < len(digest):
        size += 4
    return digest[:size]


def _short(exc: BaseException | object, limit: int = 300) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[:limit] + "..."


def _dedupe(drafts: list[ClaimDraft]) -> list[ClaimDraft]:
    """One draft per span and per claim sentence (models repeat)."""
    seen: set[object] = set()
    out = []
    for d in drafts:
        keys: list[object] = [(d.start, d.end), " ".join(d.text.lower().split())]
        if any(k in seen for k in keys if k):
            continue
        seen.update(keys)
        out.append(d)
    return out
