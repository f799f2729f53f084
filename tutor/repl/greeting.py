"""What the tutor says when a session starts: welcome back at the step the learner left,
or hello, the lessons (the few around the next one in a long course), and whether the
engine answers. It fits one screen: /lessons lists every lesson."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.render import blocks as show
from tutor.render import tables
from tutor.study import after

if TYPE_CHECKING:
    from tutor.course.lesson import Lesson
    from tutor.repl.conversation import Conversation

# A course longer than this greets with the lessons around the next one, not all...
GREETING_ROWS = 12
# ...and fewer on a short terminal: the lines around the table (banner, hello, title,
# what to do next, a note about the engine) take about this many.
LINES_AROUND_TABLE = 14
FEWEST_ROWS = 4


def greet(conv: Conversation) -> None:
    if conv.lesson is not None:
        welcome_back(conv, conv.lesson)
        return
    show.say(conv.console, "Hi! I'm your Docker tutor. We'll go through short lessons; "
             "I explain, ask questions and, in practice steps, check what you do "
             "against a real Docker engine.", "tutor.heading")
    upcoming = conv.next_lesson()
    greeting_table(conv, upcoming)
    say_if_no_engine(conv)
    if upcoming:
        show.say(conv.console, f"Press Enter to start “{upcoming.title}”, "
                 "/start <lesson> for another, or /help for all commands.")
    else:
        show.say(conv.console, "You have finished every lesson. /start <lesson> to revisit one.")
    after.say_quiz_advice(conv)


def welcome_back(conv: Conversation, lesson: Lesson) -> None:
    show.say(conv.console,
             f"Welcome back! Picking up “{lesson.title}” at step {conv.index + 1}.",
             "tutor.heading")
    after.say_quiz_advice(conv, due_only=True)
    step = lesson.steps[conv.index]
    if step.practice_task() is not None and conv.practice is not None:
        # Set up on Enter: the engine may be slow, and the learner may want another step.
        conv.show_header()
        show.say(conv.console, "This is a practice step. Press Enter to set it up and "
                 "see the task.", "tutor.muted")
        conv.defer_setup()
        return
    conv.show_step()


def greeting_rows(terminal_height: int) -> int:
    return max(FEWEST_ROWS, min(GREETING_ROWS, terminal_height - LINES_AROUND_TABLE))


def greeting_table(conv: Conversation, upcoming: Lesson | None) -> None:
    """The lessons, or for a long course the few around the next one, one line each."""
    lessons = conv.course.lessons
    rows = greeting_rows(conv.console.height)
    if len(lessons) <= rows:
        tables.lesson_table(conv.console, conv.course, conv.progress, compact=True)
        return
    done = sum(1 for lesson in lessons if conv.lesson_record(lesson).completed)
    start = lessons.index(upcoming) if upcoming is not None else len(lessons) - rows
    start = max(0, min(start - 1, len(lessons) - rows))
    tables.lesson_table(conv.console, conv.course, conv.progress,
                        rows=range(start, start + rows), compact=True)
    show.say(conv.console, f"{len(lessons)} lessons in all, {done} done: /lessons lists "
             "every one.", "tutor.muted")


def say_if_no_engine(conv: Conversation) -> None:
    """On the start screen: in words, when the engine is plainly not there."""
    if conv.practice is None or not any(lesson.needs_engine for lesson in conv.course.lessons):
        return
    problem = conv.practice.plain_problem()
    if problem is not None:
        show.say(conv.console, "Practice lessons (“needs engine”) run your docker commands "
                 f"against a Docker engine, and none answers here: {problem} Concept "
                 "lessons and quizzes work without it; `docker-tutor doctor` tells more.",
                 "tutor.warning")
