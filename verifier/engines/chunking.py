"""chunking: cut an article's checkable sentences into numbered passages for the model.

A chunk is what the model reads in one call: the sentences of whole checkable paragraphs (headings
left out), numbered from 1, plus a short context before them so "he said" can be resolved. The
model answers with sentence numbers, so every chunk keeps each sentence's analysis offsets.

Boundaries are content-defined, so an edit moves only the chunks around it and the cache keeps
the rest: a new chunk starts before a paragraph whose opening words hash to an anchor (about one
paragraph in `ANCHOR_EVERY`), or where the next paragraph would take the chunk over its token
budget. Inserting a paragraph changes the chunk it joins (and, when that overflows, the next
one) and nothing after the next anchor; editing a paragraph's words after its opening changes
its own chunk only (and the next chunk's context when the edit lies in the text just before it).
A paragraph longer than the budget is cut into runs of sentences.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

from verifier.model.schema import Article, Paragraph, Segmentation, strip_range

SEPARATOR = "\n\n"
CONTEXT_CHARS = 600
ANCHOR_WORDS = 6  # the opening words of a paragraph that decide whether a chunk starts there
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Line:
    """One numbered sentence of a chunk: analysis offsets and the paragraph it belongs to."""

    start: int
    end: int
    paragraph: int


@dataclass(slots=True)
class Chunk:
    """One passage for the model: numbered sentences, and the context just before them."""

    index: int
    lines: list[Line]
    text: str = ""  # the sentences as the article writes them, paragraphs apart by a blank line
    numbered: str = ""  # what the model reads: "[1] ..." one sentence a line
    context: str = ""
    paragraphs: list[int] = field(default_factory=list)

    def line_text(self, article: Article, number: int) -> str:
        """The article's words of sentence `number` (1-based)."""
        line = self.lines[number - 1]
        return article.text[line.start:line.end]


def estimate_tokens(text: str) -> int:
    """A tokenizer-free estimate: about 4 characters a token for Latin script, 1 for CJK and others."""
    ascii_chars = sum(1 for c in text if c < "\u0250")
    return math.ceil(ascii_chars / 4) + (len(text) - ascii_chars)


def anchor_every(budget: int) -> int:
    """One paragraph in this many starts a chunk (about half the budget at 100 tokens a paragraph)."""
    return max(2, budget // 200)


def make_chunks(article: Article, seg: Segmentation, budget: int) -> list[Chunk]:
    """Chunks of the checkable paragraphs, each under `budget` estimated tokens where possible."""
    # Headings are left out: the headline reaches the model as context, and a section heading
    # restates what the paragraphs under it say.
    every = anchor_every(budget)
    groups: list[list[Line]] = []
    used = 0
    for para in seg.paragraphs:
        if not para.checkable or para.heading:
            continue
        for number, run in enumerate(_runs(article, seg, para, budget)):
            cost = sum(estimate_tokens(article.text[ln.start:ln.end]) + 1 for ln in run)
            anchored = number == 0 and _is_anchor(article.text[run[0].start:run[-1].end], every)
            if not groups or used + cost > budget or anchored:
                groups.append([])
                used = 0
            groups[-1].extend(run)
            used += cost
    return [build_chunk(article, seg, i, lines) for i, lines in enumerate(groups)]


def _is_anchor(paragraph: str, every: int) -> bool:
    words = " ".join(w.lower() for w in _WORDS.findall(paragraph)[:ANCHOR_WORDS])
    return int(hashlib.sha256(words.encode("utf-8")).hexdigest()[:8], 16) % every == 0


def _runs(article: Article, seg: Segmentation, para: Paragraph, budget: int) -> list[list[Line]]:
    """The paragraph's sentences: one run, or several when the paragraph is over the budget."""
    lines = _lines(article, seg, para)
    runs: list[list[Line]] = []
    used = 0
    for line in lines:
        cost = estimate_tokens(article.text[line.start:line.end]) + 1
        if not runs or used + cost > budget:
            runs.append([])
            used = 0
        runs[-1].append(line)
        used += cost
    return runs


def _lines(article: Article, seg: Segmentation, para: Paragraph) -> list[Line]:
    """The paragraph's sentences, trimmed of surrounding whitespace (the whole paragraph when the
    segmenter found none)."""
    out = []
    for sent in seg.sentences_in(para.index):
        s, e = strip_range(article.text, max(sent.start, para.start), min(sent.end, para.end))
        if e > s:
            out.append(Line(s, e, para.index))
    if not out:
        s, e = strip_range(article.text, para.start, para.end)
        if e > s:
            out.append(Line(s, e, para.index))
    return out


def build_chunk(article: Article, seg: Segmentation, index: int, lines: list[Line]) -> Chunk:
    """The chunk of `lines`: its text, its numbered rendering and its context."""
    text_parts: list[str] = []
    numbered: list[str] = []
    for number, line in enumerate(lines, start=1):
        words = article.text[line.start:line.end]
        if number > 1:
            new_paragraph = line.paragraph != lines[number - 2].paragraph
            text_parts.append(SEPARATOR if new_paragraph else " ")
            if new_paragraph:
                numbered.append("")
        text_parts.append(words)
        numbered.append(f"[{number}] " + " ".join(words.split()))
    return Chunk(index=index, lines=lines, text="".join(text_parts), numbered="\n".join(numbered),
                 context=_context(article, seg, lines[0]),
                 paragraphs=sorted({ln.paragraph for ln in lines}))


def _context(article: Article, seg: Segmentation, first: Line) -> str:
    """Up to CONTEXT_CHARS of story text just before the chunk: its own paragraph's earlier
    sentences when the chunk starts mid-paragraph, otherwise the previous story paragraph; the
    headline for the first chunk of the article."""
    para = next((p for p in seg.paragraphs if p.index == first.paragraph), None)
    if para is not None and first.start > para.start and article.text[para.start:first.start].strip():
        return _tail(article.text[para.start:first.start])
    earlier = [p for p in seg.paragraphs
               if p.end <= first.start and not p.boilerplate and not p.heading]
    if earlier:
        return _tail(article.text[earlier[-1].start:earlier[-1].end])
    return _tail(article.title or "")


def split_chunk(article: Article, seg: Segmentation, chunk: Chunk) -> list[Chunk]:
    """Two halves of `chunk` (at the paragraph break nearest its middle, else the middle
    sentence), or [] when it is a single sentence that cannot be cut."""
    lines = chunk.lines
    if len(lines) < 2:
        return []
    breaks = [i for i in range(1, len(lines)) if lines[i].paragraph != lines[i - 1].paragraph]
    middle = len(lines) // 2
    cut = min(breaks, key=lambda i: (abs(i - middle), i)) if breaks else middle
    return [build_chunk(article, seg, chunk.index, lines[:cut]),
            build_chunk(article, seg, chunk.index, lines[cut:])]


def _tail(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= CONTEXT_CHARS:
        return text
    cut = text[-CONTEXT_CHARS:]
    return cut[cut.find(" ") + 1:] if " " in cut else cut
