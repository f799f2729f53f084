"""The progress report on the terminal (/progress, ``docker-tutor progress``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from tutor.render.blocks import INDENT, say
from tutor.study.report import Report, bar
from tutor.study.timing import duration, short_duration

if TYPE_CHECKING:
    from rich.console import Console


def show_report(console: Console, report: Report, now: datetime) -> None:
    # Narrower windows get shorter headers, a shorter bar, no percentages and (below 80
    # columns) no "skipped": numbers are never cut, only the lesson titles wrap.
    wide, narrow = console.width >= 100, console.width < 80
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("lesson", min_width=10, overflow="fold")  # a long word breaks, never cut
    headers = ["steps", "questions right first time" if wide else "first try" if not narrow
               else "first", "hints", *(() if narrow else ("skipped",)), "time"]
    for header in headers:
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("progress" if not narrow else "", no_wrap=True)
    for line in report.lessons:
        done = line.status == "done"
        progress = bar(line.fraction, 10 if wide else 5)
        if not narrow:
            progress += f" {round(100 * line.fraction)}%"
        spent = (duration(line.seconds) if wide else short_duration(line.seconds)) \
            if line.seconds >= 1 else ""
        cells = [f"{line.steps_done}/{line.steps}", f"{line.first_try}/{line.questions}",
                 str(line.hints), *(() if narrow else (str(line.skipped),)), spent]
        table.add_row(Text(line.title, style="tutor.done" if done else ""), *cells,
                      Text(progress, style="tutor.done" if done else "tutor.hint"))
    console.print(Padding(table, INDENT))
    say(console, f"{report.lessons_done} of {len(report.lessons)} lessons complete.",
        "tutor.heading")
    if report.lesson_seconds + report.quiz_seconds >= 1:
        say(console, f"Time spent: {duration(report.lesson_seconds)} in lessons, "
                     f"{duration(report.quiz_seconds)} in quizzes.", "tutor.muted")
    _quiz(console, report, now)
    for advice in report.advice:
        say(console, advice)


def _quiz(console: Console, report: Report, now: datetime) -> None:
    from tutor.quiz.schedule import from_iso
    from tutor.quiz.summary import next_review

    if not any(topic.answered for topic in report.topics):
        say(console, "No quiz taken yet: /quiz asks a round of questions from the lessons.",
            "tutor.muted")
        return
    table = Table(show_edge=False, pad_edge=False, title="Quiz mastery", title_justify="left")
    table.add_column("topic", min_width=10)
    table.add_column("mastered", no_wrap=True)
    table.add_column("answered", justify="right", no_wrap=True)
    table.add_column("due", justify="right", no_wrap=True)
    width = 10 if console.width >= 80 else 5
    for topic in report.topics:
        table.add_row(topic.title, Text(f"{bar(topic.mastery, width)} {topic.mastered}/"
                                        f"{topic.questions}",
                                        style="tutor.done" if topic.mastery == 1 else "tutor.hint"),
                      f"{topic.answered}/{topic.questions}", str(topic.due or ""))
    console.print(Padding(table, INDENT))
    due = (f"{report.due_now} question{'s' if report.due_now != 1 else ''} due for review now."
           if report.due_now else "Nothing is due for review now.")
    moment = from_iso(report.next_due) if report.next_due else None
    if moment is not None:
        due += " " + next_review(moment, report.next_due_count, now)
    say(console, due, "tutor.muted")
