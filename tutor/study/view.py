"""The progress report on the terminal (/progress, ``docker-tutor progress``)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from tutor.render.blocks import INDENT, say
from tutor.study.report import Report, bar
from tutor.study.timing import duration

if TYPE_CHECKING:
    from rich.console import Console


def show_report(console: Console, report: Report, now: datetime) -> None:
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("lesson")
    table.add_column("steps", justify="right")
    table.add_column("questions right first time", justify="right")
    table.add_column("hints", justify="right")
    table.add_column("skipped", justify="right")
    table.add_column("time", justify="right")
    table.add_column("progress")
    for line in report.lessons:
        done = line.status == "done"
        table.add_row(Text(line.title, style="tutor.done" if done else ""),
                      f"{line.steps_done}/{line.steps}", f"{line.first_try}/{line.questions}",
                      str(line.hints), str(line.skipped),
                      duration(line.seconds) if line.seconds >= 1 else "",
                      Text(f"{bar(line.fraction)} {round(100 * line.fraction)}%",
                           style="tutor.done" if done else "tutor.hint"))
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
    from tutor.quiz.summary import when

    if not any(topic.answered for topic in report.topics):
        say(console, "No quiz taken yet: /quiz asks a round of questions from the lessons.",
            "tutor.muted")
        return
    table = Table(show_edge=False, pad_edge=False, title="Quiz mastery", title_justify="left")
    table.add_column("topic")
    table.add_column("mastered")
    table.add_column("answered", justify="right")
    table.add_column("due", justify="right")
    for topic in report.topics:
        table.add_row(topic.title, Text(f"{bar(topic.mastery)} {topic.mastered}/{topic.questions}",
                                        style="tutor.done" if topic.mastery == 1 else "tutor.hint"),
                      f"{topic.answered}/{topic.questions}", str(topic.due or ""))
    console.print(Padding(table, INDENT))
    due = (f"{report.due_now} question{'s' if report.due_now != 1 else ''} due for review now."
           if report.due_now else "Nothing is due for review now.")
    moment = from_iso(report.next_due) if report.next_due else None
    if moment is not None:
        due += f" Next review: {when(moment, now)} ({report.next_due_count})."
    say(console, due, "tutor.muted")
