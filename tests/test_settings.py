"""Typed settings: one pydantic model, its choices as enums defined once, unknown names refused
wherever settings come from (Python, flags, the environment, configuration files)."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verifier.cli.cli import app
from verifier.model import configfile
from verifier.model.config import ENV_KEYS, NOT_SETTINGS, Settings, env_values, resolve_settings
from verifier.model.errors import ConfigError, UsageError
from verifier.model.options import AUTO, AUTO_LLM, AUTO_RULES, FailLevel, LLMMode, RuleLevel


def test_choices_are_enums_that_equal_their_strings() -> None:
    settings = Settings(engine="rules", fail_on="warning", llm_mode="md_json", severity={"quote-altered": "off"})
    assert settings.fail_on is FailLevel.WARNING and settings.llm_mode is LLMMode.MD_JSON
    assert settings.severity["quote-altered"] is RuleLevel.OFF


def test_the_engine_is_a_registered_name_not_a_closed_enum() -> None:
    """Plugins register engines (tests/test_registry.py), so the engine is the registry's name, a
    plain string; `auto` picks llm with a key or a base URL, else rules."""
    settings = Settings(engine="rules")
    assert type(settings.engine) is str and settings.engine == "rules"
    assert Settings(api_key="sk-x").resolved_engine() == AUTO_LLM == "llm"
    assert Settings(base_url="http://127.0.0.1:1/v1").resolved_engine() == "llm"
    assert Settings().resolved_engine() == AUTO_RULES == "rules"
    assert Settings().engine == AUTO == "auto"


def test_an_unknown_or_wrong_setting_in_python_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match=r"^unknown setting 'enigne' \(did you mean 'engine'\? known settings: engine,"):
        Settings(enigne="rules")  # type: ignore[call-arg]
    with pytest.raises(UsageError, match=r"^engine must be one of auto, llm, rules, not 'bogus'$"):
        Settings(engine="bogus")  # type: ignore[arg-type]
    with pytest.raises(UsageError, match=r"^severity.quote-altered must be one of error, warning, info, off, not 'loud'$"):
        Settings(severity={"quote-altered": "loud"})  # type: ignore[dict-item]


def test_with_overrides_refuses_an_unknown_key_and_names_the_known_ones() -> None:
    with pytest.raises(UsageError) as caught:
        Settings().with_overrides({"fail_level": "info"})
    message = str(caught.value)
    assert message.startswith("unknown setting 'fail_level' (did you mean 'fail_on'? known settings: engine, model,")
    assert "timeout_per_article" in message


def test_with_overrides_validates_values_and_leaves_none_alone() -> None:
    with pytest.raises(UsageError, match=r"^engine must be one of auto, llm, rules, not 'gpt'$"):
        Settings().with_overrides({"engine": "gpt"})
    with pytest.raises(UsageError, match=r"^max_bytes: .*, not 'lots'$"):
        Settings().with_overrides({"max_bytes": "lots"})
    base = Settings(model="m", jobs=3)
    over = base.with_overrides({"model": None, "jobs": 2, "fail_on": "info"})
    assert (over.model, over.jobs, over.fail_on) == ("m", 2, FailLevel.INFO)
    assert (base.jobs, base.fail_on) == (3, FailLevel.ERROR)  # the original is left as it was


def test_resolve_settings_refuses_an_unknown_flag(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="unknown setting 'enginee'"):
        resolve_settings({"enginee": "rules"}, start=tmp_path, environ={})


def test_an_unknown_verifier_variable_is_refused_with_the_known_ones() -> None:
    with pytest.raises(UsageError) as caught:
        env_values({"VERIFIER_ENIGNE": "rules"})
    assert str(caught.value).startswith(
        "unknown environment variable VERIFIER_ENIGNE (did you mean 'VERIFIER_ENGINE'? known variables: "
        "VERIFIER_ENGINE, VERIFIER_MODEL,")
    # other programs' variables, and the evaluation scripts' data folder, are not settings
    assert env_values({"OPENAI_ORG_ID": "x", "VERIFIER_EVAL_DATA": "/data", "HOME": "/root"}) == {}


def test_environment_choices_are_checked_and_typed() -> None:
    with pytest.raises(UsageError, match=r"^VERIFIER_LLM_MODE must be one of tools, json_schema, json, md_json, not 'xml'$"):
        env_values({"VERIFIER_LLM_MODE": "xml"})
    values = env_values({"VERIFIER_LLM_MODE": "md_json", "VERIFIER_FAIL_ON": "never", "VERIFIER_MAX_BYTES": "10"})
    assert values == {"llm_mode": LLMMode.MD_JSON, "fail_on": FailLevel.NEVER, "max_bytes": 10}


def test_every_environment_variable_and_file_key_is_a_setting() -> None:
    fields = set(Settings.model_fields)
    assert set(ENV_KEYS.values()) <= fields
    assert not NOT_SETTINGS & set(ENV_KEYS)
    checks = configfile._Validator(Path("verifier.toml"), "", ()).checks
    assert set(checks) <= fields


def test_an_unknown_file_key_names_the_known_ones(tmp_path: Path) -> None:
    path = tmp_path / "verifier.toml"
    path.write_text('engine = "rules"\nfail-level = "info"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        configfile.load_file(path)
    assert caught.value.line == 2
    assert caught.value.hint is not None
    assert caught.value.hint.startswith("did you mean 'fail_on'? known keys: engine, model, base_url,")
    path.write_text('llm_mode = "xml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="llm_mode must be one of tools, json_schema, json, md_json, not 'xml'"):
        configfile.load_file(path)


def test_the_choices_are_defined_once() -> None:
    from verifier.engines import llm

    assert set(llm.MODES) == set(LLMMode)


def test_flags_are_typed_by_the_enums(tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The council voted 7-2 on Tuesday.\n", encoding="utf-8")
    runner = CliRunner()
    bad = runner.invoke(app, ["check", str(article), "--fail-on", "sometimes"])
    assert bad.exit_code == 2
    assert "'sometimes' is not one of 'error', 'warning', 'info', 'never'" in bad.output
    good = runner.invoke(app, ["check", str(article), "--fail-on", "never", "--format", "json", "--engine", "rules"])
    assert good.exit_code == 0 and '"claims"' in good.stdout


def test_settings_cross_to_worker_processes() -> None:
    settings = Settings(engine="rules", severity={"quote-altered": "warning"}, jobs=2)
    assert pickle.loads(pickle.dumps(settings)) == settings


def test_one_suffix_map_for_articles_sources_and_uploads(tmp_path: Path) -> None:
    from verifier.ingest import load, sources
    from verifier.model.options import SUFFIXES
    from verifier.web import serve

    looks_like_markdown = "# Heading\n\nThe council voted 7-2 on Tuesday.\n"
    for suffix, markup in SUFFIXES.items():
        name = f"draft{suffix}"
        assert load._format_of(name, looks_like_markdown) == markup
        assert sources.format_of(name) == markup
        assert serve._format("", name, looks_like_markdown) == markup
    (tmp_path / "a.mkd").write_text(looks_like_markdown, encoding="utf-8")
    (tmp_path / "b.pdf").write_text("not an article", encoding="utf-8")
    assert [Path(t.path).name for t in load.expand_paths([str(tmp_path)], None)] == ["a.mkd"]
