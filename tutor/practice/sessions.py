"""Which tutor sessions are alive: each holds a lock on a file of its own while it runs.

Fixtures carry their session's id; a session that finds fixtures of its learner
whose session holds no lock any more knows they were left by a session that was
killed, and removes them.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import IO


class SessionLock:
    """This process's session: a random id (or ``session_id``), and a lock held until the
    process ends."""

    def __init__(self, folder: Path | None, session_id: str | None = None) -> None:
        self.id = session_id or secrets.token_hex(6)
        self.folder = folder
        self._handle: IO[str] | None = None

    def hold(self) -> None:
        """Take the lock (once); without a writable folder the session simply has none."""
        if self._handle is not None or self.folder is None:
            return
        try:
            import fcntl

            self.folder.mkdir(parents=True, exist_ok=True)
            handle = open(self.folder / f"{self.id}.lock", "w")  # noqa: SIM115 - held for life
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (ImportError, OSError):
            return
        self._handle = handle

    def is_alive(self, session_id: str) -> bool:
        """True while the session with that id runs (this one always does)."""
        if session_id == self.id or self.folder is None:
            return True
        path = self.folder / f"{session_id}.lock"
        try:
            import fcntl

            with open(path) as probe:
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except FileNotFoundError:
            return False
        except ImportError:
            return True  # cannot tell: assume alive, remove nothing
        except OSError:
            return True  # locked: the session runs
        try:
            path.unlink()  # a dead session's file: tidy it away
        except OSError:
            pass
        return False
