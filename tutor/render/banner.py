"""The start-up banner: big letters when they fit and help, a plain line otherwise."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console

    from tutor.environment import Environment

BANNER_TEXT = "docker-tutor"
BANNER_FONT = "small"


def figlet_lines(width: int) -> list[str] | None:
    """The figlet rendering, or None when it would not fit in ``width`` columns."""
    import pyfiglet  # lazy: only needed when the banner is actually drawn

    art = pyfiglet.figlet_format(BANNER_TEXT, font=BANNER_FONT, width=1000)
    lines = [line.rstrip() for line in art.splitlines()]
    while lines and not lines[-1]:
        lines.pop()
    if not lines or max(len(line) for line in lines) > width:
        return None
    return lines


def wants_banner(env: Environment, requested: bool) -> bool:
    # Big letters are decoration: pointless in a pipe, under NO_COLOR, or when asked not to.
    return requested and bool(env.stdout_isatty) and not env.no_color


def show_banner(console: Console, env: Environment, requested: bool, version: str) -> None:
    lines = figlet_lines(console.width) if wants_banner(env, requested) else None
    if lines:
        console.print(Text("\n".join(lines), style="tutor.banner"))
        console.print(Text(f"v{version}", style="tutor.muted"))
    else:
        console.print(Text.assemble(("docker-tutor", "tutor.name"), (f" v{version}", "tutor.muted")))
