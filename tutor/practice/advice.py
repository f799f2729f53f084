"""After a command: name the learner's real mistake when the command itself shows it.

Docker's own message comes first (the learner sees it as docker prints it);
these notes say what went wrong in the learner's terms and show the fix:

- options written after the image go to the container's program, not to docker;
- a name without a tag means ``:latest``, which may not exist while other tags do;
- Ctrl-C stopped the docker client, but the container it started keeps running;
- ``docker cp`` with source and destination the wrong way round.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from tutor.checks import walk
from tutor.checks.files import FileCheck
from tutor.checks.refs import repo_tags
from tutor.course.placeholders import render_value

if TYPE_CHECKING:
    from tutor.checks import Check
    from tutor.dockercli import ParsedCommand

# Commands whose words after IMAGE (or CONTAINER) belong to the program inside.
_COMMAND_TAKERS = {("container", "run"), ("container", "create"), ("container", "exec")}
_SWITCH_GROUPS = re.compile(r"-(?:d|it|ti|dit|itd|dti|tid)")
_VALUE_SHAPES = {"p": re.compile(r"(?:[\d.]+:)?\d+(?:-\d+)?:\d+(?:-\d+)?(?:/\w+)?"),
                 "e": re.compile(r"[A-Za-z_][A-Za-z0-9_]*="),
                 "v": re.compile(r"[^:]+:/")}


def misplaced_options(parsed: ParsedCommand) -> str | None:
    """Docker options written after the image (``run``) or container (``exec``)."""
    if parsed.path not in _COMMAND_TAKERS or len(parsed.args) < 2:
        return None
    spec = parsed.spec
    head, tail = parsed.args[0], list(parsed.args[1:])
    moved: list[str] = []
    kept: list[str] = []
    index = 0
    while index < len(tail):
        word = tail[index]
        name = word[2:].split("=", 1)[0] if word.startswith("--") else ""
        flag = spec.long_flag(name) if name else None
        if flag is not None:
            takes_next = flag.takes_value and "=" not in word and index + 1 < len(tail)
            moved += tail[index:index + 1 + takes_next]
            index += 1 + takes_next
            continue
        if _SWITCH_GROUPS.fullmatch(word):
            moved.append(word)
            index += 1
            continue
        shape = _VALUE_SHAPES.get(word[1:]) if len(word) == 2 and word[0] == "-" else None
        if shape is not None and index + 1 < len(tail) and shape.match(tail[index + 1]):
            moved += tail[index:index + 2]
            index += 2
            continue
        kept.append(word)
        index += 1
    if not moved:
        return None
    argv = list(parsed.argv)
    prefix = argv[:len(argv) - len(parsed.args)]
    fixed = shlex.join([*prefix, *moved, head, *kept])
    what = "the image" if parsed.path != ("container", "exec") else "the container's name"
    return (f"Everything after {what} (`{head}`) goes to the program inside the container, "
            f"so `{shlex.join(moved)}` went to it, not to docker. Docker's options come "
            f"before {what}: `{fixed}`")


def implicit_latest(parsed: ParsedCommand, output: str, api: Any) -> str | None:
    """``docker tag hello ...`` where only ``hello:1`` exists: the missing ``:latest``."""
    match = re.search(r"No such image: ([^\s:]+(?::\d+)?(?:/[^\s:]+)*):latest", output) or \
        re.search(r"Unable to find image '([^']+?):latest' locally", output)
    if match is None:
        return None
    name = match.group(1)
    if name not in parsed.args:  # typed with a tag (or by someone else's words)
        return None
    tags = sorted({tag.rsplit(":", 1)[1] for image in api.images(name=name)
                   for tag in repo_tags(image) if tag.rsplit(":", 1)[0] == name})
    if not tags:
        return None
    which = ", ".join(f"`{name}:{tag}`" for tag in tags)
    return (f"A name without a tag means `:latest`, so `{name}` meant `{name}:latest`, which "
            f"does not exist. {name} has: {which}. Write the tag: `{name}:{tags[0]}`.")


def still_running(names: Iterable[str]) -> str | None:
    names = list(names)
    if not names:
        return None
    shown = ", ".join(f"`{name}`" for name in names)
    it = "it" if len(names) == 1 else "them"
    return (f"Ctrl-C stopped the docker client, but {shown} keeps running (Ctrl-C only reaches "
            f"a container's program when it runs with `-it`). Stop {it} with "
            f"`docker stop {' '.join(names)}`.")


def swapped_copy(check: Check, values: dict[str, str], parsed: ParsedCommand | None) -> str | None:
    """``docker cp box:/tmp/x x`` when the step wants a file copied into ``box``."""
    if parsed is None or parsed.path != ("container", "cp") or len(parsed.args) != 2:
        return None
    source, destination = parsed.args
    if ":" not in source or ":" in destination:
        return None
    container, _, inside = source.partition(":")
    for node in walk(check):
        if isinstance(node, FileCheck) and render_value(node.container, values) == container:
            return (f"Source and destination are the wrong way round: `docker cp SOURCE "
                    f"DESTINATION` copied `{inside}` out of `{container}` into `{destination}` "
                    f"here. To copy into the container: "
                    f"`docker cp {destination} {container}:{inside}`.")
    return None
