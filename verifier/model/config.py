"""Settings for a run, and where they come from.

Precedence (DESIGN.md): command-line flags > `VERIFIER_*` and `OPENAI_*` environment >
`verifier.toml` or `[tool.verifier]` in `pyproject.toml` (searched upward from the article) > defaults.
"""

from __future__ import annotations

import difflib
import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from verifier.model.errors import UsageError
from verifier.model.options import (
    AUTO,
    AUTO_LLM,
    AUTO_RULES,
    FailLevel,
    LLMMode,
    RuleLevel,
    choices,
)
from verifier.model.registry import ENGINES, check_engine, engine_choices

DEFAULT_MAX_BYTES = 2_000_000
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT_PER_ARTICLE = 600.0
# The largest values a run can use: past them a file read, a process pool or an interval timer
# overflows (an OverflowError, not a refusal). Far beyond any real run.
LIMITS: dict[str, int] = {"max_bytes": 2**62, "jobs": 1024, "timeout_per_article": 10**8}


class Settings(BaseModel):
    """Everything a check run needs to know. Built by `resolve_settings`, read everywhere else.

    An unknown setting or a value of the wrong kind is a `UsageError` naming it (and, for an
    unknown name, the known ones), whether in `Settings(...)` or `with_overrides`; the choices are
    the enums of `verifier.model.options`, so a string is accepted where it names a member. The
    engine is the exception: it is `auto` or any engine of the registry
    (`verifier.model.registry.ENGINES`), so a plugin engine is chosen by its name.
    """

    model_config = ConfigDict(extra="forbid")

    engine: str = Field(AUTO, description="auto, or a registered engine (llm, rules, plugins); "
                        "auto: llm when a key or a base URL is configured.")
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = Field(None, repr=False)
    llm_mode: LLMMode | None = Field(None, description="None: chosen by the kind of server.")
    timeout: float = 120.0
    max_retries: int = 2
    fail_on: FailLevel = FailLevel.ERROR
    max_bytes: int = DEFAULT_MAX_BYTES
    cache: bool = True
    cache_dir: str | None = None
    concurrency: int | None = Field(None, description="Articles in flight at once with the LLM engine; None: by server.")
    refresh: bool = Field(False, description="Re-ask every chunk and overwrite its cached answer.")
    max_calls: int | None = Field(None, description="Stop the run before the model request that would pass this.")
    max_cost: float | None = Field(None, description="Stop the run before a request that could pass this many USD.")
    jobs: int = Field(1, description="Processes checking articles with the rules engine.")
    chunk_tokens: int = 1500
    sources: list[str] = Field(default_factory=list)
    severity: dict[str, RuleLevel] = Field(default_factory=dict, description="Rule id -> its level.")
    disable: list[str] = Field(default_factory=list)
    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    source_map: dict[str, list[str]] = Field(default_factory=dict, description="Article glob -> sources.")
    config_path: str | None = None
    baseline: str | None = Field(None, description="Accepted findings (verifier.stages.baseline).")
    update_baseline: bool = False
    changed_since: str | None = Field(None, description="Git revision: check only paragraphs changed since.")
    timeout_per_article: float = Field(DEFAULT_TIMEOUT_PER_ARTICLE, description="Seconds one article may take.")
    sources_confined: bool = Field(False, description="`sources` came from a config file (confined), not --source.")

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as exc:
            raise _first_problem(exc) from None

    @field_validator("engine")
    @classmethod
    def _registered_engine(cls, value: str) -> str:
        """`auto` or a registered engine; the built-ins are known without scanning for plugins."""
        value = str(value)
        if value != AUTO and not ENGINES.has(value):
            raise PydanticCustomError("enum", "Input should be {expected}",
                                      {"expected": ", ".join(repr(name) for name in engine_choices())})
        return value

    def resolved_engine(self) -> str:
        """The engine's registered name: `auto` means llm when a key or a base URL is configured,
        otherwise rules."""
        if self.engine != AUTO:
            return self.engine
        return AUTO_LLM if (self.api_key or self.base_url) else AUTO_RULES

    def resolved_concurrency(self) -> tuple[int, str]:
        """Articles checked at once with the LLM engine, and why: 1 for a server on this machine
        (a local server answers one request at a time; more only queue and time out), else 4."""
        if self.concurrency is not None:
            return self.concurrency, "--concurrency"
        if self.base_url and is_loopback(self.base_url):
            return 1, "the LLM server is on this machine and answers one request at a time"
        return 4, "a hosted LLM server answers several requests at once"

    def with_overrides(self, values: Mapping[str, Any]) -> Settings:
        """These settings with `values` laid over them (None leaves a setting as it is). An
        unknown name or a value of the wrong kind is a `UsageError` naming it."""
        for name in values:
            if name not in Settings.model_fields:
                raise _unknown(name)
        update = {name: value for name, value in values.items() if value is not None}
        if not update:
            return self.model_copy(deep=True)
        try:
            return Settings.model_validate({**self.model_dump(), **update})
        except ValidationError as exc:
            raise _first_problem(exc) from None


def known(kind: str, name: str, names: list[str]) -> str:
    """'did you mean 'fail_on'? known settings: engine, ...' for an unknown `name`."""
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.55)
    return (f"did you mean {close[0]!r}? " if close else "") + f"known {kind}s: {', '.join(names)}"


def _unknown(name: str) -> UsageError:
    return UsageError(f"unknown setting {name!r}", hint=known("setting", name, list(Settings.model_fields)))


def _first_problem(exc: ValidationError) -> UsageError:
    """The first validation error, in the words the rest of the command line uses."""
    error = exc.errors()[0]
    name = ".".join(str(part) for part in error["loc"])
    if error["type"] == "extra_forbidden":
        return _unknown(name)
    if error["type"] == "enum":
        allowed = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        return UsageError(f"{name} must be one of {', '.join(allowed)}, not {error['input']!r}")
    return UsageError(f"{name}: {error['msg'][0].lower()}{error['msg'][1:]}, not {error['input']!r}")


def is_loopback(base_url: str | None) -> bool:
    """True for a server on this machine (localhost, 127.0.0.0/8, ::1)."""
    host = (urlparse(base_url or "").hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


ENV_KEYS: dict[str, str] = {
    "VERIFIER_ENGINE": "engine",
    "VERIFIER_MODEL": "model",
    "VERIFIER_BASE_URL": "base_url",
    "VERIFIER_API_KEY": "api_key",
    "VERIFIER_LLM_MODE": "llm_mode",
    "VERIFIER_FAIL_ON": "fail_on",
    "VERIFIER_CACHE_DIR": "cache_dir",
    "VERIFIER_MAX_BYTES": "max_bytes",
    "VERIFIER_TIMEOUT_PER_ARTICLE": "timeout_per_article",
    "OPENAI_BASE_URL": "base_url",
    "OPENAI_API_KEY": "api_key",
}
# VERIFIER_* variables that are not settings of a run: the evaluation scripts read this one
NOT_SETTINGS = frozenset({"VERIFIER_EVAL_DATA"})
_ENV_CHOICES = {"llm_mode": LLMMode, "fail_on": FailLevel}
_ENV_NUMBERS: dict[str, type[int] | type[float]] = {"max_bytes": int, "timeout_per_article": float}


def env_values(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Settings named by the environment; `VERIFIER_*` wins over `OPENAI_*`. A value that cannot
    be right (`VERIFIER_MAX_BYTES=abc`, `VERIFIER_ENGINE=bogus`) or a `VERIFIER_*` variable that
    names no setting (`VERIFIER_ENIGNE`) is a `UsageError` naming it."""
    environ = os.environ if environ is None else environ
    for key in environ:
        if key.startswith("VERIFIER_") and key not in ENV_KEYS and key not in NOT_SETTINGS:
            names = [k for k in ENV_KEYS if k.startswith("VERIFIER_")]
            raise UsageError(f"unknown environment variable {key}", hint=known("variable", key, names))
    out: dict[str, Any] = {}
    for key, name in ENV_KEYS.items():
        value = environ.get(key)
        if value and name not in out:
            out[name] = _env_value(key, name, value)
    return out


def _env_value(key: str, name: str, value: str) -> Any:
    if name == "engine":
        return check_engine(value, key)
    if name in _ENV_CHOICES:
        enum = _ENV_CHOICES[name]
        if value not in enum.__members__.values():
            raise UsageError(f"{key} must be one of {choices(enum)}, not {value!r}")
        return enum(value)
    if name in _ENV_NUMBERS:
        return _positive(key, value, _ENV_NUMBERS[name])
    return value


def _positive(name: str, value: str, kind: type[int] | type[float]) -> int | float:
    try:
        number = kind(value)
    except ValueError:
        number = None
    if number is None or not number > 0 or number != number or number == float("inf"):
        wanted = "a whole number above 0" if kind is int else "a number of seconds above 0"
        raise UsageError(f"{name} must be {wanted}, not {value!r}")
    return number


def check_values(settings: Settings) -> Settings:
    """Refuse settings no run can use, whichever source gave them (flags are checked here too)."""
    if settings.max_bytes < 1:
        raise UsageError(f"--max-bytes must be 1 or more, not {settings.max_bytes}")
    if not settings.timeout > 0:
        raise UsageError(f"--timeout must be a number of seconds above 0, not {settings.timeout:g}")
    if not settings.timeout_per_article > 0:
        raise UsageError("--timeout-per-article must be a number of seconds above 0, "
                         f"not {settings.timeout_per_article:g}")
    if settings.max_retries < 0:
        raise UsageError(f"--max-retries must be 0 or more, not {settings.max_retries}")
    for name, top in LIMITS.items():
        value = getattr(settings, name)
        if not value <= top:  # NaN and infinity too
            raise UsageError(f"--{name.replace('_', '-')} must be at most {top:,}, not {value!r}")
    return settings


def file_values(start: Path | None) -> tuple[dict[str, Any], str | None]:
    """Settings from the nearest configuration file above `start` (see `verifier.model.configfile`)."""
    try:
        from verifier.model import configfile
    except ImportError:  # pragma: no cover - configuration files are optional
        return {}, None
    return configfile.find_and_load(start)


def resolve_settings(flags: Mapping[str, Any], start: Path | None = None,
                     environ: Mapping[str, str] | None = None) -> Settings:
    """Defaults, then the configuration file, then the environment, then the flags.

    An explicit `config_path` flag (`--config FILE`) replaces the upward search.
    """
    explicit = flags.get("config_path")
    path: str | None
    if explicit:
        from verifier.model import configfile

        from_file, path = configfile.load_file(Path(explicit)), str(explicit)
    else:
        from_file, path = file_values(start)
    settings = Settings().with_overrides(from_file)
    settings.config_path = path
    settings = settings.with_overrides(env_values(environ)).with_overrides(flags)
    settings.sources_confined = bool(from_file.get("sources")) and not flags.get("sources")
    return check_values(settings)
