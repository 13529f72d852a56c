"""Convert two permissively licensed sentiment lexicons into verifier/data/subjectivity_lexicon.json.

Sources (wheels from PyPI, not runtime dependencies: `pip download --no-deps textblob
vaderSentiment -d DIR`, then pass the two wheel files):
- `textblob` (MIT, Steven Loria and contributors): `textblob/en/en-sentiment.xml`, the English
  adjective lexicon of the Pattern library (Tom De Smedt, Walter Daelemans; marked PDDL in the
  file). Per word form, the mean over its senses of subjectivity (0..1), polarity (-1..1) and
  intensity, as TextBlob itself reads it.
- `vaderSentiment` (MIT, C.J. Hutto): `vaderSentiment/vader_lexicon.txt`, the mean valence (-4..4)
  of each word.

Only the words and their numbers are written (no sense glosses, no other text), and only the
entries the subjectivity features can use: textblob words with subjectivity >= 0.4 or intensity
above 1, VADER words (letters, apostrophes and hyphens only) with |valence| >= 1.

    python scripts/build_lexicon.py textblob-*.whl vaderSentiment-*.whl
"""

from __future__ import annotations

import argparse
import json
import sys
import zipfile
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "verifier" / "data" / "subjectivity_lexicon.json"

DESCRIPTION = (
    "Word subjectivity and valence for the subjectivity model's lexicon features "
    "(verifier.stages.subjectivity). `pattern`: word -> [subjectivity 0..1, polarity -1..1, intensity], "
    "the mean over senses of the English adjective lexicon of the Pattern library (De Smedt & "
    "Daelemans; PDDL) as shipped in the textblob wheel (textblob/en/en-sentiment.xml; MIT, Steven "
    "Loria and contributors). `vader`: word -> mean valence -4..4 from vaderSentiment's "
    "vader_lexicon.txt (MIT, C.J. Hutto; Hutto & Gilbert, ICWSM 2014). Built by "
    "scripts/build_lexicon.py; numbers and words only.")

LICENCES = {
    "textblob": "MIT License. Copyright Steven Loria and contributors. Permission is hereby granted, free "
                "of charge, to any person obtaining a copy of this software and associated documentation "
                "files (the \"Software\"), to deal in the Software without restriction, including without "
                "limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or "
                "sell copies of the Software, and to permit persons to whom the Software is furnished to do "
                "so, subject to the following conditions: The above copyright notice and this permission "
                "notice shall be included in all copies or substantial portions of the Software. THE "
                "SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND.",
    "vaderSentiment": "MIT License. Copyright (c) 2016 C.J. Hutto. Permission is hereby granted, free of "
                      "charge, to any person obtaining a copy of this software and associated documentation "
                      "files, to deal in the Software without restriction, subject to the following "
                      "conditions: The above copyright notice and this permission notice shall be included "
                      "in all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED "
                      "\"AS IS\", WITHOUT WARRANTY OF ANY KIND.",
}


def pattern_words(xml_text: bytes) -> dict[str, list[float]]:
    senses: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    for w in ET.fromstring(xml_text).iter("word"):
        form = (w.get("form") or "").lower()
        if form:
            senses[form].append((float(w.get("subjectivity", 0)), float(w.get("polarity", 0)),
                                 float(w.get("intensity", 1))))
    out = {}
    for form, vals in sorted(senses.items()):
        sub, pol, inten = (round(sum(v[i] for v in vals) / len(vals), 3) for i in range(3))
        if sub >= 0.4 or inten > 1.0:
            out[form] = [sub, pol, inten]
    return out


def vader_words(text: str) -> dict[str, float]:
    out = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not parts[0].replace("'", "").replace("-", "").isalpha():
            continue
        valence = float(parts[1])
        if abs(valence) >= 1.0:
            out[parts[0].lower()] = round(valence, 2)
    return dict(sorted(out.items()))


def member(wheel: zipfile.ZipFile, suffix: str) -> bytes:
    names = [n for n in wheel.namelist() if n.endswith(suffix)]
    if not names:
        raise SystemExit(f"{wheel.filename}: no {suffix}")
    return wheel.read(names[0])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("textblob_wheel")
    ap.add_argument("vader_wheel")
    ap.add_argument("--out", default=str(OUT))
    args = ap.parse_args()
    with zipfile.ZipFile(args.textblob_wheel) as wb:
        pattern = pattern_words(member(wb, "textblob/en/en-sentiment.xml"))
    with zipfile.ZipFile(args.vader_wheel) as wv:
        vader = vader_words(member(wv, "vaderSentiment/vader_lexicon.txt").decode("utf-8"))
    data = {"description": DESCRIPTION, "licences": LICENCES,
            "sources": {"textblob": Path(args.textblob_wheel).name, "vaderSentiment": Path(args.vader_wheel).name},
            "pattern": pattern, "vader": vader}
    Path(args.out).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {len(pattern)} Pattern words, {len(vader)} VADER words", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
