"""Deterministic signals over a stretch of article text: attribution, benchmark, opinion.

They are what the rules engine tags with, and what the verification stage cross-checks a model's
tags against. Each signal records the words that fired it, so a claim's `rationale` can name them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import starmap
from operator import sub
from typing import Any

import ahocorasick

from verifier import vocab
from verifier.model.schema import Article
from verifier.stages import interview, names, subjectivity

# --------------------------------------------------------------------------- vocabularies

# The word lists live in verifier/vocab/*.yaml. Each (file, key) below becomes a `Lexicon`: one
# regex for its entries and the same entries as triggers in the Aho-Corasick index, so a word
# added to a file always fires. The patterns left here are structure, not word lists.
_LEXICONS: dict[str, tuple[str, str]] = {
    # kind: (vocabulary file, key)
    "benchmarks": ("benchmarks", "names"),
    "comparison": ("comparison", "verbs"),
    "comparison_phrases": ("comparison", "phrases"),
    "superlatives": ("comparison", "superlatives"),
    "not_performance": ("comparison", "not_performance"),
    "context": ("comparison", "context"),
    "prescriptive": ("opinion", "prescriptive"),
    "stance": ("opinion", "stance"),
    "predictive": ("opinion", "predictive"),
    "schedule": ("opinion", "schedule"),
    "hedges": ("hedges", "words"),
    "not_hedges": ("hedges", "not_hedges"),
    "loaded": ("loaded_words", "words"),
    "phrases": ("loaded_words", "phrases"),
}
_CASE_SENSITIVE = frozenset({"benchmarks"})  # MATH, DROP, ARC are English words in lower case
_HYPHEN_BOUND = frozenset({"loaded", "changes"})  # "well-known" holds no loaded "known", "home-grown" no change
_WILDCARD = r"[\w’'-]+"


def _units(entry: str) -> list[str]:
    """An entry as matching units: characters, " " for any run of spaces, "*" for any one word,
    "'" for an apostrophe written straight or curly."""
    out: list[str] = []
    for i, token in enumerate(entry.split()):
        if i:
            out.append(" ")
        if token == "*":
            out.append("*")
        else:
            out.extend("'" if ch in "’'" else ch for ch in token)
    return out


_UNIT_PATTERNS = {" ": r"\s+", "*": _WILDCARD, "'": "[’']"}


def _alternation(entries: Iterable[str], edge: str, guard: bool) -> str:
    """One regex for many entries, shaped as a trie: Python's `re` tries a flat alternation of
    hundreds of words one by one at every position, a trie only along the letters that match.
    `guard`: no `edge` character may precede a match. The check follows the first letter
    (`a(?<!\\w.)`) rather than leading the pattern, so `re` can still skip ahead to the letters
    that can start a match."""
    trie: dict[str, Any] = {}
    for entry in entries:
        node = trie
        for unit in _units(entry):
            node = node.setdefault(unit, {})
        node[""] = entry[-1].isascii() and entry[-1].isalnum()  # the end, and whether it is a word end

    def emit(node: dict[str, Any], top: bool = False) -> str:
        alts = []
        for unit, child in node.items():
            if unit == "":
                continue
            piece = _UNIT_PATTERNS.get(unit) or re.escape(unit)
            if top and guard:
                piece += f"(?<!{edge}.)"
            alts.append(piece + emit(child))
        if "" in node:  # the entry may end here: tried after every longer one
            alts.append(f"(?!{edge})" if node[""] else "")
        return alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"

    return emit(trie, top=True) if trie else "(?!)"


def _lexicon_pattern(entries: tuple[str, ...], hyphen: bool) -> str:
    edge = r"[\w-]" if hyphen else r"\w"
    worded = [e for e in entries if e[0].isascii() and e[0].isalnum()]
    other = [e for e in entries if not (e[0].isascii() and e[0].isalnum())]
    parts = [_alternation(worded, edge, guard=True)] if worded else []
    parts += [_alternation(other, edge, guard=False)] if other else []
    return "|".join(parts) or "(?!)"


def triggers_of(entry: str) -> tuple[str, ...]:
    """Substrings of which every match holds one, once lowered: the entry's longest stretch with
    no wildcard, no space (a match may span several) and no apostrophe (written straight or
    curly); for a short word with an apostrophe ("i'd"), the word in both spellings."""
    lower = entry.lower()
    longest = max(re.split(r"[\s*’']+", lower), key=len)
    if len(longest) < 3 and not re.search(r"[\s*]", lower) and re.search("[’']", lower):
        return tuple(dict.fromkeys((lower.replace("’", "'"), lower.replace("'", "’"))))
    return (longest,)


class Lexicon:
    """One vocabulary list as a matcher: whole words or phrases, case-folded unless told not to."""

    def __init__(self, kind: str, entries: Iterable[str]) -> None:
        self.kind = kind
        self.case_sensitive = kind in _CASE_SENSITIVE
        fold = (lambda e: e) if self.case_sensitive else str.lower
        self.entries = tuple(dict.fromkeys(fold(e) for e in entries))
        self.pattern = re.compile(f"(?:{_lexicon_pattern(self.entries, kind in _HYPHEN_BOUND)})")
        self.anycase = self.pattern if self.case_sensitive else re.compile(self.pattern.pattern, re.I)
        self.triggers = tuple(dict.fromkeys(t for e in self.entries for t in triggers_of(e)))
        self.non_edge = _NON_HYPHEN_EDGE if kind in _HYPHEN_BOUND else _NON_WORD_EDGE
        self.heads = _heads(self.entries, self.non_edge)

    def spans(self, words: str, lower: str) -> list[tuple[int, int]]:
        """(start, end) of every match in `words` (`lower`: the same words, lowered)."""
        if len(lower) != len(words):
            return [m.span() for m in self.anycase.finditer(words)]
        text = words if self.case_sensitive else lower
        if self.heads is None:
            return [m.span() for m in self.pattern.finditer(text)]
        # the regex is tried only where an entry's first word starts (found in one C pass over
        # the words with every character that may precede a word turned into a space, so "a" is
        # looked for as a word, not at every letter a): the same leftmost, non-overlapping matches
        # as finditer, without trying every position
        out: list[tuple[int, int]] = []
        reached = 0
        # (the automaton yields (last, back) pairs: their differences taken and sorted in C)
        for start in sorted(set(starmap(sub, self.heads.iter(_spaced(lower, self.non_edge))))):
            if start < reached:
                continue
            m = self.pattern.match(text, start)
            if m:
                out.append(m.span())
                reached = m.end()
        return out

    def find(self, words: str, lower: str) -> list[str]:
        """Every match, as written in `words`."""
        return [words[s:e] for s, e in self.spans(words, lower)]


def _heads(entries: tuple[str, ...], non_edge: re.Pattern[str]) -> ahocorasick.Automaton | None:
    """An automaton of the entries' first words (lowered, apostrophes both ways), to run over
    `_spaced` text: a word entry's first word with the space that stands for whatever may precede
    it, and the space that stands for what must follow it when the entry goes on (its next unit
    is a run of spaces) or ends with a letter or digit (its regex asks for a word end there), so
    "a" of "a third" is looked for as " a ", not in every word that begins with a. Each key's
    value is the length of the head and the space after it, so a hit ending at `last` marks a
    start at `last - value` in the unspaced text. None when an entry starts with a wildcard,
    which has no first word to look for."""
    if not entries:
        return None
    automaton = ahocorasick.Automaton()
    for entry in entries:
        words = entry.lower().split()
        first = words[0]
        if first == "*":
            return None
        worded = entry[0].isascii() and entry[0].isalnum()  # its regex asks for a word start
        ended = len(words) > 1 or (entry[-1].isascii() and entry[-1].isalnum())
        for head in {first, first.replace("’", "'"), first.replace("'", "’")}:
            key = non_edge.sub(" ", head) + (" " if ended else "")  # spaced as the text will be
            automaton.add_word(" " + key if worded else key, len(key))
    automaton.make_automaton()
    return automaton


# what may precede a word entry's match, but the space itself (fewer characters to replace)
_NON_WORD_EDGE = re.compile(r"[^\w ]")
_NON_HYPHEN_EDGE = re.compile(r"[^\w -]")  # ... in a hyphen-bound lexicon
_SPACED: dict[re.Pattern[str], tuple[str, str]] = {}  # the last words spaced, per edge


def _spaced(lower: str, non_edge: re.Pattern[str]) -> str:
    """`lower` with every `non_edge` character a space, between two more spaces (so a word at the
    start has one before it too, and a word at the end one after it); one character for one, so
    offsets shift by exactly one. The lexicons of one claim are read one after another: the last
    result is kept."""
    last = _SPACED.get(non_edge)
    if last is not None and last[0] == lower:  # the same object, or the same words read again
        return last[1]
    spaced = " " + non_edge.sub(" ", lower) + " "
    _SPACED[non_edge] = (lower, spaced)
    return spaced


def _lexicons() -> dict[str, Lexicon]:
    return {kind: Lexicon(kind, vocab.words(name, key)) for kind, (name, key) in _LEXICONS.items()}


LEXICONS = _lexicons()
_NOUN_BEFORE = frozenset(vocab.words("comparison", "noun_before"))
_RIVAL = frozenset(vocab.words("comparison", "noun_forms"))  # "rival Orchard AI": a competitor
_FORECAST_NOUN_BEFORE = frozenset(vocab.words("opinion", "noun_before"))
_FORECAST = frozenset(vocab.words("opinion", "noun_forms"))  # "beats forecasts": a reported figure
_SYSTEMS = "|".join(re.escape(w) for w in sorted(vocab.words("comparison", "systems"), key=len, reverse=True))
_SUPERLATIVE_SYSTEM = re.compile(rf"^(?:[\w-]+\s+){{0,3}}?(?:{_SYSTEMS})\b")

def alternation(entries: Iterable[str], word_end: bool = True) -> str:
    """A plain regex alternation of vocabulary entries, longest first: a space in an entry stands
    for any run of spaces, and (`word_end`) an entry that ends with a letter or digit must end a word."""
    return "|".join(r"\s+".join(map(re.escape, e.split())) + (r"\b" if word_end and e[-1].isalnum() else "")
                    for e in sorted(entries, key=len, reverse=True))


_PERCENT = alternation(vocab.words("figures", "percent"), word_end=False)  # "61 percentage points" is no score
_UNITS = alternation(vocab.words("figures", "percent") + vocab.words("figures", "units"))
_SCORE_VERBS = alternation(vocab.words("figures", "score_verbs"))
_FIGURE = re.compile(
    rf"(?<![\w.])\d+(?:[.,]\d+)?\s?(?:{_UNITS})|(?<![\w.])\d+(?:\.\d+)?/\d+\b", re.I)
_SCORE = re.compile(rf"\b(?:{_SCORE_VERBS})\s+(?:of\s+)?(\d+(?:\.\d+)?)(?![\d.]*\s?(?:{_PERCENT}|/))", re.I)
_COMPARATIVE_ZH = re.compile(rf"比[^，。]{{1,20}}?(?:{alternation(vocab.words('comparison', 'zh_comparatives'), word_end=False)})")
# "最强的模型", "全球最先进的人工智能芯片": 最 and one of the same adjectives, then a system or a
# capability (the Chinese `context` words) within eight characters of the clause
_SUPERLATIVE_ZH = re.compile(
    rf"最(?:{alternation(vocab.words('comparison', 'zh_comparatives'), word_end=False)})[^，。；]{{0,8}}?"
    rf"(?:{alternation([w for w in vocab.words('comparison', 'context') if not w.isascii()], word_end=False)})")
# the first letter after the capital is the first ASCII letter and two capitals are just two: each
# stretch of a word is matched one way only (`[\w-]*[A-Za-z][\w-]*` and `[A-Z]{2,}[\w]*` split a long
# word every possible way before failing: cubic time in its length); the same matches as before
_PRODUCT = re.compile(
    r"(?:(?P<owner>[A-Z][\w-]*(?:’s|'s))\s+)?(?P<name>(?:[A-Z](?:[^\WA-Za-z]|-)*[A-Za-z][\w-]*(?:[\s-]v?\d+(?:\.\d+)*[a-zA-Z]?\b)+)"
    r"|[A-Z]{2}\w*-\d[\w.]*|[A-Z][a-z]+[A-Z][\w]*(?:[\s-]\d[\w.]*)?|[A-Z][A-Za-z]*\d[\w.]*)")
_CAPABILITY = re.compile(
    r"\b(?:in|at|on|for)\s+(?:areas|fields|tasks|domains|benchmarks)?\s*(?:such\s+as\s+|like\s+|including\s+|of\s+)?"
    r"(?:terms\s+of\s+)?(?P<cap>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2}?)(?=\s*(?:[,.;]|$|\s+and\b|\s+tasks?\b|\s+benchmarks?\b))")
_MONTH_MAY = re.compile(r"May\b")
_PAST_MODAL = re.compile(r"\s+have\b|\W*$|[”\"’',.;:]")  # after could/might/may: past or nothing
_SCORED = re.compile(rf"\b(?:{_SCORE_VERBS})\s+(?:of\s+)?\d")  # run on lowered words


def fold_case(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same case-insensitive pattern for text that is already lower case: literals lowered,
    re.IGNORECASE dropped. Matching with IGNORECASE is about four times slower on these long
    alternations, and a claim's lowered words are at hand anyway."""
    def lower(m: re.Match[str]) -> str:
        kept = m.group().startswith(("\\", "(?P"))  # escapes (\S, \W, \d) and group names
        return m.group() if kept else m.group().lower()
    return re.compile(_PATTERN_PIECES.sub(lower, pattern.pattern), pattern.flags & ~re.IGNORECASE)


_PATTERN_PIECES = re.compile(r"\\.|\(\?P[<=][^>)]*[>)]|[^\\(]+|\(", re.DOTALL)


def _found(pattern: re.Pattern[str], folded: re.Pattern[str], words: str, lower: str,
           group: int = 0) -> list[str]:
    """What `pattern` matches in `words`, as written there; run as `folded` on `lower`."""
    if len(lower) != len(words):  # lowering grew a letter ('İ'): offsets would not line up
        return [m.group(group) for m in pattern.finditer(words)]
    return [words[m.start(group):m.end(group)] for m in folded.finditer(lower)]


_PASSIVE_CUES = vocab.words("attribution", "passive") + vocab.words("attribution", "promoting")
_PASSIVE_ATTRIBUTION = re.compile(
    r"\b(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+(?:being\s+)?"
    rf"(?P<cue>{alternation(vocab.words('attribution', 'passive'))})\s+as\b|"
    rf"\b(?:is|are|was|were|has\s+been|have\s+been)\s+(?:{alternation(vocab.words('attribution', 'promoting'))})",
    re.I)
_EXPRESSING = vocab.words("attribution", "expressing")  # "expressed": before a word of `expressed`
_VOICING = vocab.words("attribution", "voicing")  # "voiced": before any word ("voiced support")
_CONFIDENT = vocab.words("attribution", "confident")  # "confident": after a copula ("is confident")
_EXPRESSED = re.compile(
    rf"\b(?P<cue>(?:{alternation(_EXPRESSING)})\s+(?:{alternation(vocab.words('attribution', 'expressed'))})|"
    rf"(?:{alternation(_VOICING)})\s+\w+\b|"
    rf"(?:{alternation(vocab.words('attribution', 'copulas'))})\s+(?:{alternation(_CONFIDENT)}))")
_CLAUSE_CUES = frozenset(vocab.words("attribution", "clause_cues"))
_THAT_CUES = frozenset(vocab.words("attribution", "that_cues"))
_CLAUSE_PARTICIPLES = frozenset(vocab.words("attribution", "clause_participles"))
_FINDINGS = frozenset(vocab.words("attribution", "findings"))
_DOCUMENTS = frozenset(vocab.words("attribution", "documents"))
_CLAUSE_SKIP = frozenset(vocab.words("attribution", "clause_skip"))
_ACCORDING_TO = frozenset(vocab.words("attribution", "according_to"))
# a cue written in lower case, a whole word (case-sensitive: "the United States" holds no cue)
_CLAUSE_CUE = re.compile(
    rf"(?<![\w’'-])(?P<cue>{alternation(_ACCORDING_TO)}|"
    rf"{alternation(sorted(_CLAUSE_CUES | _THAT_CUES | _CLAUSE_PARTICIPLES | _FINDINGS))})(?![\w’'-])")
# where a clause opens before its subject: punctuation, or a word that opens a clause
_CLAUSE_BREAK = re.compile(
    rf"[,;:()\[\]“”\"—–]|\s-\s|(?<![\w-])(?:{alternation(vocab.words('attribution', 'clause_breaks'))})(?![\w-])")
_EXTRA_PRONOUNS = vocab.words("attribution", "subject_pronouns")  # "it", besides the speaker pronouns
_RELATIVES = frozenset(vocab.words("attribution", "relative_subjects"))  # "who"
_SUBJECT_OPENERS = frozenset(vocab.words("speaker_grammar", "determiners") + vocab.words("speaker_grammar", "pronouns")
                             + vocab.words("attribution", "vague_openers") + vocab.words("attribution", "subject_openers")
                             + _EXTRA_PRONOUNS + tuple(_RELATIVES))
_SUBJECT_INTROS = frozenset(vocab.words("speaker_grammar", "subject_intros"))
_NOT_SUBJECT_ENDS = frozenset(vocab.words("speaker_grammar", "description_ends") + vocab.words("speaker_grammar", "clause_words")
                              + vocab.words("speaker_grammar", "not_verbs"))
_PRONOUN_SUBJECTS = frozenset(vocab.words("speaker_grammar", "pronouns") + _EXTRA_PRONOUNS)
_NOT_SUBJECT_ENDS -= _PRONOUN_SUBJECTS | _RELATIVES  # "a chip it says", "voters who said": they end a subject
# words no subject holds: a copula, or a cue of its own (then the subject's clause is another)
_NOT_IN_SUBJECT = (frozenset(vocab.words("attribution", "copulas")) | _CLAUSE_CUES | _FINDINGS
                   | frozenset(vocab.words("cue_verbs")))
_NOT_SOURCES = frozenset(vocab.words("attribution", "not_sources"))
_HYPOTHETICAL = frozenset(vocab.words("attribution", "hypothetical"))
_CONDITIONAL = frozenset(vocab.words("attribution", "conditional"))
_SKIPPED = _CLAUSE_SKIP | _HYPOTHETICAL
_PLURAL_DETERMINERS = frozenset(vocab.words("attribution", "plural_determiners"))  # "five states"
_CONJUNCTIONS = frozenset(vocab.words("speaker_grammar", "sentence_conjunctions"))
_NO_SUBJECT_ENDS = frozenset(vocab.words("attribution", "no_subject_ends"))  # "there's no doubt that"
_AUXILIARIES = frozenset(vocab.words("speaker_grammar", "auxiliaries") + vocab.words("speaker_grammar", "irregular_past"))
_CLAUSE_PRONOUNS = frozenset(vocab.words("speaker_grammar", "pronouns"))
_SUBJECT_WORDS = 10  # the longest subject read before a cue
_IMPLIED_SUBJECT = re.compile(rf"\b(?:{alternation(vocab.words('attribution', 'implied_determiners'))})\s+"
                              rf"(?:{alternation(vocab.words('attribution', 'implied_subjects'))})", re.I)
_FIGURE_LOWER, _SCORE_LOWER = map(fold_case, (_FIGURE, _SCORE))
_PROPER = re.compile(r"\b[A-Z][\w’'\-]*[a-z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*[a-z][\w’'\-]*)*")


# Lower-case substrings without which a pattern cannot match. Checking them first is far cheaper
# than running the big alternations over every claim, and most claims contain none of them. The
# vocabularies' triggers come from their files; these two cover the attribution patterns above.
_TRIGGERS: dict[str, tuple[str, ...]] = {
    **{kind: lex.triggers for kind, lex in LEXICONS.items()},
    "comparison_zh": ("比",),
    "superlative_zh": ("最",),
    "scored": ("scor",),
    "expressed": tuple(w.lower() for w in _EXPRESSING + _VOICING + _CONFIDENT),
    "passive": tuple(w.lower() for w in _PASSIVE_CUES),
    "clause": tuple(sorted(_CLAUSE_CUES | _THAT_CUES | _CLAUSE_PARTICIPLES | _FINDINGS
                           | {w.split()[0] for w in _ACCORDING_TO})),
}


def _may(kind: str, lower: str) -> bool:
    return any(map(lower.__contains__, _TRIGGERS[kind]))


def _trigger_automaton() -> ahocorasick.Automaton:
    """Every trigger of every vocabulary in one Aho-Corasick automaton: one pass over the article
    finds them all (a `str.find` per trigger took 12% of the rules engine's time)."""
    kinds: dict[str, list[str]] = {}
    for kind, triggers in _TRIGGERS.items():
        for trigger in triggers:
            kinds.setdefault(trigger, []).append(kind)
    automaton = ahocorasick.Automaton()
    for trigger, its_kinds in kinds.items():
        automaton.add_word(trigger, (len(trigger) - 1, tuple(its_kinds)))
    automaton.make_automaton()
    return automaton


_AUTOMATON = _trigger_automaton()


def lowered(article: Article) -> str | None:
    """The article's text lowered, when every stretch of it lowered alone gives the same letters
    as this text at the same offsets, so a claim's lowered words are a slice of it: no letter
    grew in lowering ('İ'), and no capital sigma, the one letter whose lower case depends on its
    neighbours (final 'ς'). None otherwise. Lowered once per article."""
    cache = article.cache
    if "lower" not in cache:
        text = article.text
        lower = text.lower()
        cache["lower"] = lower if len(lower) == len(text) and "Σ" not in text else None
    whole: str | None = cache["lower"]
    return whole


class _Triggers:
    """Where the vocabularies' trigger substrings occur in the article: found once, so a claim
    asks two bisects instead of scanning its words for every trigger."""

    def __init__(self, text: str, lower: str | None = None) -> None:
        lower = text.lower() if lower is None else lower  # (`lower`: the same, lowered already)
        self.usable = len(lower) == len(text)  # lowering can grow a few letters ('İ')
        # the automaton reports matches by where they end; a claim asks by where they start
        found = sorted((last - back, kinds) for last, (back, kinds) in _AUTOMATON.iter(lower))
        self.starts = [at for at, _ in found]
        self.kinds = [kinds for _, kinds in found]

    def kinds_in(self, start: int, end: int, lower: str) -> set[str]:
        """The vocabularies with a trigger starting in [start, end) (`lower`: those words, lowered)."""
        if not self.usable:
            return {kind for kind in _TRIGGERS if _may(kind, lower)}
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end, lo)
        return set().union(*self.kinds[lo:hi])

    def starts_of(self, kind: str, start: int, end: int) -> list[int] | None:
        """Where a trigger of `kind` starts in [start, end), in order, each offset once (None
        when the triggers are unusable: every offset may then be one)."""
        if not self.usable:
            return None
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end, lo)
        return sorted({self.starts[i] for i in range(lo, hi) if kind in self.kinds[i]})


# the signals an attribution is found by, each measured on its own (scripts/signal_precision.py):
# "cue", the quote stage's speech mentions (a speech verb and its speaker); "expressed" ("X
# expressed confidence that"); "passive" ("is being touted as"); and the clause rules read after
# them: "clause" (a cue and the subject right before it, or a passive's "by"), "participle" (a
# cue in -ing after a comma: the sentence's subject), "finding" (a document's finding: "the poll
# found"), "according_to" (the source after "according to") and "headline" (a title-case headline,
# or a sentence-case one with a bare source); last, for a Q&A or transcript draft (`interview`),
# "label" (the person named on an answer's label) and "interviewee" (an unnamed `A:` answer: the
# person the article names first)
SIGNALS = ("cue", "expressed", "passive", "clause", "participle", "finding", "according_to", "headline",
           "label", "interviewee")
CLAUSE_SIGNALS = ("clause", "participle", "finding", "according_to", "headline")


@dataclass(slots=True)
class Attribution:
    """Who a stretch of text is attributed to, and the words that say so. Whether the source is
    vague is the verification stage's call (`verify.is_vague`), on the final attribution."""

    source: str
    cue: str | None
    via: str = "cue"  # which signal found it: one of SIGNALS


@dataclass(slots=True)
class Signals:
    """What fired on a stretch of text, with the words that fired it."""

    attribution: Attribution | None = None
    comparison: list[str] = field(default_factory=list)  # performance comparisons and rankings
    comparison_kinds: list[str] = field(default_factory=list)  # the vocabulary of each
    tech_context: bool = False  # the stretch is about AI systems, chips or products
    benchmarks: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    opinion: list[str] = field(default_factory=list)  # opinion markers, as written
    opinion_kinds: list[str] = field(default_factory=list)  # each marker's vocabulary
    subjectivity: subjectivity.Reading | None = None  # the learned model's reading
    kinds: frozenset[str] | None = None  # the vocabularies whose triggers occur (None: unknown)

    @property
    def benchmark(self) -> bool:
        """A performance claim: a comparison or ranking of systems, or a score on a named benchmark."""
        if self.comparison and self.tech_context:
            return True
        return bool(self.benchmarks) and bool(self.figures or self.comparison)

    def benchmark_kinds(self) -> list[str]:
        """The signals behind `benchmark`: comparison vocabularies, or a named benchmark's score."""
        if not self.benchmark:
            return []
        kinds = list(dict.fromkeys(self.comparison_kinds)) if self.tech_context else []
        return kinds or ["named_benchmark"]

    @property
    def subjective(self) -> bool:
        """The learned model reads the writer's (or speaker's) own view here."""
        return self.subjectivity is not None and self.subjectivity.subjective

    def opinionated(self, attributed: bool) -> bool:
        """Opinion markers anywhere; the learned model only in the publication's own voice, the
        voice its training data was annotated for (a quote's judgement needs a marker)."""
        return bool(self.opinion) or (self.subjective and not attributed)


def read(article: Article, start: int, end: int) -> Signals:
    """All signals on the article's words [start, end), but the learned model's reading, which
    only a claim in the publication's voice needs (`read_subjectivity`)."""
    text = article.text
    people = names.index_for(article)
    whole = lowered(article)
    triggers = _triggers_for(article)
    words = text[start:end]
    lower = words.lower() if whole is None else whole[start:end]
    kinds = frozenset(triggers.kinds_in(start, end, lower))
    sig = Signals(kinds=kinds)
    may = kinds.__contains__
    _read_benchmark(sig, words, lower, may)
    _read_opinion(sig, words, lower, may)
    sig.attribution = _attribution(text, start, end, may, people, triggers) or _label_attribution(article, start, people)
    return sig


def _label_attribution(article: Article, start: int, people: names.NameIndex) -> Attribution | None:
    """A claim in a Q&A or transcript draft's answer, attributed to the person on the label
    (`stages.interview`): a name in two words or more, or one the article gives in full."""
    turn = interview.turn_at(article, start)
    name = interview.speaker_of(article, people, turn) if turn is not None else None
    if name is None or turn is None:
        return None
    # an unnamed `A:` is the person the article names first: a signal of its own
    return Attribution(name, ":", "label" if turn.speaker else "interviewee")


def _triggers_for(article: Article) -> _Triggers:
    """The article's `_Triggers`, found once (in `Article.cache`) for every claim that asks."""
    triggers: _Triggers | None = article.cache.get("triggers")
    if triggers is None:
        triggers = article.cache["triggers"] = _Triggers(article.text, lowered(article))
    return triggers


def read_subjectivity(article: Article, sig: Signals, span: tuple[int, int]) -> None:
    """Add the learned model's reading of the article's words `span` (the whole sentence or
    sentences that hold a claim: it was trained on whole sentences), read once per span."""
    cache = article.cache.setdefault("subjectivity", {})
    if span not in cache:
        cache[span] = subjectivity.read(article.text[span[0]:span[1]])
    sig.subjectivity = cache[span]


def _hits(kind: str, words: str, lower: str, may: Callable[[str], bool]) -> list[tuple[int, int]]:
    return LEXICONS[kind].spans(words, lower) if may(kind) else []


def _inside(span: tuple[int, int], outer: list[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in outer)


def _read_benchmark(sig: Signals, words: str, lower: str, may: Callable[[str], bool]) -> None:
    sig.benchmarks = _unique(LEXICONS["benchmarks"].find(words, lower)) if may("benchmarks") else []
    found = [(sp, "comparison") for sp in _hits("comparison", words, lower, may)
             if not _names_a_rival(lower, sp)]
    found += [(sp, "comparison_phrases") for sp in _hits("comparison_phrases", words, lower, may)]
    found += [(sp, "superlatives") for sp in _hits("superlatives", words, lower, may)
              if _SUPERLATIVE_SYSTEM.match(lower[sp[1]:].lstrip())]
    if may("scored") and len(lower) == len(words):
        found += [(m.span(), "scored") for m in _SCORED.finditer(lower)]
    if may("comparison_zh"):
        found += [(m.span(), "comparison_zh") for m in _COMPARATIVE_ZH.finditer(words)]
    if may("superlative_zh"):
        found += [(m.span(), "superlative_zh") for m in _SUPERLATIVE_ZH.finditer(words)]
    if found:
        finance = _hits("not_performance", words, lower, may)
        found = sorted(f for f in found if not _inside(f[0], finance))
    seen: set[str] = set()
    for (s, e), kind in found:
        said = " ".join(words[s:e].split())
        if said.lower() not in seen:
            seen.add(said.lower())
            sig.comparison.append(said)
            sig.comparison_kinds.append(kind)
    if sig.comparison:
        sig.tech_context = bool(sig.benchmarks or _hits("context", words, lower, may))
    if sig.benchmarks or sig.comparison:
        sig.figures = _unique(_found(_FIGURE, _FIGURE_LOWER, words, lower)
                              + _found(_SCORE, _SCORE_LOWER, words, lower, group=1))


def _names_a_rival(lower: str, span: tuple[int, int]) -> bool:
    """'rival Orchard AI', 'its rivals': a competitor named, not a performance claim."""
    if lower[span[0]:span[1]] not in _RIVAL:
        return False
    before = lower[:span[0]].split()
    return not before or before[-1] in _NOUN_BEFORE or before[-1].endswith(("'s", "’s"))


def _names_a_forecast(lower: str, span: tuple[int, int]) -> bool:
    """'beats forecasts', 'its forecast': someone's figure reported, not a forecast made here."""
    if lower[span[0]:span[1]] not in _FORECAST:
        return False
    before = lower[:span[0]].split()
    return bool(before) and before[-1] in _FORECAST_NOUN_BEFORE


# the kinds of opinion marker, in the order a rationale names them
OPINION_KINDS = ("prescriptive", "stance", "predictive", "hedges", "loaded", "phrases")


def _read_opinion(sig: Signals, words: str, lower: str, may: Callable[[str], bool]) -> None:
    schedule = _hits("schedule", words, lower, may)
    unable = _hits("not_hedges", words, lower, may)
    seen: set[str] = set()
    for kind in OPINION_KINDS:
        for s, e in _hits(kind, words, lower, may):
            if kind in ("predictive", "hedges") and _inside((s, e), schedule):
                continue  # "will be available from next week": a date, not a forecast
            if kind == "hedges" and _inside((s, e), unable):
                continue  # "could not be reached for comment": what was, not what may be
            if kind == "hedges" and s > 0 and _MONTH_MAY.match(words, s):
                continue  # "in May": the month
            if kind == "predictive" and _names_a_forecast(lower, (s, e)):
                continue
            if kind == "hedges" and _PAST_MODAL.match(lower, e):
                continue  # "could have been stopped", "as fast as any company could": no forecast
            marker = " ".join(words[s:e].split())
            if marker.lower() not in seen:
                seen.add(marker.lower())
                sig.opinion.append(marker)
                sig.opinion_kinds.append(kind)


def _attribution(text: str, start: int, end: int, may: Callable[[str], bool],
                 people: names.NameIndex, triggers: _Triggers) -> Attribution | None:
    spoken = [found for found in people.spoken_between(start, end) if _may_be_source(*found)]
    if spoken:
        cue, mention = spoken[0]
        return Attribution(people.resolve(mention, mention.start), cue)
    m = _EXPRESSED.search(text, start, end) if may("expressed") else None
    if m:
        who = _subject_phrase(" ".join(text[max(start, m.start() - 80):m.start()].split()[-7:]))
        if who:
            return Attribution(who, m.group("cue"), "expressed")
    m = _PASSIVE_ATTRIBUTION.search(text, start, end) if may("passive") else None
    if m:
        return Attribution(_implied_source(text, start, m.start()), m.group(0).strip(), "passive")
    if not may("clause"):
        return None
    # every cue of the clause rules is a "clause" trigger (in lower case): only where one starts
    # can a cue match, in lower case for `_clause_attribution`, capitalised for a headline's
    at = triggers.starts_of("clause", start, end)
    return _clause_attribution(text, start, end, people, at) or (
        _headline_attribution(text, start, end) if at is None or any(text[i].isupper() for i in at)
        else _sentence_case_headline(text, start, end))


_HEADLINE_CUES = sorted(c for c in _CLAUSE_CUES if not c.endswith("ing"))  # a headline's cue: no -ing form
_TITLE_CUES = alternation(c.capitalize() for c in _HEADLINE_CUES)
_HEADLINE_WORD = rf"(?!(?:{_TITLE_CUES})(?![\w’'-]))[A-Z][\w’'.-]*"  # a capitalised word, no cue
_HEADLINE_WHO = rf"{_HEADLINE_WORD}(?:\s+{_HEADLINE_WORD}){{0,3}}"
# "Roe Says Fees Will Rise", "Fees Will Rise, Roe Says": a headline's cue in title case
_HEADLINE_CUE = re.compile(
    rf"(?P<who>{_HEADLINE_WHO})\s+(?P<cue>{_TITLE_CUES})\s+[A-Z‘“'\"]|"
    rf",\s+(?P<who2>{_HEADLINE_WHO})\s+(?P<cue2>{_TITLE_CUES})[.!]?\s*$")


# a headline in title case: at least `at_least` words longer than `longer_than` letters, and of
# them a share `capitalised` or more capitalised (attribution.yaml `headline`)
_HEADLINE: dict[str, float] = {k: float(v) for k, v in vocab.load("attribution")["headline"].items()}


# "Kestrel 4 tops coding leaderboard, company says": a headline in sentence case drops the article
# before its source, which a sentence of the story would write ("the company says")
_SENTENCE_CASE_CUE = re.compile(
    rf",\s+(?P<who>[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){{0,2}})\s+(?P<cue>{alternation(_HEADLINE_CUES)})\s*$")


def _headline_attribution(text: str, start: int, end: int) -> Attribution | None:
    """A headline in title case ("Roe Says Fees Will Rise"), where the lower-case cues of
    `_clause_attribution` cannot be: its subject, a run of capitalised words, opens it or follows
    its last comma."""
    words = [w for w in text[start:end].split() if len(w) > _HEADLINE["longer_than"] and w[0].isalpha()]
    if len(words) < _HEADLINE["at_least"] or sum(w[0].isupper() for w in words) < _HEADLINE["capitalised"] * len(words):
        return None
    m = _HEADLINE_CUE.match(text, start, end) or _HEADLINE_CUE.search(text, start, end)
    if m is None or (m.group("who") and m.start() != start):
        return None  # (a subject opening the headline, or one after its last comma)
    key = "" if m.group("who") else "2"
    who, cue = m.group("who" + key), m.group("cue" + key)
    if who.split()[0].lower() in _SUBJECT_INTROS | _NOT_SOURCES | _CONDITIONAL:
        return None
    # kept as written: in title case the whole headline reads as one long name to resolve to
    return Attribution(who, cue.lower(), "headline")


def _sentence_case_headline(text: str, start: int, end: int) -> Attribution | None:
    """A headline in sentence case, with no full stop, whose source after its last comma has no
    article ("Kestrel 4 tops coding leaderboard, company says")."""
    m = _SENTENCE_CASE_CUE.search(text, start, end)
    if m is None:
        return None
    first = m.group("who").split()[0]
    if first in _CLAUSE_PRONOUNS or first in _SUBJECT_INTROS | _NOT_SOURCES | _CONDITIONAL:
        return None
    return Attribution(m.group("who"), m.group("cue"), "headline")


def _may_be_source(cue: str, mention: names.Mention) -> bool:
    """Whether a speech mention can be a claim's source: a description that ends on a word no
    noun phrase ends on ("her daughter into states", "the ones State now says"), or on a count
    before a cue in -s ("in five states"), read a noun that spells a cue as one; a name that is
    one initial ("according to F.A.A. records" read as "F.")."""
    last = mention.text.split()[-1].lower() if mention.text.split() else ""
    if cue.endswith("s") and _counts_a_plural(last):
        return False
    if mention.kind == "name":
        return len(mention.text.strip(". ")) > 1
    if mention.kind != "description":
        return True
    return last not in _NOT_SUBJECT_ENDS and last not in _SKIPPED


def _plural_noun(words: list[re.Match[str]], i: int) -> bool:
    """Whether words[i], a cue's spelling, is a plural noun after a count ("in five states")."""
    return i > 0 and words[i].group().lower().endswith("s") and _counts_a_plural(words[i - 1].group())


def _counts_a_plural(word: str) -> bool:
    """Whether a word before a cue makes the cue a plural noun: a figure or a word of
    `plural_determiners` ("Majorities of Democrats in five states ... say", "those two states",
    "won the most states"), after which no verb in -s can stand."""
    bare = word.lower().strip(",.")
    return bare in _PLURAL_DETERMINERS or bare.replace(",", "").isdigit()


def _clause_attribution(text: str, start: int, end: int, people: names.NameIndex,
                        cues_at: list[int] | None = None) -> Attribution | None:
    """A cue with its subject right before it, read more loosely than the quote stage's speaker
    grammar (which must name a quote's speaker): "Ryan also is stressing that ...", "Twenty-four
    percent said ...", "the poll found ...", "..., according to officials involved at the time".
    The subject is the words between where the cue's clause opens and the cue, less the words of
    `clause_skip` ("has since", "would not"); it must open like a noun phrase (a capital, a
    determiner, a pronoun, a figure) and end like one. `cues_at`: the offsets where a cue may
    start (the "clause" triggers; None: anywhere), the only ones the cue pattern is tried at."""
    for m in _clause_cues(text, start, end, cues_at):
        cue = m.group("cue")
        if cue in _ACCORDING_TO:
            source = _source_after(text, m.end(), end)
            if source:
                return Attribution(source, " ".join(cue.split()), "according_to")
            continue
        if _TO_AFTER.match(text, m.end(), end):
            continue  # "said to be steep", "told to leave": no one's words follow
        if cue.endswith("s") and _VERB_AFTER.match(text, m.end(), end):
            continue  # "all three claims are being made": a plural noun, its verb after it
        if cue.lower() in _FORECAST and _names_a_forecast(text[start:m.end()].lower(), (m.start() - start, m.end() - start)):
            continue  # "beats forecasts", "its forecasts": someone's figure, no cue
        if not cue.endswith("ing") and _BE_BEFORE.search(text, max(start, m.start() - 40), m.start()):
            # a passive: "was criticized by economists" is theirs, "residents were told" no one's
            by = _BY_AFTER.match(text, m.end(), end)
            source = _source_after(text, by.end(), end) if by else None
            if source and _noun_phrase_words(source):
                return Attribution(source, cue, "clause")
            continue
        if cue in _THAT_CUES and not _THAT_AFTER.match(text, m.end(), end):
            continue  # "his fears", "the hopes of": a noun, unless "fears that"
        if cue in _CLAUSE_PARTICIPLES and text[max(start, m.start() - 3):m.start()].rstrip().endswith(","):
            subject, via = _leading_subject(text, start, m.start()), "participle"
        elif cue in _CLAUSE_CUES or cue in _FINDINGS or cue in _THAT_CUES:
            subject = _subject_before(text, start, m.start())
            via = "clause" if cue in _CLAUSE_CUES or cue in _THAT_CUES else "finding"
        else:
            continue
        if subject is None:
            continue
        who, at = subject
        if cue.endswith("s") and _counts_a_plural(who.split()[-1]):
            continue  # "in five states": a plural noun, not a verb
        if who.lower() in _EXTRA_PRONOUNS:
            who, at = _named_subject(text, start, at) or (who, at)
        if cue in _FINDINGS and _head(who) not in _DOCUMENTS and not _THAT_AFTER.match(text, m.end(), end):
            continue  # "police found a body": a finding is reported by a document, or "found that"
        return Attribution(_resolved(who, at, people), cue, via)
    return None


def _clause_cues(text: str, start: int, end: int, at: list[int] | None) -> Iterator[re.Match[str]]:
    """`_CLAUSE_CUE.finditer(text, start, end)`, tried only at the offsets `at` (None: all): the
    same matches, since each starts where its cue's trigger does, without trying the pattern's
    hundred-odd words at every offset of the claim."""
    if at is None:
        yield from _CLAUSE_CUE.finditer(text, start, end)
        return
    reached = start
    for i in at:
        if i >= reached:
            m = _CLAUSE_CUE.match(text, i, end)
            if m:
                yield m
                reached = m.end()


# ", and" before a clause that may hold an attribution of its own ("Roe said ..., and Lind said ...")
_AND_CLAUSE = re.compile(rf",\s+(?:{alternation(vocab.words('attribution', 'attribution_joins'))})\s+")


def attribution_clauses(article: Article, start: int, end: int,
                        quoted: Callable[[], Callable[[int], bool]] | None = None) -> list[tuple[int, int]]:
    """The article's words [start, end) as the clauses that each carry their own attribution:
    a sentence holding two ("Six in 10 voters said she is honest, and three-quarters said the
    same of Sanders") is two claims, each attributed to its own source, as DESIGN's "claims from
    sentences and clauses" asks; otherwise the words whole. A cut is made at ", and" (a word of
    `attribution_joins`) outside quotation marks (`quoted()`: whether an offset is inside one, asked
    only when there is a join) when the words before it are attributed and the words after it
    open with a subject and its cue."""
    text = article.text
    joins = list(_AND_CLAUSE.finditer(text, start, end))
    if not joins:
        return [(start, end)]
    people = names.index_for(article)
    triggers = _triggers_for(article)
    out: list[tuple[int, int]] = []
    at = start
    inside: Callable[[int], bool] | None = None
    for m in joins:
        if _opens_with_attribution(text, m.end(), end, people, triggers) and \
                _attributed(text, at, m.start(), people, triggers):
            if quoted is not None:
                inside = inside or quoted()  # (the quotation marks are paired only when needed)
                if inside(m.start()):
                    continue
            out.append((at, m.start()))
            at = m.end()
    out.append((at, end))
    return out


_WORD_AFTER = re.compile(r"\W*\w")


def _attributed(text: str, start: int, end: int, people: names.NameIndex, triggers: _Triggers) -> bool:
    """Whether the words [start, end) hold an attribution: a speech mention with its cue, or a
    clause cue."""
    if any(_may_be_source(cue, mention) and text.find(cue, mention.end, end) >= 0
           for cue, mention in people.spoken_between(start, end)):
        return True
    return _clause_attribution(text, start, end, people, triggers.starts_of("clause", start, end)) is not None


def _opens_with_attribution(text: str, at: int, end: int, people: names.NameIndex, triggers: _Triggers) -> bool:
    """Whether the words from `at` open with a subject followed by its cue: a speech mention of
    the quote stage that starts there, or a clause cue whose subject does."""
    for cue, mention in people.spoken_between(at, end):
        if mention.start == at and _may_be_source(cue, mention):
            said = text.find(cue, mention.end, end)  # (the cue follows its speaker here)
            return said >= 0 and _WORD_AFTER.match(text, said + len(cue), end) is not None
    upto = min(end, at + 120)
    for m in _clause_cues(text, at, upto, triggers.starts_of("clause", at, upto)):
        cue = m.group("cue")
        if cue not in _CLAUSE_CUES:
            return False
        if not _WORD_AFTER.match(text, m.end(), end):
            return False  # "..., and the board agreed.": nothing reported after the cue
        subject = _subject_before(text, at, m.start())
        return subject is not None and subject[1] == at and not _counts_a_plural(subject[0].split()[-1])
    return False


_BE_BEFORE = re.compile(
    rf"(?<![\w’'-])(?:{alternation(vocab.words('attribution', 'passive_auxiliaries'))})\s+(?:[a-z]+ly\s+|not\s+)*$")
_BY_AFTER = re.compile(rf"\s+(?:{alternation(vocab.words('attribution', 'agent_by'), word_end=False)})(?=\s)")


def _named_subject(text: str, start: int, at: int) -> tuple[str, int] | None:
    """What "it" stands for as a source: the name its sentence opens with, followed by its verb
    ("Hanlin unveils AI chip it says rivals Nvidia's H20": Hanlin); None when the sentence opens
    otherwise ("Last Tuesday it said", "The start-up said its chip, which it says")."""
    m = _PROPER.match(text, start, at)
    if m is None or names.clean_name(m.group()) is None:
        return None
    after = re.match(r"\s+([a-z]+)\b", text[m.end():at])
    if after is None or after.group(1) in _PRONOUN_SUBJECTS:
        return None
    return m.group(), m.start()


def _noun_phrase_words(phrase: str) -> bool:
    """Whether a source read after "by" can be one: it opens like a subject and ends like one."""
    words = list(re.finditer(r"\S+", phrase))
    return _noun_phrase(phrase, 0, words) is not None


_FIRST_PERSON = re.compile(
    rf"[’'](?:{alternation(vocab.words('attribution', 'contractions'))})$")  # "I'm", "we've": the pronoun
_SKIPPED_ENDINGS = vocab.words("attribution", "skipped_endings")  # "quietly said", "didn't say"
_THAT_AFTER = re.compile(rf"\s+(?:{alternation(vocab.words('attribution', 'that_clause'))})")
_TO_AFTER = re.compile(rf"\s+(?:{alternation(vocab.words('attribution', 'to_after'))})")
_VERB_AFTER = re.compile(rf"\s+(?:{alternation(vocab.words('attribution', 'noun_verbs'))})\b")


def _head(phrase: str) -> str:
    return phrase.split()[-1].lower().strip(".,")


def _subject_before(text: str, start: int, cue_at: int) -> tuple[str, int] | None:
    """The subject right before a cue at `cue_at` (no further back than `start`), and where it starts."""
    lo = max(start, cue_at - 200)
    breaks = list(_CLAUSE_BREAK.finditer(text, lo, cue_at))
    words: list[re.Match[str]] = []
    opened = lo
    while True:
        opened = breaks[-1].end() if breaks else lo
        words = list(re.finditer(r"\S+", text[opened:cue_at]))
        while words and (words[-1].group().lower() in _SKIPPED or words[-1].group().lower().endswith(_SKIPPED_ENDINGS)):
            if words[-1].group().lower() in _HYPOTHETICAL:
                return None  # "we can expect", "it may think fit": no one's words yet
            words.pop()
        if words or not breaks:
            break
        if not breaks[-1].group()[0].isalpha():
            # "Roe, the chief executive, said", "The poll, released Monday, showed": the subject
            # the sentence opens with, when the cue's clause holds nothing else
            return _leading_subject(text, start, cue_at) if breaks[-1].group() == "," else None
        breaks.pop()  # "Roe has since said": "since" was no clause's opening, read on before it
    if breaks and breaks[-1].group().lower() in _CONDITIONAL and opened == breaks[-1].end():
        return None  # "if they find that ...": a condition, not a report
    if words and words[-1].group().lower() in _RELATIVES and len(words) > 1:
        words.pop()  # "voters who said": the voters
    elif len(words) > 1 and words[-1].group().lower() in _PRONOUN_SUBJECTS:
        words = words[-1:]  # "a chip it says rivals ...": the pronoun is the subject
    words = words[-_SUBJECT_WORDS:]
    return _noun_phrase(text, opened, words)


def _leading_subject(text: str, start: int, cue_at: int) -> tuple[str, int] | None:
    """The subject a sentence opens with, for a participle after a comma ("Roe left, saying ..."):
    its words up to its verb (an auxiliary, a past tense, a cue)."""
    words: list[re.Match[str]] = []
    for w in re.finditer(r"\S+", text[start:cue_at]):
        bare = w.group().strip(",.;:")
        if words and bare and bare[0].islower() and _verb_like(bare):
            break
        if not words and bare.lower() in _SUBJECT_INTROS:
            return None  # an opening phrase ("In April,"): the subject is not read here
        if len(words) >= _SUBJECT_WORDS:
            return None
        words.append(w)
        if w.group().endswith(","):
            break  # "Roe, the chief executive, ...": the subject ends at its appositive
    return _noun_phrase(text, start, words)


def _verb_like(word: str) -> bool:
    """A lower-case word that reads as a sentence's verb: an auxiliary, a past tense, a cue."""
    return word in _AUXILIARIES or word.endswith("ed") or word in _NOT_IN_SUBJECT


def _noun_phrase(text: str, base: int, words: list[re.Match[str]]) -> tuple[str, int] | None:
    """The words as a subject, and where it starts; None when they cannot be one."""
    while len(words) > 1 and words[0].group().lower() in _CONJUNCTIONS:
        words = words[1:]  # "And real-world data shows": the data
    if not words:
        return None
    first, last = words[0].group(), words[-1].group().rstrip(",")
    if not (first[0].isupper() or first[0].isdigit() or first.lower() in _SUBJECT_OPENERS or _bare_plural(words)):
        return None
    bare_last = last.lower().strip(".,")
    if bare_last in _NO_SUBJECT_ENDS or bare_last in _NOT_SOURCES or _FIRST_PERSON.sub("", first.lower()) in _NOT_SOURCES:
        return None  # "anyone who believes", "I believe", "I'm suggesting": the writer's own voice
    if bare_last in _NOT_SUBJECT_ENDS or bare_last.endswith(("'s", "’s", "'", "’")) or not bare_last[-1:].isalnum():
        return None
    if any(w.group().lower() in _NOT_IN_SUBJECT and not _plural_noun(words, i) for i, w in enumerate(words)):
        return None  # "The results suggest the slowdown many investors feared": a verb before the cue
    end = base + words[-1].end() - (1 if words[-1].group().endswith(",") else 0)
    return text[base + words[0].start():end], base + words[0].start()


def _bare_plural(words: list[re.Match[str]]) -> bool:
    """A short subject in lower case that ends in a plural: "experts", "border officials"."""
    last = words[-1].group().rstrip(",")
    return len(words) <= 3 and all(w.group().rstrip(",").isalpha() for w in words) and last.endswith("s") \
        and not last.endswith("ss") and last not in _CLAUSE_SKIP and last not in _NOT_IN_SUBJECT


def _source_after(text: str, at: int, end: int) -> str | None:
    """The source after "according to": its words up to punctuation (at most `_SUBJECT_WORDS`)."""
    m = _AFTER_ACCORDING.match(text, at, end)
    if m is None:
        return None
    words = m.group(1).split()[:_SUBJECT_WORDS + 2]
    return " ".join(words) or None


# the words after "according to" up to punctuation or a sentence's full stop ("F.A.A. records." whole)
_HONORIFIC_END = "|".join(rf"(?<=\b{re.escape(h)})" for h in vocab.words("speaker_titles", "honorifics"))
_AFTER_ACCORDING = re.compile(
    rf"\s+((?:[^,;:()“”\".]|\.(?=\S)|(?<=[A-Z])\.(?=\s+[a-z])|(?:{_HONORIFIC_END})\.(?=\s+[A-Z]))+)")


def _resolved(who: str, at: int, people: names.NameIndex) -> str:
    """A subject as a source: a pronoun resolved to the person it stands for, a name to its
    fullest form in the article, a description kept as written."""
    lower = who.lower()
    if lower in _CLAUSE_PRONOUNS:
        return people.resolve(names.Mention(at, at + len(who), who, "pronoun"), at)
    tokens = who.split()
    if all(t[0].isupper() for t in tokens) and names.clean_name(who):
        return people.full_name(who, at)
    return who


# where the subject before "expressed" opens: a comma, or a word of `expressed_subject_breaks`
_EXPRESSED_SUBJECT_BREAK = re.compile(
    rf",\s+|\b(?:{alternation(vocab.words('attribution', 'expressed_subject_breaks'))})")


def _subject_phrase(words: str) -> str:
    """The noun phrase before a cue: 'many executives at the conference'."""
    cut = _EXPRESSED_SUBJECT_BREAK.split(words)
    return cut[-1].strip() if cut else words.strip()


def _implied_source(text: str, sentence_start: int, cue_at: int) -> str:
    """Who is doing the touting: 'the company' resolved to the organisation named before it."""
    clause = text[sentence_start:cue_at]
    implied = _IMPLIED_SUBJECT.search(clause)
    before = text[max(0, sentence_start - 600):sentence_start]
    sentences = re.split(r"(?<=[.!?])\s+", before)
    if implied is not None:
        for sentence in [clause[:implied.start()]] + list(reversed(sentences[-2:])):
            org = _first_proper(sentence)
            if org:
                return org
        return implied.group()
    own = _first_proper(clause)
    return own or "unnamed source"


def _first_proper(sentence: str) -> str | None:
    """The first proper name in a sentence, skipping a lone capitalised sentence opener."""
    for m in _PROPER.finditer(sentence):
        name = names.clean_name(m.group())
        if name is None or (m.start() == 0 and " " not in m.group()):
            continue
        if sentence[:m.start()].count("(") > sentence[:m.start()].count(")"):
            continue  # a dateline's agency, "(Reuters)", is not who is talking
        return name
    return None


# --------------------------------------------------------------------------- benchmark parsing


@dataclass(slots=True)
class BenchmarkParse:
    subject: str | None
    compared_to: list[str]
    capability: str | None


def parse_benchmark(words: str) -> BenchmarkParse:
    """Subject, compared systems and capability of a benchmark-dependent claim."""
    lower = words.lower()
    spans = [sp for kind in ("comparison", "comparison_phrases", "superlatives", "benchmarks")
             for sp in LEXICONS[kind].spans(words, lower)]
    cue = min(spans) if spans else None
    at = cue[0] if cue else len(words)
    after = words[cue[1]:] if cue else ""
    products = [(m.start(), _product(m)) for m in _PRODUCT.finditer(_without_long_words(words))
                if m.group("name") not in LEXICONS["benchmarks"].entries]
    before = [p for s, p in products if s < at]
    compared = [p for s, p in products if s >= at]
    subject = before[-1] if before else _clause_subject(words[:at])
    cap = _CAPABILITY.search(after)
    return BenchmarkParse(subject=subject, compared_to=_unique(compared),
                          capability=cap.group("cap") if cap else None)


# a run of word characters too long to be or hold a product name (a hash, a URL, a key hit
# many times): `_PRODUCT` tries it from each of its characters, time quadratic in its length
_LONG_WORD = re.compile(r"(?<![\w-])[\w-]{200,}")


def _without_long_words(words: str) -> str:
    """`words` with each very long word blanked out (NULs: no word, no space), offsets kept."""
    if len(words) < 200:
        return words
    return _LONG_WORD.sub(lambda m: "\0" * len(m.group()), words)


def _product(m: re.Match[str]) -> str:
    return (m.group("owner") + " " if m.group("owner") else "") + m.group("name")


def _clause_subject(words: str) -> str | None:
    clause = re.split(r"[,;:]\s+|\bthat\b|\bsaid\b|\binterview\b", words)
    clause_text = clause[-1] if clause and clause[-1].strip() else (clause[0] if clause else "")
    clause_text = re.sub(r"\b(?:have|has|had)\s+been\s+able\s+to\s*$|\b(?:is|are|was|were|can|could|will)\s*$", "",
                         clause_text.strip()).strip()
    if not clause_text:
        parts = [c for c in re.split(r",\s+", words) if c.strip()]
        clause_text = parts[0] if parts else ""
    return clause_text.strip() or None


def _unique(items: Iterable[str]) -> list[str]:
    """Items in first-seen order, whitespace-normalised, without case-insensitive repeats."""
    items = list(items)
    if not items:
        return []
    seen: dict[str, str] = {}
    for item in items:
        key = " ".join(item.split())
        if key and key.lower() not in seen:
            seen[key.lower()] = key
    return list(seen.values())
