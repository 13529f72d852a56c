"""The HTML review page (`--format html`): highlights, panels, escaping, self-containment."""

from __future__ import annotations

import base64
import hashlib
import random
import re
from html import unescape
from html.parser import HTMLParser

from tests import review_fixtures as rf
from verifier.baseline import fingerprint
from verifier.pipeline import Result
from verifier.render import RenderContext
from verifier.render import render as render_format
from verifier.render.html import Mark, render, tokenize, word_diff

VOID = {"meta", "input", "br", "img", "link"}


class PageParser(HTMLParser):
    """Checks that tags nest, and collects the article body's text without the badges."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []
        self.body_text: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        classes = [(a.get("class") or "").split() for _, a in self.stack]
        if any("body" in c for c in classes) and not any("lbl" in c for c in classes):
            self.body_text.append(data)


def page(results: list[Result] | None = None) -> str:
    art = rf.article()
    return render(results or [Result(rf.report(art), art)], RenderContext())


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def test_page_is_well_formed_and_keeps_the_article_text_exactly() -> None:
    parsed = parse(page())
    assert parsed.errors == []
    assert parsed.stack == []
    assert "".join(parsed.body_text) == rf.ARTICLE


def test_markup_in_the_article_is_text_and_only_the_page_script_exists() -> None:
    html = page()
    assert "&lt;script&gt;window.__pwned = 1;" in html
    assert "<img src=x" not in html
    assert html.count("<script") == 1
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp


def test_nothing_is_fetched_from_anywhere() -> None:
    html = page()
    assert not re.search(r'\b(src|href)="(https?:)?//', html)
    assert "<link" not in html


def test_claims_carry_their_tags_as_text_not_colour_alone() -> None:
    parsed = parse(page())
    labels = _labels(page())
    assert labels["C1"] == "C1 attributed · benchmark"
    assert labels["C3"] == "C3 opinion"
    assert labels["Q1"] == "Q1 Mira Okonkwo · altered"
    marks = [a for t, a in parsed.elements if t == "mark"]
    assert {a["data-ref"] for a in marks} == {"C1", "C2", "C3", "C4", "Q1"}
    assert all(a.get("title") for a in marks)


def _labels(html: str) -> dict[str, str]:
    found = re.findall(r'data-ref="(\w+)"[^>]*id="a0-\w+"[^>]*><span class="lbl">([^<]*)</span>', html)
    return {ref: label.replace("&#39;", "'") for ref, label in found}


def test_a_claim_crossing_a_quote_is_split_into_pieces_that_nest() -> None:
    parsed = parse(page())
    pieces = [a for t, a in parsed.elements if t == "mark" and a["data-ref"] == "C2"]
    assert len(pieces) == 2
    assert pieces[0]["id"] == "a0-C2" and "cont" not in pieces[0]["class"]
    assert "id" not in pieces[1] and "cont" in pieces[1]["class"]


def test_findings_point_at_highlights_that_exist_and_carry_fingerprints() -> None:
    html = page()
    parsed = parse(html)
    refs = {a["data-ref"] for t, a in parsed.elements if a.get("data-ref") and t in ("mark", "span")}
    targets = [a["data-target"] for t, a in parsed.elements if t == "button" and "goto" in (a.get("class") or "")]
    assert set(targets) <= refs and "F4" in targets and "Q1" in targets
    items = [a for t, a in parsed.elements if t == "li" and "finding-item" in (a.get("class") or "")]
    expected = [fingerprint(f) for f in rf.report().findings]
    assert [a["data-fingerprint"] for a in items] == expected
    assert [a["data-severity"] for a in items] == ["warning", "error", "warning", "info"]
    assert all(a["data-path"] == "drafts/kestrel.txt" for a in items)


def test_summary_header_shows_counts_engine_model_and_cost() -> None:
    html = page()
    assert 'data-field="engine">llm<' in html
    assert 'data-field="model">kestrel-test-model<' in html
    assert 'data-field="cost">$0.0123<' in html
    assert 'data-count="error">1<' in html and 'data-count="claims">4<' in html


def test_altered_quote_is_shown_beside_its_source_with_the_word_diff() -> None:
    html = page()
    assert "<ins>ever</ins>" in html
    assert "<del>so far.</del>" in html
    assert "+ ever; - so far" in html
    assert "sources/okonkwo.txt" in html


def test_word_diff_ignores_case_and_punctuation_only_changes() -> None:
    assert word_diff("we will win", "We will win.") == [("=", "we will win")]
    assert word_diff("we can win", "we will win") == [("=", "we"), ("-", "will"), ("+", "can"), ("=", "win")]


def test_an_article_that_failed_shows_its_error() -> None:
    art = rf.article()
    html = page([Result(rf.report(art), art), Result(rf.error_report(), None)])
    assert "drafts/broken.txt: the file is empty" in html
    assert 'role="alert"' in html
    assert parse(html).errors == []


def test_the_format_is_reachable_through_the_renderer_registry() -> None:
    art = rf.article()
    assert render_format("html", [Result(rf.report(art), art)]).startswith("<!doctype html>")


def test_tokenize_nests_random_overlapping_highlights() -> None:
    rng = random.Random(7)
    text = "abcdefghijklmnopqrstuvwxyz" * 3
    for _ in range(200):
        marks = []
        for i in range(rng.randint(1, 6)):
            a, b = sorted(rng.sample(range(len(text) + 1), 2))
            kind = rng.choice(["claim", "quote", "finding"])
            marks.append(Mark(a, b, kind, f"X{i}", kind, "", ""))
        tokens = tokenize(text, marks)
        assert "".join(t.text for t in tokens if t.kind == "text") == text
        stack: list[Mark] = []
        covered: dict[str, int] = {}
        for t in tokens:
            if t.kind == "open":
                stack.append(t.mark)
            elif t.kind == "close":
                assert stack.pop() is t.mark
            else:
                for m in stack:
                    covered[m.ref] = covered.get(m.ref, 0) + len(t.text)
        assert stack == []
        assert covered == {m.ref: m.end - m.start for m in marks}
        firsts = [t.mark.ref for t in tokens if t.kind == "open" and t.first]
        assert sorted(firsts) == sorted(m.ref for m in marks)
