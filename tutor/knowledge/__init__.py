"""Answers to a learner's questions, from the lessons themselves.

    index = KnowledgeIndex.build(course)      # after the first prompt
    answer = index.ask("whats the diff between an image and a container", limit=3)
    answer.found, answer.passages, answer.closest_lessons

``BackgroundIndex(course)`` builds it in a thread and hands it out when ready.

Importing this package is cheap: ``KnowledgeIndex`` (which reads every step type) is
imported when first named, and the spelling and stemming libraries load inside ``build``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tutor.knowledge.background import BackgroundIndex
from tutor.knowledge.passages import KINDS, Answer, LessonMatch, Passage

if TYPE_CHECKING:
    from tutor.knowledge.index import KnowledgeIndex

__all__ = ["KINDS", "Answer", "BackgroundIndex", "KnowledgeIndex", "LessonMatch", "Passage"]


def __getattr__(name: str) -> Any:
    # The REPL imports this package before the first prompt; the index is built after it.
    if name == "KnowledgeIndex":
        from tutor.knowledge.index import KnowledgeIndex

        return KnowledgeIndex
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
