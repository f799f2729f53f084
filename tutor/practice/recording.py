"""What one of the learner's commands made, told from that command alone.

A shared engine (a classroom) has other people's containers and images appearing
at any moment, so the tutor never compares whole listings. Instead:

- containers: ``run`` and ``create`` get the learner's label (``--label
  org.docker-tutor.learner=ID``) and an ID file (``--cidfile``) the docker CLI writes
  the new container's ID to: that is exactly what the command made. (When the
  learner names an ID file, the learner's labelled containers before and after the
  command are compared instead.)
- image tags: the references the command names (``build -t``, ``tag``'s target,
  ``pull``, ``commit``, ``import``, the image of ``run``; ``load`` says what it
  loaded) are looked up before and after. A tag that is new is the learner's; a
  tag that existed and now names another image was *moved* by the learner: it is
  reported, never removed (the name was theirs before the lesson);
- volumes and networks: the names the command gives (``volume create NAME``, a
  named ``-v NAME:/path`` of ``run``, ``network create NAME``) are looked up before
  and after; one that did not exist before is the learner's. (``volume create`` and
  ``network create`` also get the learner's label.)

Each lookup costs one engine call, however many containers and images there are.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.checks.refs import repo_tags
from tutor.dockercli.naming import (
    CONTAINER_MAKERS,
    OBJECT_MAKERS,
    loaded_refs,
    named_image_refs,
    named_networks,
    named_volumes,
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
    volumes: dict[str, bool] = field(default_factory=dict)  # named volume -> existed
    networks: dict[str, bool] = field(default_factory=dict)  # named network -> existed
    # Where the command writes the ID of the container it makes (``--cidfile``), when
    # the tutor gave it one: then nothing about containers needs asking before.
    id_file: Path | None = None


@contextmanager
def container_id_file(parsed: ParsedCommand | None) -> Iterator[Path | None]:
    """A path for ``--cidfile`` when the command makes a container and names no ID file
    itself: the docker CLI writes the new container's ID there, so what the command made
    is read in one engine call, however many containers the engine has."""
    if parsed is None or parsed.path not in CONTAINER_MAKERS or parsed.option("cidfile"):
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="docker-tutor-cid-"))
    try:
        yield folder / "container-id"  # the CLI refuses a file that exists already
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Made:
    """What the command made: records for the lesson, and what to tell the learner."""

    items: list[dict[str, str]] = field(default_factory=list)
    running: list[str] = field(default_factory=list)  # names of new running containers


def label_for_learner(parsed: ParsedCommand) -> bool:
    """Whether the command gets ``--label org.docker-tutor.learner=ID``: it makes a
    container, a volume or a network."""
    return parsed.path in CONTAINER_MAKERS or parsed.path in OBJECT_MAKERS


def learner_filter(learner: str) -> dict[str, str]:
    return {"label": f"{LEARNER_LABEL}={learner}"}


def look_before(api: Any, parsed: ParsedCommand, learner: str,
                id_file: Path | None = None) -> Before:
    containers = None
    if parsed.path in CONTAINER_MAKERS and id_file is None:
        containers = {c["Id"] for c in api.containers(all=True, filters=learner_filter(learner))}
    return Before(containers, {ref: image_id(api, ref) for ref in named_image_refs(parsed)},
                  {name: volume_exists(api, name) for name in named_volumes(parsed)},
                  {name: network_id(api, name) is not None for name in named_networks(parsed)},
                  id_file)


def look_after(api: Any, parsed: ParsedCommand, learner: str, before: Before,
               output: str = "") -> Made:
    made = Made()
    if before.id_file is not None:
        _made_by_id_file(api, before.id_file, made)
    elif before.containers is not None:
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
    for name, existed in before.volumes.items():
        if not existed and volume_exists(api, name):
            made.items.append({"kind": "volume", "name": name})
    for name, existed in before.networks.items():
        found = None if existed else network_id(api, name)
        if found is not None:
            made.items.append({"kind": "network", "name": name, "id": found})
    return made


def _made_by_id_file(api: Any, id_file: Path, made: Made) -> None:
    import docker.errors

    try:
        container_id = id_file.read_text().strip()
    except OSError:
        return  # no file: the command made no container
    if not container_id:
        return
    try:
        details = api.inspect_container(container_id)
    except docker.errors.NotFound:
        return  # made and gone again (``--rm``)
    name = (details.get("Name") or "/" + container_id[:12]).lstrip("/")
    made.items.append({"kind": "container", "id": details.get("Id", container_id), "name": name})
    if (details.get("State") or {}).get("Running"):
        made.running.append(name)


def volume_exists(api: Any, name: str) -> bool:
    import docker.errors

    try:
        api.inspect_volume(name)
    except docker.errors.NotFound:
        return False
    except docker.errors.APIError as error:
        if error.status_code == 400:  # not a valid volume name: nothing was made
            return False
        raise
    return True


def network_id(api: Any, name: str) -> str | None:
    """The id of the network named exactly ``name`` (the engine also matches ID
    prefixes and, for some filters, parts of names)."""
    return next((network["Id"] for network in api.networks(names=[name]) or ()
                 if network.get("Name") == name), None)


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
