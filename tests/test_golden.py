"""Golden reports: the JSON report of every text of the project's own (examples/ and the gold cases
in eval/gold/, with their sources) is committed under tests/golden/, and must come out the same,
byte for byte. A change to the output that is meant is recorded by one command,

    python scripts/snapshot.py --update-golden

and reviewed with `git diff tests/golden`.
"""

from __future__ import annotations

import difflib
import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
UPDATE = "python scripts/snapshot.py --update-golden"


def _snapshot() -> ModuleType:
    spec = importlib.util.spec_from_file_location("snapshot", ROOT / "scripts" / "snapshot.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


snapshot = _snapshot()
CASES = snapshot.golden_cases()


def test_every_text_has_a_golden_report_and_every_golden_report_a_text():
    committed = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*.json")}
    assert committed == set(CASES), f"run `{UPDATE}`"
    assert {"examples/chipmaker-launch.md.json", "gold/09-altered-quotes.json"} <= committed


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_report_is_the_golden_one(name):
    article, sources = CASES[name]
    expected = (GOLDEN / name).read_text(encoding="utf-8")
    actual = snapshot.golden_report(article, sources)
    if actual != expected:
        diff = "".join(list(difflib.unified_diff(expected.splitlines(keepends=True),
                                                 actual.splitlines(keepends=True),
                                                 f"tests/golden/{name}", "now"))[:80])
        pytest.fail(f"the report of {article} changed; if that is meant, run `{UPDATE}`\n{diff}")


def test_a_gold_case_is_checked_against_its_sources():
    """The gold cases' sources reach the check: the altered-quotes case finds its altered quotes."""
    article, sources = CASES["gold/09-altered-quotes.json"]
    assert sources == ["eval/gold/09-altered-quotes/sources/hearing-transcript.txt"]
    report = snapshot.golden_report(article, sources)
    assert '"status": "altered"' in report and '"rule": "quote-altered"' in report
    assert '"status": "altered"' not in snapshot.golden_report(article, [])
