"""The lesson being practised: its record in progress and its workspace folder."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.progress import LessonRecord

if TYPE_CHECKING:
    from tutor.course.lesson import Lesson


@dataclass
class LessonPlace:
    root: Path  # the workspace root: one folder per lesson below it
    lesson: Lesson | None = None
    # The lesson's vars' values and what the learner created live in its record, so
    # they survive a restart.
    record: LessonRecord = field(default_factory=LessonRecord)

    @property
    def workspace(self) -> Path:
        """Where the learner's commands run: one directory per lesson."""
        return self.root if self.lesson is None else self.root / self.lesson.id
