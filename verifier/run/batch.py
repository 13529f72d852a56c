"""batch: the llm engine over the OpenAI Batch API, for archives (half the price, within 24 hours).

    submit PATH...  plan every request a synchronous `check` would send first (one per chunk, the
                    same body), leave out those whose answer is cached, write them as JSONL request
                    files (split at MAX_REQUESTS lines or MAX_FILE_BYTES), upload each file, start
                    one batch per file, and record the run in the state folder
    status          each batch's status and request counts
    collect         download each finished batch's output and error files, check every answer with
                    the validators of a synchronous call and cache the valid ones; then the normal
                    check runs on the warm cache: a chunk whose answer failed, was invalid or never
                    came (an expired or cancelled batch) is asked synchronously there, with the
                    engine's usual budget (one call and MAX_REASKS re-asks per chunk)
    cancel          cancel the batches still running

The cache key of a request is its `custom_id`, so an answer lands where `extract` looks for it.
Reports come from the normal pipeline, so they are the reports of a synchronous run; in their
`usage`, the batch answers count as LLM calls (not cache hits), priced at the batch discount.

The state folder (`--state DIR`) holds `state.json` (the paths, the LLM settings, one record per
batch), the request files, the downloaded output and error files, `usage.jsonl` (the tokens of
every batch answer and re-ask, by custom_id), `refused.jsonl` (the invalid answers and the
validators' messages, for the re-ask) and `lenient.jsonl` (re-asked answers that still did not
validate: the cache keeps only valid answers, but the run paid for these, and its check reads them
leniently as a synchronous run reads its last answer, instead of asking again). A batch is downloaded once, and its cost goes into the
first reports that a collect writes to the end: a later `collect` downloads and pays for nothing
and writes the same reports, except that their usage shows what that run paid: nothing (the
answers are cache hits, as in a repeated `check`). A collect stopped by `--max-sync` keeps what
it downloaded; the next one re-asks the invalid answers and reports the cost. No file holds the
API key.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, cast

from verifier.engines import pricing
from verifier.engines.chunking import estimate_tokens
from verifier.ingest import load
from verifier.model.config import Settings
from verifier.model.errors import LLMResponseError, UsageError, VerifierError
from verifier.render._common import counted
from verifier.stages import segment

MAX_REQUESTS = 50_000  # requests in one input file (the API's limit)
MAX_FILE_BYTES = 200_000_000  # bytes of one input file (the API's limit is 200 MB)
STATE_FILE = "state.json"
USAGE_FILE = "usage.jsonl"
REFUSED_FILE = "refused.jsonl"
LENIENT_FILE = "lenient.jsonl"
RUNNING = ("validating", "in_progress", "finalizing", "cancelling")
LLM_SETTINGS = ("model", "base_url", "llm_mode", "chunk_tokens", "cache_dir", "config_path")


@dataclass(slots=True)
class BatchRecord:
    """One batch: its request file, the ids the API gave it, and what it last said."""

    request_file: str
    requests: int
    bytes: int
    input_file_id: str | None = None
    id: str | None = None
    status: str = "not_submitted"
    output_file_id: str | None = None
    error_file_id: str | None = None
    completed: int = 0
    failed: int = 0
    collected: bool = False  # answers downloaded, validated, cached
    reported: bool = False  # its cost is in reports a collect wrote
    error: str | None = None  # why the API failed the batch as a whole

    def update(self, batch: dict[str, Any]) -> None:
        self.status = str(batch.get("status") or self.status)
        self.output_file_id = batch.get("output_file_id") or self.output_file_id
        self.error_file_id = batch.get("error_file_id") or self.error_file_id
        counts = batch.get("request_counts") or {}
        self.completed = int(counts.get("completed") or 0)
        self.failed = int(counts.get("failed") or 0)
        problems = (batch.get("errors") or {}).get("data") or []
        if problems:
            self.error = "; ".join(f"{p.get('code')}: {p.get('message')}" for p in problems[:3])


@dataclass(slots=True)
class RunState:
    """A batch run: what was asked, with which settings, and its batches."""

    paths: list[str]
    settings: dict[str, Any]
    created: float = field(default_factory=time.time)
    batches: list[BatchRecord] = field(default_factory=list)

    @staticmethod
    def load(folder: Path) -> RunState:
        path = folder / STATE_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            batches = [BatchRecord(**b) for b in data.pop("batches")]
            return RunState(**data, batches=batches)
        except FileNotFoundError:
            raise UsageError(f"no batch run in {folder} (no {STATE_FILE})",
                             hint="start one with `verifier batch submit`, or pass --state DIR") from None
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise UsageError(f"cannot read {path}: {exc}") from exc

    def save(self, folder: Path) -> None:
        path = folder / STATE_FILE
        temp = path.with_name(STATE_FILE + ".tmp")
        temp.write_text(json.dumps(asdict(self), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        temp.replace(path)


@dataclass(slots=True)
class SubmitSummary:
    articles: int = 0
    chunks: int = 0
    cached: int = 0  # answers already in the cache: not sent
    repeated: int = 0  # the same request for another article: sent once
    sent: int = 0
    prompt_tokens: int = 0  # estimated (4 characters a token) over the requests sent
    skipped_articles: list[str] = field(default_factory=list)  # unreadable: the check reports them
    batches: list[BatchRecord] = field(default_factory=list)


@dataclass(slots=True)
class CollectSummary:
    batches: int = 0  # collected now
    valid: int = 0
    invalid: int = 0  # answered, but the validators refused the answer
    reasked: int = 0  # invalid answers re-asked synchronously now (one call each)
    failed: int = 0  # an error line: the request failed, expired or was cancelled
    unplanned: int = 0  # answers for articles changed since submit
    to_ask: int = 0  # chunks the check will ask synchronously
    already: int = 0  # batches collected by an earlier run
    collected: list[str] = field(default_factory=list)  # batches whose cost goes in these reports
    refused: dict[str, tuple[str, str]] = field(default_factory=dict)  # custom_id -> (message, batch id)
    article_keys: dict[tuple[str | None, str], list[str]] = field(default_factory=dict)  # (path, sha256) -> keys


def state_settings(settings: Settings) -> dict[str, Any]:
    """The settings a batch run keeps (the API key never)."""
    return {name: getattr(settings, name) for name in LLM_SETTINGS}


def run_settings(state: RunState, resolve: Callable[[dict[str, Any]], Settings]) -> Settings:
    """The settings of a recorded run, resolved again (the key comes from the environment)."""
    return resolve({**state.settings, "engine": "llm", "cache": True})


# --------------------------------------------------------------------------- submit


def submit(paths: list[str], settings: Settings, folder: Path, *, max_requests: int = MAX_REQUESTS,
           max_bytes: int = MAX_FILE_BYTES, extractor: Any = None, dry_run: bool = False) -> SubmitSummary:
    """Plan, write, upload and start the batches of an archive; the run is recorded in `folder`.
    `dry_run` stops after writing the request files: the same submit without it starts them."""
    if not settings.cache:
        raise UsageError("the Batch API needs the LLM cache", hint="drop --no-cache")
    with _extractor(settings, extractor) as extractor:
        return _submit(paths, settings, folder, max_requests, max_bytes, extractor, dry_run)


def _submit(paths: list[str], settings: Settings, folder: Path, max_requests: int, max_bytes: int,
            extractor: Any, dry_run: bool) -> SubmitSummary:
    summary = SubmitSummary()
    if (folder / STATE_FILE).exists():
        # a submit cut short after writing its files: start the batches it did not start
        state = RunState.load(folder)
        if all(r.id for r in state.batches):
            raise UsageError(f"{folder} already holds a batch run",
                             hint="collect or cancel it, or pass another --state DIR")
    else:
        folder.mkdir(parents=True, exist_ok=True)
        state = RunState(paths=list(paths), settings=state_settings(settings))
        writer = _RequestWriter(folder, max_requests, max_bytes)
        seen: set[str] = set()
        for planned in _planned(paths, settings, extractor, summary):
            summary.chunks += 1
            if planned.key in seen:
                summary.repeated += 1
            elif extractor.cached(planned.key):
                summary.cached += 1
            else:
                seen.add(planned.key)
                body = extractor.request_body(planned)
                writer.add(_request_line(planned.key, body))
                summary.sent += 1
                summary.prompt_tokens += estimate_tokens(json.dumps(body, ensure_ascii=False))
        state.batches = writer.close()
        state.save(folder)
    if not dry_run:
        _start_batches(state, folder, extractor)
    summary.batches = state.batches
    return summary


def _start_batches(state: RunState, folder: Path, extractor: Any) -> None:
    """Upload each request file not yet uploaded and start its batch, saving the state after each
    (an interrupted submit still knows what it started)."""
    waiting = [r for r in state.batches if not r.id]
    if not waiting:
        return
    api = extractor.batch_api()
    for record in waiting:
        if not record.input_file_id:
            record.input_file_id = api.upload(record.request_file)
            state.save(folder)
        created = api.create(record.input_file_id,
                             {"verifier": "claims", "file": Path(record.request_file).name})
        record.id = str(created["id"])
        record.update(created)
        state.save(folder)


def _request_line(key: str, body: dict[str, Any]) -> bytes:
    line = {"custom_id": key, "method": "POST", "url": "/v1/chat/completions", "body": body}
    return (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class _RequestWriter:
    """JSONL request files, a new one whenever the next line would pass a limit."""

    def __init__(self, folder: Path, max_requests: int, max_bytes: int) -> None:
        self.folder, self.max_requests, self.max_bytes = folder, max_requests, max_bytes
        self.records: list[BatchRecord] = []
        self._handle: Any = None

    def add(self, line: bytes) -> None:
        if len(line) > self.max_bytes:
            raise UsageError(f"one request is {len(line):,} bytes, over the {self.max_bytes:,}-byte "
                             "limit of a batch file", hint="lower chunk_tokens")
        current = self.records[-1] if self.records else None
        if current is None or current.requests + 1 > self.max_requests or \
                current.bytes + len(line) > self.max_bytes:
            current = self._next_file()
        self._handle.write(line)
        current.requests += 1
        current.bytes += len(line)

    def _next_file(self) -> BatchRecord:
        if self._handle is not None:
            self._handle.close()
        path = self.folder / f"requests-{len(self.records) + 1:03d}.jsonl"
        self._handle = path.open("wb")
        self.records.append(BatchRecord(request_file=str(path), requests=0, bytes=0))
        return self.records[-1]

    def close(self) -> list[BatchRecord]:
        if self._handle is not None:
            self._handle.close()
        return self.records


# --------------------------------------------------------------------------- status and cancel


def status(folder: Path, settings: Settings, extractor: Any = None) -> RunState:
    """The run with each batch's status as the API tells it now."""
    state = RunState.load(folder)
    with _extractor(settings, extractor) as made:
        api = made.batch_api()
        for record in state.batches:
            if record.id and not record.collected:
                record.update(api.retrieve(record.id))
    state.save(folder)
    return state


def cancel(folder: Path, settings: Settings, extractor: Any = None) -> RunState:
    """Cancel every batch still running; what was answered stays collectable."""
    state = RunState.load(folder)
    with _extractor(settings, extractor) as made:
        api = made.batch_api()
        for record in state.batches:
            if record.id and record.status in RUNNING and record.status != "cancelling":
                record.update(api.cancel(record.id))
    state.save(folder)
    return state


# --------------------------------------------------------------------------- collect


def collect(folder: Path, settings: Settings, extractor: Any = None,
            max_sync: int | None = None) -> CollectSummary:
    """Download, validate and cache the answers of every finished batch. Raises UsageError while
    a batch is still running, or when more than `max_sync` chunks would be asked synchronously."""
    with _extractor(settings, extractor) as extractor:
        return _collect(folder, settings, extractor, max_sync)


def _collect(folder: Path, settings: Settings, extractor: Any, max_sync: int | None) -> CollectSummary:
    state = RunState.load(folder)
    api = extractor.batch_api()
    for record in state.batches:
        if record.id and not record.collected:
            record.update(api.retrieve(record.id))
    state.save(folder)
    running = [r for r in state.batches if r.status in RUNNING]
    if running:
        raise UsageError(f"{len(running)} of {counted(len(state.batches), 'batch', 'batches')} still running "
                         f"({', '.join(f'{r.id} {r.status}' for r in running)})",
                         hint="`verifier batch status` shows their progress; `cancel` stops them")
    if any(not r.id for r in state.batches):
        raise UsageError("the submit of this run was cut short: some batches were never started",
                         hint="run the same `verifier batch submit` again to start them")
    summary = CollectSummary()
    plan = {p.key: p for p in _planned(state.paths, settings, extractor, SubmitSummary(),
                                       summary.article_keys)}
    for record in state.batches:
        if record.collected:
            summary.already += 1
        else:
            _collect_one(record, folder, api, extractor, plan, summary)
            record.collected = True
            state.save(folder)
            summary.batches += 1
    summary.collected = [str(r.id) for r in state.batches if not r.reported]
    lenient = _load_lenient(folder)

    def answered(key: str) -> bool:
        return key in lenient or extractor.cached(key)

    # invalid answers of this collect or of an earlier one cut short, not re-asked yet
    refused = {k: v for k, v in _load_refused(folder).items() if k in plan and not answered(k)}
    missing = sum(1 for key in plan if key not in refused and not answered(key))
    if max_sync is not None and len(refused) + missing > max_sync:
        raise UsageError(f"{counted(len(refused), 'invalid answer')} to re-ask and {counted(missing, 'chunk')} with no "
                         f"answer would be asked synchronously at full price, more than --max-sync {max_sync}",
                         hint="raise --max-sync (what is collected stays collected), or submit "
                         "them as a new batch run")
    _reask(refused, plan, extractor, folder, summary)
    lenient = _load_lenient(folder)
    summary.to_ask = sum(1 for key in plan if not answered(key))
    return summary


def _reask(refused: dict[str, tuple[str, str]], plan: dict[str, Any], extractor: Any, folder: Path,
           summary: CollectSummary) -> None:
    """Re-ask each refused answer once, synchronously (the engine's one re-ask per chunk)."""
    from verifier.model.schema import Usage

    with (folder / USAGE_FILE).open("a", encoding="utf-8") as out:
        for key, (message, batch_id) in refused.items():
            used = Usage()
            answer = extractor.reask(plan[key], message, used)
            summary.reasked += 1
            if answer is not None and not extractor.cached(key):
                _keep_lenient(folder, key, answer)
            out.write(json.dumps({"custom_id": key, "prompt_tokens": used.prompt_tokens,
                                  "completion_tokens": used.completion_tokens, "calls": used.llm_calls,
                                  "stored": answer is not None, "batch": batch_id,
                                  "price": "list"}) + "\n")
            out.flush()


def _collect_one(record: BatchRecord, folder: Path, api: Any, extractor: Any,
                 plan: dict[str, Any], summary: CollectSummary) -> None:
    usage_lines = []
    for kind, file_id in (("output", record.output_file_id), ("errors", record.error_file_id)):
        if not file_id:
            continue
        data = api.content(file_id)
        (folder / f"{kind}-{record.id}.jsonl").write_bytes(data)
        for line in data.splitlines():
            if line.strip():
                usage = _take_answer(json.loads(line), extractor, plan, summary, str(record.id))
                if usage is not None:
                    usage_lines.append({**usage, "batch": record.id, "price": "batch"})
    with (folder / USAGE_FILE).open("a", encoding="utf-8") as out:
        for usage in usage_lines:
            out.write(json.dumps(usage) + "\n")
    with (folder / REFUSED_FILE).open("a", encoding="utf-8") as out:
        for key, (message, batch_id) in summary.refused.items():
            if batch_id == record.id:
                out.write(json.dumps({"custom_id": key, "message": message, "batch": batch_id}) + "\n")


def _keep_lenient(folder: Path, key: str, answer: dict[str, Any]) -> None:
    """A re-asked answer that still did not validate: the cache does not keep it, but this run
    paid for it, and its check reads it as a synchronous run reads its last answer."""
    with (folder / LENIENT_FILE).open("a", encoding="utf-8") as out:
        out.write(json.dumps({"custom_id": key, "answer": answer}, ensure_ascii=False) + "\n")


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The items of one of the run's JSON Lines side files (none when it is not there yet). They
    are written with ensure_ascii=False, so they split at LF only: an answer may hold a U+2028 from
    the draft, which `splitlines` would also split at."""
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text(encoding="utf-8").split("\n") if x.strip()]


def _load_lenient(folder: Path) -> dict[str, Any]:
    return {i["custom_id"]: i["answer"] for i in _read_jsonl(folder / LENIENT_FILE)}


class RunCache:
    """The LLM cache as the check of a collect reads it: the cache, with the answers the run paid
    for that the cache does not keep laid over it (see `_keep_lenient`), so none is asked twice."""

    def __init__(self, cache: Any, answers: dict[str, Any]) -> None:
        self._cache, self._answers = cache, answers

    def get(self, key: str) -> Any | None:
        found = self._answers.get(key)
        return found if found is not None else self._cache.get(key)

    def put(self, key: str, value: Any) -> None:
        self._cache.put(key, value)


@contextlib.contextmanager
def check_extractor(folder: Path, settings: Settings) -> Iterator[Any]:
    """The extractor for the check of a collect: the engine, reading `RunCache`; the extractor
    and the cache it reads are closed when the `with` block ends."""
    from verifier.engines.llm import LLMExtractor  # the only module that imports openai
    from verifier.engines.llmcache import LLMCache

    answers = _load_lenient(folder)
    cache = LLMCache(settings.cache_dir)
    try:
        extractor = LLMExtractor(settings, cache=cast(Any, RunCache(cache, answers)) if answers else cache)
        try:
            yield extractor
        finally:
            extractor.close()
    finally:
        cache.close()


def _load_refused(folder: Path) -> dict[str, tuple[str, str]]:
    return {i["custom_id"]: (i["message"], i["batch"]) for i in _read_jsonl(folder / REFUSED_FILE)}


def _take_answer(line: dict[str, Any], extractor: Any, plan: dict[str, Any],
                 summary: CollectSummary, batch_id: str) -> dict[str, Any] | None:
    """Validate and cache one output line; the tokens it was charged, or None if it was not."""
    key = str(line.get("custom_id") or "")
    response = line.get("response") or {}
    body = response.get("body") or {}
    if line.get("error") or response.get("status_code") != 200:
        summary.failed += 1
        return None
    used = body.get("usage") or {}
    usage = {"custom_id": key, "prompt_tokens": int(used.get("prompt_tokens") or 0),
             "completion_tokens": int(used.get("completion_tokens") or 0), "calls": 1,
             "stored": False}
    planned = plan.get(key)
    if planned is None:
        summary.unplanned += 1
        return usage
    try:
        answer = extractor.check_answer(body, planned)
    except LLMResponseError as exc:
        summary.invalid += 1
        summary.refused[key] = (exc.message, batch_id)
        return usage
    extractor.store(key, answer)
    summary.valid += 1
    usage["stored"] = True
    return usage


# --------------------------------------------------------------------------- the reports


def reports(folder: Path, settings: Settings, results: Iterable[Any], batches: Iterable[str],
            article_keys: dict[tuple[str | None, str], list[str]] | None = None,
            extractor: Any = None) -> Iterator[Any]:
    """`results` of the normal check over the run's paths, with what `batches` cost (the batches
    not yet in reports) counted in each article's usage: as LLM calls rather than cache hits, at
    the batch price. Once every result has gone through, those batches are marked reported: a
    later collect pays nothing, and its reports say so (cache hits)."""
    wanted = set(batches)
    usage = {k: [u for u in entries if u.get("batch") in wanted]
             for k, entries in load_usage(folder).items()}
    known = article_keys or {}
    counted: set[str] = set()
    with contextlib.ExitStack() as made:  # an extractor made here is closed when the results end
        for result in results:
            if result.article is not None and not result.failed:
                keys = known.get((result.article.path, result.article.sha256))
                if keys is None:  # not planned by this collect (edited since): plan it now
                    extractor = extractor or made.enter_context(_extractor(settings, None))
                    keys = [p.key for p in extractor.plan_requests(result.article, segment.segment(result.article))]
                mine = [u for k in dict.fromkeys(keys) if k not in counted for u in usage.get(k, [])]
                counted.update(keys)
                if mine:
                    result.report.usage = with_batch_usage(result.report.usage, mine, settings)
            yield result
    state = RunState.load(folder)
    for record in state.batches:
        record.reported = record.reported or record.id in wanted
    state.save(folder)


def with_batch_usage(usage: Any, paid: list[dict[str, Any]], settings: Settings) -> Any:
    """A report's usage with what `collect` paid for its chunks added: the batch answers at the
    batch price, the re-asks at the list price; a chunk whose answer `collect` cached is a cache
    hit of the check that no longer counts as one."""
    calls = sum(int(u.get("calls", 1)) for u in paid)
    prompt = sum(u["prompt_tokens"] for u in paid)
    completion = sum(u["completion_tokens"] for u in paid)
    cost = usage.cost_usd
    for price in ("batch", "list"):
        part = [u for u in paid if u.get("price", "batch") == price]
        if part:
            more = pricing.cost_usd(settings.model, settings.base_url,
                                    sum(u["prompt_tokens"] for u in part),
                                    sum(u["completion_tokens"] for u in part), batch=price == "batch")
            cost = cost if more is None else round((cost or 0.0) + more, 6)
    stored = len({u["custom_id"] for u in paid if u["stored"]})
    return usage.model_copy(update={
        "llm_calls": usage.llm_calls + calls,
        "prompt_tokens": usage.prompt_tokens + prompt,
        "completion_tokens": usage.completion_tokens + completion,
        "cache_hits": max(usage.cache_hits - stored, 0),
        "cost_usd": cost})


def load_usage(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """What every collected answer and re-ask cost, by custom_id."""
    out: dict[str, list[dict[str, Any]]] = {}
    for item in _read_jsonl(folder / USAGE_FILE):
        out.setdefault(item["custom_id"], []).append(item)
    return out


# --------------------------------------------------------------------------- helpers


def _planned(paths: Iterable[str], settings: Settings, extractor: Any, summary: SubmitSummary,
             keys: dict[tuple[str | None, str], list[str]] | None = None) -> Iterator[Any]:
    """Every planned request of every readable article, in order; `keys` collects each article's
    cache keys by (path, SHA-256)."""
    for target in load.expand_paths(paths, settings):
        if target.error is not None:
            summary.skipped_articles.append(target.path or "<stdin>")
            continue
        try:
            article = load.load_target(target, settings)
        except VerifierError:
            summary.skipped_articles.append(target.path or "<stdin>")
            continue
        summary.articles += 1
        planned = extractor.plan_requests(article, segment.segment(article))
        if keys is not None:
            keys[(article.path, article.sha256)] = [p.key for p in planned]
        yield from planned


@contextlib.contextmanager
def _extractor(settings: Settings, given: Any) -> Iterator[Any]:
    """`given` (its owner's to close), or the llm engine made here and closed when the block ends."""
    if given is not None:
        yield given
        return
    from verifier.engines.llm import LLMExtractor  # the only module that imports openai

    extractor = LLMExtractor(settings)
    try:
        yield extractor
    finally:
        extractor.close()
