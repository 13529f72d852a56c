"""chunking: checkable paragraphs only, under the budget, offsets mapped back exactly."""

from __future__ import annotations

from verifier.engines.chunking import build_chunk, estimate_tokens, make_chunks, split_chunk
from verifier.ingest.load import load_text
from verifier.model.schema import Article, Paragraph, Segmentation, Sentence


def _article(paragraphs: list[str]) -> tuple[Article, Segmentation]:
    """An article built by hand: one paragraph per string, one sentence per '. '-ended piece."""
    text = "\n\n".join(paragraphs) + "\n"
    paras, sents, pos = [], [], 0
    for i, p in enumerate(paragraphs):
        paras.append(Paragraph(start=pos, end=pos + len(p), index=i))
        s = pos
        for piece in p.split(". "):
            e = s + len(piece) + (2 if s + len(piece) < pos + len(p) else 0)
            sents.append(Sentence(start=s, end=min(e, pos + len(p)), paragraph=i))
            s = e
        pos += len(p) + 2
    return load_text(text, path="t.txt"), Segmentation(paras, sents)


def test_estimate_tokens_counts_cjk_per_character() -> None:
    assert estimate_tokens("abcd" * 10) == 10
    assert estimate_tokens("华为云计算") == 5


def test_only_checkable_paragraphs_are_chunked() -> None:
    article, seg = _article(["Kestrel Foods opened a plant.", "Reporting by Ada Lind.",
                             "The plant employs 40 people."])
    seg.paragraphs[1].boilerplate = True
    chunks = make_chunks(article, seg, budget=1000)
    assert len(chunks) == 1
    assert chunks[0].text == "Kestrel Foods opened a plant.\n\nThe plant employs 40 people."
    assert "Reporting" not in chunks[0].text
    seg.paragraphs[2].in_focus = False
    assert make_chunks(article, seg, budget=1000)[0].text == "Kestrel Foods opened a plant."
    seg.paragraphs[0].heading = True
    assert make_chunks(article, seg, budget=1000) == []


def test_chunks_respect_the_budget_and_carry_context() -> None:
    paragraphs = [f"Paragraph {i} says the Tarn valley mill made {i} tonnes of flour." for i in range(12)]
    article, seg = _article(paragraphs)
    chunks = make_chunks(article, seg, budget=40)
    assert len(chunks) > 3
    assert all(estimate_tokens(c.text) <= 40 for c in chunks)
    covered = " ".join(c.text for c in chunks)
    assert all(p in covered for p in paragraphs)
    assert chunks[0].context == article.title  # the headline, for the first chunk
    assert chunks[1].context.endswith(chunks[0].text.split("\n\n")[-1])


def test_sentences_are_numbered_and_map_back_to_the_article() -> None:
    article, seg = _article(["Alpha one. Alpha two.", "Bravo two said “yes”.", "Charlie three."])
    chunk = build_chunk(article, seg, 0, [ln for c in make_chunks(article, seg, 1000) for ln in c.lines])
    assert chunk.numbered == ("[1] Alpha one.\n[2] Alpha two.\n\n[3] Bravo two said “yes”.\n\n"
                              "[4] Charlie three.")
    assert [chunk.line_text(article, n) for n in (2, 3)] == ["Alpha two.", "Bravo two said “yes”."]
    assert [ln.paragraph for ln in chunk.lines] == [0, 0, 1, 2]


def test_a_long_paragraph_is_cut_at_sentences() -> None:
    long = ". ".join(f"Sentence {i} reports that the Orrin ferry carried {i} cars" for i in range(30)) + "."
    article, seg = _article([long])
    chunks = make_chunks(article, seg, budget=60)
    assert len(chunks) > 1
    for c in chunks:
        assert article.text[c.lines[0].start:c.lines[-1].end] == c.text
    assert chunks[1].context  # the sentences before it


def test_split_chunk_halves_at_a_paragraph_break_then_sentences() -> None:
    article, seg = _article(["One. Two. Three. Four.", "Five six.", "Seven."])
    chunk = build_chunk(article, seg, 0, [ln for c in make_chunks(article, seg, 1000) for ln in c.lines])
    halves = split_chunk(article, seg, chunk)
    assert [h.text for h in halves] == ["One. Two. Three. Four.", "Five six.\n\nSeven."]
    quarters = split_chunk(article, seg, halves[0])
    assert [q.text for q in quarters] == ["One. Two.", "Three. Four."]
    assert quarters[1].context == "One. Two."
    single = split_chunk(article, seg, split_chunk(article, seg, quarters[0])[0])
    assert single == []


def _draft(count: int) -> str:
    return "\n\n".join(f"Paragraph {i}: the mill in Tarn made {i * 3} tonnes of flour in week {i}."
                        for i in range(count))


def test_boundaries_are_content_defined() -> None:
    """Inserting a paragraph at the top changes at most the first two chunks; the rest keep
    their text, so their cache keys."""
    article, seg = _article(_draft(80).split("\n\n"))
    before = [c.text for c in make_chunks(article, seg, budget=600)]
    assert len(before) >= 5
    moved = ["A flood closed the mill on Monday."] + _draft(80).split("\n\n")
    article2, seg2 = _article(moved)
    after = [c.text for c in make_chunks(article2, seg2, budget=600)]
    assert len(set(after) - set(before)) <= 2 and len(set(before) - set(after)) <= 2

