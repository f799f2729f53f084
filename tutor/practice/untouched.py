"""What existed before selftest must be exactly as it was after: a guard.

Selftest plays lessons on the learner's (or a classroom's) engine. Before it
starts, the guard notes every image tag with its image ID and every container with
its name and whether it runs; at the end it compares what the played commands
could reach (a tag or container name one of them mentions) and reports every
difference: a tag moved or removed, a container stopped, started or removed.
Things nobody's command named are someone else's business on a shared engine.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from tutor.checks.refs import repo_tags


@dataclass(frozen=True)
class EngineState:
    tags: dict[str, str]  # tag -> image id
    containers: dict[str, tuple[str, bool]]  # id -> (name, running)


def engine_state(api: Any) -> EngineState:
    tags = {tag: image["Id"] for image in api.images() for tag in repo_tags(image)}
    containers = {c["Id"]: ((c.get("Names") or ["/?"])[0].lstrip("/"), c.get("State") == "running")
                  for c in api.containers(all=True)}
    return EngineState(tags, containers)


def mentioned_words(commands: Iterable[str]) -> set[str]:
    """Every word of the commands, and image words with ``:latest`` filled in."""
    words: set[str] = set()
    for command in commands:
        try:
            split = shlex.split(command)
        except ValueError:
            continue
        for word in split:
            words.add(word)
            if not word.startswith("-") and ":" not in word.rsplit("/", 1)[-1]:
                words.add(f"{word}:latest")
    return words


def changes(before: EngineState, after: EngineState, commands: Iterable[str]) -> list[str]:
    """What the commands changed of what existed before, in words (empty: nothing)."""
    words = mentioned_words(commands)
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
    return found
