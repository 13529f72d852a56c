"""signals: the vocabularies fire from their data files, and the speed shortcuts change nothing."""

from __future__ import annotations

import math
import re

import pytest

from tests.team_articles import team_articles, team_texts
from verifier import vocab
from verifier.ingest import load
from verifier.stages import signals, subjectivity, verify

# phrases that fire each vocabulary, in mixed case, so both the plain and the odd spellings are read
PHRASES = [
    "Kite-2 Rivals Orbit-5 and OUTPERFORMS it; it is State-of-the-Art, on Par With GPT-4o.",
    "It scored 91.2 on MMLU-Pro and 88% on GSM8K, 3x Faster Than the A100; SOTA on HumanEval+.",
    "The World’s Fastest chip, the most capable AI model, Narrowed The Gap and caught up with rivals.",
    "We Must act. Ministers Should resign; it is Worthless, a Disgrace, Unacceptable and ABSURD.",
    "She Urged the board, Called For a vote and Expressed Confidence the firm will thrive.",
    "Analysts expressed confidence and were confident; the Scores Of 77 beat a score of 70.",
    "Frankly the plan is absurd, a so-called reform, Utterly Sloppy and (dire) - laughable.",
    "I Think it is a Mistake, nothing more than Hot Air and Lip Service; It Is Unclear.",
    "The model was Being Touted As a rival and is being hailed as the best; they are Marketing it.",
    "Demand Is Likely to grow and the bill is Unlikely to pass; prices May fall in May.",
    "该模型的性能超越了对手，比竞争对手快百分之三十。我们必须继续努力，仍需改进。",
    "İstanbul’s İmam said the AI model beats the İzmir one by 40 Percent.",  # lowering grows 'İ'
]
PATTERNS = {"expressed": signals._EXPRESSED, "passive": signals._PASSIVE_ATTRIBUTION}


def _texts() -> list[str]:
    return team_texts() + PHRASES


def _read(text: str) -> signals.Signals:
    article = load.load_text(text)
    sig = signals.read(article, 0, len(article.text))
    signals.read_subjectivity(article, sig, (0, len(article.text)))
    return sig


def test_there_are_articles_to_check_against():
    assert len(team_articles()) >= 12


# --------------------------------------------------------------------------- every entry fires

ENTRIES = [(kind, entry) for kind, lex in signals.LEXICONS.items() for entry in lex.entries]


def _sample(kind: str, entry: str) -> str:
    words = entry.replace("*", "widely")
    if kind == "superlatives":
        return f"Zora said it is the {words} model ever made."
    return f"Zora noted {words} here today."


@pytest.mark.parametrize(("kind", "entry"), ENTRIES, ids=[f"{k}:{e}" for k, e in ENTRIES])
def test_every_vocabulary_entry_fires_through_the_trigger_index(kind, entry):
    """A word added to a vocabulary file is both a trigger and a match: it always fires."""
    text = _sample(kind, entry)
    triggers = signals._Triggers(text)
    lower = text.lower()
    assert kind in triggers.kinds_in(0, len(text), lower)
    found = signals.LEXICONS[kind].find(text, lower)
    assert any(f.lower().split() == entry.lower().replace("*", "widely").split() for f in found), found


OPINION_KINDS = [(k, e) for k, e in ENTRIES if k in signals.OPINION_KINDS]


@pytest.mark.parametrize(("kind", "entry"), OPINION_KINDS, ids=[f"{k}:{e}" for k, e in OPINION_KINDS])
def test_every_opinion_entry_makes_an_opinion_signal(kind, entry):
    sig = _read(_sample(kind, entry))
    assert entry.replace("*", "widely") in [o.lower() for o in sig.opinion]
    assert kind in sig.opinion_kinds


PERFORMANCE = [(k, e) for k, e in ENTRIES if k in ("comparison", "comparison_phrases")]


@pytest.mark.parametrize(("kind", "entry"), PERFORMANCE, ids=[f"{k}:{e}" for k, e in PERFORMANCE])
def test_every_comparison_entry_makes_a_performance_claim_about_a_model(kind, entry):
    sig = _read(f"Zora said its Kite-2 model {entry} Orbit-5 in coding.")
    assert sig.benchmark and sig.comparison


# --------------------------------------------------------------------------- and each can stay quiet


@pytest.mark.parametrize("text", [
    "Nimbus Labs releases Cirrus-2 language model",
    "The launch comes a month after rival Orchard AI unveiled its own coding model.",
    "The company did not publish benchmark results for the model.",
    "Orchard's main rival, Quanta Systems, released a similar model in June.",
    "Tessaly Semiconductor beats forecasts on its AI chips, raises outlook",
    "The chip maker beat the odds in a hard market.",  # an idiom listed under not_performance
    "The math in the model card was wrong.",  # 'math' is no benchmark in lower case
])
def test_no_performance_claim(text):
    assert not _read(text).benchmark


@pytest.mark.parametrize("text", [
    "Tessaly reported third-quarter revenue of $4.2 billion on Thursday.",
    "Cirrus-2 will be available to paying customers from next week.",
    "Tessaly beat forecasts and topped analysts' forecast for the quarter.",
    "The funding round closed in May with Sequoia leading it.",
    "Ortiz was asked whether the attack could have been stopped.",
    "他说公司在上海有一百名员工。",
])
def test_no_opinion_marker(text):
    assert _read(text).opinion == []


def test_a_rival_as_a_verb_is_a_performance_claim():
    assert _read("Liu said the models have been able to rival OpenAI’s GPT-4.").benchmark
    assert _read("Hanlin unveils AI chip it says rivals Nvidia's H20").benchmark


def test_the_learned_model_reads_the_publications_voice_and_leaves_quotes_to_markers():
    sig = _read("This is the clearest case yet for a public utility.")
    assert sig.opinion == [] and sig.subjective and sig.subjectivity is not None
    assert sig.subjectivity.cues  # the words that pushed it, for the rationale
    assert sig.opinionated(attributed=False)
    assert not sig.opinionated(attributed=True)


def test_the_learned_model_stays_quiet_on_a_plain_report():
    sig = _read("Tessaly reported third-quarter revenue of $4.2 billion on Thursday.")
    assert not sig.subjective and not sig.opinionated(attributed=False)


# --------------------------------------------------------------------------- speed shortcuts


@pytest.mark.parametrize("name", ["_FIGURE", "_SCORE"])
def test_folded_patterns_find_what_the_case_insensitive_ones_find(name):
    pattern = getattr(signals, name)
    folded = getattr(signals, name + "_LOWER")
    group = 1 if name == "_SCORE" else 0
    fired = 0
    for text in _texts():
        expected = [m.group(group) for m in pattern.finditer(text)]
        assert signals._found(pattern, folded, text, text.lower(), group) == expected
        fired += bool(expected)
    assert fired >= 2, f"{name} fired on too few texts for this test to mean anything"


def test_folding_keeps_escapes_and_group_names():
    folded = signals.fold_case(re.compile(r"(?P<Cue>Said|TOLD)\S+\W(?P=Cue)\B", re.I))
    assert folded.pattern == r"(?P<Cue>said|told)\S+\W(?P=Cue)\B"
    assert not folded.flags & re.IGNORECASE


@pytest.mark.parametrize("kind", sorted([*signals.LEXICONS, *PATTERNS]))
def test_every_match_holds_one_of_its_triggers(kind):
    """The triggers are a necessary condition: a claim whose words hold no trigger skips the
    vocabulary's regex, so every match must contain a trigger position."""
    for text in _texts():
        triggers = signals._Triggers(text)
        if not triggers.usable:
            continue
        if kind in PATTERNS:
            spans = [m.span() for m in PATTERNS[kind].finditer(text)]
        else:
            spans = signals.LEXICONS[kind].spans(text, text.lower())
        for s, e in spans:
            assert kind in triggers.kinds_in(s, e, ""), f"{kind}: {text[s:e]!r} has no trigger"


def test_triggers_are_found_where_a_plain_search_finds_them():
    for text in _texts():
        lower = text.lower()
        triggers = signals._Triggers(text)
        for kind, words in signals._TRIGGERS.items():
            expected = sorted({i for word in words for i in range(len(lower))
                               if lower.startswith(word, i)})
            found = {at for at, kinds in zip(triggers.starts, triggers.kinds, strict=True) if kind in kinds}
            assert sorted(found) == expected, kind


def test_the_lexicons_are_read_from_the_vocabulary_files():
    assert signals.LEXICONS["hedges"].entries == tuple(e.lower() for e in vocab.words("hedges"))
    assert "MATH" in signals.LEXICONS["benchmarks"].entries  # case kept for benchmark names


def _lexicons() -> list[signals.Lexicon]:
    return list(signals.LEXICONS.values())  # (checkworthy reads its vocabularies word by word)


# words glued to an entry's first letters ("ai", "bai", "mid-a", "x’i"), so a head found inside a
# word or after a hyphen or an apostrophe must not be taken for a word start
_GLUED = ["Thank you. Next question, well-come, unwelcome. Bai a-few a lot I-think mid-a vast well-known xi I’d we’re Ai it’s-a 比a a", "a", "I",
          "I'm sure xI'm I-am I've",
          # a head must be followed by what may follow it: a space that stands for a run of spaces or
          # line breaks, a word end (the end of the text too), not more letters ("thirdly", "tens")
          "a\nthird, a  quarter; a thirdly tens ten-fold million-dollar millions.thank\tyou\n\nten", "ten",
          # a could that is no hedge: reach and contact after it
          "Roe could not be reached for comment. Lind could not immediately be reached, and Park couldn't be reached."]


@pytest.mark.parametrize("lexicon", _lexicons(), ids=lambda lex: lex.kind)
def test_the_head_search_finds_what_finditer_finds(lexicon):
    """`Lexicon.spans` tries its regex only where the automaton of first words says a match may
    start; it must give the plain finditer's matches on whole texts and on any stretch of them."""
    fired = 0
    for text in _texts() + _GLUED:
        pieces = [text] + [text[i:i + 300] for i in range(0, len(text), 211)] + [text[3:], text[:-5]]
        for words in pieces:
            lower = words.lower()
            if len(lower) != len(words):
                continue
            plain = [m.span() for m in lexicon.pattern.finditer(words if lexicon.case_sensitive else lower)]
            assert lexicon.spans(words, lower) == plain, (lexicon.kind, words[:80])
            fired += bool(plain)
    assert fired, f"{lexicon.kind} never fired: this test would mean nothing for it"


def _plain_features(text: str) -> list[str]:
    """The model's features as first written: each token's apostrophe straightened on its own."""
    toks = ["<num>" if t[0].isdigit() else t.replace("’", "'")
            for t in subjectivity._TOKEN.findall(text.lower())]
    padded = ["<s>", *toks, "</s>"]
    return toks + [f"{a} {b}" for a, b in zip(padded, padded[1:], strict=False)]


def test_the_learned_model_reads_what_the_plain_sum_reads():
    """Features, and the probability summed from each feature's hashed weight and each word's
    score, with the cache of weights cold, warm, and cleared half way (`_SEEN_MAX`)."""
    model = subjectivity.model()
    texts = [s for t in _texts() for s in re.split(r"(?<=[.!?])\s+", t)] + ["We’re sure it’s 3,5 times worse!"]
    subjective = 0
    for rounds in range(2):  # the second time every feature is in the cache
        for text in texts:
            found = subjectivity.features(text)
            assert found == _plain_features(text)
            # each feature's hashed weight, and a word's score beside its own
            z = model.bias + sum(model.weights.get(subjectivity.bucket(f, model.size), 0.0) + model.words.get(f, 0.0)
                                 for f in found)
            reading = subjectivity.read(text)
            assert reading.probability == 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            subjective += reading.subjective
            if rounds == 1 and len(model.seen) > 1:
                model.seen.pop(next(iter(model.seen)))  # a cache that has forgotten some features
    assert subjective >= 2 and "’" in " ".join(texts)
    assert any(t in model.words for text in texts for t in subjectivity.tokens(text))


# --------------------------------------------------------------------------- attribution and figure vocabularies


@pytest.mark.parametrize("word", vocab.words("attribution", "passive"))
def test_every_passive_cue_attributes_a_promotion(word):
    sig = _read(f"Halvorsen Labs launched Tern-3 on Monday. The model is being {word} as the best in Europe.")
    assert sig.attribution is not None and sig.attribution.via == "passive"
    assert word in sig.attribution.cue


@pytest.mark.parametrize("word", vocab.words("attribution", "promoting"))
def test_every_promoting_cue_attributes_a_promotion(word):
    sig = _read(f"The company is {word} the model to banks.")
    assert sig.attribution is not None and sig.attribution.via == "passive"


def test_a_participle_outside_the_lists_attributes_nothing():
    for text in ("The model is being praised as the best in Europe.", "The company is selling the model to banks.",
                 "The model was promoted by a new team."):
        assert _read(text).attribution is None, text


@pytest.mark.parametrize("word", vocab.words("attribution", "expressed"))
def test_every_expressed_feeling_attributes_the_claim(word):
    sig = _read(f"Executives at the fair expressed {word} that the model would ship in May.")
    assert sig.attribution is not None and sig.attribution.via == "expressed"
    assert sig.attribution.source == "Executives at the fair"


def test_an_expressed_feeling_outside_the_list_attributes_nothing():
    assert _read("Executives at the fair expressed surprise that the model would ship.").attribution is None


@pytest.mark.parametrize(("source", "cue"), [
    *[(f"{w.capitalize()} engineers", "said") for w in vocab.words("attribution", "vague_openers")],
    *[(f"{w} at the fair", "said") for w in vocab.words("attribution", "vague_sources")],
    *[("Halvorsen Labs", f"is {w}") for w in vocab.words("attribution", "vague_cues")],
    *[(f"国内{w}", "表示") for w in vocab.words("attribution", "zh_vague_sources")],
])
def test_every_vague_source_and_cue_is_vague(source, cue):
    assert verify.is_vague(signals.Attribution(source, cue))


@pytest.mark.parametrize(("source", "cue"), [("Jane Roe", "said"), ("Halvorsen Labs", "announced"),
                                             ("The awesome engineers", "said"),
                                             # a Chinese title before a name names someone
                                             *[(f"{w}李华", "表示") for w in vocab.words("attribution", "zh_vague_sources")]])
def test_a_named_source_is_not_vague(source, cue):
    assert not verify.is_vague(signals.Attribution(source, cue))


@pytest.mark.parametrize("unit", vocab.words("figures", "percent") + vocab.words("figures", "units"))
def test_every_unit_makes_a_figure(unit):
    text = f"Tern-3 gained 12{'' if unit == '%' else ' '}{unit.upper()} on the test."
    found = signals._found(signals._FIGURE, signals._FIGURE_LOWER, text, text.lower())
    assert found == [f"12{'' if unit == '%' else ' '}{unit.upper()}"]


def test_a_number_without_a_unit_is_no_figure():
    for text in ("Tern-3 gained 12 apples on the test.", "Tern-3 gained 12 xylophones.", "The 12th test."):
        assert signals._FIGURE.search(text) is None, text


@pytest.mark.parametrize("verb", vocab.words("figures", "score_verbs"))
def test_every_score_verb_reads_a_score(verb):
    assert [m.group(1) for m in signals._SCORE.finditer(f"Tern-3 {verb} 61.2 on MMLU.")] == ["61.2"]
    assert signals._SCORED.search(f"tern-3 {verb} of 61.2 on mmlu.")
    # a percentage after the verb is read as a figure, not as a score
    assert signals._SCORE.search(f"Tern-3 {verb} 61.2 percent on MMLU.") is None


def test_a_number_after_another_verb_is_no_score():
    assert signals._SCORE.search("Tern-3 reached 61.2 on MMLU.") is None
    assert signals._SCORED.search("tern-3 reached 61.2 on mmlu.") is None


@pytest.mark.parametrize("noun", vocab.words("attribution", "implied_subjects"))
def test_every_implied_subject_points_back_to_the_organisation(noun):
    sig = _read(f"Halvorsen Labs launched Tern-3 on Monday. Now the {noun} is touting the model to banks.")
    assert sig.attribution is not None and sig.attribution.source == "Halvorsen Labs"


def test_a_noun_outside_the_implied_subjects_points_back_to_nothing():
    assert signals._IMPLIED_SUBJECT.search("Now the council is touting the model to banks.") is None


@pytest.mark.parametrize("word", vocab.words("comparison", "zh_comparatives"))
def test_every_chinese_comparative_makes_a_comparison(word):
    sig = _read(f"该模型比竞争对手{word}。")
    assert sig.comparison and sig.comparison_kinds == ["comparison_zh"]


_ZH_VERBS = [w for w in vocab.words("comparison", "verbs") if not w.isascii()]


@pytest.mark.parametrize("word", _ZH_VERBS)
def test_every_chinese_comparison_verb_makes_a_performance_claim_about_a_system(word):
    sig = _read(f"该模型的数学推理能力{word}竞争对手。")
    assert sig.benchmark and word in sig.comparison


@pytest.mark.parametrize("word", _ZH_VERBS)
def test_a_chinese_comparison_verb_about_no_system_is_no_performance_claim(word):
    # a team, a player: no chip, model or capability beside the verb
    assert not _read(f"这支球队{word}了去年的冠军。").benchmark


def test_bi_without_a_comparative_is_no_comparison():
    assert _read("该模型比赛结束了。").comparison == []


@pytest.mark.parametrize("entry", vocab.words("hedges", "not_hedges"))
def test_a_could_that_reports_what_someone_could_not_do_is_no_hedge(entry):
    sentence = "Ana Ruiz " + entry.replace("*", "immediately") + " for comment on Monday."
    article = load.load_text(sentence)
    assert signals.read(article, 0, len(sentence)).opinion == []


def test_a_could_not_that_forecasts_stays_a_hedge():
    sentence = "Fares could not fall before May, the board said."
    article = load.load_text(sentence)
    assert "could" in signals.read(article, 0, len(sentence)).opinion


@pytest.mark.parametrize("text", ["这是我们迄今最强的模型。", "该公司发布了全球最先进的人工智能芯片。", "这是最快的推理芯片。"])
def test_a_chinese_superlative_before_a_system_is_a_performance_claim(text):
    sig = _read(text)
    assert sig.benchmark and sig.comparison_kinds == ["superlative_zh"]


@pytest.mark.parametrize("text", ["这是最好的时代。", "他是最快的选手。", "最高法院周一作出裁决。"])
def test_a_chinese_superlative_about_no_system_is_no_performance_claim(text):
    assert not _read(text).comparison


@pytest.mark.parametrize("text", ["海岚电池公司周四公布了第三季度的营收。", "该公司去年在上海开设了新工厂。",
                                  "工厂的工人周一恢复了生产。"])
def test_a_chinese_report_of_what_happened_carries_no_opinion_marker(text):
    # the Chinese stance, forecast and hedge entries fire only where they are written
    assert _read(text).opinion == []


@pytest.mark.parametrize("text, source", [("Veritas Cloud forecasts slower growth as AI spending cools.", "Veritas Cloud"),
                                          ("The agency forecasts rain for Tuesday.", "The agency")])
def test_forecasts_as_a_verb_attributes_the_forecast(text, source):
    assert _read(text).attribution.source == source


@pytest.mark.parametrize("text", ["Tessaly Semiconductor beats forecasts, raises outlook",
                                  "The bank cut its forecasts for growth."])
def test_forecasts_as_a_noun_attributes_nothing(text):
    assert _read(text).attribution is None
