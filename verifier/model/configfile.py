"""configfile: `verifier.toml`, or `[tool.verifier]` in `pyproject.toml`.

The nearest directory at or above the article that holds either file wins; in one directory
`verifier.toml` beats `pyproject.toml`, and a `pyproject.toml` without a `[tool.verifier]` table is
passed over (as ruff does). Keys may be written with `_` or `-`.

    engine = "llm"                    # auto | llm | rules, or a plugin engine
    model = "gpt-4o-mini"
    base_url = "http://localhost:11434/v1"
    fail_on = "warning"               # error | warning | info | never
    include = ["drafts/*.md"]         # globs matched against the end of the article path
                                      # relative to this file's folder
    exclude = ["drafts/archive/*"]
    disable = ["claim-unattributed"]
    baseline = ".verifier-baseline.json"

    [severity]                        # per rule: error | warning | info | off
    attribution-vague = "off"

    [source_map]                      # article glob -> source files (`[sources]` works too)
    "drafts/kestrel*.md" = ["sources/kestrel-call.txt"]

Paths in the file (`baseline`, `cache_dir`, `sources`, `source_map` values) are relative to the
file's directory and are returned absolute. An unknown key, a bad value or malformed TOML raises
`ConfigError` naming the file and line. API keys are refused: they belong in the environment.
"""

from __future__ import annotations

import difflib
import re
import stat
import tomllib
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Any

from verifier.model.catalog import RULES
from verifier.model.config import LIMITS, known
from verifier.model.errors import ConfigError
from verifier.model.options import FailLevel, LLMMode, RuleLevel
from verifier.model.registry import ENGINES, engine_choices

Section = tuple[str, ...]


def find_and_load(start: Path | None) -> tuple[dict[str, Any], str | None]:
    """Settings values from the nearest configuration file at or above `start`, and its path."""
    path = find(start)
    if path is None:
        return {}, None
    return load_file(path), str(path)


def find(start: Path | None) -> Path | None:
    """The nearest `verifier.toml` or `pyproject.toml` with `[tool.verifier]` at or above `start`."""
    here = (start or Path.cwd()).resolve()
    if not _is(here, Path.is_dir):
        here = here.parent
    for directory in (here, *here.parents):
        own = directory / "verifier.toml"
        if _is(own, Path.is_file):
            return own
        pyproject = directory / "pyproject.toml"
        if _is(pyproject, Path.is_file) and _has_tool_table(pyproject):
            return pyproject
    return None


def _is(path: Path, test: Callable[[Path], bool]) -> bool:
    """`test(path)`, with a directory the user may not look into counting as no (the article
    in it is reported unreadable by itself; the search for a configuration goes on upward)."""
    try:
        return test(path)
    except OSError:
        return False


def load_file(path: Path) -> dict[str, Any]:
    """Validated Settings values from one configuration file (an explicit `--config` too)."""
    text = _read(path)
    data = _parse(text, path)
    prefix: Section = ("tool", "verifier") if path.name == "pyproject.toml" else ()
    table: Any = data
    for part in prefix:
        table = table.get(part) if isinstance(table, dict) else None
    if not isinstance(table, dict):
        raise ConfigError("no [tool.verifier] table", path=str(path),
                          hint="add one, or pass a verifier.toml with --config")
    return _Validator(path, text, prefix).values(table)


# --------------------------------------------------------------------------- reading


_TOOL_TABLE = re.compile(r"^\s*\[\s*tool\s*\.\s*verifier\s*[\].]", re.MULTILINE)
_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)")


def _has_tool_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return bool(_TOOL_TABLE.search(text)) or re.search(r"^\s*tool\.verifier\b", text, re.M) is not None


def _read(path: Path) -> str:
    try:
        mode = path.stat().st_mode
        if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):  # a FIFO would block, /dev/zero never end
            raise ConfigError("configuration file is not a regular file; it was not read", path=str(path))
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ConfigError("configuration file not found", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise ConfigError("configuration file is not UTF-8 text", path=str(path)) from exc
    except OSError as exc:
        raise ConfigError(f"cannot read configuration file: {exc.strerror}", path=str(path)) from exc


def _parse(text: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = _TOML_AT.search(str(exc))
        message = _TOML_AT.sub("", str(exc)).strip()
        raise ConfigError(f"invalid TOML: {message}", path=str(path),
                          line=int(found.group(1)) if found else None) from exc


# --------------------------------------------------------------------------- key lines


_HEADER = re.compile(r"^\s*\[\[?\s*(?P<name>[^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*(?P<key>(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=""")
_KEY_PART = re.compile(r""""([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+)""")


def _split_key(dotted: str) -> Section:
    return tuple(next(g for g in m.groups() if g is not None) for m in _KEY_PART.finditer(dotted))


def key_lines(text: str) -> dict[Section, int]:
    """1-based line of the first appearance of every table and key path in a TOML text.

    tomllib keeps no positions; this scan of headers and `key =` lines is enough to point a user
    at the line an error is about (multi-line strings and arrays can only confuse continuation
    lines, which never start with `key =` in a configuration this small).
    """
    lines: dict[Section, int] = {}
    section: Section = ()
    for number, line in enumerate(text.splitlines(), start=1):
        header = _HEADER.match(line)
        if header:
            section = _split_key(header.group("name"))
            lines.setdefault(section, number)
            continue
        key = _KEY.match(line)
        if key:
            full = section + _split_key(key.group("key"))
            for i in range(len(section) + 1, len(full) + 1):
                lines.setdefault(full[:i], number)
    return lines


# --------------------------------------------------------------------------- validation


SECRET_KEYS = {"api_key", "openai_api_key"}


class _Validator:
    """Turns a parsed table into Settings values, raising ConfigError at the offending line."""

    def __init__(self, path: Path, text: str, prefix: Section) -> None:
        self.path = path
        self.prefix = prefix
        self.lines = key_lines(text)
        self.base = path.resolve().parent
        self.checks: dict[str, Callable[[Section, Any], Any]] = {
            "engine": self.engine,
            "model": self.string,
            "base_url": self.url,
            "llm_mode": self.choice(LLMMode),
            "timeout": self.positive_number,
            "timeout_per_article": self.positive_number,
            "max_retries": self.count(0),
            "fail_on": self.choice(FailLevel),
            "max_bytes": self.count(1),
            "cache": self.boolean,
            "cache_dir": self.path_value,
            "concurrency": self.count(1),
            "jobs": self.count(1),
            "chunk_tokens": self.count(1),
            "sources": self.path_list,
            "severity": self.severity,
            "disable": self.rule_list,
            "include": self.string_list,
            "exclude": self.string_list,
            "source_map": self.source_map,
            "baseline": self.path_value,
        }

    def values(self, table: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for raw_key, value in table.items():
            key = raw_key.replace("-", "_")
            where: Section = (raw_key,)
            if key in SECRET_KEYS:
                raise self.error(where, f"{raw_key!r} does not belong in a configuration file",
                                 hint="set OPENAI_API_KEY or VERIFIER_API_KEY in the environment")
            if key == "sources" and isinstance(value, dict):
                key = "source_map"  # `[sources]` as a table: article glob -> source files
            check = self.checks.get(key)
            if check is None:
                raise self.error(where, f"unknown key {raw_key!r}{self.table_name()}",
                                 hint=known("key", key, list(self.checks)))
            if key in out:
                raise self.error(where, f"{raw_key!r} repeats a setting given earlier in the file")
            out[key] = check(where, value)
            if key in LIMITS and not out[key] <= LIMITS[key]:
                raise self.bad(where, value, f"at most {LIMITS[key]:,}")
        return out

    # -- errors
    def table_name(self) -> str:
        return " in [tool.verifier]" if self.prefix else ""

    def line_of(self, where: Section) -> int | None:
        full = self.prefix + where
        for end in range(len(full), 0, -1):
            if full[:end] in self.lines:
                return self.lines[full[:end]]
        return None

    def error(self, where: Section, message: str, hint: str | None = None) -> ConfigError:
        return ConfigError(message, path=str(self.path), line=self.line_of(where), hint=hint)

    def bad(self, where: Section, value: Any, wanted: str) -> ConfigError:
        name = ".".join(where)
        return self.error(where, f"{name} must be {wanted}, not {value!r}")

    # -- value checks
    def choice(self, enum: type[StrEnum]) -> Callable[[Section, Any], str]:
        allowed = [member.value for member in enum]

        def check(where: Section, value: Any) -> str:
            if value not in allowed:
                raise self.bad(where, value, "one of " + ", ".join(allowed))
            return str(value)
        return check

    def engine(self, where: Section, value: Any) -> str:
        """`auto` or a registered engine (plugins included), read from the registry."""
        if not isinstance(value, str) or not (value == "auto" or ENGINES.has(value)):
            raise self.bad(where, value, "one of " + ", ".join(engine_choices()))
        return value

    def count(self, minimum: int) -> Callable[[Section, Any], int]:
        def check(where: Section, value: Any) -> int:
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                raise self.bad(where, value, f"a whole number >= {minimum}")
            return value
        return check

    def positive_number(self, where: Section, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:  # nan too
            raise self.bad(where, value, "a number above 0")
        return float(value)

    def boolean(self, where: Section, value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.bad(where, value, "true or false")
        return value

    def string(self, where: Section, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.bad(where, value, "a non-empty string")
        return value

    def url(self, where: Section, value: Any) -> str:
        if not isinstance(value, str) or not re.match(r"https?://\S+$", value):
            raise self.bad(where, value, "an http:// or https:// URL")
        return value

    def string_list(self, where: Section, value: Any) -> list[str]:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.bad(where, value, "a list of strings")
        return list(value)

    def path_value(self, where: Section, value: Any) -> str:
        return str(self.base / self.string(where, value))

    def path_list(self, where: Section, value: Any) -> list[str]:
        return [str(self.base / v) for v in self.string_list(where, value)]

    def rule_list(self, where: Section, value: Any) -> list[str]:
        rules = self.string_list(where, value)
        for rule in rules:
            self.known_rule(where, rule)
        return rules

    def known_rule(self, where: Section, rule: str) -> None:
        if rule not in RULES:
            raise self.error(where, f"unknown rule {rule!r}",
                             hint=_did_you_mean(rule, list(RULES)) or "`verifier rules` lists them")

    def severity(self, where: Section, value: Any) -> dict[str, str]:
        if not isinstance(value, dict):
            raise self.bad(where, value, "a table of rule = level")
        out: dict[str, str] = {}
        for rule, level in value.items():
            at = where + (rule,)
            self.known_rule(at, rule)
            out[rule] = self.choice(RuleLevel)(at, level)
        return out

    def source_map(self, where: Section, value: Any) -> dict[str, list[str]]:
        if not isinstance(value, dict):
            raise self.bad(where, value, "a table of article glob = source file(s)")
        return {glob: self.path_list(where + (glob,), paths) for glob, paths in value.items()}


def _did_you_mean(word: str, choices: list[str]) -> str | None:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.55)
    return f"did you mean {close[0]!r}?" if close else None
