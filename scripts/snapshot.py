"""Rules-engine reports of many texts, one JSON line each, for checking that a change (a speed-up,
a refactor) leaves every report as it was.

    python scripts/snapshot.py before.jsonl     # on the old commit
    python scripts/snapshot.py after.jsonl      # on the new one
    cmp before.jsonl after.jsonl                # silent when nothing changed

Texts: examples/, the gold set (eval/gold/), and, when ../shared is here, the seed article and the
first 400 items of each dev corpus under ../shared/eval/external/. The elapsed time a report
records is zeroed so that equal reports compare equal.

Golden reports: the project's own texts (examples/ and the gold cases in eval/gold/, each with its
sources) have their JSON reports committed under tests/golden/, and tests/test_golden.py fails when
a report differs. After a change to the output that is meant, one command rewrites them:

    python scripts/snapshot.py --update-golden

and `git diff tests/golden` shows what changed. No text from ../shared gets a golden report.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
from collections.abc import Iterator
from pathlib import Path

from verifier.ingest import load
from verifier.model.config import Settings
from verifier.run import pipeline
from verifier.run.context import RunContext

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
PER_CORPUS = 400
GOLDEN = ROOT / "tests" / "golden"


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


# --------------------------------------------------------------------------- golden reports


def golden_cases() -> dict[str, tuple[str, list[str]]]:
    """Golden file name -> (the article's path, its sources), paths relative to the project root:
    every article in examples/ (its sources come from its sibling .sources folder, as `verifier
    check` finds them) and every gold case (the sources its gold.json lists)."""
    cases: dict[str, tuple[str, list[str]]] = {}
    for path in sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in load.ARTICLE_SUFFIXES):
        cases[f"examples/{path.name}.json"] = (path.relative_to(ROOT).as_posix(), [])
    for gold in sorted((ROOT / "eval" / "gold").glob("*/gold.json")):
        case = json.loads(gold.read_text(encoding="utf-8"))
        folder = gold.parent.relative_to(ROOT)
        cases[f"gold/{gold.parent.name}.json"] = ((folder / case["article"]).as_posix(),
                                                  [(folder / s).as_posix() for s in case.get("sources", [])])
    return cases


def golden_report(article: str, sources: list[str]) -> str:
    """The JSON report of `article` (rules engine, its sources), as `verifier check --format json`
    gives it from the project root, with the elapsed time zeroed; indented, one file per text."""
    from verifier import check_paths

    with contextlib.chdir(ROOT):  # paths in the report stay relative to the project root
        report = check_paths([article], Settings(engine="rules", sources=sources))[0].model_dump(mode="json")
    report["usage"]["seconds"] = 0
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def update_golden() -> None:
    """Rewrite tests/golden/ from the current code; remove the files of texts that are gone."""
    cases = golden_cases()
    changed = []
    for name, (article, sources) in cases.items():
        path = GOLDEN / name
        text = golden_report(article, sources)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed.append(name)
    for stale in sorted(GOLDEN.rglob("*.json")):
        if stale.relative_to(GOLDEN).as_posix() not in cases:
            stale.unlink()
            changed.append(f"{stale.relative_to(GOLDEN).as_posix()} (removed)")
    print(f"{len(cases)} golden reports in {GOLDEN.relative_to(ROOT)}; {len(changed)} changed"
          + "".join(f"\n  {name}" for name in changed))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("output", type=Path, nargs="?", help="where to write the reports (JSON lines)")
    parser.add_argument("--update-golden", action="store_true",
                        help="rewrite the golden reports in tests/golden/ instead")
    args = parser.parse_args()
    if args.update_golden:
        update_golden()
        return
    if args.output is None:
        parser.error("give the output file, or --update-golden")
    settings = Settings(engine="rules")
    count = 0
    with args.output.open("w", encoding="utf-8") as out, RunContext(settings) as run:
        for name, text, fmt in texts():
            article = load.load_text(text, fmt=fmt)  # type: ignore[arg-type]
            report = pipeline.check_article(article, settings, source_docs=[], run=run).model_dump(mode="json")
            report["usage"]["seconds"] = 0
            out.write(json.dumps({"name": name, "report": report}, ensure_ascii=False) + "\n")
            count += 1
    print(f"{count} reports written to {args.output}")


if __name__ == "__main__":
    main()
