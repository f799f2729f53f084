"""How lessons, steps, verdicts and tables look in the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from tutor.answers import label
from tutor.course.model import ChoiceStep, CleanupStep, CommandStep, Lesson, SayStep, TextStep

if TYPE_CHECKING:
    from rich.console import Console

    from tutor.course.model import Course
    from tutor.progress import Progress

INDENT = (0, 0, 0, 2)


def Markdown(text: str, **options):  # noqa: N802 - stands in for rich's class
    # rich.markdown pulls in a Markdown parser: loaded with the first lesson text,
    # not before the first prompt.
    from rich.markdown import Markdown as RichMarkdown

    return RichMarkdown(text, **options)


def markdown(console: Console, text: str) -> None:
    console.print(Padding(Markdown(text, code_theme="ansi_dark", hyperlinks=False), INDENT))


def step_header(console: Console, lesson: Lesson, index: int) -> None:
    title = f"{lesson.title} · step {index + 1}/{len(lesson.steps)}"
    console.print()
    console.print(Rule(Text(title, style="tutor.muted"), style="tutor.muted", align="left"))


def show_step(console: Console, lesson: Lesson, index: int,
              values: dict[str, str] | None = None) -> None:
    step_header(console, lesson, index)
    show_step_body(console, lesson, index, values)


def show_step_body(console: Console, lesson: Lesson, index: int,
                   values: dict[str, str] | None = None) -> None:
    from tutor.course.placeholders import render_template

    step = lesson.steps[index]
    values = values or {}

    def fill(text: str) -> str:
        return render_template(text, values) if "{{" in text else text

    if isinstance(step, SayStep):
        show_say(console, step, fill)
    elif isinstance(step, ChoiceStep):
        show_choice(console, step, fill)
    elif isinstance(step, TextStep):
        show_text_question(console, step, fill)
    elif isinstance(step, CommandStep):
        show_task(console, step, fill)
    elif isinstance(step, CleanupStep):
        markdown(console, fill(step.text))


def show_say(console: Console, step: SayStep, fill=str) -> None:
    markdown(console, fill(step.text))
    if step.diagram:
        console.print(
            Padding(
                Panel(
                    Text(fill(step.diagram), style="tutor.diagram", no_wrap=True),
                    title=step.diagram_title,
                    expand=False,
                ),
                INDENT,
            )
        )
    console.print(Text("  Press Enter to continue.", style="tutor.muted"))


def show_choice(console: Console, step: ChoiceStep, fill=str) -> None:
    markdown(console, fill(step.question))
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="tutor.choice.label", no_wrap=True)
    table.add_column()
    for index, choice in enumerate(step.choices):
        table.add_row(f"{label(index)})", Markdown(fill(choice.text)))
    console.print(Padding(table, INDENT))
    how = ("Choose all that apply: type the letters, e.g. 'a c'."
           if step.multiple else "Type the letter of your answer.")
    console.print(Text(f"  {how}", style="tutor.muted"))


def show_text_question(console: Console, step: TextStep, fill=str) -> None:
    markdown(console, fill(step.question))
    console.print(Text("  Type your answer.", style="tutor.muted"))


def show_task(console: Console, step: CommandStep, fill=str) -> None:
    markdown(console, fill(step.task))
    console.print(Text("  Type docker commands here; /check checks work done elsewhere "
                       "(another terminal, /edit).", style="tutor.muted"))


def correct(console: Console, explanation: str | None) -> None:
    console.print(Text("  ✔ Correct!", style="tutor.correct"))
    if explanation:
        markdown(console, explanation)


def wrong(console: Console, feedback: Sequence[str], hints_left: int) -> None:
    console.print(Text("  ✘ Not quite.", style="tutor.wrong"))
    for item in feedback:
        console.print(Padding(Markdown(item), INDENT), style="tutor.feedback")
    if hints_left:
        console.print(Text("  Try again, or type /hint for a clue.", style="tutor.muted"))
    else:
        console.print(Text("  Try again, /explain to see the answer, or /skip.",
                           style="tutor.muted"))


def unclear(console: Console, feedback: Sequence[str]) -> None:
    for item in feedback:
        console.print(Text(f"  {item}", style="tutor.muted"))


def hint(console: Console, text: str, number: int, total: int) -> None:
    console.print(Text(f"  Hint {number}/{total}", style="tutor.hint"))
    markdown(console, text)


def explanation(console: Console, text: str) -> None:
    console.print(Text("  Explanation", style="tutor.explanation"))
    markdown(console, text)


def say(console: Console, message: str, style: str = "") -> None:
    console.print(Padding(Text(message, style=style), INDENT))


def bullets(console: Console, items: Iterable[str], style: str = "") -> None:
    """A list whose wrapped lines stay indented under their text, not under the bullet."""
    table = Table.grid(padding=(0, 1))
    table.add_column(no_wrap=True)
    table.add_column()
    for item in items:
        table.add_row("•", Text(item, style=style))
    console.print(Padding(table, (0, 0, 0, 4)))


def lesson_table(console: Console, course: Course, progress: Progress) -> None:
    table = Table(title=course.title, title_justify="left", show_edge=False, pad_edge=False)
    table.add_column("#", justify="right", style="tutor.muted")
    table.add_column("lesson")
    table.add_column("id", style="tutor.command")
    table.add_column("status")
    for number, lesson in enumerate(course.lessons, start=1):
        table.add_row(str(number), lesson.title, lesson.id, _status(lesson, progress))
    console.print(Padding(table, INDENT))


def _status(lesson: Lesson, progress: Progress) -> Text:
    record = progress.lessons.get(lesson.id)
    if record and record.completed:
        return Text("✔ done", style="tutor.done")
    finished = sum(1 for r in (record.steps.values() if record else ()) if r.status)
    if progress.current_lesson == lesson.id or finished:
        return Text(f"{finished}/{len(lesson.steps)} steps", style="tutor.hint")
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


def help_table(console: Console, rows: Iterable[tuple[str, str]]) -> None:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="tutor.command", no_wrap=True)
    table.add_column()
    for usage, summary in rows:
        table.add_row(usage, summary)
    console.print(Padding(table, INDENT))


def problems(console: Console, items: Iterable[object]) -> None:
    for item in items:
        console.print(Text(f"  ⚠ {item}", style="tutor.warning"))
