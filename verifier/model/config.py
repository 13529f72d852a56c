"""Settings for a run, and where they come from.

Precedence (DESIGN.md): command-line flags > `VERIFIER_*` and `OPENAI_*` environment >
`verifier.toml` or `[tool.verifier]` in `pyproject.toml` (searched upward from the article) > defaults.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from verifier.model.errors import UsageError

DEFAULT_MAX_BYTES = 2_000_000
DEFAULT_MODEL = "gpt-4o-mini"
DEFAULT_TIMEOUT_PER_ARTICLE = 600.0
ENGINES = ("auto", "llm", "rules")


@dataclass(slots=True)
class Settings:
    """Everything a check run needs to know. Built by `resolve_settings`, read everywhere else."""

    engine: str = "auto"  # auto | llm | rules
    model: str | None = None
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    llm_mode: str | None = None  # tools | json_schema | json | md_json; None = by server kind
    timeout: float = 120.0
    max_retries: int = 2
    fail_on: str = "error"  # error | warning | info | never
    max_bytes: int = DEFAULT_MAX_BYTES
    cache: bool = True
    cache_dir: str | None = None
    concurrency: int | None = None  # articles in flight at once with the LLM engine; None: by server
    refresh: bool = False  # re-ask every chunk and overwrite its cached answer
    max_calls: int | None = None  # stop the run before the model request that would pass this
    max_cost: float | None = None  # stop the run before a request that could pass this many USD
    jobs: int = 1  # processes checking articles with the rules engine
    chunk_tokens: int = 1500
    sources: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)  # rule -> error|warning|info|off
    disable: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    source_map: dict[str, list[str]] = field(default_factory=dict)  # article glob -> sources
    config_path: str | None = None
    baseline: str | None = None  # accepted findings (verifier.baseline)
    update_baseline: bool = False
    changed_since: str | None = None  # git revision: check only paragraphs changed since
    timeout_per_article: float = DEFAULT_TIMEOUT_PER_ARTICLE  # seconds one article may take
    sources_confined: bool = False  # `sources` came from a config file (confined), not --source

    def resolved_engine(self) -> str:
        """`auto` means llm when a key or a base URL is configured, otherwise rules."""
        if self.engine != "auto":
            return self.engine
        return "llm" if (self.api_key or self.base_url) else "rules"

    def resolved_concurrency(self) -> tuple[int, str]:
        """Articles checked at once with the LLM engine, and why: 1 for a server on this machine
        (a local server answers one request at a time; more only queue and time out), else 4."""
        if self.concurrency is not None:
            return self.concurrency, "--concurrency"
        if self.base_url and is_loopback(self.base_url):
            return 1, "the LLM server is on this machine and answers one request at a time"
        return 4, "a hosted LLM server answers several requests at once"

    def with_overrides(self, values: Mapping[str, Any]) -> Settings:
        known = {f.name for f in fields(self)}
        return replace(self, **{k: v for k, v in values.items() if k in known and v is not None})


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
    "OPENAI_BASE_URL": "base_url",
    "OPENAI_API_KEY": "api_key",
}


def env_values(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Settings named by the environment; `VERIFIER_*` wins over `OPENAI_*`. A value that cannot
    be right (`VERIFIER_MAX_BYTES=abc`, `VERIFIER_ENGINE=bogus`) is a `UsageError` naming it."""
    environ = os.environ if environ is None else environ
    out: dict[str, Any] = {}
    for key, name in ENV_KEYS.items():
        value = environ.get(key)
        if value and name not in out:
            out[name] = value
    if out.get("engine") is not None and out["engine"] not in ENGINES:
        raise UsageError(f"VERIFIER_ENGINE must be one of {', '.join(ENGINES)}, not {out['engine']!r}")
    for key, name, kind in (("VERIFIER_MAX_BYTES", "max_bytes", int),
                            ("VERIFIER_TIMEOUT_PER_ARTICLE", "timeout_per_article", float)):
        if environ.get(key):
            out[name] = _positive(key, environ[key], kind)
    return out


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
    if settings.engine not in ENGINES:
        raise UsageError(f"engine must be one of {', '.join(ENGINES)}, not {settings.engine!r}")
    return settings


def file_values(start: Path | None) -> tuple[dict[str, Any], str | None]:
    """Settings from the nearest configuration file above `start` (see `verifier.configfile`)."""
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
