"""Tables of lessons and progress."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from tutor.render.blocks import INDENT, say

if TYPE_CHECKING:
    from rich.console import Console

    from tutor.course.lesson import Course, Lesson
    from tutor.progress import Progress


COLUMN_GAP = 3   # " │ " between the columns of a table without edges
MIN_TEXT = 14    # the narrowest a wrapped title or status column may get


def lesson_table(console: Console, course: Course, progress: Progress,
                 rows: Sequence[int] | None = None, compact: bool = False) -> None:
    """One row per lesson: number, title, id and status. The id is what the learner
    types, so it is never wrapped or cut; when a terminal is too narrow for four
    columns, each lesson gets two lines instead (title, then id and status).
    ``rows``: the indexes of the lessons to show (all by default). ``compact`` (the
    greeting): one line per lesson whatever the width, titles and statuses cut short
    with an ellipsis."""
    shown = [(index + 1, course.lessons[index]) for index in
             (rows if rows is not None else range(len(course.lessons)))]
    ids = [lesson.id for _number, lesson in shown] or [""]
    number_width = len(str(len(course.lessons)))
    wide = INDENT[3] + number_width + max(len(i) for i in ids) + 2 * MIN_TEXT + 3 * COLUMN_GAP
    table = Table(title=course.title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("#", justify="right", style="tutor.muted", no_wrap=True)
    if compact and _compact_rows(table, console.width - INDENT[3] - number_width, shown,
                                 progress):
        pass
    elif console.width >= wide:
        table.add_column("lesson", overflow="fold")
        table.add_column("id", style="tutor.command", no_wrap=True)
        table.add_column("status", overflow="fold")
        for number, lesson in shown:
            table.add_row(str(number), lesson.title, lesson.id, _status(lesson, progress))
    else:
        table.add_column("lesson, id and status", overflow="fold")
        for number, lesson in shown:
            table.add_row(str(number), Text.assemble(
                lesson.title, "\n", (lesson.id, "tutor.command"), "  ",
                _status(lesson, progress)))
    console.print(Padding(table, INDENT))


# The narrowest a cut-short title may get before the status column is left out.
MIN_COMPACT_TITLE = 10


def _compact_rows(table: Table, width: int, shown: list[tuple[int, Lesson]],
                  progress: Progress) -> bool:
    """One line per lesson in ``width`` columns (the # column aside): the id whole, the
    title cut short with an ellipsis, the status (short: "needs engine" for a practice
    lesson not started) left out when there is no room for it. False, and nothing added, when
    even that does not fit."""
    id_width = max(len(lesson.id) for _number, lesson in shown)
    statuses = [_status(lesson, progress, short=True) for _number, lesson in shown]
    room = width - id_width - 3 * COLUMN_GAP  # for title and status
    status_width = max(len(status) for status in statuses)
    with_status = room - status_width >= MIN_COMPACT_TITLE
    title_width = room - status_width if with_status else room + COLUMN_GAP
    if title_width < MIN_COMPACT_TITLE:
        return False
    title_width = min(title_width, max(len(lesson.title) for _number, lesson in shown))
    table.add_column("lesson", no_wrap=True, width=title_width)
    table.add_column("id", style="tutor.command", no_wrap=True, min_width=id_width)
    if with_status:
        table.add_column("status", no_wrap=True)
    for (number, lesson), status in zip(shown, statuses, strict=True):
        title = Text(lesson.title)
        title.truncate(title_width, overflow="ellipsis")
        table.add_row(str(number), title, lesson.id, *([status] if with_status else []))
    return True


def _status(lesson: Lesson, progress: Progress, short: bool = False) -> Text:
    record = progress.lessons.get(lesson.id)
    if record and record.completed:
        return Text("✔ done", style="tutor.done")
    finished = sum(1 for r in (record.steps.values() if record else ()) if r.status)
    if progress.current_lesson == lesson.id or finished:
        return Text(f"{finished}/{len(lesson.steps)} steps", style="tutor.hint")
    if short:
        return Text("needs engine" if lesson.needs_engine else "not started", style="tutor.todo")
    note = " (needs engine)" if lesson.needs_engine else ""
    return Text(f"not started{note}", style="tutor.todo")


def progress_table(console: Console, course: Course, progress: Progress) -> None:
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("lesson")
    table.add_column("steps", justify="right")
    table.add_column("questions right first time", justify="right")
    table.add_column("hints", justify="right")
    table.add_column("skipped", justify="right")
    done_lessons = 0
    for lesson in course.lessons:
        record = progress.lessons.get(lesson.id)
        steps = record.steps if record else {}
        if record and record.completed:
            done_lessons += 1
        finished = sum(1 for s in lesson.steps if steps.get(s.id) and steps[s.id].status)
        questions = [s for s in lesson.steps if s.is_question]
        first_time = sum(
            1 for s in questions
            if (r := steps.get(s.id)) and r.status == "passed" and r.attempts == 0
            and not r.revealed
        )
        hints = sum(r.hints for r in steps.values())
        skipped = sum(1 for r in steps.values() if r.status == "skipped")
        table.add_row(
            Text(lesson.title, style="tutor.done" if record and record.completed else ""),
            f"{finished}/{len(lesson.steps)}",
            f"{first_time}/{len(questions)}",
            str(hints),
            str(skipped),
        )
    console.print(Padding(table, INDENT))
    say(console, f"{done_lessons} of {len(course.lessons)} lessons complete.", "tutor.heading")
