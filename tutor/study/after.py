"""The conversation's small hooks for self-study: time spent, the recap at the end of a
lesson, and the quiz part of "what next"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.render import blocks as show

if TYPE_CHECKING:
    from tutor.course.lesson import Lesson
    from tutor.repl.conversation import Conversation


def count_time(conv: Conversation) -> None:
    """The time since the last line goes to what the learner was doing: a quiz or a lesson."""
    spent = conv.timer.tick()
    if conv.activity is not None:
        conv.progress.quiz.seconds += spent
    elif conv.lesson is not None:
        conv.progress.lesson(conv.lesson.id).seconds += spent


def recap(conv: Conversation, lesson: Lesson) -> None:
    """At the end of a lesson: the cheat sheet of the commands it taught, if any."""
    from tutor.study.recap import cheat_sheet, show_recap

    if cheat_sheet(lesson):
        show_recap(conv.console, lesson)


def say_quiz_advice(conv: Conversation, due_only: bool = False) -> None:
    """Quiz questions due for review, or the weakest topic, in one line."""
    from tutor.study.recommend import recommend

    found = recommend(conv.course, conv.progress, conv.clock())
    advice = found.quiz_advice(conv.course) if found.due or not due_only else None
    if advice:
        show.say(conv.console, advice, "tutor.hint")
