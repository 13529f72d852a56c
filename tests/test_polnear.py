"""Issue acceptance on real annotated news: quote and speaker detection on the PolNeAR dev subset,
scored by the team's own scorer (../shared/eval/polnear_quotes.py). Skipped where ../shared is absent."""

from __future__ import annotations

import importlib.util
import io
import json
from pathlib import Path

import pytest

from verifier.engines.extract import RulesExtractor
from verifier.ingest import load
from verifier.model.config import Settings
from verifier.run import pipeline

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"
GOLD = SHARED / "external" / "polnear" / "polnear_dev_subset.jsonl"
SCORER = SHARED / "polnear_quotes.py"

pytestmark = pytest.mark.skipif(not (GOLD.exists() and SCORER.exists()),
                                reason="../shared/eval (PolNeAR dev subset and scorer) is not here")


def test_direct_quote_f1_and_speaker_accuracy_at_least_0_90(tmp_path):
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        article = load.load_text(doc["text"], path=doc["doc_id"])
        report = pipeline.check_article(article, Settings(engine="rules"), RulesExtractor(), source_docs=[])
        (tmp_path / f"{doc['doc_id']}.json").write_text(report.model_dump_json(), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("polnear_quotes", SCORER)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    summary = scorer.score(str(GOLD), str(tmp_path), kind="direct", out=io.StringIO())
    assert summary["missing_reports"] == 0 and summary["bad_spans"] == 0
    assert summary["f1"] >= 0.90, summary
    assert summary["speaker_accuracy"] >= 0.90, summary
