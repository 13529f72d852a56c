"""scripts/attribution_eval.py: the claim-source figure and the misses it writes, on a made-up
article (no corpus text)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from verifier.evaluation.corpora import PolnearOptions, score_polnear


def _script():
    path = Path(__file__).resolve().parents[1] / "scripts" / "attribution_eval.py"
    spec = importlib.util.spec_from_file_location("attribution_eval", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TEXT = ("Marta Lindqvist said the harbour fees would rise. The board kept the ferry timetable. "
        "Ines Moreau argued the docks needed repairs.")


def _doc() -> dict:
    def attribution(content: str, source: str) -> dict:
        c, s = TEXT.index(content), TEXT.index(source)
        return {"content": [{"start": c, "end": c + len(content), "text": content}],
                "source": [{"start": s, "end": s + len(source), "text": source}],
                "quote_type_heuristic": "indirect"}
    return {"doc_id": "d1", "text": TEXT, "attributions": [
        attribution("the harbour fees would rise", "Marta Lindqvist"),
        attribution("the docks needed repairs", "Ines Moreau")]}


def _claim(sentence: str, tags: list[str], source: str | None) -> dict:
    start = TEXT.index(sentence)
    return {"span": {"start": start, "end": start + len(sentence)}, "tags": tags,
            "attribution": {"source": source, "cue": "said", "quote_ids": []} if source else None}


def test_the_claim_source_figure_reads_attribution_source():
    script = _script()
    doc = _doc()
    report = {"claims": [
        _claim("Marta Lindqvist said the harbour fees would rise.", ["attributed"], "Marta Lindqvist"),
        _claim("Ines Moreau argued the docks needed repairs.", ["attributed"], "the board")]}
    assert script.source_figure([doc], {"d1": report}) == (1, 2, 0)
    # the attribution figures are the shared scorer's, whose speaker figure reads no claim source
    summary, _ = score_polnear([doc], {"d1": report}, PolnearOptions(kind="all"))
    assert (summary["tp"], summary["speaker_correct"]) == (2, 0)
    rows = script.misses([doc], {"d1": report})
    assert [(r["bucket"], r["ours"]) for r in rows] == [("wrong_source", "the board")]


def test_a_miss_is_bucketed_by_what_the_report_holds_there():
    script = _script()
    doc = _doc()
    report = {"claims": [_claim("Ines Moreau argued the docks needed repairs.", [], None)]}
    rows = script.misses([doc], {"d1": report})
    assert [r["bucket"] for r in rows] == ["no_claim", "claim_untagged"]
    assert rows[1]["gold_source"] == "Ines Moreau" and rows[1]["claims"][0]["tags"] == []
    assert script.source_figure([doc], {"d1": report}) == (0, 0, 0)
