"""Baselines: fingerprints survive moves, read/write round trip, only new findings remain."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests._ci_helpers import (
    DRAFT,
    QUOTE,
    article,
    failed_result,
    finding,
    result,
    standard_findings,
)
from verifier.model.errors import ConfigError
from verifier.stages.baseline import (
    apply_baseline,
    decision_keys,
    fingerprint,
    path_key,
    read_baseline,
    write_baseline,
)


def test_decision_keys_are_fingerprints_with_a_count_for_repeats() -> None:
    a = article()
    one = finding(a, "quote-altered", "error", QUOTE, "one message")
    other = finding(a, "benchmark-uncited", "warning", QUOTE, "one message")
    keys = decision_keys([one, other, one, one])
    assert keys == [fingerprint(one), fingerprint(other), fingerprint(one) + "#2", fingerprint(one) + "#3"]
    moved = article(raw="A new first paragraph.\n\n" + DRAFT)
    assert decision_keys([finding(moved, "quote-altered", "error", QUOTE, "m")]) == [fingerprint(one)]


def test_fingerprint_ignores_position_case_and_wrapping() -> None:
    a = article()
    moved = article(raw="Intro paragraph.\n\n" + DRAFT.replace(QUOTE, QUOTE.replace(", and", ",\nand")))
    f1 = finding(a, "quote-altered", "error", QUOTE, "one message")
    f2 = finding(moved, "quote-altered", "error", QUOTE.replace(", and", ",\nand"), "other message")
    assert f1.span and f2.span and f1.span.start != f2.span.start
    assert fingerprint(f1) == fingerprint(f2)
    f3 = finding(a, "benchmark-uncited", "warning", QUOTE, "one message")
    assert fingerprint(f3) != fingerprint(f1)
    f4 = finding(a, "quote-altered", "error", "Kestrel 3 matches", "one message")
    assert fingerprint(f4) != fingerprint(f1)


def test_write_then_read_accepts_everything(tmp_path: Path) -> None:
    results = [result(article(str(tmp_path / "drafts" / "a.md")))]
    file = tmp_path / "ci" / "baseline.json"
    assert write_baseline(file, results) == 3
    data = json.loads(file.read_text())
    assert data["version"] == 1 and data["tool"] == "verifier"
    assert {e["path"] for e in data["findings"]} == {"../drafts/a.md"}
    assert QUOTE in {e["text"] for e in data["findings"]}
    kept, stats = apply_baseline(results, read_baseline(file))
    assert kept[0].report.findings == [] and stats.accepted == 3 and stats.stale == 0
    assert kept[0].report.summary.findings.error == 0
    assert results[0].report.findings  # the input is not modified


def test_only_new_findings_remain_after_a_move(tmp_path: Path) -> None:
    path = str(tmp_path / "a.md")
    file = tmp_path / "baseline.json"
    write_baseline(file, [result(article(path))])
    edited = article(path, "New lede.\n\n" + DRAFT + "\nKestrel 3 crushes Lumen 2.\n")
    new = finding(edited, "benchmark-uncited", "warning", "Kestrel 3 crushes Lumen 2",
                  "A benchmark claim names no benchmark.")
    kept, stats = apply_baseline([result(edited, standard_findings(edited) + [new])],
                                 read_baseline(file))
    assert [f.span.text for f in kept[0].report.findings if f.span] == ["Kestrel 3 crushes Lumen 2"]
    assert kept[0].report.summary.findings.warning == 1 and stats.accepted == 3


def test_entries_are_per_article_and_counted(tmp_path: Path) -> None:
    a, b = str(tmp_path / "a.md"), str(tmp_path / "b.md")
    file = tmp_path / "baseline.json"
    art = article(a)
    one = finding(art, "quote-altered", "error", QUOTE, "m")
    write_baseline(file, [result(art, [one])])
    twice = [one, one.model_copy()]
    kept, stats = apply_baseline([result(art, twice), result(article(b), [one])], read_baseline(file))
    assert len(kept[0].report.findings) == 1  # the second identical finding is new
    assert len(kept[1].report.findings) == 1  # same words in another article are new
    assert stats.accepted == 1


def test_stale_entries_are_counted(tmp_path: Path) -> None:
    file = tmp_path / "baseline.json"
    write_baseline(file, [result(article(str(tmp_path / "a.md")))])
    _, stats = apply_baseline([result(article(str(tmp_path / "a.md")), [])], read_baseline(file))
    assert stats.stale == 3 and stats.accepted == 0


def test_baseline_is_independent_of_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "drafts").mkdir()
    file = tmp_path / "baseline.json"
    monkeypatch.chdir(tmp_path)
    write_baseline(file, [result(article("drafts/a.md"))])
    monkeypatch.chdir(tmp_path / "drafts")
    kept, stats = apply_baseline([result(article("a.md"))], read_baseline(file))
    assert stats.accepted == 3 and kept[0].report.findings == []


def test_failed_articles_pass_through(tmp_path: Path) -> None:
    file = tmp_path / "baseline.json"
    assert write_baseline(file, [failed_result(str(tmp_path / "x.md"))]) == 0
    kept, _ = apply_baseline([failed_result(str(tmp_path / "x.md"))], read_baseline(file))
    assert kept[0].failed


def test_path_key_for_stdin(tmp_path: Path) -> None:
    assert path_key(None, tmp_path / "b.json") == "<stdin>"


@pytest.mark.parametrize(("content", "words"), [
    (None, "baseline file not found"),
    ("{\n  \"version\": 1,\n  oops\n}", "not valid JSON"),
    ('{"version": 1, "findings": []}', "not a verifier baseline"),
    ('{"version": 9, "tool": "verifier", "findings": []}', "version 9 is not supported"),
    ('{"version": 1, "tool": "verifier", "findings": [{"rule": "x"}]}', "without a fingerprint"),
])
def test_bad_baseline_files(tmp_path: Path, content: str | None, words: str) -> None:
    file = tmp_path / "baseline.json"
    if content is not None:
        file.write_text(content)
    with pytest.raises(ConfigError) as info:
        read_baseline(file)
    assert words in str(info.value) and str(file) in str(info.value)
    if "JSON" in words:
        assert info.value.line == 3


def test_update_keeps_entries_of_articles_not_checked(tmp_path: Path) -> None:
    a, b = article(str(tmp_path / "a.md")), article(str(tmp_path / "b.md"))
    file = tmp_path / "baseline.json"
    assert write_baseline(file, [result(a), result(b)]) == 6
    # re-accepting a.md alone, now with one finding fewer, keeps b.md's three entries
    assert write_baseline(file, [result(a, standard_findings(a)[:2])]) == 5
    paths = [e["path"] for e in json.loads(file.read_text())["findings"]]
    assert paths.count("a.md") == 2 and paths.count("b.md") == 3
    kept, stats = apply_baseline([result(a), result(b)], read_baseline(file))
    assert [len(r.report.findings) for r in kept] == [1, 0] and stats.accepted == 5


def test_update_replaces_a_broken_file(tmp_path: Path) -> None:
    file = tmp_path / "baseline.json"
    file.write_text("{ not json", encoding="utf-8")
    assert write_baseline(file, [result(article(str(tmp_path / "a.md")))]) == 3
    assert read_baseline(file).accepted
