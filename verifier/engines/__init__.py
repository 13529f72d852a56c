"""Claim extractors: the protocol and rules engine, the LLM engine with its chunking, cache and pricing.

The engines a run can choose are registered under the entry-point group `verifier.engines`
(`verifier.model.registry.ENGINES`); each entry is a factory `(settings) -> Extractor`. The two
below are the built-ins; each imports its engine only when called, so `import verifier.engines`
stays cheap and only the llm engine loads openai and instructor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from verifier.engines.extract import Extractor
    from verifier.model.config import Settings


def rules_extractor(settings: Settings) -> Extractor:
    """The rules engine: offline and deterministic; it needs no settings."""
    from verifier.engines.extract import RulesExtractor

    return RulesExtractor()


def llm_extractor(settings: Settings) -> Extractor:
    """The llm engine: one structured request per chunk to the configured server."""
    from verifier.engines.llm import LLMExtractor  # the only module that imports openai/instructor

    return LLMExtractor(settings)
