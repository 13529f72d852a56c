"""Measure each signal's precision per tag, and write verifier/data/signal_precision.json.

The llm engine adds a tag the model left out only when a signal that found it has a measured
precision of at least 0.9 (verify.TRUSTED_PRECISION, on verify.TRUSTED_MIN_N firings or more).
This script measures it with the rules engine on development data only:

- the team's gold set (eval/gold/): every gold claim covered by a claim, and the signals that
  fired on that claim; a firing for tag T is right when the gold claim carries T;
- NewsSD-ENG train.csv (opinion only): every claim in the publication's voice from a sentence; an
  opinion signal firing is right when the sentence is labelled SUBJ. The learned subjectivity
  model was trained on these sentences, so its own precision is measured on the gold set only.

    python scripts/signal_precision.py            # print the table, write the JSON
    python scripts/signal_precision.py --check    # print only
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from corpora import corpus_dir  # noqa: E402

from verifier.evaluation import evaluate  # noqa: E402
from verifier.ingest import load  # noqa: E402
from verifier.model.config import Settings  # noqa: E402
from verifier.model.schema import Tag  # noqa: E402
from verifier.run import pipeline  # noqa: E402
from verifier.stages import verify  # noqa: E402

OUT = ROOT / "verifier" / "data" / "signal_precision.json"


class Recorder:
    """Wraps verify.tag_evidence to keep each claim's signals, in the order claims are made."""

    def __init__(self) -> None:
        self.seen: list[dict[Tag, list[str]]] = []
        self.wrapped = verify.tag_evidence

    def __call__(self, *args: Any) -> dict[Tag, list[str]]:
        out = self.wrapped(*args)
        self.seen.append(out)
        return out


def _report(rec: Recorder, text: str, settings: Settings, path: str | None = None,
            sources: list[str] | None = None) -> tuple[Any, list[dict[Tag, list[str]]]]:
    rec.seen.clear()
    article = load.load_text(text, path=path)
    report = pipeline.check_article(article, settings, source_docs=[])  # a run of its own, closed
    return report, list(rec.seen)


def gold_counts(rec: Recorder, settings: Settings, fired: Counter[str], right: Counter[str]) -> None:
    for case in evaluate.load_gold(ROOT / "eval" / "gold"):
        report, evidence = _report(rec, case.raw, settings, str(case.article))
        spans = [[(c.span.start, c.span.end)] for c in report.claims]
        for g in case.claims:
            pi = evaluate.best_cover([g.span], spans)
            if pi is None:
                continue
            for tag, kinds in evidence[pi].items():
                for kind in kinds:
                    fired[f"{tag.value}:{kind}"] += 1
                    right[f"{tag.value}:{kind}"] += tag.value in g.tags


def newssd_counts(rec: Recorder, settings: Settings, fired: Counter[str], right: Counter[str]) -> None:
    path = corpus_dir() / "newssd-eng" / "train.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        _, evidence = _report(rec, row["Sentence"].strip(), settings)
        kinds = {k for ev in evidence if Tag.ATTRIBUTED not in ev for k in ev.get(Tag.OPINION, [])}
        for kind in kinds - {"subjectivity"}:  # in-sample for the model: not measured here
            fired[f"opinion:{kind}"] += 1
            right[f"opinion:{kind}"] += row["Label"].strip() == "SUBJ"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="print the table, write nothing")
    args = ap.parse_args()
    rec = Recorder()
    verify.tag_evidence = rec  # type: ignore[assignment]
    settings = Settings(engine="rules")
    fired: Counter[str] = Counter()
    right: Counter[str] = Counter()
    gold_counts(rec, settings, fired, right)
    newssd_counts(rec, settings, fired, right)
    table = {k: {"precision": round(right[k] / fired[k], 3), "n": fired[k]} for k in sorted(fired)}
    print("| tag: signal | precision | firings | adds a tag the model left out |")
    print("|---|---|---|---|")
    for key, v in table.items():
        ok = v["precision"] >= verify.TRUSTED_PRECISION and v["n"] >= verify.TRUSTED_MIN_N
        print(f"| {key} | {v['precision']:.3f} | {v['n']} | {'yes' if ok else 'no'} |")
    if not args.check:
        OUT.write_text(json.dumps(
            {"description": "Precision of each signal per tag, measured by scripts/signal_precision.py "
                            "with the rules engine on eval/gold and NewsSD-ENG train (opinion).",
             "signals": table}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
