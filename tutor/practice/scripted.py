"""Play an interactive docker command without a person: for selftest only."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.engine.endpoint import Endpoint
    from tutor.environment import Environment

DETACH_KEYS = b"\x10\x11"  # Ctrl-P Ctrl-Q, docker's default detach sequence
SETTLE_SECONDS = 2.0
GIVE_UP_SECONDS = 10.0


def run_detached(argv: list[str], endpoint: Endpoint, env: Environment, cwd: Path) -> str:
    """Start the command on a pseudo-terminal, let it settle, then detach from it."""
    from tutor.engine.endpoint import cli_environment

    master, slave = pty.openpty()
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, cwd=cwd,
                               env=cli_environment(endpoint, env.environ), close_fds=True,
                               start_new_session=True)
    os.close(slave)
    chunks: list[bytes] = []
    started = time.monotonic()
    detached = False
    try:
        while process.poll() is None and time.monotonic() - started < GIVE_UP_SECONDS:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunks.append(os.read(master, 65536))
                except OSError:
                    break
            if not detached and time.monotonic() - started > SETTLE_SECONDS:
                os.write(master, DETACH_KEYS)
                detached = True
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    finally:
        os.close(master)
    return b"".join(chunks).decode(errors="replace")
