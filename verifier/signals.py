"""Deterministic signals over a stretch of article text: attribution, benchmark, opinion.

They are what the rules engine tags with, and what the verification stage cross-checks a model's
tags against. Each signal records the words that fired it, so a claim's `rationale` can name them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import ahocorasick

from verifier import names
from verifier.schema import Article

# --------------------------------------------------------------------------- vocabularies

BENCHMARK_NAMES = re.compile(
    r"\b(?:MMLU(?:-Pro)?|GSM-?8K|MATH(?:-500)?|HumanEval\+?|MBPP|GPQA(?:\s+Diamond)?|ARC(?:-Challenge|-AGI)?|"
    r"HellaSwag|BIG-?Bench(?:\s+Hard)?|BBH|C-?Eval|CMMLU|SuperCLUE|MT-?Bench|AlpacaEval|"
    r"Chatbot\s+Arena|LMSYS|LMArena|SWE-?bench(?:\s+Verified)?|AIME(?:\s*\d{2,4})?|DROP|TruthfulQA|"
    r"WinoGrande|MLPerf|SPEC(?:int|fp)?|Geekbench|Cinebench|LiveCodeBench|Codeforces|MMMU|"
    r"MathVista|ImageNet|GLUE|SuperGLUE|SQuAD|HLE|Humanity’s\s+Last\s+Exam|OpenCompass|FlagEval)\b")
_COMPARISON = re.compile(
    r"\b(?:rival(?:s|ed|ing|led|ling)?|a\s+rival\s+to|outperform(?:s|ed|ing)?|surpass(?:es|ed|ing)?|"
    r"beat(?:s|ing)?|on\s+(?:a\s+)?par\s+with|comparable\s+to|as\s+good\s+as|match(?:es|ed|ing)?|"
    r"state[- ]of[- ]the[- ]art|SOTA|best[- ]performing|top[- ](?:ranked|performing)|"
    r"(?:faster|cheaper|slower|more\s+(?:powerful|efficient|accurate|capable)|better|stronger|smarter)\s+than|"
    r"outpac(?:e|es|ed|ing)|exceed(?:s|ed|ing)?|ahead\s+of|lag(?:s|ged|ging)?\s+behind|"
    r"narrow(?:s|ed|ing)?\s+the\s+gap|clos(?:e|es|ed|ing)\s+the\s+gap|catch(?:es|ing)?\s+up\s+(?:with|to)|"
    r"(?:fastest|quickest|cheapest|smartest|strongest|most\s+(?:powerful|capable|accurate|efficient))\s+"
    r"(?:[\w-]+\s+){0,3}?(?:models?|chips?|systems?|processors?|GPUs?|LLMs?|AI|products?|arms?|robots?|"
    r"computers?|supercomputers?|engines?)\b|"
    r"leaderboard|benchmarks?\b|(?:world’s|world's|industry’s|industry's)\s+(?:best|fastest|most\s+\w+)|"
    r"scor(?:e|es|ed|ing)\s+(?:of\s+)?\d[\d.]*%?)|比[^，。]{1,20}?(?:快|慢|高|低|强|好|便宜|准确)|超越|媲美|超过|领先于|基准测试|跑分",
    re.I)
_TECH = re.compile(
    r"\b(?:AI|A\.I\.|artificial\s+intelligence|LLMs?|(?:large\s+)?language\s+models?|models?|chips?|GPUs?|"
    r"processors?|semiconductors?|accelerators?|chatbots?|algorithms?|software|inference|"
    r"training|tokens|parameters|benchmarks?|reasoning|coding|datacent(?:er|re)s?|computing|"
    r"GPT-?\w*|Llama\s*\w*|Claude|Gemini|Qwen\w*|Ernie|DeepSeek\w*|Mistral|SenseNova|"
    r"Nvidia|H100|H200|A100|TPU|Ascend|robots?|robotic\w*|arms?|devices?|products?|engines?|batter(?:y|ies)|"
    r"cameras?|phones?|laptops?|vehicles?|performance|accuracy|precision|throughput|latency|"
    r"efficiency|speeds?)\b|芯片|模型|人工智能|算力|推理|性能|能效|" + BENCHMARK_NAMES.pattern)
_FIGURE = re.compile(
    r"(?<![\w.])\d+(?:[.,]\d+)?\s?(?:%|percent\b|per\s+cent\b|percentage\s+points?\b|points?\b|"
    r"x\b|times\b|fold\b)|(?<![\w.])\d+(?:\.\d+)?/\d+\b", re.I)
_SCORE = re.compile(r"\bscor(?:e|es|ed|ing)\s+(?:of\s+)?(\d+(?:\.\d+)?)(?![\d.]*\s?(?:%|percent|per\s+cent|/))", re.I)
_PRODUCT = re.compile(
    r"(?:(?P<owner>[A-Z][\w-]*(?:’s|'s))\s+)?(?P<name>(?:[A-Z][\w-]*[A-Za-z][\w-]*(?:[\s-]v?\d+(?:\.\d+)*[a-zA-Z]?\b)+)"
    r"|[A-Z]{2,}[\w]*-\d[\w.]*|[A-Z][a-z]+[A-Z][\w]*(?:[\s-]\d[\w.]*)?|[A-Z][A-Za-z]*\d[\w.]*)")
_CAPABILITY = re.compile(
    r"\b(?:in|at|on|for)\s+(?:areas|fields|tasks|domains|benchmarks)?\s*(?:such\s+as\s+|like\s+|including\s+|of\s+)?"
    r"(?:terms\s+of\s+)?(?P<cap>[a-z][a-z-]+(?:\s+[a-z][a-z-]+){0,2}?)(?=\s*(?:[,.;]|$|\s+and\b|\s+tasks?\b|\s+benchmarks?\b))")

_OPINION = re.compile(
    r"\b(?:must|should(?:n’t|n't)?|ought\s+to|needs?\s+to|need\s+to\s+be|has\s+to\s+be|"
    r"worthless|useless|pointless|meaningless|unacceptable|disgraceful|shameful|outrageous|ridiculous|"
    r"absurd|disastrous|a\s+disaster|terrible|horrible|wonderful|amazing|incredible|brilliant|"
    r"(?:urg(?:e|es|ed|ing))|call(?:s|ed|ing)?\s+for|expressed\s+(?:confidence|hope|optimism|concern|doubt)|"
    r"(?:is|are)\s+confident|(?:will|would)\s+(?:continue\s+to\s+)?(?:thrive|succeed|fail|prevail|dominate)|"
    r"I\s+think|I\s+believe|we\s+believe|in\s+(?:my|our)\s+view|hopefully|unfortunately|fortunately|"
    r"it\s+is\s+time\s+to|deserves?|abandon(?:ed)?\s+this\s+viewpoint|should\s+be\s+abandoned|"
    r"crucial|essential\s+that|vital\s+that|important\s+that|best\s+way|wrong\s+to|right\s+to|"
    r"impressive|overblown|overhyped|overrated|a\s+better\s+choice|genuine\s+step\s+forward|"
    r"a\s+step\s+(?:forward|backward)|inventing\s+a\s+crisis|(?:will|would)\s+not\s+be\s+the\s+last|"
    r"expects?\s+\w+(?:\s+\w+)?\s+to\s+(?:double|triple|grow|rise|fall|surge|collapse))\b|应该|必须|需要|仍需", re.I)
# Loaded or evaluative words: the writer's judgement rather than a checkable fact.
LOADED_WORDS = frozenset("""
absurd appalling arrogant awful baseless bizarre blatant callous catastrophic chaotic clumsy corrupt
cowardly cruel cynical deplorable despicable dire disastrous disgraceful dishonest dismal dreadful
dubious embarrassing excellent fabulous farcical feeble flawed foolish glaring grotesque hapless
heroic hollow horrendous hypocritical idiotic illogical inept incompetent insane insulting
irresponsible laughable lazy ludicrous magnificent mediocre misguided monstrous naive nebulous
nonsense obscene pathetic paltry pitiful preposterous reckless ridiculous scandalous shameless
shocking silly sinister sloppy spectacular staggering stunning stupid superb terrific tragic
troubling unbelievable unconscionable unfair unjust untenable vacuous vacuity wasteful worrying
absolutely plainly obviously utterly frankly undoubtedly arguably sadly shamefully thankfully
mercifully predictably conveniently supposedly so-called
""".split())
_LOADED_PHRASES = re.compile(r"\b(?:power\s+grab|hot\s+air|lip\s+service|smoke\s+and\s+mirrors|"
                             r"slap\s+in\s+the\s+face|nothing\s+more\s+than|little\s+more\s+than|"
                             r"very\s+little|far\s+too|too\s+little|long\s+overdue|nothing\s+but|"
                             r"we\s+(?:need|must|should|cannot|can't|can’t)|I\s+(?:think|believe|suspect|fear)|"
                             r"(?:a|the)\s+(?:good|better|best|wrong|right)\s+(?:option|choice|idea|thing|decision)|"
                             r"(?:would\s+be|is|was)\s+a\s+(?:mistake|blunder|scandal|disgrace|triumph)|easy\s+to|easily|(?:visually\s+)?appealing|"
                             r"(?:purely\s+)?speculative|it\s+is\s+(?:unclear|difficult\s+to\s+(?:say|determine|know))|"
                             r"may\s+seem|seems\s+(?:like|to\s+be))\b", re.I)
_WORDS = re.compile(r"[a-z][a-z-]+")


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


_PASSIVE_ATTRIBUTION = re.compile(
    r"\b(?:is|are|was|were|has\s+been|have\s+been|had\s+been)\s+(?:being\s+)?"
    r"(?P<cue>touted|billed|hailed|marketed|pitched|promoted|positioned|advertised|trumpeted)\s+as\b|"
    r"\b(?:is|are|was|were|has\s+been|have\s+been)\s+(?:touting|billing|hailing|marketing|pitching|promoting)\b",
    re.I)
_EXPRESSED = re.compile(
    r"\b(?P<cue>expressed\s+(?:confidence|hope|optimism|concern|doubt)|voiced\s+\w+|"
    r"(?:were|was|are|is)\s+confident)\b")
_IMPLIED_SUBJECT = re.compile(r"\b(?:the|its)\s+(?:company|firm|startup|group|maker|developer|lab)\b", re.I)
_COMPARISON_LOWER, _FIGURE_LOWER, _SCORE_LOWER, _OPINION_LOWER, _LOADED_PHRASES_LOWER = map(
    fold_case, (_COMPARISON, _FIGURE, _SCORE, _OPINION, _LOADED_PHRASES))
_PROPER = re.compile(r"\b[A-Z][\w’'\-]*[a-z][\w’'\-]*(?:\s+[A-Z][\w’'\-]*[a-z][\w’'\-]*)*")


# Lower-case substrings without which a vocabulary cannot match. Checking them first is far cheaper
# than running the big alternations over every claim, and most claims contain none of them.
_TRIGGERS = {
    "benchmarks": ("mmlu", "gsm", "math", "humaneval", "mbpp", "gpqa", "arc", "hellaswag", "bench",
                   "bbh", "eval", "superclue", "arena", "lmsys", "swe", "aime", "drop", "truthful",
                   "winogrande", "mlperf", "spec", "geekbench", "imagenet", "glue", "squad", "hle",
                   "humanity", "opencompass", "codeforces", "mmmu", "mathvista"),
    "comparison": ("比", "超越", "媲美", "超过", "领先", "基准", "跑分", "rival", "outperform", "surpass", "beat", "par with", "comparable", "as good as",
                   "match", "state", "sota", "best", "top", "than", "outpac", "exceed", "ahead of",
                   "behind", "gap", "catch", "leaderboard", "benchmark", "world", "industry", "scor", "fastest", "quickest",
                   "cheapest", "smartest", "strongest", "most "),
    "opinion": ("must", "should", "ought", "need", "has to", "worthless", "useless", "pointless",
                "meaningless", "unacceptable", "disgrace", "shame", "outrag", "ridicul", "absurd",
                "disast", "terribl", "horribl", "wonderful", "amazing", "incredibl", "brilliant", "urg",
                "call", "express", "confident", "thrive", "succeed", "fail", "prevail", "dominate",
                "i think", "i believe", "we believe", "in my view", "in our view", "fortunate",
                "hopefully", "it is time", "deserve", "abandon", "crucial", "essential", "vital",
                "important", "best way", "wrong to", "right to", "impressive", "overblown", "overhyped",
                "overrated", "better choice", "step forward", "step backward", "crisis", "the last",
                "expect", "应该", "必须", "需要", "仍需"),
    "expressed": ("expressed", "voiced", "confident"),
    "phrases": ("power grab", "hot air", "lip service", "smoke and mirrors", "slap in the face",
                "nothing more", "little more", "very little", "far too", "too little", "overdue",
                "nothing but", "we need", "we must", "we should", "we can", "i think", "i believe",
                "i suspect", "i fear", "good ", "better ", "best ", "wrong ", "right ", "mistake",
                "blunder", "scandal", "disgrace", "triumph", "easy to", "easily", "appealing",
                "speculative", "unclear", "difficult to", "may seem", "seems"),
    "passive": ("touted", "billed", "hailed", "marketed", "pitched", "promoted", "positioned",
                "advertised", "trumpeted", "touting", "billing", "hailing", "marketing", "pitching",
                "promoting"),
    "loaded": tuple(sorted(LOADED_WORDS)),  # each word is its own trigger
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


class _Triggers:
    """Where the vocabularies' trigger substrings occur in the article: found once, so a claim
    asks two bisects instead of scanning its words for every trigger."""

    def __init__(self, text: str) -> None:
        lower = text.lower()
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


@dataclass(slots=True)
class Attribution:
    """Who a stretch of text is attributed to, and the words that say so. Whether the source is
    vague is the verification stage's call (`verify.is_vague`), on the final attribution."""

    source: str
    cue: str | None


@dataclass(slots=True)
class Signals:
    """What fired on a stretch of text, with the words that fired it."""

    attribution: Attribution | None = None
    comparison: list[str] = field(default_factory=list)
    tech_context: bool = False
    benchmarks: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    opinion: list[str] = field(default_factory=list)

    @property
    def benchmark(self) -> bool:
        return bool(self.benchmarks) or (bool(self.comparison) and self.tech_context)


def read(article: Article, start: int, end: int) -> Signals:
    """All signals on the article's words [start, end)."""
    text = article.text
    people = names.index_for(article)
    triggers = article.cache.get("triggers")
    if triggers is None:
        triggers = article.cache["triggers"] = _Triggers(text)
    words = text[start:end]
    lower = words.lower()
    sig = Signals()

    may = triggers.kinds_in(start, end, lower).__contains__

    if may("benchmarks"):
        sig.benchmarks = _unique(m.group() for m in BENCHMARK_NAMES.finditer(words))
    if may("comparison"):
        sig.comparison = _unique(_found(_COMPARISON, _COMPARISON_LOWER, words, lower))
        sig.tech_context = bool(sig.comparison) and bool(_TECH.search(words))
    if sig.benchmark:
        sig.figures = _unique(_found(_FIGURE, _FIGURE_LOWER, words, lower)
                              + _found(_SCORE, _SCORE_LOWER, words, lower, group=1))
    if may("opinion"):
        sig.opinion = _unique(_found(_OPINION, _OPINION_LOWER, words, lower))
    loaded = sorted(LOADED_WORDS.intersection(_WORDS.findall(lower)), key=lower.find) if may("loaded") else []
    if may("phrases"):
        loaded += _found(_LOADED_PHRASES, _LOADED_PHRASES_LOWER, words, lower)
    if loaded:
        sig.opinion = _unique(sig.opinion + loaded)
    sig.attribution = _attribution(text, start, end, may, people)
    return sig


def _attribution(text: str, start: int, end: int, may: Callable[[str], bool],
                 people: names.NameIndex) -> Attribution | None:
    spoken = people.spoken_between(start, end)
    if spoken:
        cue, mention = spoken[0]
        return Attribution(people.resolve(mention, mention.start), cue)
    m = _EXPRESSED.search(text, start, end) if may("expressed") else None
    if m:
        who = _subject_phrase(" ".join(text[max(start, m.start() - 80):m.start()].split()[-7:]))
        if who:
            return Attribution(who, m.group("cue"))
    m = _PASSIVE_ATTRIBUTION.search(text, start, end) if may("passive") else None
    if m:
        return Attribution(_implied_source(text, start, m.start()), m.group(0).strip())
    return None


def _subject_phrase(words: str) -> str:
    """The noun phrase before a cue: 'many executives at the conference'."""
    cut = re.split(r",\s+|\bthat\b|\bwhile\b|\bDespite\b", words)
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
    cue = _COMPARISON.search(words) or BENCHMARK_NAMES.search(words)
    at = cue.start() if cue else len(words)
    after = words[cue.end():] if cue else ""
    products = [(m.start(), _product(m)) for m in _PRODUCT.finditer(words)
                if not BENCHMARK_NAMES.fullmatch(m.group("name"))]
    before = [p for s, p in products if s < at]
    compared = [p for s, p in products if s >= at]
    subject = before[-1] if before else _clause_subject(words[:at])
    cap = _CAPABILITY.search(after)
    return BenchmarkParse(subject=subject, compared_to=_unique(compared),
                          capability=cap.group("cap") if cap else None)


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
