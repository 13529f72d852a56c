"""--changed-since: raw offsets of the lines a git diff says changed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests._ci_helpers import git
from verifier.ingest.changed import changed_lines, changed_ranges, line_ranges
from verifier.model.errors import UsageError

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

V1 = (
    "# Kestrel 3\n"
    "\n"
    "Orbital Lantern released Kestrel 3 on Tuesday.\n"
    "\n"
    "“It is the best model we have built,” said Zoë Brandvold-Ngata.\n"
    "It runs on the company’s own chips.\n"
    "\n"
    "Analysts were unconvinced.\n"
)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "drafts").mkdir()
    (tmp_path / "drafts" / "kestrel.md").write_text(V1, encoding="utf-8")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "first draft")
    return tmp_path


def covered(raw: str, ranges: list[tuple[int, int]]) -> list[str]:
    return [raw[s:e] for s, e in ranges]


def test_unchanged_file_has_no_ranges(repo: Path) -> None:
    assert changed_ranges(str(repo / "drafts" / "kestrel.md"), "HEAD", V1) == []


def test_edited_line_is_the_only_range(repo: Path) -> None:
    v2 = V1.replace("best model we have built", "best model anyone has built")
    path = repo / "drafts" / "kestrel.md"
    path.write_text(v2, encoding="utf-8")
    ranges = changed_ranges(str(path), "HEAD", v2)
    assert covered(v2, ranges) == ["“It is the best model anyone has built,” said Zoë Brandvold-Ngata.\n"]
    # the offsets are code points of the raw text, after the curly quotes and "ë"
    assert ranges == [(v2.index("“It is"), v2.index("It runs"))]


def test_committed_and_uncommitted_changes_since_a_revision(repo: Path) -> None:
    path = repo / "drafts" / "kestrel.md"
    v2 = V1 + "\nA new closing paragraph.\n"
    path.write_text(v2, encoding="utf-8")
    git(repo, "commit", "-qam", "add ending")
    v3 = v2.replace("Orbital Lantern released", "Orbital Lantern quietly released")
    path.write_text(v3, encoding="utf-8")
    text = covered(v3, changed_ranges(str(path), "HEAD~1", v3) or [])
    assert text == ["Orbital Lantern quietly released Kestrel 3 on Tuesday.\n",
                    "\nA new closing paragraph.\n"]
    assert covered(v3, changed_ranges(str(path), "HEAD", v3) or []) == [text[0]]


def test_deleted_line_marks_its_neighbours(repo: Path) -> None:
    path = repo / "drafts" / "kestrel.md"
    v2 = V1.replace("It runs on the company’s own chips.\n", "")
    path.write_text(v2, encoding="utf-8")
    text = covered(v2, changed_ranges(str(path), "HEAD", v2) or [])
    assert text == ["“It is the best model we have built,” said Zoë Brandvold-Ngata.\n\n"]


def test_new_file_is_checked_whole(repo: Path) -> None:
    new = repo / "drafts" / "new.md"
    new.write_text("Brand new.\n", encoding="utf-8")
    assert changed_ranges(str(new), "HEAD", "Brand new.\n") is None
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "new")
    assert changed_ranges(str(new), "HEAD~1", "Brand new.\n") is None
    assert changed_ranges(str(new), "HEAD", "Brand new.\n") == []


def test_file_in_a_subdirectory_with_spaces(repo: Path) -> None:
    folder = repo / "desk notes"
    folder.mkdir()
    path = folder / "été draft.md"
    path.write_text(V1, encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "notes")
    v2 = V1.replace("Analysts were unconvinced.", "Analysts were impressed.")
    path.write_text(v2, encoding="utf-8")
    assert covered(v2, changed_ranges(str(path), "HEAD", v2) or []) == ["Analysts were impressed.\n"]


def test_unknown_revision_and_no_repository(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    with pytest.raises(UsageError, match="unknown git revision 'no-such-rev'"):
        changed_ranges(str(repo / "drafts" / "kestrel.md"), "no-such-rev", V1)
    outside = tmp_path_factory.mktemp("plain") / "a.md"
    outside.write_text(V1, encoding="utf-8")
    if subprocess.run(["git", "rev-parse"], cwd=outside.parent, capture_output=True).returncode == 0:
        pytest.skip("the temporary directory lies inside a git repository")
    with pytest.raises(UsageError, match="not in a git repository"):
        changed_ranges(str(outside), "HEAD", V1)


def test_diff_parsing_and_line_ranges() -> None:
    diff = "@@ -3 +3 @@\n-a\n+b\n@@ -7,2 +6,0 @@\n-x\n-y\n@@ -0,0 +9,2 @@\n+p\n+q\n"
    assert changed_lines(diff) == [(3, 3), (6, 7), (9, 10)]
    raw = "".join(f"line {n}\n" for n in range(1, 11))
    assert covered(raw, line_ranges([(3, 3), (6, 7), (9, 10)], raw)) == [
        "line 3\n", "line 6\nline 7\n", "line 9\nline 10\n"]
    assert line_ranges([(2, 3), (4, 4), (50, 60)], raw) == [(7, 28)]
    assert line_ranges([(1, 5)], "no newline at end") == [(0, 17)]
