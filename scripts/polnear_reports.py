"""Write one contract report per PolNeAR article, for ../shared/eval/polnear_quotes.py to score.

    python scripts/polnear_reports.py ../shared/eval/external/polnear/polnear_dev_subset.jsonl OUT_DIR
    python ../shared/eval/polnear_quotes.py ../shared/eval/external/polnear/polnear_dev_subset.jsonl OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from verifier import load, pipeline
from verifier.config import Settings
from verifier.extract import RulesExtractor


def main(gold: str, out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    settings = Settings(engine="rules")
    for line in Path(gold).read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        doc = json.loads(line)
        article = load.load_text(doc["text"], path=doc["doc_id"], fmt="text")
        report = pipeline.check_article(article, settings, RulesExtractor(), source_docs=[])
        (out / f"{doc['doc_id']}.json").write_text(report.model_dump_json(), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
