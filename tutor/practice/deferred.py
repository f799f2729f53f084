"""The practice side as the conversation gets it at start: the session is made when first
needed, after the first prompt.

Importing the practice session brings the checks, the runner and the advice along
(about a tenth of a start's time). Before the first prompt the tutor asks only the
engine's plain problem, for the start screen, and registers the toolbar's redraw; both
go to the engine object, which the session then takes over, so the toolbar's probe and
the session's commands talk to one engine.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.practice.protocol import EngineLine, Failure, Outcome, Practice
from tutor.practice.reach import engine_for, plain_problem_in_words

if TYPE_CHECKING:
    from tutor.course.lesson import Lesson, Step
    from tutor.engine.connection import Engine
    from tutor.environment import Environment
    from tutor.progress import LessonRecord
    from tutor.steps.command import CommandStep


class DeferredPractice:
    """A :class:`~tutor.practice.protocol.Practice` whose session is made on first use."""

    def __init__(self, env: Environment, learner: str,
                 make: Callable[[Environment, Engine, str], Practice] | None = None) -> None:
        self.env = env
        self.learner = learner
        self._make = make or _practice_session
        self._engine: Engine | None = None
        self._session: Practice | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = engine_for(self.env)
        return self._engine

    @property
    def started(self) -> bool:
        """Whether the session has been made (tests, and the start-up figures)."""
        return self._session is not None

    @property
    def session(self) -> Practice:
        if self._session is None:
            self._session = self._make(self.env, self.engine, self.learner)
        return self._session

    # -- asked before the first prompt: the engine alone answers ---------------------------

    def plain_problem(self) -> str | None:
        return plain_problem_in_words(self.engine)

    def watch_engine(self, changed: Callable[[], None]) -> None:
        self.engine.listeners.append(changed)

    # -- everything else is the session's ---------------------------------------------------

    @property
    def workspace(self) -> Path:
        return self.session.workspace

    def begin_lesson(self, lesson: Lesson, record: LessonRecord) -> None:
        self.session.begin_lesson(lesson, record)

    def run_command(self, line: str, lesson_id: str | None, step: CommandStep | None) -> Outcome:
        return self.session.run_command(line, lesson_id, step)

    def check_step(self, lesson_id: str, step: CommandStep) -> bool:
        return self.session.check_step(lesson_id, step)

    def enter_step(self, lesson_id: str, step: CommandStep) -> dict[str, str]:
        return self.session.enter_step(lesson_id, step)

    def leave_step(self, lesson_id: str, step: CommandStep) -> None:
        self.session.leave_step(lesson_id, step)

    def values_for(self, step: Step) -> dict[str, str]:
        return self.session.values_for(step)

    def created_in_lesson(self) -> list[dict[str, str]]:
        return self.session.created_in_lesson()

    def remove_created(self, items: list[dict[str, str]]) -> list[str]:
        return self.session.remove_created(items)

    def edit(self, name: str) -> None:
        self.session.edit(name)

    def last_failure(self) -> Failure | None:
        return self.session.last_failure()

    def containers_summary(self) -> list[str]:
        return self.session.containers_summary()

    def status(self) -> EngineLine:
        # The toolbar's first draw comes after the first prompt: the session (which also
        # warms the completion names once the engine answers) is made then.
        return self.session.status()

    def known_names(self, kind: str) -> tuple[str, ...]:
        return self.session.known_names(kind)


def _practice_session(env: Environment, engine: Engine, learner: str) -> Practice:
    from tutor.practice.session import PracticeSession

    return PracticeSession(env, engine=engine, learner=learner)
