"""llm: claim extraction with a language model. The only module that imports openai and instructor.

What one article costs, in calls to the model:

    per chunk of checkable paragraphs (see `verifier.chunking`)
      cache hit ........................ 0 calls
      answer valid at once ............. 1 call
      answer invalid ................... 1 re-ask (MAX_REASKS) -> at most 2 calls per chunk
    context-length error / cut-off answer: the chunk is halved and each half asked again

The re-ask is instructor's: a validator that fails (evidence not in the passage, an unknown tag, a
speaker the article never names) sends its message back to the model so it can correct itself.
After the re-ask, the last answer is read leniently: claims whose evidence still cannot be found
are handed on marked `ungrounded`, and `verifier.ground` drops them with a `claim-ungrounded`
finding. Nothing is shown with a made-up span.

Retries happen in exactly one layer per kind of failure: instructor re-asks on invalid answers;
transport failures (connection, timeout, 408, 409, 429, >= 500) are retried by one tenacity policy
here, honouring Retry-After; the openai client's own retries are switched off (max_retries=0) so
the two never stack. 401/403/404 fail at once. Errors name the base URL and model, never the key.
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
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

import instructor
import jiter
import openai
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.processing import handle_response_model
from instructor.v2.core.templating import handle_templating  # type: ignore[attr-defined]
from pydantic import BaseModel, Field, ValidationError, ValidationInfo, field_validator
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

from verifier import chunking, pricing
from verifier.config import DEFAULT_MODEL, Settings
from verifier.errors import (
    ConfigError,
    LLMAuthError,
    LLMError,
    LLMNotFoundError,
    LLMRateLimitError,
    LLMResponseError,
    LLMTimeoutError,
)
from verifier.extract import ClaimDraft, Extraction, Progress
from verifier.ground import align
from verifier.llmcache import LLMCache, cache_key
from verifier.prompting import Prompt, load_prompt
from verifier.schema import Article, EngineInfo, Quote, Segmentation, Tag, Usage

PROMPT_NAME = "extract_claims"
MAX_REASKS = 1
MAX_CLAIMS_PER_CHUNK = 24
MAX_OUTPUT_TOKENS = 2048
REASK_NOTE = "Your previous answer for this passage failed validation. Answer again, correcting this: "
MAX_RETRY_AFTER = 60.0  # seconds; a server asking for longer is reported, not waited for
NO_KEY = "no-key-needed"  # local servers ignore the key, but the openai client insists on one

# instructor logs every failed attempt at ERROR level; without this, Python's last-resort handler
# would print them on stderr. Failures reach the user as LLMError instead.
logging.getLogger("instructor").addHandler(logging.NullHandler())

MODES: dict[str, instructor.Mode] = {
    "tools": instructor.Mode.TOOLS,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
}


# --------------------------------------------------------------------------- response models


class ExtractedClaim(BaseModel):
    """One checkable claim and the exact passage words that state it."""

    evidence: str = Field(min_length=1, max_length=600,
                          description="The exact words of the passage that state the claim, copied character for character.")
    claim: str = Field(min_length=1, max_length=400,
                       description="The claim as one standalone sentence.")
    tags: list[Tag] = Field(default_factory=list, max_length=3,
                            description="Zero or more of: attributed, benchmark_dependent, opinion.")
    speaker: str | None = Field(None, max_length=160,
                                description="Who makes the claim, as the passage names them; null for the publication's own voice.")
    confidence: float = Field(0.5, ge=0.0, le=1.0, description="0 to 1: how sure you are of the tags.")

    @field_validator("tags", mode="before")
    @classmethod
    def _known_tags(cls, value: Any, info: ValidationInfo) -> Any:
        if _lenient(info) and isinstance(value, list):
            return [v for v in value if v in set(Tag)]
        return value

    @field_validator("evidence")
    @classmethod
    def _evidence_in_passage(cls, value: str, info: ValidationInfo) -> str:
        passage = (info.context or {}).get("passage")
        if passage is not None and not _lenient(info) and align(passage, value) is None:
            raise ValueError(f"the evidence {value[:200]!r} is not in the passage. Copy the exact "
                             "words of the passage (same spelling and punctuation), or leave the claim out")
        return value

    @field_validator("speaker")
    @classmethod
    def _speaker_in_article(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None or not value.strip() or value.strip().lower() in ("null", "none"):
            return None
        article = (info.context or {}).get("article")
        if article is None or _mentions(article, value):
            return value.strip()
        if _lenient(info):
            return None
        raise ValueError(f"the speaker {value!r} is not named in the article. Use the name as the "
                         "article writes it, or null when the publication itself makes the claim")


class Claims(BaseModel):
    """Record every checkable claim of the passage."""

    claims: list[ExtractedClaim] = Field(default_factory=list, max_length=MAX_CLAIMS_PER_CHUNK)


def _lenient(info: ValidationInfo) -> bool:
    return bool((info.context or {}).get("lenient"))


def _mentions(text: str, name: str) -> bool:
    """True when the article names `name` (case, quote marks and spacing folded)."""
    return align(text, name) is not None


# --------------------------------------------------------------------------- server kinds


def server_kind(base_url: str | None) -> str:
    """'openai', 'ollama' or 'openai-compatible' (vLLM, llama.cpp server, LM Studio ...)."""
    if pricing.is_openai(base_url):
        return "openai"
    parsed = urlparse(base_url or "")
    if parsed.port == 11434 or "ollama" in (parsed.hostname or ""):
        return "ollama"
    return "openai-compatible"


def resolve_mode(override: str | None, base_url: str | None) -> instructor.Mode:
    """The instructor mode: the override, else JSON_SCHEMA for Ollama, else TOOLS."""
    if override:
        key = override.strip().lower().replace("-", "_")
        if key not in MODES:
            raise ConfigError(f"unknown LLM mode {override!r}; use one of {', '.join(MODES)}")
        return MODES[key]
    return MODES["json_schema"] if server_kind(base_url) == "ollama" else MODES["tools"]


# --------------------------------------------------------------------------- the extractor


@dataclass(slots=True)
class _Meter:
    """Calls and tokens of one chunk's request, summed over re-asks (filled by instructor hooks)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0


class LLMExtractor:
    """Claims from each chunk of checkable paragraphs, one structured call per chunk."""

    def __init__(self, settings: Settings, *, retry_wait: float = 0.5,
                 cache: LLMCache | None = None) -> None:
        self.settings = settings
        self.model = settings.model or DEFAULT_MODEL
        self.base_url = settings.base_url.rstrip("/") if settings.base_url else None
        self.mode = resolve_mode(settings.llm_mode, self.base_url)
        self.prompt: Prompt = load_prompt(PROMPT_NAME)
        self.retry_wait = retry_wait
        self.cache = cache if cache is not None else (LLMCache(settings.cache_dir) if settings.cache else None)
        self._local = threading.local()
        self._client = self._make_client()
        self._schema_hash = hashlib.sha256(
            json.dumps(Claims.model_json_schema(), sort_keys=True).encode()).hexdigest()[:12]

    # -- public
    def extract(self, article: Article, seg: Segmentation, quotes: list[Quote],
                progress: Progress | None = None) -> Extraction:
        """Drafts from every chunk, de-duplicated, with usage summed over all calls."""
        usage = Usage()
        drafts: list[ClaimDraft] = []
        chunks = chunking.make_chunks(article, seg, self.settings.chunk_tokens)
        for number, chunk in enumerate(chunks, start=1):
            if progress is not None:
                progress(f"claims: chunk {number} of {len(chunks)}")
            drafts.extend(self._chunk_drafts(article, seg, chunk, usage))
        usage.cost_usd = pricing.cost_usd(self.model, self.base_url, usage.prompt_tokens,
                                          usage.completion_tokens)
        engine = EngineInfo(extractor="llm", model=self.model, prompt_version=self.prompt.version)
        return Extraction(drafts=_dedupe(drafts), engine=engine, usage=usage)

    # -- the same requests, sent through the Batch API (verifier.batch)
    def plan_requests(self, article: Article, seg: Segmentation) -> list[PlannedRequest]:
        """The request `extract` sends first for each chunk of the article, with its cache key."""
        planned = []
        for chunk in chunking.make_chunks(article, seg, self.settings.chunk_tokens):
            messages = self._messages(article, chunk)
            planned.append(PlannedRequest(key=self._key(messages), messages=messages,
                                          context={"passage": chunk.text, "article": article.text}))
        return planned

    def request_body(self, planned: PlannedRequest) -> dict[str, Any]:
        """The chat completion request body the synchronous call sends for `planned`: the same
        preparation by instructor (schema, mode) and the same templating pass over the messages."""
        _, body = handle_response_model(Claims, mode=self.mode, model=self.model,
                                        messages=[_literal(m) for m in planned.messages],
                                        temperature=0, max_tokens=MAX_OUTPUT_TOKENS)
        return dict(handle_templating(body, mode=self.mode, context=planned.context))

    def check_answer(self, completion: dict[str, Any], planned: PlannedRequest) -> dict[str, Any]:
        """The answer in a chat completion (a JSON body), checked by the validators of a
        synchronous call; LLMResponseError when it is cut off or invalid."""
        try:
            parsed = openai.types.chat.ChatCompletion.model_validate(completion)
        except ValidationError as exc:
            raise LLMResponseError(f"not a chat completion: {_short(exc)}") from None
        if parsed.choices and parsed.choices[0].finish_reason == "length":
            raise LLMResponseError("the answer was cut off at the output token limit")
        try:
            answer = Claims.model_validate_json(_raw_answer(parsed), context=planned.context,
                                                strict=False)
        except ValidationError as exc:
            raise LLMResponseError(f"the answer failed validation: {_short(exc)}") from None
        return answer.model_dump(mode="json")

    def reask(self, planned: PlannedRequest, error: str, usage: Usage) -> dict[str, Any] | None:
        """The one re-ask of a chunk whose first answer (from the Batch API) failed validation:
        the request again with the validators' message, synchronously, with no further re-ask.
        The answer (read leniently if still invalid) is cached; None when the chunk has to be
        split (a cut-off answer), which the synchronous check then does."""
        note = {"role": "user", "content": REASK_NOTE + _short(error, 2000)}
        try:
            answer = self._ask([*planned.messages, note], planned.context, usage, reasks=0)
        except _TooLong:
            return None
        if self.cache is not None:
            self.cache.put(planned.key, answer)
        return answer

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
                      usage: Usage) -> list[ClaimDraft]:
        messages = self._messages(article, chunk)
        key = self._key(messages)
        stored = self.cache.get(key) if self.cache is not None else None
        if stored is not None:
            usage.cache_hits += 1
            return self._drafts(article, chunk, stored)
        context = {"passage": chunk.text, "article": article.text}
        try:
            answer = self._ask(messages, context, usage)
        except _TooLong as exc:
            halves = chunking.split_chunk(article, seg, chunk)
            if halves:
                return [d for half in halves for d in self._chunk_drafts(article, seg, half, usage)]
            if not exc.partial:
                raise LLMResponseError(f"{self.where}: {exc}; one sentence is already too long") from None
            # nothing left to split: keep the complete claims of the cut-off answer
            answer = _lenient_parse(exc.partial, context, self.where, 1)
        if self.cache is not None:
            self.cache.put(key, answer)
        return self._drafts(article, chunk, answer)

    def _messages(self, article: Article, chunk: chunking.Chunk) -> list[dict[str, str]]:
        return self.prompt.render(title=article.title or "", context=chunk.context,
                                  passage=chunk.text, marker=_marker(chunk.text + chunk.context))

    def _key(self, messages: list[dict[str, str]]) -> str:
        return cache_key(model=self.model, base_url=self.base_url or "openai",
                         mode=self.mode.value, prompt=self.prompt.version,
                         schema=self._schema_hash, messages=messages)

    def _drafts(self, article: Article, chunk: chunking.Chunk, answer: dict[str, Any]) -> list[ClaimDraft]:
        """Drafts from a (lenient) answer, each grounded in the chunk or marked ungrounded."""
        drafts = []
        for item in answer.get("claims", []):
            drafts.append(self._draft(article, chunk, item))
        return drafts

    def _draft(self, article: Article, chunk: chunking.Chunk, item: dict[str, Any]) -> ClaimDraft:
        found = align(chunk.text, item["evidence"]) if item.get("evidence") else None
        draft = ClaimDraft(text=item.get("claim") or item.get("evidence") or "",
                           evidence=item.get("evidence") or json.dumps(item)[:200],
                           proposed_tags=None if item.get("tags") is None else [str(t) for t in item["tags"]],
                           speaker=item.get("speaker"), confidence=item.get("confidence"),
                           extra={"chunk": chunk.index})
        if found is None:
            draft.extra["ungrounded"] = True
            return draft
        draft.start, draft.end = chunk.to_article(found.start, found.end)
        draft.extra["grounding"] = found.method
        if found.method == "fuzzy":
            draft.note = f"evidence aligned fuzzily (ratio {found.score})"
        return draft

    # -- the request, with transport retries
    def _ask(self, messages: list[dict[str, str]], context: dict[str, Any], usage: Usage,
             reasks: int = MAX_REASKS) -> dict[str, Any]:
        retrying = Retrying(stop=stop_after_attempt(max(self.settings.max_retries, 0) + 1),
                            retry=retry_if_exception(_transient), wait=self._wait, reraise=True)
        try:
            for attempt in retrying:
                with attempt:
                    return self._ask_once(messages, context, usage, reasks)
        except openai.APIError as exc:
            raise self._error(exc) from None
        raise LLMError(f"{self.where}: no answer")  # pragma: no cover - tenacity reraises

    def _ask_once(self, messages: list[dict[str, str]], context: dict[str, Any],
                  usage: Usage, reasks: int = MAX_REASKS) -> dict[str, Any]:
        meter = self._local.meter = _Meter()
        try:
            result = self._client.chat.completions.create(
                model=self.model, response_model=Claims, messages=[_literal(m) for m in messages],
                max_retries=reasks, context=context, strict=False,
                temperature=0, max_tokens=MAX_OUTPUT_TOKENS)
            return result.model_dump(mode="json")
        except IncompleteOutputException as exc:
            raise _TooLong("the answer was cut off at the output token limit",
                           partial=_raw_answer(exc.last_completion)) from exc
        except InstructorRetryException as exc:
            return self._salvage(exc, context)
        finally:
            usage.llm_calls += meter.calls
            usage.prompt_tokens += meter.prompt_tokens
            usage.completion_tokens += meter.completion_tokens

    def _salvage(self, exc: InstructorRetryException, context: dict[str, Any]) -> dict[str, Any]:
        """After the re-asks: the transport error to retry, or the last answer read leniently."""
        cause = exc.__cause__
        if isinstance(cause, openai.BadRequestError) and _context_length(cause):
            raise _TooLong("the chunk exceeds the model's context window") from cause
        if isinstance(cause, openai.APIError):
            raise cause
        if not exc.failed_attempts:
            raise LLMResponseError(f"{self.where} answered with something that is not a chat "
                                   f"completion: {_short(cause or exc)}") from None
        raw = _raw_answer(exc.failed_attempts[-1].completion)
        return _lenient_parse(raw, context, self.where, exc.n_attempts)

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        after = _retry_after(exc)
        if after is not None and after > MAX_RETRY_AFTER:
            raise LLMRateLimitError(f"{self.where} asked to retry after {after:.0f} s; verifier "
                                    f"waits at most {MAX_RETRY_AFTER:.0f} s", hint="try again later")
        if after is not None:
            return after
        return self.retry_wait * (2 ** (state.attempt_number - 1)) * (0.5 + random.random() / 2)

    # -- client and errors
    def _make_client(self) -> Any:
        key = self.settings.api_key
        if not key and self.base_url is None:
            raise LLMAuthError("no API key for OpenAI: set OPENAI_API_KEY (or VERIFIER_API_KEY), "
                               "or point --base-url at a local OpenAI-compatible server")
        raw = openai.OpenAI(api_key=key or NO_KEY, base_url=self.base_url,
                            timeout=self.settings.timeout, max_retries=0)
        self._raw = raw
        client = instructor.from_openai(raw, mode=self.mode)
        client.on("completion:response", self._on_response)
        return client

    def _on_response(self, response: Any) -> None:
        meter = getattr(self._local, "meter", None)
        if meter is None:
            return
        meter.calls += 1
        used = getattr(response, "usage", None)
        meter.prompt_tokens += int(getattr(used, "prompt_tokens", 0) or 0)
        meter.completion_tokens += int(getattr(used, "completion_tokens", 0) or 0)

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
            return LLMError(f"cannot connect to {where}: {self._scrub(exc.__cause__ or exc)}",
                            hint="is the server running?")
        status = getattr(exc, "status_code", None)
        return LLMError(f"{where} answered HTTP {status}: {self._scrub(exc)}")

    def _scrub(self, exc: BaseException) -> str:
        text = _short(exc)
        if self.settings.api_key:
            text = text.replace(self.settings.api_key, "***")
        return re.sub(r"sk-[A-Za-z0-9_*\-]{4,}", "sk-***", text)


@dataclass(frozen=True, slots=True)
class PlannedRequest:
    """One chunk's request: its cache key (also the Batch API's custom_id), the rendered
    messages, and what the validators need to check an answer (passage and article text)."""

    key: str
    messages: list[dict[str, str]]
    context: dict[str, Any]


class BatchAPI:
    """The OpenAI Files and Batches endpoints, for verifier.batch. The openai client's own retries
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


class _TooLong(Exception):
    """The chunk or the answer does not fit the model: split the chunk."""

    def __init__(self, message: str, partial: str = "") -> None:
        super().__init__(message)
        self.partial = partial  # the text of a cut-off answer, when there is one


# --------------------------------------------------------------------------- helpers


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


def _raw_answer(completion: Any) -> str:
    """The text of the model's answer: tool-call arguments, or the message content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError):
        return ""
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        return calls[0].function.arguments or ""
    content = message.content or ""
    fenced = re.search(r"```(?:json)?\s*(.*?)```", content, flags=re.DOTALL)
    return fenced.group(1) if fenced else content


def _lenient_parse(raw: str, context: dict[str, Any], where: str, attempts: int) -> dict[str, Any]:
    """The claims of an answer that failed validation: invalid claims are kept but ungrounded."""
    try:
        data = _parse_answer(raw)
        items = data["claims"] if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise ValueError("no 'claims' list")
    except (ValueError, KeyError, TypeError) as exc:
        raise LLMResponseError(f"{where} gave no usable answer after {attempts} attempt(s): "
                               f"{_short(exc)}") from None
    lenient = {**context, "lenient": True}
    claims = []
    for item in items[:MAX_CLAIMS_PER_CHUNK]:
        if not item:
            continue  # the unfinished last claim of an answer cut off mid-way
        try:
            claims.append(ExtractedClaim.model_validate(item, context=lenient).model_dump(mode="json"))
        except ValidationError:
            # Keep the claim's words so grounding can still place it (or report it dropped);
            # its tags and confidence are unusable and left to the verification stage.
            data = item if isinstance(item, dict) else {}
            evidence = data.get("evidence")
            claim = data.get("claim")
            claims.append({"evidence": evidence if isinstance(evidence, str) else json.dumps(item)[:200],
                           "claim": claim if isinstance(claim, str) else "", "tags": None,
                           "speaker": None, "confidence": None, "invalid": True})
    return {"claims": claims}


def _parse_answer(raw: str) -> Any:
    """JSON, read leniently: small models put raw newlines inside strings, and an answer cut off
    at the output limit still holds its complete claims (the unfinished tail is dropped)."""
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        return jiter.from_json(raw.encode("utf-8"), partial_mode=True)


def _literal(message: dict[str, str]) -> dict[str, str]:
    # instructor renders message text as a Jinja template whenever a validation context is
    # passed; writing every "{" as an expression that prints "{" makes that pass an identity,
    # so braces in an article can neither break the request nor be evaluated.
    return {**message, "content": message["content"].replace("{", '{{ "{" }}')}


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
    """One draft per span, per claim sentence and per ungrounded evidence (models repeat)."""
    seen: set[object] = set()
    out = []
    for d in drafts:
        keys: list[object] = [" ".join(d.evidence.lower().split())] if d.start is None else \
            [(d.start, d.end), " ".join(d.text.lower().split())]
        if any(k in seen for k in keys if k):
            continue
        seen.update(keys)
        out.append(d)
    return out
