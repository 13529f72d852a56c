"""chunking: split an article's checkable paragraphs into passages under a token budget.

A chunk is a passage the model reads in one call: whole paragraphs (only those where
`Paragraph.checkable` is true, headings left out) joined by blank lines, plus a little context before it so "he said"
can be resolved. A paragraph longer than the budget is cut at sentence boundaries. Every chunk keeps
the map from its own offsets back to analysis offsets in `article.text`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from verifier.schema import Article, Paragraph, Segmentation, strip_range

SEPARATOR = "\n\n"
CONTEXT_CHARS = 600


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of `article.text` copied into a chunk at `chunk_start`."""

    chunk_start: int
    article_start: int
    length: int

    @property
    def chunk_end(self) -> int:
        return self.chunk_start + self.length


@dataclass(slots=True)
class Chunk:
    """One passage for the model, and how its offsets map back to the article."""

    index: int
    text: str
    pieces: list[Piece]
    context: str = ""
    paragraphs: list[int] = field(default_factory=list)

    def to_article(self, start: int, end: int) -> tuple[int, int]:
        """Analysis offsets of chunk offsets [start, end)."""
        return self._map(start, is_end=False), self._map(end, is_end=True)

    def _map(self, pos: int, is_end: bool) -> int:
        for piece in self.pieces:
            if piece.chunk_start <= pos < piece.chunk_end or (is_end and pos == piece.chunk_end):
                return piece.article_start + pos - piece.chunk_start
        # In a separator: an end belongs to the piece before it, a start to the piece after it.
        if is_end:
            before = [p for p in self.pieces if p.chunk_end <= pos]
            return before[-1].article_start + before[-1].length
        after = [p for p in self.pieces if p.chunk_start >= pos]
        return after[0].article_start


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate: about 4 characters a token for Latin script, 1 for CJK and others."""
    ascii_chars = sum(1 for c in text if c < "\u0250")
    return math.ceil(ascii_chars / 4) + (len(text) - ascii_chars)


def make_chunks(article: Article, seg: Segmentation, budget: int) -> list[Chunk]:
    """Chunks of the checkable paragraphs, each under `budget` estimated tokens where possible."""
    # Headings are left out: the headline reaches the model as the article's title, and a
    # section heading restates what the paragraphs under it say.
    units = [u for p in seg.paragraphs if p.checkable and not p.heading
             for u in _units(article, seg, p, budget)]
    chunks: list[Chunk] = []
    group: list[tuple[int, int, int]] = []
    used = 0
    for unit in units:
        cost = estimate_tokens(article.text[unit[0]:unit[1]])
        if group and used + cost > budget:
            chunks.append(_chunk(article, seg, len(chunks), group))
            group, used = [], 0
        group.append(unit)
        used += cost + 1
    if group:
        chunks.append(_chunk(article, seg, len(chunks), group))
    return chunks


def _units(article: Article, seg: Segmentation, para: Paragraph, budget: int) -> list[tuple[int, int, int]]:
    """(start, end, paragraph index): the whole paragraph, or runs of its sentences if too long."""
    start, end = strip_range(article.text, para.start, para.end)
    if end <= start:
        return []
    if estimate_tokens(article.text[start:end]) <= budget:
        return [(start, end, para.index)]
    runs: list[tuple[int, int, int]] = []
    for sent in seg.sentences_in(para.index) or []:
        s, e = strip_range(article.text, sent.start, sent.end)
        if runs and estimate_tokens(article.text[runs[-1][0]:e]) <= budget:
            runs[-1] = (runs[-1][0], e, para.index)
        elif e > s:
            runs.append((s, e, para.index))
    return runs or [(start, end, para.index)]


def _chunk(article: Article, seg: Segmentation, index: int, units: list[tuple[int, int, int]]) -> Chunk:
    text, pieces = _assemble(article, [(u[0], u[1]) for u in units])
    return Chunk(index=index, text=text, pieces=pieces, context=_context(article, seg, units[0]),
                 paragraphs=sorted({u[2] for u in units}))


def _assemble(article: Article, units: list[tuple[int, int]]) -> tuple[str, list[Piece]]:
    """The passage text and its pieces: stretches of one paragraph joined by a space, stretches
    of different paragraphs by a blank line."""
    parts: list[str] = []
    pieces: list[Piece] = []
    pos = 0
    for start, end in units:
        if pieces:
            gap = article.text[pieces[-1].article_start + pieces[-1].length:start]
            sep = SEPARATOR if "\n" in gap or not gap else " "
            parts.append(sep)
            pos += len(sep)
        parts.append(article.text[start:end])
        pieces.append(Piece(chunk_start=pos, article_start=start, length=end - start))
        pos += end - start
    return "".join(parts), pieces


def _context(article: Article, seg: Segmentation, first: tuple[int, int, int]) -> str:
    """Up to CONTEXT_CHARS of story text just before the chunk: its own paragraph's earlier
    sentences when the chunk starts mid-paragraph, otherwise the previous story paragraph."""
    start, _, index = first
    para = next((p for p in seg.paragraphs if p.index == index), None)
    if para is not None and start > para.start and article.text[para.start:start].strip():
        before = article.text[para.start:start]
    else:
        earlier = [p for p in seg.paragraphs if p.end <= start and not p.boilerplate and not p.heading]
        before = article.text[earlier[-1].start:earlier[-1].end] if earlier else ""
    return _tail(before)


def split_chunk(article: Article, seg: Segmentation, chunk: Chunk) -> list[Chunk]:
    """Two smaller chunks covering `chunk` (for a model whose context it overflowed), or []
    when it is a single sentence that cannot be cut."""
    units = [(p.article_start, p.article_start + p.length) for p in chunk.pieces]
    if len(units) == 1:
        start, end = units[0]
        units = [strip_range(article.text, max(s.start, start), min(s.end, end))
                 for s in seg.sentences if s.end > start and s.start < end]
        units = [u for u in units if u[1] > u[0]]
    if len(units) < 2:
        return []
    middle = len(units) // 2
    return [_sub_chunk(article, chunk, units[:middle], 0), _sub_chunk(article, chunk, units[middle:], 1)]


def _sub_chunk(article: Article, parent: Chunk, units: list[tuple[int, int]], half: int) -> Chunk:
    text, pieces = _assemble(article, units)
    context = parent.context if half == 0 else _tail(article.text[parent.pieces[0].article_start:units[0][0]])
    return Chunk(index=parent.index, text=text, pieces=pieces, context=context,
                 paragraphs=parent.paragraphs)


def _tail(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text[-CONTEXT_CHARS:]
    return cut[cut.find(" ") + 1:] if " " in cut else cut
