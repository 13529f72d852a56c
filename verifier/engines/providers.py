"""LLM providers: the kinds of OpenAI-compatible server the llm engine talks to, and how.

A provider says which servers it is (from the base URL) and which instructor mode suits them
(the names of `verifier.engines.llm.MODES`: tools, json_schema, json, md_json). Providers are
registered under the entry-point group `verifier.providers` (`verifier.model.registry.PROVIDERS`):
a new kind of server is one module holding a `Provider` and one entry-point line, e.g.

    [project.entry-points."verifier.providers"]
    lmstudio = "my_package.lmstudio:LMSTUDIO"

The first provider whose `matches` accepts the base URL wins, in registry order (built-ins first,
then plugins alphabetically); a `fallback` provider is asked last. This module imports neither
openai nor instructor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

from verifier.engines import pricing


@dataclass(frozen=True, slots=True)
class Provider:
    """One kind of LLM server."""

    name: str
    mode: str  # the instructor mode that suits it: tools | json_schema | json | md_json
    matches: Callable[[str | None], bool]  # base URL (None = OpenAI's own API) -> is it this kind
    fallback: bool = False  # asked after every other provider


def _is_ollama(base_url: str | None) -> bool:
    parsed = urlparse(base_url or "")
    return parsed.port == 11434 or "ollama" in (parsed.hostname or "")


OPENAI = Provider("openai", "tools", pricing.is_openai)
# Ollama >= 0.5 enforces a JSON schema by grammar (NOTES.md).
OLLAMA = Provider("ollama", "json_schema", _is_ollama)
# vLLM, llama.cpp server, LM Studio and hosted providers: OpenAI's tool calling.
OPENAI_COMPATIBLE = Provider("openai-compatible", "tools", lambda base_url: True, fallback=True)


def provider_for(base_url: str | None) -> Provider:
    """The registered provider of the server at `base_url` (None: OpenAI's own API)."""
    from verifier.model.registry import PROVIDERS

    providers = [PROVIDERS.load(name) for name in PROVIDERS.names()]
    for provider in sorted(providers, key=lambda p: p.fallback):  # stable: registry order kept
        if provider.matches(base_url):
            return provider
    return OPENAI_COMPATIBLE
