"""Scoring against gold sets and external corpus adapters."""
