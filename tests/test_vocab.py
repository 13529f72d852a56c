"""The vocabulary files: every one loads, says what it is for, and a word in it reaches its reader."""

import re

import pytest

from verifier import vocab
from verifier.stages import names


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


@pytest.mark.parametrize("role", ["assistant", "athletic", "strategist", "pollster", "spokeswoman",
                                  "front-runner", "commentator"])
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
    from verifier.ingest import load

    text = f"标题\n\n正文第一段。\n\n{line}\n"
    assert (text.index(line), text.index(line) + len(line)) in load.find_boilerplate(text)


def test_chinese_story_text_is_no_boilerplate() -> None:
    from verifier.ingest import load

    text = "标题\n\n记者陈静走访了工厂，编辑部随后发表了评论。\n"
    assert load.find_boilerplate(text) == []


def test_a_chinese_dateline_credit_opening_a_paragraph_is_boilerplate() -> None:
    from verifier.ingest import load

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
    from verifier.ingest import load
    from verifier.stages import quotes, segment

    article = load.load_text(text)
    return [q.speaker for q in quotes.find_quotes(article, segment.segment(article)).quotes]


def test_a_word_never_in_a_name_ends_a_full_name_read_from_a_title_case_headline() -> None:
    assert "says" in vocab.words("cue_verbs") and "on" in vocab.words("speaker_titles", "not_in_names")
    assert _speakers("Ana Ruiz Says Roads Come First\n\n“Roads first,” Ruiz said.") == ["Ana Ruiz"]
    assert _speakers("Ana Ruiz On Roads\n\n“Roads first,” Ruiz said.") == ["Ana Ruiz"]


def test_a_word_outside_not_in_names_stays_in_the_full_name() -> None:
    assert "maria" not in vocab.words("speaker_titles", "not_in_names")
    assert _speakers("Ana Maria Ruiz took the stage.\n\n“Roads first,” Ruiz said.") == ["Ana Maria Ruiz"]


# --------------------------------------------------------------------------- speaker grammar


def _grammar(key: str) -> tuple[str, ...]:
    return vocab.words("speaker_grammar", key)


def _mention_before(text: str) -> str | None:
    found = names.attribution_before(text, 0, len(text))
    return found[1].text if found else None


@pytest.mark.parametrize("pronoun", ["he", "she", "they", "we"])
def test_every_pronoun_is_a_speaker_mention(pronoun: str) -> None:
    assert pronoun in _grammar("pronouns")
    assert _speaker_after(f" {pronoun} said.") == pronoun


def test_a_word_outside_the_pronouns_is_no_speaker_mention() -> None:
    assert "it" not in _grammar("pronouns")
    assert _speaker_after(" it said.") is None


@pytest.mark.parametrize("det", ["the", "two", "several", "its"])
def test_a_determiner_opens_a_description(det: str) -> None:
    assert det in _grammar("determiners")
    assert _speaker_after(f" {det} officials said.") == f"{det} officials"


def test_a_word_outside_the_determiners_opens_no_description() -> None:
    assert "purple" not in _grammar("determiners")
    assert _speaker_after(" purple officials said.") is None


def test_a_possessive_after_according_to_names_no_speaker() -> None:
    assert "its" in _grammar("possessives") and "the" not in _grammar("possessives")
    assert _mention_before("Roe did the sums, and according to its count the roof ") != "its count the roof"
    assert _mention_before("according to the count of Ana Ruiz the roof ") is not None


def test_a_name_particle_stays_inside_the_name() -> None:
    assert "von" in _grammar("name_particles") and "vom" not in _grammar("name_particles")
    assert _speaker_after(" said Ana von Berg.") == "Ana von Berg"
    assert _speaker_after(" said Ana vom Berg.") == "Ana"


def test_a_description_never_runs_over_a_word_it_may_not_hold() -> None:
    assert "that" in _grammar("not_in_descriptions") and "new" not in _grammar("not_in_descriptions")
    assert _mention_before("A comment that described the roof ") is None
    assert _mention_before("A new report described the roof ") == "A new report"


def test_a_clause_word_is_never_part_of_the_title_before_a_name() -> None:
    assert "who" in _grammar("clause_words") and "strategist" not in _grammar("clause_words")
    assert _speaker_after(" said the man who met Ana Ruiz.") != "Ana Ruiz"
    assert _speaker_after(" said party strategist Ana Ruiz.") == "Ana Ruiz"


@pytest.mark.parametrize("word", ["also", "previously", "has"])
def test_a_word_between_speaker_and_cue_is_skipped(word: str) -> None:
    assert word in _grammar("between_speaker_and_cue")
    assert _speaker_after(f" Ana Ruiz {word} said.") == "Ana Ruiz"


def test_a_word_outside_the_between_words_ends_the_speaker() -> None:
    assert "purple" not in _grammar("between_speaker_and_cue")
    assert _speaker_after(" Ana Ruiz purple said.") != "Ana Ruiz"


def test_a_time_between_speaker_and_cue_is_skipped() -> None:
    assert "last" in _grammar("time_openers") and "week" in _grammar("time_words")
    assert _speaker_after(" Ana Ruiz last week said.") == "Ana Ruiz"
    assert "decade" not in _grammar("time_words")
    assert _speaker_after(" Ana Ruiz last decade said.") != "Ana Ruiz"


def _subject(text: str) -> str | None:
    found = names.sentence_subject(text, 0, len(text))
    return found[1].text if found else None


def test_a_subject_intro_is_skipped_before_the_subject() -> None:
    assert "during" in _grammar("subject_intros") and "purple" not in _grammar("subject_intros")
    assert _subject("During the debate, Ana Ruiz offered a ") == "Ana Ruiz"
    assert _subject("During offered a ") is None


def test_a_span_of_time_opening_the_sentence_is_no_subject() -> None:
    assert "hours" in _grammar("subject_intros") and "voters" not in _grammar("subject_intros")
    assert _subject("Hours later, Ana Ruiz offered a ") == "Ana Ruiz"
    assert _subject("Voters later offered a ") == "Voters"


def test_a_sentence_conjunction_is_skipped_before_the_subject() -> None:
    assert "but" in _grammar("sentence_conjunctions") and "then" in _grammar("after_intro_conjunctions")
    assert _subject("But Ana Ruiz offered a ") == "Ana Ruiz"
    assert _subject("In May, then Ana Ruiz offered a ") == "Ana Ruiz"


def test_a_word_that_is_no_verb_after_a_name_makes_no_subject() -> None:
    assert "of" in _grammar("not_verbs") and "offered" not in _grammar("not_verbs")
    assert _subject("Ana Ruiz of Salem ") is None
    assert _subject("Ana Ruiz offered a ") == "Ana Ruiz"


def test_an_auxiliary_or_an_irregular_past_ends_a_description() -> None:
    assert "might" in _grammar("auxiliaries") and "spoke" in _grammar("irregular_past")
    assert _subject("The mayor might give a ") == "The mayor"
    assert _subject("The mayor spoke of a ") == "The mayor"
    assert "ate" not in _grammar("irregular_past")
    assert _subject("The mayor ate a ") is None


def test_a_clause_opener_starts_a_clause_whose_subject_is_nearest() -> None:
    assert "while" in _grammar("clause_openers") and "purple" not in _grammar("clause_openers")
    assert _subject("Ana Ruiz voted no, while Ben Okafor proposed a ") == "Ben Okafor"
    assert _subject("Ana Ruiz voted no purple Ben Okafor proposed a ") == "Ana Ruiz"


def test_a_reporting_document_opening_the_sentence_reports_the_words() -> None:
    assert "survey" in _grammar("reporting_documents") and "party" not in _grammar("reporting_documents")
    # the document reports words no person in the sentence is said to speak
    assert _speakers("In a new survey, the roof was called “a sieve.”") == ["a new survey"]
    assert _speakers("In a new party, the roof was called “a sieve.”") == [None]
    # a person who speaks the words keeps them; a share of a group that answered it does not
    # (`respondent_shares`: the survey's finding)
    assert _speakers("In a new survey, Ana Ruiz said the roof “leaks.”") == ["Ana Ruiz"]
    assert _speakers("In a new survey, most tenants said the roof “leaks.”") == ["a new survey"]


def test_an_organisation_word_keeps_a_name_out_of_the_people() -> None:
    assert "university" in _grammar("organisation_words") and "ruiz" not in _grammar("organisation_words")
    index = names.NameIndex("Salem University opened. Ana Ruiz spoke.")
    assert [n for _, n, _ in index.names] == ["Ana Ruiz"]


@pytest.mark.parametrize("verb", ["echoed", "praised"])
def test_a_passive_cue_names_the_speaker_after_by(verb: str) -> None:
    assert verb in vocab.words("cue_verbs", "passive")
    text = f"The plan was {verb} by Ana Ruiz on Monday."
    assert [m.text for _, m in names.speech_mentions(text, 0, len(text))] == ["Ana Ruiz"]


def test_a_verb_outside_the_passive_cues_names_nobody_after_by() -> None:
    assert "built" not in vocab.words("cue_verbs", "passive")
    text = "The plan was built by Ana Ruiz on Monday."
    assert names.speech_mentions(text, 0, len(text)) == []


@pytest.mark.parametrize("phrase", vocab.words("cue_verbs", "phrases"))
def test_every_cue_phrase_is_a_cue(phrase: str) -> None:
    assert names.find_cue(f"Ana Ruiz {phrase} the count") == phrase


def test_a_phrase_outside_the_cue_phrases_is_no_cue() -> None:
    assert "looked up" not in vocab.words("cue_verbs", "phrases")
    assert names.find_cue("Ana Ruiz looked up the count") is None


def test_an_inverted_phrase_comes_before_its_speaker() -> None:
    assert vocab.words("cue_verbs", "inverted_phrases") == ("went on",)
    assert _speaker_after(" went on Ana Ruiz.") == "Ana Ruiz"
    assert _speaker_after(" pointed out Ana Ruiz.") is None


def test_gendered_honorifics_and_pronouns_keep_he_from_a_woman() -> None:
    assert "Ms" in vocab.words("speaker_titles", "female_honorifics")
    assert "she" in vocab.words("speaker_titles", "female_pronouns")
    text = "Ms. Ana Ruiz spoke first. Ben Okafor spoke next.\n\n“We won,” he said."
    assert _speakers(text) == ["Ben Okafor"]
    text = "Ben Okafor spoke first. Ms. Ana Ruiz spoke next.\n\n“We won,” she said."
    assert _speakers(text) == ["Ana Ruiz"]


@pytest.mark.parametrize("phrase", vocab.words("cue_verbs", "source_phrases"))
def test_a_source_phrase_credits_the_source_that_reports_the_words(phrase: str) -> None:
    assert _speakers(f"The roof “leaks in every storm,” {phrase} the Harbor Ledger.") == ["Harbor Ledger"]
    # the person who said the words keeps them: the paper only reports them
    assert _speakers(f"“The roof leaks,” Ana Ruiz said, {phrase} the Harbor Ledger.") == ["Ana Ruiz"]


@pytest.mark.parametrize("verb", vocab.words("cue_verbs", "reporting"))
def test_a_reporting_verb_after_the_quote_credits_its_source(verb: str) -> None:
    text = f"The roof “leaks in every storm” and rents keep rising, the Harbor Ledger {verb}."
    assert _speakers(text) == ["Harbor Ledger"]


def test_a_verb_outside_the_reporting_verbs_credits_no_source() -> None:
    assert "printed" not in vocab.words("cue_verbs", "reporting")
    text = "The roof “leaks in every storm” and rents keep rising, the Harbor Ledger printed."
    assert _speakers(text) == [None]


def test_recalls_is_no_cue_verb_a_product_recall_names_no_speaker() -> None:
    # "Fernhill Foods recalls oat bars": a recall, not speech; "recalled" (past) stays a cue
    assert "recalls" not in vocab.words("cue_verbs") and "recalled" in vocab.words("cue_verbs")
    claim = "Fernhill Foods recalls oat bars after a scare."
    assert names.speech_mentions(claim, 0, len(claim)) == []


def test_snapped_is_no_cue_verb_a_purchase_names_no_speaker() -> None:
    # "executives have snapped up properties": a purchase, not speech
    assert "snapped" not in vocab.words("cue_verbs")
    claim = "A clique of executives have snapped up flats in Salem."
    assert names.speech_mentions(claim, 0, len(claim)) == []


def test_an_alternation_is_escaped_and_longest_first() -> None:
    """`vocab.alternation`, the one way a word list becomes a pattern: a longer entry is tried
    before a shorter one that begins it, and a metacharacter matches only itself."""
    import re

    pattern = re.compile(f"(?:{vocab.alternation(['表', '表示', 'a.b'])})")
    assert pattern.match("表示").group() == "表示"
    assert pattern.match("a.b") and not pattern.match("axb")


@pytest.mark.parametrize("verb", vocab.words("zh_speech_verbs"))
def test_a_chinese_speech_verb_after_a_quote_stays_in_the_quotes_sentence(verb: str) -> None:
    from verifier.stages.segment import split_sentences

    text = f"「我们会赢。」林晓峰{verb}。公司股价上涨。"
    assert [text[s:e] for s, e in split_sentences(text, 0, len(text))] == [
        f"「我们会赢。」林晓峰{verb}。", "公司股价上涨。"]


def test_a_verb_outside_the_chinese_speech_verbs_ends_the_quotes_sentence() -> None:
    from verifier.stages.segment import split_sentences

    text = "「我们会赢。」林晓峰笑了。"
    assert "笑" not in vocab.words("zh_speech_verbs")
    assert [text[s:e] for s, e in split_sentences(text, 0, len(text))] == ["「我们会赢。」", "林晓峰笑了。"]
