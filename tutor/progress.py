"""The learner's progress: where they are and what they have done, saved atomically.

Saved after every step. A file that cannot be read is moved aside (never
deleted) and the learner is told, so nothing is ever lost silently.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1

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

    @property
    def completed(self) -> bool:
        return self.completed_at is not None

    def step(self, step_id: str) -> StepRecord:
        return self.steps.setdefault(step_id, StepRecord())

    def to_json(self) -> dict[str, Any]:
        return {"completed_at": self.completed_at,
                "steps": {key: record.to_json() for key, record in self.steps.items()},
                "values": dict(self.values),
                "created": [dict(item) for item in self.created]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LessonRecord:
        steps = data.get("steps") or {}
        values = data.get("values") or {}
        created = data.get("created") or []
        return cls(
            completed_at=data.get("completed_at"),
            steps={str(key): StepRecord.from_json(value) for key, value in steps.items()},
            values={str(key): str(value) for key, value in values.items()},
            created=[{str(k): str(v) for k, v in item.items()} for item in created
                     if isinstance(item, dict)],
        )


@dataclass
class Progress:
    current_lesson: str | None = None
    current_step: str | None = None  # a step id: survives steps being added to a lesson
    lessons: dict[str, LessonRecord] = field(default_factory=dict)

    def lesson(self, lesson_id: str) -> LessonRecord:
        return self.lessons.setdefault(lesson_id, LessonRecord())

    def to_json(self) -> dict[str, Any]:
        current = None
        if self.current_lesson:
            current = {"lesson": self.current_lesson, "step": self.current_step}
        return {
            "version": FORMAT_VERSION,
            "current": current,
            "lessons": {key: record.to_json() for key, record in self.lessons.items()},
        }

    @classmethod
    def from_json(cls, data: Any) -> Progress:
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            raise ValueError("not a docker-tutor progress file of a known version")
        current = data.get("current") or {}
        lessons = data.get("lessons") or {}
        if not isinstance(current, dict) or not isinstance(lessons, dict):
            raise ValueError("progress file has the wrong shape")
        return cls(
            current_lesson=current.get("lesson"),
            current_step=current.get("step"),
            lessons={str(key): LessonRecord.from_json(value) for key, value in lessons.items()},
        )


def now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


@dataclass
class LoadResult:
    progress: Progress
    # Set when the old file could not be read and was moved aside.
    backup: Path | None = None
    problem: str | None = None


class ProgressStore:
    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> LoadResult:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return LoadResult(Progress())
        except OSError as error:
            # Unreadable (permissions): leave it where it is; saving will report too.
            return LoadResult(Progress(), problem=f"cannot read {self.path}: {error.strerror}")
        try:
            return LoadResult(Progress.from_json(json.loads(data.decode("utf-8"))))
        except (ValueError, TypeError, AttributeError) as error:  # UnicodeDecodeError too
            backup = self._set_aside()
            return LoadResult(Progress(), backup=backup, problem=str(error))

    def _set_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        counter = 1
        while backup.exists():
            backup = self.path.with_name(f"{self.path.name}.corrupt-{stamp}-{counter}")
            counter += 1
        os.replace(self.path, backup)
        return backup

    def save(self, progress: Progress) -> None:
        """Write to a temporary file beside the target, then rename over it.

        A crash mid-write leaves the previous file intact: rename is atomic on POSIX.
        """
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = json.dumps(progress.to_json(), indent=2, sort_keys=True) + "\n"
        fd, temp_name = tempfile.mkstemp(prefix=".progress-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp_name, self.path)
        except BaseException:
            try:
                os.unlink(temp_name)
            except FileNotFoundError:
                pass
            raise
