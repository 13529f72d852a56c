"""Growth tests: every input that once took time quadratic in its length now takes linear time.

Each test builds a hostile input at two sizes, n and 4n, and checks that the work grows at most
about 4x: the best of three timings of the larger is under 8 times the best of three of the smaller
(a quadratic stage grows 16x; the larger is timed again only while it has not passed). Two CPU timings of this process in one run are compared, never an absolute time, so a
slow or busy machine cannot fail them. The sizes given are where the old code already grew about
16x; a case the code now handles fast is grown until a run takes long enough to time.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from verifier.ingest import htmltext, load, markup
from verifier.model.config import Settings
from verifier.model.schema import Article
from verifier.run import pipeline
from verifier.stages import names

RULES = Settings(engine="rules")
MAX_GROWTH = 8.0  # for 4x the input: linear is 4, quadratic 16
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def best_time(work: Callable[[], object], repeats: int = 3) -> float:
    """The least CPU time of `repeats` runs, with the cyclic garbage collector off: its full
    collections grow with every object alive, which is not the code's work being measured.

    Before the runs only the young generations are collected (the cycles the runs before left;
    with the collector off, all they made is young): a full collection would walk every object
    the test session holds, about 0.2 s each late in the suite, and change nothing timed."""
    best = float("inf")
    gc.collect(1)
    gc.disable()
    try:
        for _ in range(repeats):
            started = time.process_time()
            work()
            best = min(best, time.process_time() - started)
    finally:
        gc.enable()
    return best


def assert_linear(work_for: Callable[[int], Callable[[], object]], n: int) -> None:
    """4n costs under 8x what n costs. n is first doubled (up to 16x) until one run takes 20 ms,
    so that timer noise on a tiny run cannot pass for growth (or hide it).

    n is timed three times (the run that set n counts as one), 4n until it passes, three times at
    most: the verdict is that of the best of three of each, found with fewer runs of the larger."""
    work = work_for(n)
    first = best_time(work, repeats=1)
    for _ in range(4):
        if first >= 0.02:
            break
        n *= 2
        work = work_for(n)
        first = best_time(work, repeats=1)
    small = min(first, best_time(work, repeats=2))
    larger, large = work_for(4 * n), float("inf")
    for _ in range(3):  # a run slowed by the machine is timed again
        large = min(large, best_time(larger, repeats=1))
        if large / max(small, 0.02) < MAX_GROWTH:
            break
    growth = large / max(small, 0.02)
    assert growth < MAX_GROWTH, (f"4x the input (n={n}) took {growth:.1f}x the time "
                                 f"({small:.4f}s -> {large:.4f}s)")


def check(text: str, fmt: load.Format) -> Callable[[], object]:
    """The whole pipeline after reading the file: load, then every stage."""
    def work() -> object:
        return pipeline.check_article(load.load_text(text, fmt=fmt), RULES)
    return work


CASES: dict[str, tuple[Callable[[int], str], load.Format, int]] = {
    # one 40,000-letter word: a name pattern retried at every letter
    "long word, .txt": (lambda n: "B" * n, "text", 4000),
    "long word, .md": (lambda n: "B" * n, "markdown", 4000),
    # a capital, then a long run of spaces: the run split every way between two space patterns
    "capital then spaces": (lambda n: "B" + " " * n + "x", "text", 4000),
    # Markdown emphasis that never closes: each `**` searched to the end of the line
    "unclosed bold": (lambda n: "**a " * (n // 4), "markdown", 8000),
    "unclosed em": (lambda n: "*a " * (n // 3), "markdown", 8000),
    "unclosed underscore": (lambda n: "__a " * (n // 4), "markdown", 8000),
    "backtick run": (lambda n: "`" * n, "markdown", 6000),
    # link labels and destinations that never close
    "open brackets": (lambda n: "[" * (n // 3) + "](" * (n // 3), "markdown", 12000),
    "open links": (lambda n: "[a](" * (n // 4), "markdown", 12000),
    # HTML comments that never close, in Markdown and in HTML
    "unclosed comments, .md": (lambda n: "<!--" * (n // 4), "markdown", 12000),
    "unclosed comments, .html": (lambda n: "<!--" * (n // 4), "html", 40000),
    "unclosed tags, .html": (lambda n: "<a " * (n // 3), "html", 12000),
    "unclosed attribute, .html": (lambda n: '<a x="' * (n // 6), "html", 12000),
    # blank lines of spaces: each line a fresh scan of all the blank lines after it
    "blank lines": (lambda n: " \n" * (n // 2), "text", 12000),
    # quotes in a sentence that never ends: each quote rescanned the sentence before it
    "quotes in one sentence": (lambda n: "“a" * (n // 2), "text", 6000),
    # a Q&A, every paragraph a speaker label: each paragraph looked through every turn
    "a Q&A of many turns": (lambda n: "Ana Ruiz spoke.\n\n" + "Q: Why a?\n\nRUIZ: Because b.\n\n" * (n // 30),
                            "text", 30000),
}


@pytest.mark.parametrize("name", list(CASES))
def test_pipeline_is_linear(name: str) -> None:
    make, fmt, n = CASES[name]
    assert_linear(lambda size: check(make(size), fmt), n)


def test_speaker_search_before_a_quote_is_linear() -> None:
    """`X said “` looked for before every quote of a sentence that never ends."""
    def work_for(n: int) -> Callable[[], object]:
        text = "he said “a”. " * (n // 13)
        ends = range(13, len(text), 13)
        return lambda: [names.attribution_before(text, 0, end) for end in ends]

    assert_linear(work_for, 3000)


def test_boilerplate_lookup_is_linear_in_the_article() -> None:
    """A real article repeated to megabytes: every sentence asks whether it is boilerplate, and
    each question once walked every boilerplate range of the article."""
    story = (EXAMPLES / "council-vote.txt").read_text(encoding="utf-8")

    def work_for(copies: int) -> Callable[[], object]:
        article = load.load_text((story + "\n\n") * copies, fmt="text")
        assert article.boilerplate, "the example has boilerplate lines"
        starts = [m.start() for m in _sentences(article.text)]

        def work() -> object:
            return [article.is_boilerplate(s, s + 40) for s in starts]
        return work

    assert_linear(work_for, 60)


def test_name_resolution_is_linear_in_the_article() -> None:
    """'Zhang said' resolved to 'Zhang Ping’an' in a long text that names him many times."""
    para = "Zhang Ping’an spoke first. Then Zhang said more. "

    def work_for(copies: int) -> Callable[[], object]:
        text = para * copies
        index = names.NameIndex(text)
        ats = range(0, len(text), len(para))

        def work() -> object:
            return [index.full_name("Zhang", at) for at in ats]
        return work

    assert_linear(work_for, 250)


def test_article_repeated_to_megabytes_is_linear() -> None:
    """The whole pipeline on a real article (with boilerplate lines) repeated."""
    story = (EXAMPLES / "council-vote.txt").read_text(encoding="utf-8")

    def work_for(copies: int) -> Callable[[], object]:
        return check((story + "\n\n") * copies, "text")

    assert_linear(work_for, 8)


def test_markup_helpers_agree_with_simple_cases() -> None:
    """The linear replacements of the old regexes still find what the regexes found."""
    text = "a **bold** and *em* and `code` x <!-- c --> y **open"
    found = [text[s:e] for s, _, _, e in markup.emphasis(text)]
    assert found == ["**bold**", "*em*", "`code`"]
    assert [text[s:e] for s, e in markup.html_comments(text)] == ["<!-- c -->"]
    assert markup.html_comments("<!-- never closed") == []
    assert markup.emphasis("a * b * c") == []  # a delimiter before a space opens nothing
    assert markup.emphasis("**a\nb**") == []  # never across a line break


def test_unclosed_construct_ends_the_html() -> None:
    """An unclosed comment or tag and all after it are not text (as HTML reads them)."""
    assert htmltext.parseable_end("<p>story</p><!-- open") == len("<p>story</p>")
    assert htmltext.parseable_end("<p>story</p><a href='x") == len("<p>story</p>")
    assert htmltext.parseable_end("<p>a < b</p>") == len("<p>a < b</p>")
    assert htmltext.extract("<p>kept</p><!-- <p>hidden</p>").text == "kept"


def _sentences(text: str):  # type: ignore[no-untyped-def]
    import re

    return re.finditer(r"[^.\n]+[.\n]", text)


def test_article_type_has_boilerplate_lookup() -> None:
    article = Article(path=None, raw="abc def", text="abc def", boilerplate=[(0, 3)])
    assert article.is_boilerplate(0, 3)
    assert not article.is_boilerplate(4, 7)


def test_names_open_at_the_first_capital_of_a_word() -> None:
    """The linear name scan finds the names the old one did, and no longer one opening inside a
    word ('scam PAC. Dan Backer' once gave 'C. Dan Backer')."""
    def found(text: str) -> list[str]:
        return [name for _, name, _ in names.NameIndex(text).names]

    assert found("''Donald Trump says he will win.") == ["Donald Trump"]
    assert found("-Nate Cohn explains why.") == ["Nate Cohn"]
    assert found("the pro-Islamic State Twitter account") == ["Islamic State Twitter"]
    assert found("a so-called scam PAC. Dan Backer, the lawyer, said no.") == ["Dan Backer"]
    assert found("Jean-Luc Picard and O’Brien Smith met.") == ["Jean-Luc Picard", "O’Brien Smith"]
