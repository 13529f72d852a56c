"""Focus (`--changed-since`): decided once, from the paragraphs git says changed, and honoured the
same way by both engines: no claim and no finding from a paragraph left out of focus.

The llm engine runs against the real local HTTP server of tests/llm_server.py, which answers
every numbered sentence it is sent with one claim (a hand-built answer, served over HTTP).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

from tests.llm_server import Step, completion, serve
from verifier.engines.extract import RulesExtractor
from verifier.ingest import load
from verifier.model.config import Settings
from verifier.model.schema import Article, Report
from verifier.run import pipeline
from verifier.stages.segment import segment

DRAFT = (
    "The harbour council opened the new bridge on Monday.\n"
    "\n"
    "The council said the bridge cost 40 million euros to build.\n"
    "\n"
    "The bridge carries 12,000 cars a day across the river.\n"
    "\n"
    "Traffic on the old road fell by half in the first month.\n"
)
EDITED = DRAFT.replace("12,000 cars", "15,000 cars")
CHANGED = "The bridge carries 15,000 cars a day across the river."
_NUMBERED = re.compile(r"^\[(\d+)\] (.+)$", re.MULTILINE)


def _git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
                   cwd=repo, check=True, capture_output=True)


def _edited_draft(tmp_path: Path) -> Path:
    """A draft committed to git, then edited in its third paragraph."""
    path = tmp_path / "bridge.txt"
    path.write_text(DRAFT, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "draft")
    path.write_text(EDITED, encoding="utf-8")
    return path


def _load(path: Path, settings: Settings) -> Article:
    return load.load_target(load.Target(str(path)), settings)


def _passage(request: dict[str, Any]) -> str:
    """The numbered sentences the model was sent (the context before them left out)."""
    return str(request["messages"][1]["content"]).split("<<<PASSAGE")[1]


def _every_sentence(request: dict[str, Any]) -> Step:
    """One claim per numbered sentence of the passage, the whole sentence each."""
    claims = [{"sentences": [int(n)], "clause": None, "claim": words, "tags": [], "speaker": None}
              for n, words in _NUMBERED.findall(_passage(request))]
    return Step(body=completion({"claims": claims}))


def _llm_settings(base_url: str, **kw: Any) -> Settings:
    return Settings(engine="llm", base_url=base_url, model="test-model", max_retries=0,
                    cache=False, timeout=5.0, **kw)


def _claim_texts(report: Report) -> list[str]:
    return [c.span.text for c in report.claims]


def test_focus_is_the_changed_paragraph_only(tmp_path: Path) -> None:
    path = _edited_draft(tmp_path)
    article = _load(path, Settings(changed_since="HEAD"))
    paragraphs = segment(article).paragraphs
    assert [article.text[p.start:p.end] for p in paragraphs if p.in_focus] == [CHANGED]
    assert sum(not p.checkable for p in paragraphs) == 3


def test_the_rules_engine_takes_no_claim_from_an_unchanged_paragraph(tmp_path: Path) -> None:
    path = _edited_draft(tmp_path)
    focused = _load(path, Settings(changed_since="HEAD"))
    drafts = RulesExtractor().extract(focused, segment(focused)).drafts
    assert [d.evidence for d in drafts] == [CHANGED]
    whole = _load(path, Settings())  # without focus: every paragraph's claim
    assert len(RulesExtractor().extract(whole, segment(whole)).drafts) == 4


def test_both_engines_report_the_same_claims_under_focus(tmp_path: Path) -> None:
    path = _edited_draft(tmp_path)
    rules_settings = Settings(engine="rules", changed_since="HEAD")
    rules = pipeline.check_article(_load(path, rules_settings), rules_settings, source_docs=[])
    with serve(handler=_every_sentence) as server:
        llm_settings = _llm_settings(server.base_url, changed_since="HEAD")
        llm = pipeline.check_article(_load(path, llm_settings), llm_settings, source_docs=[])
        passages = [_NUMBERED.findall(_passage(r)) for r in server.requests]
    assert _claim_texts(rules) == _claim_texts(llm) == [CHANGED]
    assert passages == [[("1", CHANGED)]]  # the model reads the changed paragraph only
    for report in (rules, llm):
        assert all(f.span is None or f.span.text in CHANGED for f in report.findings)


def test_without_focus_both_engines_report_every_paragraph(tmp_path: Path) -> None:
    path = _edited_draft(tmp_path)
    rules = pipeline.check_article(_load(path, Settings()), Settings(), source_docs=[])
    with serve(handler=_every_sentence) as server:
        llm_settings = _llm_settings(server.base_url)
        llm = pipeline.check_article(_load(path, llm_settings), llm_settings, source_docs=[])
    assert len(_claim_texts(rules)) == 4 and _claim_texts(llm) == _claim_texts(rules)


def test_a_finding_on_an_unchanged_line_of_a_changed_paragraph_is_kept(tmp_path: Path) -> None:
    """Reproducer: in a paragraph of two lines with only the second changed, the first line's claim
    was reported but its finding dropped: focus is the paragraph, for claims and findings alike."""
    path = tmp_path / "wrapped.txt"
    wrapped = DRAFT.replace("river.\n\nTraffic", "river.\nTraffic")
    path.write_text(wrapped, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", ".")
    _git(tmp_path, "commit", "-qm", "draft")
    path.write_text(wrapped.replace("first month", "first week"), encoding="utf-8")
    settings = Settings(changed_since="HEAD")
    report = pipeline.check_article(_load(path, settings), settings, source_docs=[])
    assert [c.span.line for c in report.claims] == [5, 6]
    assert sorted({f.span.line for f in report.findings if f.span}) == [5, 6]
