"""The building blocks of what the tutor prints: Markdown text, notes, verdicts, lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from rich.padding import Padding
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console


INDENT = (0, 0, 0, 2)


def Markdown(text: str, **options):
    # rich.markdown pulls in a Markdown parser: loaded with the first lesson text,
    # not before the first prompt.
    from rich.markdown import Markdown as RichMarkdown

    return RichMarkdown(text, **options)


def markdown(console: Console, text: str) -> None:
    console.print(Padding(Markdown(text, code_theme="ansi_dark", hyperlinks=False), INDENT))


def step_header(console: Console, title: str) -> None:
    console.print()
    console.print(Rule(Text(title, style="tutor.muted"), style="tutor.muted", align="left"))


FRAME_COLUMNS = 4  # a panel's borders and padding


def diagram(console: Console, text: str, title: str | None = None) -> None:
    """A monospace picture in a frame; never wrapped by rich (a wrapped diagram is no
    picture) and never cut off. Too wide for a frame it is printed without one; too
    wide for the window as well, it says so and its lines are written whole, for the
    terminal to wrap (all of it readable, and whole again in a wider window)."""
    from rich.cells import cell_len

    lines = text.splitlines() or [""]
    widest = max(cell_len(line) for line in lines)
    if widest + FRAME_COLUMNS + INDENT[3] <= console.width:
        console.print(Padding(Panel(Text(text, style="tutor.diagram", no_wrap=True),
                                    title=title, expand=False), INDENT))
        return
    if title:
        console.print(Text(f"  {title}", style="tutor.heading"))
    if widest > console.width:
        say(console, f"(This picture is {widest} columns wide and the window "
                     f"{console.width}: widen the window to see it as drawn.)", "tutor.muted")
    console.print(Text(text, style="tutor.diagram"), soft_wrap=True)


def muted(console: Console, text: str) -> None:
    console.print(Text(f"  {text}", style="tutor.muted"))


def choice_list(console: Console, rows: Iterable[tuple[str, str]]) -> None:
    """Labelled choices: ("a)", markdown text) rows."""
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", style="tutor.choice.label", no_wrap=True)
    table.add_column()
    for label, text in rows:
        table.add_row(label, Markdown(text))
    console.print(Padding(table, INDENT))


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


def help_table(console: Console, rows: Iterable[tuple[str, str]]) -> None:
    table = Table.grid(padding=(0, 2))
    # A long first cell (a --mount value, an image digest) folds rather than
    # squeezing the text beside it into a narrow strip.
    table.add_column(style="tutor.command", overflow="fold", max_width=max(24, console.width // 3))
    table.add_column(overflow="fold")
    for usage, summary in rows:
        table.add_row(usage, summary)
    console.print(Padding(table, INDENT))


def problems(console: Console, items: Iterable[object]) -> None:
    for item in items:
        console.print(Text(f"  ⚠ {item}", style="tutor.warning"))
