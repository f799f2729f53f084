"""The course's quiz questions as the lessons' headers list them (key, topics, lesson):
what the start screen and /progress count (reviews due, topic standings) without
reading a single step from the parse cache, so a returning learner's first prompt
does not wait for every lesson's steps, step types and checks to load.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Protocol

from tutor.course.lesson import QuizEntry

if TYPE_CHECKING:
    from tutor.course.lesson import Course, Lesson


class Filed(Protocol):
    """A question as standings see it: its key and the topics it is filed under."""

    @property
    def key(self) -> str: ...

    @property
    def topics(self) -> tuple[str, ...]: ...


def quiz_entries(course: Course, lesson_ids: Collection[str] | None = None) -> list[QuizEntry]:
    """Every quiz question of the course (or of the lessons ``lesson_ids`` names)."""
    found: list[QuizEntry] = []
    for lesson in course.lessons:
        if lesson_ids is None or lesson.id in lesson_ids:
            found += lesson.quiz_entries if lesson.quiz_entries is not None else (
                entries_from_steps(lesson))
    return found


def entries_from_steps(lesson: Lesson) -> list[QuizEntry]:
    """A lesson built in code (not parsed from a file) has no entries noted: its steps
    say them."""
    from tutor.quiz.questions import noted_entries

    return list(noted_entries(lesson.id, lesson.steps))


def topic_ids(course: Course, questions: Iterable[Filed]) -> list[str]:
    """Every topic the questions are filed under: the course's order, then lessons'."""
    used = {topic for question in questions for topic in question.topics}
    ordered = [topic.id for topic in course.topics if topic.id in used]
    ordered += [lesson.id for lesson in course.lessons if lesson.id in used
                and lesson.id not in ordered]
    return ordered + sorted(used - set(ordered))
