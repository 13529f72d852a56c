"""Benchmark: checking 50 quotes against 1, 2 and 4 MB of speaker-labelled transcripts.

    .venv/bin/python scripts/bench_sources.py [--sizes 1,2,4] [--quotes 50] [--repeat 3]

The transcripts are synthetic (seeded, Zipf-distributed words, so common words have long posting
lists as in real speech). The quotes are cut from them: verbatim ones, ones with a word swapped,
a word dropped, an ellipsis, and ones that are in no source. Prints, per size, the time to read and
parse the files, to build the word index, and to check the quotes (best of --repeat), plus the
statuses found, so a regression in either speed or matching shows.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from verifier.ingest import sources
from verifier.model.schema import Article, Quote, SourceCheck
from verifier.stages import sourcecheck

FUNCTION_WORDS = ("the of and to a in that is we it for on was with as be this are have our not "
                  "but at by they from you will can an or all would there their what so up out "
                  "if about who which when more one do no very just than also").split()
SPEAKERS = ["MARTA OLSEN (Kestrel Dynamics)", "RAFAEL IBARRA", "LENA VOSS (Nordbank)",
            "MODERATOR", "TOMAS BRANDT", "DANA WHITFIELD (Lumen Harbor)"]


def vocabulary(rng: random.Random, size: int = 6000) -> tuple[list[str], list[float]]:
    syllables = ["ka", "lo", "mer", "tin", "va", "sol", "re", "dun", "pi", "sha", "gor", "el",
                 "bra", "wen", "tor", "mi", "zan", "qui", "fel", "ost"]
    words = list(FUNCTION_WORDS)
    while len(words) < size:
        words.append("".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))))
    weights = [1.0 / (rank + 1) for rank in range(len(words))]  # Zipf
    return words, weights


def transcript(rng: random.Random, target_chars: int) -> str:
    words, weights = vocabulary(rng)
    out: list[str] = []
    total = 0
    while total < target_chars:
        sentences = []
        for _ in range(rng.randint(1, 6)):
            sentence = rng.choices(words, weights, k=rng.randint(6, 24))
            sentences.append(" ".join(sentence).capitalize() + ".")
        lines = " ".join(sentences)
        turn = f"{rng.choice(SPEAKERS)}: {lines}\n\n"
        out.append(turn)
        total += len(turn)
    return "".join(out)


def make_quotes(rng: random.Random, text: str, count: int) -> tuple[Article, list[Quote]]:
    """`count` quotes cut from `text`, credited to the turn's speaker: a fifth left as they are
    said, a fifth each with a word swapped, a word dropped, an ellipsis, and made up."""
    body = text.split("\n\n")
    draft_parts: list[str] = []
    speakers: list[str] = []
    for i in range(count):
        turn = rng.choice([t for t in body[:-1] if len(t.split()) > 20])
        label, rest = turn.split(": ", 1)
        speakers.append(label.split(" (")[0].title())
        said = rest.split()
        start = rng.randrange(0, len(said) - 14)
        words = said[start:start + rng.randint(8, 14)]
        kind = i % 5
        if kind == 1:  # a word swapped
            words[len(words) // 2] = "splendid"
        elif kind == 2:  # a word dropped
            del words[len(words) // 2]
        elif kind == 3:  # an ellipsis over four words
            words = said[start:start + 5] + ["..."] + said[start + 9:start + 14]
        elif kind == 4:  # not in the source
            words = ["entirely", "invented", "remarks", "about", "harbour", "tariffs", "nobody",
                     "made", f"number{i}"]
        draft_parts.append("“" + " ".join(words).strip(".") + ",” the official said.")
    draft = "\n\n".join(draft_parts)
    article = Article(path="draft.txt", raw=draft, text=draft)
    quotes = []
    pos = 0
    for i, part in enumerate(draft_parts):
        start = draft.index(part, pos) + 1
        end = start + part.index("”") - 1
        pos = end
        span = article.span(start, end)
        quotes.append(Quote(id=f"Q{i + 1}", text=draft[start:end], span=span, kind="direct",
                            speaker=speakers[i], speaker_span=None, cue=None, parts=[span]))
    return article, quotes


def bench(size_mb: float, count: int, repeat: int, tmp: Path) -> None:
    rng = random.Random(1000 + int(size_mb * 10))
    per_file = int(size_mb * 1_000_000 / 4)
    paths = []
    for n in range(4):  # four transcripts make up the size
        path = tmp / f"transcript-{size_mb}-{n}.txt"
        path.write_text(transcript(rng, per_file), encoding="utf-8")
        paths.append(str(path))
    article, quotes = make_quotes(rng, Path(paths[0]).read_text(encoding="utf-8"), count)
    chars = sum(len(Path(p).read_text(encoding="utf-8")) for p in paths)

    sources._CACHE.clear()
    sourcecheck._INDEX_CACHE.clear()
    t0 = time.perf_counter()
    docs = [sources.load_source(p) for p in paths]
    t1 = time.perf_counter()
    index = sourcecheck.index_for(docs)
    t2 = time.perf_counter()
    best = float("inf")
    for _ in range(repeat):
        for q in quotes:
            q.source_check = SourceCheck.model_validate({})
        s = time.perf_counter()
        sourcecheck.check_quotes(article, quotes, docs)
        best = min(best, time.perf_counter() - s)
    statuses = Counter(q.source_check.status for q in quotes)
    total = (t1 - t0) + (t2 - t1) + best
    print(f"{chars / 1e6:5.2f} MB  {len(index.ids):8,d} words  read+parse {t1 - t0:6.3f} s  "
          f"index {t2 - t1:6.3f} s  {count} quotes {best:6.3f} s  total {total:6.3f} s  "
          f"{dict(sorted(statuses.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1,2,4", help="source sizes in MB, comma-separated")
    parser.add_argument("--quotes", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes.split(","):
            bench(float(size), args.quotes, args.repeat, Path(tmp))


if __name__ == "__main__":
    main()
