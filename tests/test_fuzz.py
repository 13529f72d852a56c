"""Property tests on generated drafts: 2,100 seeded inputs across .txt, .md and .html.

Every input is built from fragments a hostile or careless draft is made of (quote marks of every
kind, Markdown and HTML markup left open, comments, entities, control characters, CR line ends,
CJK, very long words). For each, loading and every stage must finish without an exception other
than a `VerifierError`, every span in the report must be exactly the file's text at its offsets
with a matching line:column, and the text output must hold no control character but tab and
newline. A second test grows random long inputs 4x and checks that the work grows about 4x.
"""

from __future__ import annotations

import gc
import json
import random
import re
import time

import pytest

from verifier.ingest import load
from verifier.model.config import Settings
from verifier.model.errors import VerifierError
from verifier.model.schema import Span
from verifier.render import RenderContext, render
from verifier.run import pipeline
from verifier.run.pipeline import Result

SEED = 20261130
PER_FORMAT = 700  # x 3 formats = 2,100 inputs
RULES = Settings(engine="rules")

WORDS = ["the", "company", "said", "told", "reporters", "according", "to", "Zhang", "Ping’an",
         "Mira", "Okonkwo", "Kestrel", "3", "outperforms", "GPT-4o", "on", "MMLU", "should", "be",
         "rivals", "best", "he", "she", "they", "Dr.", "Mr.", "J.", "analysts", "critics", "say",
         "1932", "$62", "million", "40%", "İstanbul", "naïve", "说", "林晓峰", "表示", "据"]
MARKS = ["“", "”", '"', "'", "‘", "’", "「", "」", "«", "»", "„", "『", "』"]
PUNCT = [".", ",", ":", ";", "!", "?", "…", "...", " – ", " — ", "(", ")", "[", "]", "/"]
SPACE = [" ", " ", " ", "\n", "\n\n", "\r\n", "\r", "\t", "  ", "\u00a0", "\u2028"]
HOSTILE = ["B" * 300, "**a " * 30, "[" * 40, "](" * 40, "<!--" * 30, "`" * 50, " \n" * 30,
           "“a" * 40, "\x1b[2J", "\x07", "\ufeff", "\u202e", "e\u0301", "😀", "\x00"]
MARKDOWN = ["**", "*", "__", "_", "`", "```", "# ", "## ", "> ", "- ", "1. ", "---\n", "[", "](",
            "![", "](http://x.example/a)", "[link](http://x.example)", "<!-- c -->", "<!--", "-->",
            "<br>", "<span>", "</span>"]
HTML = ["<p>", "</p>", "<div>", "</div>", "<a href=\"", "\">", "</a>", "<!--", "-->", "<script>",
        "</script>", "<style>", "&amp;", "&#x27;", "&#8220;", "&", "&#", "<br>", "<h1>", "</h1>",
        "<article>", "</article>", "<nav>", "</nav>", "<figcaption>", "</figcaption>", "<", ">",
        "<![CDATA[", "]]>", "<?xml ?>", "<!DOCTYPE html>", "<title>", "</title>", "<a x='"]


def generate(rng: random.Random, fmt: str, size: int) -> str:
    pools = [WORDS, WORDS, WORDS, MARKS, PUNCT, SPACE, SPACE, HOSTILE]
    if fmt == "markdown":
        pools += [MARKDOWN, MARKDOWN]
    elif fmt == "html":
        pools += [HTML, HTML, HTML]
    parts = [rng.choice(rng.choice(pools)) for _ in range(size)]
    text = " ".join(parts) if rng.random() < 0.5 else "".join(parts)
    if fmt == "markdown" and rng.random() < 0.2:
        text = "---\ntitle: " + rng.choice(WORDS) + "\n---\n" + text
    return text


SPAN_KEYS = frozenset(Span.model_fields)
# a control character other than tab and newline (what the text output must never hold)
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def spans_of(report: dict) -> list[dict]:
    """Every object of the report that has all of a Span's fields, however deep."""
    found: list[dict] = []

    def walk(value: object) -> None:
        if isinstance(value, dict):
            if SPAN_KEYS <= value.keys():
                found.append(value)
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(report)
    return found


def line_col(raw: str, offset: int) -> tuple[int, int]:
    line_start = raw.rfind("\n", 0, offset) + 1
    return raw.count("\n", 0, offset) + 1, offset - line_start + 1


def run_product(text: str, fmt: load.Format) -> None:
    """What a user pays for one draft: load, check, the JSON report and the text output."""
    try:
        article = load.load_text(text, fmt=fmt)
        report = pipeline.check_article(article, RULES, source_docs=[])
    except VerifierError:
        return
    report.model_dump_json()
    render("text", [Result(report, article)], RenderContext())


def check_one(text: str, fmt: load.Format) -> None:
    try:
        article = load.load_text(text, fmt=fmt)
        report = pipeline.check_article(article, RULES, source_docs=[])
    except VerifierError:
        return  # a refusal with a message is a fine answer to a broken draft
    raw = article.raw
    data = json.loads(report.model_dump_json())
    for span in spans_of(data):
        assert 0 <= span["start"] <= span["end"] <= len(raw), span
        assert raw[span["start"]:span["end"]] == span["text"], span
        assert (span["line"], span["column"]) == line_col(raw, span["start"]), span
        assert (span["end_line"], span["end_column"]) == line_col(raw, span["end"]), span
    shown = render("text", [Result(report, article)], RenderContext())
    assert CONTROL.search(shown) is None, repr(shown[:200])


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_generated_drafts_keep_every_invariant(fmt: load.Format) -> None:
    rng = random.Random(f"{SEED}-{fmt}")
    for i in range(PER_FORMAT):
        text = generate(rng, fmt, rng.randint(3, 40))
        try:
            check_one(text, fmt)
        except AssertionError as exc:
            raise AssertionError(f"input {i} ({fmt}): {text!r}") from exc


@pytest.mark.parametrize("seed", range(4))
def test_random_long_drafts_take_linear_time(seed: int) -> None:
    """A random mix of fragments repeated: 4x the text costs at most about 4x the time.

    Only the product's work is timed: the invariant checks of `check_one` find line:column by
    counting from the file's start, which is quadratic in the test, not in the product."""
    rng = random.Random(f"{SEED}-long-{seed}")
    fmt: load.Format = rng.choice(["text", "markdown", "html"])
    unit = generate(rng, fmt, 40)

    def cost(copies: int) -> float:
        text = unit * copies
        gc.collect(1)  # the young generations only: see best_time in test_linear_time.py
        gc.disable()  # full collections grow with every live object: not the work measured
        try:
            started = time.process_time()
            run_product(text, fmt)
            return time.process_time() - started
        finally:
            gc.enable()

    copies = 4
    # a base of 0.1 s at least: shorter timings swing too much on a busy machine to compare
    first = cost(copies)
    while first < 0.1 and copies < 4096:
        copies *= 2
        first = cost(copies)
    small = min(first, cost(copies), cost(copies))  # the best of three, the run that set the base one
    large = float("inf")
    for _ in range(3):  # the best of three, but timed again only while it has not passed
        large = min(large, cost(4 * copies))
        if large / small < 8:
            break
    assert large / small < 8, f"{fmt} x{copies}: {small:.3f}s -> {large:.3f}s for 4x ({unit[:80]!r})"
