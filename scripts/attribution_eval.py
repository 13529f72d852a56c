"""Attributions on PolNeAR train: the `attributed` tag and each claim's `attribution.source`.

    python scripts/attribution_eval.py [--limit N] [--misses FILE] [--reports-dir DIR]

Runs the rules engine (the whole pipeline, as `verifier eval --corpus polnear FILE --engine rules
--kind all` does) on every article of `../shared/eval/external/polnear/polnear_train.jsonl` and
prints, for train, half A (the first 420 articles in file order, developed on) and half B (the
other 420, a figure only: its errors are never written):

- the `--kind all` attribution figures, exactly those of `verifier eval` and of the shared
  `polnear_quotes.py --kind all` (gold = every attribution, direct, mixed and indirect; predicted =
  the claims tagged `attributed`; one-to-one overlap match);
- the claim-source accuracy: of the matched attributions whose gold source holds a name, the share
  whose claim `attribution.source` shares a name token with it (the speaker figure's rule,
  `corpora.name_tokens`, read from the contract's `attribution.source`, which the shared scorer
  does not read: its speaker figure stays 0 by construction, and is left so).

`--misses FILE` writes half A's gold attributions that no attributed claim matched and its matched
ones with a wrong or missing claim source, one JSON line each: the gold content and source, the
sentence around it, and the claims overlapping it (span, text, tags, attribution), with a first
bucket (`no_claim`, `claim_untagged`, `two_in_sentence`, `span`, `wrong_source`, `no_source`).
The PolNeAR dev and test splits are never read.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from verifier.evaluation.corpora import (
    Checker,
    PolnearOptions,
    _lower_words,
    name_tokens,
    polnear_gold_attributions,
    score_polnear,
)
from verifier.evaluation.evaluate import greedy_match
from verifier.model.config import Settings

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT.parent / "shared" / "eval" / "external" / "polnear" / "polnear_train.jsonl"
HALF = 420
OPTS = PolnearOptions(kind="all")


def attributed(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's claims tagged `attributed` (the scorer's predictions, in its order)."""
    return [c for c in report.get("claims") or [] if "attributed" in (c.get("tags") or [])]


def _span(item: dict[str, Any]) -> tuple[int, int]:
    return item["span"]["start"], item["span"]["end"]


def source_rows(doc: dict[str, Any], report: dict[str, Any]):
    """(gold, claim or None) per gold attribution, matched as the scorer matches them."""
    gold = polnear_gold_attributions(doc)
    preds = attributed(report)
    pairs = dict(greedy_match([g["spans"] for g in gold], [[_span(c)] for c in preds], OPTS.threshold))
    for gi, g in enumerate(gold):
        yield g, (preds[pairs[gi]] if gi in pairs else None)


def source_figure(docs: list[dict[str, Any]], reports: dict[str, Any]) -> tuple[int, int, int]:
    """(right, scored, with no source) over the matched attributions whose gold source is a name."""
    right = scored = none = 0
    for doc in docs:
        lower = _lower_words(doc["text"])
        for g, claim in source_rows(doc, reports[doc["doc_id"]]):
            gn = name_tokens(g["source"], lower) if claim is not None and g["source"] else set()
            if not gn:
                continue
            scored += 1
            source = (claim.get("attribution") or {}).get("source")
            none += not source
            right += bool(source) and bool(gn & name_tokens(source))
    return right, scored, none


def summary_line(name: str, docs: list[dict[str, Any]], reports: dict[str, Any]) -> str:
    s, _rows = score_polnear(docs, reports, OPTS)
    right, scored, none = source_figure(docs, reports)
    acc = right / scored if scored else 0.0
    return (f"== {name}: {s['articles']} articles  attributions P={s['precision']:.3f} "
            f"R={s['recall']:.3f} F1={s['f1']:.3f} (gold {s['gold']}, pred {s['pred']}, tp {s['tp']})  "
            f"claim source {acc:.3f} ({right}/{scored}, {none} with none)")


def _extent(spans: list[tuple[int, int]]) -> tuple[int, int]:
    """From the first span's start to the last one's end ((0, 0): no span)."""
    return (min(s for s, _ in spans), max(e for _, e in spans)) if spans else (0, 0)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    lo = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start))
    hi = [i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0]
    return lo + 1 if lo >= 0 else 0, (min(hi) + 1) if hi else len(text)


def misses(docs: list[dict[str, Any]], reports: dict[str, Any]) -> list[dict[str, Any]]:
    """Half A's missed gold attributions and wrong claim sources, with a first bucket each."""
    out = []
    for doc in docs:
        text, report = doc["text"], reports[doc["doc_id"]]
        lower = _lower_words(text)
        gold = polnear_gold_attributions(doc)
        claims = report.get("claims") or []
        for g, claim in source_rows(doc, report):
            gs = _extent(g["spans"])
            near = [c for c in claims if _overlaps(_span(c), gs)]
            sent = _sentence(text, *gs)
            row = {"doc": doc["doc_id"], "gold": " ".join(g["text"].split()), "gold_source": g["source"],
                   "qtype": g["qtype"], "at": gs[0],
                   "sentence": " ".join(text[sent[0]:sent[1]].split()),
                   "claims": [{"span": list(_span(c)), "text": " ".join(text[slice(*_span(c))].split()),
                               "tags": c.get("tags"), "attribution": c.get("attribution")} for c in near]}
            if claim is None:
                in_sentence = sum(_overlaps(_extent(o["spans"]), sent) for o in gold)
                if not near:
                    row["bucket"] = "no_claim"
                elif not any("attributed" in (c.get("tags") or []) for c in near):
                    row["bucket"] = "claim_untagged"
                elif in_sentence > 1:
                    row["bucket"] = "two_in_sentence"
                else:
                    row["bucket"] = "span"
                out.append(row)
                continue
            gn = name_tokens(g["source"], lower) if g["source"] else set()
            source = (claim.get("attribution") or {}).get("source")
            if gn and not (source and gn & name_tokens(source)):
                row["bucket"] = "wrong_source" if source else "no_source"
                row["ours"] = source
                row["claims"] = [{"span": list(_span(claim)), "text": " ".join(text[slice(*_span(claim))].split()),
                                  "tags": claim.get("tags"), "attribution": claim.get("attribution")}]
                out.append(row)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles of train")
    ap.add_argument("--misses", type=Path, default=None, help="write half A's misses and wrong sources here (jsonl)")
    ap.add_argument("--reports-dir", type=Path, default=None, help="write each report here as <doc_id>.json")
    args = ap.parse_args()
    if not TRAIN.exists():
        print(f"{TRAIN} is not here: nothing to score")
        return 2
    docs = [json.loads(line) for line in TRAIN.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = docs[:args.limit] if args.limit else docs
    started = time.perf_counter()
    with Checker(Settings(engine="rules")) as checker:
        reports = {d["doc_id"]: checker.report(d["text"]) for d in docs}
    print(f"   ran the rules engine on {len(docs)} articles in {time.perf_counter() - started:.1f} s")
    if args.reports_dir:
        args.reports_dir.mkdir(parents=True, exist_ok=True)
        for doc_id, report in reports.items():
            (args.reports_dir / f"{doc_id}.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    half_a, half_b = docs[:HALF], docs[HALF:]
    for name, group in (("train", docs), ("train A", half_a), ("train B", half_b)):
        print(summary_line(name, group, reports))
    if args.misses:
        rows = misses(half_a, reports)
        with open(args.misses, "w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        buckets: dict[str, int] = {}
        for row in rows:
            buckets[row["bucket"]] = buckets.get(row["bucket"], 0) + 1
        print(f"   half A: {len(rows)} rows -> {args.misses}: "
              + ", ".join(f"{k} {v}" for k, v in sorted(buckets.items(), key=lambda kv: -kv[1])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
