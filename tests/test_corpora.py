"""Corpus adapters: the scoring code on tiny team-written inputs with answers worked out by hand,
and, when the shared corpora are present, agreement with the team's PolNeAR scorer."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from verifier.evaluation.corpora import (
    PolnearOptions,
    binary_scores,
    name_tokens,
    polnear_gold_quotes,
    quote_stretches,
    run_corpus,
    score_polnear,
)
from verifier.model.config import Settings
from verifier.model.errors import InputError, UsageError

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
EXTERNAL = SHARED / "external"
POLNEAR = EXTERNAL / "polnear" / "polnear_dev_subset.jsonl"
needs_shared = pytest.mark.skipif(not POLNEAR.is_file(), reason="shared corpora not present")
RULES = Settings(engine="rules")


def test_quote_stretches_by_hand():
    text = "\u201cOne two,\u201d she said, \u201cthree.\u201d"
    assert [text[s:e] for s, e in quote_stretches(text)] == ["One two,", "three."]
    # a second opener closes the first stretch (a quote over paragraphs); the last runs to the end
    text = "\u201cFirst para.\n\u201cSecond para"
    assert [text[s:e] for s, e in quote_stretches(text)] == ["First para.", "Second para"]
    # straight marks alternate; a stretch of punctuation only is dropped
    text = '"a b" and "c"'
    assert [text[s:e] for s, e in quote_stretches(text)] == ["a b", "c"]
    assert quote_stretches('" , "') == []
    # NYT style two single quotes, only when asked
    assert quote_stretches("''Yes,'' he said", twosingle=True) == [(2, 6)]
    assert quote_stretches("''Yes,'' he said") == []


def test_name_tokens_by_hand():
    assert name_tokens("Donald Trump") == {"donald", "trump"}
    assert name_tokens("Sen. Tim Kaine") == {"tim", "kaine"}
    assert name_tokens("he") == set()
    assert name_tokens("Obama's former campaign strategist") == set()
    assert name_tokens("Malkia Cyril, the executive director") == {"malkia", "cyril"}
    assert name_tokens("Officials", {"officials"}) == set()


DOC = {
    "doc_id": "tiny",
    "text": 'Lena Brook said: "We will win." Later "we might lose," he said. Analysts expect gains.',
}


def _doc() -> dict:
    text = DOC["text"]

    def span(s: str) -> dict:
        i = text.index(s)
        return {"start": i, "end": i + len(s), "text": s}

    return dict(DOC, attributions=[
        {"id": "T1", "source": [span("Lena Brook")], "cue": [span("said")],
         "content": [span('"We will win."')], "quote_type_heuristic": "direct"},
        {"id": "T2", "source": [span("he")], "cue": [span("said")],
         "content": [span('"we might lose,"')], "quote_type_heuristic": "direct"},
        {"id": "T3", "source": [span("Analysts")], "cue": [span("expect")],
         "content": [span("gains")], "quote_type_heuristic": "indirect"},
    ])


def test_score_polnear_by_hand():
    doc = _doc()
    text = doc["text"]
    gold = polnear_gold_quotes(doc)
    assert [g["text"] for g in gold] == ["We will win.", "we might lose,"]
    i = text.index("We will win")
    j = text.index("Analysts")
    report = {"quotes": [
        {"span": {"start": i, "end": i + 11}, "speaker": "Brook"},        # matches T1, speaker right
        {"span": {"start": j, "end": j + 8}, "speaker": None},           # a false positive
        {"span": {"start": 5, "end": 999}, "speaker": None},              # outside the text: bad span
    ]}
    summary, rows = score_polnear([doc], {"tiny": report}, PolnearOptions())
    # gold 2, pred 2 (bad span dropped), tp 1 -> P 0.5, R 0.5, F1 0.5
    assert (summary["gold"], summary["pred"], summary["tp"]) == (2, 2, 1)
    assert (summary["precision"], summary["recall"], summary["f1"]) == (0.5, 0.5, 0.5)
    assert (summary["speaker_scored"], summary["speaker_correct"]) == (1, 1)
    assert summary["bad_spans"] == 1 and summary["missing_reports"] == 0
    # kind=all: every attribution is gold; claims tagged attributed are predictions
    claims = {"claims": [{"span": {"start": j, "end": len(text)}, "tags": ["attributed"]},
                         {"span": {"start": 0, "end": 10}, "tags": []}]}
    summary, _ = score_polnear([doc], {"tiny": claims}, PolnearOptions(kind="all"))
    assert (summary["gold"], summary["pred"], summary["tp"]) == (3, 1, 1)
    # "Analysts" starts the sentence but the text never writes "analysts" in lower case, so the
    # scorer takes it for a name: scored, and the claim carries no speaker
    assert (summary["speaker_scored"], summary["speaker_pred_null"]) == (1, 1)


def test_binary_scores_by_hand():
    pairs = [("SUBJ", "SUBJ"), ("SUBJ", "OBJ"), ("OBJ", "OBJ"), ("OBJ", "OBJ")]
    s = binary_scores(pairs, ("OBJ", "SUBJ"))
    # OBJ: P 2/3, R 1, F1 0.8; SUBJ: P 1, R 1/2, F1 2/3; macro (0.8 + 0.6667) / 2
    assert s["per_label"]["OBJ"]["f1"] == 0.8
    assert s["per_label"]["SUBJ"]["f1"] == pytest.approx(0.6667, abs=1e-4)
    assert s["macro_f1"] == pytest.approx(0.7333, abs=1e-4)
    assert s["accuracy"] == 0.75
    assert s["confusion"] == {"SUBJ": {"SUBJ": 1, "OBJ": 1}, "OBJ": {"OBJ": 2}}


def test_sentence_adapters_on_team_written_files(tmp_path):
    csv_path = tmp_path / "val.csv"
    csv_path.write_text('Sentence,Label,Solved conflict\n'
                        '"The council should reject this reckless plan.\n",SUBJ,False\n'
                        '"The council met on Tuesday in the town hall.",OBJ,True\n', encoding="utf-8")
    res = run_corpus("newssd", csv_path, RULES)
    assert res.summary["n"] == 2 and res.summary["solved_conflict"]["n"] == 1
    assert res.summary["confusion"]["OBJ"] == {"OBJ": 1}  # a plain fact is not an opinion
    tsv = tmp_path / "ct.tsv"
    tsv.write_text('Sentence_id\tText\tclass_label\n1\t"Unemployment fell to 4 percent last year."\tYes\n'
                   "2\tThanks.\tNo\n", encoding="utf-8")
    res = run_corpus("checkthat", tsv, RULES)
    assert res.summary["confusion"] == {"Yes": {"Yes": 1}, "No": {"No": 1}}
    assert res.summary["f1_yes"] == 1.0
    fc = tmp_path / "fc.jsonl"
    fc.write_text('{"claim": "The bridge opened in 1932 after six years of work.", "checkworthy": "factual"}\n'
                  '{"claim": "Hi.", "checkworthy": "not_a_claim"}\n', encoding="utf-8")
    res = run_corpus("factcheck", fc, RULES)
    assert res.summary["confusion"] == {"factual": {"checkable": 1}, "not_a_claim": {"no_claim": 1}}
    assert res.summary["per_class_recall"]["factual"]["recall"] == 1.0
    assert "recall factual -> checkable: 1.000 (1/1)" in res.text()


def test_bad_corpus_input_is_a_clear_error(tmp_path):
    with pytest.raises(UsageError, match="unknown corpus"):
        run_corpus("nope", tmp_path, RULES)
    with pytest.raises(InputError, match="not found"):
        run_corpus("newssd", tmp_path / "missing.csv", RULES)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="expected columns"):
        run_corpus("newssd", wrong, RULES)


@needs_shared
@pytest.mark.parametrize("kind", ["direct", "all"])
def test_polnear_adapter_agrees_with_the_team_scorer(tmp_path, kind):
    res = run_corpus("polnear", POLNEAR, RULES, reports_dir=tmp_path / "reports", kind=kind)
    out = tmp_path / "official.json"
    subprocess.run([sys.executable, str(SHARED / "polnear_quotes.py"), str(POLNEAR),
                    str(tmp_path / "reports"), "--kind", kind, "--json", str(out)],
                   check=True, capture_output=True)
    official = json.loads(out.read_text(encoding="utf-8"))
    ours = {k: v for k, v in res.summary.items() if k != "options"}
    assert ours == official
    assert official["gold"] > 0 and official["articles"] == 7


@needs_shared
def test_real_corpora_are_read_as_distributed():
    def counts(name: str, path: Path) -> dict:
        return run_corpus(name, path, RULES, limit=None).summary

    ct = counts("checkthat", EXTERNAL / "checkthat2024-task1-en" / "CT24_checkworthy_english_dev-test.tsv")
    assert (ct["per_label"]["Yes"]["gold"], ct["per_label"]["No"]["gold"]) == (108, 210)
    nd = counts("newssd", EXTERNAL / "newssd-eng" / "val.csv")
    assert (nd["per_label"]["OBJ"]["gold"], nd["per_label"]["SUBJ"]["gold"]) == (45, 54)
    assert nd["solved_conflict"]["n"] == 11
    f1 = counts("factcheck", EXTERNAL / "factcheck-bench" / "subtask1_sentence_checkworthiness.jsonl")
    assert f1["gold_counts"] == {"yes": 277, "other": 16, "opinion": 13, "not_a_claim": 5}
    f2 = counts("factcheck", EXTERNAL / "factcheck-bench" / "subtask2_claim_checkworthiness.jsonl")
    assert f2["gold_counts"] == {"factual": 661, "opinion": 16, "not_a_claim": 1}


def test_an_item_the_llm_cannot_answer_is_counted_and_the_run_goes_on(tmp_path):
    # a real HTTP server in the test (tests/llm_server.py): it refuses one sentence as too long
    from tests.llm_server import Step, completion, error_body, serve

    def handler(request):
        text = json.dumps(request["messages"])
        if "groundwater" in text:
            return Step(400, error_body("This model's maximum context length is 300 tokens",
                                        "invalid_request_error"))
        return Step(body=completion({"claims": []}))

    tsv = tmp_path / "ct.tsv"
    tsv.write_text("Sentence_id\tText\tclass_label\n1\tThe wells were tested for groundwater in May.\tYes\n"
                   "2\tThe mayor opened the new library on Monday morning.\tNo\n", encoding="utf-8")
    with serve(handler=handler) as server:
        settings = Settings(engine="llm", base_url=server.base_url, model="test-model", cache=False,
                            max_retries=0, timeout=5.0)
        res = run_corpus("checkthat", tsv, settings)
    assert res.summary["n"] == 2 and res.summary["llm_failures"] == 1
    assert res.summary["confusion"]["Yes"] == {"No": 1}  # the failed item counts as no claim
    assert "LLM failures: 1 item scored as no claim" in res.text()


@pytest.mark.parametrize("corpus", ["newssd", "checkthat", "factcheck"])
def test_a_corpus_run_closes_the_extractor_it_made(tmp_path, monkeypatch, corpus):
    """A corpus adapter's run owns its extractor (`RunContext`): made once, closed at the end."""
    from verifier.engines.extract import RulesExtractor
    from verifier.run import pipeline

    events: list[str] = []

    class Counting(RulesExtractor):
        def __init__(self) -> None:
            events.append("made")

        def close(self) -> None:
            events.append("closed")

    monkeypatch.setattr(pipeline, "make_extractor", lambda settings: Counting())
    files = {"newssd": ("val.csv", "Sentence,Label\nThe council met on Tuesday.,OBJ\nIt is awful.,SUBJ\n"),
             "checkthat": ("ct.tsv", "Sentence_id\tText\tclass_label\n1\tThe council met on Tuesday.\tNo\n"
                                     "2\tUnemployment fell to 4 percent last year.\tYes\n"),
             "factcheck": ("fc.jsonl", '{"claim": "The council met.", "checkworthy": "factual"}\n'
                                       '{"claim": "Hi.", "checkworthy": "not_a_claim"}\n')}
    name, text = files[corpus]
    (tmp_path / name).write_text(text, encoding="utf-8")
    res = run_corpus(corpus, tmp_path / name, RULES)
    assert res.summary["n"] == 2
    assert events == ["made", "closed"]


def test_polnear_twosingle_scores_quotes_written_with_two_apostrophes(tmp_path):
    """`verifier eval --corpus polnear --twosingle`: an article that writes its quotation marks
    as two apostrophes, which the product reads as quotes; the default gold has none of them."""
    from tests.cli_runner import verifier

    text = "''We will win,'' Lena Brook said. ''We will not stop,'' she added."

    def span(s: str, after: int = 0) -> dict:
        i = text.index(s, after)
        return {"start": i, "end": i + len(s), "text": s}

    doc = {"doc_id": "nyt-style", "text": text, "attributions": [
        {"id": "T1", "source": [span("Lena Brook")], "cue": [span("said")],
         "content": [span("''We will win,''")], "quote_type_heuristic": "direct"},
        {"id": "T2", "source": [span("she")], "cue": [span("added")],
         "content": [span("''We will not stop,''")], "quote_type_heuristic": "direct"}]}
    corpus = tmp_path / "tiny.jsonl"
    corpus.write_text(json.dumps(doc) + "\n", encoding="utf-8")
    plain = json.loads(verifier("eval", str(corpus), "--corpus", "polnear", "--engine", "rules",
                                "-f", "json").stdout)
    assert (plain["summary"]["gold"], plain["summary"]["pred"], plain["summary"]["tp"]) == (0, 2, 0)
    two = json.loads(verifier("eval", str(corpus), "--corpus", "polnear", "--engine", "rules",
                              "--twosingle", "-f", "json").stdout)
    summary = two["summary"]
    assert summary["twosingle"] is True
    assert (summary["gold"], summary["pred"], summary["tp"]) == (2, 2, 2)
    # the pronoun's mention has no name token: one speaker scored, and it is right
    assert (summary["speaker_scored"], summary["speaker_correct"]) == (1, 1)


@needs_shared
def test_polnear_adapter_agrees_with_the_team_scorer_with_twosingle(tmp_path):
    res = run_corpus("polnear", POLNEAR, RULES, reports_dir=tmp_path / "reports", kind="direct",
                     twosingle=True)
    out = tmp_path / "official.json"
    subprocess.run([sys.executable, str(SHARED / "polnear_quotes.py"), str(POLNEAR),
                    str(tmp_path / "reports"), "--kind", "direct", "--twosingle", "--json", str(out)],
                   check=True, capture_output=True)
    official = json.loads(out.read_text(encoding="utf-8"))
    assert {k: v for k, v in res.summary.items() if k != "options"} == official
    assert official["twosingle"] is True
