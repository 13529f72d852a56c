"""verifier: a claim and quote checker for news copy."""

__version__ = "0.1.0"

