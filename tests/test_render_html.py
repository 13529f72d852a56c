"""The HTML review page (`--format html`): highlights, panels, escaping, self-containment."""

from __future__ import annotations

import base64
import hashlib
import json
import random
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from tests import review_fixtures as rf
from verifier.model.schema import Finding
from verifier.render import RenderContext
from verifier.render import render as render_format
from verifier.render.html import Mark, diff_pieces, render, summary_line, tidy, tokenize
from verifier.run.pipeline import Result
from verifier.stages.baseline import fingerprint

VOID = {"meta", "input", "br", "img", "link"}


class PageParser(HTMLParser):
    """Checks that tags nest, and collects the article body's text without the badges."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.errors: list[str] = []
        self.body_text: list[str] = []
        self.paragraphs: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if "para" in (dict(attrs).get("class") or "").split():
            self.paragraphs.append("")
        if tag not in VOID:
            self.stack.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        classes = [(a.get("class") or "").split() for _, a in self.stack]
        if any("para" in c for c in classes) and not any("lbl" in c for c in classes):
            self.body_text.append(data)
            self.paragraphs[-1] += data


def page(results: list[Result] | None = None) -> str:
    art = rf.article()
    return render(results or [Result(rf.report(art), art)], RenderContext())


def parse(html: str) -> PageParser:
    parser = PageParser()
    parser.feed(html)
    parser.close()
    return parser


def test_page_is_well_formed_and_shows_every_paragraph_of_the_article_as_text() -> None:
    parsed = parse(page())
    assert parsed.errors == []
    assert parsed.stack == []
    expected = [" ".join(p.split()) for p in rf.ARTICLE.split("\n\n") if p.strip()]
    assert [" ".join(p.split()) for p in parsed.paragraphs] == expected


def test_markup_in_the_article_is_text_and_only_the_page_script_exists() -> None:
    html = page()
    assert "&lt;script&gt;window.__pwned = 1;" in html
    assert "<img src=x" not in html
    assert html.count("<script>") == 1  # the page script; the rest are JSON data blocks
    assert html.count("<script") - 1 == html.count('<script type="application/json" class="list-data">')
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp


def test_nothing_is_fetched_from_anywhere() -> None:
    html = page()
    assert not re.search(r'\b(src|href)="(https?:)?//', html)
    assert "<link" not in html


def test_only_words_with_a_finding_are_marked_and_by_severity() -> None:
    parsed = parse(page())
    marks = [a for t, a in parsed.elements if t == "mark" and "legend" not in str(a.get("class"))]
    in_text = [a for a in marks if a.get("data-ref")]
    assert {a["data-ref"] for a in in_text} == {"F1", "F2", "F3", "F4"}
    classes = {a["data-ref"]: a["class"].split() for a in in_text if a.get("id")}
    assert "sev-error" in classes["F2"] and "sev-info" in classes["F4"]
    art = rf.article()
    f4 = rf.report(art).findings[3].span
    first = next(a for a in in_text if a.get("id") == "a0-F4")
    assert (int(first["data-start"]), int(first["data-end"])) == (f4.start, f4.end)


def test_claim_tags_and_quote_status_are_a_layer_the_editor_switches_on() -> None:
    html = page()
    first = {a["id"]: a for t, a in parse(html).elements if t == "span" and (a.get("id") or "").startswith("a0-")}
    assert first["a0-C1"]["class"].split() == ["claim", "tag-attributed", "tag-benchmark_dependent"]
    assert first["a0-C3"]["class"].split() == ["claim", "tag-opinion"]
    assert first["a0-Q1"]["data-label"] == "Q1 Mira Okonkwo · altered"
    assert 'data-filter="layer" value="tags">' in html  # unticked: off until the editor turns it on


def test_a_claim_crossing_a_quote_is_split_into_pieces_that_nest() -> None:
    parsed = parse(page())
    pieces = [a for t, a in parsed.elements if t == "span" and a.get("data-ref") == "C2"]
    assert len(pieces) == 2
    assert pieces[0]["id"] == "a0-C2" and "cont" not in pieces[0]["class"]
    assert "id" not in pieces[1] and "cont" in pieces[1]["class"]


def test_findings_are_in_triage_order_with_their_decision_keys() -> None:
    parsed = parse(page())
    items = [a for t, a in parsed.elements if t == "li" and "finding-item" in (a.get("class") or "")]
    assert [a["data-rule"] for a in items] == ["quote-altered", "benchmark-uncited",
                                              "opinion-unattributed", "attribution-vague"]
    findings = {f.rule: f for f in rf.report().findings}
    assert [a["data-key"] for a in items] == [fingerprint(findings[a["data-rule"]]) for a in items]
    refs = {a["data-ref"] for t, a in parsed.elements if t == "mark" and a.get("data-ref")}
    assert {a["data-ref"] for a in items} == refs
    buttons = [a for t, a in parsed.elements if t == "button" and a.get("class") == "goto"]
    assert len(buttons) == len(items)  # one Tab stop per finding: accept/dismiss live in the card


def test_info_is_folded_with_its_count_and_the_summary_line_leads() -> None:
    html = page()
    assert re.search(r'<details class="group" data-group="info"><summary class="group-title">Info '
                     r'\(<span class="count" data-count-of="info">1</span>\)', html)
    assert '<strong class="to-resolve">1 error, 2 warnings to resolve</strong>' in html


def test_engine_model_and_cost_sit_in_a_folded_details_line() -> None:
    html = page()
    engine = re.search(r'<details class="engine">(.*?)</details>', html, re.S).group(1)
    assert "<summary>Engine: llm · kestrel-test-model · $0.0123</summary>" in engine
    assert 'data-field="cost">$0.0123<' in engine and "1200 in / 300 out" in engine


def test_the_rules_engine_shows_no_empty_model_cost_or_tokens() -> None:
    art = rf.article()
    rep = rf.report(art)
    rep = rep.model_copy(update={"engine": rep.engine.model_copy(update={"extractor": "rules", "model": None}),
                                 "usage": rep.usage.model_copy(update={"llm_calls": 0, "cost_usd": None})})
    engine = re.search(r'<details class="engine">(.*?)</details>', page([Result(rep, art)]), re.S).group(1)
    assert "<summary>Engine: rules</summary>" in engine
    assert "none" not in engine and "Tokens" not in engine and "Cost" not in engine


def test_the_card_of_an_altered_quote_holds_the_diff_the_source_and_the_speaker() -> None:
    html = page()
    card = re.search(r'data-rule="quote-altered".*?<div class="card-body" hidden>(.*?)</li>', html, re.S).group(1)
    assert "<ins>ever</ins>" in card
    assert "<del>so far</del>" in card
    assert "Source, sources/okonkwo.txt:1" in card
    assert "Speaker in the draft: Mira Okonkwo" in card


def test_the_quote_diff_is_read_from_the_report_not_recomputed() -> None:
    # the offsets are the report's own `source_check.marks`; the page only cuts the text there
    assert diff_pieces("We can really win", [(3, 6), (7, 13)]) == [
        ("=", "We "), ("*", "can"), ("=", " "), ("*", "really"), ("=", " win")]
    assert diff_pieces("We win", []) == [("=", "We win")]
    assert diff_pieces("We win", [(3, 99), (2, 1)]) == [("=", "We win")]  # a mark off the text marks nothing
    assert diff_pieces("我们会放弃", [(3, 5)]) == [("=", "我们会"), ("*", "放弃")]


def test_verbatim_quotes_get_no_diff_box() -> None:
    html = page()
    assert html.count('<div class="diff">') == 1  # only the altered quote's finding card


def test_rule_ids_link_to_their_pages_in_the_page() -> None:
    from verifier.model.catalog import RULES

    html = page()
    assert 'id="rule-attribution-vague"' in html
    page_text = re.search(r'id="rule-attribution-vague"><summary>attribution-vague</summary><pre>(.*?)</pre>',
                          html, re.S).group(1)
    assert unescape(page_text) == RULES["attribution-vague"].page()


def test_messages_lose_doubled_end_punctuation() -> None:
    assert tidy("Factual assertion with no source: “The company declined to comment.”.") == \
        "Factual assertion with no source: “The company declined to comment.”"
    assert tidy("Factual assertion with no source: “Chips are cheap…”.") == \
        "Factual assertion with no source: “Chips are cheap…”"
    assert tidy("Names no benchmark: “Kestrel is fast”.") == "Names no benchmark: “Kestrel is fast”."
    assert tidy("A plain message.") == "A plain message."


def test_claim_ungrounded_is_an_engine_note_not_a_finding_to_decide() -> None:
    art = rf.article()
    rep = rf.report(art)
    note = Finding(rule="claim-ungrounded", severity="warning",
                   message="The model proposed 'Kestrel 3 is 3x faster', which the article does not state.")
    rep = rep.model_copy(update={"findings": [*rep.findings, note]})
    html = page([Result(rep, art)])
    assert 'data-rule="claim-ungrounded"' not in html
    notes = re.search(r'<details class="engine-notes">(.*?)</details>', html, re.S).group(1)
    assert "3x faster" in notes
    assert "1 error, 2 warnings to resolve" in html


def test_claims_most_worth_checking_lead_within_a_severity_when_the_engine_ranks_them() -> None:
    art = rf.article()
    rep = rf.report(art)
    worth = {"C1": 0.2, "C2": 0.5, "C3": 0.9, "C4": 0.1}
    claims = [c.model_copy(update={"checkworthiness": worth[c.id]}) for c in rep.claims]
    html = page([Result(rep.model_copy(update={"claims": claims}), art)])
    rules = re.findall(r'<li class="finding-item[^>]*data-rule="([\w-]+)"', html)
    assert rules == ["quote-altered", "opinion-unattributed", "benchmark-uncited", "attribution-vague"]
    assert "most worth checking first" in html
    claims = _list_data(html, "claims")  # the draft's order, each with its score for the page to sort
    assert [c[0] for c in claims] == ["C1", "C2", "C3", "C4"] and [c[3] for c in claims] == [0.2, 0.5, 0.9, 0.1]
    order = re.search(r'<details class="claims[^"]*">.*?</details>', html, re.S).group(0)
    assert re.search(r'<input type="checkbox" data-order="claims" checked>', order)
    plain_html = page()
    plain = re.findall(r'<li class="finding-item[^>]*data-rule="([\w-]+)"', plain_html)
    assert plain == ["quote-altered", "benchmark-uncited", "opinion-unattributed", "attribution-vague"]


def _list_data(html: str, kind: str) -> list[list[object]]:
    block = re.search(rf'<details class="{kind}[^"]*">.*?<script type="application/json" class="list-data">(.*?)</script>',
                      html, re.S).group(1)
    return json.loads(block)


def test_the_folded_lists_are_data_that_cannot_end_their_element() -> None:
    art = rf.article()
    rep = rf.report(art)
    evil = rep.claims[0].model_copy(update={"text": "</script><script>window.__pwned = 3</script> & more"})
    html = page([Result(rep.model_copy(update={"claims": [evil, *rep.claims[1:]]}), art)])
    assert "</script><script>window.__pwned = 3" not in html
    claims = _list_data(html, "claims")
    assert claims[0][:3] == ["C1", "</script><script>window.__pwned = 3</script> & more",
                             ["attributed", "benchmark_dependent"]]
    assert _list_data(html, "quotes-list")[0] == ["Q1", rf.report().quotes[0].text, "Mira Okonkwo", "said", "direct",
                                                 "altered", "altered", "sources/okonkwo.txt"]


def _team_page(name: str) -> tuple[str, Result]:
    from tests.team_articles import ROOT
    from verifier.model.config import Settings
    from verifier.run.pipeline import check_paths

    [result] = check_paths([str(ROOT / "examples" / name)], Settings(engine="rules"))
    return render([result], RenderContext()), result


def test_the_reading_view_of_markdown_drops_front_matter_and_markup() -> None:
    html, result = _team_page("chipmaker-launch.md")
    parsed = parse(html)
    text = "\n".join(parsed.paragraphs)
    assert "sources:" not in text and "author: Newsroom draft" not in text and "# Halvorsen" not in text
    assert parsed.paragraphs[0].strip().startswith("Halvorsen Labs says its Tern-3")
    assert '<h2 class="para">' in html
    _marks_cut_their_spans_from_the_raw_file(parsed, result)


def test_the_reading_view_of_html_is_its_text() -> None:
    html, result = _team_page("robotics-feature.html")
    parsed = parse(html)
    text = "\n".join(parsed.paragraphs)
    assert "<" not in text and "&lt;" not in html.split('<article class="text"')[1].split("</article>")[0]
    assert "&ldquo;" not in text and "DOCTYPE" not in text.upper()
    assert len(parsed.paragraphs) > 3
    _marks_cut_their_spans_from_the_raw_file(parsed, result)


def _marks_cut_their_spans_from_the_raw_file(parsed: PageParser, result: Result) -> None:
    raw = result.article.raw
    spans = {(f.span.start, f.span.end) for f in result.report.findings if f.span}
    marked = {(int(a["data-start"]), int(a["data-end"])) for t, a in parsed.elements
              if t == "mark" and a.get("data-start")}
    assert marked and marked <= spans
    assert all(raw[s:e].strip() for s, e in marked)


def test_the_summary_line_counts_errors_and_warnings() -> None:
    from verifier.render.html import article_view

    art = rf.article()
    assert summary_line(article_view(0, Result(rf.report(art), art))) == "1 error, 2 warnings to resolve"
    empty = rf.report(art).model_copy(update={"findings": []})
    assert summary_line(article_view(0, Result(empty, art))) == "Nothing to resolve"


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


LINKED_DRAFT = """<!DOCTYPE html><html><body><article>
<h1>Port traffic</h1>
<p>Traffic rose 40% last year, according to <a href="https://example.org/port?a=1&amp;b=2">the
port&rsquo;s annual report</a>, and <a href="javascript:alert(1)">fell</a> in
<a href=" JaVa&#x09;Script:alert(2)">March</a>. Write to <a href="mailto:desk@example.org">the desk</a>
or see <a href="/local">the archive</a>.</p>
</article></body></html>
"""


def _linked_page(tmp_path: Path) -> tuple[str, Result]:
    from verifier.model.config import Settings
    from verifier.run.pipeline import check_paths
    path = tmp_path / "port.html"
    path.write_text(LINKED_DRAFT, encoding="utf-8")
    [result] = check_paths([str(path)], Settings(engine="rules"))
    at = result.article.text.index("annual report")  # a finding on words inside the first link
    span = result.article.span(at, at + len("annual report"))
    assert span.text == "annual report"
    extra = Finding(rule="claim-unattributed", severity="warning", message="Check the report.", span=span)
    report = result.report.model_copy(update={"findings": [*result.report.findings, extra]})
    result = Result(report, result.article)
    return render([result], RenderContext()), result


def test_an_html_drafts_http_and_mailto_links_are_links_in_the_reading_view(tmp_path: Path) -> None:
    html, _ = _linked_page(tmp_path)
    parsed = parse(html)
    assert parsed.errors == []
    links = [a for t, a in parsed.elements if t == "a" and "draft-link" in (a.get("class") or "")]
    assert [a["href"] for a in links] == ["https://example.org/port?a=1&b=2", "mailto:desk@example.org"]
    assert all(a["rel"] == "noopener noreferrer nofollow" for a in links)
    assert 'href="https://example.org/port?a=1&amp;b=2"' in html  # escaped in the page
    text = " ".join(" ".join(parsed.paragraphs).split())
    assert "according to the port’s annual report, and fell in March. Write to the desk" in text
    assert "javascript" not in html.lower().split('<article class="text"')[1].split("</article>")[0]
    assert 'href="/local"' not in html
    csp = unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp


def test_a_mark_inside_a_link_keeps_its_raw_span(tmp_path: Path) -> None:
    html, result = _linked_page(tmp_path)
    body = html.split('<article class="text"')[1].split("</article>")[0]
    m = re.search(r'<a class="draft-link" href="https://[^"]*"[^>]*>(.*?)</a>', body, re.S)
    assert m is not None
    inner = re.search(r'<mark [^>]*data-start="(\d+)" data-end="(\d+)"[^>]*>([^<]*)</mark>', m.group(1))
    assert inner is not None
    start, end = int(inner.group(1)), int(inner.group(2))
    assert result.article.raw[start:end] == "annual report" == inner.group(3)
    _marks_cut_their_spans_from_the_raw_file(parse(html), result)


def test_unsafe_hrefs_are_refused() -> None:
    from verifier.ingest.htmltext import safe_href

    assert safe_href("https://example.org/a b") is None  # a blank inside
    assert safe_href("java\tscript:alert(1)") is None
    assert safe_href("data:text/html,x") is None and safe_href("") is None and safe_href(None) is None
    assert safe_href(" HTTP://example.org/ ") == "HTTP://example.org/"
    assert safe_href("mailto:desk@example.org") == "mailto:desk@example.org"
