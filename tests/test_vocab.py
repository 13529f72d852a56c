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


# --------------------------------------------------------------------------- speaker vocabularies


def _speaker_after(text: str) -> str | None:
    found = names.attribution_after(text, 0, len(text))
    return found[1].text if found else None


@pytest.mark.parametrize("honorific", vocab.words("speaker_titles", "honorifics"))
def test_every_honorific_keeps_its_full_stop_inside_the_name(honorific: str) -> None:
    assert _speaker_after(f" {honorific}. Roe said.") == f"{honorific}. Roe"


def test_a_full_stop_after_a_word_outside_the_honorifics_ends_the_sentence() -> None:
    assert "Xyz" not in vocab.words("speaker_titles", "honorifics")
    assert _speaker_after(" Xyz. Roe said.") == "Roe"


@pytest.mark.parametrize("role", ["assistant", "athletic", "strategist", "pollster", "spokeswoman"])
def test_role_words_before_a_name_are_not_the_name(role: str) -> None:
    assert role in names.ROLE_WORDS
    assert _speaker_after(f" said {role} Jane Roe.") == "Jane Roe"


def test_a_word_outside_the_roles_after_said_is_read_as_part_of_the_speaker() -> None:
    assert "Gardening" not in names.ROLE_WORDS
    assert _speaker_after(" said Gardening Club.") == "Gardening Club"


def test_titles_are_dropped_from_the_resolved_speaker_and_name_nobody_alone() -> None:
    assert "governor" in names.TITLES and "salem" not in names.TITLES
    assert names.clean_name("Governor") is None
    assert names.clean_name("Salem") == "Salem"


def test_a_preposition_before_a_description_makes_it_no_speaker() -> None:
    assert "at" in vocab.words("speaker_titles", "not_before_speaker")
    assert names.attribution_before("Nobody at the time said it ", 0, 27) is None
    assert names.attribution_before("Everybody knew the time said it ", 0, 32) is not None


@pytest.mark.parametrize("verb", vocab.words("zh_speech_verbs"))
def test_every_chinese_speech_verb_attributes_a_quote(verb: str) -> None:
    found = names.attribution_after(f"林晓峰{verb}。", 0, len(verb) + 4)
    assert found is not None and found[0] == verb and found[1].text == "林晓峰"


def test_a_chinese_verb_outside_the_list_attributes_nothing() -> None:
    assert "笑" not in vocab.words("zh_speech_verbs")
    assert names.attribution_after("林晓峰笑。", 0, 5) is None


@pytest.mark.parametrize("adverb", vocab.words("zh_speech_verbs", "adverbs"))
def test_a_chinese_adverb_between_speaker_and_verb_is_not_part_of_the_name(adverb: str) -> None:
    text = f"，周敏{adverb}表示："
    found = names.attribution_before(text, 0, len(text))
    assert found is not None and found[1].text == "周敏"


@pytest.mark.parametrize("line", ["（完）", "（责任编辑：王丽）", "责任编辑：王丽", "（记者 陈静）"])
def test_chinese_credit_lines_are_boilerplate(line: str) -> None:
    from verifier import load

    text = f"标题\n\n正文第一段。\n\n{line}\n"
    assert (text.index(line), text.index(line) + len(line)) in load.find_boilerplate(text)


def test_chinese_story_text_is_no_boilerplate() -> None:
    from verifier import load

    text = "标题\n\n记者陈静走访了工厂，编辑部随后发表了评论。\n"
    assert load.find_boilerplate(text) == []


def test_a_chinese_dateline_credit_opening_a_paragraph_is_boilerplate() -> None:
    from verifier import load

    text = "标题\n\n本报上海3月5日电（记者 陈静）公司周三推出了新产品。\n"
    credit = "本报上海3月5日电（记者 陈静）"
    assert (text.index(credit), text.index(credit) + len(credit)) in load.find_boilerplate(text)


@pytest.mark.parametrize("verb", vocab.words("cue_verbs", "naming"))
def test_a_naming_verb_after_a_description_names_a_thing_not_a_speaker(verb: str) -> None:
    text = f"Ana Ruiz wrote a book {verb} "
    found = names.attribution_before(text, 0, len(text))
    assert found is not None and found[1].text == "Ana Ruiz"


def test_a_verb_outside_the_naming_list_lets_a_description_speak() -> None:
    assert "said" not in vocab.words("cue_verbs", "naming")
    found = names.attribution_before("The memo said ", 0, 14)
    assert found is not None and found[1].text == "The memo"


@pytest.mark.parametrize("verb", vocab.words("cue_verbs", "quote_only"))
def test_a_quote_only_cue_names_a_quote_speaker_but_no_claim_source(verb: str) -> None:
    after = f" the Daily Ledger {verb}."
    found = names.attribution_after(after, 0, len(after))
    assert found is not None and found[1].text == "Daily Ledger"
    claim = f"Tessaly {verb} revenue of $2 billion."
    assert names.speech_mentions(claim, 0, len(claim)) == []


def _speakers(text: str) -> list[str | None]:
    from verifier import load, quotes, segment

    article = load.load_text(text)
    return [q.speaker for q in quotes.find_quotes(article, segment.segment(article)).quotes]


def test_a_word_never_in_a_name_ends_a_full_name_read_from_a_title_case_headline() -> None:
    assert "says" in vocab.words("cue_verbs") and "on" in vocab.words("speaker_titles", "not_in_names")
    assert _speakers("Ana Ruiz Says Roads Come First\n\n“Roads first,” Ruiz said.") == ["Ana Ruiz"]
    assert _speakers("Ana Ruiz On Roads\n\n“Roads first,” Ruiz said.") == ["Ana Ruiz"]


def test_a_word_outside_not_in_names_stays_in_the_full_name() -> None:
    assert "maria" not in vocab.words("speaker_titles", "not_in_names")
    assert _speakers("Ana Maria Ruiz took the stage.\n\n“Roads first,” Ruiz said.") == ["Ana Maria Ruiz"]
