"""Where a lesson file is wrong, said so an author can go straight to the spot."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Where:
    """The place being validated: file, lesson, step and field."""

    file: Path
    lesson: str | None = None
    step: str | None = None
    step_number: int | None = None  # 1-based, so an author can count
    field: str | None = None

    # Built directly rather than with dataclasses.replace: a large course asks for
    # hundreds of thousands of these, and replace is several times slower.
    def at_step(self, step_id: str | None, number: int) -> Where:
        return Where(self.file, self.lesson, step_id, number, None)

    def at_field(self, name: str) -> Where:
        field = f"{self.field}.{name}" if self.field else name
        return Where(self.file, self.lesson, self.step, self.step_number, field)

    def at_item(self, index: int) -> Where:
        field = f"{self.field}[{index + 1}]" if self.field else f"[{index + 1}]"
        return Where(self.file, self.lesson, self.step, self.step_number, field)


@dataclass(frozen=True)
class LessonProblem:
    where: Where
    message: str
    line: int | None = None
    # A warning does not stop the lesson from loading; lint still shows it.
    warning: bool = False

    def __str__(self) -> str:
        location = str(self.where.file)
        if self.line is not None:
            location += f":{self.line}"
        parts = []
        if self.where.lesson:
            parts.append(f"lesson '{self.where.lesson}'")
        if self.where.step_number is not None:
            label = f"step {self.where.step_number}"
            if self.where.step:
                label = f"step '{self.where.step}' (#{self.where.step_number})"
            parts.append(label)
        if self.where.field:
            parts.append(f"field '{self.where.field}'")
        context = ", ".join(parts)
        message = f"warning: {self.message}" if self.warning else self.message
        return f"{location}: {context}: {message}" if context else f"{location}: {message}"

