"""Where the published corpora are, for the scripts that train or measure on them:
`$VERIFIER_EVAL_DATA` when set, else `../shared/eval/external` beside the project."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def corpus_dir() -> Path:
    base = os.environ.get("VERIFIER_EVAL_DATA")
    return Path(base) if base else ROOT.parent / "shared" / "eval" / "external"
