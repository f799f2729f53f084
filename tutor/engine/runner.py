"""Run a learner's ``docker ...`` command with the docker CLI.

Never through a shell: ``argv`` goes to the CLI word for word, so ``a;echo pwned``
is one argument and nothing else runs.

Two modes:

``"stream"``
    Output appears live and is captured (the last ~64 KB, cleaned of terminal
    escapes, for diagnosis). When the tutor's stdout is a real terminal the CLI
    writes into a pseudo-terminal, so it keeps its progress bars; otherwise
    (tests, pipes) into a pipe with stderr merged. The child gets /dev/null as
    stdin and its own session, so a Ctrl-C reaches only the tutor, which forwards
    it to the command.

``"terminal"``
    For interactive commands (``run -it``, ``exec -it``, ``attach``, ``login``):
    the child inherits the real terminal and the tutor waits; the learner leaves
    with ``exit`` or Ctrl-P Ctrl-Q (docker's detach keys). The child shares the
    terminal's process group, so a Ctrl-C from the terminal already reaches it
    and is not forwarded again. Nothing is captured.

In both modes Ctrl-C stops the command, not the tutor: while the child runs the
tutor's SIGINT handler only takes note; the command gets SIGINT, then after
``interrupt_grace`` seconds SIGTERM, then after ``terminate_grace`` SIGKILL
(each further Ctrl-C moves one step on at once), and the previous handler is
restored afterwards.

Keys typed while a command runs belong to that command: when it ends, whatever
it left unread in the terminal's input queue (a Ctrl-P typed while attached to a
container without a TTY, a line typed during a pull) is thrown away, so none of
it turns up in the tutor's next input line.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import select
import shutil
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from tutor.engine.endpoint import Endpoint, cli_environment

if TYPE_CHECKING:
    from tutor.environment import Environment

Mode = Literal["stream", "terminal"]

TAIL_CHARS = 64 * 1024
INTERRUPT_GRACE = 3.0   # after SIGINT, before SIGTERM
TERMINATE_GRACE = 2.0   # after SIGTERM, before SIGKILL
POLL_SECONDS = 0.1
CLI_MISSING_RETURNCODE = 127  # what a shell says for "command not found"


@dataclass(frozen=True)
class RunResult:
    returncode: int      # a signal death is reported like a shell does: 128 + signal
    output: str          # the captured tail (stream mode), for diagnosis; "" in terminal mode
    interrupted: bool    # the learner pressed Ctrl-C while it ran
    cli_missing: bool = False


# What run_docker runs: the docker CLI, or the standalone Compose command.
PROGRAMS = ("docker", "docker-compose")


def find_docker(environ: Any) -> str | None:
    """The docker CLI on the PATH of ``environ`` (the tutor's injected environment)."""
    return shutil.which("docker", path=environ.get("PATH", os.defpath))


def run_docker(argv: Sequence[str], endpoint: Endpoint, env: Environment, cwd: Path,
               mode: Mode = "stream", *, interrupt_grace: float = INTERRUPT_GRACE,
               terminate_grace: float = TERMINATE_GRACE) -> RunResult:
    """Run ``argv`` (``["docker", ...]``) against ``endpoint``; see the module doc."""
    argv = list(argv)
    if not argv or argv[0] not in PROGRAMS or not all(isinstance(word, str) for word in argv):
        raise ValueError(f"run_docker runs docker commands only, got {argv!r}")
    if mode not in ("stream", "terminal"):
        raise ValueError(f"unknown mode {mode!r}")
    executable = (find_docker(env.environ) if argv[0] == "docker"
                  else shutil.which(argv[0], path=env.environ.get("PATH", os.defpath)))
    if executable is None:
        return _cli_missing(env)
    child_env = cli_environment(endpoint, env.environ)
    _flush(env)
    guard = _InterruptGuard()
    try:
        with guard:
            if mode == "terminal":
                return _run_terminal(argv, executable, child_env, cwd, guard,
                                     interrupt_grace, terminate_grace)
            return _run_stream(argv, executable, child_env, cwd, env, guard,
                               interrupt_grace, terminate_grace)
    finally:
        discard_typeahead(env)


# -- Ctrl-C -----------------------------------------------------------------------------------


class _InterruptGuard:
    """While active, SIGINT only counts (no KeyboardInterrupt); restores on exit."""

    def __init__(self) -> None:
        self.count = 0
        self._previous: Any = None
        self._installed = False

    def _handler(self, signum: int, frame: Any) -> None:
        self.count += 1

    def __enter__(self) -> _InterruptGuard:
        # Signal handlers can only be set from the main thread; elsewhere SIGINT
        # is the main thread's business anyway.
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGINT, self._handler)
            self._installed = True
        return self

    def __exit__(self, *exc: object) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous)
            self._installed = False


class _Stopper:
    """Turns Ctrl-Cs into SIGINT -> SIGTERM -> SIGKILL for the child."""

    def __init__(self, proc: subprocess.Popen, guard: _InterruptGuard, forward: bool,
                 own_group: bool, interrupt_grace: float, terminate_grace: float) -> None:
        self.proc = proc
        self.guard = guard
        self.forward = forward
        self.own_group = own_group
        self.interrupt_grace = interrupt_grace
        self.terminate_grace = terminate_grace
        self.seen = 0
        self.step = 0            # 0 nothing, 1 SIGINT, 2 SIGTERM, 3 SIGKILL
        self.next_at: float | None = None

    @property
    def interrupted(self) -> bool:
        return self.seen > 0

    def check(self) -> None:
        now = time.monotonic()
        if self.guard.count > self.seen:
            first = self.seen == 0
            self.seen = self.guard.count
            if first:
                self._advance(now, send_sigint=self.forward)
            else:
                self._advance(now)   # another Ctrl-C: stop harder now
        elif self.next_at is not None and now >= self.next_at:
            self._advance(now)

    def _advance(self, now: float, send_sigint: bool = True) -> None:
        if self.proc.poll() is not None:
            return
        self.step += 1
        if self.step == 1:
            if send_sigint:
                self._send(signal.SIGINT)
            self.next_at = now + self.interrupt_grace
        elif self.step == 2:
            self._send(signal.SIGTERM)
            self.next_at = now + self.terminate_grace
        else:
            self._send(signal.SIGKILL)
            self.next_at = None

    def _send(self, signum: int) -> None:
        try:
            if self.own_group:
                os.killpg(self.proc.pid, signum)   # the CLI and its plugins
            else:
                self.proc.send_signal(signum)
        except (ProcessLookupError, PermissionError):
            pass


def _returncode(code: int) -> int:
    return 128 - code if code < 0 else code


# -- terminal mode ------------------------------------------------------------------------------


def _run_terminal(argv: list[str], executable: str, child_env: dict[str, str], cwd: Path,
                  guard: _InterruptGuard, interrupt_grace: float,
                  terminate_grace: float) -> RunResult:
    saved = _save_tty()
    try:
        proc = subprocess.Popen(argv, executable=executable, cwd=cwd, env=child_env)
        # On a real terminal the child is in our process group and gets Ctrl-C from the
        # terminal itself; only without one would a SIGINT reach the tutor alone.
        stopper = _Stopper(proc, guard, forward=not _isatty(0), own_group=False,
                           interrupt_grace=interrupt_grace, terminate_grace=terminate_grace)
        code = _wait(proc, stopper)
    finally:
        _restore_tty(saved)
    return RunResult(returncode=_returncode(code), output="", interrupted=stopper.interrupted)


def _save_tty() -> Any:
    if not _isatty(0):
        return None
    try:
        import termios

        return termios.tcgetattr(0)
    except Exception:
        return None


def _restore_tty(saved: Any) -> None:
    """A killed ``docker run -it`` can leave the terminal raw: put it back."""
    if saved is None:
        return
    try:
        import termios

        termios.tcsetattr(0, termios.TCSADRAIN, saved)
    except Exception:
        pass


def _isatty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


# -- stream mode ----------------------------------------------------------------------------------


def _run_stream(argv: list[str], executable: str, child_env: dict[str, str], cwd: Path,
                env: Environment, guard: _InterruptGuard, interrupt_grace: float,
                terminate_grace: float) -> RunResult:
    tty_fd = _stdout_tty_fd(env)
    tail = _Tail(TAIL_CHARS)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def emit(text: str) -> None:
        if text:
            env.stdout.write(text)
            env.stdout.flush()
            tail.add(text)

    master = None
    if tty_fd is not None:
        import pty

        master, slave = pty.openpty()
        _copy_window_size(tty_fd, slave)
        try:
            proc = subprocess.Popen(argv, executable=executable, cwd=cwd, env=child_env,
                                    stdin=subprocess.DEVNULL, stdout=slave, stderr=slave,
                                    start_new_session=True)
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        fd = master
    else:
        proc = subprocess.Popen(argv, executable=executable, cwd=cwd, env=child_env,
                                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
        assert proc.stdout is not None
        fd = proc.stdout.fileno()
    stopper = _Stopper(proc, guard, forward=True, own_group=True,
                       interrupt_grace=interrupt_grace, terminate_grace=terminate_grace)
    try:
        while True:
            stopper.check()
            ready, _, _ = select.select([fd], [], [], POLL_SECONDS)
            if ready:
                try:
                    data = os.read(fd, 65536)
                except OSError as error:
                    if error.errno != errno.EIO:  # EIO: the pty's other side is closed
                        raise
                    data = b""
                if not data:
                    break
                emit(decoder.decode(data))
                continue
            if proc.poll() is not None:
                break  # finished, and nothing more to read right now
        emit(decoder.decode(b"", final=True))
        code = _wait(proc, stopper)
    finally:
        if proc.poll() is None:  # only on an unexpected error: leave nothing behind
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            proc.wait()
        if master is not None:
            os.close(master)
        elif proc.stdout is not None:
            proc.stdout.close()
    return RunResult(returncode=_returncode(code), output=clean_output(tail.text())[-TAIL_CHARS:],
                     interrupted=stopper.interrupted)


def _stdout_tty_fd(env: Environment) -> int | None:
    if not env.stdout_isatty:
        return None
    try:
        fd = env.stdout.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    return fd if _isatty(fd) else None


def _copy_window_size(from_fd: int, to_fd: int) -> None:
    """So the CLI's progress bars fit the learner's terminal."""
    try:
        import fcntl
        import termios

        size = fcntl.ioctl(from_fd, termios.TIOCGWINSZ, b"\0" * 8)
        fcntl.ioctl(to_fd, termios.TIOCSWINSZ, size)
    except Exception:
        pass


class _Tail:
    """The last ``limit`` characters (roughly: trimmed by chunk) of a stream."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.chunks: deque[str] = deque()
        self.size = 0

    def add(self, text: str) -> None:
        self.chunks.append(text)
        self.size += len(text)
        while self.size - len(self.chunks[0]) > 2 * self.limit:
            self.size -= len(self.chunks.popleft())

    def text(self) -> str:
        return "".join(self.chunks)[-2 * self.limit:]


_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"            # CSI: colours, cursor moves, erase line
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)"  # OSC: window titles, hyperlinks
    r"|\x1b[@-Z\\-_]"                      # other two-byte escapes
)


def clean_output(text: str) -> str:
    """Plain text for diagnosis: no terminal escapes, no CRs, progress redraws collapsed."""
    text = _ESCAPES.sub("", text).replace("\r\n", "\n")
    lines = []
    for line in text.split("\n"):
        if "\r" in line:
            parts = [part for part in line.split("\r") if part]
            line = parts[-1] if parts else ""
        lines.append(line)
    return "\n".join(lines)


# -- the CLI is missing ---------------------------------------------------------------------


def _cli_missing(env: Environment) -> RunResult:
    # What went wrong and how to fix it: loaded only when something did.
    from tutor.engine.diagnosis import cli_missing_problem, print_problem

    problem = cli_missing_problem()
    print_problem(env.console, problem)
    return RunResult(returncode=CLI_MISSING_RETURNCODE, output=str(problem),
                     interrupted=False, cli_missing=True)


def _flush(env: Environment) -> None:
    for stream in (env.stdout, env.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass


def discard_typeahead(env: Environment) -> None:
    """Throw away what was typed on the learner's terminal and not read yet."""
    fd = _stdin_tty_fd(env)
    if fd is None:
        return
    try:
        import termios

        termios.tcflush(fd, termios.TCIFLUSH)
    except Exception:  # no termios (Windows) or the terminal went away: nothing to drop
        pass


def _stdin_tty_fd(env: Environment) -> int | None:
    if not env.stdin_isatty:
        return None
    try:
        fd = env.stdin.fileno()
    except (AttributeError, OSError, ValueError):
        return None
    return fd if _isatty(fd) else None


def _wait(proc: subprocess.Popen, stopper: _Stopper) -> int:
    """Wait for the child, letting the stopper act on Ctrl-C between short waits."""
    while True:
        stopper.check()
        try:
            return proc.wait(timeout=POLL_SECONDS)
        except subprocess.TimeoutExpired:
            continue
