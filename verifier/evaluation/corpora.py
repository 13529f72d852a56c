"""Adapters for published annotated corpora: read the files as distributed, run the pipeline, score.

Each adapter states how our labels map to the corpus's labels (`MAPPINGS`). Nothing here ships a
corpus: the files are read from wherever the user keeps them.

- `polnear`: PolNeAR attributions (jsonl, one article per line). Scored exactly as the team's
  `polnear_quotes.py` scores a folder of contract reports (same gold construction, same one-to-one
  greedy match at overlap/shorter >= 0.5, same speaker rule on name tokens).
- `newssd`: NewsSD-ENG sentences (csv: Sentence, Label OBJ|SUBJ, Solved conflict): macro-F1.
- `checkthat`: CheckThat! 2024 task 1 English (tsv: Sentence_id, Text, class_label Yes|No): F1 of Yes.
- `factcheck`: Factcheck-Bench subtask 1 (sentence, checkworthy yes|other|opinion|not_a_claim) or
  subtask 2 (claim, checkworthy factual|opinion|not_a_claim): confusion matrix, per-class recall.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verifier.evaluation.evaluate import greedy_match, prf
from verifier.model.config import Settings
from verifier.model.errors import InputError, LLMError, UsageError
from verifier.model.schema import strip_range
from verifier.render._common import counted
from verifier.stages.quotemarks import pair_marks

MAPPINGS = {
    "polnear": (
        "direct: gold = each double-quoted stretch inside an attribution whose content holds a "
        "direct or mixed quotation; predicted = our report's quotes (their `span`). all: gold = every "
        "attribution (direct, mixed and indirect); predicted = our claims tagged `attributed`. "
        "Speaker: our quote's `speaker` shares a name token with the attribution's source mention; "
        "pronoun and description mentions are not scored."),
    "newssd": (
        "A sentence is predicted SUBJ when a claim extracted from it carries the `opinion` tag "
        "without `attributed` (an opinion in the publication's own voice: the corpus labels the "
        "author's view, and a quoted speaker's view as OBJ), OBJ otherwise (also when no claim is "
        "extracted)."),
    "checkthat": (
        "A sentence is predicted Yes (check-worthy) when a claim whose `checkworthiness` is at "
        "least 0.5 is extracted from it (a judgement lowers a claim's check-worthiness, see "
        "verifier/stages/checkworthy.py). Otherwise No."),
    "factcheck": (
        "Each item is predicted `checkable` when a claim without the `opinion` tag is extracted, "
        "else `opinion` when only opinion-tagged claims are, else `no_claim`. Gold yes/factual "
        "should be `checkable`, opinion `opinion`, not_a_claim `no_claim`; `other` is shown only."),
}

CORPORA = tuple(MAPPINGS)


@dataclass(slots=True)
class CorpusResult:
    """One corpus run: the figures (`summary`), the mapping used, and table lines for a terminal."""

    corpus: str
    path: str
    engine: dict[str, Any]
    summary: dict[str, Any]
    lines: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"kind": "corpus", "corpus": self.corpus, "path": self.path, "engine": self.engine,
                "mapping": MAPPINGS[self.corpus], "summary": self.summary}

    def text(self) -> str:
        return "\n".join([f"{self.corpus} {self.path} (engine {self.engine.get('extractor', '?')})",
                          f"mapping: {MAPPINGS[self.corpus]}", *self.lines]) + "\n"


# --------------------------------------------------------------------------- running the pipeline


class Checker:
    """Runs the pipeline on text held in memory: one run (`RunContext`: one extractor) for the
    whole corpus, closed by `close()` or at the end of a `with` block."""

    def __init__(self, settings: Settings) -> None:
        from verifier.run.context import RunContext

        self.settings = settings
        self.run = RunContext(settings)
        self.extractor = self.run.extractor  # made now: a configuration error stops the run first
        self.engine: dict[str, Any] = {}
        self.failures: list[str] = []  # items the LLM could not answer; scored as no claim

    def close(self) -> None:
        """Close the run (its extractor: the llm engine's HTTP client and cache)."""
        self.run.close()

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def report(self, text: str, path: str | None = None) -> dict[str, Any]:
        from verifier.ingest import load
        from verifier.run import pipeline

        article = load.load_text(text, path=path, fmt="text")
        try:
            report = pipeline.check_article(article, self.settings, source_docs=[], run=self.run)
            failed = [f.message for f in report.findings if f.rule == pipeline.LLM_FAILED]
            if failed:  # degraded to the rules engine: not the LLM engine's answer to score
                raise LLMError(failed[0])
        except LLMError as exc:
            # one unanswerable item must not lose the rest of a long corpus run: it counts as
            # "no claim extracted", and the result says how many there were
            self.failures.append(f"{path or text[:40]!r}: {exc}")
            return {"claims": [], "quotes": [], "findings": [], "engine": self.engine,
                    "error": str(exc)}
        out = report.model_dump(mode="json")
        self.engine = out.get("engine") or self.engine
        return out

    def note(self, lines: list[str], summary: dict[str, Any]) -> list[str]:
        """The result lines, with a count of LLM failures when there were any."""
        if not self.failures:
            return lines
        summary["llm_failures"] = len(self.failures)
        return [*lines, f"LLM failures: {counted(len(self.failures), 'item')} scored as no claim, "
                        f"first: {self.failures[0]}"]


def run_corpus(name: str, path: str | Path, settings: Settings, **options: Any) -> CorpusResult:
    """Dispatch to the adapter called `name`."""
    runners: dict[str, Callable[..., CorpusResult]] = {
        "polnear": run_polnear, "newssd": run_newssd, "checkthat": run_checkthat,
        "factcheck": run_factcheck}
    if name not in runners:
        raise UsageError(f"unknown corpus {name!r}; known: {', '.join(CORPORA)}")
    if not Path(path).is_file():
        raise InputError("corpus file not found", path=str(path))
    return runners[name](Path(path), settings, **options)


def _take(items: list[Any], limit: int | None) -> list[Any]:
    return items[:limit] if limit else items


# --------------------------------------------------------------------------- PolNeAR

def quote_stretches(text: str, twosingle: bool = False) -> list[tuple[int, int]]:
    """(start, end) of double-quoted stretches in an attribution's content, marks excluded: the
    pipeline's pairing (`quotemarks.pair_marks`) read as a fragment (a closing mark with no opener
    before it ends a stretch that began before the content), `twosingle` for NYT-style ''quote''
    marks; an unclosed stretch runs to the end."""
    out = [(s.start, s.end) for s in pair_marks(text, fragment=True, twosingle=twosingle)]
    return [(s, e) for s, e in (strip_range(text, *se) for se in out)
            if e > s and re.search(r"\w", text[s:e])]


def _source_text(attribution: dict[str, Any]) -> str | None:
    if not attribution.get("source"):
        return None
    return " ".join(s["text"] for s in sorted(attribution["source"], key=lambda s: s["start"]))


def polnear_gold_quotes(doc: dict[str, Any], twosingle: bool = False) -> list[dict[str, Any]]:
    """Gold direct quotes: stretches inside attributions with a direct or mixed quotation."""
    out = []
    for a in doc["attributions"]:
        if a.get("quote_type_heuristic") not in ("direct", "mixed"):
            if not (twosingle and any("''" in c["text"] for c in a["content"])):
                continue
        for c in a["content"]:
            for s, e in quote_stretches(c["text"], twosingle):
                st, en = c["start"] + s, c["start"] + e
                out.append({"spans": [(st, en)], "source": _source_text(a),
                            "text": doc["text"][st:en], "qtype": a.get("quote_type_heuristic")})
    out.sort(key=lambda g: g["spans"][0][0])
    return out


def polnear_gold_attributions(doc: dict[str, Any], unit: str = "attribution") -> list[dict[str, Any]]:
    """Every attribution (all quote types): its content spans together, or one per span."""
    out = []
    for a in doc["attributions"]:
        spans = [(c["start"], c["end"]) for c in a["content"]]
        groups = [[sp] for sp in spans] if unit == "span" else [spans]
        for g in groups:
            out.append({"spans": g, "source": _source_text(a),
                        "text": " \u2026 ".join(doc["text"][s:e] for s, e in sorted(g)),
                        "qtype": a.get("quote_type_heuristic")})
    return out


NON_NAME_WORDS = frozenset("""
i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
who whom whose which that this these those one ones someone somebody anyone everyone nobody
the a an some many several all both each every another other others any no most few more
and or of for to in on at by with from as about according
mr mrs ms miss dr sen sens rep reps gov president presidents senator senators secretary judge
justice gen general lt col sgt capt adm chairman chairwoman chair speaker leader minister prime
vice director mayor governor attorney official officials spokesman spokeswoman spokesperson
representative congressman congresswoman chief rev reverend prof professor sir lord lady king
queen prince candidate nominee former sr jr st ceo founder activist executive
republican republicans democratic democrat democrats american americans gop
""".split())

_TOKEN = re.compile(r"[^\W\d_][\w\u2019'\-.]*")


def _clean_token(t: str) -> str:
    t = t.rstrip(".")
    for suffix in ("\u2019s", "'s", "\u2019", "'"):
        if t.endswith(suffix):
            t = t[: -len(suffix)]
    return t


def name_tokens(mention: str | None, lower_words: set[str] | None = None) -> set[str]:
    """Capitalised tokens of a source mention that look like parts of a name."""
    if not mention:
        return set()
    # "Malkia Cyril, the executive director ..." is Malkia Cyril; "Sens. A, B and C" stays whole
    head, _, rest = mention.partition(",")
    rest = rest.strip()
    if rest and (rest[0].islower() or rest[0].isdigit()):
        got = name_tokens(head, lower_words)
        if got:
            return got
    raw = _TOKEN.findall(mention)
    toks = [_clean_token(t) for t in raw]
    out = set()
    for k, t in enumerate(toks):
        if not t or not t[0].isupper():
            continue
        if raw[k].rstrip(".").endswith(("\u2019s", "'s")) and k < len(toks) - 1:
            continue  # "Obama's former campaign strategist" is not Obama
        low = t.lower()
        if low in NON_NAME_WORDS:
            continue
        # a sentence-initial capital on a word the article also writes in lower case is no name
        if k == 0 and lower_words is not None and low in lower_words:
            continue
        out.add(low)
    return out


def _lower_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[^\W\d_]+", text) if w.islower()}


def _tag_names(tags: Any) -> set[str]:
    out = set()
    for t in tags or []:
        if isinstance(t, str):
            out.add(t.lower())
        elif isinstance(t, dict):
            out.update(t[k].lower() for k in ("name", "tag", "label", "type")
                       if isinstance(t.get(k), str))
    return out


def _speaker_of(item: dict[str, Any]) -> str | None:
    # the same keys the team's scorer reads, so both give the same numbers
    for key in ("speaker", "source", "attributed_to"):
        v = item.get(key)
        if isinstance(v, str) and v.strip():
            return v
        if isinstance(v, dict):
            for kk in ("text", "name", "mention"):
                if isinstance(v.get(kk), str) and v[kk].strip():
                    return str(v[kk])
    return None


def _n_words(s: str) -> int:
    return len(re.findall(r"\w+", s))


@dataclass(slots=True)
class PolnearOptions:
    kind: str = "direct"  # direct | all
    threshold: float = 0.5
    pred_kinds: tuple[str, ...] = ()
    min_words: int = 0
    unit: str = "attribution"
    attributed_tags: tuple[str, ...] = ("attributed",)
    include_quotes: bool = False
    twosingle: bool = False


_COUNTS = ("gold", "pred", "tp", "spk_scored", "spk_ok", "spk_none", "non_name", "no_source")


def score_polnear_doc(doc: dict[str, Any], report: dict[str, Any] | None,
                      opts: PolnearOptions) -> tuple[dict[str, int], int]:
    """Counts for one article, and how many predictions had unusable spans."""
    text = doc["text"]
    if opts.kind == "direct":
        gold = [g for g in polnear_gold_quotes(doc, opts.twosingle)
                if _n_words(g["text"]) >= opts.min_words]
    else:
        gold = polnear_gold_attributions(doc, opts.unit)
    preds, bad = _polnear_preds(text, report or {}, opts)
    pairs = greedy_match([g["spans"] for g in gold], [[p["span"]] for p in preds], opts.threshold)
    d = dict.fromkeys(_COUNTS, 0)
    d.update(gold=len(gold), pred=len(preds), tp=len(pairs))
    lower = _lower_words(text)
    for gi, pi in pairs:
        g, p = gold[gi], preds[pi]
        if g["source"] is None:
            d["no_source"] += 1
            continue
        gn = name_tokens(g["source"], lower)
        if not gn:
            d["non_name"] += 1
            continue
        d["spk_scored"] += 1
        if p["speaker"] is None:
            d["spk_none"] += 1
        elif gn & name_tokens(p["speaker"]):
            d["spk_ok"] += 1
    return d, bad


def _polnear_preds(text: str, report: dict[str, Any],
                   opts: PolnearOptions) -> tuple[list[dict[str, Any]], int]:
    items = []
    if opts.kind == "direct" or opts.include_quotes:
        items += [q for q in report.get("quotes") or []
                  if not (opts.kind == "direct" and opts.pred_kinds
                          and q.get("kind") not in opts.pred_kinds)]
    if opts.kind == "all":
        items += [c for c in report.get("claims") or []
                  if _tag_names(c.get("tags")) & set(opts.attributed_tags)]
    preds, bad = [], 0
    for it in items:
        sp = it.get("span") or {}
        s, e = sp.get("start"), sp.get("end")
        if s is None or e is None or not (0 <= int(s) < int(e) <= len(text)):
            bad += 1
            continue
        s, e = int(s), int(e)
        if opts.kind == "direct" and _n_words(text[s:e]) < opts.min_words:
            continue
        preds.append({"span": (s, e), "speaker": _speaker_of(it)})
    return preds, bad


def score_polnear(docs: list[dict[str, Any]], reports: dict[str, dict[str, Any] | None],
                  opts: PolnearOptions) -> tuple[dict[str, Any], list[tuple[str, dict[str, int]]]]:
    """The summary `polnear_quotes.py --json` writes, and per-article counts."""
    tot = dict.fromkeys((*_COUNTS, "missing", "bad_span"), 0)
    rows = []
    for doc in docs:
        report = reports.get(doc["doc_id"])
        tot["missing"] += report is None
        d, bad = score_polnear_doc(doc, report, opts)
        tot["bad_span"] += bad
        for k in _COUNTS:
            tot[k] += d[k]
        rows.append((doc["doc_id"], d))
    p, r, f = prf(tot["tp"], tot["pred"], tot["gold"])
    acc = tot["spk_ok"] / tot["spk_scored"] if tot["spk_scored"] else 0.0
    summary = dict(kind=opts.kind, min_words=opts.min_words, twosingle=opts.twosingle,
                   articles=len(docs), gold=tot["gold"], pred=tot["pred"], tp=tot["tp"],
                   precision=round(p, 4), recall=round(r, 4), f1=round(f, 4),
                   speaker_scored=tot["spk_scored"], speaker_correct=tot["spk_ok"],
                   speaker_accuracy=round(acc, 4), speaker_pred_null=tot["spk_none"],
                   non_name_sources=tot["non_name"], no_source=tot["no_source"],
                   missing_reports=tot["missing"], bad_spans=tot["bad_span"])
    return summary, rows


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        with open(path, encoding="utf-8") as fh:
            return [json.loads(line) for line in fh if line.strip()]
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read jsonl: {exc}", path=str(path)) from exc


def run_polnear(path: Path, settings: Settings, limit: int | None = None,
                reports_dir: str | Path | None = None, **options: Any) -> CorpusResult:
    """Check every article's `text`, optionally write `<doc_id>.json` reports, and score."""
    opts = PolnearOptions(**options)
    docs = _take(read_jsonl(path), limit)
    with Checker(settings) as checker:
        reports = {d["doc_id"]: checker.report(d["text"]) for d in docs}
    if reports_dir is not None:
        out = Path(reports_dir)
        out.mkdir(parents=True, exist_ok=True)
        for doc_id, rep in reports.items():
            (out / f"{doc_id}.json").write_text(json.dumps(rep, ensure_ascii=False, indent=1),
                                                encoding="utf-8")
    summary, rows = score_polnear(docs, dict(reports), opts)
    summary["options"] = {"threshold": opts.threshold, "pred_kinds": list(opts.pred_kinds),
                          "unit": opts.unit, "attributed_tags": list(opts.attributed_tags),
                          "include_quotes": opts.include_quotes}
    return CorpusResult("polnear", str(path), checker.engine, summary,
                        checker.note(_polnear_lines(summary, rows), summary))


def _polnear_lines(s: dict[str, Any], rows: list[tuple[str, dict[str, int]]]) -> list[str]:
    lines = [f"{'doc_id':45s} {'gold':>4s} {'pred':>4s} {'tp':>3s} {'P':>5s} {'R':>5s} {'F1':>5s}"
             "  spk ok/scored"]
    for doc_id, d in rows:
        p, r, f = prf(d["tp"], d["pred"], d["gold"])
        lines.append(f"{doc_id[:45]:45s} {d['gold']:4d} {d['pred']:4d} {d['tp']:3d} {p:5.2f} "
                     f"{r:5.2f} {f:5.2f}  {d['spk_ok']:3d}/{d['spk_scored']}")
    lines.append(f"kind={s['kind']}: P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f}; "
                 f"speaker accuracy {s['speaker_accuracy']:.3f} ({s['speaker_correct']}/"
                 f"{s['speaker_scored']}, {s['speaker_pred_null']} with no predicted speaker); "
                 f"non-name sources {s['non_name_sources']}; no-source {s['no_source']}")
    return lines


# --------------------------------------------------------------------------- sentence corpora


CHECKWORTHY = 0.5  # the `checkworthiness` from which a claim counts as worth checking


def _claims_summary(report: dict[str, Any]) -> tuple[bool, bool]:
    """(a claim without `opinion` was extracted, a claim with `opinion` was extracted)."""
    claims = report.get("claims") or []
    checkable = any("opinion" not in (c.get("tags") or []) for c in claims)
    opinion = any("opinion" in (c.get("tags") or []) for c in claims)
    return checkable, opinion


def _own_opinion(report: dict[str, Any]) -> bool:
    """A claim with `opinion` and without `attributed` was extracted."""
    return any("opinion" in (c.get("tags") or []) and "attributed" not in (c.get("tags") or [])
               for c in report.get("claims") or [])


def confusion(pairs: list[tuple[str, str]]) -> dict[str, dict[str, int]]:
    """{gold label: {predicted label: count}}."""
    out: dict[str, dict[str, int]] = {}
    for gold, pred in pairs:
        row = out.setdefault(gold, {})
        row[pred] = row.get(pred, 0) + 1
    return out


def binary_scores(pairs: list[tuple[str, str]], labels: tuple[str, str]) -> dict[str, Any]:
    """Per-label precision/recall/F1, macro-F1 and accuracy over (gold, predicted) pairs."""
    per = {}
    for lab in labels:
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        npred = sum(1 for _, p in pairs if p == lab)
        ngold = sum(1 for g, _ in pairs if g == lab)
        pr, rc, f1 = prf(tp, npred, ngold)
        per[lab] = {"gold": ngold, "pred": npred, "tp": tp, "precision": round(pr, 4),
                    "recall": round(rc, 4), "f1": round(f1, 4)}
    acc = sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else 0.0
    macro = sum(per[lab]["f1"] for lab in labels) / len(labels)
    return {"n": len(pairs), "per_label": per, "macro_f1": round(macro, 4),
            "accuracy": round(acc, 4), "confusion": confusion(pairs)}


def _read_delimited(path: Path, delimiter: str) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh, delimiter=delimiter))
    except (OSError, csv.Error, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the corpus: {exc}", path=str(path)) from exc


def _need(rows: list[dict[str, str]], columns: tuple[str, ...], path: Path) -> None:
    if not rows or any(c not in rows[0] for c in columns):
        raise InputError(f"expected columns {', '.join(columns)}", path=str(path))


def run_newssd(path: Path, settings: Settings, limit: int | None = None) -> CorpusResult:
    """NewsSD-ENG: SUBJ/OBJ per sentence; macro-F1 overall and on the resolved-conflict subset."""
    rows = _take(_read_delimited(path, ","), limit)
    _need(rows, ("Sentence", "Label"), path)
    pairs: list[tuple[str, str]] = []
    hard: list[tuple[str, str]] = []
    rest: list[tuple[str, str]] = []
    with Checker(settings) as checker:
        for row in rows:
            own_voice = _own_opinion(checker.report(row["Sentence"].strip()))
            pair = (row["Label"].strip(), "SUBJ" if own_voice else "OBJ")
            pairs.append(pair)
            (hard if row.get("Solved conflict", "").strip() == "True" else rest).append(pair)
    summary = binary_scores(pairs, ("OBJ", "SUBJ"))
    summary["solved_conflict"] = binary_scores(hard, ("OBJ", "SUBJ"))
    summary["other"] = binary_scores(rest, ("OBJ", "SUBJ"))
    lines = _binary_lines(summary, ("OBJ", "SUBJ"))
    lines.append(f"solved-conflict sentences: macro-F1 {summary['solved_conflict']['macro_f1']:.3f} "
                 f"(n={summary['solved_conflict']['n']}); the rest: macro-F1 "
                 f"{summary['other']['macro_f1']:.3f} (n={summary['other']['n']})")
    return CorpusResult("newssd", str(path), checker.engine, summary, checker.note(lines, summary))


def run_checkthat(path: Path, settings: Settings, limit: int | None = None) -> CorpusResult:
    """CheckThat! 2024 task 1: Yes when a checkable claim is extracted; the official F1 of Yes."""
    rows = _take(_read_delimited(path, "\t"), limit)
    _need(rows, ("Text", "class_label"), path)
    pairs = []
    with Checker(settings) as checker:
        for row in rows:
            claims = checker.report(row["Text"].strip()).get("claims") or []
            worthy = any(c.get("checkworthiness", 0.0) >= CHECKWORTHY for c in claims)
            pairs.append((row["class_label"].strip(), "Yes" if worthy else "No"))
    summary = binary_scores(pairs, ("No", "Yes"))
    summary["f1_yes"] = summary["per_label"]["Yes"]["f1"]
    lines = _binary_lines(summary, ("No", "Yes"))
    lines.append(f"official measure, F1 of Yes: {summary['f1_yes']:.3f}")
    return CorpusResult("checkthat", str(path), checker.engine, summary, checker.note(lines, summary))


FACTCHECK_EXPECTED = {"yes": "checkable", "factual": "checkable", "opinion": "opinion",
                      "not_a_claim": "no_claim"}


def run_factcheck(path: Path, settings: Settings, limit: int | None = None) -> CorpusResult:
    """Factcheck-Bench subtask 1 or 2 (told apart by the `sentence` or `claim` field)."""
    items = _take(read_jsonl(path), limit)
    if not items or not ({"sentence", "claim"} & set(items[0])) or "checkworthy" not in items[0]:
        raise InputError("expected jsonl with `sentence` or `claim`, and `checkworthy`", path=str(path))
    field_name = "sentence" if "sentence" in items[0] else "claim"
    pairs: list[tuple[str, str]] = []
    opinion_fired: Counter[str] = Counter()
    with Checker(settings) as checker:
        for item in items:
            checkable, opinion = _claims_summary(checker.report(item[field_name].strip()))
            pred = "checkable" if checkable else "opinion" if opinion else "no_claim"
            pairs.append((item["checkworthy"], pred))
            opinion_fired[item["checkworthy"]] += opinion
    summary = _factcheck_summary(pairs, opinion_fired, field_name)
    return CorpusResult("factcheck", str(path), checker.engine, summary,
                        checker.note(_factcheck_lines(summary), summary))


def _factcheck_summary(pairs: list[tuple[str, str]], fired: Counter[str], unit: str) -> dict[str, Any]:
    gold_counts = Counter(g for g, _ in pairs)
    recall = {}
    for gold, n in sorted(gold_counts.items()):
        want = FACTCHECK_EXPECTED.get(gold)
        if want:
            ok = sum(1 for g, p in pairs if g == gold and p == want)
            recall[gold] = {"expected": want, "n": n, "correct": ok, "recall": round(ok / n, 4)}
    return {"unit": unit, "n": len(pairs), "gold_counts": dict(gold_counts),
            "confusion": confusion(pairs), "per_class_recall": recall,
            "opinion_tag_rate": {g: round(fired[g] / n, 4) for g, n in sorted(gold_counts.items())}}


def _factcheck_lines(s: dict[str, Any]) -> list[str]:
    preds = ("checkable", "opinion", "no_claim")
    corner = "gold \\ predicted"
    lines = [f"{s['unit']}s: {s['n']}",
             f"{corner:16s} " + " ".join(f"{p:>9s}" for p in preds) + "  opinion-tag rate"]
    for gold, row in sorted(s["confusion"].items()):
        lines.append(f"{gold:16s} " + " ".join(f"{row.get(p, 0):9d}" for p in preds)
                     + f"  {s['opinion_tag_rate'][gold]:.3f}")
    for gold, r in s["per_class_recall"].items():
        lines.append(f"recall {gold} -> {r['expected']}: {r['recall']:.3f} ({r['correct']}/{r['n']})")
    return lines


def _binary_lines(s: dict[str, Any], labels: tuple[str, str]) -> list[str]:
    lines = [f"{'label':6s} {'gold':>5s} {'pred':>5s} {'P':>6s} {'R':>6s} {'F1':>6s}"]
    for lab in labels:
        d = s["per_label"][lab]
        lines.append(f"{lab:6s} {d['gold']:5d} {d['pred']:5d} {d['precision']:6.3f} "
                     f"{d['recall']:6.3f} {d['f1']:6.3f}")
    lines.append("confusion (gold -> predicted): " + "; ".join(
        f"{g}: " + ", ".join(f"{p} {n}" for p, n in sorted(row.items()))
        for g, row in sorted(s["confusion"].items())))
    lines.append(f"macro-F1 {s['macro_f1']:.3f}, accuracy {s['accuracy']:.3f}, n={s['n']}")
    return lines

