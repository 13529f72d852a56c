"""The per-article time budget: raised inside long work, repeated if swallowed, off elsewhere."""

from __future__ import annotations

import re
import threading
import time

import pytest

from verifier.model.errors import CheckTimeoutError
from verifier.run.deadline import deadline, enforceable

pytestmark = pytest.mark.skipif(not enforceable(), reason="no interval timer here")


def test_a_long_regex_match_is_stopped() -> None:
    with pytest.raises(CheckTimeoutError, match="took longer than 0.2 s"), deadline(0.2, "a.txt"):
        re.match(r"(a+)+b", "a" * 40)  # exponential: would run for ages


def test_a_swallowed_stop_comes_again() -> None:
    swallowed = 0
    with pytest.raises(CheckTimeoutError), deadline(0.1):
        while True:
            try:
                time.sleep(5)
            except CheckTimeoutError:
                swallowed += 1
                if swallowed > 1:
                    raise
    assert swallowed == 2


def test_work_within_the_budget_is_untouched_and_the_timer_is_cleared() -> None:
    with deadline(5):
        total = sum(range(1000))
    time.sleep(0.05)
    assert total == 499500


def test_off_in_other_threads() -> None:
    seen: list[bool] = []
    thread = threading.Thread(target=lambda: seen.append(enforceable()))
    thread.start()
    thread.join()
    assert seen == [False]
