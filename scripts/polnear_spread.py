"""How much a PolNeAR speaker-accuracy figure can be trusted: where the errors sit, and its spread.

    python scripts/polnear_spread.py [--split train|dev|both] [--samples 5000] [--seed 0]

Speaker accuracy is a ratio over quotes, but quotes come in articles, and one article's quotes
share one layout and one speaker chain: an article that goes wrong goes wrong many times. This
script runs the quote stage as `scripts/polnear_eval.py` does, scores each article with
`--twosingle` (the product reads `''` as quotation marks), and prints for each split:

- the largest per-article error counts (wrong or missing speakers / scored quotes), as counts only
  (no article is named or read), and the share of all errors the worst 1, 3 and 5 articles hold;
- the accuracy without the worst article;
- a 95% interval from resampling whole articles (a cluster bootstrap, fixed seed);
- with `--split both`: where dev's figure falls among random train subsets of dev's size (how often
  news like train's scores as low as dev by chance).

Nothing here reads an article's text or its errors: only per-article counts. The PolNeAR test
split is never read.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from polnear_eval import DATA, run_split  # noqa: E402

from verifier.evaluation.corpora import PolnearOptions, score_polnear  # noqa: E402

Counts = tuple[int, int]  # (right, scored) for one article


def accuracy(articles: Sequence[Counts]) -> float:
    """Speaker accuracy over `articles`: right / scored, 0.0 with nothing scored."""
    scored = sum(n for _, n in articles)
    return sum(r for r, _ in articles) / scored if scored else 0.0


def worst(articles: Sequence[Counts]) -> list[Counts]:
    """The articles with speakers scored, most errors first (ties: more scored quotes first)."""
    return sorted((a for a in articles if a[1]), key=lambda a: (a[0] - a[1], -a[1]))


def error_share(articles: Sequence[Counts], top: int) -> float:
    """The share of all errors held by the `top` articles with most errors."""
    errors = sum(n - r for r, n in articles)
    return sum(n - r for r, n in worst(articles)[:top]) / errors if errors else 0.0


def bootstrap_interval(articles: Sequence[Counts], samples: int, seed: int) -> tuple[float, float]:
    """The central 95% of accuracies of `samples` resamplings of whole articles, with replacement."""
    rng = random.Random(seed)
    values = sorted(accuracy(rng.choices(articles, k=len(articles))) for _ in range(samples))
    return values[int(0.025 * samples)], values[int(0.975 * samples) - 1]


def share_at_or_below(articles: Sequence[Counts], size: int, figure: float, samples: int,
                      seed: int) -> float:
    """How often a random subset of `size` of `articles` (without replacement) scores <= `figure`."""
    rng = random.Random(seed)
    return sum(accuracy(rng.sample(list(articles), size)) <= figure for _ in range(samples)) / samples


def per_article(split: str) -> list[Counts]:
    docs, reports, _sieves = run_split(DATA / f"polnear_{split}.jsonl", None)
    _summary, rows = score_polnear(docs, reports, PolnearOptions(kind="direct", twosingle=True))
    return [(d["spk_ok"], d["spk_scored"]) for _doc_id, d in rows]


def describe(split: str, articles: Sequence[Counts], samples: int, seed: int) -> None:
    right, scored = sum(r for r, _ in articles), sum(n for _, n in articles)
    low, high = bootstrap_interval(articles, samples, seed)
    largest = ", ".join(f"{n - r}/{n}" for r, n in worst(articles)[:5])
    print(f"== {split} --twosingle: {len(articles)} articles, speaker accuracy {accuracy(articles):.3f} "
          f"({right}/{scored}), {scored - right} errors")
    print(f"   most errors in one article (errors/scored): {largest}")
    print("   share of the errors in the worst 1 / 3 / 5 articles: "
          + " / ".join(f"{error_share(articles, k):.2f}" for k in (1, 3, 5)))
    print(f"   without the worst article: {accuracy(worst(articles)[1:]):.3f}")
    print(f"   95% interval, articles resampled ({samples} samples, seed {seed}): {low:.3f} - {high:.3f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--split", choices=["train", "dev", "both"], default="both")
    ap.add_argument("--samples", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    splits = ["train", "dev"] if args.split == "both" else [args.split]
    if not all((DATA / f"polnear_{s}.jsonl").exists() for s in splits):
        print(f"{DATA} does not hold the PolNeAR splits: nothing to score")
        return 2
    figures = {}
    for split in splits:
        figures[split] = per_article(split)
        describe(split, figures[split], args.samples, args.seed)
    if len(figures) == 2:
        # articles with no speaker scored weigh nothing: compare like with like, scored ones only
        dev, train = worst(figures["dev"]), worst(figures["train"])
        for name, subset in (("dev", dev), ("dev without its worst article", dev[1:])):
            share = share_at_or_below(train, len(subset), accuracy(subset), args.samples, args.seed)
            print(f"== random subsets of train's articles, {len(subset)} with speakers scored, scoring <= {name}'s "
                  f"{accuracy(subset):.3f}: {share:.4f} of {args.samples}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
