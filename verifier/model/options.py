"""The choices a setting takes, each defined once: `Settings`, the configuration file, the
environment and the command line's flags all read them from here.

Plain `StrEnum`s (a member equals its string, and prints as it), in a module that imports
nothing, so that the command line can type its flags without importing pydantic.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

# The engines and the output formats are not listed here: each is a registry
# (`verifier.model.registry.ENGINES`, `FORMATS`), whose one list of built-ins is pyproject.toml's
# entry points, plugins besides. The engine setting is `auto` or a registered engine; `auto` picks
# one of two built-ins (tests/test_registry.py checks that both are registered).
AUTO = "auto"
AUTO_LLM = "llm"  # when a key or a base URL is configured
AUTO_RULES = "rules"  # otherwise


class FailLevel(StrEnum):
    """`--fail-on`: exit 1 on a finding at or above this severity (`never`: never)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    NEVER = "never"


class RuleLevel(StrEnum):
    """A rule's level under `[severity]` in the configuration file (`off` drops its findings)."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    OFF = "off"


class LLMMode(StrEnum):
    """How instructor asks the model for structured output (`--llm-mode`)."""

    TOOLS = "tools"
    JSON_SCHEMA = "json_schema"
    JSON = "json"
    MD_JSON = "md_json"


class EvalFormat(StrEnum):
    """`--format` of `verifier eval`: a table or JSON."""

    TEXT = "text"
    JSON = "json"


Markup = Literal["text", "markdown", "html"]

# file suffix -> markup, for articles (the CLI, the review page's uploads) and sources alike
SUFFIXES: dict[str, Markup] = {
    ".txt": "text",
    ".md": "markdown", ".markdown": "markdown", ".mdown": "markdown", ".mkd": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}


def choices(enum: type[StrEnum]) -> str:
    """'auto, llm, rules': the values of `enum` for a message."""
    return ", ".join(member.value for member in enum)
