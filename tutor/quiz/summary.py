"""The end of a round: the score, results per topic, what to review next, and when the
next review falls due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.table import Table

from tutor.progress.reviews import AGAIN, HARD
from tutor.quiz.questions import collect_questions
from tutor.quiz.standing import next_due
from tutor.render import blocks as show

if TYPE_CHECKING:
    from rich.console import Console

    from tutor.course.lesson import Course
    from tutor.progress import Progress
    from tutor.quiz.questions import QuizQuestion


@dataclass(frozen=True)
class Result:
    question: QuizQuestion
    rating: int | None  # None: not asked (a challenge without an engine)

    @property
    def right(self) -> bool:
        return self.rating is not None and self.rating != AGAIN


@dataclass(frozen=True)
class TopicResult:
    topic: str
    right: int
    asked: int


@dataclass(frozen=True)
class RoundSummary:
    right: int
    asked: int
    helped: int  # right after a hint
    skipped: int  # challenges that could not run
    planned: int
    early: bool  # ended with /stop
    topics: tuple[TopicResult, ...]
    missed: tuple[QuizQuestion, ...]
    review_topics: tuple[str, ...]  # topics with misses, the most missed first
    next_due: datetime | None
    next_due_count: int
    now: datetime

    @property
    def percent(self) -> int:
        return round(100 * self.right / self.asked) if self.asked else 0

    @classmethod
    def of(cls, results: list[Result], progress: Progress, course: Course, now: datetime,
           early: bool = False, planned: int = 0) -> RoundSummary:
        answered = [result for result in results if result.rating is not None]
        per_topic: dict[str, list[int]] = {}
        for result in answered:
            for topic in result.question.topics:
                row = per_topic.setdefault(topic, [0, 0])
                row[0] += result.right
                row[1] += 1
        missed = tuple(result.question for result in answered if not result.right)
        misses = {topic: asked - right for topic, (right, asked) in per_topic.items()
                  if asked - right}
        upcoming = next_due(collect_questions(course), progress, now)
        return cls(
            right=sum(result.right for result in answered), asked=len(answered),
            helped=sum(1 for result in answered if result.rating == HARD),
            skipped=len(results) - len(answered), planned=planned or len(results), early=early,
            topics=tuple(TopicResult(topic, right, asked)
                         for topic, (right, asked) in per_topic.items()),
            missed=missed,
            review_topics=tuple(sorted(misses, key=lambda topic: -misses[topic])),
            next_due=upcoming[0] if upcoming else None,
            next_due_count=upcoming[1] if upcoming else 0, now=now)


def when(moment: datetime, now: datetime) -> str:
    """A due date in words: "in 10 minutes", "in 5 hours", "tomorrow", "in 4 days"."""
    seconds = (moment - now).total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 90:
        return "in a minute"
    if seconds < 3600:
        minutes = round(seconds / 60)
        return f"in {minutes} minute{'s' if minutes != 1 else ''}"
    if seconds < 20 * 3600:
        hours = round(seconds / 3600)
        return f"in {hours} hour{'s' if hours != 1 else ''}"
    days = (moment.astimezone().date() - now.astimezone().date()).days
    if days <= 1:
        return "tomorrow"
    return f"in {days} days ({moment.astimezone():%d %b})"


def next_review(moment: datetime, count: int, now: datetime) -> str:
    then = "1 question" if count == 1 else f"{count} questions within the hour"
    return f"Next review: {when(moment, now)} ({then})."


def show_summary(console: Console, summary: RoundSummary, course: Course) -> None:
    console.print()
    if not summary.asked:
        show.say(console, "Round over: no question was answered." if summary.early
                 else "Round over.", "tutor.heading")
    else:
        ended = " (ended early)" if summary.early else ""
        helped = f", {summary.helped} with a hint" if summary.helped else ""
        show.say(console, f"Round over{ended}: {summary.right} of {summary.asked} right "
                 f"({summary.percent}%){helped}.", "tutor.heading")
    if summary.skipped:
        show.say(console, f"{summary.skipped} practical challenge"
                 f"{'s' if summary.skipped != 1 else ''} skipped (no engine).", "tutor.muted")
    if summary.topics:
        table = Table(show_edge=False, pad_edge=False)
        table.add_column("topic")
        table.add_column("right", justify="right")
        for row in summary.topics:
            table.add_row(course.topic_title(row.topic), f"{row.right}/{row.asked}")
        console.print(Padding(table, show.INDENT))
    if summary.review_topics:
        first = summary.review_topics[0]
        show.say(console, "Review next: " + ", ".join(course.topic_title(topic)
                                                      for topic in summary.review_topics)
                 + f" (/quiz {first}).", "tutor.hint")
        lessons = dict.fromkeys(question.lesson for question in summary.missed)
        show.bullets(console, [f"{question.title} (lesson “{question.lesson.title}”)"
                               for question in summary.missed])
        if lessons:
            lesson = next(iter(lessons))
            show.say(console, f"To go over it again: /start {lesson.id}", "tutor.muted")
    elif summary.asked:
        show.say(console, "Nothing to review from this round.", "tutor.done")
    if summary.next_due is not None:
        count = summary.next_due_count
        show.say(console, next_review(summary.next_due, count, summary.now), "tutor.muted")
