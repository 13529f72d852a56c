"""Registries: the engines, output formats and LLM providers a run can choose by name.

Each registry is an entry-point group, as simonw/llm does with its plugins:

    [project.entry-points."verifier.formats"]
    csv = "my_package.csv_format"            # a module with `render(items, ctx) -> str`

An installed package adds an engine, a format or a provider by naming it in its own
pyproject.toml under `verifier.engines`, `verifier.formats` or `verifier.providers`; nothing in
verifier is edited. The built-ins are registered the same way, in verifier's own pyproject.toml,
which is the one list of them: it is read directly when verifier runs from a source tree (so an
added line counts at once, without reinstalling), and from the installed package's metadata
otherwise. A plugin cannot replace a built-in: a name that a built-in holds keeps the built-in.

Entry points are read once per registry (importlib.metadata scans every installed package);
`refresh()` reads them again. The target of an entry is imported only when it is used, so
listing names (the CLI's help) imports no format, engine or provider.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from importlib.metadata import EntryPoint, PackageNotFoundError, distribution, entry_points
from pathlib import Path
from typing import Any

from verifier.model.errors import UsageError


@dataclass(slots=True)
class Registry:
    """Named things of one kind (`what`), from the entry-point `group`."""

    group: str
    what: str  # "format", "engine", "LLM provider": for messages
    _own: dict[str, EntryPoint] | None = field(default=None, repr=False)
    _entries: dict[str, EntryPoint] | None = field(default=None, repr=False)
    _loaded: dict[str, Any] = field(default_factory=dict, repr=False)

    def builtins(self) -> dict[str, EntryPoint]:
        """verifier's own names and entry points, in alphabetical order. Cheap: reading
        them does not scan every installed package, as finding the plugins does."""
        if self._own is None:
            self._own = {name: EntryPoint(name, value, self.group)
                         for name, value in own_entry_points(self.group).items()}
        return self._own

    def entries(self) -> dict[str, EntryPoint]:
        """Every registered name and its entry point: the built-ins first, then the plugins', each
        in alphabetical order (an installed wheel's metadata lists entry points sorted, so no
        other order would be the same from a source tree and from a wheel)."""
        if self._entries is None:
            found = dict(self.builtins())
            plugins = [ep for ep in entry_points(group=self.group) if _dist_name(ep) != OWN_NAME]
            for ep in sorted(plugins, key=lambda ep: ep.name):
                found.setdefault(ep.name, ep)
            self._entries = found
        return self._entries

    def has(self, name: str) -> bool:
        """True when `name` is registered (a built-in name is known without the plugin scan)."""
        return name in self.builtins() or name in self.entries()

    def names(self) -> tuple[str, ...]:
        return tuple(self.entries())

    def choices(self, sep: str = " | ") -> str:
        """The names joined for a help text or an error: 'text | json | ...'."""
        return sep.join(self.names())

    def check(self, name: str, flag: str | None = None) -> str:
        """`name` when it is registered, else a `UsageError` that lists the registered names."""
        if not self.has(name):
            if flag:
                raise UsageError(f"{flag} must be one of {self.choices(', ')}, not {name!r}")
            raise UsageError(f"unknown {self.what} {name!r}", hint=f"choose one of {self.choices(', ')}")
        return name

    def load(self, name: str) -> Any:
        """The object registered under `name` (imported on first use)."""
        if name not in self._loaded:
            entry = self.builtins().get(name) or self.entries()[self.check(name)]
            try:
                self._loaded[name] = entry.load()
            except (ImportError, AttributeError) as exc:
                raise UsageError(f"the {self.what} {name!r} ({entry.value}) could not be loaded: {exc}",
                                 hint=f"check the package that registers it under {self.group!r}") from exc
        return self._loaded[name]

    def refresh(self) -> None:
        """Read the entry points again (after a package was installed, or in a test)."""
        self._own = self._entries = None
        self._loaded.clear()
        _source_tables.cache_clear()


OWN_NAME = "verifier"
SOURCE_PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def own_entry_points(group: str) -> dict[str, str]:
    """verifier's own entries of `group`, name -> value, in alphabetical order: from the source
    tree's pyproject.toml when there is one, else from the installed metadata."""
    table = _source_tables().get(group)
    if table is None:
        try:
            dist = distribution(OWN_NAME)
        except PackageNotFoundError:
            return {}
        table = {ep.name: ep.value for ep in dist.entry_points if ep.group == group}
    return dict(sorted(table.items()))


@functools.cache
def _source_tables() -> dict[str, dict[str, str]]:
    """The entry-point tables of the source tree's pyproject.toml (empty in an installed wheel)."""
    try:
        data = tomllib.loads(SOURCE_PYPROJECT.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    project = data.get("project", {})
    if project.get("name") != OWN_NAME:
        return {}
    tables: dict[str, dict[str, str]] = project.get("entry-points", {})
    return tables


def _dist_name(ep: EntryPoint) -> str | None:
    dist = getattr(ep, "dist", None)
    return getattr(dist, "name", None)


FORMATS = Registry("verifier.formats", "format")
ENGINES = Registry("verifier.engines", "engine")
PROVIDERS = Registry("verifier.providers", "LLM provider")


def engine_choices() -> tuple[str, ...]:
    """What `--engine` accepts: `auto` and every registered engine."""
    return ("auto", *ENGINES.names())


def check_engine(name: str, where: str) -> str:
    """`name` when it is `auto` or a registered engine, else a `UsageError` naming `where` (a flag,
    an environment variable) and every registered engine, plugins included."""
    if name != "auto" and not ENGINES.has(name):
        raise UsageError(f"{where} must be one of {', '.join(engine_choices())}, not {name!r}")
    return name
