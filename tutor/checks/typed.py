"""`typed`: the learner's last command means the same as one of the given commands.

For the few steps about a command's *output* (``docker ps``), where no engine
state changes. Commands are compared by meaning (docs/checks.md, "typed"):

- ``tutor.dockercli``'s canonical form folds aliases, long/short flags,
  ``--flag=value`` spellings and flag order;
- flags that only change how the output looks (``--no-trunc``, ``--format``,
  ``--quiet``, ``--size``, ``--digests``, ``--timestamps``) are ignored unless
  the lesson's command gives them itself; then the values must agree (spaces
  inside a Go template's ``{{ }}`` do not count);
- flags that change *which* objects (``--all``, ``--filter``) always count;
- object references are resolved by the engine before comparing: a container's
  name, full ID or unique ID prefix are the same container; ``image:tag`` and the
  image's ID the same image.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tutor.checks.base import Check, CheckContext, CheckResult, CheckValueError, quote
from tutor.checks.queries import inspect_container, inspect_image
from tutor.checks.reading import ParseContext
from tutor.course.placeholders import PLACEHOLDER, render_value
from tutor.dockercli import DockerCliError, ShellSyntaxError, parse, split_command

if TYPE_CHECKING:
    from tutor.dockercli import ParsedCommand

# Stands in for each placeholder when a templated command is validated at load time.
_SAMPLE_VALUE = "1"


def shown(command: Any) -> str:
    """A ParsedCommand the way the learner typed it."""
    argv = getattr(command, "argv", None)
    if argv:
        words = list(argv)
        if words[0] != "docker":
            words.insert(0, "docker")
        return shlex.join(words)
    return str(command)


# Flags that change how the output looks, not what it is about.
DISPLAY_ONLY = frozenset({"no-trunc", "format", "quiet", "size", "digests", "timestamps"})
# Commands whose arguments name containers (all of them, or only the first).
CONTAINER_ARGS = frozenset({("container", "inspect"), ("container", "logs"), ("container", "top"),
                            ("container", "port"), ("container", "diff"), ("container", "stats"),
                            ("container", "attach"), ("container", "wait")})
FIRST_ARG_CONTAINER = frozenset({("container", "exec"), ("container", "cp")})
IMAGE_ARGS = frozenset({("image", "inspect"), ("image", "history")})
_TEMPLATE_SPACES = re.compile(r"\{\{\s*(.*?)\s*\}\}")


def parsed_of(command: str) -> ParsedCommand:
    """The parsed form of a docker command line; ValueError with the reason if invalid."""
    try:
        argv = split_command(command)
    except ShellSyntaxError as error:
        raise ValueError(str(error)) from None
    if not argv or argv[0] != "docker":
        raise ValueError("must start with 'docker'")
    try:
        return parse(argv)
    except DockerCliError as error:
        raise ValueError(str(error)) from None


def canonical_of(command: str) -> str:
    """The canonical form of a docker command line; ValueError with the reason if invalid."""
    return parsed_of(command).canonical()


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
            wanted = [parsed_of(c) for c in commands]
        except ValueError as error:
            raise CheckValueError(f"a command in this check is not valid: {error}") from None
        resolve = _Resolver(ctx.api)
        if any(meaning(last, want, resolve) == meaning(want, want, resolve) for want in wanted):
            return CheckResult.ok()
        return CheckResult.fail(f"the last command was {quote(shown(last))}; expected {expected}")


def meaning(command: Any, wanted: Any, resolve: _Resolver) -> tuple:
    """What ``command`` does, in a form that compares equal for equal meaning; display
    flags count only where ``wanted`` (the lesson's command) gives them."""
    path = command.path
    args = list(command.args)
    if path == ("inspect",):
        # `docker inspect X` is `docker container inspect X` when X is a container.
        kinds = {resolve.kind(arg) for arg in args}
        if kinds == {"container"}:
            path = ("container", "inspect")
        elif kinds == {"image"}:
            path = ("image", "inspect")
    options = {}
    for name, values in command.options.items():
        if name == "type" and path != ("inspect",):
            continue  # said by the path now
        if name in DISPLAY_ONLY and name not in wanted.options:
            continue
        if name == "format":
            values = tuple(_TEMPLATE_SPACES.sub(r"{{\1}}", value).strip() for value in values)
        options[name] = values
    if path in CONTAINER_ARGS:
        args = [resolve.container(arg) for arg in args]
    elif path in FIRST_ARG_CONTAINER and args:
        args[0] = resolve.container(args[0]) if path != ("container", "cp") else args[0]
    elif path in IMAGE_ARGS:
        args = [resolve.image(arg) for arg in args]
    elif path == ("inspect",):
        args = [resolve.any(arg) for arg in args]
    return path, tuple(sorted(options.items())), tuple(args)


class _Resolver:
    """Object references to IDs, asked of the engine once each."""

    def __init__(self, api: Any) -> None:
        self.api = api
        self.cache: dict[tuple[str, str], str | None] = {}

    def container(self, ref: str) -> str:
        return self._lookup("container", ref) or ref

    def image(self, ref: str) -> str:
        return self._lookup("image", ref) or ref

    def any(self, ref: str) -> str:
        return self._lookup("container", ref) or self._lookup("image", ref) or ref

    def kind(self, ref: str) -> str | None:
        """"container" or "image": what the engine finds by that reference."""
        if self._lookup("container", ref):
            return "container"
        if self._lookup("image", ref):
            return "image"
        return None

    def _lookup(self, kind: str, ref: str) -> str | None:
        key = (kind, ref)
        if key not in self.cache:
            details = None
            if self.api is not None:
                look = inspect_container if kind == "container" else inspect_image
                details = look(self.api, ref)
            self.cache[key] = details["Id"] if details else None
        return self.cache[key]


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
