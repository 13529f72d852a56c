"""Claim extractors: the protocol and rules engine, the LLM engine with its chunking, cache and pricing."""
