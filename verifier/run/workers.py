"""workers: the process pool of `--jobs N`, whose workers never hear Ctrl-C.

Ctrl-C on a terminal sends SIGINT to every process of the run. The parent alone answers it (it
drops the queued articles and ends the pool, `pipeline.iter_checks`); a worker sets SIGINT aside in
its initializer, but a spawned worker imports verifier before its initializer runs, and a Ctrl-C in
those first seconds printed one `KeyboardInterrupt` traceback per worker over the terminal. Here
SIGINT is blocked in the parent's thread while it starts a worker, so the worker is born with
SIGINT blocked (the mask survives fork and exec); the parent unblocks it at once, and a Ctrl-C that
came in the meantime is delivered to it then, not lost.

When the run stops early (Ctrl-C, an error, the caller going away) the pool is shut down without
waiting and its queue dropped; the workers are then ended too: their articles' reports would be
thrown away, and a worker still starting would otherwise print a traceback once the parent has
gone (the pool's semaphore no longer exists).
"""

from __future__ import annotations

import contextlib
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any


class QuietPool(ProcessPoolExecutor):
    """A `ProcessPoolExecutor` whose workers start with SIGINT blocked."""

    def _spawn_process(self) -> None:  # called by submit() for each worker it starts
        if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
            super()._spawn_process()  # type: ignore[misc]
            return
        old: Any = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            super()._spawn_process()  # type: ignore[misc]
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, old)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """As `ProcessPoolExecutor.shutdown`; without waiting and with the queue dropped (a run
        stopped early), the workers are ended as well."""
        workers = list((getattr(self, "_processes", None) or {}).values())
        super().shutdown(wait=wait, cancel_futures=cancel_futures)
        if not wait and cancel_futures:
            for process in workers:
                with contextlib.suppress(Exception):
                    process.terminate()
