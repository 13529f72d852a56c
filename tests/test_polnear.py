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
from verifier.stages.quotemarks import twosingle_style

SHARED = Path(__file__).resolve().parents[2] / "shared" / "eval"
GOLD = SHARED / "external" / "polnear" / "polnear_dev_subset.jsonl"
SCORER = SHARED / "polnear_quotes.py"

needs_shared = pytest.mark.skipif(not (GOLD.exists() and SCORER.exists()),
                                  reason="../shared/eval (PolNeAR dev subset and scorer) is not here")


def _polnear_eval():
    path = Path(__file__).resolve().parents[1] / "scripts" / "polnear_eval.py"
    spec = importlib.util.spec_from_file_location("polnear_eval", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_train_halves_split_by_article_in_file_order():
    script = _polnear_eval()
    docs = [{"doc_id": f"d{i}"} for i in range(840)]
    half_a, half_b = script.halves(docs)
    assert [d["doc_id"] for d in half_a] == [f"d{i}" for i in range(420)]
    assert [d["doc_id"] for d in half_b] == [f"d{i}" for i in range(420, 840)]
    # fewer articles (`--limit`): half A takes them first, half B may be empty
    assert script.halves(docs[:3]) == (docs[:3], [])


def test_train_nyt_halves_take_the_nyt_articles_in_file_order():
    script = _polnear_eval()
    docs = [{"doc_id": f"d{i}", "publisher": "nyt" if i % 3 == 0 else "politico"} for i in range(400)]
    nyt_a, nyt_b = script.nyt_halves(docs)
    nyt = [d for d in docs if d["publisher"] == "nyt"]
    assert nyt_a == nyt[:60] and nyt_b == nyt[60:]
    assert all(d["publisher"] == "nyt" for d in nyt_a + nyt_b)


def test_quote_errors_list_false_positives_and_negatives_as_the_scorer_matches_them():
    # a team-written article: the gold holds the quote and the show's title (both inside the
    # attribution's content); the product finds the quote, leaves the title out (a false
    # negative) and finds a partial quote the gold does not hold (a false positive)
    script = _polnear_eval()
    text = "“We won,” Ana Ruiz told “Harbor Nights.” She called it “a good day.”"
    words = text.index("“We won")
    title = text.index("“Harbor")
    doc = {"doc_id": "d1", "text": text, "attributions": [
        {"id": "a1", "quote_type_heuristic": "direct",
         "source": [{"start": 10, "end": 18, "text": "Ana Ruiz"}],
         "content": [{"start": words, "end": words + 9, "text": text[words:words + 9]},
                     {"start": title, "end": title + 16, "text": text[title:title + 16]}]}]}
    report, sieves = script.quote_report(text)
    rows = script.quote_errors([doc], {"d1": report}, {"d1": sieves})
    assert [(r["error"], r["text"]) for r in rows] == [("fp", "a good day."), ("fn", "Harbor Nights.")]
    assert rows[0]["kind"] == "partial" and rows[1]["gold_source"] == "Ana Ruiz"


def test_quote_errors_before_a_change_show_the_gold_quotes_it_lost():
    script = _polnear_eval()
    before = [{"doc": "d1", "error": "fp", "at": 40, "text": "Harbor Nights."},
              {"doc": "d1", "error": "fn", "at": 5, "text": "gone"}]
    after = [{"doc": "d1", "error": "fn", "at": 60, "text": "Lilac   Summer"},
             {"doc": "d1", "error": "fp", "at": 80, "text": "new"}]
    lines = script.compare_quote_errors(before, after)
    assert lines[0] == "   gold quotes lost: 1"
    assert lines[1] == "     d1 @60: 'Lilac Summer'"
    assert lines[2] == "   false positives gone: 1, new: 1; false negatives gone: 1"
    # nothing changed: nothing lost, nothing gone
    assert script.compare_quote_errors(after, after) == [
        "   gold quotes lost: 0", "   false positives gone: 0, new: 0; false negatives gone: 0"]


@needs_shared


def test_direct_quote_f1_and_speaker_accuracy_at_least_0_90(tmp_path):
    # the articles that write their quotation marks as two apostrophes (one of the subset's) are
    # left out: the product reads those marks (quotemarks.quote_text), the scorer's default does
    # not; they are scored on train by scripts/polnear_eval.py, with --twosingle
    lines = [line for line in GOLD.read_text(encoding="utf-8").splitlines()
             if not twosingle_style(json.loads(line)["text"])]
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reports = tmp_path / "reports"
    reports.mkdir()
    for line in lines:
        doc = json.loads(line)
        article = load.load_text(doc["text"], path=doc["doc_id"])
        report = pipeline.check_article(article, Settings(engine="rules"), RulesExtractor(), source_docs=[])
        (reports / f"{doc['doc_id']}.json").write_text(report.model_dump_json(), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("polnear_quotes", SCORER)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    summary = scorer.score(str(gold), str(reports), kind="direct", out=io.StringIO())
    assert summary["missing_reports"] == 0 and summary["bad_spans"] == 0
    assert summary["f1"] >= 0.90, summary
    assert summary["speaker_accuracy"] >= 0.90, summary
