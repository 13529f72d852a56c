"""Attribution cues, speaker mentions and the names they resolve to.

Used by `quotes` (who said a quotation) and `signals` (who a claim is attributed to). A mention is a
name ("Zhang Ping’an", "Zhang", "President Li"), a pronoun ("he") or a description ("the company",
"a spokeswoman for Iflytek"). `NameIndex` resolves surnames and pronouns to the fullest name
introduced earlier in the article.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import ahocorasick

from verifier import vocab
from verifier.model.schema import CHINESE_CHAR, Article
from verifier.stages import quotemarks, segment, titles

CUE_WORDS = vocab.words("cue_verbs")
ROLE_WORDS = frozenset(vocab.words("speaker_titles", "roles"))
TITLES = frozenset(vocab.words("speaker_titles", "titles"))

def _alternation(words: frozenset[str] | set[str]) -> str:
    """A pattern matching exactly one of `words`, written as a trie of shared prefixes: Python
    tries an alternation of a hundred words one word after another, a trie one letter at a time."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + emit(node[ch]) for ch in sorted(k for k in node if k)]
        if not branches:
            return ""
        body = "|".join(branches)
        if "" in node:
            return f"(?:{body})?"
        return body if len(branches) == 1 else f"(?:{body})"

    return f"(?:{emit(trie)})"

_ROLES = _alternation(ROLE_WORDS)
_TITLE_OR_ROLE = rf"(?i:{_alternation(ROLE_WORDS | TITLES)})"  # a title or role word, in any case


def _grammar(key: str) -> tuple[str, ...]:
    return vocab.words("speaker_grammar", key)


def _alt(words: Iterable[str]) -> str:
    """An alternation of `words`, longest first (so no word is cut short by a shorter one)."""
    return vocab.alternation(words)


def _either_case(words: Iterable[str]) -> str:
    """An alternation of `words` whose first letter may be a capital ("[Tt]he")."""
    return "|".join(f"[{w[0].upper()}{w[0]}]{re.escape(w[1:])}" if w[0].isalpha() else re.escape(w)
                    for w in sorted(set(words), key=len, reverse=True))


def _capitalised(words: Iterable[str]) -> str:
    """An alternation of `words` written with a capital first letter ("But|And")."""
    return _alt(w[:1].upper() + w[1:] for w in words)
# "..., saying, “...”": the speaker is the subject of the sentence
PARTICIPLE_CUES = vocab.words("cue_verbs", "participles")
QUOTE_ONLY_CUES = vocab.words("cue_verbs", "quote_only")
_CUE_ALT = _alt(CUE_WORDS + QUOTE_ONLY_CUES)
# cues of several words ("pointed out", "according to"), written with any space between the words
CUE_PHRASES = vocab.words("cue_verbs", "phrases")
_PHRASE_ALT = "|".join(r"\s+".join(map(re.escape, p.split())) for p in CUE_PHRASES)
# "Roe used the phrase “...”"
_USE_VERBS = vocab.words("cue_verbs", "use_verbs")
_USE_THE = rf"(?:{_alt(_USE_VERBS)})\s+the\s+(?:{_alt(vocab.words('cue_verbs', 'use_nouns'))})"
CUE = rf"(?:{_PHRASE_ALT}|{_USE_THE}|(?:{_CUE_ALT}))"
# the cues that may come before their speaker ("said Roe"): not those that take other objects
_NOT_INVERTED = frozenset(vocab.words("cue_verbs", "not_inverted"))
# ("saying the city embodied ..." has no speaker after its cue either)
_INV_ALT = _alt(w for w in CUE_WORDS if w not in _NOT_INVERTED and w not in PARTICIPLE_CUES)
_INV_PHRASES = "|".join(r"\s+".join(map(re.escape, p.split())) for p in vocab.words("cue_verbs", "inverted_phrases"))
CUE_INVERTED = rf"(?:{_INV_PHRASES}|(?:{_INV_ALT}))"

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĜĞĠĢĤĦĨĪĮİĴĶĹĻĽŁŃŅŇŌŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
# a capitalised word; a full stop belongs to it only for initials and titles ("J.", "Dr."), and to
# a place's initials before a title ("U.S. Sen."), so a name never runs across a sentence end
# ("Netflix. DuVernay")
_HONORIFICS = _alt(vocab.words("speaker_titles", "honorifics"))
# a person's initials written together are one name word before a capitalised word ("J.M.
# Berger"); a place's or body's ("U.S.", "F.B.I.") are not, but open a body's name before an
# organisation word ("U.S. Army"); a lone initial never follows another one ("U.S. Lind" is Lind)
_NOT_INITIALS = _alternation(frozenset(w.upper() for w in vocab.words("speaker_titles", "not_initials")))
_ORG_AFTER = _alternation(frozenset(w.capitalize() for w in _grammar("organisation_words")))
_BODY_INITIALS = rf"{_NOT_INITIALS}\.(?=(?:[ \t]+[{_UP}][\w’'\-]*){{0,2}}?[ \t]+{_ORG_AFTER}\b)"
_INITIALS = (rf"(?<![\w.’'\-])(?:(?!{_NOT_INITIALS}\.(?!\w))(?:[{_UP}]\.){{2,3}}(?=[ \t]+[{_UP}][a-z’'])"
             rf"|{_BODY_INITIALS})")
# (the initials' branches behind one lookahead: a plain capitalised word fails it at its second letter)
_TOKEN = (rf"(?:(?:{_HONORIFICS})\.|(?=[{_UP}]\.)(?:(?:[{_UP}]\.){{2,3}}(?=[ \t]+(?:{_HONORIFICS})\.)|{_INITIALS}"
          rf"|(?<![\w.’'\-])[{_UP}]\.)|[{_UP}][\w’'\-]*)")
_PARTICLE = rf"(?:{_alt(_grammar('name_particles'))})"
# the space between the words of a name or description: never a blank line (a paragraph break);
# a no-break or thin space is a space too ("Ana\u00a0Ruiz")
# possessive: the spaces are taken whole (what follows is always a letter), so a long run of spaces
# before a non-name costs one pass, not one per way of splitting it
_BLANK = r"[ \t\u00a0\u2007\u2009\u202f]"  # a space, a tab, a no-break or a thin space
_SP = rf"(?:{_BLANK}++\n?+{_BLANK}*+|\n{_BLANK}*+)"
NAME = rf"{_TOKEN}(?:{_SP}(?:{_PARTICLE}{_SP})?{_TOKEN}){{0,4}}"
PRONOUN = rf"(?:{_either_case(_grammar('pronouns'))})"
_DET = rf"(?<![\w’'])(?:{_either_case(_grammar('determiners'))})"
# a description: "the company", "a spokeswoman for Iflytek", "Obama's former campaign strategist";
# its words never include a clause word, so "a comment that described" is not a speaker
# words of a description: no clause word, and no full stop at the end (that is a sentence end)
# joined initials ("U.S.", "F.B.I.") are one word of a description, full stop and all, where a
# body's name goes on after them ("the U.S. Army", see `_INITIALS`) or a word in lower case follows
# ("the F.B.I. said", "a U.N. mission"): the full stop ends no sentence there. At the end of the
# text searched (a sentence's end) the full stop is the initials' and the sentence's at once, and
# stays with the initials ("said the F.B.I." is "the F.B.I."). A person's initials before a
# capitalised word stay out ("in the K.T. Lind said" may be a place and then a person)
_JOINED_INITIALS = (rf"(?=[{_UP}]\.)(?<![\w.’'\-])(?:{_BODY_INITIALS}"
                    rf"|(?:[{_UP}]\.){{2,5}}(?=[ \t]+[a-z]|[ \t]*$))")
# a month written short before a day is one word, full stop and all ("a Feb. 1 letter")
_SHORT_WORD = rf"(?:{_either_case(_grammar('month_abbreviations'))})\.(?=[ \t]+\d)"
# and a word written short whose full stop ends no sentence ("Acme Inc. said", "the St. Louis police")
_SHORT_WORD += (rf"|(?<![\w.])(?:{_either_case(_grammar('word_abbreviations'))})\.(?=[ \t]+[a-z0-9])"
                 rf"|(?<![\w.])(?:{_either_case(_grammar('place_abbreviations'))})\.(?=[ \t]+[{_UP}])")
_DESC_WORD = rf"(?!(?:{_alt(_grammar('not_in_descriptions'))})\b)(?:{_JOINED_INITIALS}|{_SHORT_WORD}|[\w’'\-]+(?:\.[\w’'\-]+)*)"
# a possessive description names its owner in full: "Congressman Ana Ruiz’s office"
# a plural opening a sentence with no determiner names a group by what it is of: "Critics of the plan"
# (never a word after another: "James Pethokoukis of the institute" is a name and its employer)
_BARE_PLURAL = rf"(?<![\w’'\-][ \t])[{_UP}][a-z]+s(?=[ \t]+of[ \t]+(?:the[ \t]+)?[\w’'\-])"
DESC = (rf"(?:{_DET}|{_TOKEN}(?:[ \t]+{_TOKEN}){{0,3}}(?:’s|'s)|[{_UP}][\w\-]*s['’]|{_BARE_PLURAL})"
        rf"{_SP}(?:{_DESC_WORD}{_SP}){{0,5}}?{_DESC_WORD}")
_WHO = rf"(?P<who>{NAME}|{PRONOUN}|{DESC})"
# the words a speaker can open with besides a capitalised one: a pronoun or a determiner
_WHO_STARTS = frozenset(_grammar("pronouns")) | frozenset(_grammar("determiners"))
# the letters a speaker can open with (a capital, or the first letter of one of those words): a
# lookahead on them lets a search skip every other offset quickly
_WHO_OPENS = rf"(?=[{_UP}{''.join(sorted({w[0] for w in _WHO_STARTS}))}])"
# `X (D-Calif.) said`, `X, 55, a salesman from Sumter, South Carolina, said`: a short parenthesis
# and an appositive (which may hold one more comma before a capitalised place) after a speaker
_PAREN = r"(?:\s*\([^()“”\"\n]{1,40}\))?"
# An appositive never opens with `and` and a participle (`South Carolina, and uttering charges that
# Roe, for one, called "`: a clause of its own). It may hold a short title or phrase in quotation
# marks (`Roe, author of "The Long Road," said`, `Roe, wearing "Vote Lind" pins, said`): one inside
# it, or one it ends with, the closing comma inside the marks
_QUOTED_TITLE = r"(?:“[^“”\"\n,]{1,60}”|\"[^“”\"\n,]{1,60}\")"
_APPOS = (rf"{_PAREN}(?:,\s+(?!(?:and|but|or)\s+[a-z]+(?:ing|ed)\s)(?P<appos>[^,“”\"]{{1,160}}+(?:{_QUOTED_TITLE}[^,“”\"]{{0,80}}+)?"
          rf"(?:,\s+(?:and\s+)?[^,“”\"]{{1,60}}+){{0,3}}(?P<titled>[“\"][^“”\"\n,]{{1,60}}(?=,[”\"]))?),(?(titled)[”\"]))?")
# an adverb, an auxiliary or a time between a speaker and the cue: "Roe on Monday said"
_WHEN = rf"(?:(?:{_alt(_grammar('time_openers'))})\s+(?:{_either_case(_grammar('time_words'))})\s+)"
# (two at most: "Roe has repeatedly said", "Roe had also told")
_ADVERB = rf"(?:(?:\w+ly\s+|(?:{_alt(_grammar('between_speaker_and_cue'))})\s+){{1,2}}|{_WHEN})?"

# a job title written in lower case before a name: "chief financial officer Rosa Delgado",
# "Corvane chief executive Walter Gries"
_ROLE = rf"(?:(?:[{_UP}][\w’'\-]*\s+)?(?:{_ROLES}\s+){{1,4}}(?=[{_UP}]))"
_CLAUSE = _alt(_grammar("clause_words"))
# the words a speaker may be preceded by inside its own phrase: a role, a party, a place, an employer
# ("Republican strategist Fred Davis", "former Pennsylvania Gov. and party chairman Ed Rendell"); no
# clause word, so "the man who met Fred Davis" is not read as a title of Fred Davis
_PRE_WORD = rf"(?!(?:{_CLAUSE})\b)[\w’'\-]+\.?"
_PRE = rf"(?:{_PRE_WORD}\s+){{0,7}}?"
# a description read to its end (the next punctuation): "a longtime adviser to both Clintons,"
_IDESC_WORD = rf"(?!(?:{_CLAUSE})\b)(?:{_JOINED_INITIALS}|{_SHORT_WORD}|(?:[\w’'\-]|\.(?=\w))+)"
_IDESC = (rf"{_DET}{_SP}(?:{_IDESC_WORD}{_SP}){{0,8}}{_IDESC_WORD}"
          rf"(?=\s*(?:[,.;:!?(“”\"]|$)|\s+(?:who|whose|which)\b)")
_ROLE_ALT = _alternation(ROLE_WORDS | TITLES)
# a name is whole where no role word follows it ("said Democratic pollster Stan Greenberg" is not
# said by "Democratic")
_NAME_ENDS = rf"(?![\w’'\-])(?![ \t]+(?:{_ROLE_ALT})\b)"
# `," Zhang said` / `," Zhang, the executive, said` / `," he added` / `," chief executive Ana Ruiz said`
# titles, names and role words before a name: "Republican strategist Fred Davis", "former
# Pennsylvania Gov. and party chairman Ed Rendell"
_LABEL_PRE = rf"(?:(?:[{_UP}][\w’'\-]*\.?|{_ROLES}|of|and)\s+){{0,6}}?"
# right after the quote an appositive may run to the cue without its closing comma:
# `," Nate Silver, the polling guru who founded the site tweeted`
_OPEN_APPOS = r"(?:,\s+(?:the|a|an|who)\s[^,“”\"]{1,120}?)"
# right after a quote a description may be read up to its cue, across an `and`: `," the state's
# senator and presidential candidate said`
_DESC_TO_CUE = rf"{_DET}{_SP}(?:{_IDESC_WORD}{_SP}){{0,8}}?{_IDESC_WORD}"
_AFTER_NORMAL = re.compile(
    rf"^[\s,]*(?:{_ADVERB})?{_LABEL_PRE}(?P<who>{NAME}|{PRONOUN}|{DESC}|{_DESC_TO_CUE})"
    rf"(?:{_APPOS}|{_PAREN}{_OPEN_APPOS})\s+{_ADVERB}(?P<cue>{CUE})\b")
# `," an angry Ana Ruiz retorted.` / `?" Roe pressed.`: a speaker and a verb in -ed that ends the
# attribution (the sentence, or a clause after a comma)
_AFTER_ANY_VERB = re.compile(
    rf"^[ \t]*{_LABEL_PRE}{_WHO}{_PAREN}[ \t]+(?:\w+ly[ \t]+)?(?P<cue>[a-z]{{3,}}ed)(?:[ \t]+back)?"
    rf"(?:[ \t]+(?:{_alt(_grammar('time_openers'))})[ \t]+(?:{_either_case(_grammar('time_words'))}))?"
    rf"(?=[ \t]*[.,;!?]|[ \t]*$)")
# `," said Zhang` / `," said the company` / `," said rescue chief Anton Huber`
# a description after the cue is read to its end, as `_IDESC` is: `," said Roe’s top aide Bo Lind.`
# is Bo Lind's, not "Roe’s top"'s
_DESC_TO_END = rf"{DESC}(?=\s*(?:[,.;:!?(“”\"]|$)|\s+(?:who|whose|which)\b)"
_AFTER_INVERTED = re.compile(rf"^[\s,]*(?P<cue>{CUE_INVERTED})\s+(?:{_PRE_WORD}\s+){{0,5}}?(?P<who>{NAME}{_NAME_ENDS}|{_IDESC}|{_DESC_TO_END}){_APPOS}")
# `Zhang said: "` / `He told reporters "` / `Li said in a statement on Monday, "`
# `Ana Ruiz, president of the Harbor Board stated, “`: an appositive that opens with a role word
# may run to the cue without its closing comma: lower-case words and acronyms, then perhaps the
# organisation after `of`/`at`/`for` (no other capitalised words: "..., former envoy Bo Lind
# told" is Bo Lind's)
_OPEN_ROLE_APPOS = (rf",\s+(?:{_ROLES})\b(?:[ \t]+(?:[a-z][\w’'\-]*|[{_UP}]{{2,5}})){{0,6}}"
                    rf"(?:[ \t]+(?:of|at|for)[ \t]+[^,“”\"\n]{{1,60}}?)?")
_BEFORE = re.compile(
    rf"{_WHO_OPENS}{_WHO}(?:{_APPOS}|{_OPEN_ROLE_APPOS})\s+{_ADVERB}(?P<cue>{CUE})\b(?P<rest>[^.“”\"!?]{{0,120}}?)$")
# the comma or colon before the words, which may be the one that closes an appositive
# (`Said Ana Ruiz, a neighbor, "`; see `_closed_by_clause`)
_THEN_COLON = r"(?:(?<=,)(?P<closed>)|\s*[,:])\s*$"
# `Said Comey, "` / `In other words, explained moderator Nancy Cordes: "`
_BEFORE_INVERTED = re.compile(
    rf"^\s*(?P<cue>(?i:{CUE_INVERTED}))\s+(?:{_PRE_WORD}\s+){{0,5}}?(?P<who>{NAME}|{_IDESC}|{DESC})"
    rf"{_APPOS}{_THEN_COLON}")
# `Because of the schedule, explained Ana Ruiz, "`: the inverted cue after a comma inside the
# sentence, with a name right after it (`..., said in a statement: "` is no inversion)
_BEFORE_INVERTED_MID = re.compile(
    rf",\s+(?P<cue>{CUE_INVERTED})\s+{_ROLE}?(?P<who>{NAME}{_NAME_ENDS}){_APPOS}{_THEN_COLON}")
# a speaker label opening the sentence: `Donald Trump: "` / `Former secretary of state Hillary Clinton:"`
_LABEL = re.compile(rf"^\s*{_LABEL_PRE}(?P<who>{NAME}|{DESC}){_PAREN}\s*:\s*$")
# a document or person opening its words: `The memo began, "` / `Roe, noting that ..., added: "`
_INTRO_VERBS = "|".join(vocab.words("cue_verbs", "intros"))
_INTRO = re.compile(rf"(?:^|(?<=[.;:]\s))\s*{_PRE}(?P<who>{NAME}|{DESC}){_APPOS}\s+(?P<cue>{_INTRO_VERBS})\s*[,:]\s*$")
# "according to its count": the count is the speaker's own, never a speaker
_OWN = rf"(?!(?:{_alt(_grammar('possessives'))})\b)"
_ACCORDING = re.compile(rf"(?P<cue>[Aa]ccording\s+to)\s+{_ROLE}?(?P<who>{NAME}|{_IDESC}|{DESC})")
# for a quote's speaker: "Roe said that according to its count the roof "leaks"" is Roe's (the
# count is the speaker's own); a claim may still be attributed to "its published agenda"
_ACCORDING_OTHER = re.compile(rf"(?P<cue>[Aa]ccording\s+to)\s+{_OWN}{_ROLE}?(?P<who>{NAME}|{_IDESC}|{DESC})")
# `a White House official who spoke anonymously said`: a relative clause between speaker and cue
_WHO_CLAUSE = r"(?:\s+who\s[^,“”\"]{1,80}?)"
# any `X said` / `X told` in a sentence (partial quotes, indirect speech)
_ANYWHERE = re.compile(rf"{_WHO_OPENS}{_WHO}(?:{_APPOS}|{_WHO_CLAUSE})\s+{_ADVERB}(?P<cue>{CUE})\b")
_CUE_ONLY = re.compile(rf"\b{CUE}\b")
# `..., said Ana Ruiz.` closing a sentence of reported speech
# the auxiliaries of a passive, any space between a phrase's words ("has been")
_PASSIVE_AUX = "|".join(r"\s+".join(map(re.escape, p.split())) for p in _grammar("passive_auxiliaries"))
_PASSIVE_BY = re.compile(
    rf"\b(?:{_PASSIVE_AUX})\s+(?P<cue>{_alt(vocab.words('cue_verbs', 'passive'))})\s+by\s+"
    rf"{_ROLE}?(?P<who>{NAME}|{DESC})")
# `"tax reform" was uttered once, by Roe.`: the quoted words the subject of a passive, their
# speaker after `by` (cue_verbs.yaml `passive_of_quote`; a word of time or manner may stand between)
_PASSIVE_HEADS = tuple(dict.fromkeys(p.split()[0] for p in _grammar("passive_auxiliaries")))  # what `_AFTER_PASSIVE` opens with
_AFTER_PASSIVE = re.compile(
    rf"^[ \t]*(?:{_PASSIVE_AUX})\s+(?:(?:{_alt(_grammar('between_speaker_and_cue'))}|\w+ly)\s+)?"
    rf"(?P<cue>{_alt(vocab.words('cue_verbs', 'passive_of_quote'))})"
    rf"(?:,?\s+(?:{_alt(_grammar('between_speaker_and_cue'))}|twice|\w+ly))?,?\s+by\s+{_ROLE}?(?P<who>{NAME}|{_IDESC}|{_DESC_TO_END})")
# `..., said the bureau's director, Ana Ruiz, on Monday`: a description read to its end, and the
# name in the appositive after it
_INVERTED_ANYWHERE = re.compile(rf",\s+(?P<cue>{CUE_INVERTED})\s+(?P<who>{NAME}{_NAME_ENDS}|{_IDESC}|{DESC}){_APPOS}")
# `with Roe tweeting that it was a "`: the speaker of an absolute participle clause
# `with Roe tweeting that`, and the same clause after a dash, a semicolon or `and`: `– Roe saying he
# was "pleased" and Lind calling it a "great meeting"`
_WITH_PARTICIPLE = re.compile(
    rf"(?:\bwith|(?<=[;–—])|\band)\s+(?P<who>{NAME})\s+(?P<cue>{'|'.join(PARTICIPLE_CUES)})\b")
_PARTICIPLE = re.compile(rf",?\s*(?:and\s+)?(?:began\s+by\s+|by\s+)?(?P<cue>{'|'.join(PARTICIPLE_CUES)})\b[^.“”\"]{{0,80}}?[,:]?\s*$")
# where `_INTRO` can open (see `_search_from`): at the text's start, or two characters after a
# full stop, semicolon or colon and a space
_INTRO_OPENS = re.compile(r"[.;:]\s")
_SUBJECT = re.compile(rf"^\s*(?:[A-Z][\w’'\-]*\s+(?:\w+\s+){{0,3}}?\w*,\s+)?(?![A-Z][a-z]+(?:ing|ed)\s){_WHO}(?:,\s+[^,“”\"]{{1,160}}+,)?\s")

NOT_NAMES = frozenset(vocab.words("speaker_titles", "not_names"))
# sentence words dropped from the front of a name; a cue verb too ("Said Ana Ruiz, “...”")
_LEADING_WORDS = (NOT_NAMES - TITLES) | frozenset(CUE_WORDS)
_NAMELESS_WORDS = NOT_NAMES | TITLES  # a "name" made only of these names nobody


@dataclass(frozen=True, slots=True)
class Mention:
    """A speaker mention in the analysis text."""

    start: int
    end: int
    text: str
    kind: Literal["name", "pronoun", "description"]


_PRONOUN, _DET_WORD, _NAME = re.compile(PRONOUN), re.compile(_DET + r"\s"), re.compile(NAME)


_PREPOSITIONS = frozenset(vocab.words("speaker_titles", "not_before_speaker"))
_TITLE_PREPOSITIONS = frozenset(vocab.words("speaker_titles", "inside_titles"))
_LAST_WORD = re.compile(r"(\w+)\W*$")


def _object_of_preposition(m: re.Match[str]) -> bool:
    """`Trump at the time said`: "the time" follows a preposition, so it is no subject of the cue
    after it (only checked where the speaker comes before its cue)."""
    # a pattern without a cue group ends at its cue (`X said` read back from the cue)
    cue_at = m.start("cue") if "cue" in m.re.groupindex and m.group("cue") is not None else m.end()
    if cue_at < m.start("who"):
        return False
    if m.group("who")[0].isupper() and not _DET_WORD.match(m.group("who")):
        return _place_before_appositive(m)
    if _names_in_appositive(m):
        return False  # "the chairman of the Joint Chiefs, Gen. Ana Ruiz, asked": the end of a title
    return _word_before(m.string, m.start("who")).lower() in _PREPOSITIONS


def _after_the(text: str, at: int) -> int:
    """Where the word `the` right before offset `at` starts, else `at` ("a spokesman for the U.S.
    Army": the body's name is the object of `for` as much as "a spokesman for Ana Ruiz" is)."""
    start = _word_start_before(text, at)
    return start if text[start:_space_start_before(text, at)].lower() == "the" else at


def _word_before(text: str, at: int) -> str:
    """The word right before offset `at` with only spaces between, else "" ("released before,
    the company said": a comma between, so "before" is no preposition of "the company")."""
    return text[_word_start_before(text, at):_space_start_before(text, at)]


def _space_start_before(text: str, at: int) -> int:
    i = at
    while i > 0 and text[i - 1] in " \t\n":
        i -= 1
    return i


def _word_start_before(text: str, at: int) -> int:
    """Where the word right before `at` (spaces between) starts; `at` itself when no space or
    no word is there. Read back character by character: this runs for every speaker tried."""
    i = _space_start_before(text, at)
    if i == at:
        return at
    j = i
    while j > 0 and (text[j - 1].isalnum() or text[j - 1] == "_"):
        j -= 1
    return j if j < i else at


_TOPIC_OPENERS = tuple(w.capitalize() for w in _grammar("topic_openers"))


def _names_in_appositive(m: re.Match[str]) -> bool:
    appos = m.group("appos") if "appos" in m.re.groupindex else None
    return appos is not None and _NAME.fullmatch(appos.split(",", 1)[0].strip()) is not None


def _body_of(m: re.Match[str]) -> bool:
    """`Friends of the Earth joined`: one word before `of the` opens the name of a body (or is a
    title); a person's full name is two words or more (`Ana Ruiz of the Harbor Review`)."""
    return m.groupdict().get("of") is not None and " " not in m.group("who").strip()


def _place_before_appositive(m: re.Match[str]) -> bool:
    """`In a statement to the Ledger, her adviser, Ana Ruiz, said`: a name after a preposition
    (and a `the`) and before an appositive is a place or an outlet the sentence opens with; the
    speaker is in the appositive. A name after `of` or `for` may still end a title ("Secretary of
    State Ana Ruiz"), so those two are no sign."""
    if "appos" not in m.re.groupindex or m.group("appos") is None:
        return False
    at = m.start("who")
    written = _word_before(m.string, at)
    if written in _TOPIC_OPENERS or m.group("who").startswith(tuple(f"{w} " for w in _TOPIC_OPENERS)):
        return True  # `Of Lind, Ana Ruiz, who ..., said`: opening a sentence, no title's `of`
    word = written.lower()
    if word == "the":  # "to the Ledger"
        word = _word_before(m.string, _word_start_before(m.string, at)).lower()
    elif word in _CLAUSE_CONJUNCTIONS and _PARTICIPLE_APPOS.match(m.group("appos")):
        return False  # `after Mr. Roe, asked about the wall, had said`: a clause's subject
    return word in _PREPOSITIONS and word not in _TITLE_PREPOSITIONS


# an appositive that is a participle clause (`Roe, asked about the plan, said`, `Roe, speaking in
# Salem, said`) tells what a person did: the name before it is a person, no place or outlet
_PARTICIPLE_APPOS = re.compile(r"(?:[a-z]+ly\s+)?[a-z]+(?:ed|ing|en)\b")


_PARTICIPLE_SET = frozenset(PARTICIPLE_CUES)
_NAMING = frozenset(vocab.words("cue_verbs", "naming"))


_HAS_DONE = re.compile(r"\b(?:has|have|had)\b")


def _named_thing(m: re.Match[str]) -> bool:
    """`a book called "Women Who Work"`: a description before a naming verb is the thing named."""
    if "cue" not in m.re.groupindex or m.group("cue") is None or m.start("cue") < m.start("who"):
        return False
    who = m.group("who")
    if m.group("cue").lower() not in _NAMING or not (who[0].islower() or _DET_WORD.match(who)):
        return False
    if _HAS_DONE.search(m.string, m.end("who"), m.start("cue")):
        return False  # `what one critic has dubbed "`: a thing named is never said to have named
    # the name follows at once: a capital, a quotation mark, or the quote itself (the text ends)
    after = m.string[m.end("cue"):m.end("cue") + 3].lstrip()
    return not after or after[0] in "“\"'‘" or after[0].isupper()


_PARTICIPLE_SUBJECT_WORDS = frozenset(_grammar("participle_subject_words"))


def _object_of_participle(m: re.Match[str]) -> bool:
    """`Andanar released a statement saying`: the words before a participle cue are its clause's
    object, not its subject; only `with Roe saying` makes them the speaker."""
    if "cue" not in m.re.groupindex or m.group("cue") is None or m.start("cue") < m.start("who"):
        return False
    if m.group("cue").lower() not in _PARTICIPLE_SET:
        return False
    lead = m.string[max(0, m.start("who") - 3):m.start("who")].rstrip()
    if lead.endswith((";", "–", "—")):
        return False  # `– Roe saying`: the clause opens at the dash
    before = _LAST_WORD.search(m.string, max(0, m.start("who") - 20), m.start("who"))
    return before is None or before.group(1).lower() not in _PARTICIPLE_SUBJECT_WORDS


# `Salem (AP) — Ana Ruiz said ...`: a place and a wire service before a dash open a story (a
# dateline); the place is no speaker
_DATELINE_AFTER = re.compile(r"(?:,[ \t]+[\w.]+(?:[ \t]+[\w.]+)?)?[ \t]*\([A-Z][\w ]{1,12}\)[ \t]*[-–—]")


# `Ana Ruiz of Salem` / `Bank of America` / `Secretary of State Ana Ruiz`: the capitalised words
# (at most five) before an `of` (and a `the`) that a name follows; the patterns find only that name
_HEAD_OF = re.compile(rf"(?<![\w’'\-.])(?P<head>(?:[{_UP}][\w’'\-]*\.?[ \t]+){{1,5}})of[ \t]+(?:the[ \t]+)?$")
_HEAD_OF_REACH = 80  # characters back from the name
_HOLDER_BEFORE = re.compile(rf"(?<![\w’'\-.])(?P<name>{_TOKEN}(?:[ \t]+{_TOKEN}){{1,4}}),[ \t]+$")
_TITLE_HEADS = TITLES | frozenset(vocab.words("speaker_titles", "heads_of_titles"))


def _head_of(text: str, at: int) -> re.Match[str] | None:
    """The capitalised words before the `of` (or `of the`) right before offset `at`, if any."""
    if text[max(0, at - 6):at].rstrip(" \t").endswith(("of", "the")):
        return _HEAD_OF.search(text, max(0, at - _HEAD_OF_REACH), at)
    return None


def _after_title_of(name: str) -> int | None:
    """Where the person starts in a name after a title's `of` ("Secretary of State Ana Ruiz":
    "State Ana Ruiz" -> at "Ana Ruiz"): the last two words of three or more (a one-word place or
    body and a full name), the last word of two ("State Ruiz"); None for one word ("Mayor of
    Salem" names a post, not its holder)."""
    starts = [w.start() for w in _NONSPACE.finditer(name)]
    return starts[-2] if len(starts) > 2 else starts[-1] if len(starts) == 2 else None


def _of_phrase(text: str, start: int, end: int) -> tuple[int, int, Literal["name", "description"]] | None:
    """For a name at text[start:end] that follows `Head of` (or `Head of the`): where the speaker
    is, and of what kind. After a title the speaker is the person the name ends with, or the
    whole post (`Mayor of Salem`); after a person's name (two words or more) it is that person
    (`Ana Ruiz of Salem`); else the whole phrase is the name of a body (`Bank of America`; `the
    Living Church of God`: a determiner before the head makes it no person). None when no
    capitalised head stands before an `of`."""
    head = _head_of(text, start)
    if head is None:
        return None
    words = head.group("head").split()
    if _bare(words[-1]) in _TITLE_HEADS:
        cut = _after_title_of(text[start:end])
        if cut is None:
            # `Senator Jeff Flake, Republican of Arizona, who`: the post's holder named before it
            holder = _HOLDER_BEFORE.search(text, max(0, head.start() - _HEAD_OF_REACH), head.start())
            if holder is not None and (name := clean_name(holder.group("name"))) is not None:
                at = holder.end("name") - len(name)
                return at, at + len(name), "name"
            post = clean_name(text[head.start():end]) or text[head.start():end]
            at, post_end = _locate(text, post, head.start())
            return at, post_end, "description"
        return start + cut, end, "name"
    person = clean_name(head.group("head").strip())
    if person is not None and " " in person and not _looks_like_org(person) and \
            not _DET_WORD.match(text, _word_start_before(text, head.start())):  # `the Living Church of God`
        at, person_end = _locate(text, person, head.start())
        if (inner := _of_phrase(text, at, person_end)) is not None:
            return inner  # `Secretary of State Ana Ruiz of Texas`
        return at, person_end, "name"
    body = clean_name(text[head.start():end])
    if body is None:
        return None
    at, body_end = _locate(text, body, head.start())
    if at >= start:
        return None  # `One of Mr. Ruiz's aides`: the head is no part of a name
    # `Aris Shirvanian of the Armenian Patriarchate of Jerusalem`: the body may itself be of a head
    return _of_phrase(text, at, body_end) or (at, body_end, "name")


def _locate(text: str, name: str, start: int) -> tuple[int, int]:
    """Where `name`, a stretch of `text` at or after `start` with its spaces made single by
    `clean_name`, stands in `text`: the first exact match, else the words with any whitespace
    between them (`M  of L`, a line break or a no-break space inside a name)."""
    at = text.find(name, start)
    if at >= 0:
        return at, at + len(name)
    spaced = re.compile(r"\s+".join(map(re.escape, name.split(" "))))
    found = spaced.search(text, start)
    if found is None:  # clean_name only drops words and spaces: the name is always there
        raise AssertionError(f"{name!r} is not in the text after {start}")
    return found.start(), found.end()


# `said Secretary of State Ana Ruiz`: a title alone, then its `of` part and a name
_OF_NAME_AFTER = re.compile(rf"[ \t]+of[ \t]+(?:the[ \t]+)?(?P<name>{NAME})(?![\w’'\-])")


# `That’s`, `It’s`, `There’s`: a sentence word before `’s` is a verb's contraction, no owner of a
# description (`Here’s Roe in 1992: "` still introduces the words of the person named after it)
_INTRODUCING = frozenset(vocab.words("speaker_titles", "introducing_contractions"))
_CONTRACTION = re.compile(
    rf"{_alternation(frozenset(w.capitalize() for w in vocab.words('speaker_titles', 'not_names') if w not in _INTRODUCING))}(?:’s|'s)\b")


def _mention(m: re.Match[str], base: int) -> Mention | None:
    who = m.group("who")
    start = base + m.start("who")
    if who[0].isupper() and _CONTRACTION.match(who) and " " in who:
        return None
    if _object_of_preposition(m) or _object_of_participle(m) or _named_thing(m) or \
            _DATELINE_AFTER.match(m.string, m.end("who")) or _body_of(m):
        return None
    if who[0].isupper():
        of = _of_phrase(m.string, m.start("who"), m.end("who"))
        if of is None and all(_bare(w) in TITLES for w in who.split()) and \
                (after := _OF_NAME_AFTER.match(m.string, m.end("who"))) is not None:
            of = _of_phrase(m.string, after.start("name"), after.end("name"))
        if of is not None:
            return Mention(base + of[0], base + of[1], m.string[of[0]:of[1]], of[2])
    if _PRONOUN.fullmatch(who):
        return Mention(start, start + len(who), who, "pronoun")
    appos = m.groupdict().get("appos")
    if appos and _describes(who):
        # "The minister, Ola Berg, said": the appositive names the speaker (its first part:
        # "the minister, Ola Berg, a former banker, said")
        # "the winner, Gov. Ana Ruiz (R-OH), said": a party and state after the name are not of it
        first = _TRAILING_PAREN.sub("", appos.split(",", 1)[0].strip())
        named = _NAME.fullmatch(first)
        cleaned = clean_name(first) if named else None
        if cleaned is None and (pair := _TWO_NAMES.fullmatch(first)) is not None and who.endswith("s"):
            # "Two economists, Ana Ruiz and Tom Bell, found": a plural description names its people
            if clean_name(pair.group(1)) == pair.group(1) and clean_name(pair.group(2)) == pair.group(2):
                cleaned = first
        if cleaned:
            at, end = _locate(appos, cleaned, 0)
            at, end = at + base + m.start("appos"), end + base + m.start("appos")
            return Mention(at, end, cleaned, "name")
    possessive = _POSSESSIVE.search(who) if who[0].isupper() and not appos else None
    if possessive is not None:
        # "Roe’s top aide Bo Lind": a possessive description that ends by naming its person
        named = _TRAILING_NAME.search(who)
        if named and named.group("role") and named.start() > possessive.end():
            at = start + named.start("name")
            return Mention(at, at + len(named.group("name")), named.group("name"), "name")
        if _OWNED_ROLE.fullmatch(who, possessive.end()):
            # "Roe’s spokesman", "Roe’s chief of staff": someone of Roe's, not Roe
            return Mention(start, start + len(who), who, "description")
        if named and " " in named.group("name") and named.start() > possessive.end() and \
                _OWNED_ROLE.fullmatch(who[:named.start()].rstrip(" \t"), possessive.end()):
            # "Roe’s longtime friend Bo Lind": the person the description ends by naming
            at = start + named.start("name")
            return Mention(at, at + len(named.group("name")), named.group("name"), "name")
    if who[0].isupper() and who.endswith(("’s", "'s")) and \
            (owned := _OWNED_TAIL.match(m.string, m.end("who"))) is not None:
        # `said Roe’s wife`, `recalled Roe’s predecessor, Bo Lind`: someone of Roe's, not Roe
        return Mention(start, base + owned.end(), m.string[m.start("who"):owned.end()], "description")
    if who[0].isupper() and not _DET_WORD.match(who):
        cleaned = clean_name(who)
        if cleaned is None:
            return None
        offset, end = _locate(who, cleaned, 0)
        return Mention(start + offset, start + end, cleaned, "name")
    named = _TRAILING_NAME.search(who)
    # "a spokeswoman for Ana Ruiz" is not Ana Ruiz: a name after a preposition (other than the
    # `of` inside a title) is its object; after a conjunction that opens a clause it is that
    # clause's subject, the cue's ("The news came after Ana Ruiz said")
    if named and (" " in named.group("name") or named.group("role")) and (
            (before := _word_before(who, _after_the(who, named.start())).lower()) not in _PREPOSITIONS - {"of"}
            or before in _CLAUSE_CONJUNCTIONS and not _looks_like_org(named.group("name"))):
        at = start + named.start("name")
        return Mention(at, at + len(named.group("name")), named.group("name"), "name")
    if named and _word_before(who, named.start()).lower() in _CLAUSE_CONJUNCTIONS:
        return None  # `her links while Sanders suggests`: a clause's subject ends no description
    if named and _REDUCED_RELATIVE.search(who, 0, named.start()) and not _looks_like_org(named.group("name")) \
            and _bare(named.group("name")) not in _NAMELESS_WORDS:
        # `the columns Bradley wrote`: a person named right after a plain noun is the subject of a
        # relative clause with no `that`, the cue's
        at = start + named.start("name")
        return Mention(at, at + len(named.group("name")), named.group("name"), "name")
    if _bare(who.split()[-1]) in _DESCRIPTION_ENDS and (titled := _title_after(m.string, m.end("who"))):
        # `," wrote the authors of the "Growth Plan," giving ...`: a description cut short on a
        # small word goes on through a title in quotation marks
        who = m.string[m.start("who"):titled]
    return Mention(start, start + len(who), who, "description")


# a title in quotation marks right after a description (`the authors of the "Growth Plan,"`)
_QUOTED_AFTER = re.compile(r"[ \t]*[“\"](?P<words>[^“”\"\n]{1,80}?)[,.]?[”\"]")


def _title_after(text: str, at: int) -> int | None:
    """The end of a title-cased stretch in quotation marks at `at` (past its closing mark), or None."""
    m = _QUOTED_AFTER.match(text, at)
    if m is None or not titles.title_cased(m.group("words")):
        return None
    return m.end()


# two people named in full, joined by `and` ("Ana Ruiz and Tom Bell")
_TWO_NAMES = re.compile(rf"({NAME})[ \t]+and[ \t]+({NAME})")
_POSSESSIVE = re.compile(r"\w(?:’s|'s)\b")
# what follows a possessive name in a description of someone else: lower-case words, or titles and
# roles in any case ("’s spokesman", "’s longtime predecessor", "’s Chief of Staff")
# (ending in a person: a title, a role or a relation, "’s chief of staff" ending in a title; a thing
# owned, "Roe’s statement", leaves the words Roe's)
_PERSON_WORD = rf"(?i:{_alternation(ROLE_WORDS | TITLES | frozenset(vocab.words('speaker_titles', 'relations')))})"
# Up to three words before the person word, none a cue, a preposition, a clause word or a verb in
# -ed ("Roe’s right-hand woman rallied supporters" is no description: it runs into its verb)
_NOT_OWNED = _alt({*CUE_WORDS, *(_PREPOSITIONS - {"of"}), *_grammar("not_in_descriptions")})
_OWNED_WORD = rf"(?!(?:{_NOT_OWNED})(?![\w’'\-]))(?![a-z][\w’'\-]*ed(?![\w’'\-]))(?:[a-z][\w’'\-]*|{_TITLE_OR_ROLE}(?![\w’'\-]))"
_OWNED_ROLE = re.compile(
    rf"(?:[ \t]+(?:{_OWNED_WORD}|of)){{0,3}}?[ \t]+{_PERSON_WORD}(?:[ \t]+of[ \t]+[{_UP}]\w+)?")
# the same after a speaker found as a bare possessive name (`said Roe’s wife`)
_OWNED_TAIL = re.compile(rf"(?:[ \t]+{_OWNED_WORD}){{0,3}}?[ \t]+{_PERSON_WORD}(?![\w’'\-])")
_CLAUSE_CONJUNCTIONS = frozenset(_grammar("clause_conjunctions"))
# a plural noun in lower case right before the name a description ends with (`the columns Bradley`)
_REDUCED_RELATIVE = re.compile(r"\b[a-z][a-z\-]+s\s+$")
_TRAILING_PAREN = re.compile(r"\s*\([^()]{1,40}\)$")


def _describes(who: str) -> bool:
    """Whether a speaker phrase is a description ("the minister", "Clinton’s campaign chairman")
    rather than a name, so that an appositive after it names the person."""
    words = who.split()
    return (who[0].islower() or bool(_DET_WORD.match(who)) or bool(_POSSESSIVE.search(who))
            or any(w[0].islower() for w in words[1:]))


# "the company’s chief executive Ingrid Halvorsen": a description that ends by naming its person
_TRAILING_NAME = re.compile(
    rf"(?:(?P<role>{_ROLES})\s+)?(?P<name>{_TOKEN}(?:\s+{_TOKEN})*)$")


def _bare(token: str) -> str:
    """A token lowered, without a closing full stop or a possessive ("There’s" -> "there")."""
    token = token.lower().rstrip(".")
    return token[:-2] if token.endswith(("’s", "'s")) else token


@functools.lru_cache(maxsize=4096)  # an article names the same people again and again
def clean_name(who: str) -> str | None:
    """Drop leading sentence words ("But Zhang") and a trailing possessive; None if no name is left."""
    tokens = who.split()
    while tokens and _bare(tokens[0]) in _LEADING_WORDS:
        tokens = tokens[1:]
    if not tokens:
        return None
    if all(_bare(t) in _NAMELESS_WORDS for t in tokens):
        return None
    name = " ".join(tokens)
    return name[:-2] if name.endswith(("’s", "'s")) else name


_POSSESSIVE_WORDS = frozenset(_grammar("possessives"))
_NAME_SUFFIXES = frozenset(_grammar("name_suffixes"))
_NOT_ALONE = _POSSESSIVE_WORDS | _NAME_SUFFIXES  # words that name nobody on their own
_DESCRIPTION_ENDS = frozenset(_grammar("description_ends"))


def _written_in_lower_case(text: str, word: str) -> bool:
    """Whether the text writes `word` (lower case) as a whole word somewhere."""
    at = text.find(word)
    while at != -1:
        before = text[at - 1:at]
        after = text[at + len(word):at + len(word) + 1]
        if not (before.isalnum() or before in "’'-" and before) and not (after.isalnum() or after in "’'-" and after):
            return True
        at = text.find(word, at + 1)
    return False


def unsure_speaker(text: str, mention: Mention, people: NameIndex) -> bool:
    """Whether a speaker a pattern found is likely no speaker at all, so that its sieve declines
    and a later one (or none) takes the quote: a lone capitalised word the article also writes in
    lower case and never as part of a full name ("Indeed", "Audiences" opening a sentence), a
    possessive ("His"), a name suffix alone ("Jr."), or a description cut short on a small word
    ("the authors of the")."""
    words = mention.text.split()
    if not words:
        return True
    if mention.kind == "description":
        return _bare(words[-1]) in _DESCRIPTION_ENDS
    if mention.kind != "name":
        return False
    if all(_bare(w) in _NOT_ALONE for w in words):
        return True
    if len(words) > 1:
        return False
    word = _bare(words[0])
    if people.full_name(words[0], mention.start) != words[0]:
        return False
    if _written_in_lower_case(text, word):
        return True
    # a plural opening a sentence whose singular the article writes in lower case ("Audiences can
    # expect ..." where it speaks of "the audience"): a common noun, no name
    singular = _singular(word)
    return singular is not None and people._opens_sentence(mention.start) and _written_in_lower_case(text, singular)


def _singular(word: str) -> str | None:
    """The singular of a plain English plural ("audiences" -> "audience", "voters" -> "voter"),
    None for a word that is no such plural ("press", "bus", "this")."""
    if len(word) < 5 or not word.endswith("s") or word.endswith(("ss", "us", "is", "’s", "'s")):
        return None
    return word[:-1]


# a transcript label opening the quoted words: `"ROE: We won. Q: Why?"` (the interviewer's "Q" too)
_TRANSCRIPT_LABEL = re.compile(rf"\s*(?P<who>Q|[{_UP}][{_UP}’'\-]+(?:[ \t]+[{_UP}][{_UP}’'\-]+){{0,2}})[ \t]*:[ \t]+\S")


def transcript_label(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """The speaker label a quoted transcript opens with: `ROE: …` is Roe's, `Q: …` the interviewer's."""
    m = _TRANSCRIPT_LABEL.match(text, start, end)
    if m is None:
        return None
    who = m.group("who")
    kind: Literal["name", "description"] = "description" if who == "Q" else "name"
    return ":", Mention(m.start("who"), m.end("who"), who, kind)


# a paragraph that is only a name, perhaps with an age, a place or a job after a comma or a dash:
# the label of the quote below it ("Jane Roe, 34, Austin")
_NAME_LABEL = re.compile(rf"\s*(?P<who>{NAME})(?![\w’'\-])(?:\s*[,—–-]\s*[^“”\"\n]{{0,60}})?[.:]?\s*")


# a credit line under a quotation: "— Bernie Sanders." / "- Ana Ruiz, mayor"
# (`— Lincoln High teacher Ana Ruiz`: the titles and role words before the name are not of it)
# (`— Ana Ruiz (@anaruiz) May 3, 2024`: a post's credit as pages print it, the account's handle and
# the date after the name)
_DASH_CREDIT = re.compile(rf"\s*[-—–]+\s*{_LABEL_PRE}(?P<who>{NAME})(?![\w’'\-])"
                          rf"(?:,[^“”\"\n]{{0,60}}|[ \t]*\(@\w{{1,30}}\)[^“”\"\n]{{0,40}})?\.?\s*")
# `— a teacher at Lincoln High`: a description whose role word comes at once or after two words
# (`— a retired teacher from Mesa`); `— a claim the mayor denies` names no one (`the` before the role)
_DASH_CREDIT_DESC = re.compile(
    rf"\s*[-—–]+\s*(?P<who>{_DET}[ \t]+(?:(?!{_DET}\b)[\w’'\-]+[ \t]+){{0,2}}?(?:{_ROLES})\b(?![’'\-])"
    rf"[^“”\"\n,.;:!?]{{0,60}}?)(?:,[^“”\"\n]{{0,60}})?\.?\s*")


def dash_credit(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """The speaker a dash credit line names (the paragraph under a quotation, or the end of its own)."""
    if end - start > 90:
        return None
    m = _DASH_CREDIT.fullmatch(text, start, end) or _DASH_CREDIT_DESC.fullmatch(text, start, end)
    if m is None:
        return None
    mention = _mention(m, 0)
    return ("—", mention) if mention is not None else None


# `A nurse from Phoenix:` as the paragraph above the words: a description with a role word (as in a
# credit line, `_DASH_CREDIT_DESC`) and a colon is their speaker's label
_DESC_LABEL = re.compile(
    rf"\s*(?P<who>{_DET}[ \t]+(?:(?!{_DET}\b)[\w’'\-]+[ \t]+){{0,2}}?(?:{_ROLES})\b(?![’'\-])"
    rf"[^“”\"\n,.;:!?]{{0,60}}?)(?:,[^“”\"\n:]{{0,60}})?:\s*")


def name_label(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """The speaker named by a short paragraph that holds nothing but a name (and its details), or
    a description with a role word and a colon."""
    if end - start > 80:
        return None
    m = _NAME_LABEL.fullmatch(text, start, end)
    if m is None and (d := _DESC_LABEL.fullmatch(text, start, end)) is not None:
        mention = _mention(d, 0)
        return (":", mention) if mention is not None and mention.kind == "description" else None
    if m is None or len(m.group("who").split()) < 2:
        return None
    who = m.group("who")
    bare = not text[m.end("who"):end].strip(" \t\n.:")
    if clean_name(who) != who or who.isupper() and bare and \
            not _named_elsewhere(text, " ".join(w.capitalize() for w in who.split()), start, end):
        # a sentence ("With Roe, the count ends.") or a section heading ("ROAD WORK."); a name in
        # capitals that the article also writes as a name ("JANE ROE" for Jane Roe) is a lead-in
        return None
    mention = _mention(m, 0)
    return (":", mention) if mention is not None else None


# a line of a list that gives each person's words after their name: `Jane Roe, 34, teacher: “`,
# `2. BO LIND (farmer): “`, `Jane Roe – teacher, Austin – “`; and the digest credit after a
# headline, `ROADS FIRST - Jane Roe and Bo Lind: “` / `More from Roe: “`. The label is the whole
# line before the quote, so a sentence that merely ends in a colon is none
_LIST_NAME = rf"(?P<who>{NAME}(?:[ \t]+and[ \t]+{NAME})?)(?![\w’'\-])"
# a lead-in set in bold (`**Jane Roe:** “`, `__JANE ROE__: “`) is the same label
_BOLD = r"(?:\*\*|__)?"
_LIST_LABEL = re.compile(
    rf"[ \t]*(?:\d{{1,3}}[.)][ \t]+|[-•*][ \t]+)?{_BOLD}{_LIST_NAME}"
    rf"{_BOLD}(?:[ \t]*\([^()“”\"\n]{{1,40}}\)|[ \t]*,[ \t]*[^“”\"\n:–—*]{{1,80}}?|[ \t]+[–—][ \t]*[^“”\"\n:–—*]{{1,60}}?)?"
    rf"[ \t]*{_BOLD}[ \t]*(?::|[–—])[ \t]*{_BOLD}[^\S\n]*")
# (the space before the opening mark may be a no-break space, as pages copied from the web have it)
_DIGEST_CREDIT = re.compile(rf"(?:^[ \t]*|(?<!\S)[-–—][ \t]*)(?:More[ \t]+from[ \t]+)?{_LIST_NAME}[ \t]*:[^\S\n]*$")


def list_label(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """The person a list line names before their quoted words (text[start:end] is the line up
    to the opening mark): a name of two words or more with its details, or a digest credit."""
    if end - start > 200 or not text[start:end].rstrip().rstrip("*_").rstrip().endswith((":", "–", "—")):
        return None
    m = _DIGEST_CREDIT.search(text, start, end) or _LIST_LABEL.fullmatch(text, start, end)
    opens_line = text[start:m.start("who")].strip() in ("", "**", "__") if m is not None else True
    if m is None or len(m.group("who").split()) < 2 and opens_line:
        return None  # one word and a colon opening a line ("Update:") names nobody; `- Roe:` does
    mention = _mention(m, 0)
    return (":", mention) if mention is not None else None


# a headline written in title case that opens with a person: "Ana Ruiz Asked Voters To “Build
# Roads First.”". Title case hides where the name ends, so the name is the longest opening run of
# two or three capitalised words that the article also writes elsewhere
_TITLE_WORD = re.compile(r"[\w’'\-.]+")
HEADLINE_MAX = 160  # characters: a longer line is no headline


def headline_name(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """The person a title-case headline line (text[start:end]) opens with, when the article
    names that person again outside the line."""
    if end - start > HEADLINE_MAX:
        return None
    head = text[start:min(end, start + 40)].split(None, 2)
    if len(head) < 3 or not (head[0][:1].isupper() and head[1][:1].isupper()):
        return None  # no line opening with two capitalised words: the cheap test first
    words = list(_TITLE_WORD.finditer(text, start, end))
    long_words = [w.group() for w in words if len(w.group()) > 3 and w.group()[0].isalpha()]
    if len(long_words) < 3 or sum(w[0].isupper() for w in long_words) < 0.8 * len(long_words):
        return None  # not title case
    for size in (3, 2):
        run = words[:size]
        if len(run) < size or not all(w.group()[0].isupper() and w.group()[0].isalpha() for w in run):
            continue
        name = text[run[0].start():run[-1].end()]
        if " ".join(name.split()) != name or clean_name(name) != name:
            continue  # a line break inside, or a sentence word ("The", "But") in the run
        if _named_elsewhere(text, name, start, end):
            return ":", Mention(run[0].start(), run[-1].end(), name, "name")
    return None


def _named_elsewhere(text: str, name: str, start: int, end: int) -> bool:
    """Whether `name` stands as whole words in the text outside [start, end)."""
    at = text.find(name)
    while at != -1:
        if not start <= at < end:
            before = text[at - 1:at]
            after = text[at + len(name):at + len(name) + 1]
            if not (before.isalnum() or after.isalnum()):
                return True
        at = text.find(name, at + 1)
    return False


# the subject of the sentence a partial quote is woven into: "Rubio offered a defense of the "Gang
# of Eight" bill", "In an address on Friday, President Hollande condemned the "attack""
_NOT_VERBS = frozenset(_grammar("not_verbs"))
_SUBJECT_INTRO = _capitalised(_grammar("subject_intros"))
_CONJ = _capitalised(_grammar("sentence_conjunctions"))
_CONJ_AFTER_INTRO = "|".join((_CONJ, _alt(_grammar("after_intro_conjunctions"))))
_SUBJECT_PRE = rf"(?:(?:[{_UP}][\w’'\-]*\.?|{_ROLES}|of|and|\d+-year-old)\s+){{0,8}}?"
_SUBJECT_OPEN = (
    rf"\s*(?:(?:{_CONJ}),?\s+)?(?:(?:(?i:{_SUBJECT_INTRO})|[{_UP}][a-z]+ly)\b[^“”\"]{{0,160}}?,\s+)?"
    rf"(?:(?:{_CONJ_AFTER_INTRO}),?\s+)?"
    rf"{_SUBJECT_PRE}(?!(?:{_SUBJECT_INTRO})\b|[{_UP}][a-z]+(?:ing|ed)\s|[{_UP}][a-z]+ly\s+(?:after|before|when|[a-z]+ed)\b)")
_SUBJECT_VERB = rf"(?!(?:{_ROLE_ALT}|{_alternation(_NOT_VERBS)})\b)(?P<cue>[a-z][\w\-]+)\b"
# what a description's verb looks like: a past or third-person form, or an auxiliary (a
# description ends at its verb: "The Republican presidential nominee later said")
_VERB_LIKE = rf"(?P<cue>[a-z]\w*(?:ed|s)|{_alt(_grammar('auxiliaries') + _grammar('irregular_past'))})\b"
# between a subject and its verb: a short phrase of time or place ("Roe at the time said", "Roe in
# his speech called"), or the body a person is of ("Ana Ruiz of the Harbor Review imagined"); and
# an appositive never opens with a cue ("Roe (D), said after ...,")
_SUBJECT_PP = (rf"(?:(?:{_alt(_grammar('subject_phrase_openers'))})\s+(?:{_alt(_grammar('subject_phrase_determiners'))})"
               rf"\s+(?:[a-z][\w’'\-]*\s+){{1,2}}|(?P<of>of)\s+the\s+(?:[\w’'\-]+\s+){{1,4}}?)?")
_CUE_TRIE = _alternation(frozenset(CUE_WORDS + QUOTE_ONLY_CUES))
# `Ana Ruiz — a teacher from Salem — says`: a subject's appositive set off by dashes (only here:
# in the patterns every cue of an article is read with, it cost 2% of the quote stage)
_DASH_APPOS = r"(?:[ \t]+[—–][ \t]+[^,—–“”\"\n]{1,100}?[ \t]+[—–])?"
_SUBJECT_APPOS = (rf"(?:\s*\([^()“”\"\n]{{1,40}}\),(?=\s+{_CUE_TRIE}\b)|"
                  rf"{_PAREN}(?:,\s+(?!{_CUE_TRIE}\b)(?P<appos>[^,“”\"]{{1,160}}+(?:{_QUOTED_TITLE}[^,“”\"]{{0,80}}+)?"
                  rf"(?:,\s+(?:and\s+)?[^,“”\"]{{1,100}}+){{0,3}}?(?P<titled>[“\"][^“”\"\n,]{{1,60}}(?=,[”\"]))?),(?(titled)[”\"]))?{_DASH_APPOS})")
_SENTENCE_SUBJECT = re.compile(
    rf"{_SUBJECT_OPEN}(?P<who>{NAME}|{PRONOUN})(?![\w’'\-]){_SUBJECT_APPOS}\s+{_ADVERB}{_SUBJECT_PP}{_SUBJECT_VERB}")
_SENTENCE_SUBJECT_DESC = re.compile(rf"{_SUBJECT_OPEN}(?P<who>{DESC})(?![\w’'\-]){_APPOS}\s+{_ADVERB}{_VERB_LIKE}")
# a longer description (`A spokeswoman for the House Armed Services Committee emailed`) is read to a
# verb in -ed or a cue only: its words may hold a verb of their own (`The party stuck to the tax even as`)
_SENTENCE_SUBJECT_LONG_DESC = re.compile(
    rf"{_SUBJECT_OPEN}(?P<who>{_DESC_TO_CUE})(?![\w’'\-]){_APPOS}\s+{_ADVERB}(?P<cue>[a-z]{{2,}}ed|{CUE})\b")


# `Ana Ruiz, who once called the plan “a folly,” ...`: the quote sits in a relative clause or an
# appositive of the name the sentence opens with, before that name's verb
_AROUND_OPENERS = tuple(f" {w} " for w in _grammar("appositive_openers"))
_AROUND_STOPS = re.compile(r"[;:“”\"—–]")
_SUBJECT_AROUND = re.compile(
    rf"{_SUBJECT_OPEN}(?P<who>{NAME})(?![\w’'\-]), (?:{_alt(_grammar('appositive_openers'))}) [^,;:“”\"—–]{{1,160}}$(?P<cue>)")


def sentence_subject(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """The person a sentence opens with, when a quote sits later in that sentence: for a quote no
    cue word introduces, the subject of its sentence is the likeliest speaker."""
    if not text[start:end].strip():
        return None
    clause = _nearest_clause_subject(text, start, end)
    if clause is not None:
        return clause
    # the appositive `_SUBJECT_AROUND` reads opens at the last comma and runs to the quote
    comma = text.rfind(",", start, end)
    if comma != -1 and end - comma <= 170 and text.startswith(_AROUND_OPENERS, comma + 1) and \
            _AROUND_STOPS.search(text, comma, end) is None:
        inside = _SUBJECT_AROUND.match(text, start, end)
        # `Critics of Ana Ruiz, who ...`: a name after a preposition is no subject
        if inside is not None and _word_before(text, inside.start("who")).lower() not in _PREPOSITIONS \
                and (mention := _mention(inside, 0)) is not None:
            return "", mention
    m = _SENTENCE_SUBJECT.match(text, start, end)
    declined = m is not None
    if m is None or _described(m, end) or (mention := _mention(m, 0)) is None:
        if declined and text.find(",", start, end) == -1:
            return None  # after a declined name a description needs an appositive: a comma
        m = _SENTENCE_SUBJECT_DESC.match(text, start, end) or _SENTENCE_SUBJECT_LONG_DESC.match(text, start, end)
        mention = _mention(m, 0) if m is not None and not _described(m, end) else None
        # after a declined name, only a description that names its person in an appositive
        # (`In early October, Roe’s state director, Bo Lind, reached out`: "October" declined)
        if m is None or mention is None or (declined and mention.kind != "name"):
            return None
    if _sentence_ends_between(text, m.end("cue"), end):
        return None  # `X outperforms Y, the company said. “a`: the subject's sentence has ended
    return _cue_text(_verb_after_participle(text, m, end)), mention


# `A letter ... obtained by the Ledger warns that "`: a verb in -ed before `by` is a participle of
# the subject's phrase; the sentence's verb is the cue that follows it
_BY_AFTER = re.compile(r"[ \t]+by[ \t]")


def _verb_after_participle(text: str, m: re.Match[str], end: int) -> str:
    """The subject's verb: the cue `m` found, or for a participle before `by` the next cue word."""
    cue = m.group("cue")
    if not cue.endswith("ed") or _BY_AFTER.match(text, m.end("cue")) is None:
        return cue
    later = _CUE_ONLY.search(text, m.end("cue"), end)
    return later.group() if later is not None else cue


def _sentence_ends_between(text: str, start: int, end: int) -> bool:
    """Whether a sentence ends in text[start:end] outside its quotations: `!`, `?`, or `.` after a
    word all in lower case that is no abbreviation, then a space, whatever comes next (the segmenter
    also wants a capital after it, so `said. “a` or `said. and` stays inside one of its
    sentences). Read cautiously, as no capital confirms it: a full stop after initials (`U.N.`),
    a capitalised word (`Calif.`, `Gov.`: abbreviations the segmenter's list need not hold), a
    single letter, or inside brackets (`(D-Mass.) as`), ends nothing here."""
    gap = _QUOTED_STRETCH.sub(lambda q: " " * len(q.group()), text[start:end])
    for m in segment._END.finditer(gap):
        mark = m.group()
        if m.end() >= len(gap) or not gap[m.end()].isspace() or mark[0] not in ".!?" \
                or mark.endswith((")", "]")):
            continue
        if mark[0] != ".":
            return True
        word = re.search(r"[^\s(\"“]*$", gap[:m.start()])
        token = word.group() if word else ""
        if len(token) > 1 and "." not in token and token == token.lower() and token[-1].isalnum() \
                and not segment._is_abbreviation(text, start, start + m.start(), mark):
            return True
    return False


_COPULAS = frozenset(vocab.words("cue_verbs", "copulas"))
_DESCRIBED_GAP = 3  # words between `is` and the quote: "Roe is the “kind-hearted” man"
_TO_SAY = re.compile(rf"\bto\s+(?:{_alt(vocab.words('cue_verbs', 'infinitives'))})\s*[,:]?\s*$")
_QUOTED_STRETCH = re.compile(r"“[^“”\n]*”|\"[^“”\"\n]*\"")


def _described(m: re.Match[str], end: int) -> bool:
    """`Roe is “a basket case”`: a quote right after `is` describes the subject; it is not the
    subject's words."""
    if m.group("cue").lower() not in _COPULAS:
        return False
    if _TO_SAY.search(m.string, m.end("cue"), end):
        return False  # `Roe was prompted to say, "`: the subject is made to speak, not described
    # `Roe is "a basket case" and "a liar"`: a quote before this one in the gap describes too
    gap = _QUOTED_STRETCH.sub(" ", m.string[m.end("cue"):end]).split()
    # `Roe is promising “...”` / `Roe’s answer was that “...”` report words: no description
    return len(gap) <= _DESCRIBED_GAP and not any(w.endswith("ing") or w == "that" for w in gap)


# a clause inside the sentence opens with its subject: "..., while Mike Huckabee proposed we "...",
# "an incident Trump brought up as "...", "with Cruz promising to "...""
_CLAUSE_OPENS = re.compile(rf"(?:[,;(—–]|\b(?:{_alt(_grammar('clause_openers'))}))\s+(?=[{_UP}])")
_SPACE_THEN_CAPITAL = re.compile(rf"\s[{_UP}]")
_CLAUSE_SUBJECT = re.compile(rf"(?P<who>{NAME})(?![\w’'\-]){_SUBJECT_APPOS}\s+{_ADVERB}{_SUBJECT_PP}{_SUBJECT_VERB}")


def _second_part_of_place(text: str, comma: int) -> bool:
    """`in Salem, Ohio, and ... called`: after a comma, a one-word name (set off by a comma after
    it too) that follows a capitalised word which a preposition governs is the second part of a
    place, not a clause's subject."""
    if text[comma] != ",":
        return False
    i = comma
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "’'-."):
        i -= 1
    return i < comma and text[i].isupper() and _word_before(text, i).lower() in _PREPOSITIONS


def _nearest_clause_subject(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """The last name opening a clause (after a comma, `while`, `which` ...) before `end`, with a
    verb after it, when that clause is not the sentence's first. Names are tried only where a
    clause opens, which is far cheaper than trying the name pattern at every capital."""
    found = None
    # within the last `_BEFORE_REACH` characters: each quote of a sentence that never ends would
    # otherwise read every clause of it again
    lo = max(start, end - _BEFORE_REACH)
    if _SPACE_THEN_CAPITAL.search(text, lo, end) is None:
        return None  # every clause opens with a space before a capital (`_CLAUSE_OPENS` tries each offset)
    for opening in _CLAUSE_OPENS.finditer(text, lo, end):
        m = _CLAUSE_SUBJECT.match(text, opening.end(), end)
        if m is not None and not (text.startswith(",", m.end("who")) and " " not in m.group("who")
                                  and _second_part_of_place(text, opening.start())):
            found = m
    if found is None or _described(found, end):
        return None
    mention = _mention(found, 0)
    return (_cue_text(found.group("cue")), mention) if mention is not None else None


# Chinese: 「…」林晓峰说 / 首席执行官林晓峰在发布会上表示：「…」 / 林晓峰还表示 / 他说：「…」 / 据公司介绍
_CJK = "\u4e00-\u9fff"


def _zh_alt(key: str) -> str:
    return _alt(vocab.words("zh_speech_verbs", key))


ZH_SPEECH_VERBS = vocab.words("zh_speech_verbs")
_ZH_CUE = rf"(?:{_zh_alt('words')})"
_ZH_TITLE = rf"(?:{_zh_alt('titles')})"
_ZH_ADVERB = rf"(?:{_zh_alt('adverbs')})"
_ZH_PRONOUN = rf"(?:{_zh_alt('pronouns')})"
_ZH_WHO = rf"(?P<who>{_ZH_PRONOUN}|(?!据)[{_CJK}]{{2,3}}?)"
# between the speaker and the verb: an adverb (还/也), a place or occasion (在发布会上), both
_ZH_BETWEEN = rf"{_ZH_ADVERB}?(?:在[^，。「」“”：:]{{1,20}}?[上中时后])?{_ZH_ADVERB}?"
_ZH_AFTER = re.compile(rf"^[\s，,]*(?:[{_CJK}]{{0,6}}?{_ZH_TITLE})?{_ZH_WHO}{_ZH_BETWEEN}(?P<cue>{_ZH_CUE})")
_ZH_BEFORE = re.compile(
    rf"(?:^|(?<=[，。：；、\s」』”])|{_ZH_TITLE}){_ZH_WHO}{_ZH_BETWEEN}(?P<cue>{_ZH_CUE})[：:，,]?\s*$")
_ZH_ANYWHERE = re.compile(
    rf"(?:^|(?<=[，。：；、\s」』”】])|{_ZH_TITLE}){_ZH_WHO}{_ZH_BETWEEN}(?P<cue>{_ZH_CUE})")
_ZH_ACCORDING = re.compile(rf"(?P<cue>据)(?P<who>[{_CJK}]{{2,8}}?)(?:{_zh_alt('according')})")
_ZH_ACCORDING_BEFORE = re.compile(
    rf"(?P<cue>据)(?P<who>[{_CJK}]{{2,8}}?)(?:{_zh_alt('according')})[：:，,]?\s*$")
_ZH_PRONOUN_ONLY = re.compile(_ZH_PRONOUN)
# a name after a title: 首席执行官林晓峰 (two or three characters, then no more CJK of the name)
_ZH_TITLED = re.compile(rf"{_ZH_TITLE}(?P<name>[{_CJK}]{{2,3}}?)(?={_ZH_BETWEEN}{_ZH_CUE}|[，。、：（(]|在|是|周|今|昨|表)")


def _zh_mention(m: re.Match[str], base: int) -> tuple[str, Mention]:
    start = base + m.start("who")
    who = m.group("who")
    kind: Literal["name", "pronoun"] = "pronoun" if _ZH_PRONOUN_ONLY.fullmatch(who) else "name"
    return m.group("cue"), Mention(start, start + len(who), who, kind)


def attribution_after(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """The cue and speaker right after a closing quotation mark, up to the sentence end."""
    window = text[start:min(end, start + 300)]
    if CHINESE_CHAR.search(window[:20]):
        m = _ZH_AFTER.match(window)
        return _zh_mention(m, start) if m else None
    for pattern in (_AFTER_INVERTED, _AFTER_NORMAL):
        m = pattern.match(window)
        if m:
            mention = _mention(m, start)
            if mention is not None:
                if pattern is _AFTER_INVERTED and mention.kind == "description" and not m.group("appos"):
                    mention = _closing_appositive_name(window, mention.end - start, start) or mention
                return _cue_text(m.group("cue")), mention
    if any(f" {word}" in window[:200] for word in _FINDINGS) and (m := _FINDING_AFTER.match(window)) and \
            (mention := _mention(m, start)) is not None:
        return _cue_text(m.group("cue")), mention
    if window.lstrip(" \t").startswith(_PASSIVE_HEADS) and (m := _AFTER_PASSIVE.match(window)) is not None and \
            (mention := _mention(m, start)) is not None:
        return _cue_text(m.group("cue")), mention
    if text[max(0, start - 3):start].rstrip("”\"」』 ").endswith((",", "?", "!", "—", "–")):
        # `," an angry Roe retorted.`: a quote left open by its last mark, then a speaker and any
        # verb in the past tense that closes the attribution is its cue
        m = _AFTER_ANY_VERB.match(window) if "ed" in window[:160] else None
        if m and (mention := _mention(m, start)) is not None:
            return _cue_text(m.group("cue")), mention
    return None


# `," said the team’s lawyer, Ana Ruiz.`: a name in an appositive that ends the sentence (no comma
# closes it) after a description is the person described; not a day ("said the mayor, Monday.")
# nor a party and state ("said the senator, R-Texas.")
# (`, Ana Ruiz of the Harbor Board.`: her employer may follow the name)
_CLOSING_APPOS_NAME = re.compile(
    rf",[ \t]+(?P<name>{NAME}){_NAME_ENDS}(?:[ \t]*\([^()\n]{{1,40}}\)|[ \t]+(?:of|at|for|from)[ \t]+[^“”\"\n,.;!?]{{1,60}}?)?"
    rf"[ \t]*(?:[.;!?](?=\s|$)|$)")
_LAST_INITIAL = re.compile(r"(?:^|\s)[A-Z]$")
_TIME_NAMES = frozenset(_grammar("time_words"))


def _closing_appositive_name(window: str, at: int, base: int) -> Mention | None:
    """The person a description after the cue is, named in an appositive closing the sentence."""
    m = _CLOSING_APPOS_NAME.match(window, at)
    if m is None:
        return None
    name = clean_name(m.group("name"))
    if name is None or name.lower() in _TIME_NAMES or _PARTY_STATE.fullmatch(name) or _LAST_INITIAL.search(name):
        return None
    offset, end = _locate(window, name, m.start("name"))
    return Mention(base + offset, base + end, name, "name")


_PARTY_STATE = re.compile(r"[A-Z]-[A-Z][\w.]*")


def _participle_search(window: str) -> re.Match[str] | None:
    """`_PARTICIPLE.search(window)`, run only where a participle it needs is written in the window:
    its opening (a comma or any space) lets the regex engine skip almost nothing."""
    if not any(map(window.__contains__, PARTICIPLE_CUES)):
        return None
    return _PARTICIPLE.search(window)


def _intro_search(window: str) -> re.Match[str] | None:
    """`_INTRO.search(window)`, tried only where `_INTRO` can open."""
    return _search_from(_INTRO, _INTRO_OPENS, window, shift=2, at_zero=True)


# `The sign on the door says: "` / `The headline reads: "`: a speaker and a cue before the colon
# are no label (the label would read "The sign on the door says")
_LABEL_CUE = re.compile(rf"^\s*{_LABEL_PRE}(?P<who>{DESC}){_PAREN}\s+(?P<cue>{CUE})\s*:\s*$")
# `..., in Roe’s words, "` / `In the words of Roe, "`: the words are named as the speaker's
_WORDS_OF_NOUNS = vocab.words("cue_verbs", "words_of")
_WORDS_OF = _alt(_WORDS_OF_NOUNS)
_IN_OWN_WORDS = re.compile(
    rf"(?<![\w’'\-])[Ii]n\s+(?P<who>{NAME})(?:’s|'s|’|')\s+(?:own\s+)?(?P<cue>{_WORDS_OF})\s*,\s*$")
_IN_WORDS_OF = re.compile(
    rf"(?<![\w’'\-])[Ii]n\s+the\s+(?P<cue>{_WORDS_OF})\s+of\s+{_ROLE}?(?P<who>{NAME}|{_IDESC}|{DESC})\s*,\s*$")


def _in_words_search(window: str) -> re.Match[str] | None:
    """`in Roe’s words, ` or `in the words of Roe, ` ending the window."""
    tail = window[-120:]
    if not any(noun in tail for noun in _WORDS_OF_NOUNS):
        return None  # the common case, decided without a regex search
    return _IN_OWN_WORDS.search(window) or _IN_WORDS_OF.search(window)


_INTRO_SEARCHES = (_BEFORE_INVERTED.search, _LABEL_CUE.search, _LABEL.search, _intro_search,
                   _BEFORE_INVERTED_MID.search, _in_words_search)


def _closed_by_clause(m: re.Match[str]) -> bool:
    """`Asked about the plan, Roe said, "`: what closes with the comma before the quote is a
    clause with its own subject and cue, not an appositive (which opens in lower case or with a
    number and holds no cue: `Said Ana Ruiz, a neighbor, "`, `Said Ana Ruiz, 34, "`)."""
    if m.groupdict().get("closed") is None:
        return False
    appos = m.group("appos")
    return appos[:1].isupper() or _CUE_ONLY.search(appos) is not None


def intro_before(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """A speaker introducing the quote right before its opening mark, other than `X said`: the
    inverted `Said Comey, "` / `..., explained moderator Ana Ruiz: "`, and the label
    `Donald Trump: "` / `The memo began, "`."""
    window = text[max(start, end - 200):end]
    if not window.rstrip().endswith((",", ":")):
        return None  # every introduction ends in a comma or a colon before the quote
    for search in _INTRO_SEARCHES:
        m = search(window)
        if m and not _closed_by_clause(m):
            mention = _mention(m, end - len(window))
            if mention is not None:
                cue = m.groupdict().get("cue") or ":"
                return _cue_text(cue), mention
    return None


# `_BEFORE` and `_ANYWHERE` as searched in a window that holds a long word with a capital
# (`BBBB...`, `BbBb...`): not tried at a capital that another capital of its word precedes by at
# most `_IN_RUN` characters (word characters), unless a title's or an initial's full stop may follow there
# (`BMr. Roe`). A speaker that could open there opens at that earlier capital too (the name word
# `[A-Z][\w’'\-]*` takes the letters from it, and all that follows is read alike), and the search
# tries that offset first. The plain patterns try every capital of such a word and read the word
# to its end from each: a word of 1,600 `B`s in a quote's window cost about 30 ms a pattern. In
# other windows the check would cost more than it saves. Searches must not start right after a
# word character (`_run_start_search`), where the earlier capital was not tried.
_IN_RUN = 6
_AFTER_CAPITAL = "".join(rf"(?<![{_UP}]\w{{{n}}})" for n in range(_IN_RUN))  # no capital 1 to 6 back
_NOT_IN_CAPITALS = rf"(?:(?![{_UP}])|(?<!\w)|{_AFTER_CAPITAL}|(?=(?:{_HONORIFICS})\.|[{_UP}]\.))"
_BEFORE_AT_RUNS = re.compile(_BEFORE.pattern.replace(_WHO_OPENS, _WHO_OPENS + _NOT_IN_CAPITALS, 1))
_ANYWHERE_AT_RUNS = re.compile(_ANYWHERE.pattern.replace(_WHO_OPENS, _WHO_OPENS + _NOT_IN_CAPITALS, 1))
_WORD_CHAR = re.compile(r"\w")
_LONG_WORD = re.compile(rf"[{_UP}]\w{{30}}")  # where the plain patterns' attempts grow long


def _run_start_search(pattern: re.Pattern[str], window: str, pos: int) -> re.Pattern[str]:
    """`_BEFORE_AT_RUNS` or `_ANYWHERE_AT_RUNS` for a search of `window` from `pos` when the window
    holds a long word with a capital, else the plain `pattern`; the plain one too when `pos`
    stands right after a word character (see `_NOT_IN_CAPITALS`)."""
    if (pos and _WORD_CHAR.match(window, pos - 1)) or not _LONG_WORD.search(window, pos):
        return pattern
    return _BEFORE_AT_RUNS if pattern is _BEFORE else _ANYWHERE_AT_RUNS


_NOT_AFTER_CUE = (".", "“", "”", '"', "!", "?")  # `_BEFORE`'s `rest` after its cue holds none of these


# a finding reported as words: `Two analysts, Ana Ruiz and Bo Lind, found in 2014 that the mill was
# "`: the finding verb attributes only through a `that` clause (`The audit found "no gaps"` does not)
_FINDINGS = vocab.words("cue_verbs", "findings")
_FINDING_BEFORE = re.compile(
    rf"{_WHO_OPENS}{_WHO}(?:{_APPOS}|{_OPEN_ROLE_APPOS})\s+{_ADVERB}(?P<cue>{_alt(_FINDINGS)})\b"
    rf"(?P<rest>[^.“”\"!?]{{0,40}}?\bthat\b[^.“”\"!?]{{0,120}}?)$")
_FINDING_AFTER = re.compile(
    rf"^[\s,]*{_LABEL_PRE}(?P<who>{NAME}|{PRONOUN}|{DESC}|{_DESC_TO_CUE}){_APPOS}\s+{_ADVERB}"
    rf"(?P<cue>{_alt(_FINDINGS)})[ \t]*(?:[.,;]|$)")


def _finding_before(window: str, base: int) -> tuple[str, Mention] | None:
    """`X found that "`: the finder of the words a `that` clause holds (see `_FINDING_BEFORE`)."""
    at = max(window.rfind(f" {word} ") for word in _FINDINGS)
    if at == -1 or "that" not in window[at:]:
        return None
    m = _FINDING_BEFORE.search(window, max(0, at - _BACK))
    mention = _mention(m, base) if m is not None else None
    return (m.group("cue"), mention) if m is not None and mention is not None else None


_COLON_OBJECT = frozenset(vocab.words("cue_verbs", "colon_object"))


def attribution_before(text: str, start: int, end: int) -> tuple[str, Mention] | None:
    """The cue and speaker before an opening mark: `X said: "`, or for a partial quote the
    nearest `X said`/`according to X` earlier in the sentence (within `_BEFORE_REACH` characters:
    a sentence that never ends must not make every quote in it rescan it)."""
    sentence_start = start
    start = max(start, end - _BEFORE_REACH)
    window = text[start:end]
    if CHINESE_CHAR.search(window[-30:]):
        tail = window[-60:]
        zh = _ZH_ACCORDING_BEFORE.search(tail) or _ZH_BEFORE.search(tail)
        return _zh_mention(zh, end - len(tail)) if zh else None
    lowered = window.lower()
    cues = _before_word_starts(lowered)
    if not cues:
        # no cue word at all: none of the patterns below can match, but a finding may
        return _finding_before(window, start)
    readable = len(lowered) == len(window)  # else a letter grew when lowered: the offsets drift
    # no `X said` of `_BEFORE` or `_ANYWHERE` starts before `lo`
    lo = _speaker_search_from(window, cues) if readable else 0
    # `_BEFORE` ends in its cue, with no full stop, quotation mark, `!` or `?` after it: a cue word
    # must stand after the last of them (in a run of quotes, none does)
    m = _run_start_search(_BEFORE, window, lo).search(window, lo) \
        if not readable or cues[-1] > max(map(window.rfind, _NOT_AFTER_CUE)) else None
    if m:
        mention = _mention(m, start)
        if mention is not None:
            # `Rubio suggested ..., while Cruz said that the "...`: a nearer speaker wins
            nearer = _latest_mention(window, start, m.end("cue")) if len(m.group("rest")) > 20 else None
            if nearer is not None:
                return nearer
            cue = ":" if window.rstrip().endswith(":") and m.group("cue") not in _COLON_OBJECT else m.group("cue")
            return _cue_text(cue), mention
    finding = _finding_before(window, start)
    if finding is not None:
        return finding
    m = _participle_search(window)
    if m:
        # the clause of this participle (`– Roe saying ... and Lind calling it a "`: Lind's)
        with_who = next((w for w in _WITH_PARTICIPLE.finditer(window, max(0, m.start() - 80))
                         if w.start("cue") == m.start("cue")), None)
        if with_who is not None and (mention := _mention(with_who, start)) is not None:
            return _cue_text(with_who.group("cue")), mention
        # the subject opens the sentence, which may begin before the window
        opening = text[sentence_start:min(end, sentence_start + _BEFORE_REACH)]
        subject = _SENTENCE_SUBJECT.match(opening) or _SUBJECT.match(opening)
        mention = _mention(subject, sentence_start) if subject else None
        if mention is not None:
            return _cue_text(m.group("cue")), mention
    return _latest_mention(window, start, 0, lo)


# a source that reports the words it quotes frames them: the words are credited to that source
# (the outer one), not to the person it quotes. "According to the Daily Ledger, Roe said ...",
# "..., Roe said, according to the Ledger.", "..., the Ledger reported.", "..., reports the Ledger.",
# "In a survey released Monday, most voters said ..."; never "according to its count" (that count
# is the speaker's own)
_SOURCE_PHRASES = vocab.words("cue_verbs", "source_phrases")
_SOURCE_ALT = "|".join(r"\s+".join(map(re.escape, p.split())) for p in _SOURCE_PHRASES)
_REPORTING = _alt(vocab.words("cue_verbs", "reporting"))
_NESTED_OPENING = re.compile(
    rf"\s*(?:(?P<cue>(?i:{_SOURCE_ALT}))\s+{_OWN}{_ROLE}?(?P<who>{NAME}|{_IDESC}|{DESC})"
    rf"|(?P<in>{_capitalised(_grammar('document_openers'))})\s+(?P<doc>(?:a|an|the)\s+[^,“”\"\n]{{0,60}}?\b(?:{_alt(_grammar('reporting_documents'))})\b)[^,“”\"\n]{{0,40}}?)\s*,\s")
# `according to a study last year by economists at Salem University`: a reporting document is read
# with who made it, to the next punctuation (longer than `_IDESC` reads)
_DOCUMENT_DESC = (rf"{_DET}{_SP}(?:[\w’'\-]+{_SP}){{0,3}}?(?:{_alt(_grammar('reporting_documents'))})\b"
                  rf"(?=[^,.;:!?“”\"\n(]{{0,120}}\bby\b)[^,.;:!?“”\"\n(]{{0,160}}(?<=\w)")
_NESTED_ACCORDING = re.compile(
    rf"[^“”\"\n]{{0,160}}?[,\s]\s*(?P<cue>{_SOURCE_ALT})\s+{_OWN}{_ROLE}?(?P<who>{_DOCUMENT_DESC}|{NAME}|{_IDESC}|{DESC})")
_NESTED_REPORTED = re.compile(
    rf"[^“”\"\n]{{0,160}}?,\s+(?P<who>{NAME}|{DESC})\s+(?:first\s+)?(?P<cue>{_REPORTING})\s*[.,;]")
_NESTED_REPORTS_BY = re.compile(
    rf"[^“”\"\n]{{0,160}}?,\s+(?P<cue>{_REPORTING})\s+(?P<who>{NAME}|{_IDESC}|{DESC})\s*[.,;]")


def nested_source(text: str, sentence_start: int, quote_start: int, after: int,
                  sentence_end: int) -> tuple[str, Mention] | None:
    """The source that reports a quote's words in its own sentence: an `According to X,` that
    opens the sentence, or an `according to X` / `X reported` / `reported X` after the quote with
    no other quotation between the two."""
    opening = _nested_opening(text, sentence_start, quote_start)
    if opening is not None:
        return opening
    end = min(sentence_end, after + 300)
    window = text[after:end]
    if "ccording" not in window and "report" not in window:
        return None  # neither word after the quote: no pattern below can match
    for pattern in (_NESTED_ACCORDING, _NESTED_REPORTED, _NESTED_REPORTS_BY):
        m = pattern.match(text, after, end)
        if m is not None and (mention := _mention(m, 0)) is not None:
            return _cue_text(m.group("cue")), mention
    return None


# the respondents of a poll: a group with its share before it ("75 percent of Republicans", "most
# voters", "the vast majority of Americans", "a third of adults"), the share read just before the
# mention or at its start
_SHARE = _alt(_grammar("respondent_shares"))
_SHARE_BEFORE = re.compile(rf"(?i:(?:{_SHARE})\s+of\s+(?:the\s+|all\s+)?)$")
_SHARE_OPENING = re.compile(rf"(?i:(?:the\s+|a\s+)?(?:vast\s+|slim\s+|large\s+)?(?:{_SHARE})\b)")
_DOCUMENT_WORD = re.compile(rf"(?i:\b(?:{_alt(_grammar('reporting_documents'))})\b)")


def respondents(text: str, mention: Mention) -> bool:
    """Whether the speaker found is the respondents of a poll rather than someone who spoke:
    a share of a group (`speaker_grammar.yaml` `respondent_shares`) before or opening the mention."""
    if _SHARE_OPENING.match(mention.text):
        return True
    return _SHARE_BEFORE.search(text, max(0, mention.start - 40), mention.start) is not None


def poll_source(text: str, sentence_start: int, quote_start: int, after: int,
                sentence_end: int) -> tuple[str, Mention] | None:
    """The poll, survey or study the quote's sentence names as its source (`nested_source`, when
    what it finds is such a document)."""
    found = nested_source(text, sentence_start, quote_start, after, sentence_end)
    if found is None or _DOCUMENT_WORD.search(found[1].text) is None:
        return None
    return found


_NESTED_HEADS = tuple({p.split()[0].capitalize() for p in _SOURCE_PHRASES} | {w.capitalize() for w in _grammar("document_openers")})


def _nested_opening(text: str, sentence_start: int, quote_start: int) -> tuple[str, Mention] | None:
    head = text[sentence_start:sentence_start + 16].lstrip()
    if not head.startswith(_NESTED_HEADS):
        return None
    m = _NESTED_OPENING.match(text, sentence_start, quote_start)
    if m is None:
        return None
    if m.group("doc") is not None:
        start = m.start("doc")
        return "in", Mention(start, m.end("doc"), m.group("doc"), "description")
    mention = _mention(m, 0)
    return (_cue_text(m.group("cue")), mention) if mention is not None else None


def _latest_mention(window: str, base: int, pos: int, anywhere_from: int = 0) -> tuple[str, Mention] | None:
    """The last `X said` / `according to X` in window[pos:] (offsets from `base`); no `X said` of
    `_ANYWHERE` starts before `anywhere_from` (see `_speaker_search_from`)."""
    found = None
    # `Roe was asked by host Bo Lind whether ...`: the question is the asker's
    anywhere = _run_start_search(_ANYWHERE, window, max(pos, anywhere_from))
    for pattern in (_ACCORDING_OTHER, anywhere, _PASSIVE_BY):
        for mm in pattern.finditer(window, max(pos, anywhere_from) if pattern is anywhere else pos):
            mention = _mention(mm, base)
            if mention is not None and (found is None or mention.start > found[1].start):
                found = (_cue_text(mm.group("cue")), mention)
    return found


_WORD_RUN = re.compile(r"[A-Za-z]+")
_CUE_HEADS = frozenset(CUE_WORDS) | {p.split()[0] for p in CUE_PHRASES} | frozenset(_USE_VERBS)
_BEFORE_WORDS = _CUE_HEADS | frozenset(PARTICIPLE_CUES) | frozenset(QUOTE_ONLY_CUES)
_BEFORE_REACH = 400  # how far back from a quote its `X said` is looked for
_BACK = 170  # how far before a cue its speaker may start (a name and a long appositive)
_AHEAD = 250


def cue_positions(text: str, start: int, end: int) -> list[int]:
    """Offsets of words that can start a cue. One pass of an automaton of the cue words: much
    cheaper than running the speaker patterns at every offset, and cues are rare."""
    lowered = text[start:end].lower()
    if len(lowered) != end - start:  # a few letters ('İ') grow when lowered: offsets would drift
        return [m.start() for m in _WORD_RUN.finditer(text, start, end)
                if m.group().lower() in _CUE_HEADS]
    found = []
    size = len(lowered)
    for last, back in _CUE_AUTOMATON.iter(lowered):
        first = last - back
        if (first == 0 or not _is_ascii_letter(lowered[first - 1])) and \
                (last + 1 == size or not _is_ascii_letter(lowered[last + 1])):
            found.append(start + first)  # a whole word: "said", not "unsaid" or "saidin"
    return found  # whole words never overlap, so in order of their ends is in order of their starts


def _is_ascii_letter(ch: str) -> bool:
    return "a" <= ch <= "z"


def _words_automaton(words: frozenset[str]) -> ahocorasick.Automaton:
    """An automaton over `words`, each keyed to its length less one (a hit's end minus that is
    where the word starts)."""
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, len(word) - 1)
    automaton.make_automaton()
    return automaton


_CUE_AUTOMATON = _words_automaton(_CUE_HEADS)
_BEFORE_AUTOMATON = _words_automaton(_BEFORE_WORDS)


def _before_word_starts(lowered: str) -> list[int]:
    """Where a cue or participle word starts in `lowered` as a whole word (one automaton pass)."""
    size = len(lowered)
    found = []
    for last, back in _BEFORE_AUTOMATON.iter(lowered):
        first = last - back
        if (first == 0 or not _is_ascii_letter(lowered[first - 1])) and \
                (last + 1 == size or not _is_ascii_letter(lowered[last + 1])):
            found.append(first)
    return found


# How far before its cue an `X said` of `_BEFORE` or `_ANYWHERE` can start, in words (runs of
# non-space characters); `_speaker_search_from` reads them:
_WHO_WORDS = 10  # `_WHO`: a name of 5 tokens and 4 particles; a description of 4 tokens and a
# possessive (or a determiner), then 6 words; a pronoun (pronouns and determiners are one word)
_ADVERB_WORDS = 2  # `_ADVERB`: two words at most (adverbs or auxiliaries, or a time opener and a time word)
_APPOS_COMMAS = 5  # `_APPOS`: its closing comma, its opening one and at most three between
_OPEN_ROLE_AT = re.compile(rf",\s+(?:{_ROLES})\b")  # where `_OPEN_ROLE_APPOS` can open


def _speaker_search_from(window: str, cues: list[int] | None = None) -> int:
    """An offset of `window` before which no match of `_BEFORE` or `_ANYWHERE` can start, so
    that their searches may start there (the plain search tries every offset: the cost of a long
    sentence). Every match ends in a cue word; before it stand the speaker (at most `_WHO_WORDS`
    words), then one of: nothing, a bracket (`(...)`: no bracket inside), an appositive (perhaps
    after a bracket: `, ... ,`, closing right before the adverb and opening at most
    `_APPOS_COMMAS` commas back), `, role ...` (no comma after the first) or `who ...` (no
    comma after it); then perhaps an adverb (at most `_ADVERB_WORDS` words). 0 when the words
    cannot be read (a letter that grows when lowered). `cues`: `_before_word_starts` of the
    lowered window, when the caller has read them (and the lowered window is as long)."""
    if cues is None:
        lowered = window.lower()
        if len(lowered) != len(window):
            return 0
        cues = _before_word_starts(lowered)
    if not cues:
        return 0
    words = [w.start() for w in _NONSPACE.finditer(window)]

    def ends_before(at: int) -> int:
        """The speaker's last word when it ends right before offset `at` (spaces between or not)."""
        return bisect.bisect_left(words, at) - 1

    def opened_before(at: int) -> int:
        """The same for what opens at `at` and may have a bracket right before it (`Roe (D),`)."""
        if at > 0 and window[at - 1] == ")" and (bracket := window.rfind("(", 0, at)) >= 0:
            return min(ends_before(at), ends_before(bracket))
        return ends_before(at)

    last = len(words)  # the least index the speaker's last word can have
    for cue in cues:
        k = bisect.bisect_left(words, cue)  # the cue's word
        first_adverb = max(0, k - _ADVERB_WORDS)
        last = min(last, first_adverb - 1)  # `Roe on Monday said`
        closing = window.rfind(")", words[first_adverb] if first_adverb < k else cue, cue)
        if closing >= 0:  # `Roe (D) said`
            last = min(last, opened_before(closing + 1))
        comma = window.rfind(",", 0, cue)
        if comma < 0:
            continue
        closes = comma + 2 if window[comma + 1:comma + 2] in ("”", '"') else comma + 1  # `, author of "X,"`
        if window[closes:closes + 1].isspace() and bisect.bisect_right(words, comma) >= first_adverb:
            opening = comma  # an appositive's closing comma: its opening one is further back
            for _ in range(_APPOS_COMMAS - 1):
                before = window.rfind(",", 0, opening)
                if before < 0:
                    break
                opening = before
                last = min(last, opened_before(opening))
        if _OPEN_ROLE_AT.match(window, comma):  # `Roe, director of the Board stated`
            last = min(last, ends_before(comma))
        who = window.find("who", comma + 1, cue)  # `Roe who was there said`
        if who >= 0:
            last = min(last, ends_before(who))
    return words[max(0, last - _WHO_WORDS + 1)]


_BY_NEXT = re.compile(r"\s+by\s")  # `was echoed by X`: no `by`, no passive attribution
_PASSIVE_CUES = frozenset(vocab.words("cue_verbs", "passive"))


_NONSPACE = re.compile(r"\S+")
_CUE_AT = re.compile(rf"{CUE}\b")
_WHO_BEFORE_CUE = re.compile(rf"{_WHO}{_APPOS}\s+{_ADVERB}")


def _speaker_before(text: str, lo: int, at: int) -> tuple[str, Mention] | None:
    """`X said` with the cue at `at`: try the word starts before it, leftmost first, for a speaker
    that ends right where the cue begins. Anchored matches at a few word starts are far cheaper
    than a regex search over every offset."""
    cue = _CUE_AT.match(text, at)
    if cue is None:
        return None
    # no speaker, appositive or adverb holds a quotation mark: the speaker opens at a word after
    # the last one (the word the mark is part of starts at or before it)
    words = _words_after_mark(text, lo, at)
    if not words or not _can_end_speaker(words[-1].group()[-1]):
        return None
    if not _may_have_appositive(words):
        # without `, appositive,` a speaker is at most a name of 9 words (5 names, 4 particles)
        # and one adverb: the words further back cannot start one
        words = words[-_NO_APPOS_REACH:]
    for word in words:
        first = word.group()
        if not (first[0].isupper() or first.lower() in _WHO_STARTS):
            continue  # only a capitalised word, a pronoun or a determiner can open a speaker
        m = _WHO_BEFORE_CUE.fullmatch(text, word.start(), at)
        if m is None:
            continue
        mention = _mention(m, 0)
        if mention is not None:
            return _cue_text(cue.group()), mention
    return None


_NO_APPOS_REACH = 12  # words; the longest speaker without an appositive is 10


def _words_after_mark(text: str, lo: int, at: int) -> list[re.Match[str]]:
    """The words of text[lo:at] that start after its last quotation mark. They are read from the
    mark on, not from `lo` and filtered: a word starting right after the mark is the rest of the
    mark's own word, and left out."""
    mark = max(text.rfind('"', lo, at), text.rfind("“", lo, at), text.rfind("”", lo, at))
    if mark < 0:
        return list(_NONSPACE.finditer(text, lo, at))
    words = list(_NONSPACE.finditer(text, mark + 1, at))
    if words and words[0].start() == mark + 1:
        del words[0]
    return words


def _can_end_speaker(ch: str) -> bool:
    """Whether a speaker (or the adverb after it) can end with `ch`: a name, a description and
    an adverb end in a word character (or ’ ' - and a title's full stop), an appositive in a comma."""
    return ch.isalnum() or ch in "_’'-.,"


def _may_have_appositive(words: list[re.Match[str]]) -> bool:
    """Whether `X, appositive, [adverb] said` can end here: a comma closes the last word or the
    one before it (the adverb)."""
    return any(w.group().endswith(",") for w in words[-2:])


def speech_mentions(text: str, start: int, end: int, cjk: bool | None = None) -> list[tuple[str, Mention]]:
    """Every `X said` / `said X` / `according to X` / `echoed by X` in text[start:end]. `cjk`:
    whether text[start:end] holds a Chinese character, when the caller knows (None: look)."""
    found: dict[int, tuple[str, Mention]] = {}
    for at in cue_positions(text, start, end):
        word = text[at:at + 12].split(" ", 1)[0].lower()
        # `X, ..., according to Y`: the source follows its cue; what precedes it is no speaker
        speaker = None if word == "according" else _speaker_before(text, max(start, at - _BACK), at)
        if speaker is not None:
            found.setdefault(speaker[1].start, speaker)
        tries = []
        if word == "according":
            tries.append((_ACCORDING, at, at + _AHEAD))
        if text[max(start, at - 3):at].strip().endswith(","):
            tries.append((_INVERTED_ANYWHERE, at - 4, at + _AHEAD))
        if word in _PASSIVE_CUES and _BY_NEXT.match(text, at + len(word)):
            tries.append((_PASSIVE_BY, at - 20, at + _AHEAD))
        for pattern, lo, hi in tries:
            m = _with_cue_at(pattern, text, max(start, lo), min(end, hi), at)
            if m is not None and (mention := _mention(m, 0)) is not None:
                found.setdefault(mention.start, (_cue_text(m.group("cue")), mention))
    if cjk is None:
        cjk = CHINESE_CHAR.search(text, start, end) is not None
    if cjk:
        for pattern in (_ZH_ANYWHERE, _ZH_ACCORDING):
            for m in pattern.finditer(text, start, end):
                cue, mention = _zh_mention(m, 0)
                found.setdefault(mention.start, (cue, mention))
    return [found[k] for k in sorted(found)]


def _with_cue_at(pattern: re.Pattern[str], text: str, lo: int, hi: int, at: int) -> re.Match[str] | None:
    """The match of `pattern.finditer(text, lo, hi)` whose cue starts at `at`, if any. The matches
    come in order and never overlap, so their cues do too: the first whose cue starts at or after
    `at` is the last that can, and the rest of the window (up to `_AHEAD` characters) is not searched."""
    for m in pattern.finditer(text, lo, hi):
        if m.start("cue") >= at:
            return m if m.start("cue") == at else None
    return None


def find_cue(text: str) -> str | None:
    m = _CUE_ONLY.search(text)
    return _cue_text(m.group()) if m else None


def _cue_text(cue: str) -> str:
    return " ".join(cue.split())


# --------------------------------------------------------------------------- resolution

# the lookahead lets the scan skip every offset that is not a capital letter: twice as fast
# a name opens at the first capital of a run of word characters (the run "pro-Islamic" opens its name
# at "I", "''Donald" at "D"): the run is read once from its start, where trying every capital in it
# read a 40,000-letter word once per letter
_FULL_NAME = re.compile(rf"(?<![\w’'\-])(?:[’'\-]|[^\W{_UP}])*+(?P<name>(?=[{_UP}]){_TOKEN}(?:{_SP}(?:{_PARTICLE}{_SP})?{_TOKEN})+)")
_ORG_WORDS = frozenset(_grammar("organisation_words"))
# `_FULL_NAME` can match only at the start of a run of word characters (and ’ ' -) that holds a
# capital: it asks for nothing before it of the run, and reads the run's letters possessively up
# to its first capital. Such starts are found by scanning for capitals (a character class the
# regex engine skips to), so `_FULL_NAME` is tried at a few dozen offsets of an article instead
# of at every one of them. A run that opens with its capital is tried only when what a name's
# second word needs follows it: its first word is the whole run (and an abbreviation's full
# stop), then spaces or a line break, then a capital or the first letter of a particle.
_NAME_GOES_ON = "".join(sorted({re.escape(p[0]) for p in _grammar("name_particles")}))
_RUN_OPENS_UP = re.compile(rf"[{_UP}](?<![\w’'\-].)(?=[\w’'\-]*+\.?[ \t\n]++[{_UP}{_NAME_GOES_ON}])")
_UP_IN_RUN = re.compile(rf"[{_UP}](?<=[\w’'\-].)")  # a capital inside a run
_UP_CHAR = re.compile(rf"[{_UP}]")


def _full_names(text: str, start: int) -> Iterator[re.Match[str]]:
    """What `_FULL_NAME.finditer(text, start)` finds, tried only where a match can start."""
    opens = [m.start() for m in _RUN_OPENS_UP.finditer(text, start)]
    for capital in _UP_IN_RUN.finditer(text, start):  # rare: "iPhone", "pro-Islamic", "''Donald"
        at = capital.start() - 1
        while at >= 0 and _is_run_char(text[at]) and not _UP_CHAR.match(text[at]):
            at -= 1
        if at >= 0 and _is_run_char(text[at]):
            continue  # the run has an earlier capital: "GPT", "McDonald" open at their first
        if at + 1 >= start:
            opens.append(at + 1)
    if len(opens) > 1:
        opens.sort()
    reached = start
    for at in opens:
        if at < reached:
            continue
        name = _FULL_NAME.match(text, at)
        if name is not None:
            yield name
            reached = name.end()


def _tried_at(pattern: re.Pattern[str], opener: re.Pattern[str], text: str, start: int = 0,
              shift: int = 0) -> Iterator[re.Match[str]]:
    """What `pattern.finditer(text, start)` finds, for a pattern that can start only `shift`
    characters after where `opener` matches: the regex engine tries a pattern that opens with no
    plain class or literal (a lookahead, a lookbehind, `\\b`) at every offset, where `opener`
    (which opens with one) lets it skip to the offsets a match can start at. The pattern must not
    match empty."""
    at = start
    while (first := opener.search(text, at)) is not None:
        m = pattern.match(text, first.start() + shift)
        if m is None:
            at = first.start() + 1
        else:
            yield m
            at = max(m.end(), first.start() + 1)


def _search_from(pattern: re.Pattern[str], opener: re.Pattern[str], text: str, shift: int = 0,
                 at_zero: bool = False) -> re.Match[str] | None:
    """What `pattern.search(text)` finds, tried only `shift` characters after where `opener`
    matches (see `_tried_at`) or, with `at_zero`, at the text's start too."""
    if at_zero and (m := pattern.match(text)) is not None:
        return m
    return next(_tried_at(pattern, opener, text, shift=shift), None)


def _is_run_char(ch: str) -> bool:
    """A character of the runs `_FULL_NAME` reads: a word character (as `\\w` has it) or ’ ' -."""
    return ch.isalnum() or ch in "_’'-"


def index_for(article: Article) -> NameIndex:
    """The article's `NameIndex`, built once and shared by the stages that need it. It is per
    article by nature (names and mentions at the article's offsets), so it lives in `Article.cache`
    and not in the run (`verifier.run.context`)."""
    index = article.cache.get("names")
    if index is None:
        index = article.cache["names"] = NameIndex(quotemarks.quote_text(article), article.body_start,
                                                    article.has_chinese())
    return index


_FIRST_PERSON = frozenset(_grammar("first_person"))


def is_first_person(pronoun: str) -> bool:
    """'I', 'we' and their forms: the writer or the speaker quoted last, never a third person."""
    return pronoun.lower() in _FIRST_PERSON


class NameIndex:
    """Full names in order of appearance, and speech mentions, for resolving surnames and pronouns."""

    def __init__(self, text: str, start: int = 0, cjk: bool | None = None) -> None:
        """The index of text[start:]; `cjk`: whether that holds a Chinese character, when the
        caller knows (None: look)."""
        self.text = text
        self._full_names: dict[tuple[str, int], str] = {}  # `full_name`'s answers, by name and offset
        self.names: list[tuple[int, str, frozenset[str]]] = []
        for m in _full_names(text, start):
            name = clean_name(_after_possessive(m.group("name")))
            if name and (head := _head_of(text, m.start("name"))) and \
                    _bare(head.group("head").split()[-1]) in _TITLE_HEADS:  # `Secretary of State Ana Ruiz`
                cut = _after_title_of(name)
                name = None if cut is None else name[cut:]  # not "State Ana Ruiz"
            if name and (" " in name) and (name := _before_title_case_words(name)) and \
                    len(name.split()) > 1 and not _looks_like_org(name):
                self.names.append((m.start("name"), name, _tokens(name)))
        self._by_token: dict[str, list[tuple[int, str, frozenset[str]]]] = {}
        for entry in self.names:
            for token in entry[2]:
                self._by_token.setdefault(token, []).append(entry)
        self._name_starts = [entry[0] for entry in self.names]
        if cjk is None:  # looked for once, for names and speech
            cjk = CHINESE_CHAR.search(text, start) is not None
        if cjk:
            self._add_zh_names(text, start)
        # each surname's gender by its honorific; one the article writes with both (Mr. and Mrs.
        # Clinton) says nothing ("" fits either pronoun)
        self._gender: dict[str, str] = {}
        # (where the honorific stands, the surname as written, its gender) of each, in order
        self._gendered: list[tuple[int, str, str]] = []
        for m in _tried_at(_GENDERED, _GENDERED_OPENS, text, start):
            name, gender = m.group("name").lower(), "m" if m.group("title") in _MALE_HONORIFICS else "f"
            self._gender[name] = gender if self._gender.get(name, gender) == gender else ""
            self._gendered.append((m.start(), m.group("name"), gender))
        self._gendered_starts = [at for at, _, _ in self._gendered]
        self._by_full: dict[str, str] | None = None  # `_full_genders`, once asked
        self.spoken = speech_mentions(text, start, len(text), cjk)
        self._spoken_starts = [mention.start for _, mention in self.spoken]
        self._speakers: list[tuple[int, Mention]] = [
            (mention.start, mention) for _, mention in self.spoken if mention.kind == "name"]
        self._speaker_starts = [s for s, _ in self._speakers]

    def _add_zh_names(self, text: str, start: int) -> None:
        """Chinese names introduced with a title (首席执行官林晓峰), in order, for 他/她 to resolve to."""
        found = [(m.start("name"), m.group("name")) for m in _ZH_TITLED.finditer(text, start)]
        if found:
            self.names = sorted(self.names + [(at, name, frozenset([name])) for at, name in found])
            self._by_token = {}
            for entry in self.names:
                for token in entry[2]:
                    self._by_token.setdefault(token, []).append(entry)
            self._name_starts = [entry[0] for entry in self.names]

    def spoken_between(self, start: int, end: int) -> list[tuple[str, Mention]]:
        """The speech mentions (cue, speaker) whose speaker lies in text[start:end]."""
        lo = bisect.bisect_left(self._spoken_starts, start)
        hi = bisect.bisect_left(self._spoken_starts, end)
        return [found for found in self.spoken[lo:hi] if found[1].end <= end]

    def resolve(self, mention: Mention, at: int, quoted: Sequence[tuple[int, str]] = ()) -> str:
        """The fullest name `mention` stands for at offset `at`. `quoted`: the people quoted so
        far (where their mention stands, their resolved name), in article order, so that 'she
        said' can resolve to the person quoted just before."""
        if mention.kind == "pronoun":
            if mention.text.lower() in _FIRST_PERSON:
                return self._latest_speaker(at, quoted=quoted) or mention.text
            return self._latest_speaker(mention.start, mention.text, quoted) or mention.text
        if mention.kind == "description":
            return mention.text
        return self.full_name(mention.text, mention.start)

    def full_name(self, name: str, at: int) -> str:
        """'Zhang' -> 'Zhang Ping’an' when that name was introduced (before `at`, else after).
        Kept per name and offset: the quote stage asks again for the same speaker (whether it is
        a sure one, then its name), and each pronoun for the same last speakers."""
        key = (name, at)
        found = self._full_names.get(key)
        if found is None:
            found = self._full_names[key] = self._full_name(name, at)
        return found

    def _full_name(self, name: str, at: int) -> str:
        """`full_name`, computed."""
        wanted = _tokens(name) - TITLES
        if not wanted:
            return name
        rarest = min(wanted, key=lambda t: len(self._by_token.get(t, ())))
        entries = self._by_token.get(rarest, [])
        # entries are in text order: the latest introduction at or before `at` wins, else the
        # first after it; found by bisection, so a name repeated through a long text is cheap
        split = bisect.bisect_right(entries, at, key=lambda e: e[0])
        chosen = _first_fit(reversed(range(split)), entries, wanted) or \
            _first_fit(range(split, len(entries)), entries, wanted)
        if chosen is None:
            return _strip_titles(name)
        return _strip_titles(chosen[1])

    def _latest_speaker(self, at: int, pronoun: str = "",
                        quoted: Sequence[tuple[int, str]] = ()) -> str | None:
        """For 'he'/'she': the nearest fitting person before `at` — among the last speech
        mentions, the people quoted, and the people a sentence opens with; 'he' never resolves
        to someone the article calls Mrs. or Ms., 'she' never to a Mr."""
        # (where, resolver): names are resolved only for the candidates actually tried
        # the people quoted first: at the same place, a quote's speaker is the likelier one
        candidates: list[tuple[int, Callable[[], str]]] = [
            (q_at, functools.partial(str, name)) for q_at, name in quoted[-3:] if q_at < at]
        k = bisect.bisect_left(self._speaker_starts, at)
        for spoken_at, spoken in self._speakers[max(0, k - 3):k]:
            candidates.append((spoken_at, functools.partial(self.full_name, spoken.text, spoken_at)))
        k_name = bisect.bisect_left(self._name_starts, at)
        subjects = [self.names[i] for i in range(k_name - 1, max(-1, k_name - 12), -1)
                    if self._opens_sentence(self.names[i][0])][:3]
        candidates += [(start, functools.partial(_strip_titles, full)) for start, full, _ in subjects]
        # a surname opening a recent sentence ("Roe has made clear that he ..."), for a person the
        # article names in full somewhere
        if pronoun.lower() in _PRONOUN_GENDER:  # he or she: one person
            # only a surname nearer than every other candidate can change the answer
            nearest = max((c[0] for c in candidates), default=-1)
            candidates += [(start, functools.partial(str, full)) for start, full in
                           _surname_subjects(self, at, nearest + 1)]
        if not candidates and k_name > 0:
            candidates.append((self.names[k_name - 1][0], functools.partial(_strip_titles, self.names[k_name - 1][1])))
        for where, resolved in sorted(candidates, key=lambda c: c[0], reverse=True):
            name = resolved()
            if self._fits(name, pronoun, where):
                return name
        # none fits: the nearest person an honorific says is a he or a she (`In an interview, Ms.
        # Conway said ...`: no sentence opens with her, and every other candidate is a man)
        gendered = self._nearest_of_gender(at, pronoun) if pronoun.lower() in _PRONOUN_GENDER else None
        return gendered[1]() if gendered is not None else None

    def _fits(self, name: str, pronoun: str, where: int | None = None) -> bool:
        """Whether `name` (mentioned at `where`) may be 'he' or 'she': not when an honorific says
        otherwise, at that mention (`Mrs. Clinton` is a she where `Mr. Clinton` is a he), or
        anywhere in the article for a surname it writes with one kind of honorific only."""
        wanted = _PRONOUN_GENDER.get(pronoun.lower())
        if wanted is None or not self._gender:
            return True
        tokens = _tokens(name)
        if where is not None:
            # the honorific at the mention, right before it (the mention may be the surname alone),
            # or after a word the name's entry opens with ("But Mrs. Clinton")
            k = bisect.bisect_left(self._gendered_starts, where - _HONORIFIC_REACH)
            while k < len(self._gendered) and self._gendered[k][0] <= where + _HONORIFIC_REACH * 2:
                if self._gendered[k][1].lower() in tokens:
                    return self._gendered[k][2] == wanted
                k += 1
        if len(tokens - TITLES) > 1 and any(self._gender.get(token) for token in tokens):
            # a full name: the honorific's own person, where the article names them in full
            # (`Mrs. Schlafly` is Phyllis Schlafly, and says nothing of John Schlafly)
            full = self._full_genders().get(_strip_titles(name))
            if full is not None:
                return full in (wanted, "")
            if all(len(_tokens(person) - TITLES) > 1 for person in self._full_genders()):
                return True
        return all(self._gender.get(token, wanted) in (wanted, "") for token in tokens)

    def _full_genders(self) -> dict[str, str]:
        """Each honorific's person, named as in full as the article names them before it, with
        their gender ("" where two honorifics disagree); built once, when a full name first asks."""
        if self._by_full is None:
            self._by_full = {}
            for where, surname, gender in self._gendered:
                person = self.full_name(surname, max(0, where - 1))
                self._by_full[person] = gender if self._by_full.get(person, gender) == gender else ""
        return self._by_full

    def _nearest_of_gender(self, at: int, pronoun: str) -> tuple[int, Callable[[], str]] | None:
        """For 'he' or 'she': the nearest person before `at`, within the reach of the surname rule,
        whom an honorific gives that gender (where, and their name in full where the article gives it)."""
        wanted = _PRONOUN_GENDER.get(pronoun.lower())
        k = bisect.bisect_left(self._gendered_starts, at)
        for where, surname, gender in reversed(self._gendered[:k]):
            if where < at - _SURNAME_REACH:
                break
            if gender == wanted:
                # (named in full as the article did before this mention, itself one of its names)
                return where, functools.partial(self.full_name, surname, where - 1)
        return None

    def _opens_sentence(self, start: int) -> bool:
        """Whether the name at `start` opens its sentence, perhaps after its title or role
        (`Council member Tom Baker disagreed.`, `Former Gov. Bo Lind said`)."""
        if self._opens_at(start):
            return True
        role = _ROLE_RUN.search(self.text, max(0, start - _ROLE_RUN_REACH), start)
        return role is not None and self._opens_at(role.start())

    def _opens_at(self, start: int) -> bool:
        if start > 0 and self.text[start - 1] == "(":  # `(Roe defended her.`: a sentence in brackets
            start -= 1
        before = self.text[max(0, start - 3):start]
        if before.endswith(". ") and _INITIALS_BEFORE.search(self.text, max(0, start - 8), start):
            return False  # `U.S. History Makes ...`: a place's initials end no sentence
        return start == 0 or before.endswith(("\n", ". ", "? ", "! ", "” ", "\" "))


_INITIALS_BEFORE = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,3} $")
# a title or role run right before a name, ending in a title or role word in any case: `Council
# member `, `City Council member `, `Former Gov. `, `Chief executive `
_ROLE_RUN = re.compile(
    rf"(?<![\w’'\-])(?:(?:[{_UP}][\w’'\-]*\.?|{_TITLE_OR_ROLE})[ \t]+){{0,3}}{_TITLE_OR_ROLE}\.?[ \t]+$")
_ROLE_RUN_REACH = 60


# a capitalised word opening a sentence (after a conjunction), followed by its verb or an appositive
_SENTENCE_OPENS = re.compile(r"[.!?][”\"]?[ \t]+|\n")
_SURNAME_SUBJECT = re.compile(
    rf"[ \t]*(?:(?:{_CONJ}),?[ \t]+)?(?P<name>[{_UP}][\w’'\-]+)(?=,|[ \t]+(?:[a-z]|[{_UP}][a-z]+ly\b))")
_SURNAME_REACH = 600  # characters back from a pronoun


def _surname_subjects(index: NameIndex, at: int, after: int = 0) -> list[tuple[int, str]]:
    """The last three one-word names opening a sentence before `at` ("Roe has hailed ..."), each
    with the full name the article gives it; a word the article never writes as part of a full
    name ("Republicans") is none. Only sentences opening at or after `after` are read."""
    found: list[tuple[int, str]] = []
    lo = max(0, at - _SURNAME_REACH, after)
    starts = [lo] if lo == 0 else []
    starts += [m.end() for m in _SENTENCE_OPENS.finditer(index.text, lo, at)]
    for start in reversed(starts):  # the nearest first
        m = _SURNAME_SUBJECT.match(index.text, start, at)
        if m is None:
            continue
        word = m.group("name")
        if _bare(word) in _NAMELESS_WORDS or clean_name(word) != word:
            continue
        full = index.full_name(word, m.start("name"))
        if full != word and _bare(full.split()[-1]) == _bare(word):  # a surname, as people are named
            found.append((m.start("name"), full))
            if len(found) == 3:
                break
    return found


def _first_fit(order: Iterable[int], entries: list[tuple[int, str, frozenset[str]]],
               wanted: frozenset[str]) -> tuple[int, str, frozenset[str]] | None:
    """The first entry, in `order`, whose name holds every wanted token (and no fewer names)."""
    for k in order:
        tokens = entries[k][2]
        if wanted <= tokens and len(tokens - TITLES) >= len(wanted):
            return entries[k]
    return None


# "Mr. Roe" / "Ms. Ana Ruiz": the honorific tells which pronoun fits the person
_HONORIFIC_REACH = 6  # characters from an honorific's start to the surname after it ("Mrs. ")
_MALE_HONORIFICS = frozenset(vocab.words("speaker_titles", "male_honorifics"))
_FEMALE_HONORIFICS = frozenset(vocab.words("speaker_titles", "female_honorifics"))
_PRONOUN_GENDER = {**dict.fromkeys(vocab.words("speaker_titles", "male_pronouns"), "m"),
                   **dict.fromkeys(vocab.words("speaker_titles", "female_pronouns"), "f")}
_HONORIFIC_INITIALS = "".join(sorted({t[0] for t in _MALE_HONORIFICS | _FEMALE_HONORIFICS}))
_GENDERED = re.compile(rf"(?=[{_HONORIFIC_INITIALS}])\b(?P<title>{_alt(_MALE_HONORIFICS | _FEMALE_HONORIFICS)})\.?\s+(?:[{_UP}][\w’'\-]+\s+)?(?P<name>[{_UP}][\w’'\-]+)")
_GENDERED_OPENS = re.compile(f"[{_HONORIFIC_INITIALS}]")  # where `_GENDERED` can open (`_tried_at`)


# words a title-case headline writes with a capital that never belong to a name: "Ana Ruiz Says
# Roads Come First" names Ana Ruiz, not "Ana Ruiz Says Roads Come"
_NOT_IN_NAMES = frozenset(vocab.words("speaker_titles", "not_in_names")) | frozenset(CUE_WORDS)


def _before_title_case_words(name: str) -> str:
    """The name up to the first word that is never part of one (a cue verb, a preposition)."""
    tokens = name.split()
    for k, token in enumerate(tokens[1:], 1):
        if _bare(token) in _NOT_IN_NAMES:
            return " ".join(tokens[:k])
    return name


def _after_possessive(run: str) -> str:
    """"Butz’s Feinstein" is two people: the name is the part after the last possessive word."""
    if "s’" not in run and "’s" not in run and "'s" not in run and "s'" not in run:
        return run
    words = run.split()
    cut = max((i + 1 for i, w in enumerate(words[:-1]) if w.endswith(("’s", "'s", "s’", "s'"))), default=0)
    return " ".join(words[cut:])


@functools.lru_cache(maxsize=4096)
def _tokens(name: str) -> frozenset[str]:
    return frozenset((t[:-2] if t.endswith(("’s", "'s")) else t).rstrip(".").lower() for t in name.split())


def _looks_like_org(name: str) -> bool:
    return bool(_tokens(name) & _ORG_WORDS)


def _strip_titles(name: str) -> str:
    """The person's name without the titles it opens with ("Sen. Ana Ruiz" is Ana Ruiz), nor what
    stands before a title abbreviation inside it ("U.S. Rep. Ana Ruiz", "Texas Gov. Bo Park": the
    place is the title's, not the person's)."""
    tokens = name.split()
    for i in range(len(tokens) - 2, 0, -1):
        if tokens[i].endswith(".") and tokens[i][:-1] in _TITLE_ABBREVIATIONS:
            tokens = tokens[i + 1:]
            break
    while len(tokens) > 1 and tokens[0].lower().rstrip(".") in TITLES:
        tokens = tokens[1:]
    return " ".join(tokens)


# the honorifics that are titles (Sen., Gov., Dr.), not the name's own parts (Jr., Sr.) or a
# saint's (St. Louis)
_TITLE_ABBREVIATIONS = frozenset(h for h in vocab.words("speaker_titles", "honorifics")
                                 if h.lower() in TITLES)
