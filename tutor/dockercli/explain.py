"""Take a docker command apart, word by word, from the command model.

Used by ``/explain docker ...``: what the command does, what each flag means
(whichever spelling was typed) and what its value means (``-p 8080:80`` is
host port 8080 to container port 80), the image reference with docker's
defaults made visible, and what the remaining words are.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping

from .catalog import lookup
from .parse import ParsedCommand
from .spec import CommandSpec, Flag

Row = tuple[str, str]

# What the positional words are: one role per word, in order.
ARGUMENT_ROLES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("container", "run"): ("the image to start from", "the command to run in the container"),
    ("container", "create"): ("the image to create from", "the command the container will run"),
    ("container", "exec"): ("the running container", "the command to run inside it"),
    ("container", "cp"): ("copy from (CONTAINER:PATH or a local path)",
                          "copy to (a local path or CONTAINER:PATH)"),
    ("container", "logs"): ("the container whose output to show",),
    ("container", "top"): ("the container whose processes to list", "options for ps (e.g. aux)"),
    ("container", "rename"): ("the container", "its new name"),
    ("container", "port"): ("the container", "only this container port"),
    ("image", "tag"): ("the existing image", "the new name for it"),
    ("image", "build"): ("the build context: the folder sent to the engine",),
    ("image", "history"): ("the image whose layers to list",),
    ("image", "pull"): ("the image to download",),
    ("image", "push"): ("the image to upload; its name says to which registry",),
    ("volume", "create"): ("the new volume's name (docker picks a random one when none is given)",),
    ("network", "create"): ("the new network's name",),
    ("network", "connect"): ("the network", "the container to connect to it"),
    ("network", "disconnect"): ("the network", "the container to disconnect from it"),
    ("compose", "exec"): ("the service (from the Compose file)", "the command to run inside it"),
    ("compose", "run"): ("the service to run a one-off container of",
                         "the command to run in it, instead of the service's command"),
}
# Commands whose every positional has the same role.
EACH_ARGUMENT: dict[tuple[str, ...], str] = {
    **{("container", sub): "a container (name or ID)" for sub in (
        "start", "stop", "restart", "kill", "rm", "pause", "unpause", "inspect", "wait",
        "stats", "update", "diff")},
    ("image", "rm"): "an image to remove",
    ("image", "inspect"): "an image",
    ("image", "save"): "an image to save",
    ("volume", "inspect"): "a volume", ("volume", "rm"): "a volume to remove",
    ("network", "inspect"): "a network", ("network", "rm"): "a network to remove",
    **{("compose", sub): "a service of the Compose project (none: all of them)" for sub in (
        "up", "down", "ps", "logs", "build", "pull", "push", "config", "start", "stop",
        "restart", "rm", "images", "top")},
}
# Positionals that are image references, taken apart on rows of their own.
_IMAGE_ARGS = frozenset({("container", "run"), ("container", "create"), ("image", "tag"),
                         ("image", "history"), ("image", "pull"), ("image", "push"),
                         ("image", "rm"), ("image", "save"), ("image", "inspect")})
# After the first positional comes another program's command line.
_COMMAND_AFTER = frozenset({("container", "run"), ("container", "create"),
                            ("container", "exec"), ("compose", "exec"), ("compose", "run")})


def explain(cmd: ParsedCommand) -> list[Row]:
    """(words, meaning) rows, in the order a learner reads the command."""
    from .valuenotes import notes_for  # lazy: the REPL imports this module at start-up

    spec = lookup(cmd.path)
    rows: list[Row] = [_command_row(cmd, spec)]
    for name, values in cmd.global_options.items():
        shown = f"--{name}" if values in ((), ("true",)) else f"--{name} {values[-1]}"
        rows.append((shown, "a global option: it applies to the docker client itself"))
    group = cmd.group_spec
    if group is not None:
        rows += _option_rows(group, cmd.group_options, tuple(cmd.group_options),
                             notes_for(group.path))
    if spec is not None:
        rows += _option_rows(spec, cmd.options, cmd.order, notes_for(cmd.path))
        rows += _combinations(cmd)
    rows += _argument_rows(cmd, spec)
    return rows


def _command_row(cmd: ParsedCommand, spec: CommandSpec | None) -> Row:
    canonical = " ".join(("docker", *cmd.path))
    meaning = spec.description if spec else "a docker command"
    if cmd.argv[:1] in (("docker-compose",), ("docker-compose.exe",)):
        typed = " ".join(("docker-compose", *cmd.typed_path[1:]))
        meaning += f" (docker-compose is Compose v1's own program; the same as `{canonical}`)"
    else:
        typed = " ".join(("docker", *cmd.typed_path))
        if typed != canonical:
            meaning += f" (the same as `{canonical}`)"
    return typed, meaning


def _option_rows(spec: CommandSpec, options: Mapping[str, tuple[str, ...]],
                 order: tuple[str, ...], notes: dict[str, Callable[[str], str]]) -> list[Row]:
    rows: list[Row] = []
    names = [n for n in order if n in options] + [n for n in options if n not in order]
    for name in names:
        values = options[name]
        flag = spec.long_flag(name)
        description = flag.description if flag else "an option"
        if flag is not None and flag.short:
            description += f" (short: -{flag.short})"
        note = notes.get(name)
        if flag is not None and flag.takes_value:
            for value in values:
                detail = note(value) if note else ""
                rows.append((f"--{name} {value}", _join(description, detail)))
        else:
            on = values in ((), ("true",))
            detail = note("true") if note and on else ("" if on else "switched off")
            rows.append((f"--{name}" if on else f"--{name}={values[-1]}",
                         _join(description, detail)))
    return rows


def _join(description: str, detail: str) -> str:
    return f"{description}\n{detail[:1].upper()}{detail[1:]}" if detail else description


def _combinations(cmd: ParsedCommand) -> list[Row]:
    """Flags that mean more, or can't be, together."""
    rows: list[Row] = []
    if cmd.path in (("container", "run"), ("container", "create")):
        restart = cmd.option("restart")
        if cmd.flag("rm") and restart not in (None, "no"):
            rows.append(("--rm with --restart", "docker refuses these together: a container "
                         "that is removed when it stops can't be restarted"))
        if cmd.flag("interactive") and cmd.flag("tty"):
            rows.append(("-it", "-i and -t together: an interactive terminal session, e.g. a "
                         "shell; leave with exit, or detach with Ctrl-P Ctrl-Q"))
        if cmd.flag("detach") and cmd.flag("rm"):
            rows.append(("-d with --rm", "runs in the background and is removed when it "
                         "stops: its logs go with it"))
    return rows


def _argument_rows(cmd: ParsedCommand, spec: CommandSpec | None) -> list[Row]:
    from .imageref import image_rows  # lazy, as notes_for above

    rows: list[Row] = []
    args = list(cmd.args)
    roles = ARGUMENT_ROLES.get(cmd.path, ())
    if cmd.path in _COMMAND_AFTER and args:
        return _first_then_command(cmd, roles, args)
    each = EACH_ARGUMENT.get(cmd.path)
    for index, word in enumerate(args):
        role = roles[index] if index < len(roles) else each
        if role is None:
            usage = spec.usage if spec else ""
            rows.append((shlex.join(args[index:]),
                         f"arguments ({usage})" if usage else "arguments"))
            break
        if cmd.path in _IMAGE_ARGS:
            rows += image_rows(word, role)
        else:
            rows.append((word, role))
    return rows


def _first_then_command(cmd: ParsedCommand, roles: tuple[str, ...], args: list[str]) -> list[Row]:
    from .imageref import image_rows  # lazy, as notes_for above

    first, rest = args[0], args[1:]
    image = cmd.path in _IMAGE_ARGS
    rows = image_rows(first, roles[0]) if image else [(first, roles[0])]
    if not rest:
        return rows
    after = "image" if image else "container" if cmd.path[0] == "container" else "service"
    tool = "docker compose" if cmd.path[0] == "compose" else "docker"
    role = roles[1]
    if image:
        role += (": it replaces the image's default command (CMD), or becomes the arguments "
                 "of its ENTRYPOINT if it has one")
    rows.append((shlex.join(rest), f"{role}. Everything after the {after} goes to the "
                 f"container's command, not to {tool}"))
    misplaced = _misplaced_flags(cmd, rest)
    if misplaced:
        rows.append(("⚠ " + shlex.join(misplaced),
                     f"these look like {tool} flags, but after the {after} they are passed to "
                     f"the program in the container, not to {tool}. If they are meant for "
                     f"{tool}, put them before the {after}:\n{_corrected(cmd, misplaced)}"))
    return rows


# The flags learners put after the image by mistake.  Others (-c, -l...) are
# more often the program's own, as in `--entrypoint sh busybox -c 'echo hi'`.
_OFTEN_MISPLACED = frozenset({
    "name", "publish", "publish-all", "detach", "interactive", "tty", "env", "env-file",
    "volume", "mount", "rm", "network", "workdir", "user", "restart", "privileged",
})


def _misplaced_flags(cmd: ParsedCommand, words: list[str]) -> list[str]:
    """The docker flags (with their values) at the start of the container's command."""
    if cmd.option("entrypoint") is not None:  # the words are the entrypoint's options
        return []
    taken: list[str] = []
    i = 0
    while i < len(words):
        flags, value_follows = _flags_in(cmd.spec, words[i])
        if not flags or any(flag.name not in _OFTEN_MISPLACED for flag in flags):
            break
        taken.append(words[i])
        i += 1
        if value_follows and i < len(words):
            taken.append(words[i])
            i += 1
    return taken


def _flags_in(spec: CommandSpec, word: str) -> tuple[list[Flag], bool]:
    """The command's flags a word spells, and whether the next word is a value."""
    if word.startswith("--"):
        name, eq, _ = word[2:].partition("=")
        flag = spec.long_flag(name)
        return ([flag], flag.takes_value and not eq) if flag else ([], False)
    if not word.startswith("-") or word == "-":
        return [], False
    found: list[Flag] = []
    for index, letter in enumerate(word[1:], start=2):
        short = spec.short_flag(letter)
        if short is None:
            return [], False
        found.append(short)
        if short.takes_value:  # the rest of the word, if any, is its value: -p8080:80
            return found, index == len(word)
    return found, False


def _corrected(cmd: ParsedCommand, misplaced: list[str]) -> str:
    """The command line with the misplaced flags moved before the image (or container)."""
    argv = list(cmd.argv) or ["docker", *cmd.typed_path, *cmd.args]
    start = len(argv) - len(cmd.args)  # run/exec: the positionals are argv's tail
    first = argv[start]
    rest = argv[start + 1 + len(misplaced):]
    # A switch already given before the image needn't be moved: "run -it ubuntu -it bash".
    moved = [word for word in misplaced if not _already_on(cmd, word)]
    return shlex.join([*argv[:start], *moved, first, *rest])


def _already_on(cmd: ParsedCommand, word: str) -> bool:
    flags, _ = _flags_in(cmd.spec, word)
    return bool(flags) and all(not f.takes_value and cmd.flag(f.name) for f in flags)
