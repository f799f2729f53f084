"""The errors parse() raises, and the learner-friendly messages they carry.

Each message says what is wrong and, where the model can tell, what was
probably meant (did-you-mean from the command tables).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence

from tutor.suggest import close_matches

from .catalog import (
    _CHILDREN,
    PARTIAL_GROUPS,
    UNCOVERED,
    UNCOVERED_SUBCOMMANDS,
    CommandSpec,
    Flag,
    canonical_path,
)


class DockerCliError(Exception):
    """A command line docker would refuse; ``str(err)`` is learner-friendly."""

    def __init__(
        self,
        message: str,
        *,
        command: str = "docker",
        suggestions: Sequence[str] = (),
        flag: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.command = command  # e.g. "docker ps" (as typed)
        self.suggestions = tuple(suggestions)  # full replacement words/commands
        self.flag = flag  # the offending flag as typed, if any

    @property
    def suggestion(self) -> str | None:
        """The best did-you-mean candidate, if any."""
        return self.suggestions[0] if self.suggestions else None


class UnknownCommand(DockerCliError):
    """The command words are not a docker command (typo, or not docker at all)."""


class UnsupportedCommand(UnknownCommand):
    """A real docker command that this model does not describe (compose, swarm...)."""


class UsageError(DockerCliError):
    """A known command used wrongly: unknown flag, missing value, wrong arg count."""


def _check_arg_count(spec: CommandSpec, command: str, args: list[str]) -> None:
    low, high = spec.min_args, spec.max_args
    n = len(args)
    if low <= n and (high is None or n <= high):
        return
    usage = f"Usage: {command} [OPTIONS] {spec.usage}".rstrip()
    if high == 0:
        problem = f"'{command}' takes no arguments, but got {_quote_list(args)}."
        hint = _NO_ARGS_HINTS.get(spec.path)
        if hint:
            problem += " " + hint.format(arg=args[0])
    elif n < low:
        what = f"{low} argument" + ("s" if low != 1 else "")
        if high is None:
            what = "at least " + what
        elif high != low:
            what = f"{low} to {high} arguments"
        problem = f"'{command}' needs {what}, but got {n}."
        hint = _MISSING_ARGS_HINTS.get(spec.path)
        if hint:
            problem += " " + hint
    else:
        assert high is not None
        limit = f"{high} argument" + ("s" if high != 1 else "")
        problem = f"'{command}' takes at most {limit}, but got {n}: {_quote_list(args)}."
    raise UsageError(f"{problem}\n{usage}", command=command)


def _quote_list(words: Sequence[str]) -> str:
    return " ".join(shlex.quote(w) for w in words)


# Extra nudges for the mistakes learners make most with argument counts.
_NO_ARGS_HINTS: dict[tuple[str, ...], str] = {
    ("container", "ls"): "To show one container, filter by name: docker ps -a --filter name={arg}",
    ("volume", "ls"): "To show one volume, filter by name: docker volume ls --filter name={arg}",
    ("network", "ls"): "To show one network, filter by name: docker network ls --filter name={arg}",
    ("container", "prune"): "prune removes every stopped container; to remove one, use docker rm {arg}",
    ("image", "prune"): "prune removes unused images; to remove one, use docker rmi {arg}",
    ("volume", "prune"): "prune removes unused volumes; to remove one, use docker volume rm {arg}",
}
_MISSING_ARGS_HINTS: dict[tuple[str, ...], str] = {
    ("container", "run"): "Name the image to run, e.g. docker run hello-world",
    ("container", "create"): "Name the image to create a container from, e.g. docker create nginx",
    ("container", "exec"): "Give the container and the command to run in it, e.g. docker exec -it web sh",
    ("image", "build"): "Give the build context directory, usually '.' for the current one: docker build -t myapp .",
    ("image", "tag"): "Give the existing image and the new name, e.g. docker tag nginx myregistry/nginx:1.0",
    ("container", "cp"): "Give a source and a destination, one of them as CONTAINER:PATH, e.g. docker cp web:/etc/hosts hosts",
}


# --------------------------------------------------------------------------
# Error construction with did-you-mean suggestions
# --------------------------------------------------------------------------


def _unknown_top_level(word: str) -> UnknownCommand:
    if word in UNCOVERED:
        return UnsupportedCommand(
            f"'docker {word}' is a real Docker command, but the tutor doesn't cover it.",
            command=f"docker {word}",
        )
    if word.startswith("-"):  # only reachable for words like "-" after globals
        return UnknownCommand(f"'{word}' is not a docker command.", command="docker")
    # "docker ls" -> "docker container ls", "docker image ls", ...
    suggestions = [
        f"docker {group} {word}"
        for group in sorted(w for w in _CHILDREN[()] if (w,) in _CHILDREN)
        if canonical_path((group, word)) is not None
    ]
    suggestions += [f"docker {w}" for w in close_matches(word, _CHILDREN[()])]
    suggestions = suggestions[:5]
    message = f"'docker {word}' is not a docker command."
    if suggestions:
        message += " Did you mean " + _or_list(suggestions) + "?"
    return UnknownCommand(message, command=f"docker {word}", suggestions=suggestions)


def _unknown_subcommand(group: tuple[str, ...], word: str) -> UnknownCommand:
    typed = " ".join(("docker", *group, word))
    uncovered = UNCOVERED_SUBCOMMANDS.get(group[0])
    if group[0] in PARTIAL_GROUPS and not word.startswith("-") and (
            uncovered is None or word in uncovered):
        return UnsupportedCommand(
            f"'{typed}' is a real Docker command, but the tutor doesn't cover it.",
            command=typed,
        )
    prefix = " ".join(("docker", *group))
    suggestions = [f"{prefix} {w}" for w in close_matches(word, _CHILDREN.get(group, ()))]
    message = f"'{typed}' is not a docker command: '{word}' is not a subcommand of '{prefix}'."
    if suggestions:
        message += " Did you mean " + _or_list(suggestions) + "?"
    else:
        message += f" Its subcommands are: {', '.join(sorted(_CHILDREN.get(group, ())))}."
    return UnknownCommand(message, command=typed, suggestions=suggestions)


def _unknown_flag(spec: CommandSpec, command: str, flag: str, group: str | None = None) -> UsageError:
    if flag.startswith("--"):
        # Compare bare names: the shared "--" would make everything look close.
        suggestions = [f"--{name}" for name in close_matches(flag[2:].partition("=")[0], spec.long_names())]
    else:
        suggestions = []
    where = f" (in {group})" if group and group != flag else ""
    message = f"unknown flag {flag}{where} for '{command}'."
    if suggestions:
        message += " Did you mean " + _or_list(suggestions) + "?"
    if not spec.is_group:
        message += f" Run '{command} --help' to see its options."
    return UsageError(message, command=command, suggestions=suggestions, flag=flag)


def _missing_value(command: str, typed: str, flag: Flag) -> UsageError:
    return UsageError(
        f"{typed} needs a value in '{command}' ({typed}: {flag.description}).",
        command=command,
        flag=typed,
    )


def _or_list(items: Sequence[str]) -> str:
    quoted = [f"'{item}'" for item in items]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]
