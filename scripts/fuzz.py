"""Run the whole rules pipeline on generated drafts and report what breaks.

    python scripts/fuzz.py                          # 2,000 drafts, seed 1
    python scripts/fuzz.py --seed 7 --count 20000   # more
    python scripts/fuzz.py --seconds 600            # as many as fit in ten minutes
    python scripts/fuzz.py --no-shared              # only the project's own texts and templates

Every draft is loaded as text, Markdown and HTML (`load.load_text`) and checked
(`pipeline.check_article`, rules engine, no sources). Three kinds of failure are reported:

- `exception`: anything raised but a `VerifierError` (a refusal with a message is a fine answer);
- `slow`: a draft whose time per 1,000 words is far above the median of the run (the ratio is
  printed; a run of characters without spaces counts as a word per six characters): the sign of backtracking or quadratic work; a draft that runs past `--limit` seconds
  is stopped and reported as `stall`;
- `invariant`: a broken contract: every span's `text` is `raw[start:end]`, offsets in bounds and
  ordered, line:column agree with the offsets, the report validates against
  `schema/report.schema.json`, and the JSON and text renderings are produced; in plain text, a
  quote's `speaker_span` holds the words of its `speaker_mention`.

Inputs: the texts of examples/ and eval/gold/, PolNeAR train texts read from ../shared (never
copied; skipped when absent), sentences generated from templates (titles, honorifics, "of"
phrases, possessives, appositives, nested and unbalanced quotes of every kind, Chinese speech verbs
and punctuation, zero-width and bidi characters, NBSP, tabs, CRLF, very long lines and words, empty
paragraphs, markup) and random mutations of all of them (marks and words inserted, deleted,
duplicated; two texts spliced). The same `--seed` gives the same drafts.

For each failure a minimal reproducer is printed: the draft cut down (by paragraphs, lines, words,
then characters) while it still fails the same way. Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import statistics
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from verifier.ingest import load  # noqa: E402
from verifier.model.config import Settings  # noqa: E402
from verifier.model.errors import VerifierError  # noqa: E402
from verifier.model.schema import Article, Report, Span  # noqa: E402
from verifier.render import RenderContext, render  # noqa: E402
from verifier.run import pipeline  # noqa: E402
from verifier.run.pipeline import Result  # noqa: E402

SHARED = ROOT.parent / "shared"
POLNEAR_TRAIN = SHARED / "eval" / "external" / "polnear" / "polnear_train.jsonl"
SCHEMA = json.loads((ROOT / "schema" / "report.schema.json").read_text(encoding="utf-8"))
RULES = Settings(engine="rules")
FORMATS: tuple[load.Format, ...] = ("text", "markdown", "html")

# --------------------------------------------------------------------------- the vocabulary of drafts

HONORIFICS = ["Mr.", "Mrs.", "Ms.", "Dr.", "Prof.", "Sen.", "Rep.", "Gov.", "Gen.", "Lt.", "St.", "Rev.",
              "Mr", "Dr", "Sir", "Dame", "Judge", "President", "Minister", "Chief Justice"]
FIRST = ["Maria", "John", "Ana", "Li", "Wei", "Jean-Luc", "O'Brien", "Mary Ann", "J.", "A. J.", "Zoë",
         "Ingrid", "Kwame", "Ahmed", "Ruiz", "de la", "van der", "Mc", "D’Arcy", "İsmail", "Nguyễn"]
LAST = ["Ruiz", "Smith", "O’Neill", "O'Neill", "Halvorsen", "Okonkwo", "Zhang", "van Dijk", "de la Cruz",
        "Smith-Jones", "MacDonald", "Ruiz's", "Ruiz’s", "Jr.", "III", "Li", "Ng", "St. John", "X"]
TITLES = ["the chief executive", "a spokeswoman", "the minister of finance", "the head of the office of "
          "the mayor of the city", "one of the aides", "one of Mr. Ruiz's aides", "a senior official",
          "the company’s chief executive and co-founder", "the former secretary of state",
          "a professor of economics at the University of Oslo", "an analyst at Kestrel Partners",
          "the president of the board of the bank of the people of the republic",
          "one of the sons of one of the founders", "the aide of the aide of the aide"]
ORGS = ["Halvorsen Labs", "the company", "the Ministry of Finance", "Kestrel Partners", "the White House",
        "Reuters", "the Bank of England", "the United Nations", "AP", "the New York Times", "NASA"]
VERBS = ["said", "says", "told reporters", "added", "wrote", "argued", "claimed", "noted", "asked",
         "has repeatedly said", "had also told", "insisted", "said on Tuesday", "tweeted", "explained"]
CLAIMS = ["the model scored 87.5% on MMLU", "revenue rose 12 percent to $4.2 billion last year",
          "Tern-3 outperforms GPT-4o on every benchmark", "unemployment fell to 3.9% in March",
          "the bill would cost $62 million", "it is the best phone ever made", "we should act now",
          "nobody else in Europe is shipping a model this capable", "crime doubled since 2019",
          "the plan is a disaster", "about a third as much to run", "1,200 people attended"]
ZH_NAMES = ["林晓峰", "张平安", "王伟", "李娜", "欧阳娜娜", "司马光"]
ZH_VERBS = ["说", "表示", "指出", "称", "强调", "透露", "告诉记者", "认为"]
ZH_CLAIMS = ["该模型的性能超过了GPT-4o", "公司去年营收增长了百分之十二", "这是史上最好的手机", "失业率下降到3.9%"]
# pairs of quote marks: every kind a draft may hold
QUOTES = [("“", "”"), ('"', '"'), ("''", "''"), ("``", "''"), ("‘", "’"), ("'", "'"), ("「", "」"),
          ("『", "』"), ("«", "»"), ("„", "“"), ("‹", "›"), ("»", "«"), ("”", "“"), ("’", "‘")]
MARKS = ["“", "”", '"', "''", "‘", "’", "'", "「", "」", "『", "』", "«", "»", "„", "`", "``", "‹", "›"]
ODD = ["  ", "\n", " \n ", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u202e", "\u202d", "\u202c", "\u2066", "\u2069",
       "\u200e", "\u200f", "\u00a0", "\u202f", "\u3000", "\t", "\r\n", "\r", "\u2028", "\u2029", "\x0b",
       "\x0c", "\u0301", "\u00ad", "😀", "\U0001d400", "\x00", "\x1b"]
PUNCT = [".", ",", ":", ";", "!", "?", "…", "...", " – ", " — ", "-", "(", ")", "[", "]", "，", "。", "：",
         "；", "！", "？", "、", "（", "）", "《", "》", "——"]
MARKUP = ["**", "*", "_", "`", "# ", "> ", "- ", "1. ", "[", "](http://x.example)", "<br>", "<p>",
          "</p>", "<em>", "</em>", "<!--", "-->", "&amp;", "&#8220;", "&quot;", "&", "<", ">", "<q>", "</q>",
          "<blockquote>", "</blockquote>", "<script>", "</script>", "<a href=\"x\">", "</a>", "\n---\n"]


def _name(rng: random.Random) -> str:
    parts = []
    if rng.random() < 0.4:
        parts.append(rng.choice(HONORIFICS))
    if rng.random() < 0.7:
        parts.append(rng.choice(FIRST))
    parts.append(rng.choice(LAST))
    return " ".join(parts)


def _speaker(rng: random.Random) -> str:
    """A name, a title, an appositive, a possessive or an 'of' phrase, or a pronoun."""
    kind = rng.randrange(8)
    if kind == 0:
        return f"{_name(rng)}, {rng.choice(TITLES)},"
    if kind == 1:
        return f"{rng.choice(TITLES).capitalize()} {_name(rng)}"
    if kind == 2:
        return f"One of {_name(rng)}'s {rng.choice(['aides', 'lawyers', 'sons', 'advisers'])}"
    if kind == 3:
        return f"{_name(rng)}’s {rng.choice(['spokesman', 'office', 'lawyer'])}"
    if kind == 4:
        return f"{rng.choice(TITLES).capitalize()} of {rng.choice(ORGS)}"
    if kind == 5:
        return rng.choice(["He", "She", "They", "It", "We", "I", "One", "Someone", "Nobody"])
    if kind == 6:
        return rng.choice(ORGS).capitalize()
    return _name(rng)


def _quote(rng: random.Random, words: str) -> str:
    opening, closing = rng.choice(QUOTES)
    if rng.random() < 0.2:  # nested
        inner_open, inner_close = rng.choice(QUOTES)
        half = words.split(" ")
        cut = rng.randrange(len(half) + 1)
        words = " ".join(half[:cut]) + f" {inner_open}{rng.choice(CLAIMS)}{inner_close} " + " ".join(half[cut:])
    if rng.random() < 0.15:  # unbalanced
        return rng.choice([opening + words, words + closing, opening + words + opening])
    return opening + words + closing


def sentence(rng: random.Random, longest: int = 3000) -> str:
    """One generated sentence: an attribution, a claim, a quote, Chinese, or something odd (a run
    of up to `longest` characters)."""
    kind = rng.randrange(12)
    claim = rng.choice(CLAIMS)
    if kind == 0:
        return f"{_speaker(rng)} {rng.choice(VERBS)} {claim}."
    if kind == 1:
        return f"{_quote(rng, claim.capitalize() + ',')} {_speaker(rng)} {rng.choice(VERBS)}."
    if kind == 2:
        return f"{_speaker(rng)} {rng.choice(VERBS)}, {_quote(rng, claim.capitalize() + '.')}"
    if kind == 3:
        return f"{_quote(rng, claim + ',')} {rng.choice(VERBS)} {_speaker(rng)}, {_quote(rng, rng.choice(CLAIMS) + '.')}"
    if kind == 4:
        return f"According to {_speaker(rng)}, {claim}."
    if kind == 5:
        name, verb, zh = rng.choice(ZH_NAMES), rng.choice(ZH_VERBS), rng.choice(ZH_CLAIMS)
        return rng.choice([f"{name}{verb}：“{zh}。”", f"「{zh}，」{name}{verb}。", f"{name}{verb}，{zh}。",
                           f"据{name}{verb}，{zh}。", f"『{zh}』{verb}{name}。", f"{name}{verb}:\"{zh}\""])
    if kind == 6:
        return f"{_name(rng)} ({rng.choice(TITLES)}) {rng.choice(VERBS)}: {_quote(rng, claim)}"
    if kind == 7:
        return f"{claim.capitalize()}, {rng.choice(ORGS)} {rng.choice(VERBS)}."
    if kind == 8:  # a very long word or a long run of marks
        n = max(2, longest // 10)
        return rng.choice(["B" * rng.randint(50, max(50, longest)), rng.choice(MARKS) * rng.randint(2, n + 2),
                           ("“a" * rng.randint(2, n)), "Mr. " * rng.randint(2, n),
                           ("of the " * rng.randint(2, n)) + "mayor said.", "’s " * rng.randint(2, n)])
    if kind == 9:
        return f"{_speaker(rng)} {rng.choice(VERBS)} that {_speaker(rng).lower()} {rng.choice(VERBS)} {claim}."
    if kind == 10:
        return f"{_quote(rng, claim)}"
    return claim.capitalize() + rng.choice([".", "!", "?", "…", ""])


def generated(rng: random.Random, paragraphs_at_most: int = 8, longest: int = 3000) -> str:
    """A draft of generated paragraphs, each of a few sentences, with odd breaks between them."""
    paragraphs = []
    for _ in range(rng.randint(1, paragraphs_at_most)):
        count = rng.randint(1, 5)
        paragraphs.append(" ".join(sentence(rng, longest) for _ in range(count)))
    glue = rng.choice(["\n\n", "\n\n", "\n", "\r\n\r\n", "\n\n\n\n", "\n \n", "\n\t\n", "\u2029"])
    text = glue.join(paragraphs)
    if rng.random() < 0.3:
        text = rng.choice(["Headline: ", "# ", "", "<h1>"]) + rng.choice(CLAIMS) + "\n\n" + text
    if rng.random() < 0.1:
        text = text.replace("\n\n", " ")  # one very long line
    return text


# --------------------------------------------------------------------------- mutations


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    word = ""
    for ch in text:
        if ch.isalnum():
            word += ch
        else:
            if word:
                out.append(word)
                word = ""
            out.append(ch)
    if word:
        out.append(word)
    return out


def mutate(rng: random.Random, text: str, other: str) -> str:
    """Marks and words inserted, deleted or duplicated, or two texts spliced."""
    for _ in range(rng.randint(1, 6)):
        kind = rng.randrange(7)
        if kind == 6 and other:
            cut_a, cut_b = rng.randrange(len(text) + 1), rng.randrange(len(other) + 1)
            text = text[:cut_a] + other[cut_b:]
            continue
        tokens = _tokens(text) or [""]
        at = rng.randrange(len(tokens))
        if kind == 0:
            tokens.insert(at, rng.choice(MARKS))
        elif kind == 1:
            tokens.insert(at, rng.choice(ODD))
        elif kind == 2:
            tokens.insert(at, rng.choice(PUNCT + MARKUP))
        elif kind == 3 and len(tokens) > 1:
            del tokens[at:at + rng.randint(1, 4)]
        elif kind == 4:
            tokens[at:at] = tokens[at:at + rng.randint(1, 6)] * rng.randint(1, 3)
        else:
            tokens.insert(at, rng.choice([rng.choice(FIRST), rng.choice(LAST), rng.choice(HONORIFICS),
                                          rng.choice(VERBS), "of", "'s", "’s", rng.choice(ZH_VERBS)]))
        text = "".join(tokens)
    return text


# --------------------------------------------------------------------------- inputs


def seed_texts(shared: bool, polnear: int) -> list[tuple[str, str]]:
    """(name, text) of the real drafts the generator mutates: the project's, then PolNeAR train."""
    out = []
    paths = sorted(p for p in [*ROOT.glob("examples/*.*"), *ROOT.glob("eval/gold/*/article.*")] if p.is_file())
    for path in paths:
        out.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    if shared and POLNEAR_TRAIN.exists():
        with POLNEAR_TRAIN.open(encoding="utf-8") as lines:
            for i, line in enumerate(lines):
                if i == polnear:
                    break
                out.append((f"polnear_train:{i}", json.loads(line)["text"]))
    return out


def drafts(rng: random.Random, seeds: list[tuple[str, str]]) -> Iterator[tuple[str, str]]:
    """(origin, text) forever: the seeds as they are first, then generated and mutated drafts."""
    yield from seeds
    n = 0
    while True:
        n += 1
        kind = rng.randrange(4)
        if kind == 0:
            yield f"generated:{n}", generated(rng)
        elif kind == 1:
            yield f"mutated-generated:{n}", mutate(rng, generated(rng), generated(rng))
        else:
            name, text = rng.choice(seeds)
            if len(text) > 6000:  # a window of a long article: mutations should be dense
                start = rng.randrange(len(text) - 3000)
                text = text[start:start + rng.randint(500, 6000)]
            other = rng.choice(seeds)[1] if kind == 2 else generated(rng)
            yield f"mutated:{name}:{n}", mutate(rng, text, other[:4000])


# --------------------------------------------------------------------------- the checks


class Stall(BaseException):
    """The draft ran past the time limit (no `Exception`, so no handler in the product catches it)."""


SPAN_KEYS = frozenset(Span.model_fields)


def _spans(value: object, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every span of the draft in a report (a quote's `source_check` points into its source)."""
    if isinstance(value, dict):
        if SPAN_KEYS <= value.keys():
            found.append(value)
        for key, item in value.items():
            if key != "source_check":
                _spans(item, found)
    elif isinstance(value, list):
        for item in value:
            _spans(item, found)
    return found


def _line_starts(raw: str) -> list[int]:
    starts = [0]
    at = raw.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = raw.find("\n", at + 1)
    return starts


def _line_col(starts: list[int], offset: int) -> tuple[int, int]:
    import bisect
    line = bisect.bisect_right(starts, offset)
    return line, offset - starts[line - 1] + 1


@dataclass
class Failure:
    kind: str  # exception, stall, invariant, slow
    key: str  # what makes two failures the same one (the exception's type and place, the invariant)
    detail: str


def check(text: str, fmt: load.Format) -> Failure | None:
    """Load, check and render one draft; the first failure found, or None."""
    try:
        try:
            article = load.load_text(text, fmt=fmt)
            report = pipeline.check_article(article, RULES, source_docs=[])
        except VerifierError:
            return None
        found = report_problem(article, report, fmt)
        if found is not None:
            return found
        for out in ("json", "text"):
            rendered = render(out, [Result(report, article)], RenderContext())
            if out == "json":
                json.loads(rendered)
    except RecursionError as exc:
        return Failure("exception", "RecursionError " + _place(exc), "".join(
            traceback.format_exception_only(exc)).strip()[:300])
    except Exception as exc:  # noqa: BLE001 - every other exception is the finding
        return exception_failure(exc)
    return None


def exception_failure(exc: BaseException) -> Failure:
    """An unexpected exception as a failure keyed by its type and the product frame that raised."""
    return Failure("exception", f"{type(exc).__name__} {_place(exc)}",
                   "".join(traceback.format_exception(exc)[-3:]).strip()[-800:])


def report_problem(article: Article, report: Report, fmt: str) -> Failure | None:
    """The first broken contract of a report on `article`: spans, line:column, speaker spans, the
    JSON schema; None when it keeps them all."""
    raw = article.raw
    data = json.loads(report.model_dump_json())
    starts = _line_starts(raw)
    for span in _spans(data, []):
        where = f"span {span['start']}:{span['end']} {span['text'][:40]!r}"
        if not 0 <= span["start"] <= span["end"] <= len(raw):
            return Failure("invariant", "offsets out of bounds or out of order", where)
        if raw[span["start"]:span["end"]] != span["text"]:
            return Failure("invariant", "span text is not raw[start:end]",
                           f"{where} != {raw[span['start']:span['end']][:40]!r}")
        if (span["line"], span["column"]) != _line_col(starts, span["start"]):
            return Failure("invariant", "line:column of start disagrees with the offset",
                           f"{where} at {span['line']}:{span['column']}, "
                           f"expected {_line_col(starts, span['start'])}")
        if (span["end_line"], span["end_column"]) != _line_col(starts, span["end"]):
            return Failure("invariant", "line:column of end disagrees with the offset",
                           f"{where} ends at {span['end_line']}:{span['end_column']}, "
                           f"expected {_line_col(starts, span['end'])}")
    if fmt == "text":  # in markup the raw span may hold tags the mention has not
        for quote in data["quotes"]:
            mention, span = quote.get("speaker_mention"), quote.get("speaker_span")
            if mention and span and span["text"].split() != mention.split():
                return Failure("invariant", "speaker_span is not where the speaker_mention is written",
                               f"mention {mention[:40]!r}, span {span['text'][:40]!r}")
    errors = sorted(jsonschema.Draft202012Validator(SCHEMA).iter_errors(data), key=str)
    if errors:
        first = errors[0]
        return Failure("invariant", f"schema: {'/'.join(map(str, first.absolute_path))}: {first.validator}",
                       first.message[:200])
    return None


def _place(exc: BaseException) -> str:
    """The innermost frame of the product that raised: file:function."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "/verifier/" in f.filename]
    if not frames:
        return "?"
    frame = frames[-1]
    return f"{frame.filename.split('/verifier/')[-1]}:{frame.name}"


def timed(text: str, fmt: load.Format, limit: float) -> tuple[Failure | None, float]:
    """`check` under a time limit (SIGALRM); the failure and the seconds of load and check."""
    def ring(signum: int, frame: object) -> None:
        raise Stall()

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, limit)
    started = time.perf_counter()
    try:
        failure = check(text, fmt)
    except Stall:
        failure = Failure("stall", "ran past the time limit", f"stopped after {limit:.0f} s")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    return failure, time.perf_counter() - started


# --------------------------------------------------------------------------- reduction


def _pieces(text: str, level: int) -> list[str]:
    if level == 0:
        return [p for p in text.split("\n\n")]
    if level == 1:
        return text.split("\n")
    if level == 2:
        return _tokens(text)
    return list(text)


_JOIN = ["\n\n", "\n", "", ""]


def reduce(text: str, fails: Callable[[str], bool], budget: int = 400) -> str:
    """The text cut down, a chunk at a time (paragraphs, lines, words, characters), while it still
    fails: a small-step delta debugging with a budget of checks."""
    tries = 0
    for level in range(4):
        pieces = _pieces(text, level)
        chunk = max(1, len(pieces) // 2)
        while chunk >= 1 and tries < budget:
            i = 0
            changed = False
            while i < len(pieces) and tries < budget:
                candidate = pieces[:i] + pieces[i + chunk:]
                joined = _JOIN[level].join(candidate)
                tries += 1
                if candidate and joined.strip() and fails(joined):
                    pieces, text, changed = candidate, joined, True
                else:
                    i += chunk
            if not changed:
                chunk //= 2
    return text


# --------------------------------------------------------------------------- the run


@dataclass
class Finding:
    failure: Failure
    fmt: str
    origin: str
    text: str
    count: int = 1
    ratio: float = 0.0
    reproducer: str = ""


@dataclass
class Run:
    drafts: int = 0
    checks: int = 0
    seconds: float = 0.0
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    rates: list[tuple[float, str, str, str, float, int]] = field(default_factory=list)


def words(text: str) -> int:
    """Words, counting a long run without spaces as one word per six characters (a 3,000-letter
    word is work for 500 words: else every long word would look slow)."""
    return max(1, len(text.split()), len(text) // 6)


def run(args: argparse.Namespace) -> Run:
    rng = random.Random(args.seed)
    seeds = seed_texts(not args.no_shared, args.polnear)
    result = Run()
    started = time.perf_counter()
    for origin, text in drafts(rng, seeds):
        if result.drafts >= args.count or (args.seconds and time.perf_counter() - started > args.seconds):
            break
        result.drafts += 1
        for fmt in FORMATS:
            failure, seconds = timed(text, fmt, args.limit)
            result.checks += 1
            if failure is None:
                if len(text) >= 200:  # below this, fixed costs swamp the time per word
                    result.rates.append((seconds / words(text) * 1000, origin, fmt, text, seconds, words(text)))
                continue
            key = (failure.kind, failure.key)
            if key in result.findings:
                result.findings[key].count += 1
            else:
                result.findings[key] = Finding(failure, fmt, origin, text)
                print(f"[{failure.kind}] {failure.key} ({fmt}, {origin})", file=sys.stderr, flush=True)
        if args.progress and result.drafts % args.progress == 0:
            print(f"{result.drafts} drafts, {time.perf_counter() - started:.0f} s, "
                  f"{len(result.findings)} findings", file=sys.stderr, flush=True)
    result.seconds = time.perf_counter() - started
    _slow(result, args)
    return result


def _slow(result: Run, args: argparse.Namespace) -> None:
    """Drafts whose time per 1,000 words is above `--slow` times the median, timed again."""
    if len(result.rates) < 20:
        return
    median = statistics.median(rate for rate, *_ in result.rates)
    for rate, origin, fmt, text, seconds, _n in sorted(result.rates, reverse=True)[:20]:
        if rate < args.slow * median or seconds < 0.05:
            break
        again = min(timed(text, fmt, args.limit)[1] for _ in range(2)) / words(text) * 1000  # not a hiccup
        if again < args.slow * median:
            continue
        ratio = again / median
        failure = Failure("slow", f"{fmt}:{origin}", f"{again * 1000:.1f} ms per 1,000 words, "
                          f"{ratio:.0f}x the median {median * 1000:.2f} ms ({words(text)} words)")
        result.findings[("slow", failure.key)] = Finding(failure, fmt, origin, text, ratio=ratio)


def reproduce(finding: Finding, args: argparse.Namespace) -> str:
    fmt: load.Format = finding.fmt  # type: ignore[assignment]
    if finding.failure.kind == "slow":
        return finding.text  # time is not reduced: a smaller draft is a faster one
    want = (finding.failure.kind, finding.failure.key)

    def fails(text: str) -> bool:
        failure, _ = timed(text, fmt, args.limit)
        return failure is not None and (failure.kind, failure.key) == want

    return reduce(finding.text, fails, budget=args.budget)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--count", type=int, default=2000, help="drafts to run (each in three formats)")
    parser.add_argument("--seconds", type=float, default=0.0, help="stop after this long (0: no limit)")
    parser.add_argument("--limit", type=float, default=30.0, help="seconds a draft may run before it is a stall")
    parser.add_argument("--slow", type=float, default=20.0, help="a draft this many times the median per word is slow")
    parser.add_argument("--polnear", type=int, default=200, help="PolNeAR train texts to read from ../shared")
    parser.add_argument("--no-shared", action="store_true", help="read nothing from ../shared")
    parser.add_argument("--budget", type=int, default=400, help="checks spent on each reproducer")
    parser.add_argument("--progress", type=int, default=500, help="say how far it got every N drafts (0: never)")
    parser.add_argument("--save", type=Path, help="a folder to write each failing draft and reproducer to")
    args = parser.parse_args(argv)
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    result = run(args)
    print(f"{result.drafts} drafts, {result.checks} checks (text, markdown, html), {result.seconds:.0f} s, "
          f"seed {args.seed}")
    by_kind: dict[str, int] = {}
    for finding in result.findings.values():
        by_kind[finding.failure.kind] = by_kind.get(finding.failure.kind, 0) + 1
    print("findings: " + (", ".join(f"{n} {kind}" for kind, n in sorted(by_kind.items())) or "none"))
    for i, finding in enumerate(result.findings.values(), 1):
        finding.reproducer = reproduce(finding, args)
        f = finding.failure
        print(f"\n#{i} {f.kind}: {f.key} ({finding.count} checks; first {finding.fmt}, {finding.origin})")
        print("   " + f.detail.replace("\n", "\n   "))
        shown = finding.reproducer if len(finding.reproducer) <= 600 else finding.reproducer[:600] + " ..."
        print(f"   reproducer ({len(finding.reproducer)} chars): load.load_text({shown!r}, fmt={finding.fmt!r})")
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{i:03d}-{f.kind}.txt").write_text(finding.reproducer, encoding="utf-8")
            (args.save / f"{i:03d}-{f.kind}-full.txt").write_text(finding.text, encoding="utf-8")
    return 1 if result.findings else 0


if __name__ == "__main__":
    raise SystemExit(main())
