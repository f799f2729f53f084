"""Time spent: the time between one line the learner types and the next, counted for
the lesson (or quiz) they were in. A learner who walks away does not pile up hours:
one line's time counts up to a few minutes."""

from __future__ import annotations

import time
from collections.abc import Callable

IDLE_CAP_SECONDS = 300.0


class TimeKeeper:
    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last = clock()

    def tick(self) -> float:
        """Seconds since the last tick (at most IDLE_CAP_SECONDS)."""
        now = self.clock()
        spent = min(max(0.0, now - self.last), IDLE_CAP_SECONDS)
        self.last = now
        return spent


def duration(seconds: float) -> str:
    """``45 s``, ``12 min``, ``1 h 05 min``."""
    if seconds < 60:
        return f"{int(seconds)} s"
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def short_duration(seconds: float) -> str:
    """``45s``, ``12m``, ``1h05``: for narrow tables."""
    if seconds < 60:
        return f"{int(seconds)}s"
    minutes = int(seconds // 60)
    return f"{minutes}m" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}"
