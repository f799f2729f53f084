"""run_docker with a fake `docker` first on PATH: output, exit codes, argv passed
literally (never a shell), the engine's environment, and Ctrl-C stopping only the command."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import signal
import threading
import time
from pathlib import Path

import pytest
from test_engine_fakes import install_fake_docker, make_env

from tutor.engine.endpoint import Endpoint
from tutor.engine.runner import TAIL_CHARS, RunResult, clean_output, run_docker

ENDPOINT = Endpoint(host="unix:///tmp/fake-engine.sock", source="DOCKER_HOST")


@pytest.fixture
def fake_path(tmp_path: Path) -> str:
    install_fake_docker(tmp_path / "bin")
    return f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', os.defpath)}"


@pytest.fixture
def environ(fake_path: str, tmp_path: Path) -> dict[str, str]:
    return {"PATH": fake_path, "HOME": str(tmp_path), "DOCKER_CONTEXT": "should-be-dropped",
            "FAKE_DOCKER_MARKER": str(tmp_path / "started")}


def lines_with(prefix: str, text: str) -> list[str]:
    return [line[len(prefix):] for line in text.splitlines() if line.startswith(prefix)]


def test_output_is_shown_and_captured_with_return_code(environ, tmp_path: Path) -> None:
    env = make_env({**environ, "FAKE_DOCKER_EXIT": "3"})
    result = run_docker(["docker", "echo-argv", "ps", "-a"], ENDPOINT, env, tmp_path)
    assert isinstance(result, RunResult)
    assert result.returncode == 3 and not result.interrupted and not result.cli_missing
    shown = env.stdout.getvalue()
    assert shown == result.output  # what the learner saw is what was captured
    assert lines_with("ARGV=", shown) == [json.dumps(["echo-argv", "ps", "-a"])]
    assert "to stderr" in shown  # stderr merged into the same stream


def test_the_cli_talks_to_the_resolved_engine(environ, tmp_path: Path) -> None:
    env = make_env(environ)
    result = run_docker(["docker", "echo-argv"], ENDPOINT, env, tmp_path)
    assert lines_with("DOCKER_HOST=", result.output) == ["unix:///tmp/fake-engine.sock"]
    assert lines_with("DOCKER_CONTEXT=", result.output) == ["<unset>"]
    assert lines_with("TTY=", result.output) == ["False"]


def test_shell_metacharacters_are_passed_literally(environ, tmp_path: Path) -> None:
    words = ["a;echo pwned", "$(touch made-by-subshell)", "`touch made-by-backticks`",
             "x > redirected", "*", "&&", "'quoted'", "new\nline"]
    env = make_env(environ)
    result = run_docker(["docker", "echo-argv", *words], ENDPOINT, env, tmp_path)
    assert result.returncode == 0
    assert lines_with("ARGV=", result.output) == [json.dumps(["echo-argv", *words])]
    assert "pwned" not in result.output.replace("a;echo pwned", "")
    assert sorted(os.listdir(tmp_path)) == ["bin"]  # nothing was created by a shell


def test_runs_in_the_given_directory(environ, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    script = tmp_path / "bin" / "docker"
    script.write_text(script.read_text().replace(
        'if what == "echo-argv":', 'if what == "cwd":\n    print(os.getcwd()); sys.exit(0)\n'
        'if what == "echo-argv":'))
    result = run_docker(["docker", "cwd"], ENDPOINT, make_env(environ), work)
    assert result.output.strip() == str(work)


def test_missing_cli_is_a_clear_error(tmp_path: Path) -> None:
    env = make_env({"PATH": str(tmp_path / "empty")})
    result = run_docker(["docker", "ps"], ENDPOINT, env, tmp_path)
    assert result.cli_missing and result.returncode == 127 and not result.interrupted
    shown = env.stdout.getvalue()
    assert "The docker command is not installed (not found on PATH)" in shown
    assert "sudo apt-get install docker.io" in shown
    assert "Traceback" not in shown


@pytest.mark.parametrize("argv", [[], ["ls"], ["sh", "-c", "docker ps"], ["docker", 3]])
def test_only_docker_commands_are_run(argv, environ, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        run_docker(argv, ENDPOINT, make_env(environ), tmp_path)


def test_incremental_decoding_and_bad_bytes(environ, tmp_path: Path) -> None:
    result = run_docker(["docker", "bytes"], ENDPOINT, make_env(environ), tmp_path)
    assert "price: € ok" in result.output
    assert "\ufffd\ufffd end" in result.output


def test_only_the_tail_is_kept(environ, tmp_path: Path) -> None:
    lines = 2000  # 108 characters each: about 216 KB, more than the tail
    env = make_env(environ)
    result = run_docker(["docker", "lots", str(lines)], ENDPOINT, env, tmp_path)
    assert result.returncode == 3
    assert len(env.stdout.getvalue()) == lines * 108 + len("LAST LINE\n")  # all shown
    assert len(result.output) <= TAIL_CHARS
    assert result.output.endswith("LAST LINE\n")
    assert "00000000" not in result.output


def send_sigint_when_started(marker: Path) -> threading.Thread:
    """Press Ctrl-C (SIGINT to this very process) once the fake command runs."""

    def press() -> None:
        deadline = time.monotonic() + 20
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        os.kill(os.getpid(), signal.SIGINT)

    thread = threading.Thread(target=press, daemon=True)
    thread.start()
    return thread


def test_ctrl_c_stops_the_command_not_the_tutor(environ, tmp_path: Path) -> None:
    before = signal.getsignal(signal.SIGINT)
    presser = send_sigint_when_started(tmp_path / "started")
    env = make_env(environ)
    result = run_docker(["docker", "sleep"], ENDPOINT, env, tmp_path)  # no KeyboardInterrupt
    presser.join(5)
    assert result.interrupted
    assert result.returncode == 130
    assert "got SIGINT" in result.output  # the command got the Ctrl-C, forwarded
    assert signal.getsignal(signal.SIGINT) is before  # the tutor's handler is back


def test_a_command_ignoring_ctrl_c_is_terminated(environ, tmp_path: Path) -> None:
    presser = send_sigint_when_started(tmp_path / "started")
    result = run_docker(["docker", "stubborn"], ENDPOINT, make_env(environ), tmp_path,
                        interrupt_grace=0.2)
    presser.join(5)
    assert result.interrupted
    assert result.returncode == 128 + signal.SIGTERM
    assert "ignoring Ctrl-C" in result.output


def test_after_the_command_ctrl_c_interrupts_the_tutor_again(environ, tmp_path: Path) -> None:
    run_docker(["docker", "echo-argv"], ENDPOINT, make_env(environ), tmp_path)
    with pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(5)  # the handler raises long before this ends


def test_terminal_mode_inherits_the_real_stdout(environ, tmp_path: Path, capfd) -> None:
    env = make_env(environ)
    result = run_docker(["docker", "echo-argv", "run", "-it"], ENDPOINT, env, tmp_path,
                        mode="terminal")
    assert result == RunResult(returncode=0, output="", interrupted=False)
    written = capfd.readouterr()
    assert lines_with("ARGV=", written.out) == [json.dumps(["echo-argv", "run", "-it"])]
    assert env.stdout.getvalue() == ""  # nothing went through the tutor


def test_terminal_mode_survives_ctrl_c(environ, tmp_path: Path, capfd) -> None:
    before = signal.getsignal(signal.SIGINT)
    presser = send_sigint_when_started(tmp_path / "started")
    result = run_docker(["docker", "sleep"], ENDPOINT, make_env(environ), tmp_path,
                        mode="terminal", interrupt_grace=0.5)
    presser.join(5)
    assert result.interrupted
    # Without a terminal the SIGINT is forwarded (130); on one the child shares the
    # terminal's process group and would get it from the terminal, so the tutor only
    # escalates to SIGTERM after the grace period (143).
    assert result.returncode in (130, 128 + signal.SIGTERM)
    assert signal.getsignal(signal.SIGINT) is before


def test_pseudo_terminal_when_stdout_is_a_terminal(environ, tmp_path: Path) -> None:
    master, slave = pty.openpty()
    seen = bytearray()

    def drain() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:
                return
            if not data:
                return
            seen.extend(data)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    stdout = io.TextIOWrapper(os.fdopen(slave, "wb", buffering=0), encoding="utf-8",
                              write_through=True)
    try:
        env = make_env(environ, stdout=stdout, stdout_isatty=True)
        result = run_docker(["docker", "echo-argv", "pull"], ENDPOINT, env, tmp_path)
    finally:
        stdout.close()
        reader.join(5)
        os.close(master)
    assert result.returncode == 0
    assert lines_with("TTY=", result.output) == ["True"]  # the CLI keeps its progress bars
    assert "\r" not in result.output
    assert b"ARGV=" in bytes(seen)  # shown live on the learner's terminal


def test_clean_output_drops_escapes_and_progress_redraws() -> None:
    raw = ("\x1b[1A\x1b[2Kabc: Downloading 10%\rabc: Downloading 90%\rabc: Pull complete\r\n"
           "\x1b]0;title\x07\x1b[31mError\x1b[0m: no such image\r\n")
    assert clean_output(raw) == "abc: Pull complete\nError: no such image\n"


def type_while_running(marker: Path, master: int, slave: int, release: Path) -> threading.Thread:
    """Once the command runs, type a line on the terminal (and wait until the terminal
    holds it), then let the command finish."""

    def type_keys() -> None:
        deadline = time.monotonic() + 20
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        os.write(master, b"/back\n")
        select.select([slave], [], [], 5)  # the line has reached the terminal's input queue
        release.touch()

    thread = threading.Thread(target=type_keys, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("mode", ["stream", "terminal"])
def test_keys_typed_during_a_command_do_not_reach_the_next_prompt(mode, environ,
                                                                  tmp_path: Path) -> None:
    master, slave = pty.openpty()
    stdin = os.fdopen(slave, "r", closefd=False)
    try:
        release = tmp_path / "release"
        typist = type_while_running(tmp_path / "started", master, slave, release)
        env = make_env({**environ, "FAKE_DOCKER_RELEASE": str(release)}, stdin=stdin)
        result = run_docker(["docker", "hold"], ENDPOINT, env, tmp_path, mode=mode)
        typist.join(5)
        assert result.returncode == 0 and release.exists()
        # What was typed during the command is gone: the next prompt starts empty.
        readable, _, _ = select.select([slave], [], [], 0.2)
        assert readable == []
        # The terminal itself still works: a line typed now is there to read.
        os.write(master, b"/help\n")
        readable, _, _ = select.select([slave], [], [], 5)
        assert readable == [slave]
        assert os.read(slave, 100) == b"/help\n"
    finally:
        stdin.close()
        os.close(slave)
        os.close(master)
