"""names: speaker mentions, cues and the names they resolve to (team-written examples)."""

from __future__ import annotations

import pytest

from verifier.stages import names


def _after(text: str) -> tuple[str, str] | None:
    found = names.attribution_after(text, 0, len(text))
    return (found[0], found[1].text) if found else None


def _before(text: str) -> tuple[str, str] | None:
    found = names.attribution_before(text, 0, len(text))
    return (found[0], found[1].text) if found else None


def _pronoun(text: str, word: str) -> names.Mention:
    """The mention of the pronoun `word` where it first stands as a word of its own in `text`."""
    at = text.index(f" {word} ") + 1
    return names.Mention(at, at + len(word), word, "pronoun")


def _resolve(text: str, word: str) -> str | None:
    """Who the pronoun `word` (its first mention as a word of its own) stands for in `text`."""
    mention = _pronoun(text, word)
    return names.NameIndex(text).resolve(mention, mention.start)


# --------------------------------------------------------------------------- after a quote


@pytest.mark.parametrize("text, expected", [
    (" Ana Ruiz said.", ("said", "Ana Ruiz")),
    (" said Ana Ruiz, the mayor.", ("said", "Ana Ruiz")),
    (" Mrs. Ruiz told reporters.", ("told", "Mrs. Ruiz")),
    (" Dr. Ana Ruiz explained.", ("explained", "Dr. Ana Ruiz")),
    (" assistant athletic director Jane Roe said.", ("said", "Jane Roe")),
    (" Ana Ruiz (R-Ore.) argued.", ("argued", "Ana Ruiz")),
    (" Ana Ruiz later recalled.", ("recalled", "Ana Ruiz")),
    (" Ana Ruiz on Tuesday insisted.", ("insisted", "Ana Ruiz")),
    (" said the memo.", ("said", "the memo")),
])
def test_attribution_after_a_quote(text: str, expected: tuple[str, str]) -> None:
    assert _after(text) == expected


def test_attribution_after_needs_a_cue() -> None:
    assert _after(" Ana Ruiz smiled.") is None
    assert _after(" the hall was quiet.") is None


# --------------------------------------------------------------------------- before a quote


@pytest.mark.parametrize("text, expected", [
    ("Ana Ruiz said: ", (":", "Ana Ruiz")),
    ("Ana Ruiz, noting that the vote was close, added: ", (":", "Ana Ruiz")),
    ("According to Ana Ruiz, the roof ", ("According to", "Ana Ruiz")),
    ("The email said the roof ", ("said", "The email")),
    ("Ana Ruiz tweeted that the roof ", ("tweeted", "Ana Ruiz")),
])
def test_attribution_before_a_quote(text: str, expected: tuple[str, str]) -> None:
    assert _before(text) == expected


def test_attribution_before_ignores_an_object_after_a_preposition() -> None:
    # "the time" follows "at": it cannot be who said it
    assert _before("Nobody at the time said the roof ") is None


def test_a_participle_takes_the_subject_not_the_object_before_it() -> None:
    assert _before("Ana Ruiz released a statement, saying the roof ") == ("saying", "Ana Ruiz")
    assert _before("The hall emptied, with Ana Ruiz saying the roof ") == ("saying", "Ana Ruiz")


def test_intro_before_reads_inverted_cues_labels_and_document_openings() -> None:
    def intro(text: str) -> tuple[str, str] | None:
        found = names.intro_before(text, 0, len(text))
        return (found[0], found[1].text) if found else None

    assert intro("Said Ana Ruiz, ") == ("Said", "Ana Ruiz")
    assert intro("Ana Ruiz: ") == (":", "Ana Ruiz")
    assert intro("The memo began, ") == ("began", "The memo")
    assert intro("The memo was long, ") is None


def test_sentence_subject_opens_the_sentence() -> None:
    def subject(text: str) -> str | None:
        found = names.sentence_subject(text, 0, len(text))
        return found[1].text if found else None

    assert subject("During the debate, Ana Ruiz dismissed the plan as ") == "Ana Ruiz"
    assert subject("The Oregon senator called the plan ") == "The Oregon senator"
    assert subject("Campaign chair Ben Okafor called the plan ") == "Ben Okafor"
    assert subject("") is None
    assert subject("of the plan, called ") is None


def test_transcript_label_and_name_label() -> None:
    text = "ROE: We won."
    found = names.transcript_label(text, 0, len(text))
    assert found is not None and found[1].text == "ROE"
    assert names.transcript_label("We won: twice.", 0, 14) is None
    label = "Ana Ruiz, 54, Salem"
    found = names.name_label(label, 0, len(label))
    assert found is not None and found[1].text == "Ana Ruiz"
    assert names.name_label("Salem", 0, 5) is None  # one word names nobody here


# --------------------------------------------------------------------------- names


def test_clean_name_drops_sentence_words_cue_verbs_and_possessives() -> None:
    assert names.clean_name("But Ana Ruiz") == "Ana Ruiz"
    assert names.clean_name("Said Ana Ruiz") == "Ana Ruiz"
    assert names.clean_name("Ana Ruiz’s") == "Ana Ruiz"
    assert names.clean_name("The President") is None


def test_index_resolves_surnames_and_keeps_two_people_apart() -> None:
    text = "Ana Ruiz’s Ben Okafor spoke. Later Ana Ruiz arrived."
    index = names.NameIndex(text)
    mention = names.Mention(text.rindex("Ruiz"), text.rindex("Ruiz") + 4, "Ruiz", "name")
    assert index.resolve(mention, mention.start) == "Ana Ruiz"
    assert all("’s" not in name for _, name, _ in index.names)


def test_pronouns_resolve_to_the_nearest_fitting_person() -> None:
    text = ("Ms. Ana Ruiz opened the meeting. Mr. Ben Okafor spoke next.\n\n"
            "She said it went well.")
    index = names.NameIndex(text)
    she = names.Mention(text.index("She"), text.index("She") + 3, "She", "pronoun")
    assert index.resolve(she, she.start) == "Ana Ruiz"  # Mr. Okafor is nearer, but not a she
    he = names.Mention(she.start, she.end, "He", "pronoun")
    assert index.resolve(he, he.start) == "Ben Okafor"


@pytest.mark.parametrize("opening", ["Council member", "City Council member", "Former Gov.", "Chief executive"])
def test_a_name_after_its_title_or_role_still_opens_its_sentence(opening: str) -> None:
    # the sentence's subject is Bo Lind, nearer than Ana Ruiz: "he" is Lind
    text = f"Ana Ruiz spoke first.\n\n{opening} Bo Lind disagreed. He said the vote was “rushed.”"
    assert _resolve(text, "He") == "Bo Lind"


@pytest.mark.parametrize("opening", ["The mayor beat", "Ana Ruiz thanked", "Everyone but"])
def test_a_name_after_other_words_does_not_open_its_sentence(opening: str) -> None:
    # an object, not the subject: the nearest person opening a sentence is still Ana Ruiz
    text = f"Ana Ruiz spoke first.\n\n{opening} Bo Lind in March. She said the vote was “rushed.”"
    assert _resolve(text, "She") == "Ana Ruiz"


def test_an_honorific_genders_its_own_mention_where_a_surname_has_both() -> None:
    # Mr. and Mrs. Clinton: "she" is the one written Mrs. (the later Mr. Clinton does not make her a
    # he), and "he" passes over her to Mr. Rogan
    text = "But Mrs. Clinton was not friendly. Mr. Rogan met Mr. Clinton.\n\nLater she said it was “icy.”"
    assert _resolve(text, "she") == "Clinton"
    text = "Mr. Rogan met Mr. Clinton. But Mrs. Clinton was not friendly.\n\nLater he said it was “icy.”"
    assert _resolve(text, "he") == "Rogan"


def test_an_honorific_genders_the_person_it_names_not_everyone_with_the_surname() -> None:
    # Mr. Clinton is Bill Clinton: Hillary Clinton may still be "she"
    text = "Bill Clinton spoke. Mr. Clinton left early.\n\nHillary Clinton stayed. Later she called it a “win.”"
    assert _resolve(text, "she") == "Hillary Clinton"
    # Mrs. Schlafly is Phyllis Schlafly: her son John may be "he"
    text = ("Phyllis Schlafly founded the group. Mrs. Schlafly spoke often.\n\n"
            "John Schlafly defended his mother. Later he called it “fair.”")
    assert _resolve(text, "he") == "John Schlafly"
    # and Mr. Clinton himself is no "she"
    text = "Bill Clinton spoke. Mr. Clinton left early. Later she called it a “win.”"
    assert _resolve(text, "she") == "she"


def test_she_falls_back_to_the_nearest_woman_an_honorific_names() -> None:
    # no sentence opens with Ms. Conway, and every person that does is a man
    text = ("Mr. Trump hired Kellyanne Conway. Mr. Manafort stays.\n\n"
            "In a brief interview, Ms. Conway rejected the idea.\n\nLater she called it an “expansion.”")
    assert _resolve(text, "she") == "Kellyanne Conway"
    # with no woman named, "she" stays unresolved rather than becoming a man
    text = "Mr. Manafort stays.\n\nIn a brief interview, Mr. Lind rejected the idea.\n\nLater she called it an “expansion.”"
    assert _resolve(text, "she") == "she"


def test_a_name_opening_a_sentence_in_brackets_opens_it() -> None:
    text = "Mrs. Ana Ruiz spoke.\n\n(Bo Lind defended her. He called it “fair.”)"
    assert _resolve(text, "He") == "Bo Lind"


def test_pronouns_prefer_the_person_quoted_last() -> None:
    text = "Ben Okafor spoke first. Ana Ruiz followed.\n\nHe said it went well."
    index = names.NameIndex(text)
    he = names.Mention(text.index("He"), text.index("He") + 2, "He", "pronoun")
    assert index.resolve(he, he.start) == "Ana Ruiz"
    assert index.resolve(he, he.start, quoted=[(text.index("Ana"), "Ben Okafor")]) == "Ben Okafor"


def test_pronouns_resolve_to_a_surname_opening_a_recent_sentence() -> None:
    # Okafor is the full name nearest before the pronoun, but Ruiz opens the pronoun's own sentence
    text = ("Ana Ruiz chairs the board. Ben Okafor joined it in May.\n\n"
            "Ruiz has made clear that he expects a “long fight.”")
    assert _resolve(text, "he") == "Ana Ruiz"


def test_only_a_surname_opening_a_sentence_is_an_antecedent_and_only_for_he_or_she() -> None:
    # "Ninth" opens a sentence and opens the name "Ninth Circle": no surname, no antecedent
    text = ("Ana Ruiz chairs the board. Ben Okafor read from the Ninth Circle.\n\n"
            "Ninth came the vote, and she called it a “long fight.”")
    assert _resolve(text, "she") != "Ninth Circle"
    # "they" is no one person: a surname opening a sentence is none of its antecedents
    text = ("Ana Ruiz chairs the board. Ben Okafor joined it in May.\n\n"
            "Ruiz has made clear that they expect a “long fight.”")
    assert _resolve(text, "they") == "Ben Okafor"


def test_a_word_opening_a_sentence_is_no_antecedent_unless_the_article_names_it_in_full() -> None:
    text = ("Ben Okafor praised the plan.\n\n"
            "Republicans have made clear that he expects a “long fight.”")
    assert _resolve(text, "he") == "Ben Okafor"


# --------------------------------------------------------------------------- Chinese


@pytest.mark.parametrize("text, expected", [
    ("林晓峰说。", ("说", "林晓峰")),
    ("林晓峰还表示。", ("表示", "林晓峰")),
    ("首席执行官林晓峰在发布会上强调。", ("强调", "林晓峰")),
])
def test_chinese_attribution_after_a_quote(text: str, expected: tuple[str, str]) -> None:
    assert _after(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("他说：", ("说", "他")),
    ("周敏也指出：", ("指出", "周敏")),
    ("公司发言人王丽在发布会上说：", ("说", "王丽")),
    ("据公司介绍：", ("据", "公司")),
])
def test_chinese_attribution_before_a_quote(text: str, expected: tuple[str, str]) -> None:
    assert _before(text) == expected


def test_chinese_attribution_needs_a_speech_verb() -> None:
    assert _after("林晓峰笑了。") is None
    assert _before("林晓峰走上台：") is None


def test_the_nearest_speaker_before_a_partial_quote_wins() -> None:
    text = "Ana Ruiz suggested that the plan would fail, while Ben Okafor said that the "
    assert _before(text) == ("said", "Ben Okafor")
    assert _before("Ana Ruiz said that the ") == ("said", "Ana Ruiz")


def test_a_description_subject_runs_to_its_verb() -> None:
    text = "The Oregon state senator for the coast later said the plan was "
    found = names.sentence_subject(text, 0, len(text))
    assert found is not None and found[1].text == "The Oregon state senator for the coast"


def test_an_adverb_opening_the_sentence_is_no_subject() -> None:
    text = "Immediately after the vote, Ana Ruiz issued a statement, "
    found = names.sentence_subject(text, 0, len(text))
    assert found is not None and found[1].text == "Ana Ruiz"


def test_sentence_words_before_a_possessive_name_nobody() -> None:
    assert names.clean_name("There’s") is None


def test_a_relative_clause_may_stand_between_speaker_and_cue() -> None:
    text = "Later a city official who spoke on condition of anonymity said the roof "
    assert _before(text) == ("said", "a city official")
    assert _before("Later the roof that nobody said was ") is None


def test_an_age_and_role_words_may_open_a_subject() -> None:
    text = "76-year-old presidential candidate Ana Ruiz endorsed the plan, saying it "
    assert _before(text) == ("saying", "Ana Ruiz")


def test_a_description_before_a_naming_verb_is_the_thing_named() -> None:
    assert _before("Ana Ruiz wrote a book called ") == ("wrote", "Ana Ruiz")
    assert _before("Ana Ruiz called the plan ") == ("called", "Ana Ruiz")
    assert _before("The memo called the plan ") == ("called", "The memo")


def test_with_a_name_and_a_participle_names_the_speaker() -> None:
    assert _before("The council was quick to react, with Ana Ruiz tweeting that it was a ") == \
        ("tweeting", "Ana Ruiz")


def test_according_to_reads_the_whole_description() -> None:
    assert _before("According to the court-released school playbook, staff were told, ") == \
        ("According to", "the court-released school playbook")


def test_a_description_never_runs_into_a_pronoun() -> None:
    found = _before("Ana Ruiz assures her audience she will tell the ")
    assert found == ("tell", "she")  # the one who tells; never "her audience she"
