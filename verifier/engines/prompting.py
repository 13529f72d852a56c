"""Prompt templates: loaded from the package, rendered with strict variables, versioned by content.

Templates live in the top-level `prompts/` folder, which the wheel ships as the package
`verifier.prompts`. A prompt is a pair of files, `<name>.system.md` and `<name>.user.md`, rendered
with Jinja2: a variable the template uses but the caller does not pass is an error, and so is a
variable the caller passes but the template never uses (a typo would otherwise go unnoticed).
`Prompt.version` is `name@<first 12 hex digits of the SHA-256 of both files>`: it lands in
`report.engine.prompt_version` and in the LLM cache key, so editing a prompt invalidates the cache.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, meta

from verifier.model.errors import ConfigError

# Both folders are tried: the installed package, then the repository checkout (a plain
# `python -m verifier` from the source tree has no `verifier.prompts` package).
_REPO_PROMPTS = Path(__file__).resolve().parents[2] / "prompts"

_ENV = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@dataclass(frozen=True, slots=True)
class Prompt:
    """A system and a user template, and the version both hash to."""

    name: str
    system: str
    user: str

    @property
    def version(self) -> str:
        digest = hashlib.sha256((self.system + "\0" + self.user).encode("utf-8")).hexdigest()
        return f"{self.name}@{digest[:12]}"

    def render(self, **variables: Any) -> list[dict[str, str]]:
        """Chat messages with every variable filled in; unknown or missing names raise."""
        check_variables(self, variables)
        return [
            {"role": "system", "content": _render(self.system, variables)},
            {"role": "user", "content": _render(self.user, variables)},
        ]

    def variables(self) -> set[str]:
        """Names the two templates use."""
        return _names(self.system) | _names(self.user)


@cache
def load_prompt(name: str) -> Prompt:
    """The prompt `name` from the installed package, or from the checkout's `prompts/`."""
    return Prompt(name=name, system=_read(f"{name}.system.md"), user=_read(f"{name}.user.md"))


def _read(filename: str) -> str:
    try:
        return resources.files("verifier.prompts").joinpath(filename).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError):
        pass
    path = _REPO_PROMPTS / filename
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"prompt template {filename} is missing", path=str(path),
                          hint="reinstall verifier; prompts ship inside the package") from exc


def _names(template: str) -> set[str]:
    return set(meta.find_undeclared_variables(_ENV.parse(template)))


def _render(template: str, variables: dict[str, Any]) -> str:
    text = _ENV.from_string(template).render(variables)
    return _blank_whitespace_lines(text.strip() + "\n")


def check_variables(prompt: Prompt, variables: dict[str, Any]) -> None:
    """Raise when the caller passes names the templates do not use, or misses names they do."""
    wanted = prompt.variables()
    unknown = set(variables) - wanted
    missing = wanted - set(variables)
    if unknown or missing:
        raise ConfigError(f"prompt {prompt.name}: unknown variables {sorted(unknown)}, "
                          f"missing variables {sorted(missing)}")


def _blank_whitespace_lines(text: str) -> str:
    # instructor re-renders messages with textwrap.dedent, which empties whitespace-only lines;
    # doing it here keeps what we hash, cache and record identical to what is sent.
    return re.sub(r"(?m)^[ \t]+$", "", text)
