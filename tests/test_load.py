"""load: formats, offsets back to the original file, boilerplate, and every kind of bad input."""

from __future__ import annotations

import re

import pytest

from tests.team_articles import team_texts
from verifier import vocab
from verifier.ingest import load
from verifier.model.config import Settings
from verifier.model.errors import InputError


def _load(path, **settings):
    return load.load_target(load.Target(str(path)), Settings(**settings))


def test_text_article_is_its_own_analysis_text(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Headline here\n\n“Quote,” Zhang said.\n", encoding="utf-8")
    article = _load(p)
    assert article.text == article.raw
    assert article.title == "Headline here"
    span = article.span(article.text.index("Zhang"), article.text.index("Zhang") + 5)
    assert (span.line, span.column, span.text) == (3, 10, "Zhang")


def test_markdown_front_matter_kept_apart_and_offsets_preserved(tmp_path):
    raw = "---\ntitle: Big news\nsources:\n  - a.txt\n---\n\n# Big **news** today\n\nShe said [it](http://x) works.\n"
    p = tmp_path / "a.md"
    p.write_text(raw, encoding="utf-8")
    article = _load(p)
    assert article.front_matter == {"title": "Big news", "sources": ["a.txt"]}
    assert len(article.text) == len(raw)
    assert "title:" not in article.text and "**" not in article.text and "http" not in article.text
    i = article.text.index("works")
    span = article.span(i, i + 5)
    assert span.text == "works" and raw[span.start:span.end] == "works"
    assert (span.line, span.column) == (9, 25)
    assert article.title == "Big news"


def test_html_story_text_maps_back_to_file_offsets(tmp_path):
    raw = ('<html><head><title>T</title><script>var x = "said";</script></head><body>'
           '<nav>Home</nav>\n<p>Li said &ldquo;we <em>will</em> win&rdquo;.</p>\n<footer>(c) X</footer></body></html>')
    p = tmp_path / "a.html"
    p.write_text(raw, encoding="utf-8")
    article = _load(p)
    assert article.text == "Li said “we will win”."
    i = article.text.index("we will win")
    span = article.span(i, i + len("we will win"))
    assert span.text == "we <em>will</em> win"
    assert raw[span.start:span.end] == span.text
    assert span.line == 2


def test_boilerplate_ranges_cover_credit_lines_banners_and_bylines():
    text = ("Story headline\n\nBy Jane Roe\n\nThe mayor said the bridge will open.\n\n"
            "(Reporting by A B; Editing by C D)\n\nRead more: other story\n\nClose Bitnami banner\n\n"
            "By the end of the year, the bridge will be open.\n")
    article = load.load_text(text)
    covered = [text[s:e] for s, e in article.boilerplate]
    assert covered == ["By Jane Roe", "(Reporting by A B; Editing by C D)",
                       "Read more: other story", "Close Bitnami banner"]


BOILERPLATE = [  # one or more for each kind the boilerplate pattern knows, in odd spellings
    "(Reporting by A B; Editing by C D)", "( Additional reporting by Li Wei)", "Writing by Ana Ruiz",
    "Compiled by the desk", "Translated by Ola Berg", "READ MORE: other story", "See also: the map",
    "Related coverage: budget", "Related: budget", "Close Bitnami banner", "© 2026 Lumen Grid",
    "(c) 2026 Lumen Grid", "Copyright 2026 Lumen Grid", "Lumen Grid. All Rights Reserved.",
    "By Jane Roe", "BY JANE ROE AND OLA BERG | Tallinn", "Photo: Lumen Grid", "Caption: the plant",
    "File photo by Ana Ruiz", "Video: the launch", "The new plant (Photo: Lumen Grid)",
    "Workers at the new plant in Tallinn. Photograph by Ana Ruiz.", "REUTERS/Aly Song",
    "Advertisement", "Subscribe to our newsletter", "Sign up for alerts", "Follow us on Mastodon",
    "Share this article", "Click here to read more", "Skip to main content",
    "The Thomson Reuters Trust Principles.", "Our Standards: The Thomson Reuters Trust Principles.",
]


def test_the_boilerplate_shortcut_lets_every_kind_of_boilerplate_through():
    """A paragraph must pass `_may_be_boilerplate` to be matched at all: whatever the pattern
    matches must pass it, or boilerplate would slip into the claims."""
    paragraphs = list(BOILERPLATE)
    for text in team_texts():
        paragraphs += [p.strip() for p in text.split("\n\n")]
    matched = 0
    for paragraph in paragraphs:
        if load._BOILERPLATE_LINE.match(paragraph):
            matched += 1
            assert load._may_be_boilerplate(paragraph.lower()), paragraph
    assert matched >= len(BOILERPLATE)
    assert all(load._is_boilerplate(p) for p in BOILERPLATE)


@pytest.mark.parametrize("pattern", vocab.words("boilerplate", "paragraphs"))
def test_every_boilerplate_pattern_matches_one_of_the_examples(pattern: str) -> None:
    assert any(re.fullmatch(rf"\s*(?:{pattern})\s*", p, re.I) for p in BOILERPLATE), pattern


@pytest.mark.parametrize("paragraph", [
    # not firing: story paragraphs that open with or hold the shortcut's words
    "By the end of the year, the plant will employ 400 people.",
    "Reporting from Tallinn has been hard since the strike began in May.",
    "See the figures below: output rose by a fifth.",
    "Share prices fell 4% after the announcement.",
    "The photo shows the plant at night, its lights on.",
])
def test_story_paragraphs_are_no_boilerplate(paragraph: str) -> None:
    assert not load._is_boilerplate(paragraph)


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    (b"caf\xe9 au lait", "cannot decode file as utf-8"),
])
def test_bad_input_is_a_clear_error_naming_the_file(tmp_path, data, message):
    p = tmp_path / "bad.txt"
    p.write_bytes(data)
    with pytest.raises(InputError) as err:
        _load(p)
    assert message in str(err.value) and str(p) in str(err.value)


def test_utf8_bom_and_utf16_are_accepted(tmp_path):
    for data in ("\ufeffHello there, said Li.".encode("utf-8"), "Hello there, said Li.".encode("utf-16")):
        p = tmp_path / "x.txt"
        p.write_bytes(data)
        assert _load(p).text == "Hello there, said Li."


def test_size_limit_is_configurable(tmp_path):
    p = tmp_path / "big.txt"
    p.write_text("word " * 100, encoding="utf-8")
    with pytest.raises(InputError, match="over the 100-byte limit"):
        _load(p, max_bytes=100)
    assert _load(p, max_bytes=1000).text.startswith("word")


def test_expand_paths_directories_globs_and_missing(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "d" / "sub" / "b.html").write_text("x", encoding="utf-8")
    (tmp_path / "d" / "notes.pdf").write_text("x", encoding="utf-8")
    (tmp_path / "d" / "a.sources").mkdir()
    (tmp_path / "d" / "a.sources" / "t.txt").write_text("x", encoding="utf-8")
    (tmp_path / "empty").mkdir()
    targets = list(load.expand_paths([str(tmp_path / "d"), str(tmp_path / "d" / "*.md"),
                                      str(tmp_path / "missing.txt"), str(tmp_path / "empty")]))
    names = [(t.path.replace(str(tmp_path), ""), t.error is not None) for t in targets]
    assert names == [("/d/a.md", False), ("/d/sub/b.html", False), ("/d/a.md", False),
                     ("/missing.txt", True), ("/empty", True)]
