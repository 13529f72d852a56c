"""verifier.toml / [tool.verifier]: discovery, validation with file and line, precedence."""

from __future__ import annotations

from pathlib import Path

import pytest

from verifier.model.config import resolve_settings
from verifier.model.configfile import find, find_and_load, key_lines, load_file
from verifier.model.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


FULL = """\
# newsroom settings
engine = "rules"
model = "gpt-4o-mini"
base-url = "http://localhost:11434/v1"
fail_on = "warning"
include = ["drafts/*.md"]
exclude = ["drafts/archive/*"]
disable = ["claim-unattributed"]
baseline = ".verifier-baseline.json"
concurrency = 2
jobs = 3
timeout = 30

[severity]
attribution-vague = "off"
benchmark-uncited = "error"

[source_map]
"drafts/kestrel*.md" = ["sources/kestrel-call.txt", "sources/release.txt"]
"drafts/other.md" = "sources/other.txt"
"""


def test_full_verifier_toml(tmp_path: Path) -> None:
    cfg = write(tmp_path / "verifier.toml", FULL)
    values = load_file(cfg)
    assert values["engine"] == "rules" and values["base_url"] == "http://localhost:11434/v1"
    assert values["fail_on"] == "warning" and values["concurrency"] == 2 and values["jobs"] == 3
    assert values["timeout"] == 30.0
    assert values["severity"] == {"attribution-vague": "off", "benchmark-uncited": "error"}
    assert values["disable"] == ["claim-unattributed"]
    assert values["include"] == ["drafts/*.md"]
    # paths are relative to the file's directory
    assert values["baseline"] == str(tmp_path.resolve() / ".verifier-baseline.json")
    assert values["source_map"] == {
        "drafts/kestrel*.md": [str(tmp_path.resolve() / "sources/kestrel-call.txt"),
                               str(tmp_path.resolve() / "sources/release.txt")],
        "drafts/other.md": [str(tmp_path.resolve() / "sources/other.txt")],
    }


def test_found_upward_from_the_article(tmp_path: Path) -> None:
    cfg = write(tmp_path / "verifier.toml", 'fail_on = "info"\n')
    article = write(tmp_path / "drafts" / "2026" / "a.md", "Text.\n")
    assert find(article) == cfg.resolve()
    assert find(article.parent) == cfg.resolve()
    values, path = find_and_load(article.parent)
    assert values == {"fail_on": "info"} and path == str(cfg.resolve())


def test_nearest_wins_and_verifier_toml_beats_pyproject(tmp_path: Path) -> None:
    write(tmp_path / "verifier.toml", 'fail_on = "info"\n')
    inner = tmp_path / "desk"
    write(inner / "pyproject.toml", '[project]\nname = "x"\n\n[tool.verifier]\nfail_on = "never"\n')
    assert find(inner / "a.md") == (inner / "pyproject.toml").resolve()
    write(inner / "verifier.toml", 'fail_on = "warning"\n')
    assert find(inner / "a.md") == (inner / "verifier.toml").resolve()


def test_pyproject_without_table_is_passed_over(tmp_path: Path) -> None:
    cfg = write(tmp_path / "pyproject.toml", '[tool.verifier]\nengine = "rules"\n')
    write(tmp_path / "sub" / "pyproject.toml", '[project]\nname = "x"\n[tool.ruff]\nline-length = 9\n')
    assert find(tmp_path / "sub" / "a.md") == cfg.resolve()
    assert load_file(cfg) == {"engine": "rules"}


def test_pyproject_dotted_subtable(tmp_path: Path) -> None:
    cfg = write(tmp_path / "pyproject.toml",
                '[tool.verifier.severity]\nquote-altered = "warning"\n')
    assert find(tmp_path) == cfg.resolve()
    assert load_file(cfg) == {"severity": {"quote-altered": "warning"}}


def test_nothing_found(tmp_path: Path) -> None:
    # /tmp may hold a configuration above the test directory; only check when none is there
    if find(tmp_path.parent) is None:
        assert find_and_load(tmp_path / "a.md") == ({}, None)


def err(path: Path) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        load_file(path)
    return info.value


def test_unknown_key_names_file_and_line(tmp_path: Path) -> None:
    cfg = write(tmp_path / "verifier.toml", 'engine = "rules"\n\nfail-level = "info"\n')
    e = err(cfg)
    assert e.path == str(cfg) and e.line == 3
    assert "unknown key 'fail-level'" in str(e) and "did you mean 'fail_on'" in str(e)
    assert str(e).startswith(f"{cfg}:3: ")


def test_unknown_key_in_pyproject_points_into_the_table(tmp_path: Path) -> None:
    cfg = write(tmp_path / "pyproject.toml",
                '[project]\nname = "x"\nmodel = "not ours"\n\n[tool.verifier]\nmodel = "m"\ncolour = 1\n')
    e = err(cfg)
    assert e.line == 7 and "in [tool.verifier]" in e.message


@pytest.mark.parametrize(("text", "line", "words"), [
    ('engine = "gpt"\n', 1, "engine must be one of auto, llm, rules"),
    ('\nfail_on = "errors"\n', 2, "fail_on must be one of"),
    ('concurrency = 0\n', 1, "a whole number >= 1"),
    ('concurrency = true\n', 1, "a whole number"),
    ('\n\njobs = 0\n', 3, "a whole number >= 1"),
    ('timeout = "30"\n', 1, "a number above 0"),
    ('base_url = "localhost:8000"\n', 1, "http:// or https://"),
    ('include = [1, 2]\n', 1, "a list of strings"),
    ('disable = ["quote-altred"]\n', 1, "did you mean 'quote-altered'"),
    ('model = "m"\n[severity]\nquote-altered = "fatal"\n', 3, "severity.quote-altered must be one of"),
    ('[severity]\nno-such-rule = "off"\n', 2, "unknown rule 'no-such-rule'"),
    ('[source_map]\n"a.md" = 3\n', 2, "a list of strings"),
    ('cache = "yes"\n', 1, "true or false"),
])
def test_bad_values(tmp_path: Path, text: str, line: int, words: str) -> None:
    e = err(write(tmp_path / "verifier.toml", text))
    assert e.line == line and words in str(e)


def test_api_key_is_refused(tmp_path: Path) -> None:
    e = err(write(tmp_path / "verifier.toml", 'model = "m"\napi_key = "sk-secret"\n'))
    assert e.line == 2 and "environment" in str(e) and "sk-secret" not in str(e)


def test_malformed_toml_has_a_line(tmp_path: Path) -> None:
    e = err(write(tmp_path / "verifier.toml", 'engine = "rules"\nmodel = \n'))
    assert e.line == 2 and "invalid TOML" in str(e)


def test_explicit_file_errors(tmp_path: Path) -> None:
    assert "not found" in str(err(tmp_path / "missing.toml"))
    e = err(write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n'))
    assert "no [tool.verifier] table" in str(e)


def test_key_lines() -> None:
    lines = key_lines('a = 1\n[tool.verifier]\nb.c = 2\n[tool . "verifier".severity]\n"q-x" = 3\n')
    assert lines[("a",)] == 1 and lines[("tool", "verifier", "b", "c")] == 3
    assert lines[("tool", "verifier", "severity", "q-x")] == 5


# --------------------------------------------------------------------------- precedence


def test_precedence_flags_env_file_defaults(tmp_path: Path) -> None:
    write(tmp_path / "verifier.toml", 'fail_on = "info"\nmodel = "file-model"\nengine = "rules"\n')
    start = tmp_path / "a.md"
    s = resolve_settings({}, start=start, environ={})
    assert (s.fail_on, s.model, s.engine, s.concurrency) == ("info", "file-model", "rules", None)
    assert s.config_path == str((tmp_path / "verifier.toml").resolve())
    env = {"VERIFIER_MODEL": "env-model", "OPENAI_BASE_URL": "http://h/v1", "VERIFIER_FAIL_ON": "warning"}
    s = resolve_settings({}, start=start, environ=env)
    assert (s.fail_on, s.model, s.base_url, s.engine) == ("warning", "env-model", "http://h/v1", "rules")
    s = resolve_settings({"fail_on": "never", "model": None}, start=start, environ=env)
    assert (s.fail_on, s.model) == ("never", "env-model")


def test_explicit_config_flag_replaces_search(tmp_path: Path) -> None:
    write(tmp_path / "verifier.toml", 'fail_on = "info"\n')
    other = write(tmp_path / "ci" / "strict.toml", 'fail_on = "warning"\n')
    s = resolve_settings({"config_path": str(other)}, start=tmp_path / "a.md", environ={})
    assert s.fail_on == "warning" and s.config_path == str(other)
    with pytest.raises(ConfigError):
        resolve_settings({"config_path": str(tmp_path / "nope.toml")}, start=tmp_path, environ={})


def test_sources_table_is_a_source_map(tmp_path: Path) -> None:
    cfg = write(tmp_path / "verifier.toml", '[sources]\n"drafts/*.md" = "sources/call.txt"\n')
    assert load_file(cfg) == {"source_map": {"drafts/*.md": [str(tmp_path.resolve() / "sources/call.txt")]}}
    cfg.write_text('sources = ["a.txt"]\n', encoding="utf-8")
    assert load_file(cfg) == {"sources": [str(tmp_path.resolve() / "a.txt")]}
    cfg.write_text('fail_on = "info"\nfail-on = "error"\n', encoding="utf-8")
    e = err(cfg)
    assert e.line == 2 and "repeats" in e.message
