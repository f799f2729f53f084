"""A program in a pseudo-terminal, seen as a learner sees it.

The program is spawned with pexpect; what it writes goes through a terminal
emulator (pyte), so "the prompt is drawn" and "the toolbar says engine ok" are
read off the screen, not off the byte stream (prompt-toolkit redraws only the
cells that changed, so a word on screen need not appear whole in the stream).

The terminal answers the cursor-position query (ESC[6n) as a real one does:
prompt-toolkit draws its bottom toolbar only once it knows where the cursor is.

Each chunk of output is stamped with the time it was read; a condition that
becomes true after a chunk is timed at that chunk's arrival, so the emulator's
own speed does not count.
"""

from __future__ import annotations

import os
import re
import select
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import pexpect
import pyte

CURSOR_POSITION_REQUEST = b"\x1b[6n"
ROWS, COLUMNS = 24, 80
PROMPT = re.compile(r"^(you|confirm) › ")


class Timeout(Exception):
    """The screen did not show what was awaited in time."""


@dataclass
class Screen:
    """What the terminal shows, and how much the program wrote."""

    rows: int
    columns: int
    screen: pyte.Screen = field(init=False)
    stream: pyte.ByteStream = field(init=False)
    written: int = 0       # bytes the program wrote
    newlines: int = 0      # line feeds the program wrote

    def __post_init__(self) -> None:
        self.screen = pyte.Screen(self.columns, self.rows)
        self.stream = pyte.ByteStream(self.screen)

    def feed(self, data: bytes) -> None:
        self.written += len(data)
        self.newlines += data.count(b"\n")
        self.stream.feed(data)

    @property
    def lines(self) -> list[str]:
        return self.screen.display

    @property
    def cursor_line(self) -> str:
        return self.screen.display[self.screen.cursor.y]

    def prompt_drawn(self) -> bool:
        """The cursor sits on a line that starts with the tutor's prompt."""
        return bool(PROMPT.match(self.cursor_line))

    def shows(self, text: str) -> bool:
        return any(text in line for line in self.screen.display)

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)


class Terminal:
    """``argv`` running in a ``rows`` x ``columns`` pseudo-terminal."""

    def __init__(self, argv: Sequence[str], env: Mapping[str, str], cwd: str | None = None,
                 rows: int = ROWS, columns: int = COLUMNS) -> None:
        self.screen = Screen(rows, columns)
        self.cpr_requests = 0
        self.log: list[tuple[float, int]] = []  # (arrival, bytes) per chunk
        self.started = time.monotonic()
        self.child = pexpect.spawn(argv[0], list(argv[1:]), env=dict(env), cwd=cwd,
                                   dimensions=(rows, columns), echo=False)
        self.child.delaybeforesend = None  # answer the terminal queries at once
        self.eof = False

    @property
    def pid(self) -> int:
        return int(self.child.pid)

    def elapsed(self, at: float) -> float:
        return at - self.started

    def _pump(self, timeout: float) -> float | None:
        """Read what is there (waiting up to ``timeout``); returns the arrival time of
        the chunk read, None when nothing came."""
        if self.eof:
            return None
        ready, _, _ = select.select([self.child.child_fd], [], [], timeout)
        if not ready:
            return None
        try:
            data = os.read(self.child.child_fd, 65536)
        except OSError:
            data = b""
        arrived = time.monotonic()
        if not data:
            self.eof = True
            return None
        self.log.append((arrived, len(data)))
        self._feed(data)
        return arrived

    def _feed(self, data: bytes) -> None:
        while CURSOR_POSITION_REQUEST in data:
            before, data = data.split(CURSOR_POSITION_REQUEST, 1)
            self.screen.feed(before)
            cursor = self.screen.screen.cursor
            self.child.send(f"\x1b[{cursor.y + 1};{cursor.x + 1}R")
            self.cpr_requests += 1
        self.screen.feed(data)

    def wait_until(self, condition: Callable[[Screen], bool], timeout: float = 30.0,
                   what: str = "the screen") -> float:
        """Read until ``condition(screen)`` holds; returns the arrival time (monotonic)
        of the chunk that made it hold."""
        deadline = time.monotonic() + timeout
        if condition(self.screen):
            return time.monotonic()
        while True:
            left = deadline - time.monotonic()
            if left <= 0 or self.eof:
                raise Timeout(f"{what} not shown after {timeout:.0f} s; the screen:\n"
                              f"{self.screen.text()}")
            arrived = self._pump(min(left, 0.5))
            if arrived is not None and condition(self.screen):
                return arrived

    def wait_for_prompt(self, timeout: float = 30.0) -> float:
        return self.wait_until(Screen.prompt_drawn, timeout, "the prompt")

    def wait_for_text(self, text: str, timeout: float = 30.0) -> float:
        return self.wait_until(lambda screen: screen.shows(text), timeout, repr(text))

    def settle(self, quiet: float = 0.2, limit: float = 5.0) -> None:
        """Read until the program has written nothing for ``quiet`` seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if self._pump(quiet) is None:
                return

    def wait_exit(self, timeout: float = 30.0) -> None:
        """Read until the program closes the terminal, then reap it."""
        deadline = time.monotonic() + timeout
        while not self.eof:
            if time.monotonic() > deadline:
                raise Timeout(f"the program did not exit in {timeout:.0f} s")
            self._pump(0.5)
        self.child.wait()

    def type(self, text: str) -> None:
        self.child.send(text)

    def line(self, text: str) -> None:
        self.child.send(text + "\r")

    def peak_rss_kib(self) -> int:
        """VmHWM of the program: its peak resident set size so far."""
        with open(f"/proc/{self.pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        raise RuntimeError("no VmHWM in /proc status")

    def close(self) -> None:
        """End the program at once (never waits on what it is waiting for)."""
        if self.child.isalive():
            self.child.terminate(force=True)
        try:
            self.child.close(force=True)
        except pexpect.ExceptionPexpect:
            pass

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
