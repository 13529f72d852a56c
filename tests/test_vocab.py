"""The vocabulary files: every one loads, says what it is for, and a word in it reaches its reader."""

import re

import pytest

from verifier import names, vocab


@pytest.mark.parametrize("name", vocab.names())
def test_every_vocabulary_loads_with_a_description(name: str) -> None:
    data = vocab.load(name)
    assert isinstance(data["description"], str) and data["description"].strip()
    lists = [v for k, v in data.items() if k != "description"]
    assert lists and all(isinstance(v, (list, dict)) for v in lists), name


def test_an_unknown_vocabulary_is_a_clear_error() -> None:
    with pytest.raises(vocab.VocabularyError, match="no vocabulary named 'nope'"):
        vocab.load("nope")


def test_a_list_that_is_not_strings_is_refused() -> None:
    with pytest.raises(vocab.VocabularyError, match="must be a list of strings"):
        vocab.words("cue_verbs", "description")


@pytest.mark.parametrize("word", vocab.words("cue_verbs"))
def test_every_cue_verb_makes_a_speaker(word: str) -> None:
    match = re.match(names.CUE, word)
    assert match is not None and match.group(0) == word


def test_a_word_outside_the_cue_list_is_no_cue() -> None:
    assert "ate" not in vocab.words("cue_verbs")
    assert not re.fullmatch(names.CUE, "ate")
