"""From a typed line to a docker command the tutor may run: split without a shell,
parse with the command model, and say why when it will not run."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.dockercli import (
    ShellSyntaxError,
    UnknownCommand,
    UnsupportedCommand,
    UsageError,
    parse,
    split_command,
)
from tutor.dockercli.effects import is_interactive

if TYPE_CHECKING:
    from tutor.dockercli import ParsedCommand

Say = Callable[[str, str], None]  # (message, style)
ShowMarkdown = Callable[[str], None]


@dataclass(frozen=True)
class TypedCommand:
    """A line the tutor may hand to the docker CLI."""

    line: str
    argv: list[str]
    parsed: ParsedCommand | None  # None: outside the model, or refused by it (usage)
    usage_note: str | None = None  # the model's objection, shown if docker fails too
    # A real docker command the model does not describe: it cannot tell what the
    # command would change, so the learner is asked first.
    unsupported: str | None = None

    @property
    def interactive(self) -> bool:
        return self.parsed is not None and is_interactive(self.parsed)


def read_command(line: str, say: Say, show_markdown: ShowMarkdown) -> TypedCommand | None:
    """The command in ``line``, or None (and the reason said) when it must not run."""
    try:
        argv = split_command(line)
    except ShellSyntaxError as error:
        say(f"Not run: this line uses shell syntax ({error.construct}).", "tutor.warning")
        show_markdown(error.advice)
        return None
    try:
        return TypedCommand(line, argv, parse(argv))
    except UnsupportedCommand as error:
        return TypedCommand(line, argv, None, unsupported=str(error))
    except UnknownCommand as error:
        say(str(error), "tutor.warning")
        return None
    except UsageError as error:
        # The docker CLI has the last word on flags: it runs, and the note explains a failure.
        return TypedCommand(line, argv, None, usage_note=str(error))


def with_label(argv: list[str], typed_path: tuple[str, ...], label: str) -> list[str]:
    """argv with ``--label KEY=VALUE`` right after the command words (``run``, ``container run``)."""
    return with_options(argv, typed_path, ["--label", label])


def with_options(argv: list[str], typed_path: tuple[str, ...], words: list[str]) -> list[str]:
    """argv with option ``words`` right after the command words (``run``, ``container run``)."""
    for start in range(1, len(argv) - len(typed_path) + 1):
        if tuple(argv[start:start + len(typed_path)]) == typed_path:
            end = start + len(typed_path)
            return [*argv[:end], *words, *argv[end:]]
    return argv
