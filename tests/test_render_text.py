"""`--format text`: the claims most worth checking come first, highest checkworthiness first."""

from __future__ import annotations

import re
from pathlib import Path

from verifier.model.config import Settings
from verifier.render import RenderContext
from verifier.render import text as text_format
from verifier.run.pipeline import check_paths

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "chipmaker-launch.md"


def _render(path: Path) -> tuple[str, list[tuple[str, float]]]:
    results = check_paths([str(path)], Settings(engine="rules"))
    claims = [(c.id, c.checkworthiness) for c in results[0].report.claims]
    return text_format.render(results, RenderContext()), claims


def _block(out: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("worth checking first"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("  "))
    return lines[start:end]


def test_the_claims_worth_checking_come_first_highest_first():
    out, claims = _render(EXAMPLE)
    block = _block(out)
    listed = [re.search(r": (C\d+) \[", line).group(1) for line in block[1:] if "(worth" in line]
    worth = dict(claims)
    eligible = sorted((c for c, w in claims if w >= text_format.WORTH_CHECKING), key=lambda c: -worth[c])
    assert len(eligible) > text_format.FIRST_LISTED  # the example has more than fit: the cap is shown
    assert len(listed) == text_format.FIRST_LISTED
    assert [worth[c] for c in listed] == sorted((worth[c] for c in listed), reverse=True)
    assert min(worth[c] for c in listed) >= max(worth[c] for c in eligible if c not in listed)
    assert block[-1] == f"  ... {len(eligible) - len(listed)} more in the paragraphs below"
    assert out.index("worth checking first") < out.index("paragraph 1 (line")
    # every claim still stands in its paragraph, with its score
    for cid, w in claims:
        assert re.search(rf": {cid} \[[^\]]*\] \(worth {w:.2f}\) ", out.split("paragraph 1 (line", 1)[1])


def test_nothing_worth_checking_lists_nothing_first(tmp_path):
    draft = tmp_path / "note.txt"
    draft.write_text("Is this the right plan?\n\nWe hope the town will like the new park.\n", encoding="utf-8")
    out, claims = _render(draft)
    assert all(w < text_format.WORTH_CHECKING for _, w in claims)
    assert "worth checking first" not in out


def test_the_totals_line_speaks_in_singular_and_plural(tmp_path):
    draft = tmp_path / "one.txt"
    draft.write_text("The council approved the budget on Monday.\n", encoding="utf-8")
    out, claims = _render(draft)
    assert len(claims) == 1
    totals = next(line for line in out.splitlines() if " untagged), " in line)
    assert totals.startswith("1 claim (") and "0 quotes; 0 errors, 0 warnings, 1 info" in totals
    out, _ = _render(EXAMPLE)
    totals = next(line for line in out.splitlines() if " untagged), " in line)
    assert totals.endswith("4 quotes; 1 error, 2 warnings, 2 info")


def test_an_article_that_could_not_be_read_names_its_file_once(tmp_path):
    """Before: `a.md: error: a.md: file is empty` (the message names the file already)."""
    empty = tmp_path / "empty.md"
    empty.write_text("", encoding="utf-8")
    (result,) = check_paths([str(empty)], Settings(engine="rules"))
    out = text_format.render([result], RenderContext())
    assert out == f"{empty}: error: file is empty\n"


def test_a_quote_line_names_a_word_cue_and_leaves_a_colon_out() -> None:
    from verifier.ingest import load
    from verifier.model.config import Settings
    from verifier.render import RenderContext, render
    from verifier.run import pipeline

    text = "Fares rise\n\nAna Ruiz said: “Fares will rise.”\n\n“They will not,” Bo Lind said.\n"
    article = load.load_text(text, path="a.txt")
    report = pipeline.check_article(article, Settings(engine="rules"), source_docs=[])
    out = render("text", [pipeline.Result(report, article)], RenderContext())
    assert "Q1 direct quote (Ana Ruiz): “Fares will rise.”" in out
    assert "Q2 direct quote (Bo Lind, said): “They will not,”" in out
