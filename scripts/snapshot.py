"""Rules-engine reports of many texts, one JSON line each, for checking that a change (a speed-up,
a refactor) leaves every report as it was.

    python scripts/snapshot.py before.jsonl     # on the old commit
    python scripts/snapshot.py after.jsonl      # on the new one
    cmp before.jsonl after.jsonl                # silent when nothing changed

Texts: examples/, the gold set (eval/gold/), and, when ../shared is here, the seed article and the
first 400 items of each dev corpus under ../shared/eval/external/. The elapsed time a report
records is zeroed so that equal reports compare equal.
"""

from __future__ import annotations

import argparse
import csv
import json
from collections.abc import Iterator
from pathlib import Path

from verifier.engines.extract import RulesExtractor
from verifier.ingest import load
from verifier.model.config import Settings
from verifier.run import pipeline

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PER_CORPUS = 400


def texts() -> Iterator[tuple[str, str, str]]:
    """(name, text, format) for every text to check."""
    articles = sorted(p for p in [*ROOT.glob("examples/*.*"), *ROOT.glob("eval/gold/*/article.*")] if p.is_file())
    seed = SHARED / "seed" / "wac-reuters.txt"
    for path in articles + ([seed] if seed.exists() else []):
        yield str(path.relative_to(path.parents[1])), path.read_text(encoding="utf-8"), load.ARTICLE_SUFFIXES[path.suffix]
    for path in sorted((SHARED / "eval" / "external").rglob("*")):
        for i, text in enumerate(_items(path)):
            if i == PER_CORPUS:
                break
            yield f"{path.name}:{i}", text, "text"


def _items(path: Path) -> Iterator[str]:
    if path.suffix == ".jsonl":
        for line in path.read_text(encoding="utf-8").splitlines():
            item = json.loads(line) if line.strip() else {}
            text = item.get("text") or item.get("sentence") or item.get("claim")
            if isinstance(text, str) and text.strip():
                yield text
    elif path.suffix in (".tsv", ".csv"):
        with path.open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f, delimiter="\t" if path.suffix == ".tsv" else ",")
            next(rows, None)  # the header
            for row in rows:
                text = max(row, key=len) if row else ""  # the sentence is the longest field
                if text.strip():
                    yield text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path, help="where to write the reports (JSON lines)")
    args = parser.parse_args()
    settings, extractor = Settings(engine="rules"), RulesExtractor()
    count = 0
    with args.output.open("w", encoding="utf-8") as out:
        for name, text, fmt in texts():
            article = load.load_text(text, fmt=fmt)  # type: ignore[arg-type]
            report = pipeline.check_article(article, settings, extractor, source_docs=[]).model_dump(mode="json")
            report["usage"]["seconds"] = 0
            out.write(json.dumps({"name": name, "report": report}, ensure_ascii=False) + "\n")
            count += 1
    print(f"{count} reports written to {args.output}")


if __name__ == "__main__":
    main()
