"""`check --resume`: a killed archive run picks up where it stopped and ends with the same reports.

The kill test kills a real `verifier check` process (SIGKILL, no chance to clean up) halfway
through an archive, resumes it, and compares with a run that was never stopped: the same reports,
order aside, and `usage.seconds` aside (a timing, different on every run).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from verifier.cli import cli
from verifier.run.resume import sidecar_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
NAMES = ["chipmaker-launch.md", "council-vote.txt", "robotics-feature.html"]


def archive(root: Path, copies: int) -> Path:
    """`copies` articles of each example, each a little different (its own digest)."""
    folder = root / "archive"
    folder.mkdir()
    shutil.copytree(EXAMPLES / "chipmaker-launch.sources", folder / "chipmaker-launch.sources")
    for i in range(copies):
        for name in NAMES:
            text = (EXAMPLES / name).read_text(encoding="utf-8")
            (folder / f"{i:04d}-{name}").write_text(text + f"\n\nArchive copy {i}.\n", encoding="utf-8")
    return folder


def normalised(path: Path) -> list[str]:
    """The lines of a jsonl file, sorted, with the run's timing zeroed."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        report = json.loads(line)
        report["usage"]["seconds"] = 0.0
        out.append(json.dumps(report, sort_keys=True, ensure_ascii=False))
    return sorted(out)


def command(folder: Path, output: Path, *extra: str) -> list[str]:
    return ["check", str(folder), "--engine", "rules", "--format", "jsonl", "--output", str(output),
            "--resume", "--quiet", *extra]


def invoke(*args: str) -> object:
    return CliRunner().invoke(cli.app, list(args))


def test_killed_run_resumed_equals_an_uninterrupted_one(tmp_path: Path) -> None:
    folder = archive(tmp_path, copies=60)  # 180 articles
    whole = tmp_path / "whole.jsonl"
    assert invoke(*command(folder, whole)).exit_code == 1

    killed = tmp_path / "killed.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "VERIFIER_"))}
    proc = subprocess.Popen([sys.executable, "-m", "verifier.cli", *command(folder, killed)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if killed.exists() and killed.read_bytes().count(b"\n") >= 20:
                break
            time.sleep(0.005)
        assert proc.poll() is None, "the run finished before it could be killed"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    written = killed.read_bytes().count(b"\n")
    assert 20 <= written < 180

    out = invoke(*command(folder, killed))
    assert out.exit_code == 1, out.output
    assert normalised(killed) == normalised(whole)
    assert len(normalised(killed)) == 180


def test_a_cut_off_last_line_is_dropped_and_redone(tmp_path: Path) -> None:
    folder = archive(tmp_path, copies=2)
    output = tmp_path / "out.jsonl"
    assert invoke(*command(folder, output)).exit_code == 1
    whole = normalised(output)
    data = output.read_bytes()
    last = data.rstrip(b"\n").rfind(b"\n")
    output.write_bytes(data[:last + 1 + 200])  # the kill struck while the last report was written
    out = CliRunner().invoke(cli.app, command(folder, output)[:-1])  # not --quiet: it says so
    assert out.exit_code == 1
    assert "5 articles already reported; 1 line dropped" in out.output
    assert normalised(output) == whole
    assert output.read_bytes().endswith(b"\n")


def test_resume_checks_only_what_is_missing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = archive(tmp_path, copies=2)
    output = tmp_path / "out.jsonl"
    assert invoke(*command(folder, output)).exit_code == 1
    lines = output.read_bytes().splitlines(keepends=True)
    output.write_bytes(b"".join(lines[:4]))
    checked: list[str] = []
    from verifier.run import pipeline

    real = pipeline._check_one

    def counting(target, *args, **kwargs):  # type: ignore[no-untyped-def]
        checked.append(target.path)
        return real(target, *args, **kwargs)

    monkeypatch.setattr(pipeline, "_check_one", counting)
    assert invoke(*command(folder, output)).exit_code == 1
    assert len(checked) == 2
    assert output.read_bytes().count(b"\n") == 6


def test_a_changed_article_and_a_failed_one_are_checked_again(tmp_path: Path) -> None:
    folder = archive(tmp_path, copies=1)
    output = tmp_path / "out.jsonl"
    assert invoke(*command(folder, output)).exit_code == 1
    reports = [json.loads(x) for x in output.read_text(encoding="utf-8").splitlines()]
    # the first report becomes a failure (as after an LLM error), the second article is edited
    reports[0]["error"] = {"type": "LLMError", "message": "the server went away"}
    output.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reports), encoding="utf-8")
    edited = Path(reports[1]["article"]["path"])
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    assert invoke(*command(folder, output)).exit_code == 1
    after = [json.loads(x) for x in output.read_text(encoding="utf-8").splitlines()]
    assert len(after) == 3
    assert all(r["error"] is None for r in after)
    by_path = {r["article"]["path"]: r for r in after}
    assert by_path[str(edited)]["article"]["sha256"] != reports[1]["article"]["sha256"]


def test_other_settings_refuse_to_resume(tmp_path: Path) -> None:
    folder = archive(tmp_path, copies=1)
    output = tmp_path / "out.jsonl"
    assert invoke(*command(folder, output)).exit_code == 1
    before = output.read_bytes()
    config = tmp_path / "verifier.toml"
    config.write_text('[severity]\nquote-altered = "warning"\n', encoding="utf-8")
    out = invoke(*command(folder, output, "--config", str(config)))
    assert out.exit_code == 2
    assert "written with other settings (changed: severity)" in out.output
    assert output.read_bytes() == before


def test_a_file_not_written_with_resume_is_left_alone(tmp_path: Path) -> None:
    folder = archive(tmp_path, copies=1)
    output = tmp_path / "out.jsonl"
    assert invoke("check", str(folder), "--engine", "rules", "--format", "jsonl",
                  "--output", str(output)).exit_code == 1
    before = output.read_bytes()
    out = invoke(*command(folder, output))
    assert out.exit_code == 2 and "was not written by `check --resume`" in out.output
    assert output.read_bytes() == before and not sidecar_path(output).exists()


def test_resume_needs_jsonl_and_an_output_file(tmp_path: Path) -> None:
    out = invoke("check", str(EXAMPLES), "--engine", "rules", "--resume")
    assert out.exit_code == 2 and "--resume needs --format jsonl and --output FILE" in out.output


def test_the_sidecar_keeps_no_password(tmp_path: Path) -> None:
    from verifier.model.config import Settings
    from verifier.run.resume import settings_record

    record = settings_record(Settings(engine="llm", base_url="http://user:hunter2@gpu-box:8000/v1",
                                      api_key="sk-secret-123"))
    blob = json.dumps(record)
    assert "hunter2" not in blob and "sk-secret" not in blob
    assert record["base_url"] == "http://gpu-box:8000/v1"


def test_resuming_holds_one_report_at_a_time(tmp_path: Path) -> None:
    """prepare() reads what the output already holds line by line, keeping only which articles are
    done and what the exit status needs: its peak memory is far below the size of the file (before,
    it held the file's bytes, its lines and every report parsed from them, 8x the file)."""
    import tracemalloc

    from verifier.model.config import Settings
    from verifier.run import resume
    from verifier.run.pipeline import check_paths

    folder = archive(tmp_path, 1)
    first = folder / f"0000-{NAMES[0]}"
    report = check_paths([str(first)], Settings(engine="rules"))[0].report
    settings = Settings(engine="rules")
    output = tmp_path / "out.jsonl"
    sidecar_path(output).write_text(json.dumps({"settings": resume.settings_record(settings)}),
                                    encoding="utf-8")
    with output.open("w", encoding="utf-8") as out:
        for i in range(400):  # 400 articles already reported, each its own file
            copy = folder / f"copy-{i:04d}.md"
            copy.write_bytes(first.read_bytes())
            report.article.path = str(copy)
            out.write(report.to_json().replace("\n", "") + "\n")
    size = output.stat().st_size
    assert size > 4_000_000
    tracemalloc.start()
    resumed = resume.prepare(output, settings)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < size / 4, f"resuming a {size:,}-byte output peaked at {peak:,} bytes"
    assert len(resumed.done) == 400 and resumed.dropped == 0
    assert resumed.severities == {str(f.severity) for f in report.findings}


def ctrl_c_when(args: tuple[str, ...] | list[str], ready: Callable[[subprocess.Popen[bytes]], bool],
                wait: float, poll: float) -> tuple[int, str]:
    """Run `verifier *args` in a process group of its own, as a terminal runs it, and send the group
    SIGINT (Ctrl-C) once `ready(proc)` holds: (exit status, stderr). The run must still be going
    when it is interrupted."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "VERIFIER_"))}

    def ctrl_c_ready() -> None:  # a background job may inherit SIGINT ignored; a terminal's is not
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.setpgrp()

    proc = subprocess.Popen([sys.executable, "-m", "verifier.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env, preexec_fn=ctrl_c_ready)
    try:
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and proc.poll() is None and not ready(proc):
            time.sleep(poll)
        assert proc.poll() is None, "the run ended before it could be interrupted"
        os.killpg(proc.pid, signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    return proc.returncode, err.decode()


def test_ctrl_c_says_what_was_kept_and_resume_goes_on(tmp_path: Path) -> None:
    """SIGINT to the whole process group (Ctrl-C on a terminal) during a `--jobs 2` run: exit 130 with
    a line that says the output holds what was reported and how to go on (before: exit 130 and not
    a word), and running the same command again completes the archive, no article twice."""
    folder = archive(tmp_path, copies=120)  # 360 articles: the run cannot end before the signal
    output = tmp_path / "out.jsonl"
    args = command(folder, output, "--jobs", "2")
    code, err = ctrl_c_when(args, lambda _: output.exists() and output.read_bytes().count(b"\n") >= 10,
                            wait=120, poll=0.005)
    assert code == 130, err
    assert f"interrupted; {output} holds every article reported so far" in err
    assert "run the same command again" in err
    assert 10 <= output.read_bytes().count(b"\n") < 360

    assert invoke(*args).exit_code == 1
    paths = [json.loads(line)["article"]["path"] for line in output.read_text(encoding="utf-8").splitlines()]
    assert len(paths) == len(set(paths)) == 360


def _worker_starting(pid: int) -> bool:
    """Whether a spawned worker of `pid` is running Python with SIGINT caught but not yet set aside
    (its Ctrl-C handler installed, its initializer not run: it is importing verifier)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text(encoding="ascii").split():
            try:
                if b"spawn_main" not in Path(f"/proc/{child}/cmdline").read_bytes():
                    continue  # the resource tracker, or not exec'd yet
                status = dict(line.split(":\t", 1) for line in
                              Path(f"/proc/{child}/status").read_text(encoding="ascii").splitlines()
                              if ":\t" in line)
            except OSError:
                continue
            sigint = 1 << (signal.SIGINT - 1)
            if int(status["SigCgt"], 16) & sigint and not int(status["SigIgn"], 16) & sigint:
                return True
    return False


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc")
def test_ctrl_c_while_the_workers_start_prints_no_traceback(tmp_path: Path) -> None:
    """Ctrl-C in the first seconds of a `--jobs 2` run, while the spawned workers still import
    verifier (before their initializer sets SIGINT aside): the run stops with its one line and
    exit 130. Before, each worker printed a `KeyboardInterrupt` traceback over the terminal."""
    folder = archive(tmp_path, copies=20)
    output = tmp_path / "out.jsonl"
    code, text = ctrl_c_when(command(folder, output, "--jobs", "2"), lambda proc: _worker_starting(proc.pid),
                             wait=60, poll=0.001)
    assert code == 130, text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text, text
    assert "interrupted;" in text
