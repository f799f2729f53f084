"""A lesson's cheat sheet: the commands its practice steps taught (their solutions),
then the lines the lesson adds in its ``recap:`` section. Shown when the lesson ends
and by ``/recap [lesson]``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.course.placeholders import render_template
from tutor.course.practice_spec import BUILTIN_WORKSPACE
from tutor.dockercli import DockerCliError, ShellSyntaxError, lookup, parse, split_command
from tutor.steps.quizfields import stand_in_values

if TYPE_CHECKING:
    from rich.console import Console

    from tutor.course.lesson import Lesson
    from tutor.dockercli import ParsedCommand


@dataclass(frozen=True)
class CheatLine:
    command: str | None
    text: str


def cheat_sheet(lesson: Lesson) -> list[CheatLine]:
    lines: list[CheatLine] = []
    seen: set[str] = set()
    for step in lesson.steps:
        task = step.practice_task()
        if task is None:
            continue
        values = stand_in_values((*lesson.variables, *task.variables), task.setup)
        # What the learner would type in their own shell for the practice folder.
        shown = {**values, BUILTIN_WORKSPACE: "$PWD"}
        for action in task.solution:
            if not isinstance(action, str):
                continue  # a file written in the editor
            command = render_template(action, shown)
            try:
                parsed = parse(split_command(render_template(action, values)))
            except (ShellSyntaxError, DockerCliError):
                continue
            if parsed.canonical() in seen:
                continue
            seen.add(parsed.canonical())
            lines.append(CheatLine(command, what_it_does(parsed)))
    lines += [CheatLine(entry.command, entry.text) for entry in lesson.recap]
    return lines


def what_it_does(parsed: ParsedCommand) -> str:
    """The command's description, and what each of its flags does."""
    spec = lookup(parsed.path)
    if spec is None:
        return ""
    parts = [spec.description]
    for name in dict.fromkeys((*parsed.order, *parsed.options)):
        flag = spec.long_flag(name)
        if flag is not None and flag.description:
            shown = f"-{flag.short}" if flag.short else f"--{flag.name}"
            parts.append(f"{shown}: {flag.description[0].lower()}{flag.description[1:]}")
    return "; ".join(parts)


def show_recap(console: Console, lesson: Lesson) -> None:
    from rich.padding import Padding
    from rich.text import Text

    from tutor.render import blocks as show

    lines = cheat_sheet(lesson)
    if not lines:
        show.say(console, f"“{lesson.title}” has no commands to recap.", "tutor.muted")
        return
    show.say(console, f"Cheat sheet: {lesson.title}", "tutor.heading")
    for line in lines:
        # A command on a line of its own: a long one folds, never mid-sentence of the text.
        if line.command:
            console.print(Padding(Text(line.command, style="tutor.command", overflow="fold"),
                                  (0, 0, 0, 4)))
        console.print(Padding(Text(line.text), (0, 0, 0, 6 if line.command else 4)))
    show.say(console, "/recap shows it again.", "tutor.muted")


def recap_markdown(lesson: Lesson) -> str:
    """The cheat sheet as Markdown, for a report to share."""
    rows = [f"| `{line.command}` | {line.text} |" if line.command else f"| | {line.text} |"
            for line in cheat_sheet(lesson)]
    return "\n".join(["| command | what it does |", "| --- | --- |", *rows]) if rows else ""
