"""A small learned subjectivity model: hashed word features, word scores from word vectors, and
logistic regression weights.

It reads a sentence the way NewsSD-ENG's annotators did (does it carry the writer's view: a
judgement, loaded wording, a forecast, an exhortation?) and answers with a probability and the words
that pushed it most. The weights (`verifier/data/subjectivity.json`) are trained by
`scripts/train_subjectivity.py` on NewsSD-ENG `train.csv` (CC BY 4.0, Antici et al., LREC-COLING
2024). Two parts add up: hashed unigrams and bigrams (numbers only, no text of the corpus), and one
score for each of the most frequent English words. A word's score is the trained weight vector
dotted with the word's GloVe vector (Pennington, Socher and Manning; PDDL 1.0, scaled), so the model
is a logistic regression over the sum of the sentence's word vectors without shipping any vector;
a word's score is added to its unigram weight the first time the word is met, so it costs nothing
after. Pure Python, deterministic, loaded once.
"""

from __future__ import annotations

import functools
import json
import math
import re
import zlib
from dataclasses import dataclass, field
from importlib.resources import files
from typing import cast

__all__ = ["Reading", "features", "read", "tokens"]

# a word (with one apostrophe inside), a number, or a mark: `[a-z]+(?:['’][a-z]+)?|\d+(?:[.,]\d+)*|[!?%$]`,
# written to open with one class of the characters a token starts with, so that `re` skips ahead to
# them instead of trying three alternatives at every offset, and with nothing given back once read
_TOKEN = re.compile(r"[a-z\d!?%$](?:(?<=[a-z])[a-z]*+(?:['’][a-z]++)?+|(?<=\d)\d*+(?:[.,]\d++)*+|)")


# the characters outside ASCII that stand between tokens most often (typographic quotation marks,
# dashes, the no-break space): read as spaces
_SPACES = ("“", "”", "‘", "—", "–", "―", "\u00a0")
# every ASCII character no token holds, as a space (a byte table for `bytes.translate`)
_APART = bytes(i if chr(i) in "abcdefghijklmnopqrstuvwxyz0123456789'.,!?%$" else ord(" ") for i in range(256))


def tokens(text: str) -> list[str]:
    """Lower-cased words (digits folded to one shape), and the marks that carry stance."""
    # the apostrophe is straightened in the whole text at once: the token pattern reads both alike
    lower = text.lower().replace("’", "'")
    spaced = lower
    for mark in _SPACES:
        if mark in spaced:
            spaced = spaced.replace(mark, " ")
    if not spaced.isascii():
        return ["<num>" if t[0].isdigit() else t for t in _TOKEN.findall(lower)]
    # (most sentences) no token holds a space, a typographic quotation mark or dash, or any other
    # ASCII character but letters, digits and ' . , ! ? % $ (nor does the pattern look past its
    # token), so the tokens are those of the runs between them; a run of letters or of digits,
    # once any . , ' at its ends are left out, is one token (those marks stand between digits in
    # a number, between letters in "don't"), and only the other runs go to the pattern: one
    # `re` call per such run instead of one per token
    out: list[str] = []
    for run in spaced.encode("ascii").translate(_APART).decode("ascii").split():
        core = run.strip(".,'")
        if core.isalpha():
            out.append(core)
        elif core.isdigit():
            out.append("<num>")
        elif "'" in core and core.replace("'", "", 1).isalpha():
            out.append(core)  # letters with one apostrophe inside ("don't", "it's"): one word
        elif core:
            out.extend(["<num>" if t[0].isdigit() else t for t in _TOKEN.findall(run)])
    return out


def _tokens_by_pattern(text: str) -> list[str]:
    """`tokens` read by the token pattern alone (what the shortcut of `tokens` is tested against)."""
    return ["<num>" if t[0].isdigit() else t for t in _TOKEN.findall(text.lower().replace("’", "'"))]


def features(text: str) -> list[str]:
    """Unigrams and bigrams, with sentence start and end marks: what the model weighs."""
    toks = tokens(text)
    padded = ["<s>", *toks, "</s>"]
    return toks + list(map(" ".join, zip(padded, padded[1:], strict=False)))


def bucket(feature: str, size: int) -> int:
    """A feature's slot: crc32 is stable across runs and platforms, unlike `hash`."""
    return zlib.crc32(feature.encode("utf-8")) % size


@dataclass(frozen=True, slots=True)
class Model:
    size: int
    bias: float
    weights: dict[int, float]
    threshold: float
    # word -> its score (its vector's share of the model), added to the word's unigram weight
    words: dict[str, float] = field(default_factory=dict)
    # feature -> weight, filled as features are met (a crc32 per feature was most of the cost)
    seen: dict[str, float] = field(default_factory=dict, compare=False)

    def weight(self, feature: str) -> float:
        """The feature's hashed weight, plus its score when it is a word that has one."""
        w = self.seen.get(feature)
        if w is None:
            if len(self.seen) >= _SEEN_MAX:
                self.seen.clear()  # bounded: an archive's vocabulary must not grow it forever
            w = self.seen[feature] = self.weights.get(bucket(feature, self.size), 0.0) + self.words.get(feature, 0.0)
        return w


_SEEN_MAX = 1 << 17


@functools.cache
def model() -> Model:
    """The shipped weights (read once per process)."""
    data = json.loads((files("verifier") / "data" / "subjectivity.json").read_text(encoding="utf-8"))
    return Model(size=int(data["buckets"]), bias=float(data["bias"]),
                 weights=dict(zip(data["weight_buckets"], data["weights"], strict=True)),
                 threshold=float(data["threshold"]),
                 words=dict(zip(data["words"], data["word_scores"], strict=True)))


@dataclass(frozen=True, slots=True)
class Reading:
    """The model's answer for one stretch of text."""

    probability: float
    subjective: bool
    cues: tuple[str, ...]  # the words that pushed most towards subjective, strongest first


def read(text: str, m: Model | None = None) -> Reading:
    """How likely `text` carries the writer's own view, and why."""
    m = m or model()
    weight = m.weight
    found = features(text)
    # the weights of features met before read in one C pass; the others filled in; summed in order
    cached: list[float | None] = list(map(m.seen.get, found))
    if None in cached:
        cached = [weight(f) if w is None else w for f, w in zip(found, cached, strict=True)]
    weights = cast(list[float], cached)
    z = m.bias + sum(weights)
    p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    if p < m.threshold:
        return Reading(probability=p, subjective=False, cues=())
    contributions: dict[str, float] = {}
    for f, w in zip(found, weights, strict=True):  # only a subjective reading needs its reasons
        if w > 0 and "<" not in f:
            contributions[f] = contributions.get(f, 0.0) + w
    cues = tuple(f for f, _ in sorted(contributions.items(), key=lambda kv: (-kv[1], kv[0]))[:3])
    return Reading(probability=p, subjective=True, cues=cues)
