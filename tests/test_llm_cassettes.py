"""The LLM engine end to end, replayed from cassettes recorded from a real model.

The cassettes in `cassettes/` were recorded by `scripts/record-cassettes.sh` from the better of
SmolLM2-135M-Instruct and Gemma-3-270M-it served by llama-cpp-python (TOOLS mode); which one, and
at which address, is in `cassettes/recorded-with.json`. These tests check what the engine does
with real answers: claims are kept (so the tag merge runs on real model output), every claim is
anchored to a sentence of the article, and a second run on the same draft is served by the cache.
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
from verifier.cli.cli import app
from verifier.engines.prompting import load_prompt

RECORDED = json.loads((CASSETTES / "recorded-with.json").read_text(encoding="utf-8"))
BASE_URL, MODEL = RECORDED["base_url"], RECORDED["model"]
EXAMPLES = ["council-vote.txt", "chipmaker-launch.md", "robotics-feature.html"]
MIN_KEPT = 9  # the claims the recorded SmolLM2 answers keep over the three examples (replay is exact)


def check(path: Path, cache_dir: Path) -> tuple[int, dict[str, Any]]:
    """`verifier check --engine llm ... --format json PATH`, in this process so vcr sees it."""
    args = ["check", "--engine", "llm", "--base-url", BASE_URL, "--model", MODEL,
            "--format", "json", "--cache-dir", str(cache_dir), "--max-retries", "0", "--timeout", "900",
            "--fail-on", "never", str(path)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.exit_code, json.loads(result.stdout)


def assert_anchored(report: dict[str, Any], raw: str) -> None:
    """Every claim is the article's own words, within one paragraph and without markup."""
    for claim in report["claims"]:
        span = claim["span"]
        assert raw[span["start"]:span["end"]] == span["text"] and span["text"].strip()
        assert "\n\n" not in span["text"] and "</p>" not in span["text"]


@pytest.mark.vcr
def test_the_examples_replay_with_claims_kept(tmp_path: Path) -> None:
    """The three examples, one cassette: real model claims survive validation, so replay
    exercises the tag merge; each is anchored to the article's own words."""
    kept = 0
    for name in EXAMPLES:
        path = ROOT / "examples" / name
        _, report = check(path, tmp_path / name)
        assert report["error"] is None
        assert report["engine"] == {"extractor": "llm", "model": MODEL,
                                    "prompt_version": load_prompt("extract_claims").version}
        usage = report["usage"]
        assert usage["llm_calls"] >= 1 and usage["prompt_tokens"] > 0 and usage["cache_hits"] == 0
        assert usage["cost_usd"] is None  # a local model has no price
        assert "llm-failed" not in [f["rule"] for f in report["findings"]]
        assert_anchored(report, path.read_text(encoding="utf-8"))
        kept += len(report["claims"])
    assert kept >= MIN_KEPT, kept


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
    recorded = yaml.safe_load((CASSETTES / "test_the_examples_replay_with_claims_kept.yaml")
                              .read_text(encoding="utf-8"))
    bodies = [json.loads(i["request"]["body"])["messages"][1]["content"] for i in recorded["interactions"]]
    assert any("“We built Tern-3 for people who need answers they can check,” Halvorsen said." in b
               for b in bodies)
