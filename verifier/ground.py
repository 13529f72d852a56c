"""ground: locate every claim's evidence in the article, or drop the claim.

Exact match first, then a whitespace- and quote-mark-normalised match. A claim whose words cannot be
found is dropped with a `claim-ungrounded` finding: nothing is shown with a made-up span.
"""

from __future__ import annotations

import re

from verifier.extract import ClaimDraft
from verifier.schema import Article, Finding, Severity

_FOLD = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
                       "\u2013": "-", "\u2014": "-", "\u00a0": " "})


def ground_claims(article: Article, drafts: list[ClaimDraft]) -> tuple[list[ClaimDraft], list[Finding]]:
    """Drafts with analysis offsets set, and a finding for each one that could not be located."""
    kept: list[ClaimDraft] = []
    findings: list[Finding] = []
    for draft in drafts:
        if draft.start is None or draft.end is None:
            found = locate(article.text, draft.evidence)
            if found is None:
                findings.append(_ungrounded(draft))
                continue
            draft.start, draft.end = found
        kept.append(draft)
    return kept, findings


def locate(text: str, evidence: str) -> tuple[int, int] | None:
    """Offsets of `evidence` in `text`: exact, then with quote marks, dashes and spaces folded."""
    evidence = evidence.strip()
    if not evidence:
        return None
    i = text.find(evidence)
    if i != -1:
        return i, i + len(evidence)
    pattern = r"\s+".join(re.escape(w) for w in evidence.translate(_FOLD).split())
    m = re.search(pattern, text.translate(_FOLD))
    return (m.start(), m.end()) if m else None


def _ungrounded(draft: ClaimDraft) -> Finding:
    return Finding(rule="claim-ungrounded", severity=Severity.WARNING,
                   message=f"The model proposed a claim whose words are not in the article, so it was dropped: {draft.evidence[:120]!r}",
                   suggestion="Nothing to fix in the draft; the claim was not shown.")
