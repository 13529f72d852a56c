"""Knowledge as data: the word lists and patterns the stages read, one YAML file per vocabulary.

Each file in this folder is one vocabulary: a mapping with at least `description` (what the list is
for, and who reads it) and the entries themselves, under keys the reading module documents
(usually `words` for single words and `phrases` for multi-word entries). Code never lists words;
it asks this module for them. Files are read once per process.

    >>> "said" in words("cue_verbs")
    True
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib.resources import files
from typing import Any

import yaml

from verifier.model.errors import VerifierError

__all__ = ["VocabularyError", "alternation", "load", "names", "words"]


class VocabularyError(VerifierError):
    """A vocabulary file is missing or malformed (a packaging or editing mistake, not user input)."""


def names() -> list[str]:
    """The vocabularies shipped with the package, by file stem."""
    return sorted(p.name[: -len(".yaml")] for p in files(__name__).iterdir() if p.name.endswith(".yaml"))


@functools.cache
def load(name: str) -> dict[str, Any]:
    """The parsed file `verifier/vocab/<name>.yaml`."""
    resource = files(__name__) / f"{name}.yaml"
    try:
        data = yaml.safe_load(resource.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise VocabularyError(f"no vocabulary named {name!r} (expected verifier/vocab/{name}.yaml)") from None
    except yaml.YAMLError as exc:
        raise VocabularyError(f"verifier/vocab/{name}.yaml is not valid YAML: {exc}") from None
    if not isinstance(data, dict) or "description" not in data:
        raise VocabularyError(f"verifier/vocab/{name}.yaml must be a mapping with a 'description'")
    return data


def alternation(entries: Iterable[str]) -> str:
    """A regex alternation of `entries`, each escaped, longest first (so no entry is cut short by a
    shorter one that begins it: 表示 before 表): the one way the stages turn a word list into a
    pattern (`stages.names`, `stages.segment`, `stages.quotes`)."""
    return "|".join(sorted({re.escape(e) for e in entries}, key=len, reverse=True))


def words(name: str, key: str = "words") -> tuple[str, ...]:
    """The list under `key` in vocabulary `name`, as a tuple of strings, in file order."""
    entries = load(name).get(key)
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise VocabularyError(f"verifier/vocab/{name}.yaml: '{key}' must be a list of strings")
    return tuple(entries)
