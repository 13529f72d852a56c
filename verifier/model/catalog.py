"""The rule catalogue: every rule's id, default severity, message template and documentation page.

A finding is raised through its rule, never built by hand, so that a rule is one place:

    UNATTRIBUTED = rule("quote-unattributed")          # at module level: an unknown id fails at import
    UNATTRIBUTED.finding(span=quote.span, quote_id=quote.id, quote="We will win")

`finding` fills the rule's message (and suggestion) template with the fields it is given and
gives the finding the rule's default severity; the configuration's per-rule levels and `disable`
are applied later, in one place (`verifier.stages.policy`). Adding a rule is one entry here and
its raise site.

A template may name optional clauses (`clauses`): a clause is written where its field appears in
the template when that field is given and not None, and left out otherwise.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field

from verifier.model.schema import Finding, Severity, Span


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str
    what: str
    why: str
    example: str
    fix: str
    message: str = ""  # template of Finding.message, filled by `finding`
    suggestion: str | None = None  # template of Finding.suggestion
    clauses: Mapping[str, str] = field(default_factory=dict)  # optional clause -> its template

    def page(self) -> str:
        return (f"{self.id} ({self.severity})\n\n{self.summary}\n\n"
                f"What it does\n  {self.what}\n\nWhy it matters\n  {self.why}\n\n"
                f"Example\n  {self.example}\n\nHow to fix\n  {self.fix}\n\n"
                f"How to suppress\n"
                f"  One paragraph: put <!-- verifier: ignore {self.id} --> on the line before it "
                f"(Markdown or HTML).\n"
                f"  Everywhere: set `{self.id} = \"off\"` under [severity] in verifier.toml, or add "
                f"it to `disable`.\n"
                f"  Accept what is there today: --baseline FILE --update-baseline, then --baseline FILE.\n")

    def finding(self, *, span: Span | None = None, claim_id: str | None = None,
                quote_id: str | None = None, **fields: object) -> Finding:
        """A finding of this rule at its default severity, its message filled from `fields`."""
        _check_fields(self, fields)
        filled = fields
        if self.clauses:
            filled = dict(fields)
            for name, clause in self.clauses.items():
                value = fields.get(name)
                filled[name] = "" if value is None else clause.format_map(fields)
        suggestion = self.suggestion
        if suggestion is not None and "{" in suggestion:
            suggestion = suggestion.format_map(filled)
        return Finding(rule=self.id, severity=self.severity, message=self.message.format_map(filled),
                       span=span, claim_id=claim_id, quote_id=quote_id, suggestion=suggestion)

    def fields(self) -> tuple[frozenset[str], frozenset[str]]:
        """The fields `finding` needs, and those it may be given besides (optional clauses)."""
        return _FIELDS[self.id]


_RULES = [
    Rule("quote-altered", Severity.ERROR, "The quote's words differ from the source.",
         "Compares every direct quote word for word with the sources given for the article and "
         "reports words changed, added or dropped, with a word diff.",
         "A quotation mark promises the reader these are the speaker's exact words. A changed word, "
         "above all a dropped 'not', is a correction waiting to happen.",
         'Draft: "We can lead in AI," Zhang said.  Transcript: "We will lead in AI."  Diff: can -> will',
         "Restore the speaker's words from the source, or turn the quote into paraphrase without marks.",
         message="The quote's words differ from the source at {where}: {diff}.{negation}{source_speaker}",
         clauses={"negation": " The draft {negation}, which reverses the meaning.",
                  "source_speaker": " The source passage is said by {source_speaker}."},
         suggestion='Restore the source\'s words: "{said}"'),
    Rule("quote-speaker-mismatch", Severity.ERROR, "The source credits the words to someone else.",
         "In a speaker-labelled transcript, finds the turn that holds the quoted words and compares "
         "its speaker with the one the draft credits.",
         "Putting one person's words in another's mouth is among the most serious errors a story can make.",
         'Draft: "We must abandon this viewpoint," Li said.  Transcript: ZHANG: We must abandon this viewpoint.',
         "Credit the quote to the speaker the source names, or check the source again.",
         message="The source gives these words to {source_speaker} ({where}), but the draft "
                 "credits {speaker}.",
         suggestion="Credit the quote to {source_speaker}, or check the source again."),
    Rule("quote-not-in-source", Severity.ERROR, "Sources were given and the quote is in none of them.",
         "Searches every source supplied for the article; reports a direct quote found in none.",
         "A quote that cannot be traced to the material the reporter filed may come from elsewhere, "
         "or may be invented.",
         'A draft quotes "the gap is closing" but the supplied transcript never says it.',
         "Add the source that holds the quote (--source, `sources:` in front matter, or the "
         "<article>.sources/ folder), or remove the quote.",
         message="The quote is in none of the {count} ({names}).{nearest}",
         clauses={"nearest": " The nearest passage, at {nearest}, shares {percent}% of its words."}),
    Rule("quote-unattributed", Severity.ERROR, "A direct quote with no speaker.",
         "Reports a full direct quote for which no speaker could be found in its sentence, its "
         "paragraph or the paragraph before, or whose cue names only a pronoun ('she said') that "
         "stands for no one named before it.",
         "Readers must know who is speaking; an unattributed quote reads as the publication's voice.",
         '"The market will double by next year." (no one is named nearby)',
         "Name the speaker next to the quote: '..., Zhang said.'",
         message="No speaker found for the quote “{quote}”.{pronoun}",
         clauses={"pronoun": " Its cue names only “{pronoun}”, and the check found no one named before it whom “{pronoun}” stands for."},
         suggestion="Name who said it next to the quote, e.g. '..., Zhang said.'"),
    Rule("quote-minor-difference", Severity.INFO, "Punctuation, case, ellipsis or brackets only.",
         "The quote matches its source except for punctuation, case, a legitimate ellipsis or a "
         "[bracketed] clarification.",
         "Usually fine, but an editor may want to confirm an ellipsis does not change the meaning.",
         'Draft: "We are facing [a] limited ... power."  Source: "we are facing limited computing power"',
         "Nothing, unless the ellipsis or the bracket changes what the speaker meant.",
         message="The quote matches {where} except for {diff}."),
    Rule("quote-unbalanced", Severity.WARNING, "An opening quotation mark with no closing mark.",
         "Pairs every opening mark with its closing mark, allowing for quotes that continue across "
         "paragraphs; reports an opening mark that is never closed.",
         "An unclosed quote makes it unclear where the speaker's words end and the reporter's begin.",
         '“We will continue to invest, he said.',
         "Add the missing closing mark where the quote ends.",
         message="This quotation mark opens a quote that is never closed; the quote was read "
                 "to the end of its paragraph.",
         suggestion="Add the closing mark where the speaker's words end."),
    Rule("benchmark-uncited", Severity.WARNING,
         "A benchmark-dependent claim names no benchmark, figure or source.",
         "Finds claims whose truth depends on performance comparisons of AI systems, chips or "
         "products (rivals, outperforms, state of the art ...) that cite no benchmark, score or source.",
         "Performance claims are marketing until a measurement backs them; readers need to know "
         "what was measured and by whom.",
         "SenseNova 5.5 is a rival to GPT-4o in mathematical reasoning.",
         "Name the benchmark and the score, or attribute the claim to whoever makes it.",
         message="Performance claim about {subject} names no benchmark, score or accountable "
                 "source{only}.",
         clauses={"only": " (only {only!r})"},
         suggestion="Name the benchmark and the score, or say who makes the claim."),
    Rule("opinion-unattributed", Severity.WARNING, "An opinion in the publication's own voice.",
         "Finds evaluative, normative or predictive statements (should, must, worthless ...) that no "
         "source is credited with.",
         "News copy keeps opinion attributed; an unattributed judgement reads as the publication's.",
         "The policy must be abandoned.",
         "Credit the view to the person who holds it, or rewrite it as reported fact.",
         message="Opinion in the publication's own voice: {text}.",
         suggestion="Credit the view to whoever holds it, or rewrite it as reported fact."),
    Rule("attribution-vague", Severity.INFO, "An attribution to an unnamed or vague source.",
         "Finds attributions such as 'critics say', 'is being touted as', 'experts believe', "
         "'some executives'.",
         "Vague sourcing lets a claim borrow authority without anyone standing behind it.",
         "SenseNova 5.5 is being touted as a rival to GPT-4o.",
         "Name who is touting, saying or believing it.",
         message="Vague attribution: {source!r}{cue}.",
         clauses={"cue": " ({cue})"},
         suggestion="Name who says it."),
    Rule("claim-unattributed", Severity.INFO, "A factual assertion with no source.",
         "Lists factual claims in the publication's own voice, for the editor's attention (not the "
         "reporter's note that someone did not respond to a request for comment).",
         "Every fact in a story should be one the publication can stand behind or source.",
         "More than 150 AI-related products are being exhibited at the conference.",
         "Nothing, if the publication can vouch for it; otherwise add a source.",
         message="Factual assertion with no source: {text}.",
         suggestion="Nothing, if the publication can vouch for it; otherwise add a source."),
    Rule("claim-ungrounded", Severity.INFO,
         "The model proposed a claim it could not anchor to the article (dropped).",
         "Checks that every claim the LLM proposes cites sentences of the passage it read (and, when "
         "it names a clause, words of that sentence); a claim that still cannot be anchored after "
         "one re-ask is dropped and reported here. Information only: the draft has nothing to fix.",
         "A checker that shows invented text as if the draft said it would mislead the editor.",
         "The model quotes 'the chip is 3x faster' but the draft never says so.",
         "Nothing to fix in the draft. Frequent findings mean the model or prompt needs attention.",
         message="The model proposed a claim it could not anchor to the article, so it was "
                 "dropped: {evidence!r}{note}",
         clauses={"note": " ({note})"},
         suggestion="Nothing to fix in the draft; the claim was not shown."),
    Rule("llm-failed", Severity.ERROR, "The model could not check part of the article.",
         "Reported for each chunk of the article whose model request failed (no connection, a "
         "timeout, an error status after the retries, an answer cut off even after the chunk was "
         "halved). That chunk's claims come from the rules engine instead; quotes, speakers and "
         "source checks need no model and are reported as usual. The run exits with status 2.",
         "A report that silently lost part of the article would read as a clean bill of health.",
         "The model could not check chunk 2 of 3 (from here to 14:52): connection refused by "
         "http://127.0.0.1:8765/v1 (model local).",
         "Nothing to fix in the draft: start or fix the model server (see the message) and check again.",
         message="The model could not check chunk {number} of {count} (from here to "
                 "{line}:{column}): {reason}. Its claims come from the rules engine; its quotes "
                 "were checked as usual.",
         suggestion="Run the check again once the model answers; nothing to fix in the draft."),
]

RULES: dict[str, Rule] = {r.id: r for r in _RULES}


def rule(rule_id: str) -> Rule:
    """The catalogue entry of `rule_id`; called at module level by every raise site, so that a
    misspelt id fails when the module is imported, not when the finding is first raised."""
    try:
        return RULES[rule_id]
    except KeyError:
        raise LookupError(f"no rule {rule_id!r} in the catalogue (verifier.model.catalog); "
                          f"known rules: {', '.join(RULES)}") from None


def default_severity(rule_id: str) -> Severity:
    return rule(rule_id).severity


def _template_fields(template: str | None) -> set[str]:
    """The field names a `str.format` template uses ('{only!r}' -> 'only')."""
    if template is None:
        return set()
    return {name.split(".")[0].split("[")[0]
            for _, name, _, _ in string.Formatter().parse(template) if name}


def _fields_of(entry: Rule) -> tuple[frozenset[str], frozenset[str]]:
    used = _template_fields(entry.message) | _template_fields(entry.suggestion)
    clauses = set(entry.clauses)
    if not entry.message or not clauses <= used:
        raise ValueError(f"rule {entry.id!r}: a message template is needed, naming every clause")
    in_clauses = set().union(*(_template_fields(c) for c in entry.clauses.values()))
    return frozenset(used - clauses), frozenset(clauses | in_clauses)


_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {r.id: _fields_of(r) for r in _RULES}


def _check_fields(entry: Rule, given: Mapping[str, object]) -> None:
    """A raise site that forgets a field or names one the templates lack is a bug: say which."""
    required, optional = _FIELDS[entry.id]
    names = given.keys()
    if not optional and names == required:
        return
    missing = required - names
    unknown = names - required - optional
    for clause in entry.clauses:
        if given.get(clause) is not None:
            missing |= _template_fields(entry.clauses[clause]) - names
    if missing or unknown:
        raise TypeError(f"rule {entry.id!r}: missing field(s) {sorted(missing)}, "
                        f"unknown field(s) {sorted(unknown)}")
