"""Quote speakers on PolNeAR: the shared scorer's figures on train and dev, and each sieve's share.

    python scripts/polnear_eval.py [--split train|dev|both] [--limit N] [--errors FILE] [--halves] [--nyt]
        [--quote-errors FILE [--quote-errors-before OLD]] [--reports-dir DIR]

Runs the quote stage (load, segment, quotes: the only stages the `--kind direct` score reads) on
every article of `../shared/eval/external/polnear/polnear_{train,dev}.jsonl`, scores the quotes
exactly as `verifier eval --corpus polnear FILE --kind direct` does (`verifier.evaluation.corpora`, the same
rule as `../shared/eval/polnear_quotes.py`), and prints for each split: quote P/R/F1 and speaker
accuracy. For train it also prints each attribution sieve's precision (of the scored quotes it
named, the share named right) and coverage (the share of all scored quotes it named). Tune on
train, report on dev; the PolNeAR test split is never read. `--errors FILE` writes every wrong
or missing speaker on train (gold mention, ours, the sieve, the sentence) for bucketing.

`--halves` also splits train by article, in file order, into half A (the first 420 articles)
and half B (the other 420) and prints each half's figures. Then the sieve table and `--errors`
cover half A only: rules are developed on A's errors, and B's figure stands in for unseen news
(a change is kept when it helps A and does not hurt B; B's errors are never read).

Two scorer modes: every split is printed twice, with the scorer's default (`verifier eval --corpus
polnear FILE --kind direct`, `polnear_quotes.py` as it is) and with `--twosingle` (two
apostrophes, `''`, count as a quotation mark in the gold). The product reads `''` as quotation
marks in an article that writes them so (`quotemarks.quote_text`: every NYT article of train, 7 of
dev's), so the default counts those quotes as false positives and scores none of their speakers;
`--twosingle` scores them. In articles with ordinary marks the two modes agree. The figures are
those of `../shared/eval/polnear_quotes.py polnear_train.jsonl DIR --kind direct [--twosingle]`
run on the reports this script writes with `--reports-dir DIR` (one `<doc_id>.json` per article,
the report's `quotes`).

`--quote-errors FILE` writes the quote finding's own errors on train, scored with `--twosingle`:
every false positive (a quote of ours that matches no gold quote) and every false negative (a gold
quote none of ours matches), one JSON line each with the words, the speaker we gave, the sieve and
the text around it. They come from half A without NYT-b (the articles rules are developed on),
whatever else is asked: half B's and NYT-b's errors are never written. With
`--quote-errors-before OLD` (such a file written before a change) it also prints what the change
did there: each gold quote it lost (a false negative that OLD did not have), and how many false
positives went and came.

`--nyt` also prints train's New York Times articles (all in half A) as NYT-a (the first 60 in file
order, developed on) and NYT-b (the other 60, figure only), and then the sieve table and
`--errors` cover NYT-a only, scored with `--twosingle`.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path
from typing import Any

from verifier.evaluation.corpora import (
    PolnearOptions,
    _lower_words,
    name_tokens,
    polnear_gold_quotes,
    score_polnear,
)
from verifier.evaluation.evaluate import greedy_match
from verifier.ingest import load
from verifier.stages import quotes, segment

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "eval" / "external" / "polnear"


def quote_report(text: str) -> tuple[dict[str, Any], list[str | None]]:
    """The report's `quotes` (as the contract writes them) and the sieve that named each speaker."""
    article = load.load_text(text)
    found = quotes.find_quotes(article, segment.segment(article))
    return {"quotes": [q.model_dump(mode="json") for q in found.quotes]}, list(found.sieves)


def run_split(path: Path, limit: int | None) -> tuple[list[dict[str, Any]], dict[str, Any], dict[str, list[str | None]]]:
    docs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    docs = docs[:limit] if limit else docs
    reports, sieves = {}, {}
    for doc in docs:
        reports[doc["doc_id"]], sieves[doc["doc_id"]] = quote_report(doc["text"])
    return docs, reports, sieves


def scored_pairs(docs: list[dict[str, Any]], reports: dict[str, Any], sieves: dict[str, list[str | None]],
                 twosingle: bool = False):
    """(doc, gold quote, our quote, sieve, correct) for every matched quote whose gold speaker is a name."""
    for doc in docs:
        gold = polnear_gold_quotes(doc, twosingle)
        ours = reports[doc["doc_id"]]["quotes"]
        pairs = greedy_match([g["spans"] for g in gold],
                             [[(q["span"]["start"], q["span"]["end"])] for q in ours], 0.5)
        lower = _lower_words(doc["text"])
        for gi, pi in pairs:
            g, q = gold[gi], ours[pi]
            gn = name_tokens(g["source"], lower) if g["source"] else set()
            if not gn:
                continue
            ok = q["speaker"] is not None and bool(gn & name_tokens(q["speaker"]))
            yield doc, g, q, sieves[doc["doc_id"]][pi], ok


def sieve_table(rows: list[tuple[Any, ...]]) -> list[str]:
    total = len(rows)
    named: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for _doc, _g, _q, sieve, ok in rows:
        key = sieve or "(none)"
        named[key] += 1
        right[key] += ok
    lines = [f"{'sieve':24s} {'named':>6s} {'right':>6s} {'precision':>9s} {'coverage':>8s}"]
    for key, n in sorted(named.items(), key=lambda kv: quotes.SIEVES.index(kv[0]) if kv[0] in quotes.SIEVES else 99):
        prec = right[key] / n if key != "(none)" else 0.0
        lines.append(f"{key:24s} {n:6d} {right[key]:6d} {prec:9.3f} {n / total:8.3f}")
    return lines


HALF = 420


def halves(docs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Train's half A (the first `HALF` articles in file order, developed on) and half B (the rest)."""
    return docs[:HALF], docs[HALF:]


NYT = "nyt"
NYT_HALF = 60


def nyt_halves(docs: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Train's New York Times articles: NYT-a (the first `NYT_HALF` in file order, developed on)
    and NYT-b (the rest)."""
    nyt = [d for d in docs if d.get("publisher") == NYT]
    return nyt[:NYT_HALF], nyt[NYT_HALF:]


def summary_line(name: str, docs: list[dict[str, Any]], reports: dict[str, Any], seconds: float | None = None,
                 twosingle: bool = False) -> str:
    """One split's scorer figures on one line (`twosingle`: the scorer's `--twosingle`)."""
    summary, _rows = score_polnear(docs, reports, PolnearOptions(kind="direct", twosingle=twosingle))
    took = f" ({seconds:.1f} s)" if seconds is not None else ""
    name = f"{name} --twosingle" if twosingle else name
    return (f"== {name}: {summary['articles']} articles{took}  direct quotes "
            f"P={summary['precision']:.3f} R={summary['recall']:.3f} F1={summary['f1']:.3f}  "
            f"speaker accuracy {summary['speaker_accuracy']:.3f} ({summary['speaker_correct']}/"
            f"{summary['speaker_scored']}, {summary['speaker_pred_null']} with none)")


def write_reports(folder: Path, reports: dict[str, Any]) -> None:
    """One `<doc_id>.json` per article: what `polnear_quotes.py` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, report in reports.items():
        (folder / f"{doc_id}.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")


def write_errors(path: Path, rows: list[tuple[Any, ...]]) -> None:
    """Every wrong or missing speaker of `rows`, one JSON line each."""
    with open(path, "w", encoding="utf-8") as fh:
        for doc, g, q, sieve, ok in rows:
            if not ok:
                at = g["spans"][0][0]
                fh.write(json.dumps({
                    "doc": doc["doc_id"], "gold": g["source"], "ours": q["speaker"],
                    "mention": q.get("speaker_mention"), "sieve": sieve,
                    "context": doc["text"][max(0, at - 250):g["spans"][0][1] + 150]},
                    ensure_ascii=False) + "\n")


def quote_errors(docs: list[dict[str, Any]], reports: dict[str, Any],
                 sieves: dict[str, list[str | None]], twosingle: bool = True) -> list[dict[str, Any]]:
    """The false positives and false negatives of the quote finding in `docs`, matched as the
    scorer matches them (`score_polnear_doc`): one dict each, `error` "fp" or "fn"."""
    out: list[dict[str, Any]] = []
    for doc in docs:
        text = doc["text"]
        gold = polnear_gold_quotes(doc, twosingle)
        ours = reports[doc["doc_id"]]["quotes"]
        pairs = greedy_match([g["spans"] for g in gold],
                             [[(q["span"]["start"], q["span"]["end"])] for q in ours], 0.5)
        matched_gold = {gi for gi, _ in pairs}
        matched_ours = {pi for _, pi in pairs}
        for pi, q in enumerate(ours):
            if pi in matched_ours:
                continue
            start, end = q["span"]["start"], q["span"]["end"]
            out.append({"doc": doc["doc_id"], "error": "fp", "at": start, "text": text[start:end],
                        "kind": q["kind"], "speaker": q["speaker"], "cue": q["cue"],
                        "sieve": sieves[doc["doc_id"]][pi],
                        "context": text[max(0, start - 200):end + 120]})
        for gi, g in enumerate(gold):
            if gi in matched_gold:
                continue
            start, end = g["spans"][0]
            out.append({"doc": doc["doc_id"], "error": "fn", "at": start, "text": g["text"],
                        "gold_source": g["source"], "qtype": g["qtype"],
                        "context": text[max(0, start - 200):end + 120]})
    return out


def compare_quote_errors(before: list[dict[str, Any]], after: list[dict[str, Any]]) -> list[str]:
    """What a change did to the quote errors (`--quote-errors-before`): the gold quotes it lost,
    one line each, then the counts of false positives gone and new and false negatives gone.
    Errors are the same when their article, kind and offset are."""
    def keys(rows: list[dict[str, Any]], error: str) -> dict[tuple[str, int], dict[str, Any]]:
        return {(r["doc"], r["at"]): r for r in rows if r["error"] == error}
    fn_before, fn_after = keys(before, "fn"), keys(after, "fn")
    fp_before, fp_after = keys(before, "fp"), keys(after, "fp")
    lost = [fn_after[k] for k in sorted(fn_after.keys() - fn_before.keys())]
    lines = [f"   gold quotes lost: {len(lost)}"]
    for row in lost:
        lines.append(f"     {row['doc'][:40]} @{row['at']}: {' '.join(row['text'].split())[:100]!r}")
    lines.append(f"   false positives gone: {len(fp_before.keys() - fp_after.keys())}, new: "
                 f"{len(fp_after.keys() - fp_before.keys())}; false negatives gone: "
                 f"{len(fn_before.keys() - fn_after.keys())}")
    return lines


def write_quote_errors(path: Path, docs: list[dict[str, Any]], reports: dict[str, Any],
                       sieves: dict[str, list[str | None]], before: Path | None = None) -> None:
    """`--quote-errors`: half A's quote errors without NYT-b's articles, one JSON line each; with
    `before`, what changed since that file (`compare_quote_errors`)."""
    unseen = {d["doc_id"] for d in nyt_halves(docs)[1]}
    developed = [d for d in halves(docs)[0] if d["doc_id"] not in unseen]
    rows = quote_errors(developed, reports, sieves)
    with open(path, "w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    fp = sum(r["error"] == "fp" for r in rows)
    print(f"   quote errors of half A without NYT-b ({len(developed)} articles, --twosingle): "
          f"{fp} false positives, {len(rows) - fp} false negatives -> {path}")
    if before is not None:
        old = [json.loads(line) for line in before.read_text(encoding="utf-8").splitlines() if line.strip()]
        for line in compare_quote_errors(old, rows):
            print(line)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["train", "dev", "both"], default="both")
    ap.add_argument("--limit", type=int, default=None, help="only the first N articles of each split")
    ap.add_argument("--errors", type=Path, default=None, help="write train speaker errors here (jsonl)")
    ap.add_argument("--halves", action="store_true",
                    help="also print train's halves A and B; sieves and errors from A only")
    ap.add_argument("--reports-dir", type=Path, default=None,
                    help="write each article's quotes here as <doc_id>.json (what the shared scorer reads)")
    ap.add_argument("--quote-errors", type=Path, default=None,
                    help="write train quote false positives and negatives here (jsonl; half A without NYT-b)")
    ap.add_argument("--quote-errors-before", type=Path, default=None,
                    help="with --quote-errors: an earlier such file; print the gold quotes lost since")
    ap.add_argument("--nyt", action="store_true",
                    help="also print train's NYT-a and NYT-b; sieves and errors from NYT-a only (--twosingle)")
    args = ap.parse_args()
    splits = ["train", "dev"] if args.split == "both" else [args.split]
    for split in splits:
        path = DATA / f"polnear_{split}.jsonl"
        if not path.exists():
            print(f"{path} is not here: nothing to score")
            return 2
        started = time.perf_counter()
        docs, reports, sieves = run_split(path, args.limit)
        took = time.perf_counter() - started
        if args.reports_dir:
            write_reports(args.reports_dir / split, reports)
        for twosingle in (False, True):
            print(summary_line(split, docs, reports, took if not twosingle else None, twosingle))
        if split != "train":
            continue
        if args.quote_errors:
            write_quote_errors(args.quote_errors, docs, reports, sieves, args.quote_errors_before)
        groups = []
        if args.halves:
            groups += list(zip(("train A", "train B"), halves(docs), strict=True))
        if args.nyt:
            groups += list(zip(("NYT-a", "NYT-b"), nyt_halves(docs), strict=True))
        for name, group in groups:
            for twosingle in (False, True):
                print(summary_line(name, group, reports, None, twosingle))
        twosingle = args.nyt
        if args.nyt:
            docs = nyt_halves(docs)[0]  # the sieve table and the errors: NYT-a only
        elif args.halves:
            docs = halves(docs)[0]  # the sieve table and the errors: half A only
        rows = list(scored_pairs(docs, reports, sieves, twosingle))
        for line in sieve_table(rows):
            print("   " + line)
        if args.errors:
            write_errors(args.errors, rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
