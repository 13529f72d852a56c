"""baseline: findings an editor has accepted, so CI fails only on new ones.

A finding is fingerprinted on its rule and the normalised words it concerns (lower case, words
only), not on offsets or paths, so a moved or re-wrapped paragraph stays accepted.
File format (JSON): {"version": 1, "tool": "verifier",
                     "findings": [{"fingerprint", "rule", "path", "text"}]}
"""

from __future__ import annotations

import hashlib
import re

from verifier.schema import Finding

_WORDS = re.compile(r"\w+")


def normalised_words(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower()))


def fingerprint(finding: Finding) -> str:
    """Stable id of a finding: rule + the normalised words of its span (or its message)."""
    words = normalised_words(finding.span.text if finding.span else finding.message)
    return hashlib.sha256(f"{finding.rule}\n{words}".encode()).hexdigest()[:16]
