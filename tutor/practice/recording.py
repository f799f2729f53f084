"""What one of the learner's commands made, told from that command alone.

A shared engine (a classroom) has other people's containers and images appearing
at any moment, so the tutor never compares whole listings. Instead:

- containers: ``run`` and ``create`` get the learner's label (``--label
  org.docker-tutor.learner=ID``); the learner's labelled containers before and
  after the command differ by exactly what it made;
- image tags: the references the command names (``build -t``, ``tag``'s target,
  ``pull``, ``commit``, ``import``, the image of ``run``; ``load`` says what it
  loaded) are looked up before and after. A tag that is new is the learner's; a
  tag that existed and now names another image was *moved* by the learner: it is
  reported, never removed (the name was theirs before the lesson).

Each lookup costs one engine call, however many containers and images there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tutor.checks.refs import repo_tags
from tutor.dockercli.naming import (
    CONTAINER_MAKERS,
    loaded_refs,
    named_image_refs,
    with_tag,
)
from tutor.practice.labels import LEARNER_LABEL

if TYPE_CHECKING:
    from tutor.dockercli import ParsedCommand

@dataclass
class Before:
    """What the engine held, before the command, of what the command may touch."""

    containers: set[str] | None  # ids of the learner's labelled containers (None: not asked)
    images: dict[str, str | None]  # named reference -> image id (None: absent)


@dataclass
class Made:
    """What the command made: records for the lesson, and what to tell the learner."""

    items: list[dict[str, str]] = field(default_factory=list)
    running: list[str] = field(default_factory=list)  # names of new running containers


def learner_filter(learner: str) -> dict[str, str]:
    return {"label": f"{LEARNER_LABEL}={learner}"}


def look_before(api: Any, parsed: ParsedCommand, learner: str) -> Before:
    containers = None
    if parsed.path in CONTAINER_MAKERS:
        containers = {c["Id"] for c in api.containers(all=True, filters=learner_filter(learner))}
    return Before(containers, {ref: image_id(api, ref) for ref in named_image_refs(parsed)})


def look_after(api: Any, parsed: ParsedCommand, learner: str, before: Before,
               output: str = "") -> Made:
    made = Made()
    if before.containers is not None:
        for container in api.containers(all=True, filters=learner_filter(learner)):
            if container["Id"] in before.containers:
                continue
            name = (container.get("Names") or ["/" + container["Id"][:12]])[0].lstrip("/")
            made.items.append({"kind": "container", "id": container["Id"], "name": name})
            if container.get("State") == "running":
                made.running.append(name)
    refs = dict(before.images)
    if parsed.path == ("image", "load"):
        refs.update({ref: None for ref in loaded_refs(output) if ref not in refs})
    for ref, old in refs.items():
        new = image_id(api, ref)
        if new is None or new == old:
            continue
        item = {"kind": "image", "ref": ref, "id": new}
        if old is not None:
            item["replaced"] = old  # the learner's own name, moved: reported, not removed
        made.items.append(item)
    return made


def image_id(api: Any, ref: str) -> str | None:
    """The id of the image with exactly this reference, or None."""
    import docker.errors  # the SDK is loaded already: the command ran against the engine

    try:
        image = api.inspect_image(ref)
    except docker.errors.NotFound:
        return None
    except docker.errors.APIError as error:
        if error.status_code == 400:  # not a valid reference: no such image
            return None
        raise
    tags = {with_tag(tag) for tag in repo_tags(image)}
    # The engine also resolves ID prefixes; only a real tag counts as a name.
    return image["Id"] if ref in tags or _same_familiar(ref, tags) else None


def _same_familiar(ref: str, tags: set[str]) -> bool:
    for prefix in ("docker.io/library/", "docker.io/"):
        if ref.startswith(prefix) and ref[len(prefix):] in tags:
            return True
    return False
