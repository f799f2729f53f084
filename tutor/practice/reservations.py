"""The names and ports that tutor sessions on this machine have handed out, per engine.

Choosing a free name looks at the engine, and the engine knows a name only once the
learner's command has made the container. Ten learners who enter a step in the same
second would all be given the first free ``web`` and port 8080. So each session
reserves what it hands out, and chooses around what the others reserved:

- the record of one engine endpoint is a folder under the machine's runtime folder
  (``Environment.runtime_dir``, e.g. ``/tmp/docker-tutor/reservations/<engine>``),
  open to every user as ``/tmp`` is;
- each session writes its own reservations there (``<session>.json``, replaced
  atomically, so a reader never sees half a file) and holds a lock on
  ``<session>.lock`` for as long as it runs;
- a session chooses under the folder's lock (``.choosing``), so two sessions never
  choose at the same moment;
- a reservation lapses when its session's lock is free (the session ended, or was
  killed: the kernel drops the lock), and when it was not renewed for
  ``RESERVATION_SECONDS``; the next session to choose tidies such files away.

Reservations are a courtesy between sessions, never a condition to practise: when
the folder cannot be written, a file is unreadable or the lock is not had in time,
the session chooses as before, around what the engine shows. Sessions on other
machines sharing a remote engine see none of this; ``tutor.practice.races`` tells
a learner who lost such a race what to type instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.practice.sessions import SessionLock

if TYPE_CHECKING:
    from tutor.engine.endpoint import Endpoint

# The var forms whose values a session reserves (tutor.course.practice_spec.VAR_FORMS).
RESERVED_FORMS = ("free_name", "free_port", "free_image", "free_volume", "free_network",
                  "free_project")
# A reservation not renewed for this long lapses, whether or not its session runs
# (renewed whenever the session enters a practice step).
RESERVATION_SECONDS = 3600.0
# How long a session waits for another to finish choosing before it chooses anyway.
LOCK_WAIT_SECONDS = 5.0
CHOOSING_LOCK = ".choosing"
FORMAT = 1


def engine_key(endpoint: Endpoint) -> str:
    """The engine's folder name: a digest of its address (a unix socket by its real
    path, so ``/var/run/docker.sock`` and ``/run/docker.sock`` are one engine)."""
    socket = endpoint.socket_path
    address = f"unix://{os.path.realpath(socket)}" if socket is not None else endpoint.host
    return hashlib.sha256(address.encode()).hexdigest()[:16]


def ledger_for(runtime_dir: Path | None, endpoint: Endpoint, learner: str,
               session: str) -> Ledger:
    folder = runtime_dir / "reservations" / engine_key(endpoint) if runtime_dir else None
    return Ledger(folder, learner, session, engine=endpoint.host)


@dataclass
class Claim:
    """What a session sees while it chooses: the values other learners' live sessions
    reserved, by form; and what it keeps for itself (``keep``)."""

    taken: Mapping[str, frozenset[str]] = field(default_factory=dict)
    others: bool = False  # another learner's session on this engine reserved something
    kept: dict[str, tuple[str, str]] = field(default_factory=dict)

    def reserved(self, form: str) -> frozenset[str]:
        return self.taken.get(form, frozenset())

    def keep(self, key: str, form: str, value: str) -> None:
        """Reserve ``value`` under ``key`` (a lesson's var: what it held before is let go)."""
        if form in RESERVED_FORMS:
            self.kept[key] = (form, value)


class Ledger:
    """One session's reservations on one engine (``folder``; None: reserve nothing)."""

    def __init__(self, folder: Path | None, learner: str, session: str, engine: str = "",
                 clock: Callable[[], float] = time.time,
                 lock_wait: float = LOCK_WAIT_SECONDS) -> None:
        self.folder = folder
        self.learner = learner
        self.session = session
        self.engine = engine
        self._clock = clock
        self._lock_wait = lock_wait
        self._alive = SessionLock(folder, session)
        self._held: dict[str, tuple[str, str]] = {}
        # Removes this session's files when it ends (or the ledger is collected).
        self._forget: weakref.finalize | None = None

    @contextmanager
    def choosing(self) -> Iterator[Claim]:
        """Others' reservations, seen under the folder's lock; what the caller keeps in
        the claim is written when the block ends (nothing when it raised)."""
        if self.folder is None or not _shared_folder(self.folder):
            yield Claim()
            return
        lock = self._lock()
        try:
            claim = self._read()
            yield claim
            self._held.update(claim.kept)
            self._write()
        finally:
            if lock is not None:
                os.close(lock)  # closing drops the lock

    def release(self) -> None:
        """Let go of every reservation: the session ends (it reserves nothing after)."""
        self._held.clear()
        self.folder = None
        if self._forget is not None:
            self._forget()

    # -- the folder ------------------------------------------------------------------

    def _lock(self) -> int | None:
        """The folder's lock, or None when it cannot be had (in time)."""
        assert self.folder is not None
        try:
            import fcntl
        except ImportError:
            return None
        try:
            handle = os.open(self.folder / CHOOSING_LOCK,
                             os.O_RDONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)
        except OSError:
            return None
        deadline = time.monotonic() + self._lock_wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return handle
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    break
                time.sleep(0.02)
            except OSError:
                break
        os.close(handle)
        return None

    def _read(self) -> Claim:
        assert self.folder is not None
        taken: dict[str, set[str]] = {}
        others = False
        now = self._clock()
        try:
            files = sorted(self.folder.glob("*.json"))
        except OSError:
            files = []
        for path in files:
            session = path.stem
            if session == self.session:
                continue
            if not self._alive.is_alive(session):
                _unlink(path)  # the session ended or was killed
                continue
            found = _load(path)
            if found is None or found.get("learner") == self.learner:
                continue
            if not isinstance(found.get("expires"), (int, float)) or found["expires"] < now:
                continue
            values = found.get("values")
            if not isinstance(values, dict):
                continue
            for form, listed in values.items():
                if form in RESERVED_FORMS and isinstance(listed, list):
                    taken.setdefault(form, set()).update(str(v) for v in listed)
                    others = True
        return Claim({form: frozenset(values) for form, values in taken.items()}, others)

    def _write(self) -> None:
        assert self.folder is not None
        self._alive.hold()  # before the file exists: a reader must not find it dead
        values: dict[str, list[str]] = {}
        for form, value in self._held.values():
            values.setdefault(form, []).append(value)
        record = {"format": FORMAT, "learner": self.learner, "session": self.session,
                  "pid": os.getpid(), "engine": self.engine,
                  "expires": self._clock() + RESERVATION_SECONDS,
                  "values": {form: sorted(set(found)) for form, found in values.items()}}
        try:
            _write_atomically(self.folder / f"{self.session}.json", record)
        except OSError:
            return  # an unwritable folder: this session reserves nothing
        if self._forget is None:
            self._forget = weakref.finalize(self, _forget, self.folder, self.session)


def _shared_folder(folder: Path) -> bool:
    """Make ``folder`` and the folders above it up to the runtime folder, as ``/tmp``
    is (everyone adds files, only their owner removes them); False when it cannot be."""
    missing: list[Path] = []
    for level in (folder, folder.parent, folder.parent.parent):
        if level.is_dir():
            break
        missing.append(level)
    try:
        for level in reversed(missing):
            level.mkdir(parents=True, exist_ok=True)
            try:
                level.chmod(0o1777)
            except OSError:
                pass  # another user made it a moment ago
        return folder.is_dir() and os.access(folder, os.W_OK | os.X_OK)
    except OSError:
        return False


def _load(path: Path) -> dict[str, Any] | None:
    """A session's record, or None when it is unreadable or not one."""
    try:
        with open(path, encoding="utf-8") as handle:
            found = json.load(handle)
    except (OSError, ValueError):
        return None
    return found if isinstance(found, dict) else None


def _write_atomically(path: Path, record: dict[str, Any]) -> None:
    handle, temp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(record, out)
        os.chmod(temp, 0o644)  # other learners' sessions read it
        os.replace(temp, path)
    except BaseException:
        _unlink(Path(temp))
        raise


def _forget(folder: Path, session: str) -> None:
    """A session's files, removed as it ends (a killed session's: by the next to choose)."""
    _unlink(folder / f"{session}.json")
    _unlink(folder / f"{session}.lock")


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass  # gone already, or another user's in a shared folder
