"""Measure each signal's precision per tag, and write verifier/data/signal_precision.json.

The llm engine adds a tag the model left out only when a signal that found it has a measured
precision of at least 0.9 (verify.TRUSTED_PRECISION, on verify.TRUSTED_MIN_N firings or more).
This script measures it with the rules engine on development data only:

- the team's gold set (eval/gold/): every gold claim covered by a claim, and the signals that
  fired on that claim; a firing for tag T is right when the gold claim carries T;
- NewsSD-ENG train.csv (opinion only): every claim in the publication's voice from a sentence; an
  opinion signal firing is right when the sentence is labelled SUBJ. The learned subjectivity
  model was trained on these sentences, so its own precision is measured on the gold set only;
- PolNeAR train (`attributed` only; polnear_train.jsonl, never dev or test): every claim the rules
  engine tags `attributed`, and the signal that found it; a firing is right when its claim and a
  gold attribution (any kind: direct, mixed, indirect) pass the `--kind all` scorer's pair test
  (`evaluate.overlap`: shared characters at least 0.5 of the shorter side). Not its one-to-one
  match: a claim that is the second sentence of one long attributed passage is attributed, and is
  right here.

The figures of the sources are added up per signal; the table prints each source's share too.

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
from verifier.evaluation.corpora import polnear_gold_attributions  # noqa: E402
from verifier.ingest import load  # noqa: E402
from verifier.model.config import Settings  # noqa: E402
from verifier.model.schema import Tag  # noqa: E402
from verifier.run import pipeline  # noqa: E402
from verifier.stages import signals, verify  # noqa: E402

OUT = ROOT / "verifier" / "data" / "signal_precision.json"
POLNEAR_THRESHOLD = 0.5  # the scorer's pair test (corpora.PolnearOptions.threshold)


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


def polnear_counts(rec: Recorder, settings: Settings, fired: Counter[str], right: Counter[str]) -> None:
    path = corpus_dir() / "polnear" / "polnear_train.jsonl"
    if not path.exists():
        print(f"{path} is not here: PolNeAR train not measured", file=sys.stderr)
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        rec.seen.clear()
        article = load.load_text(doc["text"], fmt="text")
        report = pipeline.check_article(article, settings, source_docs=[])
        evidence = list(rec.seen)
        if len(evidence) != len(report.claims):
            raise RuntimeError(f"{doc['doc_id']}: {len(evidence)} evidence sets for {len(report.claims)} claims")
        tagged = [i for i, c in enumerate(report.claims) if Tag.ATTRIBUTED in c.tags]
        gold = [g["spans"] for g in polnear_gold_attributions(doc)]
        for i in tagged:
            claim = [(report.claims[i].span.start, report.claims[i].span.end)]
            ok = any(evaluate.overlap(g, claim)[0] >= POLNEAR_THRESHOLD for g in gold)
            for kind in evidence[i].get(Tag.ATTRIBUTED, []):
                fired[f"attributed:{kind}"] += 1
                right[f"attributed:{kind}"] += ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="print the table, write nothing")
    args = ap.parse_args()
    rec = Recorder()
    verify.tag_evidence = rec  # type: ignore[assignment]
    settings = Settings(engine="rules")
    parts: dict[str, tuple[Counter[str], Counter[str]]] = {}
    for name, count in (("gold", gold_counts), ("NewsSD", newssd_counts), ("PolNeAR", polnear_counts)):
        parts[name] = Counter(), Counter()
        count(rec, settings, *parts[name])
    fired = sum((f for f, _ in parts.values()), Counter())
    right = sum((r for _, r in parts.values()), Counter())
    # every attribution signal has a row, one that never fired too (precision 0 over 0 firings:
    # the llm engine adds no tag from it), so that a signal the data no longer reaches says so
    keys = sorted(set(fired) | {f"attributed:{name}" for name in signals.SIGNALS})
    table = {k: {"precision": round(right[k] / fired[k], 3) if fired[k] else 0.0, "n": fired[k]} for k in keys}
    print("| tag: signal | precision | firings | adds a tag the model left out | "
          + " | ".join(f"{name} right/fired" for name in parts) + " |")
    print("|---|---|---|---|" + "---|" * len(parts))
    for key, v in table.items():
        ok = v["precision"] >= verify.TRUSTED_PRECISION and v["n"] >= verify.TRUSTED_MIN_N
        each = " | ".join(f"{r[key]}/{f[key]}" if f[key] else "" for f, r in parts.values())
        print(f"| {key} | {v['precision']:.3f} | {v['n']} | {'yes' if ok else 'no'} | {each} |")
    if not args.check:
        OUT.write_text(json.dumps(
            {"description": "Precision of each signal per tag, measured by scripts/signal_precision.py "
                            "with the rules engine on eval/gold, NewsSD-ENG train (opinion) and PolNeAR train (attributed).",
             "signals": table}, indent=1) + "\n", encoding="utf-8")
        print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
