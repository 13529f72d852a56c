"""sourcecheck: every direct quote checked word for word against the sources.

The sources are indexed once per run (`SourceIndex`): every word of every source, normalised
(case folded, curly apostrophes straightened, each CJK character a word of its own), with a posting
list per distinct word. A quote is then located from its rarest words: each occurrence of one votes
for where the quote would start, the best-voted places are aligned word by word with the quote,
and the best alignment decides the status. Checking Q quotes against S characters of sources costs
about S (the index, once) plus Q x quote length, never a fuzzy scan of the sources per quote.

Statuses (DESIGN.md): verbatim (same words, differences only in quote marks and whitespace),
minor_difference (punctuation, case, a legitimate ellipsis, a [bracketed] clarification),
altered (words changed, added or dropped), not_found, speaker_mismatch (in a speaker-labelled
transcript the words belong to someone other than the credited speaker; in a prose source, the
speaker the quote finder reads there is someone else), unchecked (no sources).

A word diff reads from the draft to the source: `can -> will` (the draft says 'can', the source
'will'), `- not` (the draft drops the source's 'not'), `+ really` (the draft adds 'really').
"""

from __future__ import annotations

import bisect
import heapq
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import NamedTuple

from verifier import vocab
from verifier.ingest.sources import SourceDoc, Turn, same_speaker
from verifier.model import catalog
from verifier.model.lru import LRU
from verifier.model.schema import (
    Article,
    DiffMarks,
    Finding,
    Quote,
    SourceCheck,
    SourceStatus,
    Span,
)

_CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(
    rf"\d+(?:[.,]\d+)+|[{_CJK_CLASS}]|[^\W_{_CJK_CLASS}]+(?:['’][^\W_{_CJK_CLASS}]+)*"
)
_ELLIPSIS = re.compile(r"\s*(?:\[\s*(?:\.\s*){3}\]|\[…\]|(?:\.\s*){3}|…)\s*")
_BRACKET = re.compile(r"\[[^\[\]]*\]")
# the one negation list (verifier/vocab/negation.yaml), English and Chinese; a word ending in "n't"
# is one too (`_negation_change`)
_NEGATIONS = frozenset((*vocab.words("negation"), *vocab.words("negation", "chinese")))

FOUND_SIMILARITY = 0.6  # below this, the best passage is not taken for the quote
SHORT_PARTIAL_WORDS = 3  # partial quotes this short are reported at most as minor_difference
_MAX_GAP_TOKENS = 2000  # how far after one piece of a quote the next may start
_REACHES = (64, 512, _MAX_GAP_TOKENS)  # widening windows searched for the next piece
_RAREST = 8  # quote words whose occurrences vote for a position
_CANDIDATES = 6  # best-voted positions aligned per quote piece
_BAND = 4  # diagonals voted for together (a few words added or dropped)
_MIN_VOTERS = 2  # words that always vote, however common
_VOTE_BUDGET = 3000  # occurrences the other voters may add up to


def normalise(word: str) -> str:
    """The comparable form of a word."""
    word = word.casefold().replace("’", "'")
    if not word.isascii():
        word = unicodedata.normalize("NFKC", word)
    if word[:1].isdigit():
        word = word.replace(",", "")
    return word


# --------------------------------------------------------------------------- the index


class SourceIndex:
    """Every word of every source, with one posting list (global positions) per distinct word."""

    def __init__(self, docs: list[SourceDoc]) -> None:
        self.docs = docs
        self.vocab: dict[str, int] = {}
        self.postings: list[list[int]] = []
        self.ids: list[int] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.doc_bounds: list[int] = []
        for doc in docs:
            self.doc_bounds.append(len(self.ids))
            self._add(doc.words_text())
        self.doc_bounds.append(len(self.ids))
        self._prose: dict[int, list[Turn]] = {}
        self._cuts: dict[int, list[int]] = {}

    def prose_turns(self, d: int) -> list[Turn]:
        """`prose_turns` of document `d`, read once per run and only when a quote is found there."""
        if d not in self._prose:
            self._prose[d] = prose_turns(self.docs[d])
        return self._prose[d]

    def turn_bounds(self, pos: int) -> tuple[int, int]:
        """The word positions [lo, hi) of the speaker turn holding word `pos` in a labelled
        transcript (the words before its first label count as one stretch), else of its document."""
        d = self.doc_of(pos)
        cuts = self._cuts.get(d)
        if cuts is None:
            lo, hi = self.doc_bounds[d], self.doc_bounds[d + 1]
            cuts = [lo] + [bisect.bisect_left(self.starts, t.start, lo, hi)
                           for t in self.docs[d].turns] + [hi]
            self._cuts[d] = cuts
        i = bisect.bisect_right(cuts, pos) - 1  # turns without words share a cut: the last
        return cuts[i], cuts[i + 1]

    def _add(self, text: str) -> None:
        vocab, postings, ids = self.vocab, self.postings, self.ids
        starts, ends = self.starts, self.ends
        seen: dict[str, int] = {}  # surface form -> id, so each form is normalised once
        for m in TOKEN.finditer(text):
            word = m.group()
            wid = seen.get(word)
            if wid is None:
                norm = normalise(word)
                wid = vocab.get(norm)
                if wid is None:
                    wid = vocab[norm] = len(postings)
                    postings.append([])
                seen[word] = wid
            postings[wid].append(len(ids))
            ids.append(wid)
            starts.append(m.start())
            ends.append(m.end())

    def doc_of(self, pos: int) -> int:
        return bisect.bisect_right(self.doc_bounds, pos) - 1

    def word_id(self, norm: str) -> int:
        return self.vocab.get(norm, -1)

    def candidates(self, ids: list[int], lo: int, hi: int,
                   near: int | None = None) -> list[tuple[int, int]]:
        """Likely start positions (global) in [lo, hi) of a word sequence, best first (among
        equals, nearest to `near`), each with a position inside it (which tells the document)."""
        known = []
        for i, wid in enumerate(ids):
            if wid >= 0:
                plist = self.postings[wid]
                a, b = bisect.bisect_left(plist, lo), bisect.bisect_left(plist, hi)
                if b > a:
                    known.append((b - a, i, a, b, plist))
        known.sort(key=lambda k: k[0])
        votes: Counter[int] = Counter()  # diagonal (start position) // _BAND
        shifted: Counter[int] = Counter()  # the same, half a band over
        spent = 0
        for taken, (count, i, a, b, plist) in enumerate(known[:_RAREST]):
            # The rarest words pin the place down; common ones would cost time in proportion to
            # the size of the sources and add little, so they vote only while within budget.
            if taken >= _MIN_VOTERS and spent + count > _VOTE_BUDGET:
                break
            spent += count
            # Votes go to bands of diagonals, so that words on either side of an added or
            # dropped word still vote for the same place; two grids half a band apart make sure
            # any two diagonals close together share a band in one of them.
            diags = [p - i for p in plist[a:b]]
            votes.update([d // _BAND for d in diags])
            shifted.update([(d + _BAND // 2) // _BAND for d in diags])
        n = len(ids)
        starts = _spread(votes, shifted, n, near)
        return [(diag, min(max(diag + n // 2, lo), hi - 1)) for diag in starts]


def _spread(votes: Counter[int], shifted: Counter[int], length: int,
            near: int | None) -> list[int]:
    """The best-voted start positions, skipping those a few words from a better one."""
    ranked = [(c, b * _BAND) for b, c in _top(votes, near, 0)]
    ranked += [(c, b * _BAND - _BAND // 2) for b, c in _top(shifted, near, _BAND // 2)]
    ranked.sort(key=lambda cb: (-cb[0], abs(cb[1] - near) if near is not None else 0))
    picked: list[int] = []
    reach = max(_BAND, length // 2)
    for _, diag in ranked:
        if all(abs(diag - p) > reach for p in picked):
            picked.append(diag)
            if len(picked) == _CANDIDATES:
                break
    return picked


def _top(votes: Counter[int], near: int | None, shift: int) -> list[tuple[int, int]]:
    """The best-voted bands; ties go to the band nearest `near` when it is given."""
    if near is None:
        return votes.most_common(_CANDIDATES * 4)
    return heapq.nsmallest(_CANDIDATES * 4, votes.items(),
                           key=lambda bc: (-bc[1], abs(bc[0] * _BAND - shift - near)))


IndexCache = LRU[tuple[tuple[str, int, int], ...], SourceIndex]
_INDEX_CACHE: IndexCache = LRU(4)  # for callers without a run (a run passes `RunContext.indexes`)


def index_for(docs: list[SourceDoc], cache: IndexCache | None = None) -> SourceIndex:
    """The index of `docs`, built once per distinct set of sources in `cache` (the run's)."""
    cache = _INDEX_CACHE if cache is None else cache
    key = tuple((d.path, len(d.text), hash(d.text)) for d in docs)
    index = cache.get(key)
    return index if index is not None else cache.put(key, SourceIndex(docs))


# --------------------------------------------------------------------------- the quote's words


@dataclass(slots=True)
class Piece:
    """A stretch of a quote between ellipses or split parts: its words, normalised and in place."""

    text: str
    words: list[str]
    norms: list[str]
    spans: list[tuple[int, int]]  # of each word in `text`
    bracketed: list[bool]
    after: str  # what separates it from the previous piece: "start" | "ellipsis" | "split"

    def surface(self) -> str:
        return self.text[self.spans[0][0]:self.spans[-1][1]] if self.spans else ""


def pieces_of(parts: list[str]) -> list[Piece]:
    """The quote's words, cut at ellipses and between the parts of a split quote."""
    pieces: list[Piece] = []
    for p, part in enumerate(parts):
        for s, chunk in enumerate(_ELLIPSIS.split(part)):
            after = "start" if not pieces else ("split" if s == 0 and p > 0 else "ellipsis")
            piece = _piece(chunk, after)
            if piece.words:
                pieces.append(piece)
    return pieces


def _piece(text: str, after: str) -> Piece:
    brackets = [(m.start(), m.end()) for m in _BRACKET.finditer(text)]
    words, norms, spans, bracketed = [], [], [], []
    for m in TOKEN.finditer(text):
        words.append(m.group())
        norms.append(normalise(m.group()))
        spans.append((m.start(), m.end()))
        bracketed.append(any(a <= m.start() < b for a, b in brackets))
    return Piece(text, words, norms, spans, bracketed, after)


def quote_ids(index: SourceIndex, piece: Piece) -> list[int]:
    """The piece's word ids; unknown and [bracketed] words get ids no source word has."""
    return [-1 - i if bracketed else index.word_id(norm)
            for i, (norm, bracketed) in enumerate(zip(piece.norms, piece.bracketed, strict=True))]


# --------------------------------------------------------------------------- alignment


@dataclass(slots=True)
class PieceMatch:
    """One piece aligned with the source words [lo, hi) (global positions)."""

    piece: Piece
    lo: int
    hi: int
    ops: list[tuple[str, int, int, int, int]]  # difflib opcodes, source side global
    matched: int

    @property
    def size(self) -> int:
        return len(self.piece.words) + (self.hi - self.lo)


@dataclass(slots=True)
class Match:
    """The best placement of a whole quote in one source document."""

    doc: int
    pieces: list[PieceMatch] = field(default_factory=list)
    missing: list[Piece] = field(default_factory=list)  # pieces not found after the previous one

    @property
    def similarity(self) -> float:
        matched = sum(p.matched for p in self.pieces)
        size = sum(p.size for p in self.pieces) + sum(len(p.words) for p in self.missing)
        return 2 * matched / size if size else 0.0

    @property
    def lo(self) -> int:
        return self.pieces[0].lo

    @property
    def hi(self) -> int:
        return self.pieces[-1].hi


def align(index: SourceIndex, piece: Piece, start: int, lo: int, hi: int) -> PieceMatch | None:
    """Align `piece` with the source words around global position `start`, within [lo, hi)."""
    n = len(piece.norms)
    slack = max(_BAND + 2, n // 2 + 2)
    w_lo, w_hi = max(lo, start - slack), min(hi, start + n + slack)
    if w_hi <= w_lo:
        return None
    qids = quote_ids(index, piece)
    exact = _exact(index, qids, start, max(lo, w_lo), min(hi, w_hi))
    if exact is not None:
        return PieceMatch(piece, exact, exact + n, [("equal", 0, n, exact, exact + n)], n)
    raw_ops = SequenceMatcher(None, qids, index.ids[w_lo:w_hi], autojunk=False).get_opcodes()
    ops = _trim([(str(t), i1, i2, j1 + w_lo, j2 + w_lo) for t, i1, i2, j1, j2 in raw_ops])
    ops = _within_sentence(index, piece, ops)
    matched = sum(i2 - i1 for t, i1, i2, _, _ in ops if t == "equal")
    if not matched:
        return None
    src = [(j1, j2) for t, _, _, j1, j2 in ops if j2 > j1]
    return PieceMatch(piece, src[0][0], src[-1][1], ops, matched)


def _exact(index: SourceIndex, qids: list[int], start: int, lo: int, hi: int) -> int | None:
    """Where the words occur exactly, nearest `start` (the same words may occur twice in one
    window; the aligner would take the first)."""
    n = len(qids)
    for off in sorted(range(-_BAND - 2, _BAND + 3), key=abs):
        s = start + off
        if lo <= s and s + n <= hi and index.ids[s:s + n] == qids:
            return s
    return None


def _trim(ops: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """Drop source words before the quote's first word and after its last."""
    while ops and ops[0][0] == "insert":
        ops.pop(0)
    while ops and ops[-1][0] == "insert":
        ops.pop()
    if ops and ops[0][0] == "replace":
        t, i1, i2, j1, j2 = ops[0]
        ops[0] = (t, i1, i2, max(j1, j2 - (i2 - i1)), j2)
    if ops and ops[-1][0] == "replace":
        t, i1, i2, j1, j2 = ops[-1]
        ops[-1] = (t, i1, i2, j1, min(j2, j1 + (i2 - i1)))
    return ops


_SENTENCE_END = re.compile(r"[.!?。！？]")


def _within_sentence(index: SourceIndex, piece: Piece,
                     ops: list[tuple[str, int, int, int, int]]) -> list[tuple[str, int, int, int, int]]:
    """A changed word at either end of the quote that the aligner paired with a source word across
    a sentence end the quote does not have is a word the quote added: "... this quarter or next
    year" against "... this quarter or next. Thank you." is `+ year`, not `year -> Thank`."""
    if len(ops) < 2:
        return ops

    def source_breaks(j: int) -> bool:  # a sentence ends (or the document does) between words j-1 and j
        d = index.doc_of(j)
        return d != index.doc_of(j - 1) or bool(
            _SENTENCE_END.search(index.docs[d].plain, index.ends[j - 1], index.starts[j]))

    def quote_breaks(i: int) -> bool:  # ... between the quote's words i-1 and i
        return bool(_SENTENCE_END.search(piece.text, piece.spans[i - 1][1], piece.spans[i][0]))

    t, i1, i2, j1, j2 = ops[-1]
    if t == "replace" and ops[-2][0] == "equal" and source_breaks(j1) and not quote_breaks(i1):
        ops[-1] = ("delete", i1, i2, j1, j1)
    t, i1, i2, j1, j2 = ops[0]
    if t == "replace" and ops[1][0] == "equal" and source_breaks(j2) and not quote_breaks(i2):
        ops[0] = ("delete", i1, i2, j2, j2)
    return ops


def best_match(index: SourceIndex, pieces: list[Piece], speaker: str | None) -> Match | None:
    """The best placement of the quote's pieces, in order, in one document.

    The piece with the rarest word is placed first (a piece of common words alone would match
    in too many places); the pieces before it are then placed backwards, those after it forwards.
    """
    k = min(range(len(pieces)), key=lambda j: _rarity(index, pieces[j]))
    best: Match | None = None
    best_key: tuple[float, int] = (-1.0, 0)
    for start, at in index.candidates(quote_ids(index, pieces[k]), 0, len(index.ids)):
        d = index.doc_of(at)
        d_lo, d_hi = index.doc_bounds[d], index.doc_bounds[d + 1]
        anchor = align(index, pieces[k], start, d_lo, d_hi)
        if anchor is None:
            continue
        # In a labelled transcript the quote is one speaker's words: its match stays in the turn
        # holding most of the anchor's matched words.
        t_lo, t_hi = _turn_of_anchor(index, anchor)
        if anchor.lo < t_lo or anchor.hi > t_hi:
            anchor = align(index, pieces[k], min(max(start, t_lo), t_hi - 1), t_lo, t_hi)
            if anchor is None:
                continue
        match = Match(d, [anchor])
        for piece in reversed(pieces[:k]):
            _place(index, match, piece, max(t_lo, match.lo - _MAX_GAP_TOKENS), match.lo, True)
        for piece in pieces[k + 1:]:
            _place(index, match, piece, match.hi, min(t_hi, match.hi + _MAX_GAP_TOKENS), False)
        key = (match.similarity, _speaker_bonus(index, match, speaker))
        if key > best_key:
            best, best_key = match, key
    return best


def _turn_of_anchor(index: SourceIndex, anchor: PieceMatch) -> tuple[int, int]:
    """`turn_bounds` of the turn holding most of the words `anchor` matched (the first such)."""
    held: Counter[tuple[int, int]] = Counter()
    for t, _, _, j1, j2 in anchor.ops:
        if t == "equal":
            for j in range(j1, j2):
                held[index.turn_bounds(j)] += 1
    return held.most_common(1)[0][0]


def _rarity(index: SourceIndex, piece: Piece) -> tuple[int, int]:
    """How well a piece pins a place down: its rarest word's count, then its length."""
    counts = [len(index.postings[i]) for i in quote_ids(index, piece) if i >= 0]
    return (min(counts) if counts else len(index.ids) + 1, -len(piece.words))


def _place(index: SourceIndex, match: Match, piece: Piece, lo: int, hi: int, before: bool) -> None:
    """Place `piece` in [lo, hi), before or after the pieces placed so far: the best-matching
    place, and among equals the nearest, searched in widening windows so that a piece of common
    words finds its own occurrence next to its neighbour rather than one further away."""
    placed: PieceMatch | None = None
    best = (-1.0, 0)
    for reach in _REACHES:
        w_lo, w_hi = (max(lo, hi - reach), hi) if before else (lo, min(hi, lo + reach))
        near = w_hi - len(piece.words) if before else w_lo
        for start, _ in index.candidates(quote_ids(index, piece), w_lo, w_hi, near):
            m = align(index, piece, start, w_lo, w_hi)
            if m is not None:
                key = (m.matched / m.size, m.hi if before else -m.lo)
                if key > best:
                    placed, best = m, key
        if best[0] >= 1.0 or (w_hi - w_lo) < reach:
            break
    if placed is None:
        match.missing.append(piece)
    elif before:
        match.pieces.insert(0, placed)
    else:
        match.pieces.append(placed)


def _speaker_bonus(index: SourceIndex, match: Match, speaker: str | None) -> int:
    turn = turn_of(index, match)
    if turn is None or speaker is None:
        return 0
    same = same_speaker(speaker, turn)
    return {True: 1, None: 0, False: -1}[same]


def turn_of(index: SourceIndex, match: Match) -> Turn | None:
    """Who the source gives the matched words to: the transcript turn holding them, or in a prose
    source (a press release, wire copy) the quote holding them and the speaker the same finder
    reads there (`“...,” said Ana Ruiz.`)."""
    doc = index.docs[match.doc]
    at = index.starts[match.lo]
    if doc.turns:
        return doc.turn_at(at)
    for turn in index.prose_turns(match.doc):
        if turn.start <= at < turn.end:
            return turn
    return None


def prose_turns(doc: SourceDoc) -> list[Turn]:
    """The quotes of a prose source whose speaker has a name, as turns (start and end of the
    quoted words, the speaker resolved in the source's own text)."""
    from verifier.ingest import load
    from verifier.stages import quotes, segment

    article = load.load_text(doc.plain)
    found = quotes.find_quotes(article, segment.segment(article))
    return [Turn(start=q.span.start, end=q.span.end, speaker=q.speaker,
                 label=q.speaker_mention or q.speaker, label_start=q.span.start)
            for q in found.quotes if q.speaker and _names_someone(q.speaker)]


def _names_someone(speaker: str) -> bool:
    """A name ('Ana Ruiz', '林晓峰'), not a description ('the company', 'a spokeswoman')."""
    words = speaker.split()
    return bool(re.search(f"[{_CJK_CLASS}]", speaker)) or all(w[:1].isupper() for w in words)


# --------------------------------------------------------------------------- verdicts


@dataclass(slots=True)
class Verdict:
    status: SourceStatus
    diff: str | None = None
    negation: str | None = None  # "drops 'not'" / "adds 'never'"
    # the words the diff names: [i, j) of the quote's words (all pieces, in order), and [lo, hi)
    # of the source's words (global positions)
    draft_words: list[tuple[int, int]] = field(default_factory=list)
    source_words: list[tuple[int, int]] = field(default_factory=list)


@dataclass(slots=True)
class _PieceDiff:
    words: list[str] = field(default_factory=list)  # word changes: "can -> will", "+ really", "- not"
    minor: list[str] = field(default_factory=list)  # punctuation, case, [brackets]
    negation: str | None = None
    draft_words: list[tuple[int, int]] = field(default_factory=list)  # [i, j) in the piece
    source_words: list[tuple[int, int]] = field(default_factory=list)  # [lo, hi), global


def judge(index: SourceIndex, match: Match, quote: Quote, pieces: list[Piece]) -> Verdict:
    """Status and word diff of a found quote (`pieces`: all of the quote's, in order)."""
    first_word: dict[int, int] = {}  # the piece (by identity) -> the quote's word it starts at
    count = 0
    for piece in pieces:
        first_word[id(piece)] = count
        count += len(piece.words)
    words: list[str] = []
    minor: list[str] = []
    draft_words: list[tuple[int, int]] = []
    source_words: list[tuple[int, int]] = []
    negation = None
    for pm in match.pieces:
        diff = _piece_diff(index, match.doc, pm)
        words += diff.words
        minor += diff.minor
        negation = negation or diff.negation
        at = first_word[id(pm.piece)]
        draft_words += [(at + i, at + j) for i, j in diff.draft_words]
        source_words += diff.source_words
    words += [f"+ {_join(p.words)}" for p in match.missing]
    draft_words += [(first_word[id(p)], first_word[id(p)] + len(p.words)) for p in match.missing]
    minor += _gap_notes(index, match)
    if words:
        return Verdict(SourceStatus.ALTERED, "; ".join(words), negation,
                       sorted(draft_words), sorted(source_words))
    if minor:
        return Verdict(SourceStatus.MINOR_DIFFERENCE, "; ".join(minor))
    return Verdict(SourceStatus.VERBATIM)


def _piece_diff(index: SourceIndex, d: int, pm: PieceMatch) -> _PieceDiff:
    """Word changes (and where their words are), minor changes, and a negation gained or lost,
    for one aligned piece."""
    plain = index.docs[d].plain
    piece = pm.piece

    def src(j1: int, j2: int) -> str:
        return _join([plain[index.starts[j]:index.ends[j]] for j in range(j1, j2)])

    out = _PieceDiff()
    for tag, i1, i2, j1, j2 in pm.ops:
        if tag == "equal":
            continue
        q = _join(piece.words[i1:i2])
        if i2 > i1 and all(piece.bracketed[i1:i2]):
            out.minor.append(f"[{q}] for {src(j1, j2)}" if j2 > j1 else f"[{q}] added")
        else:
            if tag == "replace":
                out.words.append(f"{q} -> {src(j1, j2)}")
            elif tag == "delete":
                out.words.append(f"+ {q}")
            else:
                out.words.append(f"- {src(j1, j2)}")
            if i2 > i1:
                out.draft_words.append((i1, i2))
            if j2 > j1:
                out.source_words.append((j1, j2))
            said = [plain[index.starts[j]:index.ends[j]] for j in range(j1, j2)]
            out.negation = out.negation or _negation_change(piece.words[i1:i2], said)
    if not out.words and not any(piece.bracketed):
        out.minor += _surface_diff(piece.surface(), plain[index.starts[pm.lo]:index.ends[pm.hi - 1]])
    return out


def _negation_change(quoted: list[str], said: list[str]) -> str | None:
    """'drops 'not'' / 'adds 'never'' when a changed stretch gains or loses a negation."""
    q = {w for w in map(normalise, quoted) if w in _NEGATIONS or w.endswith("n't")}
    s = {w for w in map(normalise, said) if w in _NEGATIONS or w.endswith("n't")}
    if s and not q:
        return f"drops '{sorted(s)[0]}'"
    if q and not s:
        return f"adds '{sorted(q)[0]}'"
    return None


def _gap_notes(index: SourceIndex, match: Match) -> list[str]:
    notes = []
    plain = index.docs[match.doc].plain
    for prev, pm in zip(match.pieces, match.pieces[1:], strict=False):
        gap = pm.lo - prev.hi
        if pm.piece.after == "ellipsis":
            between = plain[index.ends[prev.hi - 1]:index.starts[pm.lo]]
            if gap > 0:
                notes.append(f"… for {gap} omitted word{'s' if gap != 1 else ''}")
            elif not re.search(r"…|\.\s*\.\s*\.", between):
                notes.append("… where the source omits nothing")
        elif gap > 0:
            notes.append(f"the split quote's parts are {gap} word{'s' if gap != 1 else ''} apart "
                         "in the source")
    return notes


_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "「": '"', "」": '"',
                              "『": '"', "』": '"', "‘": "'", "’": "'", "‚": "'", "‹": "'", "›": "'"})


def _squash(text: str) -> str:
    return " ".join(text.translate(_QUOTE_MARKS).split())


def _surface_diff(quote: str, source: str) -> list[str]:
    """Punctuation and case differences between two runs of the same words."""
    q, s = _squash(quote), _squash(source)
    if q == s or q[:1].casefold() + q[1:] == s[:1].casefold() + s[1:]:
        return []
    qw, sw = q.split(), s.split()
    out = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, qw, sw, autojunk=False).get_opcodes():
        if tag != "equal":
            out.append(f"'{' '.join(qw[i1:i2])}' -> '{' '.join(sw[j1:j2])}'")
    if not out:  # differences inside a word's run of characters (CJK punctuation)
        out.append(f"'{q}' -> '{s}'")
    kind = "case" if q.casefold() == s.casefold() else "punctuation"
    return [f"{kind}: {'; '.join(out)}"]


def _join(words: list[str]) -> str:
    """Words as a phrase: spaced for alphabetic scripts, run together for CJK."""
    out = ""
    for w in words:
        if out and not (_is_cjk(out[-1]) and _is_cjk(w[:1])):
            out += " "
        out += w
    return out


def _is_cjk(ch: str) -> bool:
    return bool(ch) and bool(re.match(f"[{_CJK_CLASS}]", ch))


# --------------------------------------------------------------------------- the stage


class Checked(NamedTuple):
    """The quotes, each a new `Quote` carrying its `source_check`, and the findings."""

    quotes: list[Quote]
    findings: list[Finding]


def check_quotes(article: Article, quotes: list[Quote], docs: list[SourceDoc],
                 indexes: IndexCache | None = None) -> Checked:
    """Check every quote against the sources. The quotes given are left as they are: the checked
    ones come back as copies (the same list, unchanged, when there are no sources)."""
    if not docs:
        return Checked(quotes, [])
    index = index_for(docs, indexes)
    checked: list[Quote] = []
    findings: list[Finding] = []
    for quote in quotes:
        result, finding = check_quote(index, quote, quote_parts(article, quote))
        checked.append(quote if result is None else quote.model_copy(update={"source_check": result}))
        if finding is not None:
            findings.append(finding)
    return Checked(checked, findings)


def check_quote(index: SourceIndex, quote: Quote,
                parts: list[str]) -> tuple[SourceCheck | None, Finding | None]:
    """Check one quote against the indexed sources: its `source_check` (None when it has no words
    to check) and its finding."""
    pieces = pieces_of(parts)
    if not pieces:
        return None, None
    match = best_match(index, pieces, quote.speaker)
    if match is None or match.similarity < FOUND_SIMILARITY:
        return _not_found(index, quote, match)
    doc = index.docs[match.doc]
    verdict = judge(index, match, quote, pieces)
    short = quote.kind == "partial" and sum(len(p.words) for p in pieces) <= SHORT_PARTIAL_WORDS
    if short and verdict.status == SourceStatus.ALTERED:
        verdict.status = SourceStatus.MINOR_DIFFERENCE
    turn = turn_of(index, match)
    if (verdict.status != SourceStatus.ALTERED and turn is not None and quote.speaker
            and same_speaker(quote.speaker, turn) is False):
        verdict.status = SourceStatus.SPEAKER_MISMATCH
        verdict.diff = f"speaker: {quote.speaker} -> {turn.who()}"
    start, end = index.starts[match.lo], index.ends[match.hi - 1]
    span = doc.span(start, end)
    result = SourceCheck(status=verdict.status, source=doc.path, similarity=round(match.similarity, 3),
                         source_span=span, diff=verdict.diff, marks=_marks(index, doc, span, quote, verdict))
    return result, _finding(quote, verdict, doc.where(start), turn, doc.plain[start:end])


def _marks(index: SourceIndex, doc: SourceDoc, span: Span, quote: Quote, verdict: Verdict) -> DiffMarks:
    """The verdict's changed words as offsets into the quote's text and into the source passage."""
    tokens = [m.span() for m in TOKEN.finditer(quote.text)]
    draft = [(tokens[i][0], tokens[j - 1][1]) for i, j in verdict.draft_words if j <= len(tokens)]
    source = []
    for lo, hi in verdict.source_words:
        a, b = doc.raw_range(index.starts[lo], index.ends[hi - 1])
        a, b = max(a - span.start, 0), min(b - span.start, len(span.text))
        if b > a:
            source.append((a, b))
    return DiffMarks(draft=draft, source=source)


def _not_found(index: SourceIndex, quote: Quote, near: Match | None) -> tuple[SourceCheck, Finding]:
    names = ", ".join(d.path for d in index.docs)
    count = f"{len(index.docs)} source{'s' if len(index.docs) != 1 else ''}"
    nearest: str | None = None
    percent: int | None = None
    check = SourceCheck(status=SourceStatus.NOT_FOUND, source=None, similarity=None,
                        source_span=None, diff=None)
    if near is not None and near.similarity >= 0.3:
        doc = index.docs[near.doc]
        check.source = doc.path
        check.similarity = round(near.similarity, 3)
        nearest, percent = doc.where(index.starts[near.lo]), round(near.similarity * 100)
    return check, _NOT_IN_SOURCE.finding(span=quote.span, quote_id=quote.id, count=count, names=names,
                                         nearest=nearest, percent=percent)


def _finding(quote: Quote, verdict: Verdict, where: str, turn: Turn | None,
             source_text: str) -> Finding | None:
    if verdict.status == SourceStatus.VERBATIM:
        return None
    span, quote_id = quote.span, quote.id
    if verdict.status == SourceStatus.SPEAKER_MISMATCH and turn is not None:
        return _SPEAKER_MISMATCH.finding(span=span, quote_id=quote_id, where=where,
                                         source_speaker=turn.who(), speaker=quote.speaker)
    if verdict.status == SourceStatus.MINOR_DIFFERENCE:
        return _MINOR_DIFFERENCE.finding(span=span, quote_id=quote_id, where=where, diff=verdict.diff)
    return _ALTERED.finding(span=span, quote_id=quote_id, where=where, diff=verdict.diff,
                            said=_shorten(source_text), negation=verdict.negation or None,
                            source_speaker=turn.who() if turn is not None and turn.speaker else None)


_NOT_IN_SOURCE = catalog.rule("quote-not-in-source")
_SPEAKER_MISMATCH = catalog.rule("quote-speaker-mismatch")
_MINOR_DIFFERENCE = catalog.rule("quote-minor-difference")
_ALTERED = catalog.rule("quote-altered")


def _shorten(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --------------------------------------------------------------------------- the quote's parts


def quote_parts(article: Article, quote: Quote) -> list[str]:
    """The quoted stretches of `quote` as the article's words (one for an unsplit quote)."""
    if len(quote.parts) < 2:
        return [quote.text]
    texts = []
    for part in quote.parts:
        a, b = article.map.analysis_range(part.start, part.end)
        texts.append(article.text[a:b])
    joined = [normalise(m.group()) for t in texts for m in TOKEN.finditer(t)]
    whole = [normalise(m.group()) for m in TOKEN.finditer(quote.text)]
    return texts if joined == whole else [quote.text]
