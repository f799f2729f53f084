"""Which questions a round asks, and in what order.

First the questions the learner missed that are due again, then the other due ones
(the most overdue first), then new ones (from lessons the learner has opened before
the others), then questions not due yet that are not mastered (still in FSRS's short
learning steps, or missed last time). A mastered question comes only when it is due,
so a well-known question comes up rarely; only a round that would otherwise be empty
takes mastered ones, those due soonest first. One question per step per round;
practical challenges take time, so a round has few of them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tutor.quiz.standing import due_at, is_due, is_mastered, is_missed

if TYPE_CHECKING:
    from tutor.progress import Progress
    from tutor.quiz.questions import QuizQuestion

MISSED, DUE, NEW, AHEAD, KNOWN = "missed", "due", "new", "ahead", "known"
DEFAULT_COUNT = 10


@dataclass(frozen=True)
class Pick:
    question: QuizQuestion
    reason: str  # MISSED, DUE, NEW or AHEAD


def matching(questions: Sequence[QuizQuestion], topic: str | None) -> list[QuizQuestion]:
    """The questions of a topic (a topic id or a lesson id); all without one."""
    if not topic:
        return list(questions)
    return [q for q in questions if topic in q.topics or q.lesson.id == topic]


def pick_round(questions: Sequence[QuizQuestion], progress: Progress, now: datetime,
               count: int = DEFAULT_COUNT, rng: random.Random | None = None,
               challenges: bool = True) -> list[Pick]:
    rng = rng or random.Random()
    records = progress.quiz.questions
    opened = {lesson_id for lesson_id, record in progress.lessons.items()
              if record.completed or record.steps}
    groups: dict[str, list[QuizQuestion]] = {MISSED: [], DUE: [], NEW: [], AHEAD: [], KNOWN: []}
    for question in questions:
        record = records.get(question.key)
        if record is None or not record.reviews:
            groups[NEW].append(question)
        elif is_due(record, now):
            groups[MISSED if is_missed(record) else DUE].append(question)
        else:
            groups[KNOWN if is_mastered(record, now) else AHEAD].append(question)

    def when_due(question: QuizQuestion) -> datetime:
        return due_at(records.get(question.key)) or now

    groups[MISSED].sort(key=when_due)
    groups[DUE].sort(key=when_due)
    groups[AHEAD].sort(key=when_due)  # due soonest: the least secure
    groups[KNOWN].sort(key=when_due)
    fresh = groups[NEW]
    rng.shuffle(fresh)  # variety among new ones, lessons the learner opened first
    fresh.sort(key=lambda question: question.lesson.id not in opened)

    limit = max(1, count // 5) if challenges else 0
    picks: list[Pick] = []
    steps: set[tuple[str, str]] = set()
    for reason in (MISSED, DUE, NEW, AHEAD, KNOWN):
        if reason == KNOWN and picks:
            break  # well-known questions wait until they are due
        for question in groups[reason]:
            if len(picks) >= count:
                return picks
            where = (question.lesson.id, question.step.id)
            if where in steps:
                continue
            if question.is_challenge:
                if limit <= 0:
                    continue
                limit -= 1
            steps.add(where)
            picks.append(Pick(question, reason))
    return picks
