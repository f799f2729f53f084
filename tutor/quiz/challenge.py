"""Practical challenges in a quiz: a practice step done for real, through the practice
session the conversation already has (``tutor.practice.protocol``).

A challenge is set up and cleaned up like the practice step it is (its fixtures are
labelled; only the tutor's own are removed), in a lesson place of its own: the values
it chooses and what the learner's commands make are kept in a record for the round,
never in a lesson's. Without an engine a challenge is skipped with one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.progress import LessonRecord
from tutor.steps.quizfields import QUIZ_LESSON_ID, challenge_lesson

if TYPE_CHECKING:
    from tutor.practice.protocol import Outcome, Practice
    from tutor.steps.command import CommandStep


class Challenges:
    def __init__(self, practice: Practice | None) -> None:
        self.practice = practice
        self.record = LessonRecord()
        self.used = False  # a challenge was set up: the conversation's lesson is restored

    def unavailable(self) -> str | None:
        """Why no challenge can run now, in a few words; None when the engine may answer."""
        if self.practice is None:
            return "this session does not run docker commands"
        problem = self.practice.plain_problem()
        if problem:
            return problem
        status = self.practice.status()
        if status.ok is False:
            return status.text
        return None

    def enter(self, step: CommandStep) -> dict[str, str] | None:
        """Set the challenge up; its template values, or None when the engine failed us
        (the practice session has said why)."""
        assert self.practice is not None
        self.used = True
        self.practice.begin_lesson(challenge_lesson(step), self.record)
        values = self.practice.enter_step(QUIZ_LESSON_ID, step)
        if self.practice.status().ok is False:
            self.practice.leave_step(QUIZ_LESSON_ID, step)
            return None
        return values

    def run(self, line: str, step: CommandStep) -> Outcome:
        assert self.practice is not None
        return self.practice.run_command(line, QUIZ_LESSON_ID, step)

    def check(self, step: CommandStep) -> bool:
        assert self.practice is not None
        return self.practice.check_step(QUIZ_LESSON_ID, step)

    def leave(self, step: CommandStep) -> None:
        if self.practice is not None:
            self.practice.leave_step(QUIZ_LESSON_ID, step)

    def made(self) -> list[dict[str, str]]:
        """What the learner's commands made in this round's challenges that is still there."""
        if self.practice is None or not self.used:
            return []
        try:
            return self.practice.created_in_lesson()
        except Exception:  # the engine went away: the resources keep the learner's label
            return []
