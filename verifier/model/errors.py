"""The one error tree of verifier.

    VerifierError                 every error the package raises on purpose
     ├── UsageError               bad flags or arguments (exit 2)
     ├── ConfigError              bad verifier.toml / [tool.verifier] (file and line in the message)
     ├── InputError               an article that cannot be read: missing, empty, binary, undecodable, too big
     │    └── SourceError         a --source / front-matter source that cannot be read
     ├── CheckTimeoutError        an article took longer than --timeout-per-article
     └── LLMError                 the model could not be reached or did not answer usably
          ├── LLMAuthError        401/403: wrong key or no access (never shows the key)
          ├── LLMNotFoundError    404: wrong base URL or model name
          ├── LLMRateLimitError   429 after the retries ran out
          ├── LLMTimeoutError     no answer within the timeout
          ├── LLMBudgetError      --max-calls / --max-cost spent: the article was not checked
          └── LLMResponseError    malformed or schema-invalid answers after the re-asks

Every error carries what a user needs to act: the file, and when known the line; the CLI turns any
of them into one line on stderr and exit code 2.
"""

from __future__ import annotations


class VerifierError(Exception):
    """Base of every error verifier raises on purpose."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.hint = hint

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        tail = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{tail}"


class UsageError(VerifierError):
    """Bad command-line usage."""


class ConfigError(VerifierError):
    """A configuration file or value is wrong."""


class InputError(VerifierError):
    """An article cannot be read."""


class SourceError(InputError):
    """A source document cannot be read."""


class CheckTimeoutError(VerifierError):
    """An article took longer to check than its time budget (`--timeout-per-article`)."""


class LLMError(VerifierError):
    """The model could not be used."""


class LLMAuthError(LLMError):
    """401/403 from the server."""


class LLMNotFoundError(LLMError):
    """404 from the server: base URL or model name is wrong."""


class LLMRateLimitError(LLMError):
    """429 after all retries."""


class LLMTimeoutError(LLMError):
    """The server did not answer in time."""


class LLMBudgetError(LLMError):
    """The run's --max-calls or --max-cost budget is spent; `usage` holds what was spent on the
    article so far."""

    usage: object | None = None


class LLMResponseError(LLMError):
    """The answers could not be parsed or validated after the re-asks."""
