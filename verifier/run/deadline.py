"""A time budget for checking one article (`--timeout-per-article`).

The budget is kept by an interval timer: when it runs out, `CheckTimeoutError` is raised wherever
the check is, even inside a long regular-expression match (the regex engine checks for signals).
Signals reach only the main thread of a process, so the budget holds where articles are checked
there: one at a time, in `--jobs` worker processes and in the review server's worker processes.
Elsewhere (the threads of the LLM engine's `--concurrency`) `deadline` does nothing and the LLM
`--timeout` bounds each model call instead.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from verifier.model.errors import CheckTimeoutError


def enforceable() -> bool:
    """Whether a budget can be kept here (a Unix main thread)."""
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextmanager
def deadline(seconds: float | None, path: str | None = None) -> Iterator[None]:
    """Raise `CheckTimeoutError` in the body if it runs longer than `seconds` (None: no budget)."""
    if seconds is None or not enforceable():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise CheckTimeoutError(f"the check took longer than {seconds:g} s and was stopped",
                                path=path or "<stdin>",
                                hint="raise --timeout-per-article, or split the article")

    previous = signal.signal(signal.SIGALRM, expired)
    # and again every second after: code that catches every exception (a client library's retry
    # loop) cannot swallow the stop for good
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
