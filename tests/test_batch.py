"""`verifier batch` end to end against a local fake of the Files and Batches endpoints
(tests/batch_server.py: a real HTTP server on 127.0.0.1 following the API reference's shapes).

Every test goes through the real openai client and the CLI; time (a batch finishing, expiring or
being cancelled) is moved on by the test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.batch_server import FakeOpenAI, fake_openai
from verifier.cli import cli
from verifier.engines.llm import LLMExtractor
from verifier.ingest.load import Target, load_target
from verifier.model.config import Settings
from verifier.model.errors import UsageError
from verifier.model.schema import Usage
from verifier.run import batch
from verifier.stages.segment import segment

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SECRET = "sk-test-SECRET-0123456789"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    with fake_openai() as server:
        yield server


def invoke(*args: str) -> Any:
    return CliRunner().invoke(cli.app, list(args))


def submit(fake: FakeOpenAI, tmp_path: Path, *extra: str, paths: tuple[str, ...] = (str(EXAMPLES),)) -> Any:
    out = invoke("batch", "submit", *paths, "--state", str(tmp_path / "run"), "--base-url",
                 fake.base_url, "--model", "test-model", "--cache-dir", str(tmp_path / "cache"), *extra)
    assert out.exit_code == 0, out.output
    return out


def state(tmp_path: Path) -> batch.RunState:
    return batch.RunState.load(tmp_path / "run")


def collect(tmp_path: Path, name: str = "reports.jsonl", *extra: str) -> Any:
    return invoke("batch", "collect", "--state", str(tmp_path / "run"), "--format", "jsonl",
                  "--output", str(tmp_path / name), "--fail-on", "never", *extra)


def reports(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def sync_reports(fake: FakeOpenAI, tmp_path: Path) -> list[dict[str, Any]]:
    out = invoke("check", str(EXAMPLES), "--engine", "llm", "--base-url", fake.base_url, "--model",
                 "test-model", "--no-cache", "--format", "jsonl", "--output", str(tmp_path / "sync.jsonl"),
                 "--fail-on", "never")
    assert out.exit_code == 0, out.output
    return reports(tmp_path / "sync.jsonl")


def planned_keys(fake: FakeOpenAI, tmp_path: Path, path: Path) -> list[str]:
    settings = Settings(engine="llm", base_url=fake.base_url, model="test-model", api_key=SECRET,
                        cache_dir=str(tmp_path / "cache"))
    extractor = LLMExtractor(settings)
    article = load_target(Target(str(path)), settings)
    return [p.key for p in extractor.plan_requests(article, segment(article))]


def content(report: dict[str, Any]) -> dict[str, Any]:
    return {k: report[k] for k in ("article", "engine", "claims", "quotes", "findings", "summary")}


def test_submit_status_collect_twice(fake: FakeOpenAI, tmp_path: Path) -> None:
    out = submit(fake, tmp_path, "--max-file-bytes", "11000")
    run = state(tmp_path)
    chunks = sum(b.requests for b in run.batches)
    assert len(run.batches) >= 2  # split at the size limit
    for record in run.batches:
        assert Path(record.request_file).stat().st_size == record.bytes <= 11000
        assert record.status == "in_progress" and record.id in fake.batches
    assert f"{chunks} sent in {len(run.batches)} batch{'' if len(run.batches) == 1 else 'es'}" in out.output
    first, second = run.batches[0].id, run.batches[1].id
    assert invoke("batch", "status", "--state", str(tmp_path / "run")).output.count("in_progress") == len(run.batches)

    fake.finish(first, broken=frozenset({0}))
    fake.finish(second, failed=frozenset({0}))
    for record in run.batches[2:]:
        fake.finish(record.id)
    shown = invoke("batch", "status", "--state", str(tmp_path / "run")).output
    assert "every batch has finished" in shown
    for record in run.batches:
        assert f"{record.id}  completed  {record.requests}/{record.requests} done" in shown
    assert "1 failed" in shown

    out = collect(tmp_path)
    assert out.exit_code == 0, out.output
    assert (f"{chunks - 2} valid answers cached, 1 invalid (1 re-asked), 1 failed or never run; "
            "1 chunk left to ask synchronously") in out.output
    assert fake.calls["POST /v1/chat/completions"] == 2  # the invalid one re-asked, the failed one asked
    refused = json.loads((tmp_path / "run" / "refused.jsonl").read_text(encoding="utf-8"))
    reask = next(b for b in fake.chat_bodies if len(b["messages"]) == 3)
    assert refused["message"].split("\n")[0][:80] in reask["messages"][-1]["content"]  # the validators' message
    assert [m["role"] for m in reask["messages"]] == ["system", "user", "user"]  # no bad answer echoed
    got = reports(tmp_path / "reports.jsonl")
    assert len(got) == 3 and all(r["error"] is None for r in got)
    # every chunk answered once, and the invalid batch answer was paid for too (the failed was not)
    assert sum(r["usage"]["llm_calls"] for r in got) == chunks + 1
    assert sum(r["usage"]["prompt_tokens"] for r in got) == 1000 * (chunks + 1)
    assert sum(r["usage"]["cache_hits"] for r in got) == 0

    # the same reports as a synchronous run against the same model
    before = dict(fake.calls)
    synced = sync_reports(fake, tmp_path)
    assert [content(r) for r in got] == [content(r) for r in synced]
    assert any(r["claims"] for r in got)

    # collect again: nothing downloaded, nothing asked, nothing charged twice
    fake.calls.clear()
    fake.calls.update(before)
    out = collect(tmp_path, "again.jsonl")
    assert out.exit_code == 0, out.output
    assert "collected 0 batches (" in out.output and "0 chunks left to ask synchronously" in out.output
    assert dict(fake.calls) == {**before, "GET /v1/batches": before["GET /v1/batches"]}
    again = reports(tmp_path / "again.jsonl")
    assert [content(r) for r in again] == [content(r) for r in got]
    # what this run paid: nothing; every chunk is a cache hit, as in a repeated check
    assert sum(r["usage"]["llm_calls"] for r in again) == 0
    assert sum(r["usage"]["cache_hits"] for r in again) == chunks

    # no secret anywhere in the run's folder or the cache
    for path in [*(tmp_path / "run").iterdir(), *(tmp_path / "cache").iterdir()]:
        assert SECRET.encode() not in path.read_bytes()


def test_an_expired_batch_is_finished_synchronously(fake: FakeOpenAI, tmp_path: Path) -> None:
    submit(fake, tmp_path)
    run = state(tmp_path)
    assert len(run.batches) == 1
    total = run.batches[0].requests
    fake.expire(run.batches[0].id, done=1)
    out = collect(tmp_path)
    assert out.exit_code == 0, out.output
    assert f"1 valid answer cached, 0 invalid (0 re-asked), {total - 1} failed or never run" in out.output
    assert fake.calls["POST /v1/chat/completions"] == total - 1
    assert (tmp_path / "run" / f"errors-{run.batches[0].id}.jsonl").read_text().count("batch_expired") == total - 1
    assert all(r["error"] is None for r in reports(tmp_path / "reports.jsonl"))


def test_submit_sends_only_what_is_not_cached(fake: FakeOpenAI, tmp_path: Path) -> None:
    council = EXAMPLES / "council-vote.txt"
    warm = invoke("check", str(council), "--engine", "llm", "--base-url", fake.base_url, "--model",
                  "test-model", "--cache-dir", str(tmp_path / "cache"), "--format", "json",
                  "--fail-on", "never")
    assert warm.exit_code == 0, warm.output
    cached = set(planned_keys(fake, tmp_path, council))
    assert cached
    out = submit(fake, tmp_path)
    assert f"{len(cached)} answered from the cache" in out.output
    sent = [json.loads(x)["custom_id"] for b in state(tmp_path).batches
            for x in Path(b.request_file).read_text(encoding="utf-8").splitlines()]
    assert sent and not cached & set(sent)
    everything = set()
    for path in EXAMPLES.iterdir():
        if path.is_file():
            everything.update(planned_keys(fake, tmp_path, path))
    assert set(sent) == everything - cached


def test_cancel_then_collect(fake: FakeOpenAI, tmp_path: Path) -> None:
    submit(fake, tmp_path)
    run = state(tmp_path)
    out = invoke("batch", "cancel", "--state", str(tmp_path / "run"))
    assert out.exit_code == 0 and "cancelling" in out.output
    assert fake.calls["POST /v1/batches/cancel"] == 1
    refused = collect(tmp_path)
    assert refused.exit_code == 2 and "still running" in refused.output
    fake.cancelled(run.batches[0].id, done=2)
    out = collect(tmp_path)
    assert out.exit_code == 0, out.output
    assert "2 valid answers cached" in out.output
    assert fake.calls["POST /v1/chat/completions"] == run.batches[0].requests - 2


def test_max_sync_refuses_a_costly_collect(fake: FakeOpenAI, tmp_path: Path) -> None:
    submit(fake, tmp_path)
    fake.expire(state(tmp_path).batches[0].id, done=0)
    out = collect(tmp_path, "r.jsonl", "--max-sync", "1")
    assert out.exit_code == 2 and "more than --max-sync 1" in out.output
    assert fake.calls["POST /v1/chat/completions"] == 0


def test_a_collect_stopped_by_max_sync_is_finished_by_the_next(fake: FakeOpenAI, tmp_path: Path) -> None:
    submit(fake, tmp_path)
    run = state(tmp_path)
    chunks = run.batches[0].requests
    fake.finish(run.batches[0].id, broken=frozenset({0, 1}))
    out = collect(tmp_path, "r.jsonl", "--max-sync", "1")
    assert out.exit_code == 2 and "2 invalid answers to re-ask and 0 chunks" in out.output
    assert fake.calls["POST /v1/chat/completions"] == 0 and not (tmp_path / "r.jsonl").exists()
    downloads = fake.calls["GET /v1/files/content"]
    out = collect(tmp_path, "r.jsonl")
    assert out.exit_code == 0, out.output
    assert "collected 0 batches (1 before)" in out.output
    assert fake.calls["GET /v1/files/content"] == downloads  # not downloaded again
    assert fake.calls["POST /v1/chat/completions"] == 2  # the two re-asks, one each
    got = reports(tmp_path / "r.jsonl")
    # the batch answers (all paid, two of them invalid) and the two re-asks
    assert sum(r["usage"]["llm_calls"] for r in got) == chunks + 2
    assert sum(r["usage"]["cache_hits"] for r in got) == 0


def test_the_batch_request_is_the_synchronous_request(fake: FakeOpenAI, tmp_path: Path) -> None:
    council = EXAMPLES / "council-vote.txt"
    assert invoke("check", str(council), "--engine", "llm", "--base-url", fake.base_url, "--model",
                  "test-model", "--no-cache", "--format", "json", "--fail-on", "never").exit_code == 0
    settings = Settings(engine="llm", base_url=fake.base_url, model="test-model", api_key=SECRET,
                        cache=False)
    extractor = LLMExtractor(settings)
    article = load_target(Target(str(council)), settings)
    bodies = [extractor.request_body(p) for p in extractor.plan_requests(article, segment(article))]
    assert bodies == fake.chat_bodies


def test_request_files_split_at_either_limit(tmp_path: Path) -> None:
    writer = batch._RequestWriter(tmp_path, max_requests=2, max_bytes=1000)
    for _ in range(5):
        writer.add(b"x" * 99 + b"\n")
    assert [r.requests for r in writer.close()] == [2, 2, 1]
    writer = batch._RequestWriter(tmp_path / "b", max_requests=100, max_bytes=250)
    (tmp_path / "b").mkdir()
    for _ in range(5):
        writer.add(b"x" * 99 + b"\n")
    records = writer.close()
    assert [r.bytes for r in records] == [200, 200, 100]
    assert [Path(r.request_file).stat().st_size for r in records] == [200, 200, 100]
    with pytest.raises(UsageError, match="over the 250-byte limit"):
        batch._RequestWriter(tmp_path / "b", 100, 250).add(b"x" * 300)


def test_batch_answers_are_priced_at_half() -> None:
    settings = Settings(engine="llm", model="gpt-4o-mini")  # OpenAI itself: priced
    usage = Usage(llm_calls=1, prompt_tokens=1000, completion_tokens=100, cache_hits=2,
                  cost_usd=0.00021)  # one synchronous call at the list price
    answers = [{"custom_id": "a", "prompt_tokens": 1000, "completion_tokens": 100, "stored": True},
               {"custom_id": "b", "prompt_tokens": 1000, "completion_tokens": 100, "stored": True}]
    total = batch.with_batch_usage(usage, answers, settings)
    assert (total.llm_calls, total.prompt_tokens, total.completion_tokens, total.cache_hits) == (3, 3000, 300, 0)
    assert total.cost_usd == pytest.approx(0.00021 + 2 * 0.00021 / 2)


def test_collect_without_a_run_says_so(tmp_path: Path) -> None:
    out = invoke("batch", "collect", "--state", str(tmp_path / "nothing"))
    assert out.exit_code == 2 and "no batch run in" in out.output


@pytest.mark.parametrize("command", ["status", "cancel", "collect"])
def test_every_batch_subcommand_reports_an_error_as_one_line_and_exit_2(tmp_path: Path, command: str) -> None:
    """The subcommands share one error shape (`cli._errors_exit`): the message, no traceback."""
    out = CliRunner().invoke(cli.app, ["batch", command, "--state", str(tmp_path / "nothing")])
    assert out.exit_code == 2 and isinstance(out.exception, SystemExit)
    assert out.output.splitlines() == [f"verifier: error: no batch run in {tmp_path / 'nothing'} (no "
                                       "state.json) (start one with `verifier batch submit`, or pass --state DIR)"]
    submit = CliRunner().invoke(cli.app, ["batch", "submit", str(EXAMPLES), "--state", str(tmp_path / "s"),
                                          "--max-requests", "0"])
    assert submit.exit_code == 2
    assert "verifier: error: --max-requests and --max-file-bytes must be 1 or more" in submit.output


def test_check_answer_refuses_what_a_synchronous_call_refuses(fake: FakeOpenAI, tmp_path: Path) -> None:
    from tests.batch_server import answer_for

    settings = Settings(engine="llm", base_url=fake.base_url, model="test-model", api_key=SECRET,
                        cache=False)
    extractor = LLMExtractor(settings)
    article = load_target(Target(str(EXAMPLES / "council-vote.txt")), settings)
    planned = extractor.plan_requests(article, segment(article))[0]
    body = extractor.request_body(planned)
    good = extractor.check_answer(answer_for(body), planned)
    assert good["claims"]
    from verifier.model.errors import LLMResponseError

    with pytest.raises(LLMResponseError):
        extractor.check_answer(answer_for(body, broken=True), planned)
    cut = answer_for(body)
    cut["choices"][0]["finish_reason"] = "length"
    with pytest.raises(LLMResponseError, match="cut off"):
        extractor.check_answer(cut, planned)


def test_an_interrupted_submit_starts_the_rest_when_run_again(fake: FakeOpenAI, tmp_path: Path) -> None:
    fake.refuse_batches = True
    out = invoke("batch", "submit", str(EXAMPLES), "--state", str(tmp_path / "run"), "--base-url",
                 fake.base_url, "--model", "test-model", "--cache-dir", str(tmp_path / "cache"),
                 "--max-file-bytes", "11000")
    assert out.exit_code == 2 and "Enqueued token limit" in out.output
    run = state(tmp_path)
    assert run.batches[0].input_file_id and not run.batches[0].id  # uploaded, not started
    assert fake.calls["POST /v1/files"] == 1
    fake.refuse_batches = False
    submit(fake, tmp_path)  # the same --state: start what was not started
    run = state(tmp_path)
    assert all(r.id for r in run.batches) and len(run.batches) >= 2
    assert fake.calls["POST /v1/files"] == len(run.batches)  # the first file was not uploaded twice
    out = invoke("batch", "submit", str(EXAMPLES), "--state", str(tmp_path / "run"),
                 "--base-url", fake.base_url, "--model", "test-model")
    assert out.exit_code == 2 and "already holds a batch run" in out.output


def test_a_failed_batch_is_shown_and_its_requests_left_to_the_check(fake: FakeOpenAI, tmp_path: Path) -> None:
    submit(fake, tmp_path)
    run = state(tmp_path)
    fake.fail(run.batches[0].id, "Enqueued token limit reached for test-model")
    shown = invoke("batch", "status", "--state", str(tmp_path / "run")).output
    assert "failed: token_limit_exceeded: Enqueued token limit reached" in shown
    out = collect(tmp_path, "r.jsonl", "--max-sync", "0")
    assert out.exit_code == 2 and f"{run.batches[0].requests} chunks with no answer" in out.output


def test_a_reask_that_fails_again_is_not_asked_a_third_time(fake: FakeOpenAI, tmp_path: Path) -> None:
    """The call budget: the batch answer and one re-ask; the check then reads the last answer
    leniently (its claim is dropped as ungrounded), as a synchronous run does, and asks nothing."""
    submit(fake, tmp_path)
    run = state(tmp_path)
    fake.broken_sync = True
    fake.finish(run.batches[0].id, broken=frozenset({0}))
    out = collect(tmp_path)
    assert out.exit_code == 0, out.output
    assert "1 invalid (1 re-asked)" in out.output and "0 chunks left to ask" in out.output
    assert fake.calls["POST /v1/chat/completions"] == 1
    got = reports(tmp_path / "reports.jsonl")
    assert sum(r["usage"]["llm_calls"] for r in got) == run.batches[0].requests + 1
    assert any(f["rule"] == "claim-ungrounded" for r in got for f in r["findings"])
    # and a second collect neither asks nor pays
    assert collect(tmp_path, "again.jsonl").exit_code == 0
    assert fake.calls["POST /v1/chat/completions"] == 1


def test_a_dry_run_writes_the_files_and_uploads_nothing(fake: FakeOpenAI, tmp_path: Path) -> None:
    out = submit(fake, tmp_path, "--dry-run")
    assert "to send in 1 batch" in out.output and "prompt tokens (estimated): no price" in out.output
    assert "dry run: nothing uploaded" in out.output
    assert not fake.calls  # not a single request
    run = state(tmp_path)
    assert run.batches[0].requests and not run.batches[0].id
    submit(fake, tmp_path)  # the same command without --dry-run starts the files written
    assert fake.calls["POST /v1/files"] == 1 and fake.calls["POST /v1/batches"] == 1
    assert state(tmp_path).batches[0].id in fake.batches


def test_a_dry_run_against_openai_prices_the_prompts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Priced at the batch price; no request leaves the machine (the network guard would fail it)."""
    monkeypatch.setenv("OPENAI_API_KEY", SECRET)
    out = invoke("batch", "submit", str(EXAMPLES / "council-vote.txt"), "--state", str(tmp_path / "run"),
                 "--model", "gpt-4o-mini", "--cache-dir", str(tmp_path / "cache"), "--dry-run")
    assert out.exit_code == 0, out.output
    assert "at the batch price, plus $" in out.output


def test_a_batch_run_closes_every_extractor_and_cache_it_makes(
        fake: FakeOpenAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """submit, status, cancel, a refused collect, a collect and its check: each LLM extractor and
    each LLM cache made is closed by the code that made it, also when the command fails."""
    from verifier.engines.llmcache import LLMCache

    made: dict[type, list[Any]] = {LLMExtractor: [], LLMCache: []}
    closed: dict[type, list[Any]] = {LLMExtractor: [], LLMCache: []}

    def count(cls: type) -> None:
        init, close = cls.__init__, cls.close

        def counted_init(self: Any, *args: Any, **kwargs: Any) -> None:
            init(self, *args, **kwargs)
            made[cls].append(self)

        def counted_close(self: Any) -> None:
            if self not in closed[cls]:
                closed[cls].append(self)
            close(self)

        monkeypatch.setattr(cls, "__init__", counted_init)
        monkeypatch.setattr(cls, "close", counted_close)

    count(LLMExtractor)
    count(LLMCache)
    submit(fake, tmp_path)
    assert len(made[LLMExtractor]) == 1 and closed == made
    assert invoke("batch", "status", "--state", str(tmp_path / "run")).exit_code == 0
    assert invoke("batch", "cancel", "--state", str(tmp_path / "run")).exit_code == 0
    assert collect(tmp_path).exit_code == 2  # still cancelling: refused
    assert len(made[LLMExtractor]) == 4 and closed == made
    fake.cancelled(state(tmp_path).batches[0].id, done=2)
    out = collect(tmp_path)
    assert out.exit_code == 0, out.output
    # the collect's extractor, and its check's extractor with the cache it reads
    assert len(made[LLMExtractor]) == len(made[LLMCache]) == 6 and closed == made
