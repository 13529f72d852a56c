"""The evaluation harness: run the pipeline over gold cases and measure it.

A gold directory holds one folder per case::

    DIR/<case>/article.(txt|md|html)
    DIR/<case>/sources/*            (optional: source material for the quote check)
    DIR/<case>/gold.json

gold.json::

    {"id", "article", "language", "sources": [paths relative to the case],
     "quotes": [{"text", "parts"?: [..], "speaker", "speaker_aliases": [..],
                 "kind": "direct"|"partial", "source_status"}],
     "claims": [{"evidence": exact substring, "occurrence"?: n, "claim", "tags": [..], "source"}],
     "boilerplate": [exact substrings],
     "findings"?: [{"rule", "evidence"}]}

Every `text`, `part`, `evidence` and boilerplate string must occur in the article file exactly as
written (the `occurrence`-th time, default the first); a quote split by its attribution or running
over several paragraphs lists its stretches in `parts`.

Metrics (all computed on offsets into the article file, as the report contract gives them):

- quotes: a predicted quote matches a gold quote when the characters they share are at least
  `threshold` (0.5) of the shorter one; matching is one-to-one, greedy by that ratio. Precision,
  recall and F1 count matches. Speaker accuracy: matched quotes whose predicted speaker equals the
  gold name or an alias (case, whitespace and apostrophe style ignored). Kind accuracy: matched
  quotes whose predicted kind (direct or partial) is the gold kind. Source-status accuracy:
  matched quotes in cases that have sources, predicted status == gold status.
- claims: a gold claim is covered when some predicted claim overlaps its evidence by the same ratio
  (not one-to-one: one predicted sentence may cover two gold clauses). Tags are scored per tag on
  covered claims against the best-overlapping prediction.
- boilerplate leaks: predicted claims that overlap a gold boilerplate string.
- expected findings: gold findings for which a finding with that rule overlaps the evidence.
- usage: LLM calls, tokens and seconds per article, from each report's `usage`.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from verifier.model.config import Settings
from verifier.model.errors import InputError
from verifier.model.schema import Tag

TAGS: tuple[str, ...] = tuple(t.value for t in Tag)
DEFAULT_THRESHOLD = 0.5

Span = tuple[int, int]


# --------------------------------------------------------------------------- gold cases


@dataclass(slots=True)
class GoldQuote:
    text: str
    spans: list[Span]  # one per quoted stretch, marks excluded
    speaker: str | None
    aliases: list[str]
    kind: str
    source_status: str | None


@dataclass(slots=True)
class GoldClaim:
    evidence: str
    span: Span
    claim: str
    tags: list[str]
    source: str | None


@dataclass(slots=True)
class GoldFinding:
    rule: str
    span: Span


@dataclass(slots=True)
class GoldCase:
    id: str
    directory: Path
    article: Path
    language: str
    sources: list[Path]
    raw: str
    quotes: list[GoldQuote]
    claims: list[GoldClaim]
    boilerplate: list[Span]
    findings: list[GoldFinding]


def load_gold(directory: str | Path) -> list[GoldCase]:
    """Every case under `directory`, in name order; a bad case raises `InputError` naming it."""
    root = Path(directory)
    if not root.is_dir():
        raise InputError("no such gold directory", path=str(root))
    cases = [load_case(p) for p in sorted(root.iterdir()) if (p / "gold.json").is_file()]
    if not cases:
        raise InputError("no gold cases (folders holding a gold.json)", path=str(root))
    return cases


def load_case(folder: Path) -> GoldCase:
    """One case folder: its gold.json, article and sources, every gold string located."""
    gold_path = folder / "gold.json"
    try:
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read gold file: {exc}", path=str(gold_path)) from exc
    article = folder / gold.get("article", "")
    if not gold.get("article") or not article.is_file():
        raise InputError(f"article {gold.get('article')!r} not found", path=str(gold_path))
    raw = _read_raw(article)
    sources = [folder / s for s in gold.get("sources", [])]
    for src in sources:
        if not src.is_file():
            raise InputError(f"source {src} not found", path=str(gold_path))
    where = str(gold_path)
    return GoldCase(
        id=gold.get("id", folder.name), directory=folder, article=article,
        language=gold.get("language", "en"), sources=sources, raw=raw,
        quotes=[_gold_quote(raw, q, where) for q in gold.get("quotes", [])],
        claims=[_gold_claim(raw, c, where) for c in gold.get("claims", [])],
        boilerplate=[locate(raw, b, 1, where) for b in gold.get("boilerplate", [])],
        findings=[GoldFinding(f["rule"], locate(raw, f["evidence"], f.get("occurrence", 1), where))
                  for f in gold.get("findings", [])],
    )


def _read_raw(path: Path) -> str:
    # newline="" keeps \r\n as written: report offsets index the file's own characters
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return fh.read()


def locate(raw: str, needle: str, occurrence: int = 1, where: str = "") -> Span:
    """Offsets of the `occurrence`-th exact occurrence of `needle` in `raw`."""
    pos = -1
    for _ in range(max(occurrence, 1)):
        pos = raw.find(needle, pos + 1)
        if pos < 0:
            raise InputError(f"gold text not in the article (occurrence {occurrence}): {needle!r}",
                             path=where or None)
    return pos, pos + len(needle)


def _gold_quote(raw: str, q: dict[str, Any], where: str) -> GoldQuote:
    parts = q.get("parts") or [q["text"]]
    spans: list[Span] = []
    pos = locate(raw, parts[0], q.get("occurrence", 1), where)[0]
    for part in parts:  # later parts are searched after the earlier ones
        start = raw.find(part, pos)
        if start < 0:
            raise InputError(f"quote part not in the article: {part!r}", path=where)
        spans.append((start, start + len(part)))
        pos = start + len(part)
    return GoldQuote(text=q["text"], spans=spans, speaker=q.get("speaker"),
                     aliases=list(q.get("speaker_aliases", [])), kind=q.get("kind", "direct"),
                     source_status=q.get("source_status"))


def _gold_claim(raw: str, c: dict[str, Any], where: str) -> GoldClaim:
    tags = list(c.get("tags", []))
    unknown = [t for t in tags if t not in TAGS]
    if unknown:
        raise InputError(f"unknown tags {unknown} (known: {', '.join(TAGS)})", path=where)
    span = locate(raw, c["evidence"], c.get("occurrence", 1), where)
    return GoldClaim(evidence=c["evidence"], span=span, claim=c.get("claim", ""), tags=tags,
                     source=c.get("source"))


# --------------------------------------------------------------------------- matching


def overlap(a: Sequence[Span], b: Sequence[Span]) -> tuple[float, int]:
    """(shared chars / chars of the shorter side, shared chars) of two span lists."""
    ca, cb = _chars(a), _chars(b)
    if not ca or not cb:
        return 0.0, 0
    shared = len(ca & cb)
    return shared / min(len(ca), len(cb)), shared


def _chars(spans: Sequence[Span]) -> set[int]:
    out: set[int] = set()
    for s, e in spans:
        out.update(range(s, e))
    return out


def greedy_match(gold: Sequence[Sequence[Span]], pred: Sequence[Sequence[Span]],
                 threshold: float = DEFAULT_THRESHOLD) -> list[tuple[int, int]]:
    """One-to-one (gold index, pred index) pairs, best ratio first, ties by shared chars."""
    cands = []
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            ratio, shared = overlap(g, p)
            if shared and ratio >= threshold:
                cands.append((-ratio, -shared, gi, pi))
    cands.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, _, gi, pi in cands:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return sorted(pairs)


def best_cover(gold: Sequence[Span], pred: Sequence[Sequence[Span]],
               threshold: float = DEFAULT_THRESHOLD) -> int | None:
    """Index of the prediction overlapping `gold` most (ratio, then shared chars), if any qualifies."""
    best: tuple[float, int, int] | None = None
    for pi, p in enumerate(pred):
        ratio, shared = overlap(gold, p)
        if shared and ratio >= threshold and (best is None or (ratio, shared) > best[:2]):
            best = (ratio, shared, pi)
    return best[2] if best else None


_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def same_name(predicted: str | None, names: Iterable[str | None]) -> bool:
    """True when `predicted` equals one of `names` up to case, spacing and apostrophe style."""
    def norm(s: str) -> str:
        return " ".join(s.translate(_APOSTROPHES).casefold().split())

    wanted = [n for n in names if n]
    if predicted is None:
        return not wanted
    return any(norm(predicted) == norm(n) for n in wanted)


# --------------------------------------------------------------------------- scoring one case


@dataclass(slots=True)
class TagCount:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: TagCount) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn


@dataclass(slots=True)
class CaseScore:
    """Counts for one case; `aggregate` sums them and derives the rates."""

    id: str
    gold_quotes: int = 0
    pred_quotes: int = 0
    matched_quotes: int = 0
    speaker_correct: int = 0
    kind_correct: int = 0
    status_scored: int = 0
    status_correct: int = 0
    gold_claims: int = 0
    pred_claims: int = 0
    covered_claims: int = 0
    tagsets_exact: int = 0
    tags: dict[str, TagCount] = field(default_factory=lambda: {t: TagCount() for t in TAGS})
    boilerplate_leaks: int = 0
    findings_expected: int = 0
    findings_found: int = 0
    llm_calls: int = 0
    tokens: int = 0
    seconds: float = 0.0
    error: str | None = None
    errors: list[str] = field(default_factory=list)  # what went wrong, case by case, for a reader


def _spans_of(item: dict[str, Any]) -> list[Span]:
    parts = item.get("parts") or []
    if parts:
        return [(int(p["start"]), int(p["end"])) for p in parts]
    sp = item.get("span") or {}
    if sp.get("start") is None or sp.get("end") is None:
        return []
    return [(int(sp["start"]), int(sp["end"]))]


def score_case(case: GoldCase, report: dict[str, Any],
               threshold: float = DEFAULT_THRESHOLD) -> CaseScore:
    """Compare one report (the contract's JSON as a dict) with its gold case."""
    score = CaseScore(id=case.id, error=(report.get("error") or {}).get("message"))
    _score_quotes(case, report.get("quotes") or [], score, threshold)
    _score_claims(case, report.get("claims") or [], score, threshold)
    _score_findings(case, report.get("findings") or [], score)
    usage = report.get("usage") or {}
    score.llm_calls = int(usage.get("llm_calls") or 0)
    score.tokens = int(usage.get("prompt_tokens") or 0) + int(usage.get("completion_tokens") or 0)
    score.seconds = float(usage.get("seconds") or 0.0)
    return score


def _score_quotes(case: GoldCase, quotes: list[dict[str, Any]], score: CaseScore,
                  threshold: float) -> None:
    pred = [_spans_of(q) for q in quotes]
    pairs = greedy_match([g.spans for g in case.quotes], pred, threshold)
    score.gold_quotes, score.pred_quotes, score.matched_quotes = len(case.quotes), len(pred), len(pairs)
    matched_g = {gi for gi, _ in pairs}
    matched_p = {pi for _, pi in pairs}
    for gi, pi in pairs:
        g, p = case.quotes[gi], quotes[pi]
        if same_name(p.get("speaker"), [g.speaker, *g.aliases]):
            score.speaker_correct += 1
        else:
            score.errors.append(f"speaker: {g.text[:50]!r} gold={g.speaker!r} pred={p.get('speaker')!r}")
        if p.get("kind") == g.kind:
            score.kind_correct += 1
        else:
            score.errors.append(f"kind: {g.text[:50]!r} gold={g.kind} pred={p.get('kind')}")
        if case.sources and g.source_status:
            score.status_scored += 1
            got = (p.get("source_check") or {}).get("status")
            if got == g.source_status:
                score.status_correct += 1
            else:
                score.errors.append(f"status: {g.text[:50]!r} gold={g.source_status} pred={got}")
    score.errors += [f"quote missed: {g.text[:60]!r}" for i, g in enumerate(case.quotes)
                     if i not in matched_g]
    score.errors += [f"quote extra: {q.get('text', '')[:60]!r}" for i, q in enumerate(quotes)
                     if i not in matched_p]


def _score_claims(case: GoldCase, claims: list[dict[str, Any]], score: CaseScore,
                  threshold: float) -> None:
    pred = [_spans_of(c) for c in claims]
    score.gold_claims, score.pred_claims = len(case.claims), len(pred)
    for g in case.claims:
        pi = best_cover([g.span], pred, threshold)
        if pi is None:
            score.errors.append(f"claim missed: {g.evidence[:60]!r}")
            continue
        score.covered_claims += 1
        got = {str(t) for t in claims[pi].get("tags") or []}
        want = set(g.tags)
        score.tagsets_exact += got == want
        for tag in TAGS:
            tc = score.tags[tag]
            tc.tp += tag in got and tag in want
            tc.fp += tag in got and tag not in want
            tc.fn += tag not in got and tag in want
        if got != want:
            score.errors.append(f"tags: {g.evidence[:50]!r} gold={sorted(want)} pred={sorted(got)}")
    for c, spans in zip(claims, pred, strict=True):
        if any(overlap(spans, [b])[1] for b in case.boilerplate):
            score.boilerplate_leaks += 1
            score.errors.append(f"boilerplate leak: {c.get('text', '')[:60]!r}")


def _score_findings(case: GoldCase, findings: list[dict[str, Any]], score: CaseScore) -> None:
    score.findings_expected = len(case.findings)
    for g in case.findings:
        hit = any(f.get("rule") == g.rule and overlap([g.span], _spans_of(f))[1] for f in findings)
        score.findings_found += hit
        if not hit:
            score.errors.append(f"finding missing: {g.rule} at {case.raw[g.span[0]:g.span[1]][:40]!r}")


# --------------------------------------------------------------------------- aggregation


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    """Precision, recall, F1 (0.0 where undefined)."""
    p = tp / npred if npred else 0.0
    r = tp / ngold if ngold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def _rate(num: int | float, den: int | float) -> float:
    return num / den if den else 0.0


def aggregate(scores: Sequence[CaseScore]) -> dict[str, Any]:
    """Totals and rates over all cases (the `totals` object of the JSON output)."""
    total = CaseScore(id="TOTAL")
    for s in scores:
        for name in ("gold_quotes", "pred_quotes", "matched_quotes", "speaker_correct",
                     "kind_correct", "status_scored", "status_correct", "gold_claims", "pred_claims",
                     "covered_claims", "tagsets_exact", "boilerplate_leaks",
                     "findings_expected", "findings_found", "llm_calls", "tokens"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
        total.seconds += s.seconds
        for tag in TAGS:
            total.tags[tag].add(s.tags[tag])
    n = len(scores)
    qp, qr, qf = prf(total.matched_quotes, total.pred_quotes, total.gold_quotes)
    tags = {}
    for tag, tc in total.tags.items():
        p, r, f = prf(tc.tp, tc.tp + tc.fp, tc.tp + tc.fn)
        tags[tag] = {"tp": tc.tp, "fp": tc.fp, "fn": tc.fn, "precision": _r(p), "recall": _r(r),
                     "f1": _r(f)}
    return {
        "articles": n,
        "failed": sum(1 for s in scores if s.error),
        "quotes": {"gold": total.gold_quotes, "pred": total.pred_quotes,
                   "matched": total.matched_quotes, "precision": _r(qp), "recall": _r(qr),
                   "f1": _r(qf)},
        "speaker": {"correct": total.speaker_correct, "scored": total.matched_quotes,
                    "accuracy": _r(_rate(total.speaker_correct, total.matched_quotes))},
        "kind": {"correct": total.kind_correct, "scored": total.matched_quotes,
                 "accuracy": _r(_rate(total.kind_correct, total.matched_quotes))},
        "source_status": {"correct": total.status_correct, "scored": total.status_scored,
                          "accuracy": _r(_rate(total.status_correct, total.status_scored))},
        "claims": {"gold": total.gold_claims, "pred": total.pred_claims,
                   "covered": total.covered_claims,
                   "coverage": _r(_rate(total.covered_claims, total.gold_claims)),
                   "tagset_exact": _r(_rate(total.tagsets_exact, total.covered_claims))},
        "tags": tags,
        "boilerplate_leaks": total.boilerplate_leaks,
        "findings": {"expected": total.findings_expected, "found": total.findings_found,
                     "recall": _r(_rate(total.findings_found, total.findings_expected))},
        "usage_per_article": {"llm_calls": _r(_rate(total.llm_calls, n)),
                              "tokens": _r(_rate(total.tokens, n)),
                              "seconds": _r(_rate(total.seconds, n))},
    }


def _r(x: float) -> float:
    return round(x, 4)


# --------------------------------------------------------------------------- running


@dataclass(slots=True)
class EvalRun:
    """The outcome of `run_gold`: per-case scores, totals, and the engine that ran."""

    gold_dir: str
    engine: dict[str, Any]
    scores: list[CaseScore]
    totals: dict[str, Any]
    wall_seconds: float

    def to_json(self) -> dict[str, Any]:
        cases = []
        for s in self.scores:
            d = asdict(s)
            d["tags"] = {t: asdict(c) for t, c in s.tags.items()}
            cases.append(d)
        return {"kind": "gold", "gold_dir": self.gold_dir, "engine": self.engine,
                "wall_seconds": round(self.wall_seconds, 3), "totals": self.totals,
                "cases": cases}


def run_gold(directory: str | Path, settings: Settings,
             threshold: float = DEFAULT_THRESHOLD) -> EvalRun:
    """Check every gold case with the pipeline and score the reports."""
    from verifier.run import pipeline

    cases = load_gold(directory)
    started = time.perf_counter()
    scores: list[CaseScore] = []
    engine: dict[str, Any] = {}
    for case in cases:
        case_settings = settings.model_copy(update={"sources": [str(p) for p in case.sources]})
        results = pipeline.check_paths([str(case.article)], case_settings)
        report = results[0].report.model_dump(mode="json")
        engine = report.get("engine") or engine
        scores.append(score_case(case, report, threshold))
    return EvalRun(gold_dir=str(directory), engine=engine, scores=scores,
                   totals=aggregate(scores), wall_seconds=time.perf_counter() - started)


# --------------------------------------------------------------------------- text output


def format_gold_table(run: EvalRun, verbose: bool = False) -> str:
    """The terminal table: one row per case, a TOTAL row, then tags, findings and usage."""
    head = (f"{'case':24s} {'quotes g/p/m':>12s} {'P':>5s} {'R':>5s} {'F1':>5s} {'spk':>5s} "
            f"{'status':>6s} {'claims g/cov':>12s} {'cov':>5s} {'tags=':>5s} {'leak':>4s} {'find':>5s}")
    lines = [f"gold set {run.gold_dir}: {len(run.scores)} articles, engine "
             f"{run.engine.get('extractor', '?')}"
             + (f" ({run.engine.get('model')})" if run.engine.get("model") else ""), head]
    for s in run.scores:
        lines.append(_row(s))
        if s.error:
            lines.append(f"  ! failed: {s.error}")
        if verbose:
            lines += [f"    {e}" for e in s.errors]
    t = run.totals
    lines.append(_row_totals(t))
    lines.append("")
    lines.append(f"{'tag':22s} {'tp':>4s} {'fp':>4s} {'fn':>4s} {'P':>5s} {'R':>5s} {'F1':>5s}")
    for tag, d in t["tags"].items():
        lines.append(f"{tag:22s} {d['tp']:4d} {d['fp']:4d} {d['fn']:4d} {d['precision']:5.2f} "
                     f"{d['recall']:5.2f} {d['f1']:5.2f}")
    u = t["usage_per_article"]
    lines += [
        "",
        f"quotes P={t['quotes']['precision']:.3f} R={t['quotes']['recall']:.3f} "
        f"F1={t['quotes']['f1']:.3f}; speaker accuracy {t['speaker']['accuracy']:.3f} "
        f"({t['speaker']['correct']}/{t['speaker']['scored']}); kind accuracy "
        f"{t['kind']['accuracy']:.3f}; source status accuracy "
        f"{t['source_status']['accuracy']:.3f} ({t['source_status']['correct']}/"
        f"{t['source_status']['scored']})",
        f"claims: coverage {t['claims']['coverage']:.3f} ({t['claims']['covered']}/"
        f"{t['claims']['gold']}), exact tag sets {t['claims']['tagset_exact']:.3f}, "
        f"{t['claims']['pred']} predicted; boilerplate leaks {t['boilerplate_leaks']}; "
        f"expected findings {t['findings']['found']}/{t['findings']['expected']}",
        f"per article: {u['llm_calls']:.2f} LLM calls, {u['tokens']:.0f} tokens, "
        f"{u['seconds']:.3f} s; wall {run.wall_seconds:.2f} s; failed {t['failed']}",
    ]
    return "\n".join(lines) + "\n"


def _row(s: CaseScore) -> str:
    p, r, f = prf(s.matched_quotes, s.pred_quotes, s.gold_quotes)
    spk = _rate(s.speaker_correct, s.matched_quotes)
    st = f"{s.status_correct}/{s.status_scored}" if s.status_scored else "-"
    cov = _rate(s.covered_claims, s.gold_claims)
    exact = _rate(s.tagsets_exact, s.covered_claims)
    find = f"{s.findings_found}/{s.findings_expected}" if s.findings_expected else "-"
    qs = f"{s.gold_quotes}/{s.pred_quotes}/{s.matched_quotes}"
    cs = f"{s.gold_claims}/{s.covered_claims}"
    return (f"{s.id[:24]:24s} {qs:>12s} {p:5.2f} {r:5.2f} {f:5.2f} {spk:5.2f} {st:>6s} "
            f"{cs:>12s} {cov:5.2f} {exact:5.2f} {s.boilerplate_leaks:4d} {find:>5s}")


def _row_totals(t: dict[str, Any]) -> str:
    q, c = t["quotes"], t["claims"]
    qs = f"{q['gold']}/{q['pred']}/{q['matched']}"
    cs = f"{c['gold']}/{c['covered']}"
    st = f"{t['source_status']['correct']}/{t['source_status']['scored']}"
    find = f"{t['findings']['found']}/{t['findings']['expected']}"
    return (f"{'TOTAL':24s} {qs:>12s} {q['precision']:5.2f} {q['recall']:5.2f} {q['f1']:5.2f} "
            f"{t['speaker']['accuracy']:5.2f} {st:>6s} {cs:>12s} {c['coverage']:5.2f} "
            f"{c['tagset_exact']:5.2f} {t['boilerplate_leaks']:4d} {find:>5s}")

