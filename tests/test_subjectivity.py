"""The subjectivity model's reading of a sentence (verifier.stages.subjectivity), on a small model
built here, so that retraining the shipped weights does not change what these tests show. How the
shipped model's readings become tags is tested in test_signals.py."""

from __future__ import annotations

from verifier.stages import subjectivity
from verifier.stages.subjectivity import Model


def small_model(weights: dict[str, float], bias: float = -2.0) -> Model:
    size = 1 << 16
    return Model(size=size, bias=bias, threshold=0.5,
                 weights={subjectivity.bucket(f, size): w for f, w in weights.items()})


def test_tokens_fold_case_numbers_and_curly_apostrophes():
    assert subjectivity.tokens("It’s 3,000 Dollars! Isn't it?") == ["it's", "<num>", "dollars", "!", "isn't", "it", "?"]


def test_features_are_words_and_word_pairs_with_sentence_ends():
    assert subjectivity.features("Shameful decision") == [
        "shameful", "decision", "<s> shameful", "shameful decision", "decision </s>"]


def test_a_sentence_with_weighty_words_reads_subjective_with_them_as_cues():
    m = small_model({"shameful": 2.0, "outrage": 1.5, "!": 0.5})
    reading = subjectivity.read("A shameful decision, an outrage!", m)
    assert reading.subjective and reading.probability > 0.5
    assert reading.cues == ("shameful", "outrage", "!")  # strongest first


def test_a_plain_sentence_reads_not_subjective_and_gives_no_cues():
    m = small_model({"shameful": 2.0, "outrage": 1.5})
    reading = subjectivity.read("The council met on Tuesday.", m)
    assert not reading.subjective and reading.cues == ()
    assert abs(reading.probability - 1 / (1 + 2.718281828459045 ** 2.0)) < 1e-9  # the bias alone


def test_the_shipped_model_loads_once_and_reads_a_probability():
    assert subjectivity.model() is subjectivity.model()
    reading = subjectivity.read("The council met on Tuesday at 10 a.m. in the town hall.")
    assert 0.0 < reading.probability < 1.0
