"""Take a docker command apart, word by word, from the command model.

Used by ``/explain docker ...``: what the command does, what each flag means
(whichever spelling was typed), and what the remaining words are.
"""

from __future__ import annotations

from .catalog import lookup
from .parse import ParsedCommand

# What the positional words are, for the commands learners meet most.
ARGUMENT_ROLES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("container", "run"): ("the image to start from", "the command to run in the container"),
    ("container", "create"): ("the image to create from", "the command the container will run"),
    ("container", "exec"): ("the running container", "the command to run inside it"),
    ("container", "cp"): ("copy from (CONTAINER:PATH or a local path)",
                          "copy to (a local path or CONTAINER:PATH)"),
    ("image", "tag"): ("the existing image", "the new name for it"),
    ("image", "build"): ("the build context: the folder sent to the engine",),
}


def explain(cmd: ParsedCommand) -> list[tuple[str, str]]:
    """(words, meaning) rows, in the order a learner reads the command."""
    spec = lookup(cmd.path)
    rows: list[tuple[str, str]] = []
    typed = " ".join(("docker", *cmd.typed_path))
    canonical = " ".join(("docker", *cmd.path))
    meaning = spec.description if spec else "a docker command"
    if typed != canonical:
        meaning += f" (the same as `{canonical}`)"
    rows.append((typed, meaning))
    for name, values in cmd.global_options.items():
        shown = f"--{name}" if values in ((), ("true",)) else f"--{name} {values[-1]}"
        rows.append((shown, "a global option: it applies to the docker client itself"))
    for name, values in cmd.options.items():
        flag = spec.long_flag(name) if spec else None
        description = flag.description if flag else "an option"
        if flag is not None and flag.short:
            description += f" (short: -{flag.short})"
        if flag is not None and flag.takes_value:
            for value in values:
                rows.append((f"--{name} {value}", description))
        else:
            switch = f"--{name}" if values in ((), ("true",)) else f"--{name}={values[-1]}"
            rows.append((switch, description))
    roles = ARGUMENT_ROLES.get(cmd.path, ())
    args = list(cmd.args)
    for index, role in enumerate(roles):
        if not args:
            break
        if index == len(roles) - 1 and cmd.path in (("container", "run"), ("container", "create"),
                                                     ("container", "exec")):
            rows.append((" ".join(args), role))  # the rest is the container's command
            args = []
            break
        rows.append((args.pop(0), role))
    if args:
        usage = spec.usage if spec else ""
        rows.append((" ".join(args), f"arguments ({usage})" if usage else "arguments"))
    return rows
