"""Rules-engine speed: articles per second and milliseconds per article.

    python scripts/bench.py [--seconds 3] [--stages] [--cpu]

Measures the whole pipeline after reading the file (load from text, segment, quotes, extract,
ground, verify, report) plus JSON rendering, on one core, on:
  - the example articles (examples/),
  - the PolNeAR dev texts (../shared/eval/external/polnear/, when that folder is here),
  - synthetic articles of about 1,000 words, and the same at 4x and 16x length,
and prints figures, so growth with length can be read off (it should be about linear).
With --stages it also splits the time of the synthetic 1x article by pipeline stage. With --cpu
every figure is this process's CPU time (`time.process_time`) rather than wall-clock time: steadier
on a machine others are using, though their work still slows ours through shared caches.
"""

from __future__ import annotations

import argparse
import functools
import json
import statistics
import time
from pathlib import Path

from verifier.engines.extract import RulesExtractor
from verifier.ingest import load
from verifier.model.config import Settings
from verifier.run import pipeline
from verifier.stages import names

ROOT = Path(__file__).resolve().parents[1]
POLNEAR = ROOT.parent / "shared" / "eval" / "external" / "polnear" / "polnear_dev_subset.jsonl"
SETTINGS = Settings(engine="rules")
EXTRACTOR = RulesExtractor()
clock = time.perf_counter  # what every figure is timed with (--cpu: time.process_time)


def check(text: str, fmt: str = "text") -> None:
    # the benchmark checks the same texts over and over; an archive does not: start each article
    # without what the name caches kept from the last one
    names.clean_name.cache_clear()
    names._tokens.cache_clear()
    article = load.load_text(text, fmt=fmt)  # type: ignore[arg-type]
    pipeline.check_article(article, SETTINGS, EXTRACTOR, source_docs=[]).model_dump_json()


def measure(name: str, texts: list[tuple[str, str]], seconds: float) -> float:
    """Print the figures for `texts`; return words per second."""
    words = sum(len(t.split()) for t, _ in texts) / len(texts)
    runs: list[float] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(runs) < 3:
        started = clock()
        for text, fmt in texts:
            check(text, fmt)
        runs.append((clock() - started) / len(texts))
    per = statistics.median(runs)
    print(f"{name:34s} {len(texts):4d} articles  {words:8.0f} words/article  "
          f"{per * 1000:8.2f} ms/article  {1 / per:8.1f} articles/s  "
          f"{words / per / 1000:7.1f}k words/s")
    return words / per


def stages(text: str, seconds: float) -> None:
    """Median milliseconds per stage, timed between the stage announcements `check_article` makes
    (so the split follows the pipeline as it is), plus loading and JSON rendering."""
    runs: dict[str, list[float]] = {}
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline or len(runs.get("load", ())) < 3:
        names.clean_name.cache_clear()
        names._tokens.cache_clear()
        marks = [("load", clock())]
        mark = functools.partial(_mark, marks)
        article = load.load_text(text)
        built = pipeline.check_article(article, SETTINGS, EXTRACTOR, source_docs=[], progress=mark)
        marks.append(("JSON", clock()))
        built.model_dump_json()
        marks.append(("", clock()))
        for (stage, before), (_, after) in zip(marks[:-1], marks[1:], strict=True):
            runs.setdefault(stage, []).append(after - before)
    medians = {stage: statistics.median(times) * 1000 for stage, times in runs.items()}
    print("  stages (median ms): " + ";  ".join(f"{n} {ms:.2f}" for n, ms in medians.items())
          + f"  = {sum(medians.values()):.2f}")


def _mark(marks: list[tuple[str, float]], stage: str) -> None:
    marks.append((stage, clock()))


def synthetic(base: str, words: int) -> str:
    paragraphs = [p for p in base.split("\n\n") if p.strip()]
    out: list[str] = []
    count = 0
    while count < words:
        paragraph = paragraphs[len(out) % len(paragraphs)]
        out.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time spent per measurement")
    parser.add_argument("--stages", action="store_true", help="also time each stage (synthetic 1x)")
    parser.add_argument("--cpu", action="store_true", help="time with this process's CPU time, not the wall clock")
    args = parser.parse_args()
    global clock
    if args.cpu:
        clock = time.process_time
    examples = [(p.read_text(encoding="utf-8"), load.ARTICLE_SUFFIXES[p.suffix])
                for p in sorted((ROOT / "examples").glob("*.*")) if p.is_file()]
    check(*examples[0])  # warm up imports and regex compilation
    measure("examples/", examples, args.seconds)
    if POLNEAR.exists():
        docs = [json.loads(line)["text"] for line in POLNEAR.read_text(encoding="utf-8").splitlines() if line]
        measure("PolNeAR dev texts", [(d, "text") for d in docs], args.seconds)
    base = "\n\n".join(text.split("\n\n", 1)[1] for text, fmt in examples if fmt == "text")
    if POLNEAR.exists():
        base += "\n\n" + "\n\n".join(docs)
    rates = {}
    for factor in (1, 4, 16):
        rates[factor] = measure(f"synthetic {factor}x (~{1000 * factor} words)",
                                [(synthetic(base, 1000 * factor), "text")], args.seconds)
        if factor == 1 and args.stages:
            stages(synthetic(base, 1000), args.seconds)
    print(f"articles of 1,000 words per second (synthetic 1x, scaled to 1,000 words): {rates[1] / 1000:.0f} "
          f"(target: 200); time per word 16x/1x: {rates[1] / rates[16]:.2f} (1.00 = linear)")


if __name__ == "__main__":
    main()
