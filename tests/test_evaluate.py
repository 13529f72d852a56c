"""The evaluation harness: gold loading, matching and metrics on tiny cases computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from verifier.evaluation.evaluate import (
    CaseScore,
    aggregate,
    best_cover,
    greedy_match,
    load_case,
    load_gold,
    locate,
    overlap,
    prf,
    same_name,
    score_case,
)
from verifier.model.errors import InputError

GOLD_DIR = Path(__file__).resolve().parent.parent / "eval" / "gold"

ARTICLE = (
    "Acme ships a robot, the company said.\n"       # 0..37
    "\n"
    "\u201cIt is the best robot,\u201d Ann Lee said.\n"
    "Read more: robots\n"
)


def _span(raw: str, needle: str) -> dict:
    s = raw.index(needle)
    return {"start": s, "end": s + len(needle), "text": needle}


def _case(tmp_path: Path, gold: dict, article: str = ARTICLE, sources: dict | None = None) -> Path:
    folder = tmp_path / gold.get("id", "case")
    (folder / "sources").mkdir(parents=True)
    (folder / "article.txt").write_text(article, encoding="utf-8")
    for name, text in (sources or {}).items():
        (folder / "sources" / name).write_text(text, encoding="utf-8")
    (folder / "gold.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    return folder


GOLD = {
    "id": "tiny", "article": "article.txt", "language": "en", "sources": ["sources/t.txt"],
    "quotes": [
        {"text": "It is the best robot,", "speaker": "Ann Lee", "speaker_aliases": ["Dr. Ann Lee"],
         "kind": "direct", "source_status": "verbatim"},
    ],
    "claims": [
        {"evidence": "Acme ships a robot, the company said.", "claim": "Acme ships a robot.",
         "tags": ["attributed"], "source": "Acme"},
        {"evidence": "It is the best robot,", "claim": "Acme's robot is the best.",
         "tags": ["attributed", "benchmark_dependent"], "source": "Ann Lee"},
    ],
    "boilerplate": ["Read more: robots"],
    "findings": [{"rule": "benchmark-uncited", "evidence": "It is the best robot,"}],
}


def test_overlap_is_shared_chars_over_the_shorter_span():
    # [0,10) and [5,25): 5 shared chars; shorter side has 10 -> 0.5
    assert overlap([(0, 10)], [(5, 25)]) == (0.5, 5)
    assert overlap([(0, 4), (10, 14)], [(2, 12)]) == (4 / 8, 4)  # 2,3,10,11 shared of 8 gold chars
    assert overlap([(0, 3)], [(3, 6)]) == (0.0, 0)


def test_greedy_match_is_one_to_one_best_ratio_first():
    gold = [[(0, 10)], [(20, 30)]]
    # pred 0 covers gold 0 exactly; pred 1 covers half of gold 0 and nothing else; pred 2 is gold 1
    pred = [[(0, 10)], [(5, 10)], [(22, 30)]]
    assert greedy_match(gold, pred) == [(0, 0), (1, 2)]
    # below the threshold there is no match: 2 of the shorter 10 chars
    assert greedy_match([[(0, 10)]], [[(8, 40)]]) == []


def test_best_cover_prefers_ratio_then_shared_chars():
    assert best_cover([(0, 10)], [[(0, 5)], [(0, 10)], [(0, 40)]]) == 1
    assert best_cover([(0, 10)], [[(9, 30)]]) is None


def test_prf_by_hand():
    assert prf(2, 4, 2) == (0.5, 1.0, pytest.approx(2 / 3))
    assert prf(0, 0, 3) == (0.0, 0.0, 0.0)


def test_same_name_ignores_case_space_and_apostrophe_style():
    assert same_name("Zhang Ping\u2019an", ["Zhang Ping'an"])
    assert same_name("dr.  ann lee", ["Ann Lee", "Dr. Ann Lee"])
    assert not same_name("Lee", ["Ann Lee"])
    assert same_name(None, [None]) and not same_name(None, ["Ann Lee"])


def test_locate_finds_the_nth_occurrence_and_rejects_missing_text():
    assert locate("a b a b", "a", 2) == (4, 5)
    with pytest.raises(InputError, match="not in the article"):
        locate("abc", "zzz")


def test_score_case_counts_by_hand(tmp_path):
    case = load_case(_case(tmp_path, GOLD, sources={"t.txt": "It is the best robot."}))
    raw = case.raw
    report = {
        "quotes": [
            # matches the gold quote; speaker given as the alias; status wrong
            {"text": "It is the best robot,", "span": _span(raw, "It is the best robot,"),
             "kind": "partial", "speaker": "Dr. Ann Lee", "source_check": {"status": "altered"}},
            # a false positive
            {"text": "ships", "span": _span(raw, "ships"), "speaker": None,
             "source_check": {"status": "not_found"}},
        ],
        "claims": [
            # covers claim 1 with the right tags
            {"text": "x", "span": _span(raw, "Acme ships a robot, the company said."),
             "tags": ["attributed"]},
            # covers claim 2, tags: attributed right, benchmark missed, opinion spurious
            {"text": "y", "span": _span(raw, "\u201cIt is the best robot,\u201d Ann Lee said."),
             "tags": ["attributed", "opinion"]},
            # leaks from boilerplate
            {"text": "z", "span": _span(raw, "Read more: robots"), "tags": []},
        ],
        "findings": [{"rule": "benchmark-uncited", "span": _span(raw, "best robot")}],
        "usage": {"llm_calls": 2, "prompt_tokens": 100, "completion_tokens": 20, "seconds": 0.5},
    }
    s = score_case(case, report)
    assert (s.gold_quotes, s.pred_quotes, s.matched_quotes) == (1, 2, 1)
    assert s.speaker_correct == 1
    assert s.kind_correct == 0  # gold says direct
    assert (s.status_scored, s.status_correct) == (1, 0)
    assert (s.gold_claims, s.pred_claims, s.covered_claims, s.tagsets_exact) == (2, 3, 2, 1)
    assert (s.tags["attributed"].tp, s.tags["attributed"].fp, s.tags["attributed"].fn) == (2, 0, 0)
    assert (s.tags["benchmark_dependent"].tp, s.tags["benchmark_dependent"].fn) == (0, 1)
    assert s.tags["opinion"].fp == 1
    assert s.boilerplate_leaks == 1
    assert (s.findings_expected, s.findings_found) == (1, 1)
    assert (s.llm_calls, s.tokens, s.seconds) == (2, 120, 0.5)

    t = aggregate([s, CaseScore(id="empty")])
    # quotes: P = 1/2, R = 1/1, F1 = 2/3
    assert t["quotes"]["precision"] == 0.5 and t["quotes"]["recall"] == 1.0
    assert t["quotes"]["f1"] == pytest.approx(0.6667, abs=1e-4)
    assert t["kind"] == {"correct": 0, "scored": 1, "accuracy": 0.0}
    assert t["claims"]["coverage"] == 1.0 and t["claims"]["tagset_exact"] == 0.5
    # opinion: tp 0, fp 1 -> P 0, R 0 (no gold opinion)
    assert t["tags"]["opinion"] == {"tp": 0, "fp": 1, "fn": 0, "precision": 0.0, "recall": 0.0,
                                    "f1": 0.0}
    # benchmark: 0 tp, 1 fn
    assert t["tags"]["benchmark_dependent"]["recall"] == 0.0
    assert t["usage_per_article"] == {"llm_calls": 1.0, "tokens": 60.0, "seconds": 0.25}


def test_status_is_not_scored_without_sources(tmp_path):
    gold = dict(GOLD, sources=[])
    case = load_case(_case(tmp_path, gold))
    quote = {"span": _span(case.raw, "It is the best robot,"), "speaker": "Ann Lee",
             "source_check": {"status": "unchecked"}}
    s = score_case(case, {"quotes": [quote]})
    assert s.status_scored == 0 and s.speaker_correct == 1


def test_split_quote_parts_are_located_in_order(tmp_path):
    article = '"One two three," she said, "four five six." Then "one two" again.\n'
    gold = {"id": "split", "article": "article.txt", "quotes": [
        {"text": "One two three, four five six.", "parts": ["One two three,", "four five six."],
         "speaker": "X", "speaker_aliases": [], "kind": "direct", "source_status": None}]}
    case = load_case(_case(tmp_path, gold, article=article))
    (a, b), (c, d) = case.quotes[0].spans
    assert article[a:b] == "One two three," and article[c:d] == "four five six."
    # a prediction carrying both parts matches fully
    parts = [{"start": a, "end": b}, {"start": c, "end": d}]
    s = score_case(case, {"quotes": [{"span": {"start": a, "end": d}, "parts": parts,
                                      "speaker": "X"}]})
    assert s.matched_quotes == 1 and s.speaker_correct == 1


def test_bad_gold_is_an_input_error_naming_the_file(tmp_path):
    gold = dict(GOLD, claims=[{"evidence": "not in the article", "tags": []}])
    folder = _case(tmp_path, gold)
    with pytest.raises(InputError) as err:
        load_case(folder)
    assert "gold.json" in str(err.value)
    bad_tag = dict(GOLD, id="t2", claims=[{"evidence": "Acme", "tags": ["fact"]}])
    with pytest.raises(InputError, match="unknown tags"):
        load_case(_case(tmp_path, bad_tag, sources={"t.txt": "x"}))
    with pytest.raises(InputError, match="no gold cases"):
        load_gold(tmp_path / "tiny" / "sources")


def test_the_team_gold_set_loads_and_covers_the_hard_cases():
    cases = load_gold(GOLD_DIR)
    assert len(cases) >= 12
    formats = {c.article.suffix for c in cases}
    assert formats == {".txt", ".md", ".html"}
    assert any(c.language == "zh" for c in cases)
    statuses = {q.source_status for c in cases for q in c.quotes}
    assert {"verbatim", "minor_difference", "altered", "not_found", "speaker_mismatch"} <= statuses
    tags = {t for c in cases for cl in c.claims for t in cl.tags}
    assert tags == {"attributed", "benchmark_dependent", "opinion"}
    assert all(c.sources for c in cases)
    assert any(len(q.spans) > 1 for c in cases for q in c.quotes)  # split / multi-paragraph
    raw = "".join(c.raw for c in cases)
    for needle in ("\u201c", '"', "\u300c", "Close Cookiebot banner", "Read more:", "touted as"):
        assert needle in raw


# --------------------------------------------------------------------------- the eval command


def test_eval_command_prints_the_table_and_exits_0():
    from typer.testing import CliRunner

    from verifier.cli.cli import app

    result = CliRunner().invoke(app, ["eval", str(GOLD_DIR), "--engine", "rules"])
    assert result.exit_code == 0, result.output
    assert "TOTAL" in result.output and "01-wire-curly" in result.output
    assert "benchmark_dependent" in result.output and "speaker accuracy" in result.output

    result = CliRunner().invoke(app, ["eval", str(GOLD_DIR), "--engine", "rules", "--format", "json"])
    assert result.exit_code == 0
    data = json.loads(result.output[result.output.index("{"):])
    assert data["engine"]["extractor"] == "rules"
    assert data["totals"]["articles"] == len(data["cases"]) >= 12
    totals = data["totals"]
    # the figures are derived from the per-case counts
    assert totals["quotes"]["gold"] == sum(c["gold_quotes"] for c in data["cases"])
    assert totals["claims"]["covered"] == sum(c["covered_claims"] for c in data["cases"])


def test_eval_command_usage_errors_exit_2(tmp_path):
    from typer.testing import CliRunner

    from verifier.cli.cli import app

    for args in (["eval", str(tmp_path / "missing")], ["eval", str(GOLD_DIR), "--format", "xml"],
                 ["eval", "--corpus", "nope", str(tmp_path)]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 2, args
