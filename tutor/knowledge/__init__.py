"""Answers to a learner's questions, from the lessons themselves.

    index = KnowledgeIndex.build(course)      # after the first prompt
    answer = index.ask("whats the diff between an image and a container", limit=3)
    answer.found, answer.passages, answer.closest_lessons

``BackgroundIndex(course)`` builds it in a thread and hands it out when ready.

Importing this package is cheap: the spelling and stemming libraries load inside ``build``.
"""

from tutor.knowledge.background import BackgroundIndex
from tutor.knowledge.index import KnowledgeIndex
from tutor.knowledge.passages import KINDS, Answer, LessonMatch, Passage

__all__ = ["KINDS", "Answer", "BackgroundIndex", "KnowledgeIndex", "LessonMatch", "Passage"]
