"""Container names and image tags for completion, from a cache the background refreshes:
a keystroke never waits on the engine."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from tutor.practice.inventory import snapshot

if TYPE_CHECKING:
    from tutor.engine.connection import Engine

FRESH_SECONDS = 3.0


class NameCache:
    def __init__(self, engine: Callable[[], Engine]) -> None:
        self._engine = engine
        self._names: dict[str, tuple[str, ...]] = {}
        self._at = float("-inf")
        self._thread: threading.Thread | None = None

    @property
    def warmed(self) -> bool:
        return self._at != float("-inf") or self._thread is not None

    def known(self, kind: str) -> tuple[str, ...]:
        """The names of ``kind`` ("container" or "image") known now, sorted; starts a
        refresh when they are older than a few seconds. The same tuple comes back until
        the names change, so the completer can keep what it built from it."""
        status = self._engine().last_status
        if status is None or not status.ok:
            return ()
        if time.monotonic() - self._at > FRESH_SECONDS and not (
                self._thread and self._thread.is_alive()):
            self._thread = threading.Thread(target=self._refresh, daemon=True,
                                            name="docker-tutor-names")
            self._thread.start()
        return self._names.get(kind, ())

    def _refresh(self) -> None:
        try:
            current = snapshot(self._engine().api)
        except Exception:  # the engine went away: completion simply offers nothing new
            return
        fresh = {"container": tuple(sorted(current.names.values())),
                 "image": tuple(sorted(current.image_tags))}
        # Unchanged names keep their old tuple (compared here, off the main thread).
        self._names = {kind: self._names[kind] if self._names.get(kind) == names else names
                       for kind, names in fresh.items()}
        self._at = time.monotonic()
