"""ground: locate every claim's evidence in the article, or drop the claim.

Three passes, strictest first:

1. exact: the evidence occurs character for character;
2. normalised: equal once curly and straight quote marks, dashes, non-breaking spaces, runs of
   whitespace and letter case are folded (every fold maps one character to one, so offsets hold);
3. fuzzy: a word-level alignment (ratio at least `FUZZY_THRESHOLD`, evidence of at least
   `FUZZY_MIN_WORDS` words) that tolerates words left out, filler words added and misspellings,
   but no changed word and no dropped or added negation; the span is then the article's own
   words from the first to the last aligned word, never the model's text.

A claim that cannot be located, or that lands in boilerplate, is dropped with a `claim-ungrounded`
finding: nothing is shown with a made-up span.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from verifier import vocab
from verifier.engines.extract import ClaimDraft
from verifier.model import catalog
from verifier.model.schema import Article, Finding

FUZZY_THRESHOLD = 0.85
FUZZY_MIN_WORDS = 4

_FOLD = str.maketrans({"\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
                       "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u2032": "'",
                       "\u2013": "-", "\u2014": "-", "\u2212": "-", "\u00a0": " ", "\u202f": " "})
_WORD = re.compile(r"\w+")
# the one negation list (verifier/vocab/negation.yaml); "n't" is split by _WORD, leaving its "t"
_NEGATIONS = frozenset(vocab.words("negation")) | {
    _WORD.findall(c.translate(_FOLD))[-1] for c in vocab.words("negation", "contractions")}
_FILLER = frozenset(vocab.words("claim_grammar", "filler_words"))


@dataclass(frozen=True, slots=True)
class Match:
    """Where evidence was found, and how: 'exact', 'normalised' or 'fuzzy' (with its ratio)."""

    start: int
    end: int
    method: str
    score: float = 1.0


def ground_claims(article: Article, drafts: list[ClaimDraft],
                  unanchored: list[ClaimDraft] | None = None) -> tuple[list[ClaimDraft], list[Finding]]:
    """Drafts with analysis offsets set, and a finding for each one that could not be located and
    for each claim the extractor could not anchor (`unanchored`)."""
    kept: list[ClaimDraft] = []
    findings: list[Finding] = []
    for draft in drafts:
        if draft.start is None or draft.end is None:
            found = align(article.text, draft.evidence)
            if found is None or article.is_boilerplate(found.start, found.end):
                findings.append(_ungrounded(draft))
                continue
            draft.start, draft.end = found.start, found.end
            draft.extra.setdefault("grounding", found.method)
        kept.append(draft)
    findings += [_ungrounded(draft) for draft in unanchored or []]
    return kept, findings


def locate(text: str, evidence: str) -> tuple[int, int] | None:
    """Offsets of `evidence` in `text` (exact, normalised, then fuzzy), or None."""
    found = align(text, evidence)
    return (found.start, found.end) if found else None


def align(text: str, evidence: str) -> Match | None:
    """The best place of `evidence` in `text`, trying the strictest pass first."""
    evidence = evidence.strip()
    if not evidence:
        return None
    i = text.find(evidence)
    if i != -1:
        return _whole(text, Match(i, i + len(evidence), "exact"))
    return _whole(text, _normalised(text, evidence) or _fuzzy(text, evidence))


def align_strict(text: str, words: str) -> Match | None:
    """`words` in `text` exactly, or with quote marks, dashes, spacing and case folded; never fuzzy
    (for checking that a model copied a clause or a name)."""
    words = words.strip()
    if not words:
        return None
    i = text.find(words)
    if i != -1:
        return _whole(text, Match(i, i + len(words), "exact"))
    return _whole(text, _normalised(text, words))


def _whole(text: str, found: Match | None) -> Match | None:
    """`found` widened to whole characters: a combining mark (the diaeresis of a decomposed 'ë')
    is never cut from the letter it sits on, whichever side of it the model's words stopped."""
    if found is None:
        return None
    start, end = found.start, found.end
    while 0 < start < len(text) and unicodedata.category(text[start]).startswith("M"):
        start -= 1
    while end < len(text) and unicodedata.category(text[end]).startswith("M"):
        end += 1
    return found if (start, end) == (found.start, found.end) else replace(found, start=start, end=end)


def _normalised(text: str, evidence: str) -> Match | None:
    words = evidence.translate(_FOLD).split()
    pattern = r"\s+".join(re.escape(w) for w in words)
    m = re.search(pattern, text.translate(_FOLD), flags=re.IGNORECASE)
    return Match(m.start(), m.end(), "normalised") if m else None


def _fuzzy(text: str, evidence: str) -> Match | None:
    want = [w.lower() for w in _WORD.findall(evidence.translate(_FOLD))]
    n = len(want)
    if n < FUZZY_MIN_WORDS:
        return None
    tokens = list(_WORD.finditer(text.translate(_FOLD)))
    words = [t.group().lower() for t in tokens]
    best: tuple[float, int, int] | None = None
    for start in _candidates(words, set(want), n):
        found = _best_window(words, want, start)
        if found and (best is None or found[0] > best[0]):
            best = found
    if best is None or best[0] < FUZZY_THRESHOLD:
        return None
    score, first, last = best
    return Match(tokens[first].start(), tokens[last].end(), "fuzzy", round(score, 3))


def _candidates(words: list[str], wanted: set[str], n: int) -> list[int]:
    """Window starts where enough of the evidence's words occur to make a match possible."""
    need = math.ceil(FUZZY_THRESHOLD * n * 0.8)
    hits = [1 if w in wanted else 0 for w in words]
    count = sum(hits[:n])
    starts = [0] if count >= need else []
    for i in range(1, max(len(words) - n + 1, 1)):
        count += hits[i + n - 1] - hits[i - 1]
        if count >= need:
            starts.append(i)
    return starts


def _best_window(words: list[str], want: list[str], start: int) -> tuple[float, int, int] | None:
    """(ratio, first word, last word) of the best faithful window near `start`, trimmed to the
    aligned words."""
    n = len(want)
    slack = max(2, n // 5)
    best: tuple[float, int, int] | None = None
    for size in range(max(1, n - slack), n + slack + 1):
        window = words[start:start + size]
        matcher = SequenceMatcher(None, window, want, autojunk=False)
        ratio = matcher.ratio()
        if (best is not None and ratio <= best[0]) or not _faithful(matcher, window, want):
            continue
        blocks = [b for b in matcher.get_matching_blocks() if b.size]
        if blocks:
            best = (ratio, start + blocks[0].a, start + blocks[-1].a + blocks[-1].size - 1)
    return best


def _faithful(matcher: SequenceMatcher[str], window: list[str], want: list[str]) -> bool:
    """True when the evidence differs from the article only harmlessly: words left out (but not a
    negation), filler words added, or words misspelt. A changed word ("ruin" -> "destroy") or an
    added "not" would anchor a claim to words the article does not say."""
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        dropped, added = window[i1:i2], want[j1:j2]
        if op == "delete" and _NEGATIONS.intersection(dropped):
            return False
        if op == "insert" and not _FILLER.issuperset(added):
            return False
        if op == "replace" and SequenceMatcher(None, "".join(dropped), "".join(added)).ratio() < 0.8:
            return False
    return True


_UNGROUNDED = catalog.rule("claim-ungrounded")


def _ungrounded(draft: ClaimDraft) -> Finding:
    words = " ".join(draft.evidence.split())
    return _UNGROUNDED.finding(evidence=words[:160], note=draft.note[:200] if draft.note else None)
