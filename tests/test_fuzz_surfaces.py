"""The invariants of `scripts/fuzz_surfaces.py` over a fixed set of its cases: drafts checked
against generated sources (prose, labelled transcripts, the draft itself, empty, binary-ish), every
output format on drafts, speakers, sources and file names holding `<script>`, `"><img onerror=...>`,
`javascript:` links, `{{`, `]]>`, control and bidi characters, files in odd encodings and states,
batches with odd names and broken configuration, and the llm engine against a real HTTP server on
127.0.0.1 (tests/llm_server.py) answering hostile but schema-valid claims. Longer runs are the
script's (`python scripts/fuzz_surfaces.py --seconds 300`)."""

from __future__ import annotations

import random
import sys
from itertools import islice
from pathlib import Path
from typing import Any

import pytest

from verifier.render import RenderContext, render
from verifier.run.pipeline import Result

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
try:
    import fuzz
    import fuzz_surfaces as fs
finally:
    sys.path.remove(str(ROOT / "scripts"))

SEED = 20261201
COUNTS = {"sources": 30, "render": 14, "files": 24, "cli": 4, "llm": 2}


def cases(mode: str) -> list[tuple[str, Any]]:
    """The first cases of `mode` for the seed, from the project's own texts; no source over 20,000
    characters (the huge ones are the script's), no batch with a FIFO or a dangling link (those run
    in processes of their own: the script's, and test_fuzz_surfaces_found's resume test)."""
    rng = random.Random(SEED)
    seeds = fuzz.seed_texts(False, 0)
    small = ((o, c) for o, c in fs.cases(mode, rng, seeds)
             if not (isinstance(c, fs.Case) and sum(map(len, c.sources.values())) > 20000
                     or isinstance(c, fs.CliCase) and c.odd))
    return list(islice(small, COUNTS[mode]))


def test_the_cases_are_the_same_for_a_seed() -> None:
    assert repr(cases("sources")) == repr(cases("sources"))
    assert len({c.draft for _, c in cases("sources")}) > COUNTS["sources"] * 0.8


@pytest.mark.parametrize("mode", list(COUNTS))
def test_every_mode_keeps_its_invariants(mode: str) -> None:
    problem = fs.MODES[mode][1]
    for origin, case in cases(mode):
        failure = fs.guarded(problem, case, 60)
        assert failure is None, f"{mode} {origin}: {failure}\n{case!r}"[:3000]


# --------------------------------------------------------------------------- the checks can fail


def page_of(draft: str, path: str = "a.txt") -> tuple[str, list[Result]]:
    checked = fs.check_with_sources(fs.Case(draft, "text", path=path))
    assert checked is not None
    results = [Result(checked[1], checked[0])]
    return render("html", results, RenderContext()), results


def test_the_page_check_sees_markup_that_came_from_the_input() -> None:
    page, results = page_of("“<script>alert(1)</script> is here,” said Ana Ruiz.", '"><img onerror=x>.txt')
    assert fs._html_ok(page, results) is None
    assert "&lt;script&gt;alert(1)" in page  # the payload is on the page, as text
    for bad in ('<img src=x onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
                "<script>alert(1)</script>", '<span onclick="x">y</span>'):
        failure = fs._html_ok(page.replace("</main>", bad + "</main>", 1), results)
        assert failure is not None and failure.kind == "invariant", bad
    ended = page.replace('class="list-data">', 'class="list-data">[1,</script><p>', 1)
    assert fs._html_ok(ended, results) is not None


def test_the_github_check_reads_commands_back() -> None:
    path = "x%2Cy,z:w.md"  # escaped: x%252Cy%2Cz%3Aw.md
    checked = fs.check_with_sources(fs.Case("Crime doubled, 100% sure: a,b.", "text", path=path))
    assert checked is not None
    results = [Result(checked[1], checked[0])]
    out = render("github", results, RenderContext())
    assert checked[1].findings and "file=x%252Cy%2Cz%3Aw.md," in out
    assert fs._github_ok(out, results) is None
    for escaped, raw in (("%2Cz", ",z"), ("%252C", "%2C"), ("%3Aw", ":w")):
        failure = fs._github_ok(out.replace(escaped, raw, 1), results)
        assert failure is not None and failure.kind == "invariant", raw
    assert fs._github_ok(out.replace("::", "\n::", 2), results) is not None  # a line broken


def test_the_source_check_sees_a_moved_source_span() -> None:
    case = fs.Case("“We will build it here,” Ana Ruiz said.", "text",
                   sources={"t.txt": "ANA RUIZ: We will build it there.\nBO LIN: No."})
    checked = fs.check_with_sources(case)
    assert checked is not None
    report = checked[1]
    assert str(report.quotes[0].source_check.status) == "altered"
    assert fs.source_check_problem(report, case.sources) is None
    span = report.quotes[0].source_check.source_span
    assert span is not None
    report.quotes[0].source_check.source_span = span.model_copy(update={"start": span.start + 1})
    failure = fs.source_check_problem(report, case.sources)
    assert failure is not None and "source_span" in failure.key
