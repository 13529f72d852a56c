"""The progress bar: count, total, rate and time left on a terminal; nothing otherwise.

rich renders to a fake terminal here (a console forced to behave as one, writing to a string), so
what a user would see on stderr is what the test reads.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

from rich.console import Console

from tests.cli_runner import verifier
from verifier.cli.cli import ProgressBar
from verifier.model.config import Settings
from verifier.run import pipeline

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


def terminal() -> tuple[Console, io.StringIO]:
    screen = io.StringIO()
    return Console(file=screen, force_terminal=True, width=120, color_system=None), screen


def test_bar_shows_count_total_rate_and_time_left() -> None:
    console, screen = terminal()
    bar = ProgressBar(enabled=True, console=console)
    results = []
    hooks = pipeline.RunHooks(on_total=bar.total, on_stage=bar.stage)
    for result in pipeline.iter_checks([str(EXAMPLES)], Settings(engine="rules"), hooks):
        bar.step(result)
        results.append(result)
    bar.close()
    shown = screen.getvalue()
    assert len(results) == 3
    assert "3/3" in shown  # count of total
    assert re.search(r"\d+(\.\d)? articles/s", shown)  # the rate
    assert re.search(r"left\s+\d+:\d\d:\d\d", shown)  # the time left
    assert "claims" not in shown  # no stage line for the rules engine


def test_stage_line_for_the_llm_engine() -> None:
    console, screen = terminal()
    bar = ProgressBar(enabled=True, console=console, stages=True)
    bar.total(2)
    bar.stage("archive/a.md", "claims: chunk 2 of 5")
    bar._bar.refresh()  # what a refresh tick would draw
    shown = screen.getvalue()
    bar.close()
    assert "claims: chunk 2 of 5 · archive/a.md" in shown
    assert "0/2" in shown


def test_disabled_bar_writes_nothing() -> None:
    bar = ProgressBar(enabled=False)
    bar.total(3)
    bar.stage("a.md", "claims")
    bar.step(object())
    bar.close()
    assert bar.count == 1 and bar._bar is None


def test_hooks_hear_the_total_and_every_stage() -> None:
    totals: list[int] = []
    stages: list[tuple[str | None, str]] = []
    hooks = pipeline.RunHooks(on_total=totals.append, on_stage=lambda p, s: stages.append((p, s)))
    list(pipeline.iter_checks([str(EXAMPLES / "council-vote.txt")], Settings(engine="rules"), hooks))
    assert totals == [1]
    assert (str(EXAMPLES / "council-vote.txt"), "claims") in stages


def test_no_bar_when_stderr_is_not_a_terminal() -> None:
    out = subprocess.run([sys.executable, "-m", "verifier.cli", "check", str(EXAMPLES), "--engine",
                          "rules", "--format", "jsonl"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 1
    assert "articles/s" not in out.stderr and "\x1b[" not in out.stderr
    assert len(out.stdout.splitlines()) == 3


def on_a_terminal(*args: str, stdout_too: bool = False) -> tuple[int, str]:
    """Run verifier with stderr on a pseudo-terminal; its exit status and what the terminal got
    (read while it runs, so a full terminal buffer never blocks it)."""
    import os
    import pty
    import threading

    leader, follower = pty.openpty()
    seen: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the other end closed
                return
            if not data:
                return
            seen.append(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    try:
        proc = subprocess.run([sys.executable, "-m", "verifier.cli", *args], stderr=follower,
                              stdout=follower if stdout_too else subprocess.DEVNULL, timeout=120)
    finally:
        os.close(follower)
        reader.join(timeout=10)
        os.close(leader)
    return proc.returncode, b"".join(seen).decode("utf-8", "replace")


def test_quiet_silences_the_bar_on_a_terminal(tmp_path: Path) -> None:
    code, seen = on_a_terminal("check", str(EXAMPLES), "--engine", "rules", "--format", "jsonl",
                               "--quiet", "-o", str(tmp_path / "out.jsonl"))
    assert code == 1
    assert "articles/s" not in seen and "3/3" not in seen


def test_bar_on_a_real_terminal(tmp_path: Path) -> None:
    """Without --quiet, the same run on a pseudo-terminal draws the bar."""
    code, seen = on_a_terminal("check", str(EXAMPLES), "--engine", "rules", "--format", "jsonl",
                               "-o", str(tmp_path / "out.jsonl"))
    assert code == 1
    assert "3/3" in seen and "articles/s" in seen


def test_reports_on_the_same_terminal_go_above_the_bar_unbroken() -> None:
    """Text reports to a stdout that is the bar's terminal: printed above the bar, each line
    whole (not wrapped at the terminal's width), the bar last."""
    plain = verifier("check", str(EXAMPLES), "--engine", "rules").stdout  # no terminal: no bar
    longest = max(plain.splitlines(), key=len)
    assert len(longest) > 120  # wider than the pseudo-terminal (80 columns)
    code, seen = on_a_terminal("check", str(EXAMPLES), "--engine", "rules", stdout_too=True)
    assert code == 1
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", seen).replace("\r\n", "\n")
    assert longest.split(": ", 1)[1] in shown
    assert shown.rindex("3/3") > shown.rindex("usage: 0 LLM calls")
