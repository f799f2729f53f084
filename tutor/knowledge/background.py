"""Build the index in a background thread, so the first question need not wait long.

    knowledge = BackgroundIndex(course)
    knowledge.start()               # after the first prompt is shown
    ...
    index = knowledge.get()         # waits for the build if it is still running

Building loads the spelling and stemming libraries and indexes the course (~0.1 s
for the shipped one). A Python thread shares the interpreter with the prompt, so typing
may stutter for those moments; nothing else is shared, and a finished index is
read-only, so ``ask`` may be called from any thread.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.course.lesson import Course
    from tutor.knowledge.index import KnowledgeIndex


class BackgroundIndex:
    def __init__(self, course: Course) -> None:
        self._course = course
        self._index: KnowledgeIndex | None = None
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Start building (once; later calls do nothing)."""
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._build, name="knowledge-index",
                                                daemon=True)
                self._thread.start()

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def get(self, timeout: float | None = None) -> KnowledgeIndex | None:
        """The index, waiting up to ``timeout`` seconds (None: as long as it takes) for
        the build; None if it is not done by then. A failed build raises its error."""
        self.start()
        if not self._done.wait(timeout):
            return None
        if self._error is not None:
            raise self._error
        return self._index

    def _build(self) -> None:
        try:
            from tutor.knowledge.index import KnowledgeIndex

            self._index = KnowledgeIndex.build(self._course)
        except BaseException as error:  # handed to whoever asks, in their thread
            self._error = error
        finally:
            self._done.set()
