"""Train the subjectivity model shipped as verifier/data/subjectivity.json.

Data: NewsSD-ENG `train.csv` only (CC BY 4.0, Antici et al., LREC-COLING 2024), read from
`../shared/eval/external/newssd-eng/` or `$VERIFIER_EVAL_DATA/newssd-eng/`. The validation split is
never read here: it is for reporting. Logistic regression over hashed unigrams and bigrams, trained
by full-batch gradient descent from zero weights (deterministic: same data, same file). The decision
L2 strength is chosen by 5-fold cross-validation on train (macro-F1; 1e-4, 3e-4 and 1e-3 were
tried, 1e-4 was best, and only it is kept in the grid to keep the run short). The folds are
contiguous, so whole articles are held out (until the lexicon round they were interleaved; the
figures below are from then). The cross-validated threshold (0.46 then, 0.44 now) is printed;
the shipped threshold is SHIPPED_THRESHOLD = 0.60, higher on purpose:
at 0.46 the model alone called 58 of the 661 factual claims of Factcheck-Bench (Apache-2.0, a
development check) opinion and 2 of 3 of its firings on the team's gold set were wrong; at 0.60 it
called 2 of 661, while on NewsSD train (out of fold, with the rules) macro-F1 went from 0.696 to
0.671. See docs/accuracy.md.

    python scripts/train_subjectivity.py            # writes verifier/data/subjectivity.json
    python scripts/train_subjectivity.py --check    # cross-validation figures only
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.stages.subjectivity import Model, bucket, features, read  # noqa: E402

BUCKETS = 1 << 18
EPOCHS = 300
RATE = 0.5
L2_GRID = (1e-4,)
SHIPPED_THRESHOLD = 0.60
THRESHOLDS = tuple(t / 100 for t in range(20, 71, 2))
FOLDS = 5


def corpus_dir() -> Path:
    base = os.environ.get("VERIFIER_EVAL_DATA")
    return Path(base) if base else ROOT.parent / "shared" / "eval" / "external"


def load(path: Path) -> list[tuple[str, int]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return [(r["Sentence"].strip(), int(r["Label"].strip() == "SUBJ")) for r in csv.DictReader(fh)]


def vectorise(rows: list[tuple[str, int]]) -> list[tuple[dict[int, float], int]]:
    out = []
    for text, label in rows:
        vec: dict[int, float] = {}
        for f in features(text):
            b = bucket(f, BUCKETS)
            vec[b] = vec.get(b, 0.0) + 1.0
        out.append((vec, label))
    return out


def train(data: list[tuple[dict[int, float], int]], l2: float) -> tuple[float, dict[int, float]]:
    """Full-batch gradient descent on the class-balanced log loss."""
    pos = sum(y for _, y in data) or 1
    neg = (len(data) - pos) or 1
    weight = {1: len(data) / (2 * pos), 0: len(data) / (2 * neg)}
    w: dict[int, float] = {}
    bias = 0.0
    n = len(data)
    for _ in range(EPOCHS):
        grad: dict[int, float] = {}
        gb = 0.0
        for vec, y in data:
            z = bias + sum(w.get(k, 0.0) * v for k, v in vec.items())
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            g = (p - y) * weight[y]
            gb += g
            for k, v in vec.items():
                grad[k] = grad.get(k, 0.0) + g * v
        bias -= RATE * gb / n
        for k in set(grad) | set(w):
            w[k] = w.get(k, 0.0) - RATE * (grad.get(k, 0.0) / n + l2 * w.get(k, 0.0))
    return bias, w


def macro_f1(pairs: list[tuple[int, int]]) -> float:
    f1s = []
    for lab in (0, 1):
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        npred = sum(1 for _, p in pairs if p == lab)
        ngold = sum(1 for g, _ in pairs if g == lab)
        pr, rc = (tp / npred if npred else 0.0), (tp / ngold if ngold else 0.0)
        f1s.append(2 * pr * rc / (pr + rc) if pr + rc else 0.0)
    return sum(f1s) / 2


def fold(i: int, n: int) -> int:
    """Contiguous folds: the corpus lists an article's sentences together, so whole articles are
    held out (interleaved folds let a sentence's neighbours from its own article into training)."""
    return i * FOLDS // n


def cross_validate(rows: list[tuple[str, int]], l2: float) -> list[tuple[float, int]]:
    """(out-of-fold probability, gold) for every training sentence, in the rows' order."""
    out: list[tuple[float, int]] = [(0.0, 0)] * len(rows)
    for k in range(FOLDS):
        fit = [r for i, r in enumerate(rows) if fold(i, len(rows)) != k]
        bias, w = train(vectorise(fit), l2)
        m = Model(size=BUCKETS, bias=bias, weights=w, threshold=0.5)
        for i in (i for i in range(len(rows)) if fold(i, len(rows)) == k):
            text, y = rows[i]
            out[i] = (read(text, m).probability, y)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="print cross-validation figures, write nothing")
    ap.add_argument("--out", default=str(ROOT / "verifier" / "data" / "subjectivity.json"))
    args = ap.parse_args()
    rows = load(corpus_dir() / "newssd-eng" / "train.csv")
    best = (-1.0, 0.0, 0.5)
    oofs: dict[float, list[tuple[float, int]]] = {}
    for l2 in L2_GRID:
        oof = oofs[l2] = cross_validate(rows, l2)
        for t in THRESHOLDS:
            f = macro_f1([(y, int(p >= t)) for p, y in oof])
            if f > best[0]:
                best = (f, l2, t)
        print(f"l2={l2:g}: best cross-validated macro-F1 so far {best[0]:.3f} (l2={best[1]:g}, threshold={best[2]:.2f})")
    f1, l2, _ = best
    print(f"model alone at the shipped threshold {SHIPPED_THRESHOLD:.2f}: cross-validated macro-F1 "
          f"{macro_f1([(y, int(p >= SHIPPED_THRESHOLD)) for p, y in oofs[l2]]):.3f}")
    if args.check:
        return 0
    threshold = SHIPPED_THRESHOLD
    bias, w = train(vectorise(rows), l2)
    kept = {str(k): round(v, 4) for k, v in sorted(w.items()) if abs(v) >= 1e-3}
    Path(args.out).write_text(json.dumps(
        {"description": "Subjectivity model: logistic regression over crc32-hashed unigrams and bigrams "
                        "(verifier.stages.subjectivity.features), trained by scripts/train_subjectivity.py on "
                        "NewsSD-ENG train.csv (CC BY 4.0, Antici et al. 2024). Numbers only, no corpus text.",
         "buckets": BUCKETS, "bias": round(bias, 4), "threshold": threshold, "l2": l2,
         "cross_validated_threshold": best[2], "cross_validated_macro_f1": round(f1, 4),
         "weights": kept}, separators=(",", ":")) + "\n",
        encoding="utf-8")
    print(f"wrote {args.out}: {len(kept)} weights, threshold {threshold:.2f} (cross-validated "
          f"{best[2]:.2f}, macro-F1 {f1:.3f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
