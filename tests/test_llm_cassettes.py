"""The LLM engine end to end, replayed from cassettes recorded from a real model.

The cassettes in `cassettes/` were recorded by `scripts/record-cassettes.sh` from
SmolLM2-135M-Instruct served by llama-cpp-python on 127.0.0.1:8765 (TOOLS mode). A 135M model
writes poor claims and often invents evidence: these tests check what the engine does with real
answers, whatever they are: every claim shown is grounded in the article, every invented one
became a `claim-ungrounded` finding, and a second run on the same draft is served by the cache.
Requests are matched on their body, so editing the prompt or the schema makes these tests fail
until the cassettes are re-recorded.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.conftest import CASSETTES, ROOT
from verifier.cli import app
from verifier.ground import align
from verifier.prompting import load_prompt

BASE_URL = "http://127.0.0.1:8765/v1"
MODEL = "smollm2-135m"
EXAMPLES = ["council-vote.txt", "chipmaker-launch.md", "robotics-feature.html"]


def check(path: Path, cache_dir: Path) -> tuple[int, dict[str, Any]]:
    """`verifier check --engine llm ... --format json PATH`, in this process so vcr sees it."""
    args = ["check", "--engine", "llm", "--base-url", BASE_URL, "--model", MODEL,
            "--format", "json", "--cache-dir", str(cache_dir), "--max-retries", "0",
            "--fail-on", "never", str(path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.exit_code, json.loads(result.stdout)


def assert_grounded(report: dict[str, Any], raw: str) -> None:
    """Every claim is anchored to the article's own words; every dropped one was invented."""
    for claim in report["claims"]:
        span = claim["span"]
        assert raw[span["start"]:span["end"]] == span["text"] and span["text"].strip()
    for finding in report["findings"]:
        if finding["rule"] == "claim-ungrounded":
            evidence = finding["message"].split("dropped: ", 1)[1][1:-1]
            assert align(raw, evidence) is None, evidence


@pytest.mark.vcr
@pytest.mark.parametrize("name", EXAMPLES)
def test_example_replays_from_its_cassette(name: str, tmp_path: Path) -> None:
    path = ROOT / "examples" / name
    _, report = check(path, tmp_path)
    assert report["error"] is None
    assert report["engine"] == {"extractor": "llm", "model": MODEL,
                                "prompt_version": load_prompt("extract_claims").version}
    usage = report["usage"]
    assert usage["llm_calls"] >= 1 and usage["prompt_tokens"] > 0 and usage["cache_hits"] == 0
    assert usage["cost_usd"] is None  # a local model has no price
    assert_grounded(report, path.read_text(encoding="utf-8"))


@pytest.mark.vcr
def test_invented_evidence_never_reaches_the_report(tmp_path: Path) -> None:
    """Recorded: the model's answer for this example invents evidence, even after the re-ask."""
    path = ROOT / "examples" / "chipmaker-launch.md"
    _, report = check(path, tmp_path)
    dropped = [f for f in report["findings"] if f["rule"] == "claim-ungrounded"]
    assert dropped, "the recorded answer holds invented evidence"
    assert_grounded(report, path.read_text(encoding="utf-8"))


@pytest.mark.vcr
def test_a_second_run_is_served_by_the_cache(tmp_path: Path) -> None:
    path = ROOT / "examples" / "council-vote.txt"
    _, first = check(path, tmp_path)
    _, second = check(path, tmp_path)  # the cassette holds the first run's requests only
    assert first["usage"]["llm_calls"] >= 1 and first["usage"]["cache_hits"] == 0
    assert second["usage"]["llm_calls"] == 0 and second["usage"]["cache_hits"] > 0
    assert second["usage"]["prompt_tokens"] == second["usage"]["completion_tokens"] == 0
    assert second["claims"] == first["claims"]
    assert [f["rule"] for f in second["findings"]] == [f["rule"] for f in first["findings"]]


def test_cassettes_hold_no_secret_and_keep_curly_quotes() -> None:
    cassettes = sorted(CASSETTES.glob("*.yaml"))
    assert cassettes, "run scripts/record-cassettes.sh"
    for path in cassettes:
        text = path.read_text(encoding="utf-8").lower()
        for secret in ("authorization", "sk-", "set-cookie", "openai-organization", "api-key",
                       "x-stainless"):
            assert secret not in text, (path.name, secret)
    recorded = yaml.safe_load((CASSETTES / "test_invented_evidence_never_reaches_the_report.yaml")
                              .read_text(encoding="utf-8"))
    sent = json.loads(recorded["interactions"][0]["request"]["body"])
    passage = sent["messages"][1]["content"]
    assert "“We built Tern-3 for people who need answers they can check,” Halvorsen said." in passage
