"""`verifier` commands for the tests.

`verifier(...)` runs a command in this process through typer's CliRunner: the same app, flags,
exit status, stdout and stderr as the console script, at a small part of the cost of a new
Python process. `verifier_process(...)` starts `python -m verifier.cli` in a process of its own,
for the tests where the process is the point: the console-script entry, a real pipe or terminal,
a full disk on standard output, exit on a signal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from verifier.cli.cli import app

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Ran:
    """What a command left: its exit status and what it wrote to stdout and to stderr."""

    returncode: int
    stdout: str
    stderr: str


def verifier(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Ran:
    """`verifier ARGS` in this process. An exception the command did not turn into an exit status
    (a bug) is raised here, with its traceback, instead of becoming exit status 1."""
    result = CliRunner().invoke(app, list(args), input=stdin, env=env, catch_exceptions=False)
    return Ran(result.exit_code, result.stdout, result.stderr)


def verifier_process(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
                     stdout: object = subprocess.PIPE, cwd: Path | None = None,
                     timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python -m verifier.cli ARGS` in a process of its own, with none of the OPENAI_*/VERIFIER_*
    variables of the person running the tests (plus `env`)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "VERIFIER_"))}
    return subprocess.run([sys.executable, "-m", "verifier.cli", *args], input=stdin, stdout=stdout,
                          stderr=subprocess.PIPE, text=True, encoding="utf-8", cwd=cwd or ROOT,
                          env={**clean, **(env or {})}, timeout=timeout)
