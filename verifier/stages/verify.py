"""verify: the verification stage. Final tags per claim, cross-checked with deterministic signals.

For the rules engine the signals are the tags. For the LLM engine the model proposes tags and the
signals check them: `attributed` needs a cue or a quote in the text; a tag the model and the signals
disagree on is settled by rule below, the confidence lowered and the disagreement named in the
rationale. Claims are linked to the quotes they restate, benchmark claims parsed, and the findings
that need no sources emitted.
"""

from __future__ import annotations

import bisect
import functools
import json
import re
from dataclasses import dataclass, field
from importlib.resources import files

from verifier import vocab
from verifier.engines.extract import ClaimDraft
from verifier.model import catalog
from verifier.model.schema import (
    Article,
    Attribution,
    Benchmark,
    Claim,
    Finding,
    Opinion,
    Quote,
    Segmentation,
    Tag,
)
from verifier.stages import checkworthy, names, signals

_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
_ASCII_CONTENT_WORD = re.compile(r"[a-z]{4,}")  # for lowered text whose letters are all ASCII
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_RESTATE_OVERLAP = 0.6  # share of a claim's content words a quote must hold for the claim to restate it
_RESTATE_MIN_WORDS = 4  # content words a claim needs before it can be said to restate anything
_RESTATE_REACH = 1200  # characters between a claim and a quote it may restate (about two paragraphs)
_TAG_ORDER = tuple(Tag)  # the order tags are listed in (iterating the enum itself is slow)
# the tags as module constants: `Tag.OPINION` is looked up through the enum's metaclass, which has a
# `__getattr__` and so takes the slow path of attribute lookup at every use
_ATTRIBUTED, _BENCHMARK_DEPENDENT, _OPINION = Tag.ATTRIBUTED, Tag.BENCHMARK_DEPENDENT, Tag.OPINION
_DISAGREE = 0.75  # confidence multiplier per tag the model and the signals disagree on


@dataclass(slots=True)
class Verified:
    claims: list[Claim]
    findings: list[Finding] = field(default_factory=list)


def verify_claims(article: Article, seg: Segmentation, drafts: list[ClaimDraft],
                  quotes: list[Quote]) -> Verified:
    """Settle tags, fill attribution/benchmark/opinion, emit findings, number the claims."""
    people = names.index_for(article)
    drafts = sorted(_dedupe(drafts), key=lambda d: (d.start or 0, d.end or 0))
    out = Verified(claims=[])
    near = _QuoteIndex(quotes)
    starts = [s.start for s in seg.sentences]
    vague: dict[tuple[str, str | None], bool] = {}  # the article's attributions read for vagueness
    for number, draft in enumerate(drafts, start=1):
        sentence = _sentence_of(seg, starts, draft.start or 0, draft.end or 0)
        claim = _verify_one(article, draft, near, people, f"C{number}", sentence)
        out.claims.append(claim)
        out.findings.extend(claim_findings(claim, vague))
    return out


def _sentence_of(seg: Segmentation, starts: list[int], start: int, end: int) -> tuple[int, int] | None:
    """From the start of the sentence holding `start` to the end of the one holding `end`."""
    if not starts:
        return None
    first = seg.sentences[max(0, bisect.bisect_right(starts, start) - 1)]
    last = seg.sentences[max(0, bisect.bisect_right(starts, max(start, end - 1)) - 1)]
    return (min(first.start, start), max(last.end, end))


def _dedupe(drafts: list[ClaimDraft]) -> list[ClaimDraft]:
    seen: set[tuple[int | None, int | None]] = set()
    kept = []
    for d in drafts:
        if (d.start, d.end) not in seen:
            seen.add((d.start, d.end))
            kept.append(d)
    return kept


class _QuoteIndex:
    """The article's quotes (in article order) with what every claim compares them by: where each
    starts and ends in the file, and its content words. Made once per article."""

    __slots__ = ("quotes", "starts", "ends", "words")

    def __init__(self, quotes: list[Quote]) -> None:
        self.quotes = quotes
        self.starts = [q.span.start for q in quotes]
        self.ends = [q.span.end for q in quotes]
        self.words = [_quote_words(q.text) for q in quotes]


def _quote_words(text: str) -> set[str]:
    """`_content_words(text)`, read from the quote's words as a claim's are (`_content_words_of`):
    one split of the words, where the content-word pattern makes a `re` match per word."""
    lower = text.lower()
    return _content_words_of(lower, checkworthy.words_of(lower))


def _verify_one(article: Article, draft: ClaimDraft, near: _QuoteIndex, people: names.NameIndex,
                claim_id: str, sentence: tuple[int, int] | None = None) -> Claim:
    start, end = draft.start or 0, draft.end or 0
    sig = signals.read(article, start, end)
    words = article.text[start:end]
    lower = _lowered_at(article, start, end)
    tokens = checkworthy.words_of(lower)  # the claim's words, read once for the quote links and the score
    # linked through the grounded words only: the model's claim text may restate another sentence
    linked = _linked_quotes(article, start, end, near, lower, tokens)
    attribution = _attribution(sig, linked, draft)
    if attribution is None:  # the learned model speaks for the publication's voice only
        signals.read_subjectivity(article, sig, sentence or (start, end))
    evidence = tag_evidence(sig, attribution, linked)
    tags, confidence, notes = _settle(evidence, draft)
    if draft.note:
        notes.append(draft.note)  # e.g. the evidence was aligned fuzzily: worth a look
    worth = checkworthy.score(words, sig, _OPINION in tags, _ATTRIBUTED in tags, lower, tokens)
    rationale = "; ".join(_rationale(sig, linked, attribution) + notes + [worth.rationale()])
    return Claim(
        id=claim_id,
        text=draft.text,
        span=article.span(start, end),
        tags=[t for t in _TAG_ORDER if t in tags],
        attribution=attribution if _ATTRIBUTED in tags else None,
        benchmark=_benchmark(words, sig) if _BENCHMARK_DEPENDENT in tags else None,
        opinion=Opinion(holder=attribution.source if attribution and _ATTRIBUTED in tags else None)
        if _OPINION in tags else None,
        checkworthiness=worth.value,
        confidence=round(confidence, 2),
        rationale=rationale,
    )


# --------------------------------------------------------------------------- signals -> tags


def _content_words(text: str) -> set[str]:
    return _lowered_content_words(text.lower())


def _lowered_content_words(lower: str) -> set[str]:
    if _ascii_letters(lower):
        return set(_ASCII_CONTENT_WORD.findall(lower))  # the same words, found four times faster
    return set(_CONTENT_WORD.findall(lower))


def _ascii_letters(lower: str) -> bool:
    """Every letter and digit of `lower` is ASCII."""
    return lower.isascii() or not any(ch.isalnum() for ch in set(_NON_ASCII.findall(lower)))


def _content_words_of(lower: str, tokens: list[str]) -> set[str]:
    """`_lowered_content_words(lower)`, read from `tokens`, the words (`\\w+`) of `lower`: a run of
    ASCII letters lies inside one word, so a word of four or more such letters is its own content
    word, and only a word that holds something else (a digit, "_") is searched."""
    joined = "".join(tokens)
    if joined.isascii() and joined.isalpha():  # (most claims) all the words are ASCII letters
        return {token for token in tokens if len(token) >= 4}
    if not _ascii_letters(lower):
        return set(_CONTENT_WORD.findall(lower))
    out = set()
    for token in tokens:
        if len(token) >= 4:
            if token.isalpha():  # (ASCII here: every letter of `lower` is)
                out.add(token)
            else:
                out.update(_ASCII_CONTENT_WORD.findall(token))
    return out


def _lowered_at(article: Article, start: int, end: int) -> str:
    """`article.text[start:end].lower()`, sliced from the article's lowered text where it can be."""
    whole = signals.lowered(article)
    return article.text[start:end].lower() if whole is None else whole[start:end]


def _linked_quotes(article: Article, start: int, end: int, near: _QuoteIndex,
                   lower: str, tokens: list[str]) -> list[Quote]:
    """Quotes inside the claim's words, or near it and restated by it (`lower`: the claim's words
    lowered; `tokens`: its words, `checkworthy.words_of(lower)`)."""
    raw_start, raw_end = article.raw_range(start, end)
    claim_words: set[str] | None = None  # computed only when a quote is near enough to compare
    starts, ends = near.starts, near.ends
    lo = bisect.bisect_left(starts, raw_start - _RESTATE_REACH)
    hi = bisect.bisect_right(starts, raw_end + _RESTATE_REACH)
    linked = []
    need = 0.0  # how many of its words a quote must share with the claim to restate it
    for i in range(lo, hi):
        if starts[i] < raw_end and raw_start < ends[i]:
            linked.append(near.quotes[i])
            continue
        words = near.words[i]
        if len(words) < _RESTATE_OVERLAP * _RESTATE_MIN_WORDS:
            continue  # a quote this short can hold no claim's share of words: spare reading them
        if claim_words is None:
            claim_words = _content_words_of(lower, tokens)
            need = _RESTATE_OVERLAP * len(claim_words) if len(claim_words) >= _RESTATE_MIN_WORDS else float("inf")
        if len(words) >= need and len(claim_words & words) >= need:
            linked.append(near.quotes[i])
    return linked


def _attribution(sig: signals.Signals, linked: list[Quote], draft: ClaimDraft) -> Attribution | None:
    quoted = [q for q in linked if q.speaker]
    if quoted:
        return Attribution(source=quoted[0].speaker or "", cue=quoted[0].cue,
                           quote_ids=[q.id for q in linked])
    if sig.attribution is not None:
        return Attribution(source=sig.attribution.source, cue=sig.attribution.cue,
                           quote_ids=[q.id for q in linked])
    if linked and draft.speaker:
        # the model names who says it and the claim restates a quote: the quote is the cue
        return Attribution(source=draft.speaker, cue=None, quote_ids=[q.id for q in linked])
    return None


def tag_evidence(sig: signals.Signals, attribution: Attribution | None,
                 linked: list[Quote]) -> dict[Tag, list[str]]:
    """For each tag the signals find, the kinds of signal that found it ('cue', 'hedges', ...)."""
    out: dict[Tag, list[str]] = {}
    if attribution is not None:
        quoted = any(q.speaker for q in linked)
        out[_ATTRIBUTED] = ["quote"] if quoted else [sig.attribution.via] if sig.attribution else ["model_speaker"]
    if sig.benchmark:
        out[_BENCHMARK_DEPENDENT] = sig.benchmark_kinds()
    if sig.opinionated(attribution is not None):
        kinds = list(dict.fromkeys(sig.opinion_kinds))
        out[_OPINION] = kinds + (["subjectivity"] if sig.subjective and attribution is None else [])
    return out


@functools.cache
def signal_precision() -> dict[str, tuple[float, int]]:
    """Measured precision of each signal per tag ('opinion:hedges' -> (precision, n)), from
    `verifier/data/signal_precision.json` (written by scripts/signal_precision.py)."""
    data = json.loads((files("verifier") / "data" / "signal_precision.json").read_text(encoding="utf-8"))
    return {key: (float(v["precision"]), int(v["n"])) for key, v in data["signals"].items()}


TRUSTED_PRECISION = 0.9  # a signal may add a tag the model left out only at this measured precision
TRUSTED_MIN_N = 10  # ... measured on at least this many firings


def trusted(tag: Tag, kind: str) -> tuple[bool, str]:
    """Whether signal `kind` may add `tag` over a model's answer, and its measured precision in words."""
    precision, n = signal_precision().get(f"{tag.value}:{kind}", (0.0, 0))
    said = f"{kind} (measured precision {precision:.2f}, n={n})" if n else f"{kind} (precision not measured)"
    return precision >= TRUSTED_PRECISION and n >= TRUSTED_MIN_N, said


def _settle(evidence: dict[Tag, list[str]], draft: ClaimDraft) -> tuple[set[Tag], float, list[str]]:
    """Merge the model's proposal with the signals. Rules engine: the signals are the tags.

    LLM engine: a tag both give is kept; `attributed` needs a cue or a quote in the text; another
    tag only the model gives is kept; a tag only the signals find is added when one of its signals
    has a measured precision of at least TRUSTED_PRECISION, and otherwise named and left out. Every
    disagreement lowers the confidence."""
    found = set(evidence)
    if draft.proposed_tags is None:
        return found, (0.8 if found else 0.7), []
    proposed = {Tag(t) for t in draft.proposed_tags if t in Tag.__members__.values()}
    confidence = draft.confidence if draft.confidence is not None else 0.8
    tags = set(found & proposed)
    notes = []
    for tag in sorted(proposed - found):
        if tag == Tag.ATTRIBUTED:
            notes.append("model said attributed but the text has no attribution cue or quote: dropped")
        else:
            tags.add(tag)
            notes.append(f"model said {tag} but no {tag} signal fired: kept")
        confidence *= _DISAGREE
    for tag in sorted(found - proposed):
        verdicts = [trusted(tag, kind) for kind in evidence[tag]]
        if any(ok for ok, _ in verdicts):
            tags.add(tag)
            said = next(s for ok, s in verdicts if ok)
            notes.append(f"signals found {tag} that the model missed, from {said}: added")
        else:
            notes.append(f"signals suggest {tag} that the model did not give, from "
                         + ", ".join(s for _, s in verdicts) + ": not added")
        confidence *= _DISAGREE
    return tags, confidence, notes


def _rationale(sig: signals.Signals, linked: list[Quote], attribution: Attribution | None) -> list[str]:
    out = []
    if attribution is not None:
        by = f"cue {attribution.cue!r}" if attribution.cue else "quote"
        out.append(f"attributed to {attribution.source} ({by})")
    if linked:
        out.append("restates quote " + ", ".join(q.id for q in linked))
    if sig.benchmarks:
        out.append("benchmark named: " + ", ".join(sig.benchmarks))
    if sig.comparison and sig.tech_context:
        out.append("comparison of AI systems or products: " + ", ".join(repr(c) for c in sig.comparison))
    if sig.opinion:
        out.append("opinion marker: " + ", ".join(
            f"{_MARKER_KINDS[k]} {o!r}" for o, k in zip(sig.opinion, sig.opinion_kinds, strict=True)))
    reading = sig.subjectivity
    if reading is not None and reading.subjective and attribution is None:
        out.append(f"subjectivity model {reading.probability:.2f}"
                   + (" (" + ", ".join(repr(c) for c in reading.cues) + ")" if reading.cues else ""))
    return out


_MARKER_KINDS = {"prescriptive": "prescriptive", "stance": "stance", "predictive": "predictive",
                 "hedges": "hedge", "loaded": "loaded word", "phrases": "loaded phrase"}


def _benchmark(words: str, sig: signals.Signals) -> Benchmark:
    parsed = signals.parse_benchmark(words)
    return Benchmark(subject=parsed.subject, compared_to=parsed.compared_to,
                     capability=parsed.capability, benchmarks_cited=sig.benchmarks,
                     figures_cited=sig.figures)


# --------------------------------------------------------------------------- findings

_VAGUE_SOURCE = re.compile(
    rf"^(?:{signals.alternation(vocab.words('attribution', 'vague_openers'))})|"
    rf"\b(?:{signals.alternation(vocab.words('attribution', 'vague_sources'))})|"
    rf"\b(?:{signals.alternation(vocab.words('attribution', 'vague_cues'))})", re.I)


_VAGUE_SOURCE_LOWER = signals.fold_case(_VAGUE_SOURCE)
_ZH_VAGUE_SOURCE = re.compile(rf"(?:{vocab.alternation(vocab.words('attribution', 'zh_vague_sources'))})$")


def is_vague(attribution: Attribution) -> bool:
    source = attribution.source
    return bool(_VAGUE_SOURCE_LOWER.search(source.lower()) or
                (attribution.cue and _VAGUE_SOURCE_LOWER.search(attribution.cue.lower())) or
                (not source.isascii() and _ZH_VAGUE_SOURCE.search(source)))


def _vague(attribution: Attribution, seen: dict[tuple[str, str | None], bool] | None) -> bool:
    """`is_vague(attribution)`, kept in `seen` under its source and cue (all it reads)."""
    if seen is None:
        return is_vague(attribution)
    key = (attribution.source, attribution.cue)
    found = seen.get(key)
    if found is None:
        found = seen[key] = is_vague(attribution)
    return found


def claim_findings(claim: Claim, vague_of: dict[tuple[str, str | None], bool] | None = None) -> list[Finding]:
    """benchmark-uncited, opinion-unattributed, attribution-vague, claim-unattributed. `vague_of`:
    what `is_vague` said of the (source, cue) pairs of the article's claims so far, filled here
    (many claims of an article share a source and a cue: each pair is read once)."""
    out: list[Finding] = []
    attributed = claim.attribution is not None
    vague = attributed and claim.attribution is not None and _vague(claim.attribution, vague_of)
    if claim.benchmark is not None:
        b = claim.benchmark
        if not b.benchmarks_cited and not b.figures_cited and (not attributed or vague):
            only = claim.attribution.cue if vague and claim.attribution else None
            out.append(_BENCHMARK_UNCITED.finding(span=claim.span, claim_id=claim.id,
                                                  subject=b.subject or "a system", only=only))
    if claim.opinion is not None and not attributed:
        out.append(_OPINION_UNATTRIBUTED.finding(span=claim.span, claim_id=claim.id,
                                                 text=_clip(claim.span.text)))
    if vague and claim.attribution is not None:
        out.append(_ATTRIBUTION_VAGUE.finding(span=claim.span, claim_id=claim.id,
                                              source=claim.attribution.source,
                                              cue=claim.attribution.cue or None))
    if not claim.tags and not checkworthy.is_reporting_note(claim.span.text):
        # ("Roe did not respond to a request for comment.": the publication's own account of its
        # reporting, a claim that needs no source)
        out.append(_CLAIM_UNATTRIBUTED.finding(span=claim.span, claim_id=claim.id,
                                               text=_clip(claim.span.text)))
    return out


_BENCHMARK_UNCITED = catalog.rule("benchmark-uncited")
_OPINION_UNATTRIBUTED = catalog.rule("opinion-unattributed")
_ATTRIBUTION_VAGUE = catalog.rule("attribution-vague")
_CLAIM_UNATTRIBUTED = catalog.rule("claim-unattributed")


def _clip(text: str, n: int = 80) -> str:
    text = " ".join(text.split())
    return f"“{text}”" if len(text) <= n else f"“{text[: n - 1].rstrip()}…”"
