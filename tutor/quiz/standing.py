"""Where the learner stands in the quiz questions, read from progress alone (the
scheduler is not loaded: the start screen and /progress use this).

- due: the scheduler's due date has come;
- missed: the last answer was wrong;
- mastered: the last answer was right and the question has left FSRS's short
  learning steps (its card is in the Review state) and is not due;
- a topic's mastery: the share of its questions that are mastered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from tutor.progress.reviews import AGAIN, QuestionRecord
from tutor.quiz.schedule import from_iso

if TYPE_CHECKING:
    from tutor.progress import Progress
    from tutor.quiz.entries import Filed

AnyFiled = TypeVar("AnyFiled", bound="Filed")
REVIEW_STATE = 2  # fsrs.State.Review


def due_at(record: QuestionRecord | None) -> datetime | None:
    return from_iso(record.due) if record is not None and record.due else None


def is_due(record: QuestionRecord | None, now: datetime) -> bool:
    due = due_at(record)
    return due is not None and due <= now


def is_missed(record: QuestionRecord | None) -> bool:
    return record is not None and record.last_rating == AGAIN


def is_mastered(record: QuestionRecord | None, now: datetime) -> bool:
    if record is None or record.card is None or record.last_rating in (None, AGAIN):
        return False
    return record.card.get("state") == REVIEW_STATE and not is_due(record, now)


@dataclass(frozen=True)
class TopicStanding:
    topic: str
    questions: int
    answered: int  # answered at least once
    mastered: int
    due: int

    @property
    def mastery(self) -> float:
        return self.mastered / self.questions if self.questions else 0.0


def topic_standings(questions: Iterable[Filed], progress: Progress,
                    now: datetime) -> dict[str, TopicStanding]:
    counts: dict[str, list[int]] = {}
    for question in questions:
        record = progress.quiz.questions.get(question.key)
        answered = record is not None and bool(record.reviews)
        for topic in question.topics:
            row = counts.setdefault(topic, [0, 0, 0, 0])
            row[0] += 1
            row[1] += answered
            row[2] += is_mastered(record, now)
            row[3] += is_due(record, now)
    return {topic: TopicStanding(topic, *row) for topic, row in counts.items()}


def due_questions(questions: Iterable[AnyFiled], progress: Progress,
                  now: datetime) -> list[AnyFiled]:
    return [question for question in questions
            if is_due(progress.quiz.questions.get(question.key), now)]


def next_due(questions: Iterable[Filed], progress: Progress,
             now: datetime) -> tuple[datetime, int] | None:
    """When the next question falls due (after now), and how many fall due then (within
    the hour)."""
    dates = sorted(due for question in questions
                   if (due := due_at(progress.quiz.questions.get(question.key))) is not None
                   and due > now)
    if not dates:
        return None
    first = dates[0]
    return first, sum(1 for due in dates if (due - first).total_seconds() <= 3600)
