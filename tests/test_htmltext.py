"""Story text out of HTML (verifier.ingest.htmltext): what is kept and dropped, every character's
file offset, the title and captions, safe links."""

from __future__ import annotations

from verifier.ingest import htmltext

PAGE = ("<html><head><title>The  Title</title><script>var x = 1;</script></head><body>"
        "<nav>Home | News</nav><header>Site name</header>"
        "<article><h1>Head</h1><p>Tom said &ldquo;hi&rdquo; &amp; left.</p>"
        "<figure><img src=x><figcaption>A caption</figcaption></figure><aside>An advert</aside></article>"
        "<footer>(c) 2024</footer></body></html>")


def test_the_story_is_the_article_without_navigation_scripts_or_asides():
    found = htmltext.extract(PAGE)
    assert found.text == "Head\n\nTom said “hi” & left.\n\nA caption"
    assert found.title == "The Title"  # runs of white space in the title folded


def test_every_character_maps_to_its_file_offset_and_an_entity_to_its_ampersand():
    found = htmltext.extract(PAGE)
    assert len(found.offsets) == len(found.text)
    for char, offset in zip(found.text, found.offsets, strict=True):
        if char not in "\n“”&":
            assert PAGE[offset] == char
    assert PAGE[found.offsets[found.text.index("“")]:].startswith("&ldquo;")
    assert PAGE[found.offsets[found.text.index("&")]:].startswith("&amp;")


def test_a_caption_is_kept_and_marked():
    found = htmltext.extract(PAGE)
    assert [found.text[start:end] for start, end in found.captions] == ["A caption"]


def test_without_an_article_element_the_body_less_navigation_is_the_story():
    assert htmltext.extract("<div><nav>menu</nav><p>One</p><p>Two</p></div>").text == "One\n\nTwo"


def test_a_source_document_keeps_every_visible_part():
    assert htmltext.extract("<nav>menu</nav><p>One</p>", story_only=False).text == "menu\n\nOne"


def test_an_unclosed_construct_ends_the_document():
    raw = "<p>kept</p><!-- <p>hidden</p>"
    assert htmltext.parseable_end(raw) == len("<p>kept</p>")
    assert htmltext.extract(raw).text == "kept"
    assert htmltext.parseable_end("<p>a < b</p>") == len("<p>a < b</p>")  # a lone < is text


def test_only_web_and_mail_addresses_are_safe_links():
    assert htmltext.safe_href(" https://x.example/a ") == "https://x.example/a"
    assert htmltext.safe_href("mailto:desk@x.example") == "mailto:desk@x.example"
    assert htmltext.safe_href("javascript:alert(1)") is None
    assert htmltext.safe_href("java\tscript:alert(1)") is None
    assert htmltext.safe_href("/relative") is None
    assert htmltext.safe_href(None) is None


def test_links_span_their_content_and_an_unclosed_one_runs_to_the_end():
    raw = '<p>See <a href="https://x.example">the <b>report</b></a> and <a href="/y">more'
    assert [(raw[link.start:link.end], link.href) for link in htmltext.links(raw)] == [
        ("the <b>report</b>", "https://x.example"), ("more", "/y")]
