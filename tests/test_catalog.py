"""The rule catalogue: every finding is raised through its rule, which owns its severity and words."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from verifier.model import catalog
from verifier.model.catalog import RULES, Rule
from verifier.model.schema import Severity

PACKAGE = Path(catalog.__file__).resolve().parents[1]
RAISE_SITE = re.compile(r"""catalog\.rule\(\s*["']([a-z-]+)["']\s*\)""")


def _sources() -> dict[str, str]:
    return {str(p.relative_to(PACKAGE)): p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py")}


def test_every_rule_is_raised_somewhere_and_every_raise_site_names_a_rule() -> None:
    raised = {rule_id for text in _sources().values() for rule_id in RAISE_SITE.findall(text)}
    assert raised == set(RULES)


def test_no_finding_is_built_by_hand_outside_the_catalogue() -> None:
    built = []
    for name, text in _sources().items():
        if name == "model/catalog.py":
            continue
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Finding":
                built.append(f"{name}:{node.lineno}")
    assert built == []


def test_an_unknown_rule_id_fails_with_the_known_ones() -> None:
    with pytest.raises(LookupError, match=r"no rule 'quote-unatributed'.*known rules: quote-altered"):
        catalog.rule("quote-unatributed")
    assert catalog.rule("quote-unattributed") is RULES["quote-unattributed"]


def test_finding_takes_the_rules_severity_and_fills_its_templates() -> None:
    finding = RULES["quote-unattributed"].finding(quote_id="q1", quote="We will win")
    assert (finding.rule, finding.severity, finding.quote_id) == ("quote-unattributed", Severity.ERROR, "q1")
    assert finding.message == "No speaker found for the quote “We will win”."
    assert finding.suggestion == "Name who said it next to the quote, e.g. '..., Zhang said.'"
    assert RULES["quote-minor-difference"].finding(where="x", diff="case").suggestion is None


def test_an_optional_clause_is_written_only_when_its_field_is_given() -> None:
    rule = RULES["quote-not-in-source"]
    bare = rule.finding(count="1 source", names="call.txt")
    near = rule.finding(count="1 source", names="call.txt", nearest="call.txt:3", percent=41)
    assert bare.message == "The quote is in none of the 1 source (call.txt)."
    assert near.message == ("The quote is in none of the 1 source (call.txt). The nearest passage, "
                            "at call.txt:3, shares 41% of its words.")
    benchmark = RULES["benchmark-uncited"]
    assert benchmark.finding(subject="Kestrel", only=None).message.endswith("accountable source.")
    assert benchmark.finding(subject="Kestrel", only="is touted as").message.endswith(
        "accountable source (only 'is touted as').")


def test_a_raise_site_with_a_missing_or_unknown_field_is_refused() -> None:
    rule = RULES["quote-speaker-mismatch"]
    with pytest.raises(TypeError, match=r"missing field\(s\) \['speaker'\]"):
        rule.finding(source_speaker="Zhang", where="call.txt:2")
    with pytest.raises(TypeError, match=r"unknown field\(s\) \['speeker'\]"):
        rule.finding(source_speaker="Zhang", where="call.txt:2", speaker="Li", speeker="Li")
    with pytest.raises(TypeError, match=r"missing field\(s\) \['percent'\]"):
        RULES["quote-not-in-source"].finding(count="1 source", names="a", nearest="a:1")


def test_a_template_must_name_each_of_its_clauses() -> None:
    broken = Rule("x-rule", Severity.INFO, "s", "w", "y", "e", "f", message="No {thing}.",
                  clauses={"extra": " ({extra})"})
    with pytest.raises(ValueError, match="naming every clause"):
        catalog._fields_of(broken)


def test_the_fields_of_a_rule() -> None:
    assert RULES["claim-ungrounded"].fields() == (frozenset({"evidence"}), frozenset({"note"}))
