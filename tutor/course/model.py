"""The course as the tutor sees it once lesson files are validated.

Everything here is immutable: a loaded course never changes while the tutor runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Union


@dataclass(frozen=True)
class AnswerPattern:
    """One accepted form of a free-text answer."""

    kind: str  # "exact" | "ignore_case" | "regex"
    values: tuple[str, ...]

    def matches(self, answer: str) -> bool:
        answer = answer.strip()
        if self.kind == "exact":
            return answer in self.values
        # Learners often quote an answer the way the lesson shows it: `docker build`.
        answer = unquote(answer)
        if self.kind == "ignore_case":
            folded = fold(answer)
            return any(folded == fold(value) for value in self.values)
        return any(
            re.fullmatch(value, answer, flags=re.IGNORECASE) is not None for value in self.values
        )


def unquote(text: str) -> str:
    for quote in ("`", '"', "'"):
        if len(text) > 1 and text.startswith(quote) and text.endswith(quote):
            return text[1:-1].strip()
    return text


def fold(text: str) -> str:
    """Case-insensitive, whitespace-insensitive form used by ``ignore_case``."""
    return " ".join(text.split()).casefold()


@dataclass(frozen=True)
class AnswerFeedback:
    when: AnswerPattern
    text: str


@dataclass(frozen=True)
class Choice:
    text: str
    correct: bool = False
    feedback: str | None = None


@dataclass(frozen=True)
class SayStep:
    id: str
    text: str
    diagram: str | None = None
    diagram_title: str | None = None

    kind = "say"
    is_question = False


@dataclass(frozen=True)
class CleanupStep:
    """Lists what the learner created in this lesson and offers to remove it."""

    id: str
    text: str

    kind = "cleanup"
    is_question = False


@dataclass(frozen=True)
class ChoiceStep:
    id: str
    question: str
    choices: tuple[Choice, ...]
    hints: tuple[str, ...]
    explanation: str

    kind = "choice"
    is_question = True

    @property
    def correct_indexes(self) -> frozenset[int]:
        return frozenset(i for i, choice in enumerate(self.choices) if choice.correct)

    @property
    def multiple(self) -> bool:
        return len(self.correct_indexes) > 1


@dataclass(frozen=True)
class TextStep:
    id: str
    question: str
    accept: tuple[AnswerPattern, ...]
    hints: tuple[str, ...]
    explanation: str
    feedback: tuple[AnswerFeedback, ...] = ()

    kind = "text"
    is_question = True


@dataclass(frozen=True)
class CommandStep:
    """A practice step: the learner types docker commands until the check passes."""

    id: str
    task: str
    check: Any  # a tutor.checks check tree, validated at load time
    hints: tuple[str, ...]
    explanation: str
    setup: tuple[Any, ...] = ()
    solution: tuple[str, ...] = ()
    wrong_attempts: tuple[Any, ...] = ()
    alternatives: tuple[tuple[str, ...], ...] = ()
    variables: tuple[Any, ...] = ()  # tutor.course.practice.VarSpec

    kind = "command"
    is_question = True


Step = Union[SayStep, ChoiceStep, TextStep, CommandStep, CleanupStep]


@dataclass(frozen=True)
class Lesson:
    id: str
    title: str
    summary: str
    steps: tuple[Step, ...]
    requires: tuple[str, ...] = ()
    needs_engine: bool = False
    source: Path | None = None
    requires_lines: tuple[int, ...] = ()  # where each `requires` entry is, for messages
    # Lesson-wide template variables (tutor.course.practice.VarSpec), chosen once per
    # lesson and kept in progress, for resources that live across steps (a registry port).
    variables: tuple[Any, ...] = ()

    def step_index(self, step_id: str) -> int | None:
        for index, step in enumerate(self.steps):
            if step.id == step_id:
                return index
        return None

    @property
    def question_count(self) -> int:
        return sum(1 for step in self.steps if step.is_question)


@dataclass(frozen=True)
class Course:
    title: str
    lessons: tuple[Lesson, ...]
    problems: tuple[Any, ...] = ()  # LessonProblem instances for files that failed to load

    def lesson(self, lesson_id: str) -> Lesson | None:
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        return None

    def index_of(self, lesson_id: str) -> int | None:
        for index, lesson in enumerate(self.lessons):
            if lesson.id == lesson_id:
                return index
        return None
