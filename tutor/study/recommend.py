"""What next: the next lesson whose prerequisites are done, quiz questions due for
review, or a quiz on the weakest topic the learner has studied.

Read from progress alone (the scheduler is not loaded), so the start screen can say it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from tutor.quiz.entries import quiz_entries, topic_ids
from tutor.quiz.standing import TopicStanding, due_questions, topic_standings

if TYPE_CHECKING:
    from tutor.course.lesson import Course, Lesson
    from tutor.progress import Progress


def is_done(progress: Progress, lesson_id: str) -> bool:
    record = progress.lessons.get(lesson_id)
    return bool(record and record.completed)


def missing_prerequisites(course: Course, progress: Progress, lesson: Lesson) -> list[str]:
    return [required for required in lesson.requires if not is_done(progress, required)
            and course.lesson(required) is not None]


def next_lesson(course: Course, progress: Progress) -> Lesson | None:
    """The first unfinished lesson whose prerequisites are done; else the first unfinished."""
    unfinished = [lesson for lesson in course.lessons if not is_done(progress, lesson.id)]
    for lesson in unfinished:
        if not missing_prerequisites(course, progress, lesson):
            return lesson
    return unfinished[0] if unfinished else None


@dataclass(frozen=True)
class Recommendation:
    lesson: Lesson | None  # the next lesson to take, if any is left
    due: int  # quiz questions due for review now
    weakest: TopicStanding | None  # the weakest topic of the lessons done

    def quiz_advice(self, course: Course) -> str | None:
        """The quiz part of the advice, in a sentence (None: nothing to say)."""
        if self.due:
            return (f"{self.due} quiz question{'s are' if self.due != 1 else ' is'} due for "
                    "review: /quiz goes over them.")
        if self.weakest is not None and (self.lesson is None or self.weakest.answered):
            title = course.topic_title(self.weakest.topic)
            return (f"Your weakest topic: {title} ({round(100 * self.weakest.mastery)}% "
                    f"mastered). /quiz {self.weakest.topic} practises it.")
        return None


def recommend(course: Course, progress: Progress, now: datetime) -> Recommendation:
    # Only lessons done or quizzed on can have standings or reviews due: the others
    # are not even looked at (the start screen says this, for a course of any size).
    relevant = {lesson.id for lesson in course.lessons if is_done(progress, lesson.id)}
    relevant |= {key.split("/", 1)[0] for key in progress.quiz.questions}
    questions = quiz_entries(course, relevant)
    studied = [question for question in questions if is_done(progress, question.lesson_id)]
    standings = topic_standings(studied, progress, now)
    order = topic_ids(course, studied)
    weak = [standings[topic] for topic in order if standings[topic].mastery < 1.0]
    weakest = min(weak, key=lambda standing: standing.mastery) if weak else None
    return Recommendation(lesson=next_lesson(course, progress),
                          due=len(due_questions(questions, progress, now)), weakest=weakest)
