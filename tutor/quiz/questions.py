"""The questions a quiz may ask: every question step of every lesson that is quiz
material, once for each way it may be asked.

A question's identity is ``lesson/step/mode#hash``, the hash over what makes the
question (its text, its choices and which are right, its accepted answers, its task
and solution): when a lesson changes a question, its history starts again; hints and
explanations may be reworded freely. A question deleted from a lesson is simply no
longer found; its old answers are ignored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.course.lesson import QuizEntry
from tutor.steps.quizfields import ASK, CHALLENGE, RECALL

if TYPE_CHECKING:
    from tutor.course.lesson import Course, Lesson, Step

MODE_NAMES = {ASK: "question", RECALL: "command", CHALLENGE: "challenge"}


@dataclass(frozen=True)
class QuizQuestion:
    key: str
    lesson: Lesson
    step: Step
    mode: str  # ASK, RECALL or CHALLENGE
    topics: tuple[str, ...]  # the step's topics, else its lesson's id
    position: int  # in course order, for stable ordering

    @property
    def is_challenge(self) -> bool:
        return self.mode == CHALLENGE

    @property
    def title(self) -> str:
        """The question's first line in plain words, for summaries."""
        text = getattr(self.step, "question", None) or getattr(self.step, "task", "")
        first = re.sub(r"[`*_]|\{\{\s*|\s*\}\}", "", str(text)).strip().split("\n")[0]
        return first if len(first) <= 72 else first[:71].rstrip() + "…"


def collect_questions(course: Course, lesson_ids: Collection[str] | None = None
                      ) -> list[QuizQuestion]:
    """Every quiz question of the course, or of the lessons ``lesson_ids`` names (their
    steps are read from the parse cache; the others' are left unread)."""
    questions: list[QuizQuestion] = []
    for lesson in course.lessons:
        if lesson_ids is None or lesson.id in lesson_ids:
            questions += lesson_questions(lesson, start=len(questions))
    return questions


def lesson_questions(lesson: Lesson, start: int = 0) -> list[QuizQuestion]:
    """A lesson's quiz questions, numbered on from ``start``."""
    questions: list[QuizQuestion] = []
    for step in lesson.steps:
        for mode in step.quiz:
            questions.append(QuizQuestion(
                key=question_key(lesson.id, step, mode), lesson=lesson, step=step,
                mode=mode, topics=step.topics or (lesson.id,),
                position=start + len(questions)))
    return questions


def noted_entries(lesson_id: str, steps: Iterable[Step]) -> tuple[QuizEntry, ...]:
    """The quiz entries a lesson's header keeps (tutor.quiz.entries)."""
    return tuple(QuizEntry(question_key(lesson_id, step, mode), step.topics or (lesson_id,),
                           lesson_id) for step in steps for mode in step.quiz)


def question_key(lesson_id: str, step: Step, mode: str) -> str:
    digest = hashlib.sha256(repr(step.quiz_identity(mode)).encode("utf-8")).hexdigest()[:12]
    return f"{lesson_id}/{step.id}/{mode}#{digest}"
