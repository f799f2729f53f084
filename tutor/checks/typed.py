"""`typed`: the learner's last command is equivalent to one of the given commands.

For the few steps about a command's *output* (``docker ps``), where no engine
state changes. Equivalence is ``tutor.dockercli``'s canonical form: aliases,
long/short flags, ``--flag=value`` spellings and flag order are folded.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from typing import Any

from tutor.checks.base import Check, CheckContext, CheckResult, CheckValueError, quote
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import PLACEHOLDER, render_value

# Stands in for each placeholder when a templated command is validated at load time.
_SAMPLE_VALUE = "1"


def canonical_of(command: str) -> str:
    """The canonical form of a docker command line; ValueError with the reason if invalid."""
    from tutor.dockercli import DockerCliError, ShellSyntaxError, parse, split_command

    try:
        argv = split_command(command)
    except ShellSyntaxError as error:
        raise ValueError(str(error)) from None
    if not argv or argv[0] != "docker":
        raise ValueError("must start with 'docker'")
    try:
        return parse(argv).canonical()
    except DockerCliError as error:
        raise ValueError(str(error)) from None


def shown(command: Any) -> str:
    """A ParsedCommand the way the learner typed it."""
    argv = getattr(command, "argv", None)
    if argv:
        words = list(argv)
        if words[0] != "docker":
            words.insert(0, "docker")
        return shlex.join(words)
    return str(command)


@dataclass(frozen=True, kw_only=True)
class TypedCheck(Check):
    kind = "typed"
    commands: tuple[str, ...]

    def check(self, ctx: CheckContext) -> CheckResult:
        commands = [render_value(c, ctx.values) for c in self.commands]
        expected = quote(commands[0]) if len(commands) == 1 else "one of " + ", ".join(
            quote(c) for c in commands)
        last = ctx.last_command
        if last is None:
            return CheckResult.fail(f"no docker command has been run in this step yet; "
                                    f"expected {expected}")
        try:
            wanted = {canonical_of(c) for c in commands}
        except ValueError as error:
            raise CheckValueError(f"a command in this check is not valid: {error}") from None
        if last.canonical() in wanted:
            return CheckResult.ok()
        return CheckResult.fail(f"the last command was {quote(shown(last))}; expected {expected}")


def parse_typed(value: Any, pc: ParseContext) -> TypedCheck | None:
    single = isinstance(value, str)
    if single:
        value = [value]
    if not isinstance(value, list) or not value:
        pc.problem("must be a docker command or a list of them, such as [docker ps -a]")
        return None
    commands = []
    ok = True
    for index, item in enumerate(value):
        where = pc.where if single else pc.where.at_item(index)
        line = value.line_of(index) if hasattr(value, "line_of") else pc.line
        if not isinstance(item, str) or not item.strip():
            pc.problem("must be a docker command written as text", where, line)
            ok = False
            continue
        if not pc.check_placeholders(item, where, line):
            ok = False
            continue
        try:
            canonical_of(PLACEHOLDER.sub(_SAMPLE_VALUE, item))
        except ImportError:  # the command-line model is missing: checked at evaluation
            pass
        except ValueError as error:
            pc.problem(f"{quote(item.strip())} is not a valid docker command: {error}",
                       where, line)
            ok = False
            continue
        commands.append(item.strip())
    return TypedCheck(commands=tuple(commands)) if ok else None
