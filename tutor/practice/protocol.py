"""What the conversation may ask of the practice side, and the values it gets back.

Both sides import this module: ``tutor.practice.session.PracticeSession``
implements :class:`Practice`; the REPL uses it and nothing else of the practice
package, so a conversation can run with a fake practice, or none (concept
lessons and quizzes need no engine).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from tutor.course.lesson import Lesson, Step
    from tutor.progress import LessonRecord
    from tutor.steps.command import CommandStep


@dataclass
class Outcome:
    """What running a command led to."""

    passed: bool = False
    # Set when the command needs a yes before it runs: (question, what to do on yes).
    confirm: tuple[str, Callable[[], Outcome]] | None = None


@dataclass(frozen=True)
class EngineLine:
    """The engine's state for the toolbar: a few words, and whether it answers
    (None while the first probe is under way)."""

    text: str
    ok: bool | None


@dataclass(frozen=True)
class Failure:
    """The last thing that went wrong in practice, for "why did that fail?"."""

    command: str | None = None  # the docker command that failed (None: a check failed)
    output: str = ""  # the last lines docker printed
    tips: tuple[str, ...] = ()  # what the tutor made of docker's message
    missing: tuple[str, ...] = ()  # what the step's check found missing
    hints: tuple[str, ...] = ()  # the check's own hints


def describe_created(item: Mapping[str, str]) -> str:
    """``container web`` / ``image hello:1``: a resource the learner created, in words."""
    if item.get("kind") == "container":
        return f"container {item.get('name') or item.get('id', '')[:12]}"
    if item.get("kind") == "compose":
        count = int(item.get("containers") or 0)
        return (f"Compose project {item.get('name')} ({count} container{'s' * (count != 1)}, "
                "with its networks and volumes)")
    if item.get("kind") in ("volume", "network"):
        return f"{item.get('kind')} {item.get('name')}"
    return f"image {item.get('ref')}"


def is_moved_name(item: Mapping[str, str]) -> bool:
    """A name that existed before the learner's command moved it to another image: the
    name was theirs before the lesson, so it is reported, never removed."""
    return item.get("kind") == "image" and bool(item.get("replaced"))


class Practice(Protocol):
    """Runs docker commands and judges practice steps against the engine."""

    @property
    def workspace(self) -> Path:
        """The current lesson's directory, where commands run."""

    def begin_lesson(self, lesson: Lesson, record: LessonRecord) -> None:
        """A lesson opens: its workspace, its vars' values and its resources live in record."""

    def run_command(self, line: str, lesson_id: str | None, step: CommandStep | None) -> Outcome:
        """Run what the learner typed; for a practice step, passed when it now passes."""

    def check_step(self, lesson_id: str, step: CommandStep) -> bool:
        """Judge the step against the engine without running anything."""

    def enter_step(self, lesson_id: str, step: CommandStep) -> dict[str, str]:
        """Prepare what the step needs (fixtures); returns its template values."""

    def leave_step(self, lesson_id: str, step: CommandStep) -> None:
        """Remove what the step set up."""

    def values_for(self, step: Step) -> dict[str, str]:
        """The template values of a step: as chosen and recorded, else the defaults."""

    def created_in_lesson(self) -> list[dict[str, str]]:
        """What the learner created in this lesson that still exists."""

    def remove_created(self, items: list[dict[str, str]]) -> list[str]:
        """Remove those resources; returns what was removed, in words."""

    def edit(self, name: str) -> None:
        """Open a file of the lesson's workspace in the learner's editor."""

    def plain_problem(self) -> str | None:
        """Without waiting: why no engine answers, with the fix, when that is plain at
        once (a local socket that is missing or refuses); None otherwise."""

    def last_failure(self) -> Failure | None:
        """What went wrong last in this lesson: a failed command or a failed check."""

    def containers_summary(self) -> list[str]:
        """The learner's containers (made through the tutor) and this step's, one line each:
        name, state, image, published ports."""

    def watch_engine(self, changed: Callable[[], None]) -> None:
        """Call ``changed`` (from any thread) when the engine starts or stops answering."""

    def status(self) -> EngineLine:
        """The engine's state for the toolbar; never waits on the engine."""

    def known_names(self, kind: str) -> tuple[str, ...]:
        """Container names ("container") or image tags ("image") for completion: the
        same tuple while they are unchanged, so the completer can reuse what it made."""
