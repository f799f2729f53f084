"""What existed before selftest must be exactly as it was after: a guard.

Selftest plays lessons on the learner's (or a classroom's) engine. Before it
starts, the guard notes every image tag with its image ID and every container with
its name and whether it runs; at the end it compares what the played commands
acted on (the targets of build, tag, pull, rmi, rm, stop, ...) and reports every
difference: a tag moved or removed, a container stopped, started or removed.
Volumes and networks that existed are checked too: one a command named must still be
there. What no played command acted on is someone else's business on a shared engine.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tutor.checks.refs import repo_tags
from tutor.dockercli import DockerCliError, parse, split_command
from tutor.dockercli.naming import named_image_refs, with_tag


@dataclass(frozen=True)
class EngineState:
    tags: dict[str, str]  # tag -> image id
    containers: dict[str, tuple[str, bool]]  # id -> (name, running)
    volumes: frozenset[str] = frozenset()
    networks: frozenset[str] = frozenset()


def engine_state(api: Any) -> EngineState:
    tags = {tag: image["Id"] for image in api.images() for tag in repo_tags(image)}
    containers = {c["Id"]: ((c.get("Names") or ["/?"])[0].lstrip("/"), c.get("State") == "running")
                  for c in api.containers(all=True)}
    volumes = frozenset(v["Name"] for v in (api.volumes() or {}).get("Volumes") or ())
    networks = frozenset(n["Name"] for n in api.networks() or ())
    return EngineState(tags, containers, volumes, networks)


# Container commands whose arguments are the containers they act on.
_CONTAINER_ACTIONS = frozenset({("container", "rm"), ("container", "stop"), ("container", "kill"),
                                ("container", "start"), ("container", "restart"),
                                ("container", "pause"), ("container", "unpause"),
                                ("container", "rename"), ("container", "update")})


def acted_on(commands: Iterable[str]) -> set[str]:
    """The image tags and container names (or IDs) the commands changed or removed:
    targets of build, tag, pull, rmi, rm, stop, start... (a word that is merely read,
    such as the image of ``docker save``, does not count)."""
    found: set[str] = set()
    for command in commands:
        try:
            parsed = parse(split_command(command))
        except DockerCliError:
            continue
        found.update(named_image_refs(parsed))
        if parsed.path == ("image", "rm"):
            found.update(with_tag(arg) for arg in parsed.args)
            found.update(parsed.args)
        elif parsed.path in _CONTAINER_ACTIONS:
            found.update(parsed.args)
        elif parsed.path in (("container", "run"), ("container", "create")):
            name = parsed.option("name")
            if name:
                found.add(name)
    return found


def changes(before: EngineState, after: EngineState, commands: Iterable[str]) -> list[str]:
    """What the commands changed of what existed before, in words (empty: nothing)."""
    commands = list(commands)
    words = acted_on(commands)
    found: list[str] = []
    for tag, image_id in sorted(before.tags.items()):
        if tag not in words:
            continue
        now = after.tags.get(tag)
        if now is None:
            found.append(f"image tag {tag} was removed (it named {image_id[7:19]})")
        elif now != image_id:
            found.append(f"image tag {tag} was moved from {image_id[7:19]} to {now[7:19]}")
    for container_id, (name, running) in sorted(before.containers.items()):
        if name not in words and container_id not in words and container_id[:12] not in words:
            continue
        current = after.containers.get(container_id)
        if current is None:
            found.append(f"container {name} was removed")
        elif current[1] != running:
            found.append(f"container {name} was {'started' if current[1] else 'stopped'}")
    parts = mentioned_parts(commands)
    found += [f"volume {name} was removed" for name in sorted(before.volumes - after.volumes)
              if name in parts]
    found += [f"network {name} was removed" for name in sorted(before.networks - after.networks)
              if name in parts]
    return found


def mentioned_parts(commands: Iterable[str]) -> set[str]:
    """Every word of the commands and its parts between ``:``, ``=`` and ``,``: the names
    in ``-v notes:/data`` and ``--mount type=volume,source=notes,target=/data``."""
    parts: set[str] = set()
    for command in commands:
        try:
            words = shlex.split(command)
        except ValueError:
            continue
        for word in words:
            parts.add(word)
            parts.update(part for part in re.split(r"[:=,]", word) if part)
    return parts
