"""Time the pipeline on hostile drafts at two sizes, n and 4n: linear code takes about 4x as long.

    python scripts/bench_hostile.py              # the cases of the hardening list, n as there
    python scripts/bench_hostile.py --article    # a real article repeated to 1, 2 and 4 MB
    python scripts/bench_hostile.py --limit 60   # stop a case that runs longer (old code)
    python scripts/bench_hostile.py --only quotes  # the cases whose name holds "quotes"

Each line: the case, the input length at n and 4n, seconds for each (load and every stage, rules
engine, one core, CPU time of this process) and their ratio. Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import signal
import time
from pathlib import Path

from verifier.ingest import load
from verifier.model.config import Settings
from verifier.run import pipeline

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "wac-reuters.txt"
RULES = Settings(engine="rules")

CASES = {
    "'B'*n (.txt)": (lambda n: "B" * n, "text", 10_000),
    "'**a '*n (.md)": (lambda n: "**a " * n, "markdown", 10_000),
    "'['*n + ']('*n (.md)": (lambda n: "[" * n + "](" * n, "markdown", 10_000),
    "'<!--'*n (.md)": (lambda n: "<!--" * n, "markdown", 10_000),
    "'<!--'*n (.html)": (lambda n: "<!--" * n, "html", 10_000),
    "'<!--'*n (.html), large": (lambda n: "<!--" * n, "html", 75_000),
    "'“a'*n (.txt)": (lambda n: "“a" * n, "text", 10_000),
    "'he said “a”. '*n (.txt)": (lambda n: "he said “a”. " * n, "text", 2_500),
    "'<a '*n (.html)": (lambda n: "<a " * n, "html", 10_000),
    "' \\n'*n (.txt)": (lambda n: " \n" * n, "text", 10_000),
    # the slow drafts `scripts/fuzz.py` found: a long word of capitals in the windows of many
    # quotes (each quote reads the 400 characters before it), and a claim before `“a` repeated
    "'B'*n before 85 quotes (.txt)": (lambda n: _before_quotes("B" * n), "text", 1_600),
    "'Bb'*n before 85 quotes (.txt)": (lambda n: _before_quotes("Bb" * n), "text", 800),
    "claim + '“a'*n (.txt)": (lambda n: "Tern-3 outperforms GPT-4o on every benchmark, the company said. " + "“a" * n,
                              "text", 2_000),
    # a Q&A of n turns: every paragraph a label (stages.interview reads them once, by bisection)
    "'Q: a?\\n\\nRUIZ: b.\\n\\n'*n (.txt)": (lambda n: "Ana Ruiz spoke.\n\n" + "Q: Why a?\n\nRUIZ: Because b.\n\n" * n,
                                              "text", 1_000),
}


def _before_quotes(word: str) -> str:
    return f"Roe said so. {word} the model scored 87.5% on MMLU, Ana Ruiz said. " + "“a" * 85


class _Late(Exception):
    pass


def seconds(text: str, fmt: load.Format, limit: float) -> float | None:
    """CPU seconds for load + check, or None when over `limit` (wall clock)."""
    def late(signum: int, frame: object) -> None:
        raise _Late

    signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.process_time()
    try:
        pipeline.check_article(load.load_text(text, fmt=fmt), RULES, source_docs=[])
    except _Late:
        return None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return time.process_time() - started


def show(name: str, small: str, large: str, fmt: load.Format, limit: float) -> None:
    a = seconds(small, fmt, limit)
    b = seconds(large, fmt, limit) if a is not None else None
    fa = f"{a:8.2f}" if a is not None else f"   >{limit:.0f}"
    fb = f"{b:8.2f}" if b is not None else f"   >{limit:.0f}"
    ratio = f"{b / max(a, 1e-3):6.1f}x" if a is not None and b is not None else "     -"
    print(f"{name:30s} {len(small):>10,} {len(large):>10,} {fa} {fb} {ratio}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--article", action="store_true", help="a real article repeated to 1, 2, 4 MB")
    parser.add_argument("--limit", type=float, default=120.0, help="seconds before a run is cut off")
    parser.add_argument("--only", default="", help="only the cases whose name holds this text")
    args = parser.parse_args()
    print(f"{'case':30s} {'chars n':>10s} {'chars 4n':>10s} {'s at n':>8s} {'s at 4n':>8s} {'growth':>7s}")
    if args.article:
        story = SEED.read_text(encoding="utf-8") if SEED.exists() else \
            (ROOT / "examples" / "council-vote.txt").read_text(encoding="utf-8")
        for mb in (1, 2, 4):
            text = ((story + "\n\n") * (mb * 1_000_000 // len(story) + 1))[: mb * 1_000_000]
            t = seconds(text, "text", args.limit)
            print(f"article repeated to {mb} MB      {len(text):>10,} {'':>10s} "
                  f"{t if t is not None else float('nan'):8.2f}", flush=True)
        return
    for name, (make, fmt, n) in CASES.items():
        if args.only not in name:
            continue
        show(name, make(n), make(4 * n), fmt, args.limit)  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
