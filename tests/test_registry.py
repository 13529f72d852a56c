"""The registries of formats, engines and LLM providers (entry points), and docs/formats.md.

A plugin is installed the way pip installs one: a module and a `*.dist-info` folder with its
`entry_points.txt`, on `sys.path`; importlib.metadata finds it there.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verifier import render
from verifier.cli import cli
from verifier.model.config import Settings, env_values, resolve_settings
from verifier.model.errors import ConfigError, UsageError
from verifier.model.registry import ENGINES, FORMATS, PROVIDERS, engine_choices
from verifier.run import pipeline

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "chipmaker-launch.md"
DOC = ROOT / "docs" / "formats.md"
BUILTIN_FORMATS = ("github", "html", "json", "jsonl", "junit", "markdown", "sarif", "text")


def install_plugin(folder: Path, name: str, modules: dict[str, str],
                   entry_points: dict[str, dict[str, str]]) -> None:
    """Write `modules` (file name -> source) and a dist-info that registers `entry_points`."""
    for filename, source in modules.items():
        (folder / filename).write_text(source, encoding="utf-8")
    info = folder / f"{name}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n", encoding="utf-8")
    lines = []
    for group, entries in entry_points.items():
        lines.append(f"[{group}]")
        lines += [f"{key} = {value}" for key, value in entries.items()]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    importlib.invalidate_caches()
    for registry in (FORMATS, ENGINES, PROVIDERS):
        registry.refresh()  # as a new process would read them


@pytest.fixture
def plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on sys.path for plugins; every registry forgets them afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))
    for registry in (FORMATS, ENGINES, PROVIDERS):
        registry.refresh()
    yield tmp_path
    for registry in (FORMATS, ENGINES, PROVIDERS):
        registry.refresh()
    for module in ("csv_format", "lm_provider", "null_engine", "broken_format"):
        sys.modules.pop(module, None)


def doc_block(language: str, index: int = 0) -> str:
    """The `index`-th fenced block of `language` in docs/formats.md."""
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)[index]


# --------------------------------------------------------------------------- built-ins


def test_the_builtins_are_the_entry_points_of_pyproject_alphabetically() -> None:
    tables = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    assert FORMATS.names() == tuple(sorted(tables["verifier.formats"])) == BUILTIN_FORMATS
    assert ENGINES.names() == tuple(sorted(tables["verifier.engines"])) == ("llm", "rules")
    assert PROVIDERS.names() == tuple(sorted(tables["verifier.providers"])) == (
        "ollama", "openai", "openai-compatible")
    assert engine_choices() == ("auto", "llm", "rules")
    for name in FORMATS.names():
        assert FORMATS.load(name).__name__ == f"verifier.render.{name}"


def test_an_installed_verifier_reads_its_builtins_from_the_package_metadata(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from importlib.metadata import distribution

    from verifier.model import registry

    installed = {ep.name: ep.value for ep in distribution("verifier").entry_points
                 if ep.group == "verifier.formats"}
    monkeypatch.setattr(registry, "SOURCE_PYPROJECT", tmp_path / "pyproject.toml")  # no source tree
    FORMATS.refresh()
    try:
        assert registry.own_entry_points("verifier.formats") == installed
        assert set(FORMATS.names()) == set(installed) and FORMATS.load("sarif").__name__ == "verifier.render.sarif"
    finally:
        monkeypatch.undo()
        FORMATS.refresh()
    assert FORMATS.names() == BUILTIN_FORMATS


def test_an_unknown_name_is_a_usage_error_listing_the_registered_ones() -> None:
    with pytest.raises(UsageError) as err:
        render.render("csv", [])
    assert "unknown format 'csv'" in str(err.value) and "github, html, json, jsonl" in str(err.value)
    with pytest.raises(UsageError, match=r"--format must be one of github, .*text, not 'pdf'"):
        FORMATS.check("pdf", "--format")
    assert FORMATS.check("sarif", "--format") == "sarif"


def test_the_cli_help_and_validation_read_the_format_registry() -> None:
    runner = CliRunner()
    help_text = runner.invoke(cli.app, ["check", "--help"], terminal_width=200).output
    assert "github | html | json | jsonl | junit | markdown | sarif | text." in help_text
    out = runner.invoke(cli.app, ["check", str(EXAMPLE), "--format", "csv"])
    assert out.exit_code == 2
    assert "--format must be one of github, html, json, jsonl, junit, markdown, sarif, text, not 'csv'" in out.stderr


def test_pyproject_is_the_one_list_of_built_in_formats_and_engines() -> None:
    """No enum repeats the entry points: the built-ins are pyproject.toml's, each loads, and the
    two engines `auto` picks between are registered built-ins."""
    from verifier.model import options

    table = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["entry-points"]
    assert list(FORMATS.builtins()) == sorted(table["verifier.formats"])
    assert list(ENGINES.builtins()) == sorted(table["verifier.engines"])
    assert render.formats()[:len(table["verifier.formats"])] == tuple(sorted(table["verifier.formats"]))
    assert all(callable(FORMATS.load(name).render) for name in FORMATS.builtins())
    assert all(callable(ENGINES.load(name)) for name in ENGINES.builtins())
    assert {options.AUTO_LLM, options.AUTO_RULES} <= set(ENGINES.builtins())
    assert not hasattr(options, "OutputFormat") and not hasattr(options, "Engine")


# --------------------------------------------------------------------------- a format plugin


def test_the_csv_format_of_the_docs_is_one_module_and_one_entry_point(plugins: Path) -> None:
    toml = tomllib.loads(doc_block("toml", 0))["project"]["entry-points"]
    install_plugin(plugins, "verifier-csv", {"csv_format.py": doc_block("python", 0)}, toml)
    assert FORMATS.names() == (*BUILTIN_FORMATS, "csv")

    results = pipeline.check_paths([str(EXAMPLE)], Settings(engine="rules"))
    report = results[0].report
    assert report.findings, "the example has findings to list"
    rows = list(csv.reader(io.StringIO(render.render("csv", results))))
    assert rows[0] == ["path", "line", "column", "severity", "rule", "message"]
    assert rows[1:] == [[str(EXAMPLE), str(f.span.line) if f.span else "", str(f.span.column) if f.span else "",
                         str(f.severity), f.rule, f.message] for f in report.findings]

    runner = CliRunner()
    out = runner.invoke(cli.app, ["check", str(EXAMPLE), "--format", "csv", "--engine", "rules"])
    assert out.exit_code == 1, out.stderr  # the example has an error finding
    assert list(csv.reader(io.StringIO(out.stdout))) == rows
    help_text = runner.invoke(cli.app, ["check", "--help"], terminal_width=200).output
    assert "sarif | text | csv." in help_text


def test_a_plugin_cannot_replace_a_builtin(plugins: Path) -> None:
    install_plugin(plugins, "verifier-evil", {"broken_format.py": "def render(items, ctx):\n    return 'x'\n"},
                   {"verifier.formats": {"text": "broken_format", "json": "broken_format"}})
    assert FORMATS.names() == BUILTIN_FORMATS
    assert FORMATS.load("text").__name__ == "verifier.render.text"


def test_a_plugin_that_cannot_be_imported_is_a_usage_error_naming_it(plugins: Path) -> None:
    install_plugin(plugins, "verifier-gone", {}, {"verifier.formats": {"gone": "no_such_module_here"}})
    assert "gone" in FORMATS.names()
    with pytest.raises(UsageError, match=r"the format 'gone' \(no_such_module_here\) could not be loaded"):
        FORMATS.load("gone")


# --------------------------------------------------------------------------- provider and engine plugins


def test_a_provider_plugin_chooses_the_mode_for_its_servers(plugins: Path) -> None:
    from verifier.engines.llm import resolve_mode, server_kind

    assert server_kind("http://localhost:1234/v1") == "openai-compatible"
    assert resolve_mode(None, "http://localhost:1234/v1").value == "tool_call"
    source = doc_block("python", 1)
    install_plugin(plugins, "verifier-lmstudio", {"lm_provider.py": source},
                   {"verifier.providers": {"lmstudio": "lm_provider:LMSTUDIO"}})
    assert PROVIDERS.names()[-1] == "lmstudio"
    assert server_kind("http://localhost:1234/v1") == "lmstudio"
    assert resolve_mode(None, "http://localhost:1234/v1").value == "json_schema_mode"
    # the built-ins still come first, and the override still wins
    assert server_kind(None) == "openai" and server_kind("http://localhost:11434/v1") == "ollama"
    assert resolve_mode("tools", "http://localhost:1234/v1").value == "tool_call"
    assert server_kind("http://10.0.0.5:8000/v1") == "openai-compatible"


NULL_ENGINE = '''
from verifier.engines.extract import Extraction
from verifier.model.schema import EngineInfo

CLOSED = []


class NullExtractor:
    """Finds no claims; remembers being closed."""

    def extract(self, article, seg, progress=None):
        return Extraction(drafts=[], engine=EngineInfo(extractor="rules", model="null-engine"))

    def close(self):
        CLOSED.append(True)


def make(settings):
    return NullExtractor()
'''


def test_an_engine_plugin_is_chosen_by_name_from_settings_env_config_and_the_command_line(
        plugins: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings.engine reads the registry: a plugin engine is chosen by its name wherever an engine
    is named, and `verifier check --engine null` runs it end to end."""
    install_plugin(plugins, "verifier-null", {"null_engine.py": NULL_ENGINE},
                   {"verifier.engines": {"null": "null_engine:make"}})
    assert ENGINES.names() == ("llm", "rules", "null")
    assert engine_choices() == ("auto", "llm", "rules", "null")
    settings = Settings(engine="null")
    assert settings.engine == settings.resolved_engine() == "null"
    assert type(pipeline.make_extractor(settings)).__name__ == "NullExtractor"
    assert Settings().with_overrides({"engine": "null"}).engine == "null"
    assert env_values({"VERIFIER_ENGINE": "null"}) == {"engine": "null"}
    config = plugins / "project"
    config.mkdir()
    (config / "verifier.toml").write_text('engine = "null"\n', encoding="utf-8")
    assert resolve_settings({}, start=config, environ={}).engine == "null"

    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    result = CliRunner().invoke(cli.app, ["check", str(EXAMPLE), "--engine", "null", "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    report = json.loads(result.stdout)
    reports = report if isinstance(report, list) else [report]
    assert [r["engine"]["model"] for r in reports] == ["null-engine"]
    assert reports[0]["claims"] == []
    assert sys.modules["null_engine"].CLOSED == [True]


def test_an_unknown_engine_is_refused_with_every_registered_engine_named(plugins: Path) -> None:
    install_plugin(plugins, "verifier-null", {"null_engine.py": NULL_ENGINE},
                   {"verifier.engines": {"null": "null_engine:make"}})
    with pytest.raises(UsageError, match=r"^engine must be one of auto, llm, rules, null, not 'bogus'$"):
        Settings(engine="bogus")
    with pytest.raises(UsageError, match=r"^VERIFIER_ENGINE must be one of auto, llm, rules, null, not 'bogus'$"):
        env_values({"VERIFIER_ENGINE": "bogus"})
    config = plugins / "project"
    config.mkdir()
    (config / "verifier.toml").write_text('engine = "bogus"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="one of auto, llm, rules, null"):
        resolve_settings({}, start=config, environ={})
    result = CliRunner().invoke(cli.app, ["check", str(EXAMPLE), "--engine", "bogus"])
    assert result.exit_code == 2
    assert "Invalid value for '--engine': must be one of auto, llm, rules, null, not 'bogus'" in result.output
