"""The one rich Console the tutor writes through, built from the Environment."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console

from tutor.render.theme import TUTOR_THEME

if TYPE_CHECKING:
    from tutor.environment import Environment


def make_console(env: Environment) -> Console:
    return Console(
        file=env.stdout,
        theme=TUTOR_THEME,
        no_color=env.no_color,
        # Colour only when someone is looking; pipes and captured output stay plain.
        force_terminal=bool(env.stdout_isatty) and not env.no_color,
        color_system="auto" if env.stdout_isatty and not env.no_color else None,
        width=env.width,
        highlight=False,
        emoji=False,
        soft_wrap=False,
    )
