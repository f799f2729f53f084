"""What the tutor remembers of a learner, as plain records that turn into JSON and back.

Format versions: 1 (the first), 2 adds ``learner`` (a random id that labels what
this learner's commands create on a shared engine), 3 adds ``quiz`` (every quiz answer
and the spaced-repetition state, ``tutor.progress.reviews``) and each lesson's
``seconds`` (time spent in it). Older files still load.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from tutor.progress.reviews import QuizRecord

FORMAT_VERSION = 3
READABLE_VERSIONS = (1, 2, 3)

PASSED = "passed"
SKIPPED = "skipped"


@dataclass
class StepRecord:
    status: str | None = None  # PASSED, SKIPPED or None (not finished)
    attempts: int = 0  # wrong answers given
    hints: int = 0  # hints revealed
    revealed: bool = False  # the explanation was shown before a correct answer

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "attempts": self.attempts, "hints": self.hints,
                "revealed": self.revealed}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> StepRecord:
        status = data.get("status")
        return cls(
            status=status if status in (PASSED, SKIPPED) else None,
            attempts=int(data.get("attempts", 0)),
            hints=int(data.get("hints", 0)),
            revealed=bool(data.get("revealed", False)),
        )


@dataclass
class LessonRecord:
    completed_at: str | None = None
    steps: dict[str, StepRecord] = field(default_factory=dict)
    # Values of the lesson's vars (a port, a name), kept so a resumed lesson uses the same.
    values: dict[str, str] = field(default_factory=dict)
    # What the learner's commands created through the tutor in this lesson, for cleanup:
    # {"kind": "container", "id": ..., "name": ...} or {"kind": "image", "ref": ...}.
    created: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0  # time spent in the lesson

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    def step(self, step_id: str) -> StepRecord:
        return self.steps.setdefault(step_id, StepRecord())

    def to_json(self) -> dict[str, Any]:
        return {"completed_at": self.completed_at,
                "steps": {key: record.to_json() for key, record in self.steps.items()},
                "values": dict(self.values),
                "created": [dict(item) for item in self.created],
                "seconds": round(self.seconds, 1)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LessonRecord:
        steps = data.get("steps") or {}
        values = data.get("values") or {}
        created = data.get("created") or []
        seconds = data.get("seconds")
        return cls(
            completed_at=data.get("completed_at"),
            steps={str(key): StepRecord.from_json(value) for key, value in steps.items()},
            values={str(key): str(value) for key, value in values.items()},
            created=[{str(k): str(v) for k, v in item.items()} for item in created
                     if isinstance(item, dict)],
            seconds=float(seconds) if isinstance(seconds, (int, float)) else 0.0,
        )


def new_learner_id() -> str:
    return secrets.token_hex(6)


@dataclass
class Progress:
    current_lesson: str | None = None
    current_step: str | None = None  # a step id: survives steps being added to a lesson
    lessons: dict[str, LessonRecord] = field(default_factory=dict)
    # Labels what this learner's commands create, so a shared engine can tell whose it is.
    learner: str = field(default_factory=new_learner_id, compare=False)
    quiz: QuizRecord = field(default_factory=QuizRecord)

    def lesson(self, lesson_id: str) -> LessonRecord:
        return self.lessons.setdefault(lesson_id, LessonRecord())

    def adopt(self, other: Progress) -> None:
        """Take ``other``'s records (a merge's result): its lessons and its quizzes."""
        self.adopt_lessons(other)
        self.quiz = other.quiz

    def adopt_lessons(self, other: Progress) -> None:
        """Take ``other``'s lesson records, updating the records this one holds in place
        (the practice session keeps a reference to the open lesson's record)."""
        for lesson_id in [key for key in self.lessons if key not in other.lessons]:
            del self.lessons[lesson_id]
        for lesson_id, record in other.lessons.items():
            mine = self.lessons.get(lesson_id)
            if mine is None:
                self.lessons[lesson_id] = record
                continue
            mine.completed_at = record.completed_at
            mine.steps.clear()
            mine.steps.update(record.steps)
            mine.values.clear()
            mine.values.update(record.values)
            mine.created[:] = record.created
            mine.seconds = record.seconds

    def to_json(self) -> dict[str, Any]:
        current = None
        if self.current_lesson:
            current = {"lesson": self.current_lesson, "step": self.current_step}
        return {
            "version": FORMAT_VERSION,
            "learner": self.learner,
            "current": current,
            "lessons": {key: record.to_json() for key, record in self.lessons.items()},
            "quiz": self.quiz.to_json(),
        }

    @classmethod
    def from_json(cls, data: Any) -> Progress:
        if not isinstance(data, dict) or data.get("version") not in READABLE_VERSIONS:
            raise ValueError("not a docker-tutor progress file of a known version")
        current = data.get("current") or {}
        lessons = data.get("lessons") or {}
        if not isinstance(current, dict) or not isinstance(lessons, dict):
            raise ValueError("progress file has the wrong shape")
        learner = data.get("learner")
        return cls(
            current_lesson=current.get("lesson"),
            current_step=current.get("step"),
            lessons={str(key): LessonRecord.from_json(value) for key, value in lessons.items()},
            learner=learner if isinstance(learner, str) and learner else new_learner_id(),
            quiz=QuizRecord.from_json(data.get("quiz")),
        )


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")
