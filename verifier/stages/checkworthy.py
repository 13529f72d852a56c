"""Check-worthiness: how much a claim is worth a fact-checker's time, from 0 to 1.

A claim scores high when it states something that happened or can be counted (a figure, an event
verb, a named party, a performance comparison) and low when it is a question, a greeting or turn
of a debate, the speaker's own plans or wishes, or a judgement. The weights are set by hand and
were checked on the CheckThat! 2024 train and dev splits (docs/accuracy.md); no corpus text or
trained weight is shipped. The vocabularies are in `verifier/vocab/checkworthiness.yaml`
(and the one negation list, `negation.yaml`). Every score explains itself: `Score.reasons`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from verifier import vocab
from verifier.stages.signals import LEXICONS, Lexicon, Signals, alternation

__all__ = ["Score", "is_procedural", "is_question", "score"]

# the same lexicons the signals index (their triggers tell a claim which ones can match)
_LEX = {key: LEXICONS[key] for key in ("events", "personal", "measures", "changes", "records",
                                        "irregular_past", "comparatives")}
_LEX.update({key: Lexicon(key, vocab.words("checkworthiness", key)) for key in ("procedural",)})
_UNINDEXED = frozenset({"procedural"})
# vocabularies read one word of the claim at a time: the claim's words are looked up in one set (a
# C-level intersection); a single-word entry is its own key, a phrase ("per cent") is keyed by its
# last word and confirmed by its pattern
WORD_KEYS = ("quantities", "about_self", "units", "time_span")
_WORD_CLASS: dict[str, tuple[tuple[str, re.Pattern[str] | None], ...]] = {}
for _key in WORD_KEYS:
    for _entry in vocab.words("checkworthiness", _key):
        _last = _entry.split()[-1]
        _pattern = re.compile(rf"\b{alternation([_entry])}") if " " in _entry else None
        _WORD_CLASS[_last] = (*_WORD_CLASS.get(_last, ()), (_key, _pattern))
_LOOKUP = frozenset(_WORD_CLASS)
_WORD = re.compile(r"\w+")
# punctuation to spaces: then a split gives the words _WORD would find (one C pass each)
_APART = str.maketrans({c: " " for c in "".join(map(chr, range(128))) + "‘’“”«»—–…•·、，。：；！？（）"
                        if not (c.isalnum() or c == "_")})
# the one negation list (verifier/vocab/negation.yaml), as words: "n't" is split by _WORD, leaving "t"
NEGATIONS = frozenset(vocab.words("negation")) | {
    _WORD.findall(c)[-1] for c in vocab.words("negation", "contractions")}
_DIGIT = re.compile(r"\d")
# a capital inside the sentence; the pattern opens with the capital (the lookbehind follows it),
# so a search skips straight to capitals instead of trying the lookbehind at every offset
_NAME = re.compile(r"[A-Z](?<=[\w,;:’'] [A-Z])(?:[a-z]+|[A-Z]+)\b")
_PAST = re.compile(r"\b(?:has|have|had|was|were)\s+(?:been\s+)?\w+ed\b|\b[a-z]{3,}ed\b")  # something that happened
_CLOSERS = " \t\n\"'”’」』)]"
_ASKED = re.compile(  # a quoted question, then its cue
    rf"\?[”\"’']?,?\s+(?:\w+\s+){{0,4}}(?:{alternation(vocab.words('checkworthiness', 'question_cues'))})")

# weights of the evidence (log-odds), set by hand
_BIAS = -0.7
_WEIGHTS = {
    "figure": 1.6,
    "event": 1.1,
    "past": 0.6,
    "measure": 0.4,
    "change": 0.8,
    "record": 0.4,
    "name": 0.5,
    "comparison": 0.6,
    "compared": 0.3,
    "denial": 0.3,
    "attributed": 0.2,
    "opinion": -0.6,
    "belief": -0.8,
    "self": -0.6,
    "unit": 1.0,
    "span": 1.0,
    "personal": -1.2,
    "short": -1.0,
    "question": -3.0,
    "procedural": -3.0,
}
_SHORT_WORDS = 7  # fewer words than this: "very short" (the words are counted once, for the lookups)
_PROCEDURAL_MAX_WORDS = 12
# "has at least N words", read from the start and no further (possessive: a word and the gap after
# it are never given back, which spares the regex engine its bookkeeping for backtracking)
_AT_LEAST_PROCEDURAL = re.compile(rf"\W*+(?:\w++\W++){{{_PROCEDURAL_MAX_WORDS - 1}}}\w")


@dataclass(slots=True)
class Score:
    value: float
    reasons: list[str] = field(default_factory=list)

    def rationale(self) -> str:
        why = "; ".join(self.reasons) if self.reasons else "nothing to check"
        return f"checkworthiness {self.value:.2f} ({why})"


def is_question(words: str) -> bool:
    """The sentence asks rather than states (a quoted question followed by its cue counts)."""
    body = words.rstrip(_CLOSERS)
    if body.endswith(("?", "？")):
        return True
    return bool(_ASKED.search(words))


def is_procedural(words: str) -> bool:
    """A short sentence that opens with a greeting, thanks or a turn of a debate ('Thank you very
    much.', 'Let me finish.'); a long one may go on to say something ('Let me say, I signed ...')."""
    return not _AT_LEAST_PROCEDURAL.match(words) and _opens_procedural(words)


def _opens_procedural(words: str) -> bool:
    lower = words.lstrip(" \"'“‘«(").lower()
    return _LEX["procedural"].pattern.match(lower) is not None


def word_classes(lower: str, tokens: list[str]) -> dict[str, str]:
    """{vocabulary of `WORD_KEYS`: its first entry in the claim (lower case; "I" for "i")};
    `tokens` are the claim's words (`_WORD`) in `lower`."""
    hits = _LOOKUP.intersection(tokens)
    if not hits:
        return {}
    first: dict[str, tuple[int, str]] = {}
    for word in hits:
        for key, pattern in _WORD_CLASS[word]:
            if pattern is None:
                entry = word
            else:
                phrase = pattern.search(lower)
                if phrase is None:
                    continue
                entry = phrase.group()
            if key in first:  # two entries of one vocabulary: the one the claim says first
                at = tokens.index(word)
                if at < first[key][0]:
                    first[key] = (at, entry)
            else:
                first[key] = (len(tokens), entry) if len(hits) == 1 else (tokens.index(word), entry)
    return {key: "I" if entry == "i" else entry for key, (_, entry) in first.items()}


def score(words: str, sig: Signals, opinion: bool, attributed: bool) -> Score:
    """How worth checking the claim stated by `words` is, and why."""
    lower = words.lower()
    evidence: list[tuple[str, str]] = []
    tokens = lower.translate(_APART).split()  # the claim's words (as _WORD finds them, for ASCII)
    classes = word_classes(lower, tokens)
    may = sig.kinds.__contains__ if sig.kinds is not None else (lambda kind: True)

    def find(key: str) -> list[str]:
        return _LEX[key].find(words, lower) if key in _UNINDEXED or may(key) else []

    def found(key: str, detail: str = "") -> None:
        evidence.append((key, detail))

    if _DIGIT.search(words):
        evidence.append(("figure", "digits"))
    elif "quantities" in classes:  # number words matter only where no digit is written
        found("figure", classes["quantities"])
    events = find("events")
    if events:
        found("event", events[0])
    if not events:
        past = _PAST.search(words)
        irregular = [] if past else find("irregular_past")  # took, went, built
        if past or irregular:
            found("past", past.group() if past else irregular[0])
    if "units" in classes:
        found("unit", classes["units"])
    if not opinion:  # a forecast or a judgement about a quantity is no measurement of it
        if "time_span" in classes:
            found("span", classes["time_span"])
        for key, kind in (("measures", "measure"), ("changes", "change"), ("records", "record")):
            hits = find(key)
            if hits:
                found(kind, hits[0])
    name = _NAME.search(words)
    names = [name.group()] if name else []
    if names:
        found("name", names[0])
    if sig.benchmark:
        found("comparison", (sig.comparison or sig.benchmarks or [""])[0])
    compared = find("comparatives")
    if compared:
        found("compared", compared[0])
    if (events or names) and not NEGATIONS.isdisjoint(tokens):
        found("denial")
    if attributed:
        found("attributed")
    if opinion:
        found("opinion")
        if "stance" in sig.opinion_kinds:
            found("belief", sig.opinion[sig.opinion_kinds.index("stance")])
    if "about_self" in classes:
        found("self", classes["about_self"])
    personal = find("personal")
    if personal:
        found("personal", personal[0])
    if len(tokens) < _SHORT_WORDS:
        found("short")
    if is_question(words):
        found("question")
    if len(tokens) < _PROCEDURAL_MAX_WORDS and _opens_procedural(words):  # is_procedural, words counted
        found("procedural")
    z = _BIAS + sum(_WEIGHTS[key] for key, _ in evidence)
    value = round(1.0 / (1.0 + math.exp(-z)), 2)
    return Score(value, [_say(key, detail) for key, detail in evidence])


_SAYINGS = {
    "figure": "a figure", "event": "an event", "past": "something that happened", "name": "a named party",
    "comparison": "a performance comparison", "denial": "a denial", "attributed": "a named source",
    "opinion": "a judgement, less checkable", "belief": "the speaker's stated belief",
    "measure": "a measured quantity", "compared": "a comparison of quantities",
    "unit": "a quantity in units", "span": "a span of time",
    "self": "the speaker's account of themselves", "change": "a change in a quantity", "record": "a record or a first",
    "personal": "the speaker's own plans or wishes",
    "short": "very short", "question": "a question", "procedural": "a greeting or turn of debate",
}


def _say(key: str, detail: str) -> str:
    return _SAYINGS[key] + (f" {detail!r}" if detail and detail != "digits" else "")
