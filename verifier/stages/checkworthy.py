"""Check-worthiness: how much a claim is worth a fact-checker's time, from 0 to 1.

A claim scores high when it states something that happened or can be counted (a figure, a unit,
an event verb, a span of time, a named party, a performance comparison) and low when it is a
question, a greeting or turn of a debate, the speaker's own plans, wishes or account of themselves,
or a judgement. The weights of that evidence are set by hand and were checked on the CheckThat!
2024 train and dev splits (docs/accuracy.md). A word reading is added to them: one number per
word (verifier/data/checkworthy_words.json), learned from Factcheck-Bench (Apache-2.0) over GloVe
word vectors by scripts/train_checkworthy_words.py; how much it counts was set by hand on
CheckThat! train. Nothing learned from CheckThat! and no corpus text is shipped. The vocabularies
are in `verifier/vocab/checkworthiness.yaml` (and the one negation list, `negation.yaml`), all
read from the claim's words: one set lookup per claim, a dictionary lookup per word. Every score
explains itself: `Score.reasons`.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from importlib.resources import files

from verifier import vocab
from verifier.stages.signals import Lexicon, Signals, alternation

__all__ = ["Score", "count_words", "is_procedural", "is_question", "is_reporting_note", "score", "words_of"]

# the same lexicons the signals index (their triggers tell a claim which ones can match)
_WORD = re.compile(r"\w+")
# punctuation to spaces: then a split gives the words _WORD would find (one C pass each)
_APART = str.maketrans({c: " " for c in "".join(map(chr, range(128))) + "‘’“”«»—–…•·、，。：；！？（）"
                        if not (c.isalnum() or c == "_")})
# `_APART` for ASCII text, as a byte table: `bytes.translate` reads one table entry per byte, where
# `str.translate` with a dict looks each distinct character up in the dict again on every call
_APART_ASCII = bytes(ord(" ") if _APART.get(i) == " " else i for i in range(256))
# vocabularies read one word of the claim at a time: the claim's words are looked up in one set (a
# C-level intersection); a single-word entry is its own key, a phrase ("per cent") is keyed by its
# last word and confirmed by its pattern
WORD_KEYS = ("events", "quantities", "measures", "irregular_past", "comparatives", "about_self", "units",
             "time_span")
# phrase vocabularies, matched by their patterns, and only where the longest word of one of their
# entries is among the claim's words ("going" of "i'm going to")
PHRASE_KEYS = ("personal", "changes", "records")
_PROCEDURAL = Lexicon("procedural", vocab.words("checkworthiness", "procedural"))
_REPORTING_NOTES = Lexicon("reporting_notes", vocab.words("checkworthiness", "reporting_notes"))
_WORD_CLASS: dict[str, tuple[tuple[str, re.Pattern[str] | None], ...]] = {}
for _key in WORD_KEYS:
    for _entry in vocab.words("checkworthiness", _key):
        _words = _entry.lower().translate(_APART).split()
        _pattern = re.compile(rf"\b{alternation([_entry])}") if len(_words) > 1 else None
        _WORD_CLASS[_words[-1]] = (*_WORD_CLASS.get(_words[-1], ()), (_key, _pattern))
# {gate word: ((phrase vocabulary, a matcher of its entries whose longest word that is), ...)}
_GATES: dict[str, tuple[tuple[str, Lexicon], ...]] = {}
for _key in PHRASE_KEYS:
    _opened: dict[str, list[str]] = {}
    for _entry in vocab.words("checkworthiness", _key):
        _opened.setdefault(max(reversed(_entry.lower().translate(_APART).split()), key=len), []).append(_entry)
    for _gate, _entries in _opened.items():
        _GATES[_gate] = (*_GATES.get(_gate, ()), (_key, Lexicon(_key, _entries)))
_LOOKUP = frozenset(_WORD_CLASS) | frozenset(_GATES)
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
    "note": -3.0,
    "wording": 0.0,  # the word reading's own amount (_wording) is added instead
    "unlike": 0.0,
}
# the word reading (verifier/data/checkworthy_words.json, scripts/train_checkworthy_words.py: trained
# on Factcheck-Bench, Apache-2.0, over GloVe vectors): how much it counts in the log-odds, and the
# reading that counts for nothing; both set by hand on CheckThat! 2024 train and dev (docs/accuracy.md)
_BLEND = 0.25
_CENTRE = -1.2
_WORDING_SAYS = 0.1  # a wording that moves the log-odds at least this much is named in the reasons
_SHORT_WORDS = 7  # fewer words than this: "very short" (the words are counted once, for the lookups)
PROCEDURAL_MAX_WORDS = _PROCEDURAL_MAX_WORDS = 12
# the characters outside ASCII that copy writes most often between words (no letter or digit)
_NOT_WORD = ("’", "‘", "“", "”", "—", "–", "…", "\u00a0")
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
    if "?" not in words and "？" not in words:  # (both ways of asking need a question mark)
        return False
    if words.rstrip(_CLOSERS).endswith(("?", "？")):
        return True
    return bool(_ASKED.search(words))


def is_procedural(words: str, count: int | None = None) -> bool:
    """A short sentence that opens with a greeting, thanks or a turn of a debate ('Thank you very
    much.', 'Let me finish.'); a long one may go on to say something ('Let me say, I signed ...').
    `count`: `count_words(words, PROCEDURAL_MAX_WORDS)`, when the caller has it."""
    if count is None:
        long = _AT_LEAST_PROCEDURAL.match(words) is not None
    else:
        long = count >= PROCEDURAL_MAX_WORDS
    return not long and _opens_procedural(words)


_NOTE_MAX_WORDS = 25
_NOTE_TAIL = re.compile(r"(?:\W+\w+){0,3}\W*$")  # what may follow the note: "on Tuesday", "on the matter"


def is_reporting_note(words: str) -> bool:
    """A short sentence that ends with the reporter's account of asking ('Roe did not respond to a
    request for comment.', 'Lind declined to comment on Tuesday.', 'Ruiz could not be reached.'):
    no claim about the story. One that goes on ('declined to comment on reports that ...') is."""
    lower = words.lower()
    if not any(t in lower for t in _REPORTING_NOTES.triggers) or len(words) > 400 \
            or len(_WORD.findall(lower)) > _NOTE_MAX_WORDS:
        return False
    return any(_NOTE_TAIL.match(lower, end) for _start, end in _REPORTING_NOTES.spans(words, lower))


def count_words(text: str, most: int) -> int | None:
    """How many words (runs of `\\w`) `text` holds, counted no further than `most`, by one split (a
    pattern that counts them makes `re` read every word); None when a character outside ASCII that
    may be a letter or digit is in the text (the caller then asks its pattern)."""
    for mark in _NOT_WORD:
        if mark in text:
            text = text.replace(mark, " ")
    if not text.isascii():
        return None
    return len(text.encode("ascii").translate(_APART_ASCII).split(None, most - 1))


def _opens_procedural(words: str) -> bool:
    lower = words.lstrip(" \"'“‘«(").lower()
    return _PROCEDURAL.pattern.match(lower) is not None


def words_of(lower: str) -> list[str]:
    """The words _WORD finds in `lower` (lowered words): in plain ASCII text (once the usual
    typographic quotes and dashes are plain) by the faster byte translation and split."""
    if not lower.isascii():
        lower = lower.replace("’", "'").replace("“", '"').replace("”", '"').replace("—", "-").replace("–", "-")
        if not lower.isascii():
            return _WORD.findall(lower)
    return lower.encode("ascii").translate(_APART_ASCII).decode("ascii").split()


def word_classes(words: str, lower: str, tokens: list[str]) -> dict[str, str]:
    """{vocabulary: its first entry in the claim} for the `WORD_KEYS` (lower case; "I" for "i")
    and the `PHRASE_KEYS` (as written) the claim holds; `tokens` are the claim's words (`_WORD`) in
    `lower`."""
    hits = _LOOKUP.intersection(tokens)
    if not hits:
        return {}
    first: dict[str, tuple[int, str]] = {}
    for word in hits:
        for key, pattern in _WORD_CLASS.get(word, ()):
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
        for key, lexicon in _GATES.get(word, ()):
            m = lexicon.pattern.search(lower)
            if m is not None and (key not in first or m.start() < first[key][0]):
                first[key] = (m.start(), words[m.start():m.end()] if len(words) == len(lower) else m.group())
    return {key: "I" if entry == "i" else entry for key, (_, entry) in first.items()}


def score(words: str, sig: Signals, opinion: bool, attributed: bool,
          lower: str | None = None, tokens: list[str] | None = None) -> Score:
    """How worth checking the claim stated by `words` is, and why (`lower`: `words.lower()`, and
    `tokens`: `words_of(lower)`, when the caller has them already)."""
    if lower is None:
        lower = words.lower()
    evidence: list[tuple[str, str]] = []  # (kind, the words that show it)
    found = evidence.append
    if tokens is None:
        tokens = words_of(lower)
    classes = word_classes(words, lower, tokens)

    if _may_hold_digit(tokens) and _DIGIT.search(words):
        found(("figure", "digits"))
    elif "quantities" in classes:  # number words matter only where no digit is written
        found(("figure", classes["quantities"]))
    if "units" in classes:
        found(("unit", classes["units"]))
    events = classes.get("events")
    if events:
        found(("event", events))
    else:
        past = _PAST.search(words) if _may_be_past(tokens) else None
        irregular = None if past else classes.get("irregular_past")  # took, went, built
        if past or irregular:
            found(("past", past.group() if past else irregular or ""))
    if not opinion:  # a forecast or a judgement about a quantity is no measurement of it
        if "time_span" in classes:
            found(("span", classes["time_span"]))
        if "measures" in classes:
            found(("measure", classes["measures"]))
        if "changes" in classes:
            found(("change", classes["changes"]))
        if "records" in classes:
            found(("record", classes["records"]))
    name = _NAME.search(words)
    names = [name.group()] if name else []
    if names:
        found(("name", names[0]))
    if sig.benchmark:
        found(("comparison", (sig.comparison or sig.benchmarks or [""])[0]))
    if "comparatives" in classes:
        found(("compared", classes["comparatives"]))
    if (events or names) and not NEGATIONS.isdisjoint(tokens):
        found(("denial", ""))
    if attributed:
        found(("attributed", ""))
    if opinion:
        found(("opinion", ""))
        if "stance" in sig.opinion_kinds:
            found(("belief", sig.opinion[sig.opinion_kinds.index("stance")]))
    if "about_self" in classes:
        found(("self", classes["about_self"]))
    if "personal" in classes:
        found(("personal", classes["personal"]))
    if len(tokens) < _SHORT_WORDS:
        found(("short", ""))
    if is_question(words):
        found(("question", ""))
    if len(tokens) < _PROCEDURAL_MAX_WORDS and _opens_procedural(words):  # is_procedural, words counted
        found(("procedural", ""))
    if is_reporting_note(words):
        found(("note", ""))
    added, cue = _wording(tokens)
    if opinion and added > 0:  # a judgement worded like news is still a judgement
        added = 0.0
    if abs(added) >= _WORDING_SAYS:
        found(("wording" if added > 0 else "unlike", f"{added:+.2f}, most {cue!r}"))
    z = _BIAS + added + sum([_WEIGHTS[key] for key, _ in evidence])
    value = round(1.0 / (1.0 + math.exp(-z)), 2)
    return Score(value, [_say(key, detail) for key, detail in evidence])


def _may_hold_digit(tokens: list[str]) -> bool:
    """Whether `_DIGIT` can match: a digit is a word character, so it is in one of the words, and
    words that are all letters put together hold none (one C-level test)."""
    return not "".join(tokens).isalpha()


def _may_be_past(tokens: list[str]) -> bool:
    """Whether `_PAST` can match: each of its matches is a whole word ending in "ed" (one C-level
    test over the words, where the pattern, opening with a word boundary, is tried at every offset)."""
    return "ed " in " ".join(tokens) + " "


_SAYINGS = {
    "figure": "a figure", "event": "an event", "past": "something that happened", "name": "a named party",
    "comparison": "a performance comparison", "denial": "a denial", "attributed": "a named source",
    "opinion": "a judgement, less checkable", "belief": "the speaker's stated belief",
    "measure": "a measured quantity", "compared": "a comparison of quantities",
    "unit": "a quantity in units", "span": "a span of time",
    "self": "the speaker's account of themselves", "change": "a change in a quantity", "record": "a record or a first",
    "personal": "the speaker's own plans or wishes",
    "short": "very short", "question": "a question", "procedural": "a greeting or turn of debate",
    "note": "the reporter's request for comment",
    "wording": "worded like checkable claims", "unlike": "worded unlike checkable claims",
}


def _say(key: str, detail: str) -> str:
    if key in ("wording", "unlike"):
        return f"{_SAYINGS[key]} ({detail})"
    return _SAYINGS[key] + (f" {detail!r}" if detail and detail != "digits" else "")


@dataclass(frozen=True, slots=True)
class WordReading:
    """The shipped word scores: a text's reading is `intercept` plus the mean score of its words
    that have one."""

    intercept: float
    scores: dict[str, float]
    nonzero: bool = False  # no word scores exactly 0 (then the scores a claim's words have are the true ones)


@functools.cache
def word_reading() -> WordReading:
    """verifier/data/checkworthy_words.json, read once per process."""
    data = json.loads((files("verifier") / "data" / "checkworthy_words.json").read_text(encoding="utf-8"))
    scores = {str(k): float(v) for k, v in data["words"].items()}
    return WordReading(float(data["intercept"]), scores, nonzero=0.0 not in scores.values())


def _wording(tokens: list[str]) -> tuple[float, str]:
    """(what the claim's wording adds to the log-odds, the word that pushed most that way): one
    dictionary lookup per word, then C-level passes over the numbers found."""
    reading = word_reading()
    found = list(map(reading.scores.get, tokens))
    scored = list(filter(None, found))  # (the scores but any of exactly 0, which add nothing)
    known = len(scored) if reading.nonzero else len(found) - found.count(None)
    if not known:
        return 0.0, ""
    added = _BLEND * (reading.intercept + sum(scored) / known - _CENTRE)
    if -_WORDING_SAYS < added < _WORDING_SAYS:
        return added, ""
    most = (max if added > 0 else min)(scored, default=None)
    return added, "" if most is None else tokens[found.index(most)]
